// GET /v1/households/{id}: open to officers (Access::kOfficer) for the
// households whose address lies in their area (else 403
// officer.out_of_area). Every read, by anyone, is appended to the access log
// once per member (operation "read-household", the member's household
// fields), refused reads once per member too.
#include <charconv>

#include "api/access_record.h"
#include "api/api.h"
#include "api/officer_scope.h"
#include "http/response.h"
#include "hub/audit_log.h"
#include "registry/citizen_json.h"

namespace dancu::api {

void AddHouseholdRoutes(http::Router& router, ApiDeps deps) {
  router.Add(
      boost::beast::http::verb::get, "/v1/households/{id}",
      [deps](http::RequestContext& ctx) {
        auto officer = OfficerOf(ctx, deps);
        if (!officer) return std::move(officer.error());
        std::string_view text = ctx.path_param("id");
        int64_t id = 0;
        auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
        if (ec != std::errc() || p != text.data() + text.size() || id <= 0) {
          return http::ProblemResponse(400, "request.bad_parameter",
                                       "a household id is a positive integer");
        }
        auto h = deps.registry.GetHousehold(id);
        if (!h) return http::ProblemResponse(h.error());
        Status allowed = CheckArea(*officer, h->address.commune_code);
        if (deps.audit_log != nullptr) {
          for (const registry::HouseholdMember& m : h->members) {
            hub::AccessRecord a = AccessFor(ctx, "read-household");
            a.citizen = m.id.ToString();
            a.fields = "household_id,relationship_to_head,permanent_residence";
            a.outcome = allowed ? "OK" : allowed.error().code;
            deps.audit_log->Append(std::move(a));
          }
        }
        if (!allowed) return http::ProblemResponse(allowed.error());
        return http::JsonResponse(200, registry::HouseholdToJson(*h));
      },
      http::Access::kOfficer);
}

}  // namespace dancu::api
