// Sign-in: passwords, unknown accounts answered like wrong passwords,
// growing delays and the hourly cap, locked and disabled accounts, the
// level-2 TOTP step (wrong, replayed, once only), step-up, and the history.
#include <gtest/gtest.h>

#include "accounts_fixture.h"
#include "crypto/totp.h"

namespace dancu::identity {
namespace {

using testing::kPassword;

using registry::testing::Date;

class SignInTest : public testing::AccountsTest {
 protected:
  Result<SignInResult> SignIn(const registry::Citizen& c, std::string_view pw) {
    return accounts_->SignIn(c.id.ToString(), pw, ctx_);
  }
};

TEST_F(SignInTest, LevelOnePasswordSignsIn) {
  Register(husband_);
  auto r = SignIn(husband_, kPassword);
  ASSERT_TRUE(r) << r.error().code;
  ASSERT_TRUE(r->account);
  EXPECT_FALSE(r->needs_second_factor());
  EXPECT_EQ(r->account->citizen_id, husband_.id);
  auto h = accounts_->History(r->account->id).value();
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].outcome, "success");
  EXPECT_EQ(h[0].method, "pwd");
  EXPECT_EQ(h[0].ip, "192.0.2.1");
}

TEST_F(SignInTest, UnknownAccountAndWrongPasswordLookTheSame) {
  Register(husband_);
  auto wrong = SignIn(husband_, "not the password");
  auto unknown = SignIn(wife_, kPassword);
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(wrong.error().code, "identity.bad_credentials");
  EXPECT_EQ(unknown.error().code, wrong.error().code);
  EXPECT_EQ(unknown.error().message, wrong.error().message);
  EXPECT_EQ(accounts_->History(husband_.id.number()).value()[0].outcome, "bad_password");
}

TEST_F(SignInTest, MalformedCitizenIdNamesTheField) {
  auto r = accounts_->SignIn("12", kPassword, ctx_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "citizen_id");
}

TEST_F(SignInTest, DelaysGrowAfterFiveFailures) {
  Register(husband_);
  for (int i = 0; i < 4; ++i) ASSERT_EQ(SignIn(husband_, "wrong pw").error().code,
                                        "identity.bad_credentials");
  ASSERT_EQ(SignIn(husband_, "wrong pw").error().code, "identity.bad_credentials");  // 5th
  // Blocked 2^0 = 1 s: even the right password is refused unchecked.
  auto blocked = SignIn(husband_, kPassword);
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code, "identity.throttled");
  EXPECT_EQ(RetryAfterOf(blocked.error()), std::chrono::seconds(1));
  clock_.Advance(std::chrono::seconds(1));
  ASSERT_EQ(SignIn(husband_, "wrong pw").error().code, "identity.bad_credentials");  // 6th
  EXPECT_EQ(RetryAfterOf(SignIn(husband_, kPassword).error()), std::chrono::seconds(2));
  clock_.Advance(std::chrono::seconds(2));
  ASSERT_EQ(SignIn(husband_, "wrong pw").error().code, "identity.bad_credentials");  // 7th
  EXPECT_EQ(RetryAfterOf(SignIn(husband_, kPassword).error()), std::chrono::seconds(4));
  clock_.Advance(std::chrono::seconds(4));
  // A success clears the delay.
  ASSERT_TRUE(SignIn(husband_, kPassword));
  EXPECT_TRUE(SignIn(husband_, "wrong pw").error().code == "identity.bad_credentials");
  EXPECT_EQ(accounts_->History(husband_.id.number()).value()[1].outcome, "success");
}

TEST_F(SignInTest, UnknownAccountsAreThrottledToo) {
  for (int i = 0; i < 5; ++i) SignIn(wife_, "guess");
  EXPECT_EQ(SignIn(wife_, "guess").error().code, "identity.throttled");
}

