// feed_disclosure: what one agency receives of one register event, by pull
// (GET /v1/agency/feed) or push (webhooks), decided in one place (issue 5,
// "Agencies subscribe to the register events their policy allows").
//
// EventProvince finds the province the feed filters use; DiscloseFeedEvent(grant, event, province, json, ...) returns false when the
// grant's policy does not let the event reach the agency (operation feed,
// event type, province of the citizen's permanent residence; staff grants
// are unrestricted). Otherwise it minimizes `json` (the event's /v1/feed
// form) under the grant (hub/minimizer.h: personal fields outside the
// policy removed, the citizen id replaced by the agency's pseudonym),
// appends an access-log entry when `log` is set (actor the agency, operation
// "feed", the personal fields disclosed, the policy's purpose, outcome the
// channel: "pull" or "webhook") and returns true.
//
// Thread safety: as Members and AuditLog (thread-safe).
#pragma once

#include <string_view>

#include <boost/json/value.hpp>

#include "hub/audit_log.h"
#include "hub/grant.h"
#include "hub/members.h"
#include "registry/registry.h"

namespace dancu::hub {

// The province of the event's citizen's permanent residence (2 digits), or
// "" when the event names no citizen or the citizen is unknown. Errors:
// storage.* from the register.
Result<std::string> EventProvince(const registry::Registry& registry,
                                  const registry::FeedEvent& event);

bool DiscloseFeedEvent(const Members& members, const Grant& grant,
                       const registry::FeedEvent& event, std::string_view province,
                       boost::json::value& json, AuditLog* log, std::string_view channel);

}  // namespace dancu::hub
