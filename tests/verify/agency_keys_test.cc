// Agency API keys: shown once, stored as a hash, checked in constant time,
// and a disabled (or new) agency is seen by a running server within a second.
#include "verify/agency_keys.h"

#include <gtest/gtest.h>

#include "support/temp_dir.h"
#include "verify/verify_db.h"

namespace dancu::verify {
namespace {

class AgencyKeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = OpenVerifyDb(dir_.path());
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    keys_ = Open();
    // A second instance on the same file plays the running server while
    // keys_ plays `dancu agencies` in another process.
    server_ = Open();
  }
  std::unique_ptr<AgencyKeys> Open() {
    auto k = AgencyKeys::Open(*db_, clock_);
    EXPECT_TRUE(k) << k.error().message;
    return k ? std::move(*k) : nullptr;
  }

  dancu::testing::TempDir dir_;
  ManualClock clock_{Timestamp{std::chrono::seconds(1'800'000'000)}};
  SeededRandom random_{7};
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<AgencyKeys> keys_, server_;
};

TEST_F(AgencyKeysTest, AddReturnsAKeyThatAuthenticatesItsAgency) {
  auto key = keys_->Add("bhxh", random_);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_TRUE(key->starts_with("dancu_ak_"));
  EXPECT_EQ(key->size(), 9u + 43u);  // 32 bytes in unpadded base64url
  EXPECT_EQ(keys_->Authenticate(*key), "bhxh");

  std::string wrong = *key;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(keys_->Authenticate(wrong), std::nullopt);
  EXPECT_EQ(keys_->Authenticate(key->substr(0, key->size() - 1)), std::nullopt);
  EXPECT_EQ(keys_->Authenticate(key->substr(9)), std::nullopt);  // without the prefix
  EXPECT_EQ(keys_->Authenticate(""), std::nullopt);

  auto other = keys_->Add("vietcombank", random_);
  ASSERT_TRUE(other);
  EXPECT_NE(*other, *key);
  EXPECT_EQ(keys_->Authenticate(*other), "vietcombank");
}

TEST_F(AgencyKeysTest, OnlyTheKeysHashIsStored) {
  auto key = keys_->Add("bhxh", random_);
  ASSERT_TRUE(key);
  auto conn = db_->Connect();
  ASSERT_TRUE(conn);
  auto& q = (*conn)->Cached("SELECT name, key_hash, created_at, disabled FROM agencies");
  ASSERT_TRUE(q.Step().value());
  EXPECT_EQ(q.Text(0), "bhxh");
  EXPECT_EQ(q.Text(1), HashAgencyKey(*key));
  EXPECT_EQ(q.Text(1).size(), 64u);
  EXPECT_EQ(q.Text(1).find(key->substr(9, 8)), std::string_view::npos);
  EXPECT_EQ(q.Text(2), "2027-01-15T08:00:00.000000Z");
  EXPECT_EQ(q.Int(3), 0);
  q.Reset();
  // SHA-256 of "abc", the FIPS 180-2 example.
  EXPECT_EQ(HashAgencyKey("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(AgencyKeysTest, BadAndTakenNamesAreRefused) {
  ASSERT_TRUE(keys_->Add("bhxh", random_));
  auto taken = keys_->Add("bhxh", random_);
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, "agency.exists");
  for (std::string name :
       {std::string(), std::string("admin"), std::string("Admin"), std::string("-bank"),
        std::string("a bank"), std::string("bảo-hiểm"), std::string("a/b"), std::string(65, 'a')}) {
    auto r = keys_->Add(name, random_);
    ASSERT_FALSE(r) << name;
    EXPECT_EQ(r.error().code, "agency.bad_name") << name;
    EXPECT_EQ(r.error().field, "name");
  }
  EXPECT_TRUE(keys_->Add(std::string(64, 'a'), random_));
  EXPECT_TRUE(keys_->Add("Bo.Y-te_2", random_));
  EXPECT_EQ(keys_->List()->size(), 3u);
}

TEST_F(AgencyKeysTest, DisableStopsTheKeyHereAtOnceAndElsewhereWithinASecond) {
  auto key = keys_->Add("bhxh", random_);
  ASSERT_TRUE(key);
  clock_.Advance(std::chrono::seconds(1));  // the server reloads and learns the key
  EXPECT_EQ(server_->Authenticate(*key), "bhxh");

  ASSERT_TRUE(keys_->Disable("bhxh"));
  EXPECT_EQ(keys_->Authenticate(*key), std::nullopt);  // the instance that disabled it
  // The server's copy is younger than a second: still accepted...
  clock_.Advance(std::chrono::milliseconds(999));
  EXPECT_EQ(server_->Authenticate(*key), "bhxh");
  // ...and refused from the first request a second after its last reload.
  clock_.Advance(std::chrono::milliseconds(1));
  EXPECT_EQ(server_->Authenticate(*key), std::nullopt);

  auto list = keys_->List();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_TRUE((*list)[0].disabled);
  // A disabled name stays taken (the record names it).
  EXPECT_EQ(keys_->Add("bhxh", random_).error().code, "agency.exists");
}

TEST_F(AgencyKeysTest, AgencyAddedElsewhereIsAcceptedWithinASecond) {
  auto key = keys_->Add("bhxh", random_);
  ASSERT_TRUE(key);
  EXPECT_EQ(server_->Authenticate(*key), std::nullopt);  // its copy predates the key
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(server_->Authenticate(*key), "bhxh");
}

TEST_F(AgencyKeysTest, DisablingAnUnknownAgencyIsNotFound) {
  auto s = keys_->Disable("nobody");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "agency.not_found");
}

}  // namespace
}  // namespace dancu::verify