TEST(ThrottleTest, NeverMoreThanTheHourlyCap) {
  dancu::testing::TempDir dir;
  ManualClock clock(registry::testing::At(2026, 11, 23));
  auto db = OpenIdentityDb(dir.path()).value();
  auto t = Throttle::Open(*db, clock).value();
  // Waiting out every delay, at most 100 failures fit in an hour.
  int counted = 0;
  const auto start = clock.Now();
  while (clock.Now() - start < std::chrono::hours(1)) {
    auto wait = t->RetryAfter("acct:x", kAccountThrottle).value();
    if (wait.count() > 0) {
      clock.Advance(wait);
      continue;
    }
    ASSERT_TRUE(t->RecordFailure("acct:x", kAccountThrottle));
    ++counted;
  }
  EXPECT_LE(counted, 100);
  // A policy without delays stops at the cap until the hour ends.
  ThrottlePolicy cap_only{1000, std::chrono::seconds(0), 100};
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(t->RecordFailure("ip:y", cap_only));
  auto e = t->Check("ip:y", cap_only);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, "identity.throttled");
  EXPECT_EQ(RetryAfterOf(e.error()), std::chrono::seconds(3600));
  clock.Advance(std::chrono::hours(1));
  EXPECT_TRUE(t->Check("ip:y", cap_only));
}

TEST(ThrottleTest, QuietKeysAreForgottenAfterADay) {
  dancu::testing::TempDir dir;
  ManualClock clock(registry::testing::At(2026, 11, 23));
  auto db = OpenIdentityDb(dir.path()).value();
  auto t = Throttle::Open(*db, clock).value();
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(t->RecordFailure("old", kAccountThrottle));
  clock.Advance(std::chrono::hours(25));
  ASSERT_TRUE(t->RecordFailure("new", kAccountThrottle));
  auto conn = db->Connect().value();
  EXPECT_EQ(storage::QueryInt(*conn, "SELECT COUNT(*) FROM throttle").value(), 1);
}

TEST(ThrottleTest, DelayIsCapped) {
  dancu::testing::TempDir dir;
  ManualClock clock(registry::testing::At(2026, 11, 23));
  auto db = OpenIdentityDb(dir.path()).value();
  auto t = Throttle::Open(*db, clock).value();
  for (int i = 0; i < 40; ++i) ASSERT_TRUE(t->RecordFailure("k", kAccountThrottle));
  EXPECT_EQ(t->RetryAfter("k", kAccountThrottle).value(), std::chrono::seconds(15 * 60));
}

TEST_F(SignInTest, LockedAccountIsToldAfterThePassword) {
  Account a = Register(husband_);
  auto session = sessions_->Create(a, Level::kOne, {"pwd"}).value();
  int notified = 0;
  accounts_->OnDisabled([&](int64_t id) { notified += id == a.id; });
  ASSERT_TRUE(accounts_->Lock(a.id));
  EXPECT_EQ(notified, 1);
  EXPECT_FALSE(sessions_->Find(session.id));  // lock signs out everywhere
  EXPECT_EQ(SignIn(husband_, "wrong pw").error().code, "identity.bad_credentials");
  EXPECT_EQ(SignIn(husband_, kPassword).error().code, "identity.account_locked");
  // Unlock needs the password.
  EXPECT_EQ(accounts_->Unlock(husband_.id.ToString(), "wrong pw", ctx_).error().code,
            "identity.bad_credentials");
  ASSERT_TRUE(accounts_->Unlock(husband_.id.ToString(), kPassword, ctx_));
  EXPECT_TRUE(SignIn(husband_, kPassword));
}

TEST_F(SignInTest, DisabledAccount) {
  Account a = Register(husband_);
  ASSERT_TRUE(accounts_->Disable(a.id, "death").value());
  EXPECT_FALSE(accounts_->Disable(a.id, "death").value());  // idempotent
  EXPECT_EQ(SignIn(husband_, "wrong pw").error().code, "identity.bad_credentials");
  EXPECT_EQ(SignIn(husband_, kPassword).error().code, "identity.account_disabled");
  EXPECT_EQ(accounts_->History(a.id).value()[0].outcome, "disabled");
}

