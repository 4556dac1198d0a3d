#include "app/hub_services.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/event_json.h"
#include "hub/feed_disclosure.h"
#include "hub/hub_db.h"

namespace dancu::app {

Result<HubServices> OpenHubServicesIn(const std::filesystem::path& dir,
                                      const registry::Registry* registry,
                                      hub::AuditLog* audit_log, const Clock& clock,
                                      Random& random) {
  HubServices out;
  auto db = hub::OpenHubDb(dir);
  if (!db) return std::unexpected(db.error());
  out.db = std::move(*db);
  auto members = hub::Members::Open(*out.db, dir, clock, random);
  if (!members) return std::unexpected(members.error());
  out.members = std::move(*members);
  hub::Members* m = out.members.get();
  auto code_key = hub::EkycConsents::LoadOrCreateCodeKey(dir);
  if (!code_key) return std::unexpected(code_key.error());
  auto ekyc = hub::EkycConsents::Open(*out.db, std::move(*code_key), clock, random);
  if (!ekyc) return std::unexpected(ekyc.error());
  out.ekyc_consents = std::move(*ekyc);
  auto documents = hub::LinkedDocuments::Open(*out.db, clock);
  if (!documents) return std::unexpected(documents.error());
  out.linked_documents = std::move(*documents);
  auto subs = hub::WebhookSubscriptions::Open(
      *out.db, clock, [m](std::string_view name) -> Result<bool> {
        auto a = m->GetAgency(name);
        return a.has_value() && !a->disabled;
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
    options.admit = [m, audit_log](const registry::FeedEvent& e, std::string_view agency,
                                   std::string_view province,
                                   const std::string& body) -> std::optional<std::string> {
      // The first of the agency's clients whose policy lets the event through.
      for (const hub::Grant& grant : m->AgencyGrants(agency)) {
        if (!grant.policy->FeedAllows(e.type, province)) continue;
        boost::json::value json = boost::json::parse(body);
        hub::DiscloseFeedEvent(*m, grant, e, province, json, audit_log, "webhook");
        return boost::json::serialize(json);
      }
      return std::nullopt;
    };
    auto d = hub::WebhookDispatcher::Open(*out.db, *registry, clock, random, std::move(options));
    if (!d) return std::unexpected(d.error());
    out.dispatcher = std::move(*d);
  }
  return out;
}

}  // namespace dancu::app
