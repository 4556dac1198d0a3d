// Account: a citizen's electronic identity account, as the identity domain
// returns it (accounts.h is the front door that reads and changes them).
//
// Level 1 is self-registered (register data + possession of the phone:
// NIST IAL1/AAL1); level 2 was upgraded in person by an officer and signs in
// with a password and a TOTP code (IAL2/AAL2).
//
// Thread safety: value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/citizen_id.h"
#include "core/clock.h"

namespace dancu::identity {

enum class Level { kOne = 1, kTwo = 2 };

struct Account {
  int64_t id = 0;  // the citizen id's number: one account per citizen
  CitizenId citizen_id;
  std::string phone;  // E.164, "+84..."
  Level level = Level::kOne;
  bool locked = false;    // by the citizen
  bool disabled = false;  // death in the register (or an administrator)
  std::string disabled_reason;  // "death", ...
  Timestamp created_at;
};

// One sign-in attempt in an account's history.
struct SignInRecord {
  Timestamp at;
  std::string ip;
  std::string outcome;  // "success", "bad_password", "bad_otp", "otp_replayed", "throttled",
                        // "locked", "disabled", "password_ok" (waiting for the TOTP step)
  std::string method;   // "pwd", "otp", "pwd+otp"
  std::string client;   // the relying party's client_id, or "" for dancu's own pages
};

// Who is signing in, for throttling and the history.
struct AttemptContext {
  std::string ip;
  std::string client;  // client_id of the relying party, if any
};

}  // namespace dancu::identity
