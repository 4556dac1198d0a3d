// GET /v1/households/{id}
#include <charconv>

#include "api/api.h"
#include "http/response.h"
#include "registry/citizen_json.h"

namespace dancu::api {

void AddHouseholdRoutes(http::Router& router, ApiDeps deps) {
  router.Add(boost::beast::http::verb::get, "/v1/households/{id}",
             [deps](http::RequestContext& ctx) {
               std::string_view text = ctx.path_param("id");
               int64_t id = 0;
               auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
               if (ec != std::errc() || p != text.data() + text.size() || id <= 0) {
                 return http::ProblemResponse(400, "request.bad_parameter",
                                              "a household id is a positive integer");
               }
               auto h = deps.registry.GetHousehold(id);
               if (!h) return http::ProblemResponse(h.error());
               return http::JsonResponse(200, registry::HouseholdToJson(*h));
             });
}

}  // namespace dancu::api
