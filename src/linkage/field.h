// Linkage fields: the types a column can be compared as, how a raw value is
// normalised for its type, and how two normalised values compare.
//
// Types (the `col:type` of `dancu dedupe/link --fields`):
//   name      person names: folded (case, diacritics, đ -> d, spaces; core/
//             person_name.h FoldName). Same tokens in another order (a
//             Vietnamese name written given-name first) is `close`.
//   date      dates as YYYYMMDD, YYYY-MM-DD, DD/MM/YYYY (also YYYY-MM, YYYY),
//             normalised to 8 digits YYYYMMDD (00 = unknown month/day);
//             anything else keeps its digits and compares by edit distance.
//             Day and month swapped is `close`.
//   text      free text (addresses, suburbs): folded, Jaro-Winkler levels.
//   exact     folded, equal or not (state, sex, codes).
//   id        identifiers: letters and digits only, lower case; one typo or
//             swap of adjacent characters is `close`.
//   postcode  like id.
//
// Comparison levels (Fellegi-Sunter agreement patterns): agree (equal after
// normalisation), close, similar, disagree; `missing` when either side is
// empty (contributes no weight).
//
// Errors (Error.code): linkage.bad_fields (a malformed --fields list or an
// unknown type; Error.field names the item).
//
// Thread safety: pure functions and value types.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace dancu::linkage {

enum class FieldType : uint8_t { kName, kDate, kText, kExact, kId, kPostcode };
std::string_view ToString(FieldType t);
Result<FieldType> ParseFieldType(std::string_view text);

struct FieldSpec {
  std::string column;
  FieldType type = FieldType::kText;
};
// "given_name:name, surname:name,dob:date" (spaces around items ignored).
Result<std::vector<FieldSpec>> ParseFieldSpecs(std::string_view text);

// The normalised value of `raw` for `type` into `out` (cleared first); empty
// means missing.
void Normalize(FieldType type, std::string_view raw, std::string& out);

// The value a blocking key is made of: names by their sorted tokens (so a
// name written given-name first shares keys), other types as normalised.
// May point into `scratch`.
std::string_view BlockingValue(FieldType type, std::string_view value, std::string& scratch);

enum class Level : uint8_t { kAgree, kClose, kSimilar, kDisagree, kMissing };
inline constexpr size_t kLevels = 4;  // levels that carry a weight
std::string_view ToString(Level l);

// Compares two normalised values; allocation-free.
Level Compare(FieldType type, std::string_view a, std::string_view b);

// Fellegi-Sunter parameters of one field: for each level, m = P(level | same
// person) and u = P(level | different people); weight = log2(m / u).
struct FieldModel {
  std::array<double, kLevels> m{};
  std::array<double, kLevels> u{};
  std::array<double, kLevels> weight{};
  void ComputeWeights();
  double Weight(Level l) const { return l == Level::kMissing ? 0.0 : weight[size_t(l)]; }
};
// The documented defaults per type (field.cc): m from how often a careful
// clerk's copy of the value stays equal / nearly equal, u from how often two
// different people agree by chance in a national population. Linker
// re-estimates u from random pairs of the input.
FieldModel DefaultModel(FieldType type);

}  // namespace dancu::linkage
