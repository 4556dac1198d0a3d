#include "linkage/comparators.h"

#include <gtest/gtest.h>

namespace dancu::linkage {
namespace {

TEST(ComparatorsTest, JaroWinklerKnownValues) {
  // Reference values (Winkler 1990 examples).
  EXPECT_NEAR(JaroWinkler("martha", "marhta"), 0.9611, 1e-4);
  EXPECT_NEAR(JaroWinkler("dwayne", "duane"), 0.84, 1e-4);
  EXPECT_NEAR(JaroWinkler("dixon", "dicksonx"), 0.8133, 1e-4);
  EXPECT_DOUBLE_EQ(JaroWinkler("abc", "abc"), 1.0);
  EXPECT_DOUBLE_EQ(JaroWinkler("abc", "xyz"), 0.0);
  EXPECT_DOUBLE_EQ(JaroWinkler("", "abc"), 0.0);
  EXPECT_DOUBLE_EQ(JaroWinkler("", ""), 1.0);
}

TEST(ComparatorsTest, JaroWinklerLongTextComparesFirst64Bytes) {
  std::string a(100, 'a'), b(100, 'a');
  b[90] = 'b';
  EXPECT_DOUBLE_EQ(JaroWinkler(a, b), 1.0);
  b[10] = 'b';
  EXPECT_LT(JaroWinkler(a, b), 1.0);
}

TEST(ComparatorsTest, EditDistance) {
  EXPECT_EQ(EditDistance("nguyen van an", "nguyen van anh", 2), 1);
  EXPECT_EQ(EditDistance("kitten", "sitting", 5), 3);
  EXPECT_EQ(EditDistance("kitten", "sitting", 2), 3);  // limit + 1
  EXPECT_EQ(EditDistance("", "abc", 5), 3);
}

TEST(ComparatorsTest, WithinOneEdit) {
  EXPECT_TRUE(WithinOneEdit("1234567", "1234567"));
  EXPECT_TRUE(WithinOneEdit("1234567", "1234597"));  // substitution
  EXPECT_TRUE(WithinOneEdit("1234567", "1243567"));  // adjacent swap
  EXPECT_TRUE(WithinOneEdit("1234567", "123567"));   // deletion
  EXPECT_TRUE(WithinOneEdit("123567", "1234567"));   // insertion
  EXPECT_FALSE(WithinOneEdit("1234567", "1324576"));
  EXPECT_FALSE(WithinOneEdit("1234567", "12345"));
  EXPECT_FALSE(WithinOneEdit("1234567", "1532467"));  // distant swap
}

TEST(ComparatorsTest, DayMonthSwapped) {
  EXPECT_TRUE(DayMonthSwapped("19850304", "19850403"));
  EXPECT_FALSE(DayMonthSwapped("19850303", "19850303"));
  EXPECT_FALSE(DayMonthSwapped("19850304", "19860403"));
  EXPECT_FALSE(DayMonthSwapped("1985034", "19850403"));
}

}  // namespace
}  // namespace dancu::linkage
