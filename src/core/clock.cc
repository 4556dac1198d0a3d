#include "core/clock.h"

#include <cstdio>

namespace dancu {

std::string FormatTimestamp(Timestamp t) {
  using namespace std::chrono;
  // floor (not duration_cast) so instants before 1970 still land on the
  // right calendar day with a non-negative time of day.
  const sys_days day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<microseconds> tod{t - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%06lldZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(tod.hours().count()),
                static_cast<int>(tod.minutes().count()), static_cast<int>(tod.seconds().count()),
                static_cast<long long>(tod.subseconds().count()));
  return buf;
}

}  // namespace dancu
