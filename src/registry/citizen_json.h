// JSON forms of the register's records, shared by the HTTP API, the change
// feed's before/after values and the CLI. Field names are the API contract
// (docs/api.md).
#pragma once

#include <boost/json/object.hpp>

#include "registry/citizen.h"

namespace dancu::registry {

boost::json::object CitizenToJson(const Citizen& c);
boost::json::object AddressToJson(const Address& a);
boost::json::object HouseholdToJson(const Household& h);

}  // namespace dancu::registry
