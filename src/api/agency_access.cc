#include "api/agency_access.h"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/access_record.h"
#include "hub/members.h"
#include "hub/minimizer.h"
#include "hub/personal_fields.h"

namespace dancu::api {

std::expected<hub::Grant, http::Response> Admit(const http::RequestContext& ctx,
                                                const ApiDeps& deps, hub::Operation op) {
  using K = http::Principal::Kind;
  switch (ctx.principal.kind) {
    case K::kAdmin:
      return hub::Grant{.unrestricted = true};
    case K::kAgency:
      break;
    default:
      return std::unexpected(http::ProblemResponse(
          403, "auth.forbidden", "this route is for agency clients and register staff"));
  }
  if (deps.members == nullptr) {
    return std::unexpected(
        http::ProblemResponse(403, "auth.forbidden", "this server has no agency policies"));
  }
  auto grant = deps.members->Admit(ctx.principal.id, ctx.principal.scope, op);
  if (grant) return std::move(*grant);
  http::Response r = http::ProblemResponse(grant.error().error);
  if (grant.error().retry_after_seconds > 0) {
    r.headers.emplace_back("Retry-After", std::to_string(grant.error().retry_after_seconds));
  }
  return std::unexpected(std::move(r));
}

hub::AccessRecord AccessFor(const http::RequestContext& ctx, const hub::Grant& grant,
                            std::string_view operation) {
  hub::AccessRecord r = AccessFor(ctx, operation);
  if (!grant.unrestricted) {
    r.actor = grant.agency;
    r.purpose = grant.purpose();
  }
  return r;
}

http::Router::ResponseFilter MinimizingFilter(hub::Members& members) {
  return [&members](const http::RequestContext& ctx, http::Response& response) {
    if (response.content_type != "application/json" || response.body.empty()) return;
    auto grant = members.CurrentGrant(ctx.principal.id);
    if (!grant) {
      // Disabled between the handler and now: send nothing personal.
      response = http::ProblemResponse(403, "auth.forbidden", "the agency client is disabled");
      return;
    }
    // Nothing to remove when every personal field is allowed.
    if (grant->policy->fields.size() == std::size(hub::kPersonalFields)) return;
    boost::system::error_code ec;
    // Most answers are small: parse into a stack buffer, no heap.
    unsigned char buffer[4096];
    boost::json::monotonic_resource arena(buffer, sizeof buffer);
    boost::json::value body = boost::json::parse(response.body, ec, &arena);
    if (ec) {
      response = http::ProblemResponse(500, "internal.minimize", "a response could not be minimized");
      return;
    }
    const std::string& agency = grant->agency;
    size_t changed = hub::Minimize(
        *grant, [&](const CitizenId& id) { return members.AgencyToken(agency, id); }, body);
    if (changed > 0) response.body = boost::json::serialize(body);
  };
}

}  // namespace dancu::api
