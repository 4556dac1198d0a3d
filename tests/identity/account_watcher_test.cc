// AccountWatcher: a death in the register disables the account through the
// change feed, within the one second, without sleeping: the test
// waits on the watcher's applied seq.
#include "identity/account_watcher.h"

#include <gtest/gtest.h>

#include "accounts_fixture.h"

namespace dancu::identity {
namespace {

using testing::kPassword;

using registry::testing::Date;

constexpr auto kWait = std::chrono::seconds(1);

class AccountWatcherTest : public testing::AccountsTest {};

TEST_F(AccountWatcherTest, DeathDisablesTheAccountWithinASecond) {
  Account a = Register(husband_);
  auto session = sessions_->Create(a, Level::kOne, {"pwd"}).value();
  std::atomic<int64_t> hooked{0};
  accounts_->OnDisabled([&](int64_t id) { hooked = id; });
  auto watcher = AccountWatcher::Open(*idb_, *reg_, *accounts_).value();
  watcher->Start();
  ASSERT_TRUE(watcher->WaitUntilApplied(Seq(), kWait));
  EXPECT_FALSE(accounts_->Get(a.id)->disabled);

  auto ev = reg_->RegisterDeath({husband_.id, Date(2026, 11, 22)}, Officer());
  ASSERT_TRUE(ev);
  ASSERT_TRUE(watcher->WaitUntilApplied(ev->seq, kWait));
  auto after = accounts_->Get(a.id).value();
  EXPECT_TRUE(after.disabled);
  EXPECT_EQ(after.disabled_reason, "death");
  EXPECT_FALSE(sessions_->Find(session.id));
  EXPECT_EQ(hooked.load(), a.id);
  watcher->Stop();
}

TEST_F(AccountWatcherTest, ResumesFromTheStoredSeq) {
  Account a = Register(husband_);
  Register(single_);
  {
    auto w = AccountWatcher::Open(*idb_, *reg_, *accounts_).value();
    ASSERT_TRUE(w->CatchUp());
    EXPECT_EQ(w->applied_seq(), Seq());
  }
  // Registered while no watcher ran: applied by the next one's catch-up.
  ASSERT_TRUE(reg_->RegisterDeath({husband_.id, Date(2026, 11, 22)}, Officer()));
  auto w = AccountWatcher::Open(*idb_, *reg_, *accounts_).value();
  EXPECT_EQ(w->applied_seq(), Seq() - 1);
  ASSERT_TRUE(w->CatchUp());
  EXPECT_TRUE(accounts_->Get(a.id)->disabled);
  EXPECT_FALSE(accounts_->Get(single_.id.number())->disabled);
}

}  // namespace
}  // namespace dancu::identity
