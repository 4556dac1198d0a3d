#include "verify/matching.h"

#include <gtest/gtest.h>

namespace dancu::verify {
namespace {

PartialDate D(int y, int m = 0, int d = 0) { return PartialDate::Make(y, m, d).value(); }

TEST(EditDistanceTest, Table) {
  struct Case {
    std::string_view a, b;
    int limit, want;
  } cases[] = {
      {"nguyen van an", "nguyen van an", 2, 0},
      {"nguyen van an", "nguyen van anh", 2, 1},
      {"nguyen van an", "nguyen vn an", 2, 1},
      {"nguyen van an", "nguyen van na", 2, 2},
      {"nguyen van an", "tran thi binh", 2, 3},   // limit + 1
      {"an", "nguyen van an", 2, 3},              // length gap alone
      {"", "", 2, 0},
      {"abc", "", 5, 3},
      {"kitten", "sitting", 10, 3},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(EditDistance(c.a, c.b, c.limit), c.want) << c.a << " / " << c.b;
    EXPECT_EQ(EditDistance(c.b, c.a, c.limit), c.want) << "symmetric " << c.a;
  }
}

TEST(SortedTokensTest, OrderAndSpacing) {
  EXPECT_EQ(SortedTokens("nguyen van an"), "an nguyen van");
  EXPECT_EQ(SortedTokens("an nguyen van"), "an nguyen van");
  EXPECT_EQ(SortedTokens(""), "");
}

TEST(CompareDatesTest, Table) {
  struct Case {
    PartialDate registered, given;
    FieldResult want;
  } cases[] = {
      {D(1985, 3, 14), D(1985, 3, 14), FieldResult::kMatch},
      {D(1985, 3, 14), D(1985, 3, 15), FieldResult::kMismatch},
      {D(1985, 3, 14), D(1985, 3), FieldResult::kPartial},
      {D(1985, 3, 14), D(1985), FieldResult::kPartial},
      {D(1985, 3, 14), D(1986), FieldResult::kMismatch},
      {D(1950), D(1950), FieldResult::kMatch},
      {D(1950), D(1950, 4, 2), FieldResult::kPartial},
      {D(1950), D(1950, 12), FieldResult::kPartial},
      {D(1950), D(1951, 1, 1), FieldResult::kMismatch},
      {D(1940, 5), D(1940, 5, 31), FieldResult::kPartial},
      {D(1940, 5), D(1940, 6, 1), FieldResult::kMismatch},
      {D(1940, 5), D(1940, 5), FieldResult::kMatch},
      {D(1940, 5), D(1940, 6), FieldResult::kMismatch},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(CompareDates(c.registered, c.given), c.want)
        << c.registered.ToString() << " vs " << c.given.ToString();
  }
}

TEST(NameScoreTest, LevelsOrdered) {
  EXPECT_EQ(NameScore(NameLevel::kExact, 0, 13, 13), 100);
  EXPECT_EQ(NameScore(NameLevel::kSameAfterFolding, 0, 13, 13), 95);
  EXPECT_EQ(NameScore(NameLevel::kTokenReordered, 0, 13, 13), 90);
  int typo = NameScore(NameLevel::kTypo, 1, 13, 14);
  EXPECT_GT(typo, 80);
  EXPECT_LE(typo, 89);
  EXPECT_LT(NameScore(NameLevel::kDifferent, 10, 13, 13), 80);
  EXPECT_GE(NameScore(NameLevel::kDifferent, 40, 13, 13), 0);
}

TEST(ResultOfTest, LevelsToResults) {
  EXPECT_EQ(ResultOf(NameLevel::kExact), FieldResult::kMatch);
  EXPECT_EQ(ResultOf(NameLevel::kSameAfterFolding), FieldResult::kMatch);
  EXPECT_EQ(ResultOf(NameLevel::kTokenReordered), FieldResult::kPartial);
  EXPECT_EQ(ResultOf(NameLevel::kTypo), FieldResult::kPartial);
  EXPECT_EQ(ResultOf(NameLevel::kDifferent), FieldResult::kMismatch);
}

}  // namespace
}  // namespace dancu::verify
