// GET /v1/feed?after=N&limit=M
#include "api/api.h"
#include "api/event_json.h"
#include "api/request_fields.h"
#include "http/response.h"

namespace dancu::api {

void AddFeedRoutes(http::Router& router, ApiDeps deps) {
  router.Add(boost::beast::http::verb::get, "/v1/feed", [deps](http::RequestContext& ctx) {
    auto after = IntQuery(ctx, "after", 0, 0, INT64_MAX);
    if (!after) return http::ProblemResponse(after.error());
    auto limit = IntQuery(ctx, "limit", 100, 1, 10000);
    if (!limit) return http::ProblemResponse(limit.error());
    auto page = deps.registry.Feed(*after, static_cast<int>(*limit));
    if (!page) return http::ProblemResponse(page.error());
    boost::json::array events;
    for (const registry::FeedEvent& e : page->events) events.push_back(FeedEventToJson(e));
    boost::json::object o;
    o["events"] = std::move(events);
    o["next"] = page->next;
    return http::JsonResponse(200, o);
  });
}

}  // namespace dancu::api
