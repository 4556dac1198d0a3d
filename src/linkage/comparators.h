// String and date comparators for record linkage: pure, allocation-free
// functions on already-normalised values (folded names, digit strings).
//
// - JaroWinkler: the Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, at
//   most 4 prefix bytes). Bytes are compared, so callers pass folded (ASCII)
//   text. Only the first kMaxJaroBytes bytes of each side are compared, so
//   the hot loop needs no buffer: two texts equal on their first 64 bytes
//   score 1.0 (callers test full equality first).
// - EditDistance: Levenshtein distance on bytes with an early exit above
//   `limit` (returns limit + 1 then). Used by verification's `typo` level.
// - WithinOneEdit: true if the strings differ by at most one substitution,
//   insertion, deletion or swap of two adjacent bytes (Damerau), in O(n).
// - DayMonthSwapped: two 8-digit YYYYMMDD strings that are the same date with
//   day and month exchanged (and are not equal).
//
// Thread safety: pure functions; EditDistance keeps a thread_local row.
#pragma once

#include <cstddef>
#include <string_view>

namespace dancu::linkage {

inline constexpr size_t kMaxJaroBytes = 64;

double JaroWinkler(std::string_view a, std::string_view b);
int EditDistance(std::string_view a, std::string_view b, int limit);
bool WithinOneEdit(std::string_view a, std::string_view b);
bool DayMonthSwapped(std::string_view a, std::string_view b);

}  // namespace dancu::linkage
