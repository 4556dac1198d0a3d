// Level-1 registration: register checks that do not reveal the field, the
// one-time code (wrong, expired, too many tries), "already registered" only
// after the code, the password policy, and all-or-nothing account creation.
#include <fstream>

#include <gtest/gtest.h>

#include "accounts_fixture.h"
#include "identity/phone_number.h"

namespace dancu::identity {
namespace {

using testing::kPassword;

using registry::testing::Date;

class RegistrationTest : public testing::AccountsTest {};

TEST_F(RegistrationTest, ThreeStepsCreateALevelOneAccount) {
  auto ticket = accounts_->StartRegistration(RequestFor(husband_, "091 234 5678"), ctx_);
  ASSERT_TRUE(ticket) << ticket.error().message;
  EXPECT_EQ(accounts_->GetTicketState(*ticket), Accounts::TicketState::kCodeSent);

  // The development sender wrote one JSON line with the E.164 number.
  std::ifstream in(DevSmsOutboxPath(dir_.path()));
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  EXPECT_NE(line.find("\"to\":\"+84912345678\""), std::string::npos) << line;
  const std::string code = LastCode();
  ASSERT_EQ(code.size(), 6u);
  EXPECT_NE(line.find(code), std::string::npos);

  ASSERT_TRUE(accounts_->ConfirmCode(*ticket, code));
  EXPECT_EQ(accounts_->GetTicketState(*ticket), Accounts::TicketState::kConfirmed);
  auto account = accounts_->CompleteRegistration(*ticket, kPassword);
  ASSERT_TRUE(account) << account.error().message;
  EXPECT_EQ(account->citizen_id, husband_.id);
  EXPECT_EQ(account->level, Level::kOne);
  EXPECT_EQ(account->phone, "+84912345678");
  EXPECT_EQ(accounts_->FindByCitizenId(husband_.id)->id, account->id);
  // The ticket is spent.
  EXPECT_EQ(accounts_->GetTicketState(*ticket), Accounts::TicketState::kUnknown);
  EXPECT_EQ(accounts_->CompleteRegistration(*ticket, kPassword).error().code,
            "identity.ticket_unknown");
}

TEST_F(RegistrationTest, NameIsComparedAfterFolding) {
  auto r = RequestFor(husband_);
  r.full_name = "NGUYEN VAN AN";
  EXPECT_TRUE(accounts_->StartRegistration(r, ctx_));
}

TEST_F(RegistrationTest, MismatchDoesNotRevealTheField) {
  auto wrong_name = RequestFor(husband_);
  wrong_name.full_name = "Nguyễn Văn Ân Khác";
  auto wrong_dob = RequestFor(husband_);
  wrong_dob.date_of_birth = "1985-03-15";
  auto partial_dob = RequestFor(husband_);
  partial_dob.date_of_birth = "1985";  // partial is not MATCH
  auto unknown = RequestFor(husband_);
  unknown.citizen_id = registry::testing::Id(1, Sex::kMale, 1985, 999999).ToString();
  auto child = RequestFor(son_);  // 11 years old: no account of his own
  std::optional<Error> first;
  for (const auto& r : {wrong_name, wrong_dob, partial_dob, unknown, child}) {
    AttemptContext other_ip{"198.51.100." + std::to_string(&r - &wrong_name), ""};
    auto t = accounts_->StartRegistration(r, other_ip);
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().code, "identity.registration_mismatch");
    EXPECT_TRUE(t.error().field.empty());
    if (!first) first = t.error();
    EXPECT_EQ(t.error().message, first->message);
  }
  // No code was sent.
  EXPECT_FALSE(std::filesystem::exists(DevSmsOutboxPath(dir_.path())));
}

TEST_F(RegistrationTest, DeceasedCitizenCannotRegister) {
  ASSERT_TRUE(reg_->RegisterDeath({wife_.id, Date(2026, 11, 1)}, Officer()));
  auto t = accounts_->StartRegistration(RequestFor(wife_), ctx_);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, "identity.registration_mismatch");
}

TEST_F(RegistrationTest, PartialRegisterDateCountsWhenCertainlyOldEnough) {
  // Lê Thị Dung's register date is the year 1950 only.
  EXPECT_TRUE(accounts_->StartRegistration(RequestFor(single_), ctx_));
}

TEST_F(RegistrationTest, ShapeErrorsNameTheirField) {
  auto r = RequestFor(husband_);
  r.phone = "0212345678";  // a landline prefix
  EXPECT_EQ(accounts_->StartRegistration(r, ctx_).error().code, "identity.bad_phone");
  r = RequestFor(husband_);
  r.citizen_id = "12345";
  auto e = accounts_->StartRegistration(r, ctx_).error();
  EXPECT_EQ(e.code, "id.length");
  EXPECT_EQ(e.field, "citizen_id");
  r = RequestFor(husband_);
  r.date_of_birth = "14/03/1985x";
  EXPECT_EQ(accounts_->StartRegistration(r, ctx_).error().field, "date_of_birth");
}

TEST_F(RegistrationTest, MismatchesAreThrottled) {
  auto wrong = RequestFor(husband_);
  wrong.date_of_birth = "1985-03-15";
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(accounts_->StartRegistration(wrong, ctx_).error().code,
              "identity.registration_mismatch");
  }
  // The register check is no fast oracle: even the right data waits now.
  auto e = accounts_->StartRegistration(RequestFor(husband_), ctx_);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, "identity.throttled");
  EXPECT_EQ(RetryAfterOf(e.error()).count(), 1);
  clock_.Advance(std::chrono::seconds(2));
  EXPECT_TRUE(accounts_->StartRegistration(RequestFor(husband_), ctx_));
}

