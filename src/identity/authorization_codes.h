// AuthorizationCodes: the provider's authorization codes (RFC 6749 §4.1.2),
// held in the serving process's memory.
//
// Why memory, not oidc.db: a code lives at most 60 seconds and is used once.
// A durable commit per code (SQLite WAL with synchronous=FULL: ~2,800
// commits/s on the reference machine) would cap sign-ins below the issue's
// 1,500 complete flows/s once the token side writes too. Losing the codes in
// a restart only makes the relying parties that were mid-flow start the
// sign-in again (invalid_grant), which they must handle anyway. The price:
// one provider process per deployment (several processes behind a balancer
// would need a shared store).
//
// Contract:
//  - Issue stores a code record and returns the code: 256 random bits,
//    base64url (43 characters). The map is keyed by its SHA-256, so a memory
//    dump taken later does not hold usable codes.
//  - Redeem(code, now) returns the record the first time, within the
//    lifetime (kAuthorizationCodeLifetime, 60 s), and marks it used; the caller then
//    Attach()es the tokens it issued. A second Redeem of the same code
//    returns CodeReuse with those tokens (so the caller revokes them, RFC
//    6749 §4.1.2) and the code stays dead. A used code is remembered until
//    its own 60 s end; after that it is unknown like any other string.
//  - Checks of client, redirect_uri and PKCE are the caller's (the provider):
//    the record holds what it needs.
//
// Thread safety: every method may be called from any thread (one mutex; the
// critical sections are a hash-map lookup).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "core/citizen_id.h"
#include "core/clock.h"

namespace dancu::identity {

inline constexpr std::chrono::seconds kAuthorizationCodeLifetime{60};

// Who signed in, as the session says, at the moment the code is issued.
struct Authentication {
  int64_t account_id = 0;
  CitizenId citizen_id;
  int level = 1;                  // 1 or 2: the level of this authentication
  Timestamp auth_time;
  std::vector<std::string> amr;   // "pwd", "otp", "sms"
};

struct CodeRecord {
  std::string client_id;
  std::string redirect_uri;
  std::string code_challenge;  // S256
  std::string nonce;           // may be empty
  std::vector<std::string> scopes;
  Authentication auth;
  Timestamp issued_at;
};

struct IssuedFromCode {
  std::string access_jti;
  int64_t access_expires_at = 0;  // Unix seconds
  std::string refresh_family;     // empty when no refresh token was issued
};

struct CodeReuse {
  std::optional<IssuedFromCode> issued;  // nullopt if the first exchange failed
};

class AuthorizationCodes {
 public:
  explicit AuthorizationCodes(const Clock& clock) : clock_(clock) {}

  std::string Issue(CodeRecord record);
  // The record (first use), CodeReuse (a used code), or std::monostate
  // (unknown or expired).
  std::variant<std::monostate, CodeRecord, CodeReuse> Redeem(std::string_view code);
  // Records the tokens issued for a redeemed code. Returns false when the
  // code was presented again while they were being made: the caller revokes
  // them and answers invalid_grant as for any reuse.
  bool Attach(std::string_view code, IssuedFromCode issued);

  size_t size() const;  // live entries, for tests and metrics

 private:
  struct Entry {
    CodeRecord record;  // cleared once used
    bool used = false;
    bool reused = false;
    std::optional<IssuedFromCode> issued;
    Timestamp expires_at;
  };
  void PruneLocked(Timestamp now);

  const Clock& clock_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;   // by SHA-256 of the code
  std::deque<std::pair<Timestamp, std::string>> expiry_;  // issue order = expiry order
};

}  // namespace dancu::identity
