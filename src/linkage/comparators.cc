#include "linkage/comparators.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <vector>

namespace dancu::linkage {

double JaroWinkler(std::string_view a, std::string_view b) {
  if (a.size() > kMaxJaroBytes) a = a.substr(0, kMaxJaroBytes);
  if (b.size() > kMaxJaroBytes) b = b.substr(0, kMaxJaroBytes);
  if (a.empty() || b.empty()) return a.empty() && b.empty() ? 1.0 : 0.0;
  if (a == b) return 1.0;
  const size_t la = a.size(), lb = b.size();
  const size_t window = std::max(la, lb) / 2 == 0 ? 0 : std::max(la, lb) / 2 - 1;
  // Positions of each byte in b as bit masks (both sides are at most 64
  // bytes), so finding a[i]'s first unmatched partner in the window is a few
  // bit operations instead of a scan. The table stays all-zero between calls.
  thread_local std::array<uint64_t, 256> positions{};
  for (size_t j = 0; j < lb; ++j) positions[static_cast<unsigned char>(b[j])] |= uint64_t{1} << j;
  auto below = [](size_t n) { return n >= 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1; };
  uint64_t matched_a = 0, matched_b = 0;
  size_t matches = 0;
  for (size_t i = 0; i < la; ++i) {
    size_t lo = i > window ? i - window : 0;
    size_t hi = std::min(lb, i + window + 1);
    uint64_t free =
        positions[static_cast<unsigned char>(a[i])] & ~matched_b & below(hi) & ~below(lo);
    if (free != 0) {
      matched_a |= uint64_t{1} << i;
      matched_b |= free & (~free + 1);  // lowest set bit
      ++matches;
    }
  }
  for (size_t j = 0; j < lb; ++j) positions[static_cast<unsigned char>(b[j])] = 0;
  if (matches == 0) return 0.0;
  // Transpositions: matched bytes of a and b, in order, that differ.
  size_t half_transpositions = 0;
  uint64_t ma = matched_a, mb = matched_b;
  while (ma != 0) {
    int i = std::countr_zero(ma);
    int j = std::countr_zero(mb);
    if (a[i] != b[j]) ++half_transpositions;
    ma &= ma - 1;
    mb &= mb - 1;
  }
  double m = static_cast<double>(matches);
  double jaro = (m / la + m / lb + (m - half_transpositions / 2.0) / m) / 3.0;
  size_t prefix = 0;
  while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix]) ++prefix;
  return jaro + prefix * 0.1 * (1.0 - jaro);
}

int EditDistance(std::string_view a, std::string_view b, int limit) {
  if (a.size() < b.size()) std::swap(a, b);
  if (static_cast<int>(a.size() - b.size()) > limit) return limit + 1;
  // Two rows of the classic dynamic programme, reused across calls.
  thread_local std::vector<int> prev, cur;
  prev.resize(b.size() + 1);
  cur.resize(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    int row_min = cur[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > limit) return limit + 1;  // every later row is at least this
    std::swap(prev, cur);
  }
  return std::min(prev[b.size()], limit + 1);
}

bool WithinOneEdit(std::string_view a, std::string_view b) {
  if (a.size() < b.size()) std::swap(a, b);
  if (a.size() - b.size() > 1) return false;
  size_t i = 0;
  while (i < b.size() && a[i] == b[i]) ++i;
  if (i == b.size()) return true;  // equal, or one byte appended
  if (a.size() == b.size()) {
    // One substitution, or a swap of i and i+1.
    if (a.substr(i + 1) == b.substr(i + 1)) return true;
    return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
           a.substr(i + 2) == b.substr(i + 2);
  }
  return a.substr(i + 1) == b.substr(i);  // one byte deleted from a
}

bool DayMonthSwapped(std::string_view a, std::string_view b) {
  if (a.size() != 8 || b.size() != 8 || a == b) return false;
  return a.substr(0, 4) == b.substr(0, 4) && a.substr(4, 2) == b.substr(6, 2) &&
         a.substr(6, 2) == b.substr(4, 2);
}

}  // namespace dancu::linkage
