// Sessions: stored by hash, idle and absolute limits per level, revocation.
#include <gtest/gtest.h>

#include "accounts_fixture.h"

namespace dancu::identity {
namespace {

using testing::kPassword;

class SessionsTest : public testing::AccountsTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    if (HasFatalFailure()) return;
    account_ = Register(husband_);
  }
  Account account_;
};

TEST_F(SessionsTest, CreateAndFind) {
  auto s = sessions_->Create(account_, Level::kOne, {"pwd"});
  ASSERT_TRUE(s);
  EXPECT_EQ(s->id.size(), 43u);
  auto found = sessions_->Find(s->id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->citizen_id, husband_.id);
  EXPECT_EQ(found->level, Level::kOne);
  EXPECT_EQ(found->amr, (std::vector<std::string>{"pwd"}));
  EXPECT_FALSE(sessions_->Find("not-a-session"));
  EXPECT_FALSE(sessions_->Find(""));
}

TEST_F(SessionsTest, OnlyTheHashIsStored) {
  auto s = sessions_->Create(account_, Level::kOne, {"pwd"}).value();
  auto conn = idb_->Connect().value();
  auto& st = conn->Cached("SELECT id_hash FROM sessions");
  ASSERT_TRUE(st.Step().value());
  EXPECT_EQ(std::string(st.Text(0)), TokenHash(s.id));
  EXPECT_NE(std::string(st.Text(0)), s.id);
  st.Reset();
}

TEST_F(SessionsTest, LevelTwoIdleTimeout) {
  auto s = sessions_->Create(account_, Level::kTwo, {"pwd", "otp"}).value();
  clock_.Advance(std::chrono::minutes(29));
  ASSERT_TRUE(sessions_->Find(s.id));  // touched: idle time starts again
  clock_.Advance(std::chrono::minutes(29));
  ASSERT_TRUE(sessions_->Find(s.id));
  clock_.Advance(std::chrono::minutes(30));
  EXPECT_FALSE(sessions_->Find(s.id));
  clock_.Advance(-std::chrono::minutes(30));
  EXPECT_FALSE(sessions_->Find(s.id));  // deleted when found expired
}

TEST_F(SessionsTest, LevelOneIdleTimeout) {
  auto s = sessions_->Create(account_, Level::kOne, {"pwd"}).value();
  clock_.Advance(std::chrono::minutes(119));
  ASSERT_TRUE(sessions_->Find(s.id));
  clock_.Advance(std::chrono::minutes(120));
  EXPECT_FALSE(sessions_->Find(s.id));
}

TEST_F(SessionsTest, AbsoluteTimeoutDespiteActivity) {
  auto s = sessions_->Create(account_, Level::kTwo, {"pwd", "otp"}).value();
  for (int i = 0; i < 12 * 4 - 1; ++i) {
    clock_.Advance(std::chrono::minutes(15));
    ASSERT_TRUE(sessions_->Find(s.id)) << i;
  }
  clock_.Advance(std::chrono::minutes(15));  // 12 h
  EXPECT_FALSE(sessions_->Find(s.id));
}

TEST_F(SessionsTest, AbandonedSessionsArePurged) {
  ASSERT_TRUE(sessions_->Create(account_, Level::kOne, {"pwd"}));
  clock_.Advance(std::chrono::hours(12));
  auto fresh = sessions_->Create(account_, Level::kOne, {"pwd"}).value();
  auto conn = idb_->Connect().value();
  EXPECT_EQ(storage::QueryInt(*conn, "SELECT COUNT(*) FROM sessions").value(), 1);
  EXPECT_TRUE(sessions_->Find(fresh.id));
}

TEST_F(SessionsTest, RevokeAndRevokeAll) {
  auto a = sessions_->Create(account_, Level::kOne, {"pwd"}).value();
  auto b = sessions_->Create(account_, Level::kOne, {"pwd"}).value();
  auto c = sessions_->Create(account_, Level::kOne, {"pwd"}).value();
  EXPECT_EQ(sessions_->Count(account_.id).value(), 3);
  ASSERT_TRUE(sessions_->Revoke(a.id));
  EXPECT_FALSE(sessions_->Find(a.id));
  EXPECT_TRUE(sessions_->Find(b.id));
  ASSERT_TRUE(sessions_->RevokeAll(account_.id));
  EXPECT_FALSE(sessions_->Find(b.id));
  EXPECT_FALSE(sessions_->Find(c.id));
  EXPECT_EQ(sessions_->Count(account_.id).value(), 0);
}

}  // namespace
}  // namespace dancu::identity
