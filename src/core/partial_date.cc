#include "core/partial_date.h"

#include <cstdio>
#include <cstdlib>

namespace dancu {
namespace {

// Distinct names: inside PartialDate members, year/month/day are the
// accessors and would hide the std::chrono types.
using CivilDay = std::chrono::day;
using CivilMonth = std::chrono::month;
using CivilYear = std::chrono::year;
using std::chrono::year_month_day;
using std::chrono::year_month_day_last;

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int ToInt(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

std::unexpected<Error> FormatError(std::string_view text) {
  return Fail("date.format",
              "'" + std::string(text) + "' is not a date (expected YYYY-MM-DD, YYYY-MM or YYYY)");
}

Result<PartialDate> CheckNotFuture(PartialDate d, year_month_day today) {
  // The earliest day a partial date may stand for is after today exactly
  // when every day it may stand for is: 2031 is future in 2030, but 2030 and
  // 2030-06 are not, even on 1 January 2030.
  if (d.Earliest() > today) {
    return Fail("date.future", d.ToString() + " is after today (" + FormatDate(today) + ")");
  }
  return d;
}

// "YYYY", "YYYY-MM", "YYYY-MM-DD"; nullopt-like error if the shape differs.
// A month or day that is present must not be 00 (00 means "unknown" only in
// the packed storage form).
Result<PartialDate> ParseIso(std::string_view text) {
  const size_t n = text.size();
  if ((n != 4 && n != 7 && n != 10) || !AllDigits(text.substr(0, 4))) return FormatError(text);
  int m = 0, d = 0;
  if (n >= 7) {
    if (text[4] != '-' || !AllDigits(text.substr(5, 2))) return FormatError(text);
    m = ToInt(text.substr(5, 2));
    if (m == 0) return Fail("date.impossible", "month 00 in '" + std::string(text) + "'");
  }
  if (n == 10) {
    if (text[7] != '-' || !AllDigits(text.substr(8, 2))) return FormatError(text);
    d = ToInt(text.substr(8, 2));
    if (d == 0) return Fail("date.impossible", "day 00 in '" + std::string(text) + "'");
  }
  return PartialDate::Make(ToInt(text.substr(0, 4)), m, d);
}

// Day and month fields of the slash forms: one or two digits.
bool IsShortNumber(std::string_view s) { return (s.size() == 1 || s.size() == 2) && AllDigits(s); }

}  // namespace

Result<PartialDate> PartialDate::Parse(std::string_view text, year_month_day today) {
  auto d = ParseIso(text);
  if (!d) return d;
  return CheckNotFuture(*d, today);
}

Result<PartialDate> PartialDate::ParseLenient(std::string_view text, year_month_day today) {
  // Agency files pad cells; outer blanks carry no meaning.
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);

