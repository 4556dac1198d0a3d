// comma_list: how hub.db stores a short list of names in one TEXT column
// (event types, provinces, field names): "a,b,c", "" for none. Names never
// contain commas (they are validated codes).
// Thread safety: pure functions.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dancu::hub {

std::string JoinCommaList(std::span<const std::string> names);
std::vector<std::string> SplitCommaList(std::string_view text);

}  // namespace dancu::hub
