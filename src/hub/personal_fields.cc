#include "hub/personal_fields.h"

#include <algorithm>

namespace dancu::hub {

bool IsPersonalField(std::string_view name) {
  return std::find(std::begin(kPersonalFields), std::end(kPersonalFields), name) !=
         std::end(kPersonalFields);
}

}  // namespace dancu::hub
