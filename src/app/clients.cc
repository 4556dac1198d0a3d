// dancu clients add|list|disable: the relying parties of the OpenID Connect
// provider (identity/clients.h), kept in DIR/oidc.db. The HTTP twin is
// POST/GET /v1/admin/clients (web/admin_clients.cc).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/commands.h"
#include "core/clock.h"
#include "identity/clients.h"
#include "identity/oidc_db.h"

namespace dancu::app {

int Clients(const ClientsOptions& o) {
  std::error_code ec;
  if (!std::filesystem::is_directory(o.data_dir, ec)) {
    std::fprintf(stderr, "dancu: no data directory %s\n", o.data_dir.c_str());
    return 1;
  }
  auto fail = [](const Error& e) {
    std::fprintf(stderr, "dancu: %s (%s)\n", e.message.c_str(), e.code.c_str());
    return 1;
  };
  auto db = identity::OpenOidcDb(o.data_dir);
  if (!db) return fail(db.error());
  SystemClock clock;
  auto clients = identity::Clients::Open(**db, clock);
  if (!clients) return fail(clients.error());

  if (o.action == "add") {
    identity::ClientSpec spec;
    spec.name = o.name;
    spec.redirect_uris = o.redirect_uris;
    spec.post_logout_redirect_uris = o.post_logout_redirect_uris;
    spec.scopes = identity::SplitSpaces(o.scopes);
    spec.min_level = o.min_level;
    spec.logo_uri = o.logo_uri;
    auto method = identity::ParseClientAuthMethod(o.auth_method);
    if (!method) {
      std::fprintf(stderr,
                   "dancu: --auth-method must be client_secret_basic, client_secret_post or "
                   "private_key_jwt\n");
      return 2;
    }
    spec.auth_method = *method;
    if (!o.jwks_file.empty()) {
      std::ifstream in(o.jwks_file, std::ios::binary);
      if (!in) {
        std::fprintf(stderr, "dancu: cannot read %s\n", o.jwks_file.c_str());
        return 1;
      }
      std::ostringstream text;
      text << in.rdbuf();
      spec.jwks = text.str();
    }
    if (spec.auth_method == identity::ClientAuthMethod::kPrivateKeyJwt && spec.jwks.empty()) {
      std::fprintf(stderr, "dancu: private_key_jwt needs --jwks-file (the client's public keys)\n");
      return 2;
    }
    auto added = (*clients)->Add(spec);
    if (!added) return fail(added.error());
    std::printf("client_id=%s\n", added->client_id.c_str());
    if (!added->client_secret.empty()) {
      std::printf("client_secret=%s\n", added->client_secret.c_str());
      std::fprintf(stderr,
                   "dancu: client %s added. The secret is shown only this once (only its hash "
                   "is stored).\n",
                   o.name.c_str());
    }
    return 0;
  }
  if (o.action == "list") {
    auto list = (*clients)->List();
    if (!list) return fail(list.error());
    std::printf("%-24s %-24s %-5s %-20s %-8s %s\n", "CLIENT_ID", "NAME", "LEVEL", "AUTH", "STATUS",
                "SCOPES / REDIRECT URIS");
    for (const identity::Client& c : *list) {
      std::printf("%-24s %-24s %-5d %-20s %-8s %s\n", c.client_id.c_str(), c.name.c_str(),
                  c.min_level, std::string(identity::ToString(c.auth_method)).c_str(),
                  c.disabled ? "disabled" : "enabled", identity::JoinSpaces(c.scopes).c_str());
      for (const auto& u : c.redirect_uris) std::printf("%*s %s\n", 86, "", u.c_str());
    }
    return 0;
  }
  if (o.action == "disable") {
    if (auto s = (*clients)->Disable(o.client_id); !s) return fail(s.error());
    std::printf("dancu: client %s disabled; a running server refuses it within a second\n",
                o.client_id.c_str());
    return 0;
  }
  return 2;
}

}  // namespace dancu::app