TEST_F(RegistrationTest, WrongCodeSaysTriesLeftThenVoidsTheTicket) {
  auto ticket = accounts_->StartRegistration(RequestFor(husband_), ctx_).value();
  const std::string right = LastCode();
  const std::string wrong = right == "000000" ? "000001" : "000000";
  for (int left = 4; left >= 1; --left) {
    auto s = accounts_->ConfirmCode(ticket, wrong);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, "identity.code_wrong");
    EXPECT_NE(s.error().message.find(std::to_string(left) + " tries left"), std::string::npos);
  }
  EXPECT_EQ(accounts_->ConfirmCode(ticket, "12ab").error().code, "identity.code_attempts");
  // Even the right code no longer works: the ticket is gone.
  EXPECT_EQ(accounts_->ConfirmCode(ticket, right).error().code, "identity.ticket_unknown");
}

TEST_F(RegistrationTest, ExpiredCode) {
  auto ticket = accounts_->StartRegistration(RequestFor(husband_), ctx_).value();
  clock_.Advance(std::chrono::minutes(10) + std::chrono::seconds(1));
  EXPECT_EQ(accounts_->ConfirmCode(ticket, LastCode()).error().code, "identity.code_expired");
  clock_.Advance(std::chrono::minutes(20));
  EXPECT_EQ(accounts_->ConfirmCode(ticket, LastCode()).error().code, "identity.ticket_unknown");
}

TEST_F(RegistrationTest, UnknownTicket) {
  EXPECT_EQ(accounts_->ConfirmCode("nope", "123456").error().code, "identity.ticket_unknown");
  EXPECT_EQ(accounts_->CompleteRegistration("nope", kPassword).error().code,
            "identity.ticket_unknown");
}

TEST_F(RegistrationTest, PasswordNeedsTheConfirmedCode) {
  auto ticket = accounts_->StartRegistration(RequestFor(husband_), ctx_).value();
  EXPECT_EQ(accounts_->CompleteRegistration(ticket, kPassword).error().code,
            "identity.code_required");
  EXPECT_FALSE(accounts_->FindByCitizenId(husband_.id));
}

TEST_F(RegistrationTest, WeakPasswordsAreRefusedAndTheTicketSurvives) {
  auto ticket = accounts_->StartRegistration(RequestFor(husband_), ctx_).value();
  ASSERT_TRUE(accounts_->ConfirmCode(ticket, LastCode()));
  EXPECT_EQ(accounts_->CompleteRegistration(ticket, "short").error().code,
            "identity.password_too_short");
  EXPECT_EQ(accounts_->CompleteRegistration(ticket, "password123").error().code,
            "identity.password_common");
  EXPECT_FALSE(accounts_->FindByCitizenId(husband_.id));  // nothing half-applied
  // The flow resumes with the same ticket.
  EXPECT_TRUE(accounts_->CompleteRegistration(ticket, kPassword));
}

TEST_F(RegistrationTest, AlreadyRegisteredIsSaidOnlyAfterTheCode) {
  Register(husband_);
  // Step 1 answers as for anyone else (and sends a code)...
  auto ticket = accounts_->StartRegistration(RequestFor(husband_, "0987654321"), ctx_);
  ASSERT_TRUE(ticket);
  // ...a wrong code says nothing about the account...
  EXPECT_EQ(accounts_->ConfirmCode(*ticket, "000000" == LastCode() ? "000001" : "000000")
                .error()
                .code,
            "identity.code_wrong");
  // ...and the right one does.
  EXPECT_EQ(accounts_->ConfirmCode(*ticket, LastCode()).error().code,
            "identity.already_registered");
}

TEST_F(RegistrationTest, DeathBetweenStepsStopsTheRegistration) {
  auto ticket = accounts_->StartRegistration(RequestFor(husband_), ctx_).value();
  ASSERT_TRUE(accounts_->ConfirmCode(ticket, LastCode()));
  ASSERT_TRUE(reg_->RegisterDeath({husband_.id, Date(2026, 11, 20)}, Officer()));
  EXPECT_EQ(accounts_->CompleteRegistration(ticket, kPassword).error().code,
            "identity.registration_mismatch");
  EXPECT_FALSE(accounts_->FindByCitizenId(husband_.id));
}

TEST(PhoneNumberTest, Forms) {
  EXPECT_EQ(NormalizeVietnamMobile("0912345678").value(), "+84912345678");
  EXPECT_EQ(NormalizeVietnamMobile("+84 912 345 678").value(), "+84912345678");
  EXPECT_EQ(NormalizeVietnamMobile("84-912.345.678").value(), "+84912345678");
  EXPECT_EQ(NormalizeVietnamMobile("0312345678").value(), "+84312345678");
  for (std::string_view bad : {"", "091234567", "09123456789", "0212345678", "+840912345678",
                               "+0912345678", "09123x5678", "++84912345678"}) {
    auto r = NormalizeVietnamMobile(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, "identity.bad_phone");
    EXPECT_EQ(r.error().field, "phone");
  }
}

}  // namespace
}  // namespace dancu::identity
