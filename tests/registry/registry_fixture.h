// A small register for registry tests: one household in Hà Nội with a
// married couple (head Nguyễn Văn An, spouse Trần Thị Bình) and their son,
// plus a single woman with an old CMND in Hồ Chí Minh City. Time is a
// ManualClock at 2026-11-23 and randomness is seeded.
#pragma once

#include <optional>

#include <gtest/gtest.h>

#include "core/clock.h"
#include "core/random.h"
#include "registry/bulk_loader.h"
#include "registry/registry.h"
#include "storage/database.h"
#include "support/temp_dir.h"
#include "support/test_database.h"

namespace dancu::registry::testing {

inline Timestamp At(int y, unsigned m, unsigned d) {
  using namespace std::chrono;
  return Timestamp{sys_days{year{y} / month{m} / day{d}}.time_since_epoch() + hours(3)};
}

inline CitizenId Id(int province, Sex sex, int year, uint32_t serial) {
  return CitizenId::Make(province, sex, year, serial).value();
}

inline PartialDate Date(int y, int m = 0, int d = 0) { return PartialDate::Make(y, m, d).value(); }

inline Citizen Person(CitizenId id, std::string_view name, Sex sex, PartialDate dob,
                      std::string commune) {
  Citizen c;
  c.id = id;
  c.full_name = PersonName::Parse(name).value();
  c.sex = sex;
  c.date_of_birth = dob;
  c.birth_commune_code = commune;
  c.ethnicity = 1;
  c.permanent_residence = Address{commune, "Số 1 phố Đội Cấn"};
  return c;
}

class RegistryTest : public ::testing::Test {
 protected:
  RegistryTest() : clock_(At(2026, 11, 23)), random_(42) {}

  void SetUp() override {
    where_.emplace(dir_.path() / "register.db");
    auto db = where_->Open();
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    auto r = Registry::Open(*db_, clock_, random_);
    ASSERT_TRUE(r) << r.error().message;
    reg_ = std::move(*r);

    husband_ = Person(Id(1, Sex::kMale, 1985, 123456), "Nguyễn Văn An", Sex::kMale,
                      Date(1985, 3, 14), "00004");
    wife_ = Person(Id(1, Sex::kFemale, 1988, 234567), "Trần Thị Bình", Sex::kFemale,
                   Date(1988, 7, 2), "00004");
    son_ = Person(Id(1, Sex::kMale, 2015, 345678), "Nguyễn Văn Cường", Sex::kMale,
                  Date(2015, 1, 20), "00004");
    single_ = Person(Id(79, Sex::kFemale, 1950, 456789), "Lê Thị Dung", Sex::kFemale, Date(1950),
                     "25747");
    single_.old_id = "023456789";
    husband_.spouse_id = wife_.id;
    wife_.spouse_id = husband_.id;
    son_.father_id = husband_.id;
    son_.mother_id = wife_.id;
    husband_.household_id = wife_.household_id = son_.household_id = 1;
    husband_.relationship_to_head = Relationship::kHead;
    wife_.relationship_to_head = Relationship::kSpouse;
    son_.relationship_to_head = Relationship::kChild;
    single_.household_id = 2;
    single_.relationship_to_head = Relationship::kHead;

    auto loader = reg_->BeginBulkLoad(WriteContext{"test", "fixture", {}, {}});
    ASSERT_TRUE(loader);
    for (const Citizen* c : {&husband_, &wife_, &son_, &single_}) {
      ASSERT_TRUE((*loader)->Add(*c));
    }
    std::vector<BulkProblem> problems;
    auto done = (*loader)->Finish(problems, "fixture");
    ASSERT_TRUE(done) << done.error().message;
  }

  WriteContext Officer(std::string key = {}, std::string hash = {}) {
    return WriteContext{"officer:test", "test", std::move(key), std::move(hash)};
  }
  int64_t Seq() { return reg_->LastSeq().value(); }
  Citizen Get(CitizenId id) { return reg_->GetCitizen(id).value(); }

  dancu::testing::TempDir dir_;
  std::optional<dancu::testing::TestDatabase> where_;  // register.db, or a PostgreSQL database
  ManualClock clock_;
  SeededRandom random_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<Registry> reg_;
  Citizen husband_, wife_, son_, single_;
};

}  // namespace dancu::registry::testing
