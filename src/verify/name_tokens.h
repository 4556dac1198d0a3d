// Folded-name tokens without allocation, for the hot loops of blocking and
// register matching: split on spaces into a fixed array, and the tokens
// sorted and joined by single spaces into a caller's stack buffer (the
// order-free form of a name: "an nguyen van" for "nguyen van an").
//
// Bounds: at most kMaxNameTokens tokens are kept (later ones are dropped),
// and the joined form stops before a token that would pass kMaxSortedName
// bytes. Real names are far inside both; callers that need to know whether a
// name was kept whole check its size and token count against them.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string_view>

namespace dancu::verify {

inline constexpr size_t kMaxNameTokens = 8;
inline constexpr size_t kMaxSortedName = 128;

// Splits `folded` on spaces into out[0..n) (empty tokens skipped); returns n.
size_t SplitNameTokens(std::string_view folded, std::string_view* out);

// Sorts a copy of tokens[0..n) (n <= kMaxNameTokens) and joins it into
// `buf` (kMaxSortedName bytes); the result points into `buf`.
std::string_view SortedNameTokens(const std::string_view* tokens, size_t n, char* buf);

}  // namespace dancu::verify
