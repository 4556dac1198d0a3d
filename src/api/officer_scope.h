// officer_scope: the officer behind a request on the register routes opened
// to officers (http::Access::kOfficer), and the checks those routes share
// (identity/officer_roles.h holds the role table and the area rules).
//
// OfficerOf(ctx, deps): nullopt for staff (a non-officer principal the
// router let through); the officer's current record for an officer
// principal. On failure, a ready 403 auth.forbidden Response: no officer
// store (deps.officers null), or the officer was removed or disabled after
// the token was checked. Call it first in every kOfficer handler.
//
// CheckArea(officer, communes): ok for staff (nullopt) or when any of the
// communes lies in the officer's area; else officer.out_of_area (403).
// CheckRole(officer, event_type): ok for staff or when the officer's role
// registers that event type; else officer.role_forbids (403).
//
// WriterActor(ctx): the actor recorded with an event: "officer:USERNAME" for
// an officer (so an officer named "admin" is not taken for the admin token),
// else the principal's id.
//
// Thread safety: OfficerOf calls identity::Officers (thread-safe); the
// others are pure.
#pragma once

#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "api/api.h"
#include "core/error.h"
#include "http/request_context.h"
#include "http/response.h"
#include "identity/officers.h"

namespace dancu::api {

using MaybeOfficer = std::optional<identity::Officer>;

std::expected<MaybeOfficer, http::Response> OfficerOf(const http::RequestContext& ctx,
                                                      const ApiDeps& deps);

Status CheckArea(const MaybeOfficer& officer, std::string_view commune);
Status CheckArea(const MaybeOfficer& officer, std::span<const std::string> communes);
Status CheckRole(const MaybeOfficer& officer, std::string_view event_type);

std::string WriterActor(const http::RequestContext& ctx);

}  // namespace dancu::api
