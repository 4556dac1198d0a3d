// Webhook subscriptions and deliveries (issue 5, "Live feeds to agencies",
// push; hub/webhook_subscriptions.h, hub/webhook_dispatcher.h). Register
// staff only (Access::kAuthenticated: the admin token or an officer; an
// agency gets 403):
//   POST   /v1/webhooks                   {"agency","url","events":[...],"provinces":[...]}
//                                         201 with the subscription and its "secret" (once)
//   GET    /v1/webhooks                   {"subscriptions":[...]} (no secrets)
//   DELETE /v1/webhooks/{id}              204; the subscription is disabled
//   GET    /v1/webhooks/deliveries?state=pending|delivered|dead&limit=N (default 100, max 1000)
//   POST   /v1/webhooks/deliveries/{id}/redeliver   a dead letter is due again (200)
// Errors: request.* for the body, webhook.bad_agency, webhook.unknown_agency,
// webhook.bad_url, webhook.bad_event_type, webhook.bad_province (400),
// webhook.not_found, webhook.delivery_not_found (404), webhook.not_dead
// (409).
#include <charconv>

#include <boost/json/array.hpp>

#include "api/api.h"
#include "api/request_fields.h"
#include "http/json_reader.h"
#include "http/response.h"
#include "hub/webhook_dispatcher.h"
#include "hub/webhook_subscriptions.h"

namespace dancu::api {
namespace {

using boost::beast::http::verb;

boost::json::array Strings(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const std::string& s : v) a.emplace_back(s);
  return a;
}

boost::json::object SubscriptionJson(const hub::WebhookSubscription& s) {
  boost::json::object o;
  o["id"] = s.id;
  o["agency"] = s.agency;
  o["url"] = s.url;
  o["events"] = Strings(s.event_types);
  o["provinces"] = Strings(s.provinces);
  o["created_at"] = s.created_at;
  o["disabled"] = s.disabled;
  return o;
}

boost::json::value OptionalTime(const std::optional<Timestamp>& t) {
  if (!t) return nullptr;
  return boost::json::value(FormatTimestamp(*t));
}

boost::json::object DeliveryJson(const hub::WebhookDelivery& d) {
  boost::json::object o;
  o["id"] = d.id;
  o["subscription_id"] = d.subscription_id;
  o["agency"] = d.agency;
  o["url"] = d.url;
  o["seq"] = d.seq;
  o["event_type"] = d.event_type;
  o["state"] = hub::ToString(d.state);
  o["attempts"] = d.attempts;
  o["first_attempt_at"] = OptionalTime(d.first_attempt_at);
  o["next_attempt_at"] = FormatTimestamp(d.next_attempt_at);
  o["delivered_at"] = OptionalTime(d.delivered_at);
  o["last_error"] = d.last_error;
  return o;
}

Result<std::vector<std::string>> StringList(const boost::json::array* a, std::string_view field) {
  std::vector<std::string> out;
  if (a == nullptr) return out;
  for (const auto& v : *a) {
    if (!v.is_string()) {
      return Fail("request.wrong_type", std::string(field) + " must be an array of strings",
                  std::string(field));
    }
    out.emplace_back(v.as_string());
  }
  return out;
}

Result<int64_t> IdParam(const http::RequestContext& ctx) {
  std::string_view text = ctx.path_param("id");
  int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size() || v < 1) {
    return Fail("request.bad_parameter", "id must be a positive integer", "id");
  }
  return v;
}

}  // namespace

void AddWebhookRoutes(http::Router& router, ApiDeps deps) {
  hub::WebhookSubscriptions* subs = deps.webhook_subscriptions;
  hub::WebhookDispatcher* dispatcher = deps.webhook_dispatcher;

  // POST /v1/webhooks
  router.Add(verb::post, "/v1/webhooks", [subs](http::RequestContext& ctx) {
    auto obj = http::ParseJsonObject(ctx.body());
    if (!obj) return http::ProblemResponse(obj.error());
    http::JsonFields f(*obj);
    auto agency = f.RequireString("agency");
    if (!agency) return http::ProblemResponse(agency.error());
    auto url = f.RequireString("url");
    if (!url) return http::ProblemResponse(url.error());
    auto events_array = f.OptionalArray("events");
    if (!events_array) return http::ProblemResponse(events_array.error());
    if (*events_array == nullptr) {
      return http::ProblemResponse(Error{"request.missing_field", "events is required", "events"});
    }
    auto events = StringList(*events_array, "events");
    if (!events) return http::ProblemResponse(events.error());
    auto provinces_array = f.OptionalArray("provinces");
    if (!provinces_array) return http::ProblemResponse(provinces_array.error());
    auto provinces = StringList(*provinces_array, "provinces");
    if (!provinces) return http::ProblemResponse(provinces.error());
    if (auto s = f.Finish(); !s) return http::ProblemResponse(s.error());
    auto created = subs->Create({*agency, *url, std::move(*events), std::move(*provinces)});
    if (!created) return http::ProblemResponse(created.error());
    auto o = SubscriptionJson(*created);
    o["secret"] = created->secret;
    return http::JsonResponse(201, o);
  });

  // GET /v1/webhooks
  router.Add(verb::get, "/v1/webhooks", [subs](http::RequestContext&) {
    auto list = subs->List();
    if (!list) return http::ProblemResponse(list.error());
    boost::json::array a;
    for (const auto& s : *list) a.emplace_back(SubscriptionJson(s));
    return http::JsonResponse(200, boost::json::object{{"subscriptions", std::move(a)}});
  });

  // DELETE /v1/webhooks/{id}
  router.Add(verb::delete_, "/v1/webhooks/{id}", [subs](http::RequestContext& ctx) {
    auto id = IdParam(ctx);
    if (!id) return http::ProblemResponse(id.error());
    if (auto s = subs->Remove(*id); !s) return http::ProblemResponse(s.error());
    return http::TextResponse(204, "text/plain", "");
  });

  // GET /v1/webhooks/deliveries?state=dead&limit=100
  router.Add(verb::get, "/v1/webhooks/deliveries", [dispatcher](http::RequestContext& ctx) {
    std::optional<hub::DeliveryState> state;
    if (auto text = ctx.query("state")) {
      state = hub::ParseDeliveryState(*text);
      if (!state) {
        return http::ProblemResponse(Error{"request.bad_parameter",
                                           "state must be pending, delivered or dead", "state"});
      }
    }
    auto limit = IntQuery(ctx, "limit", 100, 1, 1000);
    if (!limit) return http::ProblemResponse(limit.error());
    auto list = dispatcher->List(state, static_cast<int>(*limit));
    if (!list) return http::ProblemResponse(list.error());
    boost::json::array a;
    for (const auto& d : *list) a.emplace_back(DeliveryJson(d));
    return http::JsonResponse(200, boost::json::object{{"deliveries", std::move(a)}});
  });

  // POST /v1/webhooks/deliveries/{id}/redeliver
  router.Add(verb::post, "/v1/webhooks/deliveries/{id}/redeliver",
             [dispatcher](http::RequestContext& ctx) {
               auto id = IdParam(ctx);
               if (!id) return http::ProblemResponse(id.error());
               if (auto s = dispatcher->Redeliver(*id); !s) return http::ProblemResponse(s.error());
               auto d = dispatcher->Get(*id);
               if (!d) return http::ProblemResponse(d.error());
               return http::JsonResponse(200, DeliveryJson(*d));
             });
}

}  // namespace dancu::api
