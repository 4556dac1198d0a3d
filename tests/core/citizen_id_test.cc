#include "core/citizen_id.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/random.h"

namespace dancu {
namespace {

// The 63 PPP codes of Circular 07/2016/TT-BCA, Appendix 1, written out here
// independently of data/id-codes so the test can catch a bad table.
const std::set<int> kProvinceCodes = {
    1,  2,  4,  6,  8,  10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33,
    34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66,
    67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96};

TEST(CitizenIdProvinceTest, ExactlyTheCircularCodesAreKnown) {
  ASSERT_EQ(kProvinceCodes.size(), 63u);
  for (int code = -5; code < 1005; ++code) {
    EXPECT_EQ(IsKnownIdProvinceCode(code), kProvinceCodes.count(code) == 1) << code;
  }
}

TEST(CitizenIdProvinceTest, EveryKnownCodeParses) {
  for (int code : kProvinceCodes) {
    char text[16];
    std::snprintf(text, sizeof text, "%03d085123456", code);
    auto id = CitizenId::Parse(text);
    ASSERT_TRUE(id.has_value()) << text << ": " << id.error().code;
    EXPECT_EQ(id->province_code(), code);
    EXPECT_EQ(id->ToString(), text);
  }
}

TEST(CitizenIdProvinceTest, MapsTo2025Provinces) {
  struct Case {
    int code;
    std::string_view want;
  };
  const Case cases[] = {
      {1, "01"},  {2, "08"},  {8, "08"},  {17, "25"}, {46, "46"}, {54, "66"},
      {74, "79"}, {77, "79"}, {79, "79"}, {89, "91"}, {91, "91"}, {96, "96"},
      {0, ""},    {3, ""},    {99, ""},   {100, ""},  {-1, ""},   {1000, ""},
  };
  for (const Case& c : cases) EXPECT_EQ(IdProvinceTo2025(c.code), c.want) << c.code;
  for (int code : kProvinceCodes) {
    EXPECT_EQ(IdProvinceTo2025(code).size(), 2u) << code;
  }
}

TEST(CitizenIdParseTest, Errors) {
  struct Case {
    std::string text;
    std::string code;
  };
  const Case cases[] = {
      {"", "id.length"},
      {"00108512345", "id.length"},
      {"0010851234567", "id.length"},
      {"001 085 123 456", "id.length"},
      {"00108512345a", "id.not_digits"},
      {" 01085123456", "id.not_digits"},
      {"-01085123456", "id.not_digits"},
      {"001085 23456", "id.not_digits"},
      {"00108512345\n", "id.not_digits"},
      {"000085123456", "id.bad_province"},
      {"003085123456", "id.bad_province"},
      {"099085123456", "id.bad_province"},
      {"100085123456", "id.bad_province"},
      {"999085123456", "id.bad_province"},
  };
  for (const Case& c : cases) {
    auto id = CitizenId::Parse(c.text);
    ASSERT_FALSE(id.has_value()) << c.text;
    EXPECT_EQ(id.error().code, c.code) << c.text;
    EXPECT_FALSE(id.error().message.empty());
  }
}

TEST(CitizenIdParseTest, DecodesAllFields) {
  auto id = CitizenId::Parse("079305012345");
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->province_code(), 79);
  EXPECT_EQ(id->sex(), Sex::kFemale);
  EXPECT_EQ(id->birth_year(), 2005);
  EXPECT_EQ(id->serial(), 12345u);
  EXPECT_EQ(id->number(), 79305012345);
}

// Every century/sex digit, at both ends of its century.
TEST(CitizenIdCenturyTest, EveryDigitAtCenturyBoundaries) {
  for (int g = 0; g <= 9; ++g) {
    const Sex sex = g % 2 == 0 ? Sex::kMale : Sex::kFemale;
    const int first_year = 1900 + g / 2 * 100;
    for (int year : {first_year, first_year + 1, first_year + 50, first_year + 99}) {
      auto id = CitizenId::Make(1, sex, year, 999999);
      ASSERT_TRUE(id.has_value()) << year;
      const std::string text = id->ToString();
      EXPECT_EQ(text[3], static_cast<char>('0' + g)) << year;
      EXPECT_EQ(text.substr(4, 2), std::to_string(year % 100 + 100).substr(1)) << year;
      EXPECT_EQ(id->sex(), sex);
      EXPECT_EQ(id->birth_year(), year);
      EXPECT_EQ(id->serial(), 999999u);
      auto parsed = CitizenId::Parse(text);
      ASSERT_TRUE(parsed.has_value());
      EXPECT_EQ(*parsed, *id);
      EXPECT_TRUE(id->CheckConsistent(sex, year).has_value());
    }
  }
}

TEST(CitizenIdCenturyTest, DigitTable) {
  struct Case {
    std::string text;
    Sex sex;
    int year;
  };
  const Case cases[] = {
      {"001000000000", Sex::kMale, 1900}, {"001199000000", Sex::kFemale, 1999},
      {"001200000000", Sex::kMale, 2000}, {"001399000000", Sex::kFemale, 2099},
      {"001400000000", Sex::kMale, 2100}, {"001599000000", Sex::kFemale, 2199},
      {"001600000000", Sex::kMale, 2200}, {"001799000000", Sex::kFemale, 2299},
      {"001800000000", Sex::kMale, 2300}, {"001999000000", Sex::kFemale, 2399},
  };
  for (const Case& c : cases) {
    auto id = CitizenId::Parse(c.text);
    ASSERT_TRUE(id.has_value()) << c.text;
    EXPECT_EQ(id->sex(), c.sex) << c.text;
    EXPECT_EQ(id->birth_year(), c.year) << c.text;
  }
}

TEST(CitizenIdMakeTest, Errors) {
  struct Case {
    int province;
    int year;
    uint32_t serial;
    std::string code;
  };
  const Case cases[] = {
      {0, 1985, 1, "id.bad_province"},      {3, 1985, 1, "id.bad_province"},
      {100, 1985, 1, "id.bad_province"},    {-1, 1985, 1, "id.bad_province"},
      {1, 1899, 1, "id.year_out_of_range"}, {1, 2400, 1, "id.year_out_of_range"},
      {1, 0, 1, "id.year_out_of_range"},    {1, -2000, 1, "id.year_out_of_range"},
      {1, 1985, 1000000, "id.bad_serial"},  {1, 1985, 4294967295u, "id.bad_serial"},
  };
  for (const Case& c : cases) {
    auto id = CitizenId::Make(c.province, Sex::kMale, c.year, c.serial);
    ASSERT_FALSE(id.has_value()) << c.province << " " << c.year << " " << c.serial;
    EXPECT_EQ(id.error().code, c.code);
  }
}

TEST(CitizenIdMakeTest, KeepsLeadingZeros) {
  auto id = CitizenId::Make(1, Sex::kMale, 1985, 42);
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->ToString(), "001085000042");
  EXPECT_EQ(id->number(), 1085000042);
  auto zero_serial = CitizenId::Make(2, Sex::kFemale, 2001, 0);
  ASSERT_TRUE(zero_serial.has_value());
  EXPECT_EQ(zero_serial->ToString(), "002301000000");
}

