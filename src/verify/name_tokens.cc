#include "verify/name_tokens.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace dancu::verify {

size_t SplitNameTokens(std::string_view s, std::string_view* out) {
  size_t n = 0, start = 0;
  while (start <= s.size() && n < kMaxNameTokens) {
    size_t end = s.find(' ', start);
    if (end == std::string_view::npos) end = s.size();
    if (end > start) out[n++] = s.substr(start, end - start);
    start = end + 1;
  }
  return n;
}

std::string_view SortedNameTokens(const std::string_view* tokens, size_t n, char* buf) {
  std::string_view t[kMaxNameTokens];
  n = std::min(n, kMaxNameTokens);
  std::copy(tokens, tokens + n, t);
  // Insertion sort: names have 2-5 tokens.
  for (size_t i = 1; i < n; ++i) {
    for (size_t j = i; j > 0 && t[j] < t[j - 1]; --j) std::swap(t[j], t[j - 1]);
  }
  size_t len = 0;
  for (size_t i = 0; i < n; ++i) {
    if (len + t[i].size() + 1 > kMaxSortedName) break;
    if (i > 0) buf[len++] = ' ';
    std::memcpy(buf + len, t[i].data(), t[i].size());
    len += t[i].size();
  }
  return std::string_view(buf, len);
}

}  // namespace dancu::verify