  // The commonest agency shape, dd/mm/yyyy (or with '-' or '.'), read at
  // fixed positions; the general code below gives the same answer, only
  // slower. Zero days or months are left to it (its messages).
  if (text.size() == 10 && (text[2] == '/' || text[2] == '-' || text[2] == '.') &&
      text[5] == text[2] && AllDigits(text.substr(0, 2)) && AllDigits(text.substr(3, 2)) &&
      AllDigits(text.substr(6, 4))) {
    const int d = ToInt(text.substr(0, 2));
    const int m = ToInt(text.substr(3, 2));
    if (d != 0 && m != 0) {
      auto date = Make(ToInt(text.substr(6, 4)), m, d);
      if (!date) return date;
      return CheckNotFuture(*date, today);
    }
  }
  if (text.size() >= 4 && AllDigits(text.substr(0, 4)) && (text.size() == 4 || text[4] == '-')) {
    return Parse(text, today);
  }
  if (text.size() == 8 && AllDigits(text)) {
    // YYYYMMDD, the packed form: 00 month/day mean unknown.
    auto d = Make(ToInt(text.substr(0, 4)), ToInt(text.substr(4, 2)), ToInt(text.substr(6, 2)));
    if (!d) return d;
    return CheckNotFuture(*d, today);
  }
  // d/m/yyyy, dd/mm/yyyy, m/yyyy, mm/yyyy: Vietnamese order, '/', '-' or '.'.
  const size_t first = text.find_first_of("/-.");
  if (first == std::string_view::npos) return FormatError(text);
  const char sep = text[first];
  std::string_view parts[3];
  size_t count = 0;
  std::string_view rest = text;
  for (;;) {
    if (count == 3) return FormatError(text);
    const size_t at = rest.find(sep);
    parts[count++] = rest.substr(0, at);
    if (at == std::string_view::npos) break;
    rest.remove_prefix(at + 1);
  }
  if (count < 2) return FormatError(text);
  const std::string_view y = parts[count - 1];
  if (y.size() != 4 || !AllDigits(y)) return FormatError(text);
  for (size_t i = 0; i + 1 < count; ++i) {
    if (!IsShortNumber(parts[i])) return FormatError(text);
  }
  const int m = ToInt(parts[count - 2]);
  const int d = count == 3 ? ToInt(parts[0]) : 0;
  if (m == 0) return Fail("date.impossible", "month 0 in '" + std::string(text) + "'");
  if (count == 3 && d == 0) return Fail("date.impossible", "day 0 in '" + std::string(text) + "'");
  auto date = Make(ToInt(y), m, d);
  if (!date) return date;
  return CheckNotFuture(*date, today);
}

Result<PartialDate> PartialDate::Make(int y, int m, int d) {
  if (y < 1 || y > 9999) {
    return Fail("date.impossible", "year " + std::to_string(y) + " is not in 1-9999");
  }
  if (m < 0 || m > 12)
    return Fail("date.impossible", "month " + std::to_string(m) + " does not exist");
  if (d < 0 || d > 31)
    return Fail("date.impossible", "day " + std::to_string(d) + " does not exist");
  if (m == 0 && d != 0) {
    return Fail("date.impossible",
                "a day without a month (" + std::to_string(y) + "-00-" + std::to_string(d) + ")");
  }
  if (d != 0) {
    const year_month_day ymd{CivilYear{y}, CivilMonth{static_cast<unsigned>(m)},
                             CivilDay{static_cast<unsigned>(d)}};
    if (!ymd.ok()) {
      char buf[48];
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02d does not exist", y, m, d);
      return Fail("date.impossible", buf);
    }
  }
  return PartialDate(y, m, d);
}

PartialDate PartialDate::FromPacked(int32_t packed) {
  auto d = packed < 0 ? Fail("date.impossible", "negative")
                      : Make(packed / 10000, packed / 100 % 100, packed % 100);
  if (!d) {
    // Storage only ever receives dates that passed Make; anything else is a
    // corrupt database, and carrying on would spread it.
    std::fprintf(stderr, "dancu: invalid packed date %d: %s\n", static_cast<int>(packed),
                 d.error().message.c_str());
    std::abort();
  }
  return *d;
}

std::string PartialDate::ToString() const {
  char buf[32];
  if (month_ == 0) {
    std::snprintf(buf, sizeof buf, "%04d", year_);
  } else if (day_ == 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02d", year_, month_);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year_, month_, day_);
  }
  return buf;
}

PartialDate::Precision PartialDate::precision() const {
  if (day_ != 0) return Precision::kDay;
  if (month_ != 0) return Precision::kMonth;
  return Precision::kYear;
}

year_month_day PartialDate::Earliest() const {
  return year_month_day{CivilYear{year_},
                        CivilMonth{static_cast<unsigned>(month_ == 0 ? 1 : month_)},
                        CivilDay{static_cast<unsigned>(day_ == 0 ? 1 : day_)}};
}

year_month_day PartialDate::Latest() const {
  if (month_ == 0) return year_month_day{CivilYear{year_}, std::chrono::December, CivilDay{31}};
  if (day_ == 0) {
    return year_month_day{year_month_day_last{
        CivilYear{year_}, std::chrono::month_day_last{CivilMonth{static_cast<unsigned>(month_)}}}};
  }
  return Earliest();
}

bool PartialDate::Contains(year_month_day full) const {
  return full >= Earliest() && full <= Latest();
}

std::string FormatDate(year_month_day d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

}  // namespace dancu
