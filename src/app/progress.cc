#include "app/progress.h"

#include <unistd.h>

#include <cstdio>

namespace dancu::app {

Progress::Progress(std::string label, int64_t total)
    : label_(std::move(label)), total_(total), enabled_(isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

void Progress::Update(int64_t done) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  Draw(done, false);
}

void Progress::Finish(int64_t done) {
  if (enabled_) Draw(done, true);
}

void Progress::Draw(int64_t done, bool final) {
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double rate = secs > 0 ? done / secs : 0;
  char line[256];
  if (total_ > 0) {
    int width = 30;
    int filled = static_cast<int>(width * std::min<double>(1.0, double(done) / total_));
    std::string bar(filled, '#');
    bar.resize(width, '.');
    double eta = rate > 0 ? (total_ - done) / rate : 0;
    std::snprintf(line, sizeof line, "\r%s [%s] %lld/%lld  %.0f/s  ETA %.0fs   ", label_.c_str(),
                  bar.c_str(), static_cast<long long>(done), static_cast<long long>(total_), rate,
                  final ? 0.0 : eta);
  } else {
    std::snprintf(line, sizeof line, "\r%s %lld  %.0f/s   ", label_.c_str(),
                  static_cast<long long>(done), rate);
  }
  std::fputs(line, stderr);
  if (final) std::fputs("\n", stderr);
  std::fflush(stderr);
}

}  // namespace dancu::app
