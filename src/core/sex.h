// Sex as recorded in the register. The wire form is "male" / "female".
#pragma once

#include <optional>
#include <string_view>

namespace dancu {

enum class Sex { kMale, kFemale };

inline std::string_view ToString(Sex s) { return s == Sex::kMale ? "male" : "female"; }
// Accepts "male"/"female" (and "m"/"f", "nam"/"nữ" for CSV input).
std::optional<Sex> ParseSex(std::string_view text);

}  // namespace dancu
