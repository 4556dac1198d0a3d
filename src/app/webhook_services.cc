#include "app/webhook_services.h"

#include <boost/json/serialize.hpp>

#include "api/event_json.h"
#include "hub/hub_db.h"

namespace dancu::app {

Result<WebhookServices> OpenWebhookServicesIn(const std::filesystem::path& dir,
                                              const verify::AgencyKeys& agencies,
                                              const registry::Registry* registry,
                                              const Clock& clock, Random& random) {
  WebhookServices out;
  auto db = hub::OpenHubDb(dir);
  if (!db) return std::unexpected(db.error());
  out.db = std::move(*db);
  auto subs = hub::WebhookSubscriptions::Open(
      *out.db, clock, [&agencies](std::string_view name) -> Result<bool> {
        auto list = agencies.List();
        if (!list) return std::unexpected(list.error());
        for (const verify::Agency& a : *list) {
          if (a.name == name && !a.disabled) return true;
        }
        return false;
      });
  if (!subs) return std::unexpected(subs.error());
  out.subscriptions = std::move(*subs);
  if (registry != nullptr) {
    hub::WebhookDispatcherOptions options;
    options.encode = [](const registry::FeedEvent& e) -> Result<std::string> {
      try {
        return boost::json::serialize(api::FeedEventToJson(e));
      } catch (const std::exception& ex) {  // data_json that does not parse
        return Fail("internal.event_json", std::string("event ") + std::to_string(e.seq) +
                                               " cannot be encoded: " + ex.what());
      }
    };
    auto d = hub::WebhookDispatcher::Open(*out.db, *registry, clock, random, std::move(options));
    if (!d) return std::unexpected(d.error());
    out.dispatcher = std::move(*d);
  }
  return out;
}

}  // namespace dancu::app
