// dancu agencies ...: agencies, their API clients and the clients' policies
// (hub/members.h, DIR/hub.db). A running server sees a change within a
// second. `assertion` is the agency's side: it signs the client assertion
// that POST /v1/agency/token exchanges for an access token.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "app/commands.h"
#include "app/hub_services.h"
#include "app/read_file.h"
#include "core/clock.h"
#include "core/random.h"
#include "crypto/ec_key.h"
#include "crypto/jwt.h"
#include "crypto/random_token.h"

namespace dancu::app {
namespace {

int Fail(const Error& e) {
  std::fprintf(stderr, "dancu: %s (%s)\n", e.message.c_str(), e.code.c_str());
  return 1;
}

Result<hub::Policy> ReadPolicy(const std::string& path) {
  auto text = ReadFileText(path);
  if (!text) return std::unexpected(text.error());
  boost::system::error_code ec;
  auto json = boost::json::parse(*text, ec);
  if (ec) return dancu::Fail("policy.invalid", path + " is not JSON: " + ec.message());
  return hub::ParsePolicy(json);
}

// Writes a new private key to `path` (mode 0600), never over an existing file.
Status WritePrivateKey(const std::string& path, const crypto::EcKey& key) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return dancu::Fail("io.write", path + ": cannot be created (does it exist?)", path);
  std::string pem = key.PrivatePem();
  bool ok = ::write(fd, pem.data(), pem.size()) == static_cast<ssize_t>(pem.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return dancu::Fail("io.write", path + ": cannot be written", path);
  return {};
}

void PrintClient(const hub::AgencyClientInfo& c) {
  std::printf("%-28s %-16s %-9s %s\n", c.client_id.c_str(), c.agency.c_str(),
              c.disabled ? "disabled" : "enabled",
              boost::json::serialize(hub::PolicyToJson(*c.policy)).c_str());
}

int Assertion(const AgenciesOptions& o) {
  auto pem = ReadFileText(o.key_in);
  if (!pem) return Fail(pem.error());
  auto key = crypto::EcKey::FromPrivatePem(*pem);
  if (!key) return Fail(key.error());
  SystemClock clock;
  int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(clock.Now().time_since_epoch()).count();
  boost::json::object claims{{"iss", o.client_id}, {"sub", o.client_id},
                             {"aud", o.audience},  {"iat", now},
                             {"exp", now + 120},   {"jti", crypto::RandomToken(16)}};
  // The kid is the key's RFC 7638 thumbprint, as `add-client --generate-key`
  // registers it.
  std::printf("%s\n", crypto::SignJwt(*key, key->Thumbprint(), claims).c_str());
  return 0;
}

}  // namespace

int Agencies(const AgenciesOptions& o) {
  if (o.action == "assertion") return Assertion(o);
  std::error_code ec;
  if (!std::filesystem::is_directory(o.data_dir, ec)) {
    std::fprintf(stderr, "dancu: no data directory %s\n", o.data_dir.c_str());
    return 1;
  }
  SystemClock clock;
  SecureRandom random;
  auto hub = OpenHubServicesIn(o.data_dir, nullptr, nullptr, clock, random);
  if (!hub) return Fail(hub.error());
  hub::Members& members = *hub->members;

  if (o.action == "add") {
    if (auto s = members.AddAgency({o.name, o.kind, o.display_name, "", false}); !s) {
      return Fail(s.error());
    }
    std::printf("dancu: agency %s added; register its API clients with `dancu agencies "
                "add-client --agency %s`\n",
                o.name.c_str(), o.name.c_str());
    return 0;
  }
  if (o.action == "list") {
    auto list = members.ListAgencies();
    if (!list) return Fail(list.error());
    std::printf("%-24s %-10s %-9s %s\n", "NAME", "KIND", "STATUS", "DISPLAY NAME");
    for (const auto& a : *list) {
      std::printf("%-24s %-10s %-9s %s\n", a.name.c_str(), a.kind.c_str(),
                  a.disabled ? "disabled" : "enabled", a.display_name.c_str());
    }
    return 0;
  }
  if (o.action == "disable") {
    if (auto s = members.DisableAgency(o.name); !s) return Fail(s.error());
    std::printf("dancu: agency %s disabled; a running server refuses its tokens within a second\n",
                o.name.c_str());
    return 0;
  }
  if (o.action == "add-client") {
    std::string jwks;
    std::optional<crypto::EcKey> generated;
    if (!o.jwks_file.empty()) {
      auto text = ReadFileText(o.jwks_file);
      if (!text) return Fail(text.error());
      jwks = std::move(*text);
    } else if (!o.key_out.empty()) {
      generated = crypto::EcKey::Generate();
      boost::json::object set{{"keys", boost::json::array{generated->PublicJwk(generated->Thumbprint())}}};
      jwks = boost::json::serialize(set);
    } else {
      std::fprintf(stderr, "dancu: add-client needs --jwks FILE (or --generate-key FILE)\n");
      return 2;
    }
    std::optional<hub::Policy> policy;
    if (!o.policy_file.empty()) {
      auto p = ReadPolicy(o.policy_file);
      if (!p) return Fail(p.error());
      policy = std::move(*p);
    }
    if (generated) {
      if (auto s = WritePrivateKey(o.key_out, *generated); !s) return Fail(s.error());
    }
    auto client = members.AddClient(o.name, jwks, o.mtls_thumbprint, policy.value_or(hub::Policy{}));
    if (!client) {
      if (generated) std::filesystem::remove(o.key_out, ec);
      return Fail(client.error());
    }
    std::fprintf(stderr, "dancu: client of %s added%s%s; its id follows.\n", o.name.c_str(),
                 generated ? ", private key written to " : "",
                 generated ? o.key_out.c_str() : "");
    std::printf("%s\n", client->client_id.c_str());
    return 0;
  }
  if (o.action == "clients") {
    auto list = members.ListClients(o.name);
    if (!list) return Fail(list.error());
    std::printf("%-28s %-16s %-9s %s\n", "CLIENT", "AGENCY", "STATUS", "POLICY");
    for (const auto& c : *list) PrintClient(c);
    return 0;
  }
  if (o.action == "policy") {
    if (!o.policy_file.empty()) {
      auto p = ReadPolicy(o.policy_file);
      if (!p) return Fail(p.error());
      if (auto s = members.SetPolicy(o.client_id, *p); !s) return Fail(s.error());
    }
    auto c = members.GetClient(o.client_id);
    if (!c) return Fail(c.error());
    std::printf("%s\n", boost::json::serialize(hub::PolicyToJson(*c->policy)).c_str());
    return 0;
  }
  if (o.action == "disable-client") {
    if (auto s = members.DisableClient(o.client_id); !s) return Fail(s.error());
    std::printf("dancu: client %s disabled; a running server refuses its tokens within a second\n",
                o.client_id.c_str());
    return 0;
  }
  return 2;
}

}  // namespace dancu::app
