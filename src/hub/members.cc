#include "hub/members.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <map>
#include <shared_mutex>
#include <unordered_map>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "crypto/client_assertion.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/jwks.h"
#include "crypto/random_token.h"
#include "hub/key_file.h"
#include "hub/rate_limiter.h"

namespace dancu::hub {
namespace {

constexpr std::string_view kAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
constexpr std::chrono::seconds kLeeway{60};
constexpr std::chrono::seconds kMaxAssertionAhead{600};
constexpr int64_t kReloadIntervalUs = 1'000'000;

bool ValidName(std::string_view n) {
  if (n.empty() || n.size() > 64) return false;
  auto lower_alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!lower_alnum(n[0])) return false;
  return std::all_of(n.begin(), n.end(),
                     [&](char c) { return lower_alnum(c) || c == '.' || c == '_' || c == '-'; });
}

bool ValidKind(std::string_view k) {
  return k == "ministry" || k == "province" || k == "commune" || k == "enterprise";
}

bool ValidThumbprint(std::string_view t) {
  return t.size() == 64 && std::all_of(t.begin(), t.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

int64_t UnixSeconds(Timestamp t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

OAuthError OAuth(int status, std::string error, std::string description) {
  return OAuthError{status, std::move(error), std::move(description)};
}

std::string ScopeString(OperationSet scope) {
  std::string out;
  for (Operation op : kOperations) {
    if ((scope & Bit(op)) == 0) continue;
    if (!out.empty()) out += ' ';
    out += ToString(op);
  }
  return out;
}

}  // namespace

struct ClientEntry {
  AgencyClientInfo info;
  crypto::JwkSet keys;
  bool usable = false;  // client and agency enabled
};

// What the hot paths read: replaced whole on every reload.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

struct Snapshot {
  std::map<std::string, AgencyInfo, std::less<>> agencies;
  std::unordered_map<std::string, ClientEntry, StringHash, std::equal_to<>> clients;
};

struct Members::Impl {
  storage::Database& db;
  const Clock& clock;
  Random& random;
  std::string token_key;      // HMAC key of access tokens
  std::string pseudonym_key;  // derives the per-agency pseudonym keys
  std::unique_ptr<storage::Connection> conn;  // guarded by write_mu
  std::mutex write_mu;
  RateLimiter limiter;

  mutable std::shared_mutex snap_mu;
  std::shared_ptr<const Snapshot> snapshot;  // guarded by snap_mu
  mutable std::atomic<int64_t> loaded_at_us{0};
  mutable std::mutex reload_mu;

  Impl(storage::Database& d, const Clock& c, Random& r) : db(d), clock(c), random(r), limiter(c) {}

  int64_t NowUs() const { return clock.Now().time_since_epoch().count(); }

  // Reads every agency and client (tables of configuration, not data).
  Result<std::shared_ptr<const Snapshot>> Load(storage::Connection& c) const {
    auto snap = std::make_shared<Snapshot>();
    auto& a = c.Cached("SELECT name, kind, display_name, created_at, disabled FROM agencies");
    auto s = a.ForEachRow([&] {
      AgencyInfo info{std::string(a.Text(0)), std::string(a.Text(1)), std::string(a.Text(2)),
                      std::string(a.Text(3)), a.Int(4) != 0};
      snap->agencies.emplace(info.name, std::move(info));
    });
    if (!s) return std::unexpected(s.error());
    auto& q = c.Cached(
        "SELECT client_id, agency, jwks, mtls_thumbprint, policy, created_at, disabled "
        "FROM agency_clients");
    Status bad;
    s = q.ForEachRow([&] {
      ClientEntry e;
      e.info.client_id = std::string(q.Text(0));
      e.info.agency = std::string(q.Text(1));
      e.info.jwks = std::string(q.Text(2));
      e.info.mtls_thumbprint = std::string(q.Text(3));
      e.info.created_at = std::string(q.Text(5));
      e.info.disabled = q.Int(6) != 0;
      auto keys = crypto::ParseJwks(e.info.jwks);
      boost::system::error_code ec;
      auto policy_json = boost::json::parse(q.Text(4), ec);
      auto policy = ec ? Result<Policy>(Fail("policy.invalid", "stored policy is not JSON"))
                       : ParsePolicy(policy_json);
      if (!keys || !policy) {
        // A damaged row disables its client rather than the whole hub.
        spdlog::warn("hub.db: client {} has an unreadable {}", e.info.client_id,
                     keys ? "policy" : "JWKS");
        e.info.policy = std::make_shared<const Policy>();
      } else {
        e.keys = std::move(*keys);
        e.info.policy = std::make_shared<const Policy>(std::move(*policy));
      }
      auto agency = snap->agencies.find(e.info.agency);
      e.usable = keys && policy && !e.info.disabled && agency != snap->agencies.end() &&
                 !agency->second.disabled;
      snap->clients.emplace(e.info.client_id, std::move(e));
    });
    if (!s) return std::unexpected(s.error());
    return std::shared_ptr<const Snapshot>(std::move(snap));
  }

  // The snapshot, reloaded first when it is a second old (changes made by
  // another process, e.g. the CLI). One thread reloads; the others go on
  // with the current copy.
  std::shared_ptr<const Snapshot> Current() {
    const int64_t now = NowUs();
    if (now - loaded_at_us.load(std::memory_order_relaxed) >= kReloadIntervalUs) {
      std::unique_lock lock(reload_mu, std::try_to_lock);
      if (lock.owns_lock() && now - loaded_at_us.load() >= kReloadIntervalUs) {
        if (auto s = Reload(); !s) {
          spdlog::warn("hub: cannot reload agencies: {}", s.error().message);
          loaded_at_us.store(now);  // retry after another interval
        }
      }
    }
    std::shared_lock lock(snap_mu);
    return snapshot;
  }

  Status Reload() {
    auto c = db.Connect();
    if (!c) return std::unexpected(c.error());
    auto snap = Load(**c);
    if (!snap) return std::unexpected(snap.error());
    {
      std::unique_lock lock(snap_mu);
      snapshot = std::move(*snap);
    }
    loaded_at_us.store(NowUs());
    return {};
  }

  // Runs a write, then reloads so that it applies to the next request here.
  Status Write(const std::function<Status(storage::Connection&)>& body) {
    {
      std::lock_guard lock(write_mu);
      auto tx = storage::Transaction::Begin(*conn);
      if (!tx) return std::unexpected(tx.error());
      if (auto s = body(*conn); !s) return s;
      if (auto s = tx->Commit(); !s) return s;
    }
    std::lock_guard reload(reload_mu);
    return Reload();
  }

  std::string MintToken(std::string_view client_id, OperationSet scope, int64_t exp) {
    std::string payload = std::string(client_id) + "\n" + std::to_string(scope) + "\n" +
                          std::to_string(exp) + "\n" + crypto::RandomToken(9);
    std::string body = crypto::Base64UrlEncode(payload);
    auto mac = crypto::HmacSha256(token_key, body);
    return std::string(kAgencyTokenPrefix) + body + "." +
           crypto::Base64UrlEncode(crypto::AsBytes(mac));
  }

  // Tokens already verified, with their expiry: an agency sends the same
  // token for minutes, and a hash look-up is cheaper than its HMAC. Only a
  // token that passed the full check is ever in here. Cleared when full.
  struct VerifiedToken {
    TokenIdentity id;
    int64_t exp = 0;
  };
  static constexpr size_t kVerifiedCap = 1 << 16;
  mutable std::shared_mutex verified_mu;
  mutable std::unordered_map<std::string, VerifiedToken, StringHash, std::equal_to<>> verified;

  std::optional<TokenIdentity> CheckToken(std::string_view token) const {
    const int64_t now = UnixSeconds(clock.Now());
    {
      std::shared_lock lock(verified_mu);
      if (auto it = verified.find(token); it != verified.end()) {
        if (it->second.exp <= now) return std::nullopt;
        return it->second.id;
      }
    }
    auto checked = VerifyToken(token);
    if (!checked || checked->exp <= now) return std::nullopt;
    std::unique_lock lock(verified_mu);
    if (verified.size() >= kVerifiedCap) verified.clear();
    verified.emplace(std::string(token), *checked);
    return checked->id;
  }

  std::optional<VerifiedToken> VerifyToken(std::string_view token) const {
    if (!token.starts_with(kAgencyTokenPrefix)) return std::nullopt;
    token.remove_prefix(kAgencyTokenPrefix.size());
    size_t dot = token.rfind('.');
    if (dot == std::string_view::npos || token.size() > 1024) return std::nullopt;
    std::string_view body = token.substr(0, dot);
    auto mac = crypto::HmacSha256(token_key, body);
    if (!crypto::ConstantTimeEqual(crypto::Base64UrlEncode(crypto::AsBytes(mac)),
                                   token.substr(dot + 1))) {
      return std::nullopt;
    }
    auto payload = crypto::Base64UrlDecode(body);
    if (!payload) return std::nullopt;
    std::string_view p = *payload;
    size_t a = p.find('\n');
    size_t b = a == std::string_view::npos ? a : p.find('\n', a + 1);
    size_t c = b == std::string_view::npos ? b : p.find('\n', b + 1);
    if (c == std::string_view::npos) return std::nullopt;
    TokenIdentity id{std::string(p.substr(0, a)), 0};
    int64_t exp = 0;
    std::string_view scope = p.substr(a + 1, b - a - 1), expiry = p.substr(b + 1, c - b - 1);
    if (std::from_chars(scope.data(), scope.data() + scope.size(), id.scope).ec != std::errc() ||
        std::from_chars(expiry.data(), expiry.data() + expiry.size(), exp).ec != std::errc()) {
      return std::nullopt;
    }
    return VerifiedToken{std::move(id), exp};
  }
};

Members::Members(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Members::~Members() = default;

Result<std::unique_ptr<Members>> Members::Open(storage::Database& db,
                                               const std::filesystem::path& data_dir,
                                               const Clock& clock, Random& random) {
  auto key = LoadOrCreateKeyFile(data_dir / "hub.key", [] { return crypto::RandomBytes(32); });
  if (!key) return std::unexpected(key.error());
  if (key->size() != 32) {
    return Fail("hub.key_file", (data_dir / "hub.key").string() + ": is not 32 bytes");
  }
  auto impl = std::make_unique<Impl>(db, clock, random);
  impl->token_key = std::string(crypto::AsBytes(crypto::HmacSha256(*key, "agency access tokens")));
  impl->pseudonym_key = std::string(crypto::AsBytes(crypto::HmacSha256(*key, "agency pseudonyms")));
  auto conn = db.Connect();
  if (!conn) return std::unexpected(conn.error());
  impl->conn = std::move(*conn);
  if (auto s = impl->Reload(); !s) return std::unexpected(s.error());
  return std::unique_ptr<Members>(new Members(std::move(impl)));
}

Status Members::AddAgency(const AgencyInfo& agency) {
  if (!ValidName(agency.name) || agency.name == "admin") {
    return Fail("agency.bad_name",
                "an agency name is 1-64 characters of a-z 0-9 . _ -, starting with a letter or "
                "digit (\"admin\" is reserved)",
                "name");
  }
  if (!ValidKind(agency.kind)) {
    return Fail("agency.bad_kind", "kind is ministry, province, commune or enterprise", "kind");
  }
  if (agency.display_name.empty() || agency.display_name.size() > 200) {
    return Fail("agency.bad_display_name", "the display name is 1-200 bytes", "display_name");
  }
  return impl_->Write([&](storage::Connection& c) -> Status {
    auto& st = c.Cached(
        "INSERT INTO agencies (name, kind, display_name, created_at) VALUES (?,?,?,?) "
        "ON CONFLICT (name) DO NOTHING RETURNING name");
    st.BindText(1, agency.name);
    st.BindText(2, agency.kind);
    st.BindText(3, agency.display_name);
    const std::string created_at = FormatTimestamp(impl_->clock.Now());
    st.BindText(4, created_at);
    bool inserted = false;
    if (auto s = st.ForEachRow([&] { inserted = true; }); !s) return s;
    if (!inserted) return Fail("agency.exists", "an agency named " + agency.name + " exists", "name");
    return {};
  });
}

Result<std::vector<AgencyInfo>> Members::ListAgencies() const {
  std::vector<AgencyInfo> out;
  for (const auto& [name, a] : impl_->Current()->agencies) out.push_back(a);
  return out;
}

Result<AgencyInfo> Members::GetAgency(std::string_view name) const {
  auto snap = impl_->Current();
  auto it = snap->agencies.find(name);
  if (it == snap->agencies.end()) {
    return Fail("agency.not_found", "no agency named " + std::string(name), "agency");
  }
  return it->second;
}

Status Members::DisableAgency(std::string_view name) {
  return impl_->Write([&](storage::Connection& c) -> Status {
    auto& st = c.Cached("UPDATE agencies SET disabled = 1 WHERE name = ? RETURNING name");
    st.BindText(1, name);
    bool found = false;
    if (auto s = st.ForEachRow([&] { found = true; }); !s) return s;
    if (!found) return Fail("agency.not_found", "no agency named " + std::string(name), "agency");
    return {};
  });
}

Result<AgencyClientInfo> Members::AddClient(std::string_view agency, std::string_view jwks,
                                            std::string_view mtls_thumbprint,
                                            const Policy& policy) {
  auto a = GetAgency(agency);
  if (!a) return std::unexpected(a.error());
  if (auto keys = crypto::ParseJwks(jwks); !keys) return std::unexpected(keys.error());
  if (!mtls_thumbprint.empty() && !ValidThumbprint(mtls_thumbprint)) {
    return Fail("client.bad_thumbprint",
                "the mTLS thumbprint is the certificate's SHA-256, 64 lowercase hex digits",
                "mtls_thumbprint");
  }
  AgencyClientInfo info;
  // 40 bits of randomness tell an agency's clients apart; ids are not secrets.
  std::string suffix = crypto::HexEncode(crypto::RandomBytes(5));
  info.client_id = std::string(agency) + "." + suffix;
  info.agency = std::string(agency);
  info.jwks = std::string(jwks);
  info.mtls_thumbprint = std::string(mtls_thumbprint);
  info.policy = std::make_shared<const Policy>(policy);
  info.created_at = FormatTimestamp(impl_->clock.Now());
  auto s = impl_->Write([&](storage::Connection& c) -> Status {
    auto& st = c.Cached(
        "INSERT INTO agency_clients (client_id, agency, jwks, mtls_thumbprint, policy, created_at) "
        "VALUES (?,?,?,?,?,?)");
    st.BindText(1, info.client_id);
    st.BindText(2, info.agency);
    st.BindText(3, info.jwks);
    st.BindText(4, info.mtls_thumbprint);
    const std::string policy_text = boost::json::serialize(PolicyToJson(*info.policy));
    st.BindText(5, policy_text);
    st.BindText(6, info.created_at);
    return st.Run();
  });
  if (!s) return std::unexpected(s.error());
  return info;
}

Result<std::vector<AgencyClientInfo>> Members::ListClients(std::string_view agency) const {
  std::vector<AgencyClientInfo> out;
  for (const auto& [id, e] : impl_->Current()->clients) {
    if (agency.empty() || e.info.agency == agency) out.push_back(e.info);
  }
  std::sort(out.begin(), out.end(),
            [](const auto& x, const auto& y) { return x.client_id < y.client_id; });
  return out;
}

Result<AgencyClientInfo> Members::GetClient(std::string_view client_id) const {
  auto snap = impl_->Current();
  auto it = snap->clients.find(client_id);
  if (it == snap->clients.end()) {
    return Fail("client.not_found", "no agency client " + std::string(client_id), "client_id");
  }
  return it->second.info;
}

Status Members::DisableClient(std::string_view client_id) {
  return impl_->Write([&](storage::Connection& c) -> Status {
    auto& st = c.Cached("UPDATE agency_clients SET disabled = 1 WHERE client_id = ? RETURNING 1");
    st.BindText(1, client_id);
    bool found = false;
    if (auto s = st.ForEachRow([&] { found = true; }); !s) return s;
    if (!found) return Fail("client.not_found", "no agency client " + std::string(client_id), "client_id");
    return {};
  });
}

Status Members::SetPolicy(std::string_view client_id, const Policy& policy) {
  return impl_->Write([&](storage::Connection& c) -> Status {
    auto& st = c.Cached("UPDATE agency_clients SET policy = ? WHERE client_id = ? RETURNING 1");
    const std::string policy_text = boost::json::serialize(PolicyToJson(policy));
    st.BindText(1, policy_text);
    st.BindText(2, client_id);
    bool found = false;
    if (auto s = st.ForEachRow([&] { found = true; }); !s) return s;
    if (!found) return Fail("client.not_found", "no agency client " + std::string(client_id), "client_id");
    return {};
  });
}

std::expected<IssuedToken, OAuthError> Members::IssueToken(const TokenRequest& r) {
  if (r.grant_type != "client_credentials") {
    return std::unexpected(OAuth(400, "unsupported_grant_type", "grant_type must be client_credentials"));
  }
  if (r.client_assertion_type != kAssertionType) {
    return std::unexpected(OAuth(400, "invalid_request",
                                 "client_assertion_type must be " + std::string(kAssertionType)));
  }
  if (r.client_assertion.empty()) {
    return std::unexpected(OAuth(401, "invalid_client", "client_assertion is missing"));
  }
  auto snap = impl_->Current();
  const ClientEntry* client = nullptr;
  auto verified = crypto::VerifyClientAssertion(
      r.client_assertion,
      [&](std::string_view iss) -> const crypto::JwkSet* {
        auto it = snap->clients.find(iss);
        if (it == snap->clients.end() || !it->second.usable) return nullptr;
        client = &it->second;
        return &client->keys;
      },
      {r.endpoint, r.issuer}, impl_->clock.Now(), kLeeway, kMaxAssertionAhead);
  if (!verified) return std::unexpected(OAuth(401, "invalid_client", verified.error().message));
  if (!client->info.mtls_thumbprint.empty() &&
      !crypto::ConstantTimeEqual(client->info.mtls_thumbprint, r.tls_thumbprint)) {
    return std::unexpected(
        OAuth(401, "invalid_client", "this client is bound to a TLS client certificate"));
  }
  // Scope: the requested operations (all the policy allows when none are
  // named), each of which the policy must allow.
  const Policy& policy = *client->info.policy;
  OperationSet scope = 0;
  std::string_view rest = r.scope;
  while (!rest.empty()) {
    size_t sp = rest.find(' ');
    std::string_view word = rest.substr(0, sp);
    rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
    if (word.empty()) continue;
    auto op = ParseOperation(word);
    if (!op || !policy.Allows(*op)) {
      return std::unexpected(OAuth(400, "invalid_scope",
                                   "the policy of " + client->info.client_id + " does not allow " +
                                       std::string(word)));
    }
    scope |= Bit(*op);
  }
  if (r.scope.empty()) scope = policy.operations;
  if (scope == 0) {
    return std::unexpected(OAuth(400, "invalid_scope", "the client's policy allows no operation"));
  }
  // Replay: the jti is stored until the assertion expires, in hub.db.
  auto fresh = [&]() -> Result<bool> {
    std::lock_guard lock(impl_->write_mu);
    auto& prune = impl_->conn->Cached("DELETE FROM agency_assertions WHERE expires_at < ?");
    prune.BindInt(1, UnixSeconds(impl_->clock.Now()) - kLeeway.count());
    if (auto s = prune.Run(); !s) return std::unexpected(s.error());
    auto& st = impl_->conn->Cached(
        "INSERT INTO agency_assertions (client_id, jti, expires_at) VALUES (?,?,?) "
        "ON CONFLICT DO NOTHING RETURNING 1");
    st.BindText(1, verified->client_id);
    st.BindText(2, verified->jti);
    st.BindInt(3, verified->exp);
    bool inserted = false;
    if (auto s = st.ForEachRow([&] { inserted = true; }); !s) return std::unexpected(s.error());
    return inserted;
  }();
  if (!fresh) return std::unexpected(OAuth(500, "server_error", fresh.error().message));
  if (!*fresh) {
    return std::unexpected(
        OAuth(401, "invalid_client", "the client assertion was already used (jti replay)"));
  }
  const int64_t exp = UnixSeconds(impl_->clock.Now()) + kAgencyTokenLifetime.count();
  return IssuedToken{impl_->MintToken(verified->client_id, scope, exp),
                     kAgencyTokenLifetime.count(), ScopeString(scope)};
}

std::optional<TokenIdentity> Members::AuthenticateToken(std::string_view token) const {
  auto id = impl_->CheckToken(token);
  if (!id) return std::nullopt;
  auto snap = impl_->Current();
  auto it = snap->clients.find(id->client_id);
  if (it == snap->clients.end() || !it->second.usable) return std::nullopt;
  return id;
}

std::expected<Grant, Denial> Members::Admit(std::string_view client_id, OperationSet scope,
                                            Operation op) {
  auto snap = impl_->Current();
  auto it = snap->clients.find(client_id);
  auto forbidden = [&](std::string why) {
    return std::unexpected(Denial{Error{"auth.forbidden", std::move(why), ""}, 0});
  };
  if (it == snap->clients.end() || !it->second.usable) {
    return forbidden("the agency client is disabled or unknown");
  }
  const auto& policy = it->second.info.policy;
  if (!policy->Allows(op)) {
    return forbidden("the policy of " + std::string(client_id) + " does not allow " +
                     std::string(ToString(op)));
  }
  if ((scope & Bit(op)) == 0) {
    return forbidden("the access token's scope does not include " + std::string(ToString(op)));
  }
  auto d = impl_->limiter.Take(client_id, policy->rate_limit, policy->daily_quota);
  if (d.verdict == RateLimiter::Verdict::kRateLimited) {
    return std::unexpected(Denial{
        Error{"policy.rate_limited",
              "the client's rate limit is " + std::to_string(policy->rate_limit) + " requests/s", ""},
        d.retry_after_seconds});
  }
  if (d.verdict == RateLimiter::Verdict::kQuotaExhausted) {
    return std::unexpected(Denial{
        Error{"policy.quota_exhausted",
              "the client's daily quota of " + std::to_string(policy->daily_quota) +
                  " requests is spent until midnight UTC",
              ""},
        d.retry_after_seconds});
  }
  return Grant{false, it->second.info.agency, it->second.info.client_id, policy};
}

std::optional<Grant> Members::CurrentGrant(std::string_view client_id) const {
  auto snap = impl_->Current();
  auto it = snap->clients.find(client_id);
  if (it == snap->clients.end() || !it->second.usable) return std::nullopt;
  return Grant{false, it->second.info.agency, it->second.info.client_id, it->second.info.policy};
}

std::vector<Grant> Members::AgencyGrants(std::string_view agency) const {
  std::vector<Grant> out;
  for (const auto& [id, e] : impl_->Current()->clients) {
    if (e.usable && e.info.agency == agency) out.push_back(Grant{false, e.info.agency, id, e.info.policy});
  }
  return out;
}

std::string Members::AgencyToken(std::string_view agency, const CitizenId& id) const {
  // K_a = HMAC(pseudonym key, agency); token = HMAC(K_a, id).
  auto agency_key = crypto::HmacSha256(impl_->pseudonym_key, agency);
  auto mac = crypto::HmacSha256(crypto::AsBytes(agency_key), id.ToString());
  return "pt_" + crypto::Base64UrlEncode(crypto::AsBytes(mac));
}

}  // namespace dancu::hub