TEST(CitizenIdFromNumberTest, RoundTripAndErrors) {
  auto id = CitizenId::FromNumber(1085000042);
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->ToString(), "001085000042");
  EXPECT_EQ(CitizenId::FromNumber(96999999999)->ToString(), "096999999999");

  EXPECT_EQ(CitizenId::FromNumber(-1).error().code, "id.length");
  EXPECT_EQ(CitizenId::FromNumber(1'000'000'000'000).error().code, "id.length");
  EXPECT_EQ(CitizenId::FromNumber(0).error().code, "id.bad_province");
  EXPECT_EQ(CitizenId::FromNumber(3085000042).error().code, "id.bad_province");
}

TEST(CitizenIdConsistencyTest, SexAndYear) {
  auto id = CitizenId::Parse("001185123456");  // female, 1985
  ASSERT_TRUE(id.has_value());
  EXPECT_TRUE(id->CheckConsistent(Sex::kFemale, 1985).has_value());
  struct Case {
    Sex sex;
    int year;
    std::string code;
  };
  const Case cases[] = {
      {Sex::kMale, 1985, "id.sex_mismatch"},    {Sex::kFemale, 1986, "id.year_mismatch"},
      {Sex::kFemale, 2085, "id.year_mismatch"},  // same YY, other century
      {Sex::kFemale, 1885, "id.year_mismatch"}, {Sex::kFemale, 0, "id.year_mismatch"},
  };
  for (const Case& c : cases) {
    auto s = id->CheckConsistent(c.sex, c.year);
    ASSERT_FALSE(s.has_value()) << c.year;
    EXPECT_EQ(s.error().code, c.code) << c.year;
  }
}

TEST(CitizenIdAllocateTest, SeededRandomIsReproducible) {
  SeededRandom a(20250701), b(20250701), other(7);
  std::set<std::string> distinct;
  bool differs_from_other_seed = false;
  for (int i = 0; i < 200; ++i) {
    auto x = CitizenId::Allocate(79, Sex::kFemale, 2005, a);
    auto y = CitizenId::Allocate(79, Sex::kFemale, 2005, b);
    auto z = CitizenId::Allocate(79, Sex::kFemale, 2005, other);
    ASSERT_TRUE(x.has_value() && y.has_value() && z.has_value());
    EXPECT_EQ(*x, *y);
    differs_from_other_seed |= *x != *z;
    EXPECT_EQ(x->ToString().substr(0, 6), "079305");
    EXPECT_TRUE(x->CheckConsistent(Sex::kFemale, 2005).has_value());
    distinct.insert(x->ToString());
  }
  EXPECT_TRUE(differs_from_other_seed);
  EXPECT_GE(distinct.size(), 199u);  // 200 draws from 10^6 serials
}

TEST(CitizenIdAllocateTest, PropagatesErrors) {
  SeededRandom r(1);
  EXPECT_EQ(CitizenId::Allocate(3, Sex::kMale, 1985, r).error().code, "id.bad_province");
  EXPECT_EQ(CitizenId::Allocate(1, Sex::kMale, 2400, r).error().code, "id.year_out_of_range");
}

TEST(CitizenIdTest, OrdersByNumber) {
  auto a = CitizenId::Parse("001085000001");
  auto b = CitizenId::Parse("001085000002");
  auto c = CitizenId::Parse("096085000000");
  EXPECT_LT(*a, *b);
  EXPECT_LT(*b, *c);
  EXPECT_EQ(CitizenId(), CitizenId());
}

TEST(OldIdTest, NineDigits) {
  EXPECT_EQ(ParseOldId("123456789").value(), "123456789");
  EXPECT_EQ(ParseOldId("012345678").value(), "012345678");
  EXPECT_EQ(ParseOldId("").error().code, "old_id.length");
  EXPECT_EQ(ParseOldId("12345678").error().code, "old_id.length");
  EXPECT_EQ(ParseOldId("1234567890").error().code, "old_id.length");
  EXPECT_EQ(ParseOldId("001085000042").error().code, "old_id.length");
  EXPECT_EQ(ParseOldId("12345678a").error().code, "old_id.not_digits");
  EXPECT_EQ(ParseOldId("1234 5678").error().code, "old_id.not_digits");
}

}  // namespace
}  // namespace dancu
