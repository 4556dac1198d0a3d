#include "linkage/field.h"

#include <gtest/gtest.h>

namespace dancu::linkage {
namespace {

std::string Norm(FieldType t, std::string_view raw) {
  std::string out;
  Normalize(t, raw, out);
  return out;
}

TEST(FieldTest, ParseSpecs) {
  auto specs = ParseFieldSpecs("given_name:name, dob:date,ssn:id");
  ASSERT_TRUE(specs) << specs.error().message;
  ASSERT_EQ(specs->size(), 3u);
  EXPECT_EQ((*specs)[1].column, "dob");
  EXPECT_EQ((*specs)[1].type, FieldType::kDate);
  for (const char* bad : {"", "a", "a:", ":name", "a:name,", "a:nom", "a:name,,b:date"}) {
    auto r = ParseFieldSpecs(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, "linkage.bad_fields") << bad;
  }
}

TEST(FieldTest, NormalizeDates) {
  EXPECT_EQ(Norm(FieldType::kDate, "19850304"), "19850304");
  EXPECT_EQ(Norm(FieldType::kDate, "1985-03-04"), "19850304");
  EXPECT_EQ(Norm(FieldType::kDate, "4/3/1985"), "19850304");
  EXPECT_EQ(Norm(FieldType::kDate, "04/03/1985"), "19850304");
  EXPECT_EQ(Norm(FieldType::kDate, "03/1985"), "19850300");
  EXPECT_EQ(Norm(FieldType::kDate, "1985"), "19850000");
  EXPECT_EQ(Norm(FieldType::kDate, "1985-03"), "19850300");
  EXPECT_EQ(Norm(FieldType::kDate, " "), "");
  EXPECT_EQ(Norm(FieldType::kDate, "1985x0304"), "19850304");  // digits kept
}

TEST(FieldTest, NormalizeNamesAndCodes) {
  EXPECT_EQ(Norm(FieldType::kName, "  Nguyễn  Văn ĐỨC "), "nguyen van duc");
  EXPECT_EQ(Norm(FieldType::kId, "AB-12 34"), "ab1234");
  EXPECT_EQ(Norm(FieldType::kPostcode, " 2600"), "2600");
}

TEST(FieldTest, CompareLevels) {
  struct Case {
    FieldType type;
    const char *a, *b;
    Level level;
  } cases[] = {
      {FieldType::kName, "nguyen van an", "nguyen van an", Level::kAgree},
      {FieldType::kName, "an nguyen van", "nguyen van an", Level::kClose},  // given name first
      {FieldType::kName, "nguyen van anh", "nguyen van an", Level::kClose},
      {FieldType::kName, "tran thi binh", "nguyen van an", Level::kDisagree},
      {FieldType::kName, "", "nguyen van an", Level::kMissing},
      {FieldType::kDate, "19850304", "19850403", Level::kClose},
      {FieldType::kDate, "19850304", "19850305", Level::kSimilar},
      {FieldType::kDate, "19850000", "19850403", Level::kSimilar},  // year only
      {FieldType::kDate, "19850304", "19720911", Level::kDisagree},
      {FieldType::kId, "1234567", "1243567", Level::kClose},
      {FieldType::kId, "1234567", "7654321", Level::kDisagree},
      {FieldType::kExact, "nsw", "vic", Level::kDisagree},
      {FieldType::kText, "wallaby place", "wallaby plac", Level::kClose},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Compare(c.type, c.a, c.b), c.level) << c.a << " / " << c.b;
  }
}

TEST(FieldTest, DefaultWeightsOrdered) {
  for (FieldType t : {FieldType::kName, FieldType::kDate, FieldType::kText, FieldType::kExact,
                      FieldType::kId, FieldType::kPostcode}) {
    FieldModel m = DefaultModel(t);
    EXPECT_GT(m.weight[0], 0) << ToString(t);
    EXPECT_LT(m.weight[3], 0) << ToString(t);
    EXPECT_EQ(m.Weight(Level::kMissing), 0);
  }
}

}  // namespace
}  // namespace dancu::linkage
