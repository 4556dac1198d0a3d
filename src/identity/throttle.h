// Throttle: growing delays after failed sign-ins, per key (an account, an
// IP address, an officer), against online password guessing (ASVS 2.2.1).
//
// Per key the table keeps the consecutive failures since the last success
// and the failures in the current hour (a fixed window that starts at the
// first failure after the previous window ended). After the policy's
// `free_failures` consecutive failures, each further failure blocks the key
// for 2^(n - free_failures) seconds (n = consecutive failures, counted from
// 1), capped at `max_delay`: with the account policy the 5th failure blocks
// 1 s, the 6th 2 s, ..., the 15th 1024 s -> 15 min. Independently, once
// `hourly_cap` failures were counted in the window, the key is blocked
// until the window ends: never more than 100 failures per account per hour,
// whatever the delays. A success (RecordSuccess) clears the consecutive
// count and the delay but not the hour's count.
//
// Check() must come before the password is checked, and a blocked attempt
// is refused without checking it (so it counts for nothing and costs no
// Argon2id). Unknown accounts are throttled like known ones (the key is the
// citizen id typed), so the answers cannot tell them apart.
//
// State lives in identity.db (survives restarts, shared by servers on one
// data directory); a key without a failure for a day is deleted. Time comes
// from the injected Clock.
//
// Errors: identity.throttled from Check (Error.message says when to retry;
// retry_after in the result); storage.* from the database.
// Thread safety: every method may be called from any thread (one connection
// behind a mutex).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/error.h"
#include "storage/database.h"

namespace dancu::identity {

struct ThrottlePolicy {
  int free_failures = 5;
  std::chrono::seconds max_delay{15 * 60};
  int hourly_cap = 100;
};

// Accounts (citizens and officers): 5 free failures, 15 min at most, 100 per hour.
inline constexpr ThrottlePolicy kAccountThrottle{5, std::chrono::seconds(15 * 60), 100};
// One IP address may front many people (a family, an office behind NAT):
// more free failures, the same growth, 1,000 per hour.
inline constexpr ThrottlePolicy kIpThrottle{20, std::chrono::seconds(15 * 60), 1000};

class Throttle {
 public:
  static Result<std::unique_ptr<Throttle>> Open(storage::Database& db, const Clock& clock);

  // Zero when `key` may try now, else how long until it may.
  Result<std::chrono::seconds> RetryAfter(std::string_view key, const ThrottlePolicy& policy);
  // identity.throttled when RetryAfter is positive.
  Status Check(std::string_view key, const ThrottlePolicy& policy);
  Status RecordFailure(std::string_view key, const ThrottlePolicy& policy);
  Status RecordSuccess(std::string_view key);

 private:
  Throttle(std::unique_ptr<storage::Connection> conn, const Clock& clock)
      : conn_(std::move(conn)), clock_(clock) {}
  std::mutex mu_;
  std::unique_ptr<storage::Connection> conn_;  // guarded by mu_
  const Clock& clock_;
};

// The identity.throttled error for a wait of `retry_after` (at least 1 s).
Error ThrottledError(std::chrono::seconds retry_after);
// The wait of a ThrottledError (its message is "... try again in N s"), for
// a Retry-After header; 0 for another error.
std::chrono::seconds RetryAfterOf(const Error& e);

}  // namespace dancu::identity
