#include <gtest/gtest.h>

#include "core/csv.h"
#include "registry/citizen_csv.h"
#include "registry/registry_fixture.h"

namespace dancu::registry::testing {
namespace {

constexpr std::chrono::year_month_day kToday{std::chrono::year{2026}, std::chrono::month{11},
                                             std::chrono::day{23}};

std::vector<std::string> Split(std::string_view line) {
  return ParseCsvText(std::string(line) + "\n").at(0);
}

CitizenCsvLayout Layout() {
  return CitizenCsvLayout::FromHeader(Split(CitizenCsvHeader())).value();
}

TEST(CitizenCsv, HeaderErrors) {
  EXPECT_EQ(CitizenCsvLayout::FromHeader({"id", "full_name", "bogus"}).error().code,
            "csv.bad_header");
  EXPECT_EQ(CitizenCsvLayout::FromHeader({"id", "id"}).error().field, "id");
  auto missing = CitizenCsvLayout::FromHeader({"id", "full_name"});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "csv.bad_header");
}

TEST(CitizenCsv, RoundTrip) {
  Citizen c = Person(Id(1, Sex::kFemale, 1950, 456789), "Lê Thị \"Út\", Dung", Sex::kFemale,
                     Date(1950), "00004");
  c.old_id = "023456789";
  c.household_id = 12;
  c.relationship_to_head = Relationship::kGrandparent;
  c.status = LifeStatus::kDeceased;
  c.date_of_death = Date(2020, 5);
  c.religion = "Phật giáo";
  c.mother_id = Id(1, Sex::kFemale, 1920, 1);
  std::string line;
  AppendCitizenCsv(line, c);
  auto parsed = Layout().Parse(Split(line.substr(0, line.size() - 1)), kToday);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->id, c.id);
  EXPECT_EQ(parsed->full_name.text(), c.full_name.text());
  EXPECT_EQ(parsed->date_of_birth, c.date_of_birth);
  EXPECT_EQ(parsed->date_of_death, c.date_of_death);
  EXPECT_EQ(parsed->household_id, 12);
  EXPECT_EQ(parsed->relationship_to_head, Relationship::kGrandparent);
  EXPECT_EQ(parsed->mother_id, c.mother_id);
  EXPECT_EQ(parsed->religion, "Phật giáo");
}

TEST(CitizenCsv, RowErrorsNameTheColumn) {
  const std::string good =
      "001185123456,,Nguyễn Thị An,female,1985-03-14,alive,,00004,Số 1,1,head,,,,1,,";
  ASSERT_TRUE(Layout().Parse(Split(good), kToday));
  struct Case {
    std::string row;
    std::string code;
    std::string field;
  } cases[] = {
      {"001185123456,,Nguyễn Thị An,female,1985-03-14", "csv.ragged", ""},
      {"00118512345X,,Nguyễn Thị An,female,1985-03-14,alive,,00004,Số 1,1,head,,,,1,,",
       "id.not_digits", "id"},
      {"001085123456,,Nguyễn Thị An,female,1985-03-14,alive,,00004,Số 1,1,head,,,,1,,",
       "id.sex_mismatch", "id"},
      {"001185123456,,Nguyễn Thị An,female,1986-03-14,alive,,00004,Số 1,1,head,,,,1,,",
       "id.year_mismatch", "id"},
      {"001185123456,,Nguyễn Thị An,female,1985-02-30,alive,,00004,Số 1,1,head,,,,1,,",
       "date.impossible", "date_of_birth"},
      {"001185123456,,Nguyễn Thị An,female,1985-03-14,deceased,,00004,Số 1,1,head,,,,1,,",
       "csv.bad_value", "date_of_death"},
      {"001185123456,,Nguyễn Thị An,female,1985-03-14,alive,,99999,Số 1,1,head,,,,1,,",
       "admin.unknown_commune", "permanent_commune_code"},
      {"001185123456,,Nguyễn Thị An,female,1985-03-14,alive,,00004,Số 1,x,head,,,,1,,",
       "csv.bad_value", "household_id"},
      {"001185123456,,Nguyễn Thị An,female,1985-03-14,alive,,00004,Số 1,,head,,,,1,,",
       "csv.bad_value", "relationship_to_head"},
      {"001185123456,12,Nguyễn Thị An,female,1985-03-14,alive,,00004,Số 1,1,head,,,,1,,",
       "old_id.length", "old_id"},
      {"001185123456,,Nguyễn Thị An,female,1985-03-14,alive,,00004,Số 1,1,head,,,,99,,",
       "ethnicity.unknown", "ethnicity"},
      {"001185123456,,,female,1985-03-14,alive,,00004,Số 1,1,head,,,,1,,", "name.empty",
       "full_name"},
      {"001185123456,,Nguyễn Thị An,female,1985-03-14,alive,,00004,Số 1,1,head,001185123456,,,1,,",
       "csv.bad_value", "id"},
  };
  for (const Case& c : cases) {
    auto r = Layout().Parse(Split(c.row), kToday);
    ASSERT_FALSE(r) << c.row;
    EXPECT_EQ(r.error().code, c.code) << c.row;
    EXPECT_EQ(r.error().field, c.field) << c.row;
  }
}

}  // namespace
}  // namespace dancu::registry::testing
