// access_record: how handlers describe an access to a citizen's data for the
// access log (hub/audit_log.h). AccessFor fills the actor from the request's
// Principal (admin token -> "staff", agency key -> "agency", officer,
// citizen) and the operation; the handler adds the citizen, the field names
// and the outcome, never a value, and calls AuditLog::Append (an enqueue).
//
// Thread safety: pure functions.
#pragma once

#include <string_view>

#include "http/request_context.h"
#include "hub/audit_entry.h"

namespace dancu::api {

hub::AccessRecord AccessFor(const http::RequestContext& ctx, std::string_view operation);

}  // namespace dancu::api
