#include "hub/feed_disclosure.h"

#include "core/admin_units.h"
#include "hub/minimizer.h"

namespace dancu::hub {

Result<std::string> EventProvince(const registry::Registry& registry,
                                  const registry::FeedEvent& event) {
  if (!event.citizen_id) return std::string();
  auto c = registry.GetCitizen(*event.citizen_id);
  if (!c) {
    if (c.error().code == "citizen.not_found") return std::string();
    return std::unexpected(c.error());
  }
  const Commune* commune = AdminUnits::Get().FindCommune(c->permanent_residence.commune_code);
  return commune != nullptr ? commune->province_code : std::string();
}

bool DiscloseFeedEvent(const Members& members, const Grant& grant,
                       const registry::FeedEvent& event, std::string_view province,
                       boost::json::value& json, AuditLog* log, std::string_view channel) {
  if (!grant.unrestricted && !grant.policy->FeedAllows(event.type, province)) return false;
  const std::string& agency = grant.agency;
  Minimize(grant, [&](const CitizenId& id) { return members.AgencyToken(agency, id); }, json);
  if (log != nullptr && event.citizen_id) {
    AccessRecord r;
    r.actor_kind = grant.unrestricted ? ActorKind::kStaff : ActorKind::kAgency;
    r.actor = grant.unrestricted ? "admin" : agency;
    r.citizen = event.citizen_id->ToString();
    r.operation = "feed";
    r.fields = DisclosedFields(json);
    r.purpose = grant.purpose();
    r.outcome = std::string(channel) + ":" + event.type;
    log->Append(std::move(r));
  }
  return true;
}

}  // namespace dancu::hub
