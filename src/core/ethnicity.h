// The 54 ethnic groups of Vietnam (Decision 121-TCTK/PPCĐ, GSO), by code
// 1..54 ("01" Kinh, "04" Hoa, "05" Khmer, "06" Mường ... "53" Ơ Đu, "54" Rơ
// Măm). The register stores the code.
//
// Errors: ethnicity.unknown for a code or name not in the list.
#pragma once

#include <span>
#include <string_view>

#include "core/error.h"

namespace dancu {

struct Ethnicity {
  int code;
  std::string_view name;
};

std::span<const Ethnicity> AllEthnicities();
// Accepts the code ("1", "01") or the name (folded: "kinh", "Kinh").
Result<int> ParseEthnicity(std::string_view text);

}  // namespace dancu
