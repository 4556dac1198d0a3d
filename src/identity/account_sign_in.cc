// Accounts: password sign-in, the TOTP second step and step-up
// (accounts.h, "Sign-in").
#include "crypto/encoding.h"
#include "crypto/password_hasher.h"
#include "crypto/random_token.h"
#include "crypto/totp.h"
#include "identity/account_row.h"
#include "identity/accounts.h"
#include "identity/identity_db.h"

namespace dancu::identity {
namespace {

Error BadCredentials() {
  return Error{"identity.bad_credentials", "the citizen id or the password is wrong", {}};
}

Error PendingUnknown() {
  return Error{"identity.pending_unknown",
               "this sign-in has expired or was already used; please sign in again", {}};
}

std::string AccountKey(CitizenId id) { return "acct:" + id.ToString(); }
std::string IpKey(const AttemptContext& a) { return "ip:" + a.ip; }

}  // namespace

// `method` is what the history records when the code is right: "pwd+otp"
// for a password sign-in, "otp" for a step-up of a signed-in session.
Result<std::string> Accounts::NewPending(int64_t account_id, const AttemptContext& attempt,
                                         std::string_view method) {
  const std::string token = crypto::RandomToken(32);
  const Timestamp now = clock_.Now();
  std::lock_guard lock(mu_);
  auto& purge = conn_->Cached("DELETE FROM pending_sign_ins WHERE expires_us <= ?");
  purge.BindInt(1, Micros(now));
  if (auto s = purge.Run(); !s) return std::unexpected(s.error());
  auto& st = conn_->Cached(
      "INSERT INTO pending_sign_ins (token_hash, account_id, ip, client, method, expires_us) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  const std::string token_hash = TokenHash(token);
  st.BindText(1, token_hash);
  st.BindInt(2, account_id);
  st.BindText(3, attempt.ip);
  st.BindText(4, attempt.client);
  st.BindText(5, method);
  st.BindInt(6, Micros(now + std::chrono::microseconds(kPendingSignInLifetime)));
  if (auto s = st.Run(); !s) return std::unexpected(s.error());
  return token;
}

Result<SignInResult> Accounts::SignIn(std::string_view citizen_id, std::string_view password,
                                      const AttemptContext& attempt) {
  auto id = CitizenId::Parse(citizen_id);
  if (!id) return WithField(id.error(), "citizen_id");
  if (password.size() > 4096) return std::unexpected(BadCredentials());
  const std::string account_key = AccountKey(*id), ip_key = IpKey(attempt);

  auto row = LoadRow(id->number());
  if (!row) return std::unexpected(row.error());
  const int64_t account_id = id->number();
  for (auto [key, policy] : {std::pair{&account_key, &kAccountThrottle},
                             std::pair{&ip_key, &kIpThrottle}}) {
    if (auto s = throttle_->Check(*key, *policy); !s) {
      (void)Record(account_id, attempt, "throttled", "pwd");
      return std::unexpected(s.error());
    }
  }

  bool ok = false;
  if (*row) {
    ok = crypto::VerifyPassword((*row)->password_hash, password);
  } else {
    crypto::BurnPasswordCheck(password);  // the same time as a wrong password
  }
  if (!ok) {
    if (auto s = throttle_->RecordFailure(account_key, kAccountThrottle); !s) {
      return std::unexpected(s.error());
    }
    if (auto s = throttle_->RecordFailure(ip_key, kIpThrottle); !s) {
      return std::unexpected(s.error());
    }
    // Recorded for unknown ids too (the row is keyed by the citizen id, and
    // shows up if that citizen registers later): the same writes, so the
    // same time, as a wrong password on a real account.
    (void)Record(account_id, attempt, "bad_password", "pwd");
    return std::unexpected(BadCredentials());
  }
  (void)throttle_->RecordSuccess(account_key);
  const Account& account = (*row)->account;
  if (account.disabled) {
    (void)Record(account_id, attempt, "disabled", "pwd");
    return Fail("identity.account_disabled",
                "this account is disabled (the register records the holder's death, or an "
                "administrator disabled it)");
  }
  if (account.locked) {
    (void)Record(account_id, attempt, "locked", "pwd");
    return Fail("identity.account_locked",
                "this account is locked by its holder; unlock it with the password first");
  }
  SignInResult out;
  if (account.level == Level::kTwo) {
    auto token = NewPending(account_id, attempt, "pwd+otp");
    if (!token) return std::unexpected(token.error());
    (void)Record(account_id, attempt, "password_ok", "pwd");
    out.pending_token = std::move(*token);
    return out;
  }
  if (auto s = Record(account_id, attempt, "success", "pwd"); !s) {
    return std::unexpected(s.error());
  }
  out.account = account;
  return out;
}

Result<std::string> Accounts::BeginStepUp(int64_t account_id, const AttemptContext& attempt) {
  auto row = LoadRow(account_id);
  if (!row) return std::unexpected(row.error());
  if (!*row) return Fail("identity.not_found", "no account " + std::to_string(account_id));
  const Account& a = (*row)->account;
  if (a.level != Level::kTwo) {
    return Fail("identity.level_too_low",
                "this account is level 1: an officer must check the holder in person before it "
                "can sign in at level 2");
  }
  if (a.disabled) return Fail("identity.account_disabled", "this account is disabled");
  if (a.locked) return Fail("identity.account_locked", "this account is locked by its holder");
  return NewPending(account_id, attempt, "otp");
}

Result<Account> Accounts::VerifySecondFactor(std::string_view pending_token,
                                             std::string_view code,
                                             const AttemptContext& attempt) {
  if (pending_token.empty() || pending_token.size() > 128) {
    return std::unexpected(PendingUnknown());
  }
  const std::string token_hash = TokenHash(pending_token);
  const Timestamp now = clock_.Now();
  int64_t account_id = 0, attempts = 0;
  std::string method, client;
  {
    std::lock_guard lock(mu_);
    auto& st = conn_->Cached(
        "SELECT account_id, attempts, method, client FROM pending_sign_ins "
        "WHERE token_hash = ? AND expires_us > ?");
    st.BindText(1, token_hash);
    st.BindInt(2, Micros(now));
    bool found = false;
    auto s = st.ForEachRow([&] {
      found = true;
      account_id = st.Int(0);
      attempts = st.Int(1);
      method = std::string(st.Text(2));
      client = std::string(st.Text(3));
    });
    if (!s) return std::unexpected(s.error());
    if (!found) return std::unexpected(PendingUnknown());
  }
  AttemptContext recorded = attempt;
  if (recorded.client.empty()) recorded.client = client;
  auto drop_pending = [&] {
    std::lock_guard lock(mu_);
    auto& del = conn_->Cached("DELETE FROM pending_sign_ins WHERE token_hash = ?");
    del.BindText(1, token_hash);
    (void)del.Run();
  };

  auto row = LoadRow(account_id);
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::unexpected(PendingUnknown());
  const Account& account = (*row)->account;
  const std::string account_key = AccountKey(account.citizen_id), ip_key = IpKey(attempt);
  if (auto s = throttle_->Check(account_key, kAccountThrottle); !s) {
    (void)Record(account_id, recorded, "throttled", "otp");
    return std::unexpected(s.error());
  }
  if (account.disabled || account.locked) {
    drop_pending();
    return account.disabled ? Fail("identity.account_disabled", "this account is disabled")
                            : Fail("identity.account_locked", "this account is locked");
  }
  auto sealed = crypto::Base64Decode((*row)->totp_secret_sealed);
  if (!sealed) return Fail("identity.corrupt", "the account's TOTP secret is unreadable");
  auto secret = box_.Open(*sealed, SealContext("totp", account_id));
  if (!secret) return std::unexpected(secret.error());

  auto step = crypto::VerifyTotp(*secret, code, now, (*row)->totp_last_step);
  if (step) {
    // Claim the step atomically: of two requests with the same code, only
    // one moves last_step forward.
    std::lock_guard lock(mu_);
    auto& st = conn_->Cached(
        "UPDATE accounts SET totp_last_step = ? WHERE id = ? AND totp_last_step < ? RETURNING id");
    st.BindInt(1, *step);
    st.BindInt(2, account_id);
    st.BindInt(3, *step);
    bool claimed = false;
    if (auto s = st.ForEachRow([&] { claimed = true; }); !s) return std::unexpected(s.error());
    if (!claimed) step.reset();
  }
  if (!step) {
    const bool replay = crypto::VerifyTotp(*secret, code, now, -1).has_value();
    (void)throttle_->RecordFailure(account_key, kAccountThrottle);
    (void)throttle_->RecordFailure(ip_key, kIpThrottle);
    (void)Record(account_id, recorded, replay ? "otp_replayed" : "bad_otp", "otp");
    if (attempts + 1 >= kCodeAttempts) {
      drop_pending();
    } else {
      std::lock_guard lock(mu_);
      auto& st = conn_->Cached(
          "UPDATE pending_sign_ins SET attempts = attempts + 1 WHERE token_hash = ?");
      st.BindText(1, token_hash);
      (void)st.Run();
    }
    if (replay) {
      return Fail("identity.otp_replayed",
                  "this code was already used; wait for the next code in your authenticator app",
                  "code");
    }
    return Fail("identity.otp_wrong", "the code from the authenticator app is wrong", "code");
  }
  drop_pending();
  (void)throttle_->RecordSuccess(account_key);
  if (auto s = Record(account_id, recorded, "success", method); !s) {
    return std::unexpected(s.error());
  }
  return account;
}

}  // namespace dancu::identity
