#include "api/officer_scope.h"

#include "identity/officer_roles.h"

namespace dancu::api {

std::expected<MaybeOfficer, http::Response> OfficerOf(const http::RequestContext& ctx,
                                                      const ApiDeps& deps) {
  if (ctx.principal.kind != http::Principal::Kind::kOfficer) return MaybeOfficer{};
  if (deps.officers != nullptr) {
    auto officer = deps.officers->Get(ctx.principal.id);
    if (officer && !officer->disabled) return MaybeOfficer{std::move(*officer)};
  }
  return std::unexpected(
      http::ProblemResponse(403, "auth.forbidden", "this officer may not use the register"));
}

Status CheckArea(const MaybeOfficer& officer, std::span<const std::string> communes) {
  if (!officer) return {};
  for (const std::string& commune : communes) {
    if (identity::AreaCovers(officer->area_code, commune)) return {};
  }
  return Fail("officer.out_of_area",
              "this lies outside the officer's area " + officer->area_code);
}

Status CheckArea(const MaybeOfficer& officer, std::string_view commune) {
  const std::string one(commune);
  return CheckArea(officer, std::span<const std::string>(&one, 1));
}

Status CheckRole(const MaybeOfficer& officer, std::string_view event_type) {
  if (!officer || identity::RoleRegisters(officer->role, event_type)) return {};
  return Fail("officer.role_forbids", "a " + officer->role + " officer does not register " +
                                          std::string(event_type) + " events");
}

std::string WriterActor(const http::RequestContext& ctx) {
  if (ctx.principal.kind == http::Principal::Kind::kOfficer) {
    return "officer:" + ctx.principal.id;
  }
  return ctx.principal.id.empty() ? "anonymous" : ctx.principal.id;
}

}  // namespace dancu::api
