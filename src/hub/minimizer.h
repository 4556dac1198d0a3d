// minimizer: data minimization in one place (issue 5: "a response never
// carries a field the policy does not allow, whatever a handler tried to
// send"). The router runs Minimize on the JSON body of every response to an
// agency client (api/agency_access.h installs it), after the handler, so no
// handler can bypass it, and the webhook dispatcher runs it on every event
// body before it is signed.
//
// Rules, applied to every object member at any depth whose name is a
// personal field (hub/personal_fields.h):
//  - allowed by the grant's policy: kept;
//  - "citizen_id" with a 12-digit id as value, not allowed: the value is
//    replaced by the agency's pseudonym of that citizen (Members::AgencyToken);
//    a value that already is a pseudonym ("pt_...") stays, so minimizing
//    twice changes nothing;
//  - a verification outcome, not a value: kept. An outcome is an object with
//    only "result" (a string), "level", "score" and nested outcomes
//    "commune_code" / "address" (what POST /v1/verify answers per field);
//  - JSON null (nothing disclosed): kept;
//  - anything else: removed.
// Returns the number of members removed or replaced.
//
// Thread safety: pure function (the pseudonym callback must be thread-safe).
#pragma once

#include <functional>
#include <string>

#include <boost/json/value.hpp>

#include "core/citizen_id.h"
#include "core/error.h"
#include "hub/grant.h"

namespace dancu::hub {

using PseudonymFn = std::function<std::string(const CitizenId&)>;

size_t Minimize(const Grant& grant, const PseudonymFn& pseudonym, boost::json::value& body);

// The same rule for a CSV answer (a reconciliation job's report, whose
// `id_column` holds the citizen ids the register suggests): unless the grant
// allows citizen_id, each id in that column becomes the agency's pseudonym.
// Other columns are the agency's own data or outcomes and stay. Errors:
// csv.* when the text is not CSV (then nothing may be sent).
Result<std::string> MinimizeCsvIds(const Grant& grant, const PseudonymFn& pseudonym,
                                   std::string_view csv, std::string_view id_column);

// The personal fields present (not null, not an outcome) anywhere in `body`, sorted, unique,
// comma-separated: what an access-log entry records as disclosed.
std::string DisclosedFields(const boost::json::value& body);

}  // namespace dancu::hub
