// PartialDate: a civil date that may be known only to the year or the month,
// as old records often are. A missing day or month is never invented.
//
// Wire and CSV form: "YYYY-MM-DD", "YYYY-MM" or "YYYY". Storage form: the
// integer YYYYMMDD with 00 for an unknown month/day (19850000 = 1985).
//
// Errors (Error.code):
//   date.format      not one of the accepted shapes
//   date.impossible  no such date (31/02, month 13, year 0)
//   date.future      after today (Clock::Today, Vietnam time)
//
// Thread safety: value type.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace dancu {

class PartialDate {
 public:
  enum class Precision { kYear, kMonth, kDay };

  PartialDate() = default;

  // ISO shapes only. `today` rejects future dates.
  static Result<PartialDate> Parse(std::string_view text,
                                   std::chrono::year_month_day today);
  // Also accepts "dd/mm/yyyy", "mm/yyyy" and "YYYYMMDD" (agency files).
  static Result<PartialDate> ParseLenient(std::string_view text,
                                          std::chrono::year_month_day today);
  // Builds a date; month and day may be 0 (unknown). No future check.
  static Result<PartialDate> Make(int year, int month, int day);
  // From the storage integer; aborts on a value that Make would reject
  // (storage only holds valid dates).
  static PartialDate FromPacked(int32_t packed);

  int32_t Packed() const { return year_ * 10000 + month_ * 100 + day_; }
  std::string ToString() const;
  int year() const { return year_; }
  int month() const { return month_; }  // 0 if unknown
  int day() const { return day_; }      // 0 if unknown
  Precision precision() const;
  bool IsFull() const { return day_ != 0; }

  // The earliest and latest full days this partial date may stand for.
  std::chrono::year_month_day Earliest() const;
  std::chrono::year_month_day Latest() const;
  // True if some day this date may be is on or after `other`'s earliest day
  // (used for "a child's birth is not before a parent's").
  bool CanBeOnOrAfter(const PartialDate& other) const { return Latest() >= other.Earliest(); }
  // True if the full date `full` lies within this partial date.
  bool Contains(std::chrono::year_month_day full) const;

  auto operator<=>(const PartialDate&) const = default;

 private:
  PartialDate(int y, int m, int d) : year_(y), month_(m), day_(d) {}
  int year_ = 0, month_ = 0, day_ = 0;
};

// Civil date helpers used across domains.
std::string FormatDate(std::chrono::year_month_day d);  // "YYYY-MM-DD"

}  // namespace dancu
