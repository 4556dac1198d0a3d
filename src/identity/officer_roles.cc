#include "identity/officer_roles.h"

#include <algorithm>
#include <array>

#include "core/admin_units.h"

namespace dancu::identity {
namespace {

constexpr std::array<std::string_view, 5> kCivilStatusEvents = {"birth", "death", "marriage",
                                                                "divorce", "correction"};
constexpr std::array<std::string_view, 2> kPoliceEvents = {"residence", "household"};

}  // namespace

std::span<const std::string_view> EventsOfRole(std::string_view role) {
  if (role == "civil_status") return kCivilStatusEvents;
  if (role == "police") return kPoliceEvents;
  return {};
}

bool RoleRegisters(std::string_view role, std::string_view event_type) {
  auto events = EventsOfRole(role);
  return std::find(events.begin(), events.end(), event_type) != events.end();
}

bool AreaCovers(std::string_view area_code, std::string_view commune_code) {
  if (commune_code.empty() || area_code.empty()) return false;
  if (area_code.size() == 5) return commune_code == area_code;
  const Commune* c = AdminUnits::Get().FindCommune(commune_code);
  return c != nullptr && c->province_code == area_code;
}

}  // namespace dancu::identity
