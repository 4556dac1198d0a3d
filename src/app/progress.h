// A progress line for long jobs (generate, import, export): count, rate and
// ETA, redrawn at most 10 times a second. Silent unless stderr is a terminal,
// so logs and pipes stay clean.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace dancu::app {

class Progress {
 public:
  Progress(std::string label, int64_t total);  // total 0 = unknown
  void Update(int64_t done);
  void Finish(int64_t done);

 private:
  void Draw(int64_t done, bool final);
  std::string label_;
  int64_t total_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace dancu::app
