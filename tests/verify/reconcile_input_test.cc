// Reading an agency file for reconciliation: column maps (explicit, names,
// aliases, every --map error), separator sniffing, and row validation.
#include "verify/reconcile_input.h"

#include <gtest/gtest.h>

namespace dancu::verify {
namespace {

using Cells = std::array<std::string_view, kInputFieldCount>;

const auto kToday = std::chrono::year_month_day{std::chrono::year{2026} / 11 / 23};

int Column(const ColumnMap& m, InputField f) { return m.column[static_cast<size_t>(f)]; }

TEST(ColumnMap, HeaderNamesAndAliasesMapWithoutAMap) {
  auto m = ColumnMap::FromHeader({"CCCD", "Họ và tên", "Ngày sinh", "Giới tính", "agency_ref"}, "");
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(Column(*m, InputField::kId), 0);
  EXPECT_EQ(Column(*m, InputField::kFullName), 1);
  EXPECT_EQ(Column(*m, InputField::kDateOfBirth), 2);
  EXPECT_EQ(Column(*m, InputField::kSex), 3);
  EXPECT_EQ(Column(*m, InputField::kOldId), -1);
  EXPECT_EQ(m->header_width, 5u);
}

TEST(ColumnMap, TheRegisterExportMapsAsItIs) {
  auto m = ColumnMap::FromHeader(
      {"id", "old_id", "full_name", "sex", "date_of_birth", "status", "date_of_death",
       "permanent_commune_code", "permanent_address", "household_id"},
      "");
  ASSERT_TRUE(m);
  EXPECT_EQ(Column(*m, InputField::kOldId), 1);
  EXPECT_EQ(Column(*m, InputField::kCommuneCode), 7);
  EXPECT_EQ(Column(*m, InputField::kAddress), 8);
}

TEST(ColumnMap, ExplicitMapWinsAndTheRestStillMapsByName) {
  // "so" is the agency's own column for the id; "id" is their internal key.
  auto m = ColumnMap::FromHeader({"id", "so", "ten", "dob"}, "so=id, ten = full_name");
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(Column(*m, InputField::kId), 1);
  EXPECT_EQ(Column(*m, InputField::kFullName), 2);
  EXPECT_EQ(Column(*m, InputField::kDateOfBirth), 3);
  // Columns are also found by their normalised name.
  auto n = ColumnMap::FromHeader({"Số CCCD", "x"}, "so cccd=id,x=commune_code");
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(Column(*n, InputField::kId), 0);
  EXPECT_EQ(Column(*n, InputField::kCommuneCode), 1);
}

TEST(ColumnMap, MapErrors) {
  struct Case {
    std::vector<std::string> header;
    std::string map;
    std::string code;
  } cases[] = {
      {{"a", "b"}, "nope=id", "reconcile.unknown_column"},
      {{"a", "b"}, "a=identity", "reconcile.unknown_field"},
      {{"a", "b"}, "a=id,b=id", "reconcile.duplicate_field"},
      {{"a", "b"}, "a", "reconcile.bad_map"},
      {{"a", "b"}, "=id", "reconcile.bad_map"},
      {{"a", "b"}, "a=", "reconcile.bad_map"},
      {{"a", "b"}, "", "reconcile.no_key"},
      {{"a", "sex"}, "", "reconcile.no_key"},
  };
  for (const Case& c : cases) {
    auto m = ColumnMap::FromHeader(c.header, c.map);
    ASSERT_FALSE(m) << c.map;
    EXPECT_EQ(m.error().code, c.code) << c.map;
    EXPECT_EQ(m.error().field, "map");
  }
}

TEST(SniffSeparator, CountsOutsideQuotesOnTheFirstLine) {
  EXPECT_EQ(SniffSeparator("id,full_name,dob\n1;2;3;4;5\n"), ',');
  EXPECT_EQ(SniffSeparator("id;full_name;dob\r\n"), ';');
  EXPECT_EQ(SniffSeparator("\"a,b,c\";x;y\n"), ';');
  EXPECT_EQ(SniffSeparator("id\n"), ',');
}

Cells Row(std::string_view id, std::string_view name = "", std::string_view dob = "",
          std::string_view sex = "", std::string_view commune = "") {
  return Cells{id, "", name, dob, sex, commune, ""};
}

TEST(ParseRow, AcceptsAgencyShapes) {
  auto q = ParseRow(Row(" 001085123456 ", "nguyen van an", "14/03/1985", "Nam", "00004"), kToday);
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->id->ToString(), "001085123456");
  EXPECT_EQ(q->full_name->folded(), "nguyen van an");
  EXPECT_EQ(q->date_of_birth->ToString(), "1985-03-14");
  EXPECT_EQ(*q->sex, Sex::kMale);
  EXPECT_EQ(*q->commune_code, "00004");
  EXPECT_EQ(ParseRow(Row("", "", "1985-03-14"), kToday)->date_of_birth->ToString(), "1985-03-14");
  EXPECT_EQ(ParseRow(Row("", "", "03/1985"), kToday)->date_of_birth->ToString(), "1985-03");
  EXPECT_EQ(ParseRow(Row("", "", "1985"), kToday)->date_of_birth->ToString(), "1985");
  EXPECT_EQ(*ParseRow(Row("", "", "", "nữ"), kToday)->sex, Sex::kFemale);
  // Blank cells are fields not given.
  auto empty = ParseRow(Row("  "), kToday);
  ASSERT_TRUE(empty);
  EXPECT_FALSE(empty->id);
  EXPECT_FALSE(empty->full_name);
}

TEST(ParseRow, IntoAReusedQueryResetsWhatTheNextRowLacks) {
  VerifyQuery q;
  const Cells full{"001085123456", "",      "Nguyễn Văn An",    "14/03/1985",
                   "nam",          "00004", "12 Lý Thường Kiệt"};
  ASSERT_TRUE(ParseRow(full, kToday, q));
  EXPECT_EQ(q.full_name->text(), "Nguyễn Văn An");
  EXPECT_EQ(*q.address, "12 Lý Thường Kiệt");
  ASSERT_TRUE(ParseRow(Cells{"", "123456789", "Lê An", "", "", "", "3 Hàng Bạc"}, kToday, q));
  EXPECT_FALSE(q.id);
  EXPECT_EQ(*q.old_id, "123456789");
  EXPECT_EQ(q.full_name->text(), "Lê An");
  EXPECT_EQ(q.full_name->folded(), "le an");
  EXPECT_FALSE(q.date_of_birth);
  EXPECT_FALSE(q.sex);
  EXPECT_FALSE(q.commune_code);
  EXPECT_EQ(*q.address, "3 Hàng Bạc");
  ASSERT_TRUE(ParseRow(Row("001085123456"), kToday, q));
  EXPECT_FALSE(q.old_id);
  EXPECT_FALSE(q.full_name);
  EXPECT_FALSE(q.address);
  // The same answer as a fresh parse.
  ASSERT_TRUE(ParseRow(full, kToday, q));
  auto fresh = ParseRow(full, kToday);
  ASSERT_TRUE(fresh);
  EXPECT_EQ(q.full_name->folded(), fresh->full_name->folded());
  EXPECT_EQ(*q.date_of_birth, *fresh->date_of_birth);
  EXPECT_EQ(*q.commune_code, *fresh->commune_code);
}

TEST(ParseRow, InvalidValuesNameTheirField) {
  struct Case {
    Cells cells;
    std::string code, field;
  } cases[] = {
      {Row("12345"), "id.length", "id"},
      {Row("001085123456", "", "31/02/2000"), "date.impossible", "date_of_birth"},
      {Row("001085123456", "", "2999-01-01"), "date.future", "date_of_birth"},
      {Row("001085123456", "", "14.3.85"), "date.format", "date_of_birth"},
      {Row("001085123456", "An 2"), "name.bad_chars", "full_name"},
      {Row("001085123456", "", "", "x"), "sex.invalid", "sex"},
      {Row("001085123456", "", "", "", "99999"), "admin.unknown_commune",
       "permanent_address.commune_code"},
      {Cells{"", "12", "", "", "", "", ""}, "old_id.length", "old_id"},
  };
  for (const Case& c : cases) {
    auto q = ParseRow(c.cells, kToday);
    ASSERT_FALSE(q) << c.code;
    EXPECT_EQ(q.error().code, c.code);
    EXPECT_EQ(q.error().field, c.field);
  }
}

}  // namespace
}  // namespace dancu::verify
