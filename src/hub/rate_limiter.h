// RateLimiter: the rate limit and daily quota of the policy gate
// (hub/members.h Admit; issue 5: "a rate limit and a daily quota", answered
// with 429 and Retry-After).
//
// Per key (an agency client): a token bucket of `rate` tokens per second
// holding at most max(1, rate) tokens (a burst of one second's worth), and a
// counter of the requests of the current UTC day (by the injected Clock),
// reset at midnight UTC. Take() spends one request from both or refuses:
//   kRateLimited    the bucket is empty; retry_after = seconds until a token
//   kQuotaExhausted the day's quota is spent; retry_after = seconds to midnight
// Limits are read at every call, so a policy change applies to the next
// request. Counters live in memory: a restart refills the buckets and
// forgets today's count (documented in docs/architecture.md); one server
// process enforces its own share.
//
// Thread safety: Take may be called from any thread (a mutex per shard).
#pragma once

#include <array>
#include <functional>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"

namespace dancu::hub {

class RateLimiter {
 public:
  enum class Verdict { kAllowed, kRateLimited, kQuotaExhausted };
  struct Decision {
    Verdict verdict = Verdict::kAllowed;
    int64_t retry_after_seconds = 0;
  };

  explicit RateLimiter(const Clock& clock) : clock_(clock) {}

  Decision Take(std::string_view key, double rate_per_second, int64_t daily_quota);

 private:
  struct Bucket {
    double tokens = -1;  // < 0: not yet filled
    int64_t last_us = 0;
    int64_t day = -1;
    int64_t used_today = 0;
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Bucket, Hash, std::equal_to<>> buckets;
  };
  const Clock& clock_;
  std::array<Shard, 16> shards_;
};

}  // namespace dancu::hub
