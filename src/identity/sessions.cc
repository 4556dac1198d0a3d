#include "identity/sessions.h"

#include <spdlog/spdlog.h>

#include "crypto/random_token.h"
#include "identity/identity_db.h"

namespace dancu::identity {
namespace {

std::string JoinAmr(const std::vector<std::string>& amr) {
  std::string out;
  for (const std::string& m : amr) {
    if (!out.empty()) out += ' ';
    out += m;
  }
  return out;
}

std::vector<std::string> SplitAmr(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t sp = text.find(' ');
    out.emplace_back(text.substr(0, sp));
    if (sp == std::string_view::npos) break;
    text.remove_prefix(sp + 1);
  }
  return out;
}

std::chrono::microseconds IdleLimit(Level level) {
  return level == Level::kTwo ? std::chrono::microseconds(kLevel2Idle)
                              : std::chrono::microseconds(kLevel1Idle);
}

}  // namespace

Timestamp Session::expires_at() const {
  return std::min(created_at + std::chrono::microseconds(kSessionAbsolute),
                  last_seen_at + IdleLimit(level));
}

Result<std::unique_ptr<Sessions>> Sessions::Open(storage::Database& db, const Clock& clock) {
  auto conn = db.Connect();
  if (!conn) return std::unexpected(conn.error());
  return std::unique_ptr<Sessions>(new Sessions(std::move(*conn), clock));
}

Result<Session> Sessions::Create(const Account& account, Level authenticated_level,
                                 std::vector<std::string> amr) {
  Session s;
  s.id = crypto::RandomToken(32);
  s.account_id = account.id;
  s.citizen_id = account.citizen_id;
  s.level = authenticated_level;
  s.auth_time = s.created_at = s.last_seen_at = clock_.Now();
  s.amr = std::move(amr);
  const std::string hash = TokenHash(s.id);
  const std::string amr_text = JoinAmr(s.amr);
  std::lock_guard lock(mu_);
  auto tx = storage::Transaction::Begin(*conn_);
  if (!tx) return std::unexpected(tx.error());
  // Sessions past their absolute limit that nobody came back for.
  auto& purge = conn_->Cached("DELETE FROM sessions WHERE created_us <= ?");
  purge.BindInt(1, Micros(s.created_at - std::chrono::microseconds(kSessionAbsolute)));
  if (auto r = purge.Run(); !r) return std::unexpected(r.error());
  auto& st = conn_->Cached(
      "INSERT INTO sessions (id_hash, account_id, level, amr, auth_time_us, created_us, "
      "last_seen_us) VALUES (?, ?, ?, ?, ?, ?, ?)");
  st.BindText(1, hash);
  st.BindInt(2, s.account_id);
  st.BindInt(3, static_cast<int>(s.level));
  st.BindText(4, amr_text);
  st.BindInt(5, Micros(s.auth_time));
  st.BindInt(6, Micros(s.created_at));
  st.BindInt(7, Micros(s.last_seen_at));
  if (auto r = st.Run(); !r) return std::unexpected(r.error());
  if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
  return s;
}

std::optional<Session> Sessions::Find(std::string_view id) {
  if (id.empty() || id.size() > 128) return std::nullopt;
  const std::string hash = TokenHash(id);
  const Timestamp now = clock_.Now();
  std::lock_guard lock(mu_);
  auto& st = conn_->Cached(
      "SELECT account_id, level, amr, auth_time_us, created_us, last_seen_us FROM sessions "
      "WHERE id_hash = ?");
  st.BindText(1, hash);
  auto row = st.Step();
  if (!row) {
    spdlog::warn("identity: reading a session failed: {} ({})", row.error().message,
                 row.error().code);
    st.Reset();
    return std::nullopt;
  }
  if (!*row) return std::nullopt;
  Session s;
  s.id = std::string(id);
  s.account_id = st.Int(0);
  s.level = st.Int(1) == 2 ? Level::kTwo : Level::kOne;
  s.amr = SplitAmr(st.Text(2));
  s.auth_time = FromMicros(st.Int(3));
  s.created_at = FromMicros(st.Int(4));
  s.last_seen_at = FromMicros(st.Int(5));
  st.Reset();
  auto cid = CitizenId::FromNumber(s.account_id);
  if (cid) s.citizen_id = *cid;

  if (now >= s.expires_at() || !cid) {
    auto& del = conn_->Cached("DELETE FROM sessions WHERE id_hash = ?");
    del.BindText(1, hash);
    (void)del.Run();
    return std::nullopt;
  }
  if (now - s.last_seen_at >= kTouchInterval) {
    auto& touch = conn_->Cached("UPDATE sessions SET last_seen_us = ? WHERE id_hash = ?");
    touch.BindInt(1, Micros(now));
    touch.BindText(2, hash);
    if (auto r = touch.Run(); r) s.last_seen_at = now;
  }
  return s;
}

Status Sessions::Revoke(std::string_view id) {
  const std::string hash = TokenHash(id);
  std::lock_guard lock(mu_);
  auto& st = conn_->Cached("DELETE FROM sessions WHERE id_hash = ?");
  st.BindText(1, hash);
  return st.Run();
}

Status Sessions::RevokeAll(int64_t account_id) {
  std::lock_guard lock(mu_);
  auto& st = conn_->Cached("DELETE FROM sessions WHERE account_id = ?");
  st.BindInt(1, account_id);
  return st.Run();
}

Result<int64_t> Sessions::Count(int64_t account_id) {
  const int64_t now = Micros(clock_.Now());
  const int64_t absolute = std::chrono::microseconds(kSessionAbsolute).count();
  std::lock_guard lock(mu_);
  auto& st = conn_->Cached(
      "SELECT COUNT(*) FROM sessions WHERE account_id = ? AND created_us > ?");
  st.BindInt(1, account_id);
  st.BindInt(2, now - absolute);
  auto row = st.Step();
  if (!row) return std::unexpected(row.error());
  int64_t n = *row ? st.Int(0) : 0;
  st.Reset();
  return n;
}

}  // namespace dancu::identity
