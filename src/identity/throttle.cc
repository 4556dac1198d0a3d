#include "identity/throttle.h"

#include <algorithm>

#include "identity/identity_db.h"

namespace dancu::identity {
namespace {

constexpr int64_t kHourUs = 3600LL * 1000000;
constexpr int64_t kSecondUs = 1000000;
constexpr std::string_view kThrottledMessage = "too many failed attempts; try again in ";

std::chrono::seconds CeilSeconds(int64_t us) {
  return std::chrono::seconds((us + kSecondUs - 1) / kSecondUs);
}

}  // namespace

Result<std::unique_ptr<Throttle>> Throttle::Open(storage::Database& db, const Clock& clock) {
  auto conn = db.Connect();
  if (!conn) return std::unexpected(conn.error());
  return std::unique_ptr<Throttle>(new Throttle(std::move(*conn), clock));
}

Result<std::chrono::seconds> Throttle::RetryAfter(std::string_view key,
                                                  const ThrottlePolicy& policy) {
  const int64_t now = Micros(clock_.Now());
  std::lock_guard lock(mu_);
  auto& st = conn_->Cached(
      "SELECT hour_start_us, hour_failures, blocked_until_us FROM throttle WHERE key = ?");
  st.BindText(1, key);
  auto row = st.Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::chrono::seconds(0);
  const int64_t hour_start = st.Int(0), hour_failures = st.Int(1), blocked_until = st.Int(2);
  st.Reset();
  int64_t until = blocked_until;
  if (hour_failures >= policy.hourly_cap && now < hour_start + kHourUs) {
    until = std::max(until, hour_start + kHourUs);
  }
  return until > now ? CeilSeconds(until - now) : std::chrono::seconds(0);
}

Status Throttle::Check(std::string_view key, const ThrottlePolicy& policy) {
  auto wait = RetryAfter(key, policy);
  if (!wait) return std::unexpected(wait.error());
  if (wait->count() > 0) return std::unexpected(ThrottledError(*wait));
  return {};
}

Status Throttle::RecordFailure(std::string_view key, const ThrottlePolicy& policy) {
  const int64_t now = Micros(clock_.Now());
  std::lock_guard lock(mu_);
  auto tx = storage::Transaction::Begin(*conn_);
  if (!tx) return std::unexpected(tx.error());
  int64_t failures = 0, hour_start = now, hour_failures = 0;
  {
    auto& st = conn_->Cached(
        "SELECT failures, hour_start_us, hour_failures FROM throttle WHERE key = ?");
    st.BindText(1, key);
    auto row = st.Step();
    if (!row) return std::unexpected(row.error());
    if (*row) {
      failures = st.Int(0);
      hour_start = st.Int(1);
      hour_failures = st.Int(2);
    }
    st.Reset();
  }
  if (now >= hour_start + kHourUs) {
    hour_start = now;
    hour_failures = 0;
  }
  ++failures;
  ++hour_failures;
  int64_t blocked_until = 0;
  if (failures >= policy.free_failures) {
    const int64_t exponent = std::min<int64_t>(failures - policy.free_failures, 30);
    const int64_t delay_s = std::min<int64_t>(int64_t{1} << exponent, policy.max_delay.count());
    blocked_until = now + delay_s * kSecondUs;
  }
  auto& up = conn_->Cached(
      "INSERT INTO throttle (key, failures, hour_start_us, hour_failures, blocked_until_us) "
      "VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, "
      "hour_start_us = excluded.hour_start_us, hour_failures = excluded.hour_failures, "
      "blocked_until_us = excluded.blocked_until_us");
  up.BindText(1, key);
  up.BindInt(2, failures);
  up.BindInt(3, hour_start);
  up.BindInt(4, hour_failures);
  up.BindInt(5, blocked_until);
  if (auto s = up.Run(); !s) return s;
  // Keys quiet for a day are forgotten (their last failure was more than 23
  // hours ago), so unknown ids and passing IPs do not pile up.
  auto& purge = conn_->Cached("DELETE FROM throttle WHERE hour_start_us < ?");
  purge.BindInt(1, now - 24 * kHourUs);
  if (auto s = purge.Run(); !s) return s;
  return tx->Commit();
}

Status Throttle::RecordSuccess(std::string_view key) {
  std::lock_guard lock(mu_);
  auto& st = conn_->Cached(
      "UPDATE throttle SET failures = 0, blocked_until_us = 0 WHERE key = ?");
  st.BindText(1, key);
  return st.Run();
}

Error ThrottledError(std::chrono::seconds retry_after) {
  const int64_t s = std::max<int64_t>(retry_after.count(), 1);
  return Error{"identity.throttled",
               std::string(kThrottledMessage) + std::to_string(s) + " s", {}};
}

std::chrono::seconds RetryAfterOf(const Error& e) {
  if (e.code != "identity.throttled" || !e.message.starts_with(kThrottledMessage)) return {};
  int64_t s = 0;
  for (char c : std::string_view(e.message).substr(kThrottledMessage.size())) {
    if (c < '0' || c > '9') break;
    s = s * 10 + (c - '0');
  }
  return std::chrono::seconds(s);
}

}  // namespace dancu::identity