class LevelTwoTest : public SignInTest {
 protected:
  void SetUp() override {
    SignInTest::SetUp();
    if (HasFatalFailure()) return;
    account_ = Register(husband_);
    secret_ = Upgrade(husband_, AddOfficer("01")).secret;
    ASSERT_FALSE(secret_.empty());
  }
  std::string Pending() {
    auto r = SignIn(husband_, kPassword);
    EXPECT_TRUE(r && r->needs_second_factor());
    return r ? r->pending_token : "";
  }
  Account account_;
  std::string secret_;
};

TEST_F(LevelTwoTest, PasswordThenTotp) {
  auto r = SignIn(husband_, kPassword);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->account);  // not signed in yet
  ASSERT_TRUE(r->needs_second_factor());
  auto a = accounts_->VerifySecondFactor(r->pending_token,
                                         crypto::TotpCode(secret_, clock_.Now()), ctx_);
  ASSERT_TRUE(a) << a.error().code;
  EXPECT_EQ(a->level, Level::kTwo);
  auto h = accounts_->History(a->id).value();
  EXPECT_EQ(h[0].outcome, "success");
  EXPECT_EQ(h[0].method, "pwd+otp");
  // The pending token is spent.
  EXPECT_EQ(accounts_->VerifySecondFactor(r->pending_token, "123456", ctx_).error().code,
            "identity.pending_unknown");
}

TEST_F(LevelTwoTest, EachCodeWorksOnce) {
  const std::string code = crypto::TotpCode(secret_, clock_.Now());
  ASSERT_TRUE(accounts_->VerifySecondFactor(Pending(), code, ctx_));
  auto replay = accounts_->VerifySecondFactor(Pending(), code, ctx_);
  ASSERT_FALSE(replay);
  EXPECT_EQ(replay.error().code, "identity.otp_replayed");
  EXPECT_EQ(accounts_->History(account_.id).value()[0].outcome, "otp_replayed");
  // The next step's code works.
  clock_.Advance(std::chrono::seconds(30));
  EXPECT_TRUE(
      accounts_->VerifySecondFactor(Pending(), crypto::TotpCode(secret_, clock_.Now()), ctx_));
}

TEST_F(LevelTwoTest, WrongCodesEndThePendingSignIn) {
  std::string pending = Pending();
  const std::string right = crypto::TotpCode(secret_, clock_.Now());
  const std::string wrong = right == "000000" ? "111111" : "000000";
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(accounts_->VerifySecondFactor(pending, wrong, ctx_).error().code,
              "identity.otp_wrong");
  }
  // The account throttle (shared with passwords) has counted 4 failures;
  // the 5th wrong code ends the pending sign-in.
  EXPECT_EQ(accounts_->VerifySecondFactor(pending, wrong, ctx_).error().code,
            "identity.otp_wrong");
  clock_.Advance(std::chrono::seconds(2));
  EXPECT_EQ(accounts_->VerifySecondFactor(pending, right, ctx_).error().code,
            "identity.pending_unknown");
}

TEST_F(LevelTwoTest, PendingSignInExpires) {
  std::string pending = Pending();
  clock_.Advance(std::chrono::minutes(5));
  EXPECT_EQ(accounts_->VerifySecondFactor(pending, crypto::TotpCode(secret_, clock_.Now()), ctx_)
                .error()
                .code,
            "identity.pending_unknown");
}

TEST_F(LevelTwoTest, StepUpNeedsOnlyTheCode) {
  auto pending = accounts_->BeginStepUp(account_.id, ctx_);
  ASSERT_TRUE(pending);
  ASSERT_TRUE(accounts_->VerifySecondFactor(*pending, crypto::TotpCode(secret_, clock_.Now()),
                                            ctx_));
  EXPECT_EQ(accounts_->History(account_.id).value()[0].method, "otp");
  // A level-1 account cannot step up.
  Register(single_);
  EXPECT_EQ(accounts_->BeginStepUp(single_.id.number(), ctx_).error().code,
            "identity.level_too_low");
}

}  // namespace
}  // namespace dancu::identity
