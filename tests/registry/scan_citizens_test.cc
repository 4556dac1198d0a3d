// Registry::ScanCitizens: id order (export) and storage order (the
// verification index's build) visit the same citizens with the same data,
// and an error from the visitor stops the scan.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "registry/registry_fixture.h"

namespace dancu::registry {
namespace {

using testing::Date;

class ScanCitizensTest : public testing::RegistryTest {
 protected:
  std::vector<Citizen> Scan(Registry::ScanOrder order) {
    std::vector<Citizen> out;
    auto s = reg_->ScanCitizens(
        [&out](const Citizen& c) -> Status {
          out.push_back(c);
          return {};
        },
        order);
    EXPECT_TRUE(s) << s.error().message;
    return out;
  }
};

TEST_F(ScanCitizensTest, BothOrdersVisitEveryCitizenOnceWithTheSameData) {
  // A birth after the bulk load: its row is stored last, whatever its id.
  BirthRequest birth;
  birth.full_name = PersonName::Parse("Nguyễn Thị Mai").value();
  birth.sex = Sex::kFemale;
  birth.date_of_birth = Date(2026, 11, 2);
  birth.birth_commune_code = "00004";
  birth.mother_id = wife_.id;
  ASSERT_TRUE(reg_->RegisterBirth(birth, Officer()));

  auto by_id = Scan(Registry::ScanOrder::kById);
  auto stored = Scan(Registry::ScanOrder::kStorage);
  ASSERT_EQ(by_id.size(), 5u);
  ASSERT_EQ(stored.size(), 5u);
  EXPECT_TRUE(std::is_sorted(by_id.begin(), by_id.end(), [](const Citizen& a, const Citizen& b) {
    return a.id.number() < b.id.number();
  }));
  std::map<int64_t, const Citizen*> seen;
  for (const Citizen& c : by_id) seen[c.id.number()] = &c;
  ASSERT_EQ(seen.size(), 5u);
  for (const Citizen& c : stored) {
    ASSERT_TRUE(seen.count(c.id.number())) << c.id.ToString();
    const Citizen& same = *seen[c.id.number()];
    EXPECT_EQ(c.full_name, same.full_name);
    EXPECT_EQ(c.date_of_birth.Packed(), same.date_of_birth.Packed());
    EXPECT_EQ(c.old_id, same.old_id);
    EXPECT_EQ(c.permanent_residence.commune_code, same.permanent_residence.commune_code);
    seen.erase(c.id.number());  // each once
  }
  EXPECT_TRUE(seen.empty());
}

TEST_F(ScanCitizensTest, AnErrorFromTheVisitorStopsTheScan) {
  for (auto order : {Registry::ScanOrder::kById, Registry::ScanOrder::kStorage}) {
    int visited = 0;
    auto s = reg_->ScanCitizens(
        [&visited](const Citizen&) -> Status {
          ++visited;
          return Fail("test.stop", "enough");
        },
        order);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, "test.stop");
    EXPECT_EQ(visited, 1);
  }
}

}  // namespace
}  // namespace dancu::registry
