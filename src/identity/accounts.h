// Accounts: the front door of citizens' electronic identity accounts
// (issue 4): registration at level 1, password sign-in with a TOTP second
// step at level 2, throttling, lock/unlock, the sign-in history, the
// level-2 upgrade by an officer, minors, and disabling on death.
//
// Registration (level 1, three steps, resumable by a ticket):
//  1. StartRegistration: citizen id, full name, date of birth and phone.
//     The person must be in the register, alive, certainly 14 or older
//     (a partial date of birth counts only if its latest possible day is
//     14 years ago), and the name and date of birth must MATCH with the
//     verification semantics (verify/matching.h: the name equal after
//     folding, the date equal at the same precision). Any failure of these
//     is ONE error, identity.registration_mismatch, that does not say which
//     field (or whether the id exists). Attempts are throttled per citizen
//     id and per IP like sign-ins, so the check is no fast oracle on the
//     register. A random 6-digit code (the injected Random) goes to the
//     phone through SmsSender; the ticket (256 random bits, returned) is
//     stored hashed, and the code as HMAC-SHA256(ticket, code), so a copy of
//     identity.db does not reveal codes. The code lives 10 minutes and
//     allows 5 wrong tries, after which the ticket is void.
//  2. ConfirmCode(ticket, code): identity.code_wrong (tries left in the
//     message), identity.code_expired, identity.code_attempts (5 wrong),
//     identity.ticket_unknown (no such ticket, or already used).
//     Enumeration: whether the citizen already has an account is said only
//     here, after the code proves the phone: identity.already_registered.
//     Before that, step 1 answers the same for a registered and an
//     unregistered citizen (and sends the code), so the form does not tell
//     a stranger who holds an account. The residual oracle is deliberate:
//     someone who knows a citizen's id, name and date of birth and receives
//     SMS on a phone learns, one throttled attempt at a time, that this
//     citizen has an account (a low-value fact; the alternative, silently
//     sending nothing, would leave real citizens who forgot their account
//     with no answer).
//  3. CompleteRegistration(ticket, password): the password policy
//     (identity.password_*), then, in one transaction, the account is
//     created and the ticket deleted; nothing is half-applied (a crash or
//     a failure leaves the ticket as it was). The ticket lives 30 minutes.
//
// Sign-in (SignIn, then VerifySecondFactor for level 2):
//  - Throttled per citizen id (kAccountThrottle) and per IP (kIpThrottle):
//    identity.throttled with the wait. Unknown accounts: the same answer
//    (identity.bad_credentials), the same Argon2id work
//    (crypto::BurnPasswordCheck) and the same writes (throttle counters and
//    a history row keyed by the citizen id), and they are throttled the
//    same way.
//  - A locked (identity.account_locked) or disabled (identity.account_disabled)
//    account is told so only after the password is right.
//  - Level 2: a correct password returns a pending token (256 random bits,
//    stored hashed, 5 minutes, 5 wrong codes) instead of an account; the
//    TOTP code is then checked with VerifySecondFactor. Each code works
//    once: the account's last used step is stored and a replay is
//    identity.otp_replayed; a wrong code identity.otp_wrong (throttled like
//    a wrong password); an expired or used token identity.pending_unknown.
//  - BeginStepUp turns a level-1 session of a level-2 account into a TOTP
//    step (a pending token) without the password again.
//  - Every attempt on an existing account is recorded (History): time, IP,
//    outcome, method, client.
//
// Locking: Lock (the citizen, signed in) revokes every session and calls
// the OnDisabled hooks; Unlock needs the password. Disable (death, the
// account watcher) does the same and is permanent.
//
// Level 2 (UpgradeToLevel2): an officer whose area holds the citizen's
// permanent residence (officers.h InArea; else identity.out_of_area)
// upgrades an existing, usable account; place and both biometric
// templates are required (identity.bad_upgrade, at most 64 KiB each). The
// templates are sealed with the SecretBox (associated data names the
// account and the kind), stored in `upgrades` with the officer, place and
// time, and never logged. A new TOTP secret is sealed into the account and
// returned once as an otpauth:// URI and a QR code (SVG) for the
// authenticator app. Upgrading a level-2 account again re-enrols TOTP (a
// lost phone).
//
// Minors (children under 14 have no account; issue 4): Wards lists the
// account holder's children who are not certainly 14 or older (the
// complement of the registration rule) and whose father_id or mother_id is
// the holder: it looks in the holder's household and the spouse's (the
// register has no index by parent; a child living elsewhere is not listed,
// but Ward(account, id) still opens it because it checks the child's own
// record).
//
// Errors: the above, plus citizen.not_found (Profile), identity.not_found
// (no account), id.* for a malformed citizen id, storage.* from
// identity.db or the register.
// Thread safety: every method may be called from any thread. Password
// hashing runs on the caller's thread (tens of ms; see password_hasher.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/citizen_id.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/random.h"
#include "crypto/secret_box.h"
#include "identity/account.h"
#include "identity/officers.h"
#include "identity/sessions.h"
#include "identity/sms_sender.h"
#include "identity/throttle.h"
#include "registry/citizen.h"
#include "registry/registry.h"
#include "storage/database.h"

