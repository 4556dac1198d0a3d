#include "api/access_record.h"

namespace dancu::api {

hub::AccessRecord AccessFor(const http::RequestContext& ctx, std::string_view operation) {
  hub::AccessRecord r;
  switch (ctx.principal.kind) {
    case http::Principal::Kind::kAgency:
      r.actor_kind = hub::ActorKind::kAgency;
      break;
    case http::Principal::Kind::kOfficer:
      r.actor_kind = hub::ActorKind::kOfficer;
      break;
    case http::Principal::Kind::kCitizen:
      r.actor_kind = hub::ActorKind::kCitizen;
      break;
    case http::Principal::Kind::kAdmin:
    case http::Principal::Kind::kAnonymous:
      r.actor_kind = hub::ActorKind::kStaff;
      break;
  }
  r.actor = ctx.principal.id;
  r.operation = operation;
  return r;
}

}  // namespace dancu::api
