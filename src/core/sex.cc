#include "core/sex.h"

#include <string>

#include "core/person_name.h"

namespace dancu {

std::optional<Sex> ParseSex(std::string_view text) {
  // Folding makes the match case-, space- and diacritic-insensitive, so
  // "NỮ", "nữ" (NFC or NFD) and "nu" are all accepted.
  const std::string key = FoldName(text);
  if (key == "male" || key == "m" || key == "nam") return Sex::kMale;
  if (key == "female" || key == "f" || key == "nu") return Sex::kFemale;
  return std::nullopt;
}

}  // namespace dancu
