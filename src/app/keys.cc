// dancu keys rotate|list: the OpenID Connect provider's ES256 signing keys
// (identity/signing_keys.h) in DIR/oidc.db, sealed with DIR/identity.key.
// A running server starts signing with the new key within a second and keeps
// publishing the old one until every token it signed has expired.
#include <cstdio>
#include <ctime>
#include <filesystem>

#include "app/commands.h"
#include "core/clock.h"
#include "crypto/secret_box.h"
#include "identity/identity_db.h"
#include "identity/oidc_db.h"
#include "identity/oidc_provider.h"
#include "identity/signing_keys.h"

namespace dancu::app {
namespace {

std::string Utc(int64_t seconds) {
  std::time_t t = seconds;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

int Keys(const KeysOptions& o) {
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
  auto box = crypto::SecretBox::OpenKeyFile(identity::IdentityKeyPath(o.data_dir));
  if (!box) return fail(box.error());
  SystemClock clock;
  auto keys = identity::SigningKeys::Open(
      **db, *box, clock, std::max(identity::kAccessTokenLifetime, identity::kIdTokenLifetime));
  if (!keys) return fail(keys.error());

  if (o.action == "rotate") {
    auto kid = (*keys)->Rotate();
    if (!kid) return fail(kid.error());
    std::printf("dancu: new signing key %s; the previous key stays published until its tokens "
                "have expired\n",
                kid->c_str());
    return 0;
  }
  if (o.action == "list") {
    auto list = (*keys)->List();
    if (!list) return fail(list.error());
    std::printf("%-44s %-21s %-21s %s\n", "KID", "CREATED", "RETIRED", "PUBLISHED UNTIL");
    for (const auto& k : *list) {
      std::printf("%-44s %-21s %-21s %s\n", k.kid.c_str(), Utc(k.created_at).c_str(),
                  k.retired_at ? Utc(*k.retired_at).c_str() : "(current)",
                  k.publish_until ? Utc(*k.publish_until).c_str() : "-");
    }
    return 0;
  }
  return 2;
}

}  // namespace dancu::app
