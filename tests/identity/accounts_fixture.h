// AccountsTest: the registry fixture's small register (registry_fixture.h:
// Nguyễn Văn An and Trần Thị Bình with their son, 11, in Hà Nội commune
// 00004; Lê Thị Dung, born 1950, in Hồ Chí Minh City) plus identity.db in the
// same temporary directory, the development SMS sender writing to
// <dir>/outbox/sms.jsonl, a SecretBox with a fixed key, and the accounts,
// sessions and officers services on the fixture's ManualClock.
#pragma once

#include <fstream>
#include <memory>
#include <string>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "crypto/secret_box.h"
#include "crypto/totp.h"
#include "identity/accounts.h"
#include "identity/identity_db.h"
#include "identity/officers.h"
#include "identity/sessions.h"
#include "identity/sms_sender.h"
#include "registry/registry_fixture.h"

namespace dancu::identity::testing {

inline constexpr std::string_view kPassword = "correct horse battery";

class AccountsTest : public registry::testing::RegistryTest {
 protected:
  void SetUp() override {
    RegistryTest::SetUp();
    if (HasFatalFailure()) return;
    auto db = OpenIdentityDb(dir_.path());
    ASSERT_TRUE(db) << db.error().message;
    idb_ = std::move(*db);
    sms_ = std::make_unique<DevSmsSender>(DevSmsOutboxPath(dir_.path()), clock_);
    box_ = std::make_unique<crypto::SecretBox>(
        crypto::SecretBox::FromKey(std::string(32, 'k')).value());
    auto sessions = Sessions::Open(*idb_, clock_);
    ASSERT_TRUE(sessions);
    sessions_ = std::move(*sessions);
    auto accounts = Accounts::Open(*idb_, *reg_, *sessions_, *sms_, *box_, clock_, random_);
    ASSERT_TRUE(accounts) << accounts.error().message;
    accounts_ = std::move(*accounts);
    auto officers = Officers::Open(*idb_, clock_);
    ASSERT_TRUE(officers);
    officers_ = std::move(*officers);
  }
  void TearDown() override {
    accounts_.reset();
    sessions_.reset();
    officers_.reset();
  }

  static RegistrationRequest RequestFor(const registry::Citizen& c,
                                        std::string phone = "0912345678") {
    return RegistrationRequest{c.id.ToString(), c.full_name.text(), c.date_of_birth.ToString(),
                               std::move(phone)};
  }
  // The code of the last message in the development outbox.
  std::string LastCode() {
    std::ifstream in(DevSmsOutboxPath(dir_.path()));
    std::string line, last;
    while (std::getline(in, line)) last = line;
    if (last.empty()) return {};
    return std::string(boost::json::parse(last).as_object().at("code").as_string());
  }
  // Registers `c` with kPassword (all three steps).
  Account Register(const registry::Citizen& c) {
    auto ticket = accounts_->StartRegistration(RequestFor(c), ctx_);
    EXPECT_TRUE(ticket) << ticket.error().code;
    if (!ticket) return {};
    auto confirmed = accounts_->ConfirmCode(*ticket, LastCode());
    EXPECT_TRUE(confirmed) << confirmed.error().code;
    auto account = accounts_->CompleteRegistration(*ticket, kPassword);
    EXPECT_TRUE(account) << account.error().code;
    return account.value_or(Account{});
  }
  identity::Officer AddOfficer(std::string area = "01", std::string username = "officer.ha") {
    auto o = officers_->Add(NewOfficer{username, "Phạm Văn Cán Bộ", "police", area,
                                       "officer password 1"});
    EXPECT_TRUE(o) << o.error().code;
    return o.value_or(identity::Officer{});
  }
  // Upgrades `c`'s account and returns the raw TOTP secret (from the URI).
  TotpEnrollment Upgrade(const registry::Citizen& c, const identity::Officer& officer) {
    auto e = accounts_->UpgradeToLevel2(
        officer, UpgradeRequest{c.id.ToString(), "Công an phường Ba Đình", "FACE", "FINGER"});
    EXPECT_TRUE(e) << e.error().code;
    return e.value_or(TotpEnrollment{});
  }

  AttemptContext ctx_{"192.0.2.1", ""};
  std::unique_ptr<storage::Database> idb_;
  std::unique_ptr<DevSmsSender> sms_;
  std::unique_ptr<crypto::SecretBox> box_;
  std::unique_ptr<Sessions> sessions_;
  std::unique_ptr<Accounts> accounts_;
  std::unique_ptr<Officers> officers_;
};

}  // namespace dancu::identity::testing
