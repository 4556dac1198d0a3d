// GET /v1/agency/feed?after=N&limit=M: the pull feed for agencies (issue 5,
// "Live feeds to agencies"). The register's change feed (like /v1/feed),
// filtered by the caller's policy: only the event types and provinces it
// allows (hub/feed_disclosure.h), each event minimized to the personal fields
// it may receive, the citizen as the agency's pseudonym unless citizen_id is
// allowed. `next` is the cursor for the following page; it moves past the
// events the policy filtered out, so a page may hold fewer than `limit`
// events (or none) while `next` still advances. Every event delivered is an
// access-log entry (operation "feed", outcome "pull:<type>"). Staff see every
// event.
#include "api/agency_access.h"
#include "api/api.h"
#include "api/event_json.h"
#include "api/request_fields.h"
#include "http/response.h"
#include "hub/feed_disclosure.h"

namespace dancu::api {

void AddAgencyFeedRoutes(http::Router& router, ApiDeps deps) {
  router.Add(
      boost::beast::http::verb::get, "/v1/agency/feed",
      [deps](http::RequestContext& ctx) {
        auto grant = Admit(ctx, deps, hub::Operation::kFeed);
        if (!grant) return std::move(grant.error());
        auto after = IntQuery(ctx, "after", 0, 0, INT64_MAX);
        if (!after) return http::ProblemResponse(after.error());
        auto limit = IntQuery(ctx, "limit", 100, 1, 1000);
        if (!limit) return http::ProblemResponse(limit.error());
        auto page = deps.registry.Feed(*after, static_cast<int>(*limit));
        if (!page) return http::ProblemResponse(page.error());
        boost::json::array events;
        for (const registry::FeedEvent& e : page->events) {
          auto province = hub::EventProvince(deps.registry, e);
          if (!province) return http::ProblemResponse(province.error());
          boost::json::value json = FeedEventToJson(e);
          if (hub::DiscloseFeedEvent(*deps.members, *grant, e, *province, json, deps.audit_log,
                                     "pull")) {
            events.push_back(std::move(json));
          }
        }
        boost::json::object o;
        o["events"] = std::move(events);
        o["next"] = page->next;
        return http::JsonResponse(200, o);
      },
      http::Access::kAgency);
}

}  // namespace dancu::api
