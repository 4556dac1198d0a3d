#include "hub/comma_list.h"

namespace dancu::hub {

std::string JoinCommaList(std::span<const std::string> names) {
  std::string out;
  for (const std::string& s : names) {
    if (!out.empty()) out += ',';
    out += s;
  }
  return out;
}

std::vector<std::string> SplitCommaList(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    out.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace dancu::hub
