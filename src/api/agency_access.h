// agency_access: the policy gate as handlers meet it (issue 5). Every route
// that serves agencies starts with Admit(ctx, deps, operation):
//  - staff (the admin token) get an unrestricted grant;
//  - an agency client gets its policy at this instant, if the operation is
//    in its policy and in its access token's scope (403 auth.forbidden
//    otherwise), within its rate limit (429 policy.rate_limited) and its
//    daily quota (429 policy.quota_exhausted), both with Retry-After;
//  - officers and citizens get 403 auth.forbidden.
// What the handler then sends is minimized in one place, after it returns
// (hub/minimizer.h, installed on the router by AddRoutes): an agency never
// receives a personal field its policy does not allow.
//
// AccessFor(ctx, grant, operation) starts the access-log record of an
// admitted request: the agency's name (or the staff principal) as actor and
// the policy's purpose code.
//
// Thread safety: as the Members it reads (thread-safe).
#pragma once

#include <expected>
#include <string_view>

#include "api/api.h"
#include "http/request_context.h"
#include "http/router.h"
#include "http/response.h"
#include "hub/audit_entry.h"
#include "hub/grant.h"
#include "hub/operation.h"

namespace dancu::api {

std::expected<hub::Grant, http::Response> Admit(const http::RequestContext& ctx,
                                                const ApiDeps& deps, hub::Operation op);

hub::AccessRecord AccessFor(const http::RequestContext& ctx, const hub::Grant& grant,
                            std::string_view operation);

// The router's agency response filter (http/router.h): hub::Minimize on the
// JSON body of every response to an agency client, under the client's
// current grant; citizen ids become the agency's pseudonyms. AddRoutes
// installs it when ApiDeps::members is set.
http::Router::ResponseFilter MinimizingFilter(hub::Members& members);

}  // namespace dancu::api