namespace dancu::identity {

struct AccountRow;  // account_row.h: an accounts row with its secrets

inline constexpr std::chrono::minutes kCodeLifetime{10};
inline constexpr std::chrono::minutes kTicketLifetime{30};
inline constexpr int kCodeAttempts = 5;
inline constexpr std::chrono::minutes kPendingSignInLifetime{5};
inline constexpr int kMinimumAge = 14;
inline constexpr size_t kMaxTemplateBytes = 64 * 1024;
inline constexpr std::string_view kTotpIssuer = "dancu";

struct RegistrationRequest {
  std::string citizen_id;     // as typed
  std::string full_name;
  std::string date_of_birth;  // YYYY-MM-DD, YYYY-MM or YYYY
  std::string phone;          // 0912345678 or +84912345678
};

struct SignInResult {
  // Exactly one: the account (level 1: signed in) or a pending token
  // (level 2: VerifySecondFactor next).
  std::optional<Account> account;
  std::string pending_token;
  bool needs_second_factor() const { return !pending_token.empty(); }
};

struct UpgradeRequest {
  std::string citizen_id;
  std::string place;        // where the officer checked the person
  std::string face;         // opaque template bytes (decoded)
  std::string fingerprint;  // opaque template bytes (decoded)
};

struct TotpEnrollment {
  Account account;
  std::string otpauth_uri;
  std::string qr_svg;
  std::string secret_base32;  // for typing instead of scanning
  std::string secret;         // the same, raw bytes (what TOTP codes are made from)
};

class Accounts {
 public:
  // `identity_db` is DIR/identity.db (identity_db.h); every reference must
  // outlive the Accounts.
  static Result<std::unique_ptr<Accounts>> Open(storage::Database& identity_db,
                                                const registry::Registry& registry,
                                                Sessions& sessions, SmsSender& sms,
                                                const crypto::SecretBox& box, const Clock& clock,
                                                Random& random);
  ~Accounts();

  Result<Account> Get(int64_t id);
  Result<Account> FindByCitizenId(CitizenId id);

  // Registration (above). StartRegistration returns the ticket.
  Result<std::string> StartRegistration(const RegistrationRequest& request,
                                        const AttemptContext& attempt);
  Status ConfirmCode(std::string_view ticket, std::string_view code);
  Result<Account> CompleteRegistration(std::string_view ticket, std::string_view password);
  // Whether the ticket exists and its code was confirmed (resuming a flow).
  enum class TicketState { kUnknown, kCodeSent, kConfirmed };
  TicketState GetTicketState(std::string_view ticket);

  // Sign-in (above).
  Result<SignInResult> SignIn(std::string_view citizen_id, std::string_view password,
                              const AttemptContext& attempt);
  Result<Account> VerifySecondFactor(std::string_view pending_token, std::string_view code,
                                     const AttemptContext& attempt);
  Result<std::string> BeginStepUp(int64_t account_id, const AttemptContext& attempt);

  // The citizen's own actions.
  Status Lock(int64_t account_id);
  Status Unlock(std::string_view citizen_id, std::string_view password,
                const AttemptContext& attempt);
  Result<std::vector<SignInRecord>> History(int64_t account_id, int limit = 50);

  // Death in the register (account_watcher.h) or an administrator.
  // Idempotent; returns whether the account was enabled before.
  Result<bool> Disable(int64_t account_id, std::string_view reason);
  // Called with the account id after Lock and Disable, on that thread (serve
  // registers the OpenID provider's token revocation here). Register before
  // serving.
  void OnDisabled(std::function<void(int64_t account_id)> hook);

  // Level 2.
  Result<TotpEnrollment> UpgradeToLevel2(const Officer& officer, const UpgradeRequest& request);

  // The register's record of the account holder, and their minors.
  Result<registry::Citizen> Profile(const Account& account);
  Result<std::vector<registry::Citizen>> Wards(const Account& account);
  // One ward's record; identity.not_guardian when the child is not the
  // holder's child under 14 (also for an unknown id, so ids are not probed).
  Result<registry::Citizen> Ward(const Account& account, CitizenId child);

 private:
  Accounts(std::unique_ptr<storage::Connection> conn, std::unique_ptr<Throttle> throttle,
           const registry::Registry& registry, Sessions& sessions, SmsSender& sms,
           const crypto::SecretBox& box, const Clock& clock, Random& random);

  Result<std::optional<AccountRow>> LoadRow(int64_t id);
  Status Record(int64_t account_id, const AttemptContext& attempt, std::string_view outcome,
                std::string_view method);
  Result<std::string> NewPending(int64_t account_id, const AttemptContext& attempt,
                                 std::string_view method);
  void NotifyDisabled(int64_t account_id);
  bool CertainlyAtLeast14(const PartialDate& dob) const;

  std::mutex mu_;
  std::unique_ptr<storage::Connection> conn_;  // guarded by mu_
  std::unique_ptr<Throttle> throttle_;
  const registry::Registry& registry_;
  Sessions& sessions_;
  SmsSender& sms_;
  const crypto::SecretBox& box_;
  const Clock& clock_;
  std::mutex random_mu_;
  Random& random_;  // guarded by random_mu_
  std::mutex hooks_mu_;
  std::vector<std::function<void(int64_t)>> hooks_;  // guarded by hooks_mu_
};

}  // namespace dancu::identity
