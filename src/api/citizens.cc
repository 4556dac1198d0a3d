// GET /v1/citizens/{id}, GET /v1/citizens?old_id= | ?name=&date_of_birth=&province=,
// GET /v1/citizens/{id}/history
// A read of one citizen (GET /v1/citizens/{id} and its history) is appended
// to the access log when there is one. Those two routes are open to officers
// (Access::kOfficer) for the citizens whose permanent residence lies in their
// area (else 403 officer.out_of_area, logged too); searches stay staff-only.
#include "api/access_record.h"
#include "api/api.h"
#include "api/event_json.h"
#include "api/officer_scope.h"
#include "api/request_fields.h"
#include "http/response.h"
#include "hub/audit_log.h"
#include "registry/citizen_json.h"

namespace dancu::api {
namespace {

using boost::beast::http::verb;

http::Response CitizenList(const Result<std::vector<registry::Citizen>>& found) {
  if (!found) return http::ProblemResponse(found.error());
  boost::json::array list;
  for (const registry::Citizen& c : *found) list.push_back(registry::CitizenToJson(c));
  boost::json::object o;
  o["citizens"] = std::move(list);
  return http::JsonResponse(200, o);
}

}  // namespace

void AddCitizenRoutes(http::Router& router, ApiDeps deps) {
  // GET /v1/citizens/{id}
  router.Add(verb::get, "/v1/citizens/{id}", [deps](http::RequestContext& ctx) {
    auto officer = OfficerOf(ctx, deps);
    if (!officer) return std::move(officer.error());
    auto id = CitizenId::Parse(ctx.path_param("id"));
    if (!id) return http::ProblemResponse(id.error());
    auto c = deps.registry.GetCitizen(*id);
    if (c) {
      if (auto s = CheckArea(*officer, c->permanent_residence.commune_code); !s) {
        c = std::unexpected(s.error());
      }
    }
    if (deps.audit_log != nullptr) {
      // A read of a whole record: every field, found, refused or not.
      hub::AccessRecord a = AccessFor(ctx, "read");
      a.citizen = id->ToString();
      a.fields = "citizen";
      a.outcome = c ? "OK" : c.error().code;
      deps.audit_log->Append(std::move(a));
    }
    if (!c) return http::ProblemResponse(c.error());
    return http::JsonResponse(200, registry::CitizenToJson(*c));
  }, http::Access::kOfficer);

  // GET /v1/citizens/{id}/history
  router.Add(verb::get, "/v1/citizens/{id}/history", [deps](http::RequestContext& ctx) {
    auto officer = OfficerOf(ctx, deps);
    if (!officer) return std::move(officer.error());
    auto id = CitizenId::Parse(ctx.path_param("id"));
    if (!id) return http::ProblemResponse(id.error());
    Status allowed;  // staff: always; an officer: the citizen lives in their area
    if (*officer) {
      auto c = deps.registry.GetCitizen(*id);
      allowed = c ? CheckArea(*officer, c->permanent_residence.commune_code)
                  : Status(std::unexpected(c.error()));
    }
    auto events = allowed ? deps.registry.History(*id)
                          : Result<std::vector<registry::FeedEvent>>(
                                std::unexpected(allowed.error()));
    if (deps.audit_log != nullptr) {
      hub::AccessRecord a = AccessFor(ctx, "history");
      a.citizen = id->ToString();
      a.fields = "history";
      a.outcome = events ? "OK" : events.error().code;
      deps.audit_log->Append(std::move(a));
    }
    if (!events) return http::ProblemResponse(events.error());
    boost::json::array list;
    for (const registry::FeedEvent& e : *events) list.push_back(FeedEventToJson(e));
    boost::json::object o;
    o["citizen_id"] = id->ToString();
    o["events"] = std::move(list);
    return http::JsonResponse(200, o);
  }, http::Access::kOfficer);

  // GET /v1/citizens?old_id=...  or  ?name=...[&date_of_birth=...][&province=..][&limit=..]
  router.Add(verb::get, "/v1/citizens", [deps](http::RequestContext& ctx) {
    auto old_id = ctx.query("old_id");
    auto name = ctx.query("name");
    if (old_id && name) {
      return http::ProblemResponse(400, "request.bad_parameter",
                                   "search by old_id or by name, not both");
    }
    if (old_id) return CitizenList(deps.registry.FindByOldId(*old_id));
    if (!name) {
      return http::ProblemResponse(400, "request.missing_field",
                                   "give old_id, or name (with optional date_of_birth, province)");
    }
    registry::NameQuery q;
    q.name = *name;
    if (auto dob = ctx.query("date_of_birth")) {
      auto d = PartialDate::Parse(*dob, deps.clock.Today());
      if (!d) {
        Error e = d.error();
        e.field = "date_of_birth";
        return http::ProblemResponse(e);
      }
      q.date_of_birth = *d;
    }
    q.province_code = ctx.query("province").value_or("");
    auto limit = IntQuery(ctx, "limit", 50, 1, 1000);
    if (!limit) return http::ProblemResponse(limit.error());
    q.limit = static_cast<int>(*limit);
    return CitizenList(deps.registry.FindByName(q));
  });
}

}  // namespace dancu::api
