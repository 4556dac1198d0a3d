#include "identity/token_store.h"

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/random_token.h"
#include "identity/clients.h"

namespace dancu::identity {
namespace {

std::string HashToken(std::string_view token) {
  return crypto::HexEncode(crypto::AsBytes(crypto::Sha256(token)));
}

constexpr std::string_view kRefreshColumns =
    "family, client_id, account_id, citizen_id, scopes, acr_level, amr, auth_time, expires_at, "
    "used, revoked";

RefreshGrant ReadGrant(const storage::Statement& st) {
  RefreshGrant g;
  g.family = std::string(st.Text(0));
  g.client_id = std::string(st.Text(1));
  g.account_id = st.Int(2);
  if (auto id = CitizenId::Parse(st.Text(3))) g.citizen_id = *id;
  g.scopes = SplitSpaces(st.Text(4));
  g.level = static_cast<int>(st.Int(5));
  g.amr = SplitSpaces(st.Text(6));
  g.auth_time = st.Int(7);
  g.expires_at = st.Int(8);
  return g;
}

}  // namespace

TokenStore::TokenStore(std::unique_ptr<storage::Connection> conn, const Clock& clock)
    : clock_(clock), conn_(std::move(conn)) {}
TokenStore::~TokenStore() = default;

int64_t TokenStore::NowSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
}

Result<std::unique_ptr<TokenStore>> TokenStore::Open(storage::Database& db, const Clock& clock) {
  auto conn = db.Connect();
  if (!conn) return std::unexpected(conn.error());
  std::unique_ptr<TokenStore> t(new TokenStore(std::move(*conn), clock));
  int64_t now = t->NowSeconds();
  // Forget what can no longer matter, then load the live revocations.
  for (std::string_view sql : {"DELETE FROM revoked_tokens WHERE expires_at < ?",
                               "DELETE FROM used_assertions WHERE expires_at < ?",
                               "DELETE FROM refresh_tokens WHERE expires_at < ?"}) {
    auto& st = t->conn_->Cached(sql);
    st.BindInt(1, now);
    if (auto s = st.Run(); !s) return std::unexpected(s.error());
  }
  auto& st = t->conn_->Cached("SELECT jti, expires_at FROM revoked_tokens");
  auto s = st.ForEachRow([&] { t->revoked_.emplace(std::string(st.Text(0)), st.Int(1)); });
  if (!s) return std::unexpected(s.error());
  return t;
}

