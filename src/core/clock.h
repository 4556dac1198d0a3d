// Clock: the injected source of time. Production uses SystemClock; tests use
// ManualClock so expiry and "dates in the future" are testable without waiting.
//
// Thread safety: Now() may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace dancu {

// Microseconds since the Unix epoch, UTC.
using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

// Vietnam (UTC+7, no daylight saving) is the register's civil time zone: a
// "date in the future" means after today in Vietnam.
inline constexpr std::chrono::hours kVietnamUtcOffset{7};

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
  // Today's civil date in Vietnam.
  std::chrono::year_month_day Today() const {
    return std::chrono::year_month_day{
        std::chrono::floor<std::chrono::days>(Now() + kVietnamUtcOffset)};
  }
};

class SystemClock final : public Clock {
 public:
  Timestamp Now() const override {
    return std::chrono::time_point_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now());
  }
};

// A clock that only moves when told to. For tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start) : now_(start.time_since_epoch().count()) {}
  Timestamp Now() const override {
    return Timestamp{std::chrono::microseconds{now_.load()}};
  }
  void Set(Timestamp t) { now_ = t.time_since_epoch().count(); }
  void Advance(std::chrono::microseconds d) { now_ += d.count(); }

 private:
  std::atomic<int64_t> now_;
};

// ISO 8601 UTC with microseconds: "2025-07-01T08:30:00.000123Z".
std::string FormatTimestamp(Timestamp t);

}  // namespace dancu
