// Sessions: signed-in browsers. A session id is 256 random bits
// (crypto/random_token.h) handed to the browser in the `dancu_session`
// cookie; identity.db stores only its SHA-256, so a copy of the database
// cannot be replayed as cookies.
//
// Lifetimes (issue 4; NIST SP 800-63B §7.2 for AAL2):
//  - level 2: 30 minutes idle, 12 hours absolute;
//  - level 1: 2 hours idle, 12 hours absolute (AAL1 allows 30 days; a
//    shorter idle limit keeps a forgotten public computer's session short).
// Idle time is measured from the last Find; Find writes last_seen only when
// it is at least kTouchInterval old, so a busy session costs one write a
// minute, not one per request (idle expiry is therefore exact to a minute).
// An expired session is deleted when found, and Create deletes the sessions
// past the absolute limit.
//
// A session belongs to an account that was neither locked nor disabled when
// it was made; locking and disabling call RevokeAll (accounts.h), so Find
// never returns a session of a locked or disabled account.
//
// Errors: storage.* only (Find treats a storage failure as "no session" and
// logs it: a sign-in page is the safe answer).
// Thread safety: every method may be called from any thread (one connection
// behind a mutex).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/citizen_id.h"
#include "core/clock.h"
#include "core/error.h"
#include "identity/account.h"
#include "storage/database.h"

namespace dancu::identity {

inline constexpr std::chrono::minutes kLevel2Idle{30};
inline constexpr std::chrono::hours kLevel1Idle{2};
inline constexpr std::chrono::hours kSessionAbsolute{12};
inline constexpr std::chrono::minutes kTouchInterval{1};

struct Session {
  std::string id;  // the secret cookie value (only known at Create and to Find's caller)
  int64_t account_id = 0;
  CitizenId citizen_id;
  Level level = Level::kOne;         // the level this session was authenticated at
  Timestamp auth_time;               // when the citizen last proved who they are
  std::vector<std::string> amr;      // "pwd", "otp"
  Timestamp created_at, last_seen_at;
  Timestamp expires_at() const;      // the earlier of the idle and absolute limits
};

class Sessions {
 public:
  static Result<std::unique_ptr<Sessions>> Open(storage::Database& db, const Clock& clock);

  Result<Session> Create(const Account& account, Level authenticated_level,
                         std::vector<std::string> amr);
  // The live session with this id, touched; nullopt if unknown or expired.
  std::optional<Session> Find(std::string_view id);
  Status Revoke(std::string_view id);
  // Every session of the account ("sign out everywhere", lock, death).
  Status RevokeAll(int64_t account_id);
  // The number of live sessions of an account (the account page shows it).
  Result<int64_t> Count(int64_t account_id);

 private:
  Sessions(std::unique_ptr<storage::Connection> conn, const Clock& clock)
      : conn_(std::move(conn)), clock_(clock) {}
  std::mutex mu_;
  std::unique_ptr<storage::Connection> conn_;  // guarded by mu_
  const Clock& clock_;
};

}  // namespace dancu::identity
