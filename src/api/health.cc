// GET /healthz, GET /metrics
#include "api/api.h"
#include "http/response.h"

namespace dancu::api {

void AddHealthRoutes(http::Router& router, ApiDeps deps) {
  // GET /healthz: liveness plus the register's feed position. Public.
  router.Add(boost::beast::http::verb::get, "/healthz",
             [deps](http::RequestContext&) {
               auto seq = deps.registry.LastSeq();
               if (!seq) return http::ProblemResponse(seq.error());
               boost::json::object o;
               o["status"] = "ok";
               o["seq"] = *seq;
               return http::JsonResponse(200, o);
             },
             http::Access::kPublic);
  // GET /metrics: Prometheus text exposition.
  router.Add(boost::beast::http::verb::get, "/metrics", [deps](http::RequestContext&) {
    return http::TextResponse(200, "text/plain; version=0.0.4; charset=utf-8",
                              deps.metrics.RenderPrometheus());
  });
}

}  // namespace dancu::api
