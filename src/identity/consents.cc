#include "identity/consents.h"

#include <algorithm>

#include "identity/clients.h"

namespace dancu::identity {

Consents::Consents(std::unique_ptr<storage::Connection> conn, const Clock& clock)
    : clock_(clock), conn_(std::move(conn)) {}
Consents::~Consents() = default;

Result<std::unique_ptr<Consents>> Consents::Open(storage::Database& db, const Clock& clock) {
  auto conn = db.Connect();
  if (!conn) return std::unexpected(conn.error());
  return std::unique_ptr<Consents>(new Consents(std::move(*conn), clock));
}

std::string Consents::CacheKey(int64_t account_id, std::string_view client_id) {
  std::string key = std::to_string(account_id);
  key += '|';
  key += client_id;
  return key;
}

void Consents::Remember(std::string key, std::vector<std::string> scopes) const {
  std::unique_lock w(cache_mu_);
  if (cache_.size() >= kCacheLimit) cache_.clear();
  cache_[std::move(key)] = std::move(scopes);
}

Result<std::vector<std::string>> Consents::GrantedLocked(int64_t account_id,
                                                         std::string_view client_id) const {
  auto& st = conn_->Cached("SELECT scopes FROM consents WHERE account_id = ? AND client_id = ?");
  st.BindInt(1, account_id);
  st.BindText(2, client_id);
  std::vector<std::string> scopes;
  auto s = st.ForEachRow([&] { scopes = SplitSpaces(st.Text(0)); });
  if (!s) return std::unexpected(s.error());
  return scopes;
}

Status Consents::Grant(int64_t account_id, std::string_view client_id,
                       const std::vector<std::string>& scopes) {
  std::lock_guard lock(mu_);
  auto tx = storage::Transaction::Begin(*conn_);
  if (!tx) return std::unexpected(tx.error());
  auto granted = GrantedLocked(account_id, client_id);
  if (!granted) return std::unexpected(granted.error());
  for (const auto& s : scopes) {
    if (std::find(granted->begin(), granted->end(), s) == granted->end()) granted->push_back(s);
  }
  auto& st = conn_->Cached(
      "INSERT INTO consents (account_id, client_id, scopes, granted_at) VALUES (?,?,?,?) "
      "ON CONFLICT (account_id, client_id) DO UPDATE SET scopes = excluded.scopes, "
      "granted_at = excluded.granted_at");
  std::string text = JoinSpaces(*granted);
  st.BindInt(1, account_id);
  st.BindText(2, client_id);
  st.BindText(3, text);
  st.BindInt(4, clock_.Now().time_since_epoch().count());
  if (auto s = st.Run(); !s) return s;
  if (auto s = tx->Commit(); !s) return s;
  Remember(CacheKey(account_id, client_id), std::move(*granted));
  return {};
}

Result<bool> Consents::Covers(int64_t account_id, std::string_view client_id,
                              const std::vector<std::string>& scopes) const {
  auto covers = [&](const std::vector<std::string>& granted) {
    if (granted.empty()) return false;
    for (const auto& s : scopes) {
      if (std::find(granted.begin(), granted.end(), s) == granted.end()) return false;
    }
    return true;
  };
  std::string key = CacheKey(account_id, client_id);
  {
    std::shared_lock r(cache_mu_);
    if (auto it = cache_.find(key); it != cache_.end()) return covers(it->second);
  }
  std::lock_guard lock(mu_);
  auto granted = GrantedLocked(account_id, client_id);
  if (!granted) return std::unexpected(granted.error());
  bool result = covers(*granted);
  Remember(std::move(key), std::move(*granted));
  return result;
}

Result<std::vector<Consent>> Consents::List(int64_t account_id) const {
  std::lock_guard lock(mu_);
  std::vector<Consent> out;
  auto& st = conn_->Cached(
      "SELECT client_id, scopes, granted_at FROM consents WHERE account_id = ? "
      "ORDER BY granted_at DESC");
  st.BindInt(1, account_id);
  auto s = st.ForEachRow([&] {
    out.push_back(Consent{std::string(st.Text(0)), SplitSpaces(st.Text(1)),
                          Timestamp{std::chrono::microseconds{st.Int(2)}}});
  });
  if (!s) return std::unexpected(s.error());
  return out;
}

Status Consents::Revoke(int64_t account_id, std::string_view client_id) {
  std::lock_guard lock(mu_);
  auto tx = storage::Transaction::Begin(*conn_);
  if (!tx) return std::unexpected(tx.error());
  auto& del = conn_->Cached("DELETE FROM consents WHERE account_id = ? AND client_id = ?");
  del.BindInt(1, account_id);
  del.BindText(2, client_id);
  if (auto s = del.Run(); !s) return s;
  auto& rt = conn_->Cached(
      "UPDATE refresh_tokens SET revoked = 1 WHERE account_id = ? AND client_id = ?");
  rt.BindInt(1, account_id);
  rt.BindText(2, client_id);
  if (auto s = rt.Run(); !s) return s;
  if (auto s = tx->Commit(); !s) return s;
  Remember(CacheKey(account_id, client_id), {});
  return {};
}

}  // namespace dancu::identity
