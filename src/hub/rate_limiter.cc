#include "hub/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace dancu::hub {

RateLimiter::Decision RateLimiter::Take(std::string_view key, double rate, int64_t daily_quota) {
  constexpr int64_t kDayUs = int64_t{86400} * 1000000;
  if (rate <= 0) return {Verdict::kRateLimited, 86400};  // a policy without a rate allows nothing
  const int64_t now_us = clock_.Now().time_since_epoch().count();
  const int64_t day = now_us / kDayUs;
  Shard& shard = shards_[std::hash<std::string_view>{}(key) % shards_.size()];
  std::lock_guard lock(shard.mu);
  auto it = shard.buckets.find(key);
  if (it == shard.buckets.end()) it = shard.buckets.emplace(std::string(key), Bucket{}).first;
  Bucket& b = it->second;
  const double capacity = std::max(1.0, rate);
  if (b.tokens < 0) {
    b.tokens = capacity;
  } else {
    b.tokens = std::min(capacity, b.tokens + rate * static_cast<double>(now_us - b.last_us) / 1e6);
  }
  b.last_us = now_us;
  if (b.day != day) {
    b.day = day;
    b.used_today = 0;
  }
  if (b.used_today >= daily_quota) {
    int64_t to_midnight_us = (day + 1) * kDayUs - now_us;
    return {Verdict::kQuotaExhausted, std::max<int64_t>(1, (to_midnight_us + 999999) / 1000000)};
  }
  if (b.tokens < 1.0) {
    double wait = (1.0 - b.tokens) / rate;
    return {Verdict::kRateLimited, std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait)))};
  }
  b.tokens -= 1.0;
  ++b.used_today;
  return {};
}

}  // namespace dancu::hub
