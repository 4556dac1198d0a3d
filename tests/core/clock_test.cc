#include "core/clock.h"

#include <gtest/gtest.h>

namespace dancu {
namespace {

using namespace std::chrono;

Timestamp At(int y, unsigned m, unsigned d, int h, int min, int s, int64_t us = 0) {
  return Timestamp{sys_days{year{y} / month{m} / day{d}} + hours{h} + minutes{min} + seconds{s}} +
         microseconds{us};
}

TEST(ManualClockTest, TodayIsVietnamCivilDate) {
  // 17:00 UTC is midnight in Vietnam (UTC+7).
  ManualClock clock(At(2025, 6, 30, 16, 59, 59, 999999));
  EXPECT_EQ(clock.Today(), year{2025} / June / day{30});
  clock.Advance(microseconds{1});
  EXPECT_EQ(clock.Today(), year{2025} / July / day{1});
  clock.Set(At(2025, 12, 31, 17, 0, 0));
  EXPECT_EQ(clock.Today(), year{2026} / January / day{1});
  clock.Set(At(2025, 7, 1, 0, 0, 0));
  EXPECT_EQ(clock.Today(), year{2025} / July / day{1});
}

TEST(ManualClockTest, MovesOnlyWhenTold) {
  const Timestamp start = At(2025, 7, 1, 8, 30, 0);
  ManualClock clock(start);
  EXPECT_EQ(clock.Now(), start);
  EXPECT_EQ(clock.Now(), start);
  clock.Advance(hours{24});
  EXPECT_EQ(clock.Now(), start + hours{24});
}

TEST(SystemClockTest, IsNearTheRealTime) {
  SystemClock clock;
  const auto before = system_clock::now();
  const Timestamp now = clock.Now();
  EXPECT_LE(abs(duration_cast<seconds>(now - before).count()), 5);
}

TEST(FormatTimestampTest, IsoUtcWithMicroseconds) {
  EXPECT_EQ(FormatTimestamp(At(2025, 7, 1, 8, 30, 0, 123)), "2025-07-01T08:30:00.000123Z");
  EXPECT_EQ(FormatTimestamp(At(1970, 1, 1, 0, 0, 0)), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(FormatTimestamp(At(2024, 2, 29, 23, 59, 59, 999999)), "2024-02-29T23:59:59.999999Z");
  // Before the epoch the fraction still counts forward from the second.
  EXPECT_EQ(FormatTimestamp(At(1969, 12, 31, 23, 59, 59, 500000)), "1969-12-31T23:59:59.500000Z");
}

}  // namespace
}  // namespace dancu
