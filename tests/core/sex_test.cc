#include "core/sex.h"

#include <gtest/gtest.h>

#include <string>

namespace dancu {
namespace {

TEST(SexTest, ParsesEveryAcceptedSpelling) {
  struct Case {
    std::string text;
    std::optional<Sex> want;
  };
  const Case cases[] = {
      {"male", Sex::kMale},
      {"MALE", Sex::kMale},
      {"Male", Sex::kMale},
      {"m", Sex::kMale},
      {"M", Sex::kMale},
      {"nam", Sex::kMale},
      {"Nam", Sex::kMale},
      {"NAM", Sex::kMale},
      {" nam ", Sex::kMale},
      {"female", Sex::kFemale},
      {"Female", Sex::kFemale},
      {"f", Sex::kFemale},
      {"F", Sex::kFemale},
      {"nữ", Sex::kFemale},
      {"Nữ", Sex::kFemale},
      {"NỮ", Sex::kFemale},
      {"nu", Sex::kFemale},
      {"NU", Sex::kFemale},
      {"nu\xCC\x9B\xCC\x83", Sex::kFemale},  // NFD nữ
      {"", std::nullopt},
      {"x", std::nullopt},
      {"males", std::nullopt},
      {"fe male", std::nullopt},
      {"0", std::nullopt},
      {"1", std::nullopt},
      {"other", std::nullopt},
      {"ma", std::nullopt},
  };
  for (const Case& c : cases) EXPECT_EQ(ParseSex(c.text), c.want) << c.text;
}

TEST(SexTest, WireForm) {
  EXPECT_EQ(ToString(Sex::kMale), "male");
  EXPECT_EQ(ToString(Sex::kFemale), "female");
  EXPECT_EQ(ParseSex(ToString(Sex::kMale)), Sex::kMale);
  EXPECT_EQ(ParseSex(ToString(Sex::kFemale)), Sex::kFemale);
}

}  // namespace
}  // namespace dancu
