#include "core/partial_date.h"

#include <gtest/gtest.h>

#include <string>

namespace dancu {
namespace {

using std::chrono::year_month_day;
using Precision = PartialDate::Precision;

constexpr year_month_day Ymd(int y, unsigned m, unsigned d) {
  return year_month_day{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

// A fixed "today" so future checks do not depend on when the test runs.
constexpr year_month_day kToday = Ymd(2025, 7, 15);

TEST(PartialDateParseTest, ValidShapes) {
  struct Case {
    std::string text;
    int y, m, d;
    Precision precision;
  };
  const Case cases[] = {
      {"1985", 1985, 0, 0, Precision::kYear},
      {"1985-05", 1985, 5, 0, Precision::kMonth},
      {"1985-05-12", 1985, 5, 12, Precision::kDay},
      {"0001", 1, 0, 0, Precision::kYear},
      {"0001-01-01", 1, 1, 1, Precision::kDay},
      {"2000-02-29", 2000, 2, 29, Precision::kDay},  // divisible by 400: leap
      {"2024-02-29", 2024, 2, 29, Precision::kDay},
      {"1985-12-31", 1985, 12, 31, Precision::kDay},
      {"2025-07-15", 2025, 7, 15, Precision::kDay},  // today itself
      {"2025-07", 2025, 7, 0, Precision::kMonth},    // this month
      {"2025", 2025, 0, 0, Precision::kYear},        // this year
  };
  for (const Case& c : cases) {
    auto d = PartialDate::Parse(c.text, kToday);
    ASSERT_TRUE(d.has_value()) << c.text << ": " << d.error().message;
    EXPECT_EQ(d->year(), c.y) << c.text;
    EXPECT_EQ(d->month(), c.m) << c.text;
    EXPECT_EQ(d->day(), c.d) << c.text;
    EXPECT_EQ(d->precision(), c.precision) << c.text;
    EXPECT_EQ(d->IsFull(), c.precision == Precision::kDay) << c.text;
    EXPECT_EQ(d->ToString(), c.text);
  }
}

TEST(PartialDateParseTest, Errors) {
  struct Case {
    std::string text;
    std::string code;
  };
  const Case cases[] = {
      {"", "date.format"},
      {"85", "date.format"},
      {"19850", "date.format"},
      {"1985-5", "date.format"},
      {"1985-5-12", "date.format"},
      {"1985-05-1", "date.format"},
      {"1985/05/12", "date.format"},
      {"12/05/1985", "date.format"},  // lenient only
      {"19850512", "date.format"},    // lenient only
      {" 1985", "date.format"},
      {"1985-05-12 ", "date.format"},
      {"1985-05-12T00:00", "date.format"},
      {"198a", "date.format"},
      {"1985-0a", "date.format"},
      {"+985", "date.format"},
      {"0000", "date.impossible"},
      {"0000-01-01", "date.impossible"},
      {"1985-00", "date.impossible"},
      {"1985-13", "date.impossible"},
      {"1985-00-12", "date.impossible"},
      {"1985-05-00", "date.impossible"},
      {"1985-05-32", "date.impossible"},
      {"1985-02-31", "date.impossible"},
      {"1985-02-30", "date.impossible"},
      {"1985-02-29", "date.impossible"},  // not a leap year
      {"1900-02-29", "date.impossible"},  // divisible by 100, not 400
      {"2100-02-29", "date.impossible"},
      {"1985-04-31", "date.impossible"},
      {"1985-06-31", "date.impossible"},
      {"1985-09-31", "date.impossible"},
      {"1985-11-31", "date.impossible"},
      {"2025-07-16", "date.future"},
      {"2025-08", "date.future"},
      {"2026", "date.future"},
      {"2026-01-01", "date.future"},
      {"9999-12-31", "date.future"},
  };
  for (const Case& c : cases) {
    auto d = PartialDate::Parse(c.text, kToday);
    ASSERT_FALSE(d.has_value()) << c.text;
    EXPECT_EQ(d.error().code, c.code) << c.text << ": " << d.error().message;
  }
}

TEST(PartialDateParseTest, FutureIsRelativeToToday) {
  EXPECT_EQ(PartialDate::Parse("2025-12-31", Ymd(2025, 12, 30)).error().code, "date.future");
  EXPECT_TRUE(PartialDate::Parse("2025-12-31", Ymd(2025, 12, 31)).has_value());
  // A year-only date is not future during that year, even on 1 January.
  EXPECT_TRUE(PartialDate::Parse("2030", Ymd(2030, 1, 1)).has_value());
  EXPECT_EQ(PartialDate::Parse("2030", Ymd(2029, 12, 31)).error().code, "date.future");
  EXPECT_TRUE(PartialDate::Parse("2030-02", Ymd(2030, 2, 1)).has_value());
  EXPECT_EQ(PartialDate::Parse("2030-02", Ymd(2030, 1, 31)).error().code, "date.future");
}

TEST(PartialDateLenientTest, AgencyShapes) {
  struct Case {
    std::string text;
    std::string want;  // ToString of the result
  };
  const Case cases[] = {
      {"12/05/1985", "1985-05-12"},
      {"2/5/1985", "1985-05-02"},
      {"02/5/1985", "1985-05-02"},
      {"29/02/2000", "2000-02-29"},
      {"31-12-1999", "1999-12-31"},
      {"31.12.1999", "1999-12-31"},
      {"05/1985", "1985-05"},
      {"5/1985", "1985-05"},
      {"19850512", "1985-05-12"},
      {"19850500", "1985-05"},  // 00 day = unknown in the packed form
      {"19850000", "1985"},     // 00 month and day = year only
      {"1985", "1985"},
      {"1985-05", "1985-05"},
      {"1985-05-12", "1985-05-12"},
      {"  12/05/1985 ", "1985-05-12"},
      {"\t1985\t", "1985"},
  };
  for (const Case& c : cases) {
    auto d = PartialDate::ParseLenient(c.text, kToday);
    ASSERT_TRUE(d.has_value()) << c.text << ": " << d.error().message;
    EXPECT_EQ(d->ToString(), c.want) << c.text;
  }
}

TEST(PartialDateLenientTest, Errors) {
  struct Case {
    std::string text;
    std::string code;
  };
  const Case cases[] = {
      {"", "date.format"},
      {"   ", "date.format"},
      {"12/05/85", "date.format"},
      {"123/05/1985", "date.format"},
      {"12/05/1985/1", "date.format"},
      {"12/05-1985", "date.format"},
      {"/05/1985", "date.format"},
      {"12//1985", "date.format"},
      {"1985/05/12", "date.format"},
      {"1985051", "date.format"},
      {"198505123", "date.format"},
      {"May 1985", "date.format"},
      {"a2/05/1985", "date.format"},
      {"31/02/1985", "date.impossible"},
      {"30/02/2000", "date.impossible"},
      {"29/02/1900", "date.impossible"},
      {"29/02/2023", "date.impossible"},
      {"00/05/1985", "date.impossible"},  // an unknown day is written 05/1985
      {"12/00/1985", "date.impossible"},
      {"12/13/1985", "date.impossible"},
      {"13/1985", "date.impossible"},
      {"0/1985", "date.impossible"},
      {"32/01/1985", "date.impossible"},
      {"00/00/0000", "date.impossible"},
      {"19850230", "date.impossible"},
      {"19851300", "date.impossible"},
      {"19850012", "date.impossible"},  // a day without a month
      {"00000000", "date.impossible"},
      {"16/07/2025", "date.future"},
      {"08/2025", "date.future"},
      {"20250716", "date.future"},
      {"20250800", "date.future"},
      {"20260000", "date.future"},
  };
  for (const Case& c : cases) {
    auto d = PartialDate::ParseLenient(c.text, kToday);
    ASSERT_FALSE(d.has_value()) << c.text << " parsed as " << d->ToString();
    EXPECT_EQ(d.error().code, c.code) << c.text << ": " << d.error().message;
  }
}

TEST(PartialDateMakeTest, RangesAndUnknownParts) {
  EXPECT_TRUE(PartialDate::Make(1985, 0, 0).has_value());
  EXPECT_TRUE(PartialDate::Make(1985, 12, 0).has_value());
  EXPECT_TRUE(PartialDate::Make(9999, 12, 31).has_value());  // no future check
  EXPECT_TRUE(PartialDate::Make(2024, 2, 29).has_value());
  struct Case {
    int y, m, d;
  };
  const Case bad[] = {{0, 1, 1},    {-1, 1, 1},    {10000, 1, 1}, {1985, 13, 1}, {1985, -1, 0},
                      {1985, 0, 1}, {1985, 1, 32}, {1985, 1, -1}, {1985, 2, 29}, {1900, 2, 29}};
  for (const Case& c : bad) {
    auto d = PartialDate::Make(c.y, c.m, c.d);
    ASSERT_FALSE(d.has_value()) << c.y << "-" << c.m << "-" << c.d;
    EXPECT_EQ(d.error().code, "date.impossible");
  }
}

TEST(PartialDatePackTest, RoundTrip) {
  struct Case {
    int y, m, d;
    int32_t packed;
  };
  const Case cases[] = {{1985, 0, 0, 19850000}, {1985, 5, 0, 19850500},   {1985, 5, 12, 19850512},
                        {1, 1, 1, 10101},       {9999, 12, 31, 99991231}, {2000, 2, 29, 20000229}};
  for (const Case& c : cases) {
    auto d = PartialDate::Make(c.y, c.m, c.d);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->Packed(), c.packed);
    EXPECT_EQ(PartialDate::FromPacked(c.packed), *d);
  }
}

TEST(PartialDatePackDeathTest, AbortsOnInvalid) {
  EXPECT_DEATH(PartialDate::FromPacked(19850231), "invalid packed date");
  EXPECT_DEATH(PartialDate::FromPacked(19851300), "invalid packed date");
  EXPECT_DEATH(PartialDate::FromPacked(19850012), "invalid packed date");
  EXPECT_DEATH(PartialDate::FromPacked(0), "invalid packed date");
  EXPECT_DEATH(PartialDate::FromPacked(-19850101), "invalid packed date");
}

TEST(PartialDateRangeTest, EarliestAndLatest) {
  struct Case {
    std::string text;
    year_month_day earliest, latest;
  };
  const Case cases[] = {
      {"1985", Ymd(1985, 1, 1), Ymd(1985, 12, 31)},
      {"1985-02", Ymd(1985, 2, 1), Ymd(1985, 2, 28)},
      {"1984-02", Ymd(1984, 2, 1), Ymd(1984, 2, 29)},
      {"2000-02", Ymd(2000, 2, 1), Ymd(2000, 2, 29)},
      {"1900-02", Ymd(1900, 2, 1), Ymd(1900, 2, 28)},
      {"1985-04", Ymd(1985, 4, 1), Ymd(1985, 4, 30)},
      {"1985-12", Ymd(1985, 12, 1), Ymd(1985, 12, 31)},
      {"1985-05-12", Ymd(1985, 5, 12), Ymd(1985, 5, 12)},
  };
  for (const Case& c : cases) {
    auto d = PartialDate::Parse(c.text, kToday);
    ASSERT_TRUE(d.has_value()) << c.text;
    EXPECT_EQ(d->Earliest(), c.earliest) << c.text;
    EXPECT_EQ(d->Latest(), c.latest) << c.text;
    EXPECT_TRUE(d->Contains(c.earliest)) << c.text;
    EXPECT_TRUE(d->Contains(c.latest)) << c.text;
    EXPECT_FALSE(d->Contains(std::chrono::sys_days{c.earliest} - std::chrono::days{1})) << c.text;
    EXPECT_FALSE(d->Contains(std::chrono::sys_days{c.latest} + std::chrono::days{1})) << c.text;
  }
}

TEST(PartialDateRangeTest, CanBeOnOrAfter) {
  auto p = [](std::string_view s) { return PartialDate::Parse(s, kToday).value(); };
  // child, parent, may the child's birth be on or after the parent's?
  EXPECT_TRUE(p("1990-01-01").CanBeOnOrAfter(p("1960-05-05")));
  EXPECT_TRUE(p("1960-05-05").CanBeOnOrAfter(p("1960-05-05")));
  EXPECT_FALSE(p("1960-05-04").CanBeOnOrAfter(p("1960-05-05")));
  EXPECT_TRUE(p("1960").CanBeOnOrAfter(p("1960-12-31")));  // 1960 may be 31 Dec
  EXPECT_FALSE(p("1959").CanBeOnOrAfter(p("1960")));
  EXPECT_TRUE(p("1960-05").CanBeOnOrAfter(p("1960-05-31")));
  EXPECT_FALSE(p("1960-04").CanBeOnOrAfter(p("1960-05")));
  EXPECT_TRUE(p("1960-05-01").CanBeOnOrAfter(p("1960")));
}

TEST(PartialDateTest, OrderingAndDefault) {
  EXPECT_LT(PartialDate::Make(1985, 0, 0).value(), PartialDate::Make(1985, 1, 0).value());
  EXPECT_LT(PartialDate::Make(1985, 12, 31).value(), PartialDate::Make(1986, 0, 0).value());
  EXPECT_EQ(PartialDate(), PartialDate());
  EXPECT_EQ(PartialDate().Packed(), 0);
}

TEST(FormatDateTest, ZeroPadded) {
  EXPECT_EQ(FormatDate(Ymd(2025, 7, 1)), "2025-07-01");
  EXPECT_EQ(FormatDate(Ymd(985, 12, 31)), "0985-12-31");
}

}  // namespace
}  // namespace dancu
