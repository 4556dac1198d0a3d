// Officer roles and areas on the register (issue 5, "Officers"): the one
// table of which life events each role registers, and the one rule of which
// place decides whether an event or a read lies in an officer's area.
//
// Roles -> events (RoleRegisters; POST /v1/events/{type}):
//   civil_status  birth, death, marriage, divorce, correction
//                 (hộ tịch: the commune's civil-status office)
//   police        residence, household
//                 (cư trú: residence registration is the police's)
// Any other pair is refused with officer.role_forbids (403).
//
// Areas: an officer's area is a 2-digit province or a 5-digit commune code
// (officers.h). AreaCovers(area, commune) is true when the commune is that
// commune or lies in that province. The place that must be covered, per
// event (api/events.cc; else officer.out_of_area, 403):
//   birth       the permanent residence of the mother, or of the father when
//               one is given (a birth is registered where a parent lives)
//   death       the deceased's permanent residence
//   marriage,   the permanent residence of either spouse
//   divorce
//   correction  the citizen's permanent residence
//   residence   the new residence: the given address's commune, or the
//               address of the household joined (registered where one moves)
//   household   the household's address
// Reads (GET /v1/citizens/{id}, /v1/citizens/{id}/history): the citizen's
// permanent residence; GET /v1/households/{id}: the household's address.
// Searches and the feed stay staff-only.
//
// Thread safety: pure functions over the embedded administrative units.
#pragma once

#include <span>
#include <string_view>

namespace dancu::identity {

// The event types `role` registers, in the order above; empty for an
// unknown role.
std::span<const std::string_view> EventsOfRole(std::string_view role);

// True when an officer with `role` may register events of `event_type`.
bool RoleRegisters(std::string_view role, std::string_view event_type);

// True when `commune_code` (5 digits, current units) is `area_code` or lies
// in the province `area_code`. False for an empty or unknown commune.
bool AreaCovers(std::string_view area_code, std::string_view commune_code);

}  // namespace dancu::identity
