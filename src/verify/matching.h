// Field comparators for verification: pure functions on folded names and
// partial dates, shared by the index (verifier.cc) and, later, by bulk
// reconciliation. No register state here.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/partial_date.h"
#include "linkage/comparators.h"

namespace dancu::verify {

enum class FieldResult { kMatch, kPartial, kMismatch };
std::string_view ToString(FieldResult r);  // "match", "partial", "mismatch"

enum class NameLevel { kExact, kSameAfterFolding, kTokenReordered, kTypo, kDifferent };
std::string_view ToString(NameLevel l);  // "exact", "same_after_folding", ...
FieldResult ResultOf(NameLevel l);       // exact/folding = match; reordered/typo = partial

// Levenshtein distance between byte strings (folded names are ASCII once
// diacritics are removed, so bytes are letters), shared with record linkage
// (linkage/comparators.h): returns limit + 1 once it exceeds `limit`.
using linkage::EditDistance;

// The folded tokens sorted and joined by single spaces: equal for names
// written in another order ("an nguyen van" / "nguyen van an").
std::string SortedTokens(std::string_view folded);
// The same into `out` (replaced), reusing its capacity: the hot path's form.
void SortedTokensTo(std::string_view folded, std::string& out);

// 0-100, like Aadhaar's partial-match value: 100 for exact, 95 after folding,
// 90 reordered; otherwise 100 * (1 - distance / longer length), kept below 90
// for typos and below 80 for different names.
int NameScore(NameLevel level, int distance, size_t len_a, size_t len_b);

// Register date vs given date. Equal (same precision, same value) = match.
// Partial dates are nested ranges, so when the precisions differ and the
// less precise one contains the other (register 1950, given 1950-04-02; or
// register 1950-04-02, given 1950), the answer is partial. Otherwise mismatch.
FieldResult CompareDates(PartialDate registered, PartialDate given);

}  // namespace dancu::verify