Result<std::string> TokenStore::InsertLocked(const RefreshGrant& g) {
  std::string token = "dancu_rt_" + crypto::RandomToken(32);
  std::string hash = HashToken(token);
  std::string citizen = g.citizen_id.ToString();
  std::string scopes = JoinSpaces(g.scopes);
  std::string amr = JoinSpaces(g.amr);
  auto& st = conn_->Cached(
      "INSERT INTO refresh_tokens (token_hash, family, client_id, account_id, citizen_id, scopes, "
      "acr_level, amr, auth_time, issued_at, expires_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
  st.BindText(1, hash);
  st.BindText(2, g.family);
  st.BindText(3, g.client_id);
  st.BindInt(4, g.account_id);
  st.BindText(5, citizen);
  st.BindText(6, scopes);
  st.BindInt(7, g.level);
  st.BindText(8, amr);
  st.BindInt(9, g.auth_time);
  st.BindInt(10, NowSeconds());
  st.BindInt(11, g.expires_at);
  if (auto s = st.Run(); !s) return std::unexpected(s.error());
  return token;
}

Result<std::string> TokenStore::IssueRefresh(RefreshGrant& grant) {
  grant.family = crypto::RandomToken(16);
  grant.expires_at = NowSeconds() + std::chrono::duration_cast<std::chrono::seconds>(
                                        kRefreshLifetime).count();
  std::lock_guard lock(mu_);
  auto tx = storage::Transaction::Begin(*conn_);
  if (!tx) return std::unexpected(tx.error());
  auto token = InsertLocked(grant);
  if (!token) return token;
  if (auto s = tx->Commit(); !s) return std::unexpected(s.error());
  return token;
}

Result<std::pair<RefreshGrant, std::string>> TokenStore::RotateRefresh(
    std::string_view token, std::string_view client_id) {
  std::string hash = HashToken(token);
  int64_t now = NowSeconds();
  std::lock_guard lock(mu_);
  auto tx = storage::Transaction::Begin(*conn_);
  if (!tx) return std::unexpected(tx.error());
  auto& st = conn_->Cached(std::string("SELECT ") + std::string(kRefreshColumns) +
                           " FROM refresh_tokens WHERE token_hash = ?");
  st.BindText(1, hash);
  std::optional<RefreshGrant> grant;
  bool used = false, revoked = false;
  auto s = st.ForEachRow([&] {
    grant = ReadGrant(st);
    used = st.Int(9) != 0;
    revoked = st.Int(10) != 0;
  });
  if (!s) return std::unexpected(s.error());
  auto invalid = [] {
    return Fail("token.refresh_invalid", "the refresh token is unknown, expired or revoked");
  };
  if (!grant || grant->client_id != client_id) return invalid();
  if (revoked || grant->expires_at <= now) return invalid();
  if (used) {
    auto& rev = conn_->Cached("UPDATE refresh_tokens SET revoked = 1 WHERE family = ?");
    rev.BindText(1, grant->family);
    if (auto r = rev.Run(); !r) return std::unexpected(r.error());
    if (auto c = tx->Commit(); !c) return std::unexpected(c.error());
    return Fail("token.refresh_reused",
                "the refresh token was already used; every token of its grant is revoked");
  }
  auto& mark = conn_->Cached("UPDATE refresh_tokens SET used = 1 WHERE token_hash = ?");
  mark.BindText(1, hash);
  if (auto r = mark.Run(); !r) return std::unexpected(r.error());
  auto next = InsertLocked(*grant);
  if (!next) return std::unexpected(next.error());
  if (auto c = tx->Commit(); !c) return std::unexpected(c.error());
  return std::pair{std::move(*grant), std::move(*next)};
}

Result<std::optional<RefreshGrant>> TokenStore::FindRefresh(std::string_view token) const {
  std::string hash = HashToken(token);
  int64_t now = NowSeconds();
  std::lock_guard lock(mu_);
  auto& st = conn_->Cached(std::string("SELECT ") + std::string(kRefreshColumns) +
                           " FROM refresh_tokens WHERE token_hash = ?");
  st.BindText(1, hash);
  std::optional<RefreshGrant> out;
  auto s = st.ForEachRow([&] {
    if (st.Int(9) == 0 && st.Int(10) == 0 && st.Int(8) > now) out = ReadGrant(st);
  });
  if (!s) return std::unexpected(s.error());
  return out;
}

Status TokenStore::RevokeRefresh(std::string_view token, std::string_view client_id) {
  std::string hash = HashToken(token);
  std::lock_guard lock(mu_);
  auto& st = conn_->Cached(
      "UPDATE refresh_tokens SET revoked = 1 WHERE family = "
      "(SELECT family FROM refresh_tokens WHERE token_hash = ? AND client_id = ?)");
  st.BindText(1, hash);
  st.BindText(2, client_id);
  return st.Run();
}

Status TokenStore::RevokeFamily(std::string_view family) {
  std::lock_guard lock(mu_);
  auto& st = conn_->Cached("UPDATE refresh_tokens SET revoked = 1 WHERE family = ?");
  st.BindText(1, family);
  return st.Run();
}

Status TokenStore::RevokeAccount(int64_t account_id) {
  std::lock_guard lock(mu_);
  auto& st = conn_->Cached("UPDATE refresh_tokens SET revoked = 1 WHERE account_id = ?");
  st.BindInt(1, account_id);
  return st.Run();
}

Status TokenStore::RevokeAccessToken(std::string_view jti, int64_t expires_at) {
  {
    std::lock_guard lock(mu_);
    auto& st = conn_->Cached(
        "INSERT INTO revoked_tokens (jti, expires_at) VALUES (?, ?) ON CONFLICT (jti) DO NOTHING");
    st.BindText(1, jti);
    st.BindInt(2, expires_at);
    if (auto s = st.Run(); !s) return s;
  }
  int64_t now = NowSeconds();
  std::unique_lock w(revoked_mu_);
  std::erase_if(revoked_, [now](const auto& kv) { return kv.second < now; });
  revoked_.emplace(std::string(jti), expires_at);
  return {};
}

bool TokenStore::IsAccessTokenRevoked(std::string_view jti) const {
  std::shared_lock r(revoked_mu_);
  return revoked_.contains(std::string(jti));
}

Result<bool> TokenStore::UseAssertion(std::string_view client_id, std::string_view jti,
                                      int64_t expires_at) {
  std::lock_guard lock(mu_);
  if (++assertions_since_prune_ >= 1000) {
    // Forget the ids of assertions that have expired (they cannot be
    // replayed any more), now and then rather than on every request.
    assertions_since_prune_ = 0;
    auto& prune = conn_->Cached("DELETE FROM used_assertions WHERE expires_at < ?");
    prune.BindInt(1, NowSeconds());
    if (auto s = prune.Run(); !s) return std::unexpected(s.error());
  }
  auto& st = conn_->Cached(
      "INSERT INTO used_assertions (client_id, jti, expires_at) VALUES (?,?,?) "
      "ON CONFLICT (client_id, jti) DO NOTHING RETURNING jti");
  st.BindText(1, client_id);
  st.BindText(2, jti);
  st.BindInt(3, expires_at);
  auto row = st.Step();
  st.Reset();
  if (!row) return std::unexpected(row.error());
  return *row;
}

}  // namespace dancu::identity
