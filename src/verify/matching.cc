#include "verify/matching.h"

#include <boost/container/small_vector.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace dancu::verify {

std::string_view ToString(FieldResult r) {
  switch (r) {
    case FieldResult::kMatch: return "match";
    case FieldResult::kPartial: return "partial";
    case FieldResult::kMismatch: return "mismatch";
  }
  return "mismatch";
}

std::string_view ToString(NameLevel l) {
  switch (l) {
    case NameLevel::kExact: return "exact";
    case NameLevel::kSameAfterFolding: return "same_after_folding";
    case NameLevel::kTokenReordered: return "token_reordered";
    case NameLevel::kTypo: return "typo";
    case NameLevel::kDifferent: return "different";
  }
  return "different";
}

FieldResult ResultOf(NameLevel l) {
  switch (l) {
    case NameLevel::kExact:
    case NameLevel::kSameAfterFolding: return FieldResult::kMatch;
    case NameLevel::kTokenReordered:
    case NameLevel::kTypo: return FieldResult::kPartial;
    case NameLevel::kDifferent: return FieldResult::kMismatch;
  }
  return FieldResult::kMismatch;
}

void SortedTokensTo(std::string_view folded, std::string& out) {
  boost::container::small_vector<std::string_view, 8> tokens;  // no allocation for names
  size_t start = 0;
  while (start <= folded.size()) {
    size_t end = folded.find(' ', start);
    if (end == std::string_view::npos) end = folded.size();
    if (end > start) tokens.push_back(folded.substr(start, end - start));
    start = end + 1;
  }
  std::sort(tokens.begin(), tokens.end());
  out.clear();
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (i > 0) out += ' ';
    out += tokens[i];
  }
}

std::string SortedTokens(std::string_view folded) {
  std::string out;
  SortedTokensTo(folded, out);
  return out;
}

int NameScore(NameLevel level, int distance, size_t len_a, size_t len_b) {
  switch (level) {
    case NameLevel::kExact: return 100;
    case NameLevel::kSameAfterFolding: return 95;
    case NameLevel::kTokenReordered: return 90;
    default: break;
  }
  double longer = static_cast<double>(std::max<size_t>({len_a, len_b, 1}));
  int score = static_cast<int>(std::lround(100.0 * (1.0 - distance / longer)));
  score = std::clamp(score, 0, 100);
  return level == NameLevel::kTypo ? std::min(score, 89) : std::min(score, 79);
}

FieldResult CompareDates(PartialDate registered, PartialDate given) {
  if (registered == given) return FieldResult::kMatch;
  if (registered.precision() == given.precision()) return FieldResult::kMismatch;
  const PartialDate& wide = registered.precision() < given.precision() ? registered : given;
  const PartialDate& narrow = registered.precision() < given.precision() ? given : registered;
  bool inside = wide.Earliest() <= narrow.Earliest() && narrow.Latest() <= wide.Latest();
  return inside ? FieldResult::kPartial : FieldResult::kMismatch;
}

}  // namespace dancu::verify
