// Parsing of the register's domain values out of request JSON and query
// strings, so every handler reports the same error for the same bad input.
// Each function names the offending field in Error.field.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "core/admin_units.h"
#include "core/citizen_id.h"
#include "core/clock.h"
#include "core/partial_date.h"
#include "core/person_name.h"
#include "http/json_reader.h"
#include "http/request_context.h"
#include "registry/citizen.h"
#include "registry/registry.h"

namespace dancu::api {

Result<CitizenId> IdField(http::JsonFields& f, std::string_view key);
Result<std::optional<CitizenId>> OptionalIdField(http::JsonFields& f, std::string_view key);
Result<PartialDate> DateField(http::JsonFields& f, std::string_view key, const Clock& clock);
Result<std::optional<PartialDate>> OptionalDateField(http::JsonFields& f, std::string_view key,
                                                     const Clock& clock);
// For dates that are meant to lie ahead (the end of a temporary residence):
// checked for shape and existence only.
Result<std::optional<PartialDate>> OptionalEndDateField(http::JsonFields& f, std::string_view key);
Result<PersonName> NameField(http::JsonFields& f, std::string_view key);
Result<Sex> SexField(http::JsonFields& f, std::string_view key);
Result<registry::Relationship> RelationshipValue(std::string_view text, std::string_view field);
// {"commune_code","address"} in current units, or {"old_commune_code","address"}
// in pre-2025 units, converted (admin.ambiguous for a split commune).
Result<Address> AddressValue(const boost::json::object& o, std::string_view field);
Result<std::optional<Address>> OptionalAddressField(http::JsonFields& f, std::string_view key);

// The writer's identity, reason and idempotency key for a life event.
// Errors: request.bad_parameter for a malformed Idempotency-Key header.
Result<registry::WriteContext> WriteContextFor(const http::RequestContext& ctx);

// An integer query parameter in [min, max]; `fallback` when absent.
Result<int64_t> IntQuery(const http::RequestContext& ctx, std::string_view key, int64_t fallback,
                         int64_t min, int64_t max);

}  // namespace dancu::api
