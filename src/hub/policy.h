// Policy: what one agency client may do (issue 5, "Policies"). Default deny:
// an empty policy allows nothing, and a client without a policy has this
// empty one.
//
//   operations   the operations allowed (hub/operation.h)
//   fields       the personal fields (hub/personal_fields.h) the client may
//                receive in any answer: eKYC, feed events, webhook bodies,
//                match candidates. Without "citizen_id" the client gets a
//                per-agency pseudonym instead of the id.
//   purpose      the legal purpose code of its eKYC requests, shown to
//                citizens in their consents and access log
//                ([A-Z0-9._-]{2,64}, e.g. "KYC-ACCOUNT-OPENING")
//   rate_limit   requests per second (token bucket, burst = one second's worth)
//   daily_quota  requests per UTC day
//   feed_event_types  the register event types it may receive (feed, webhooks)
//   feed_provinces    2-digit province codes; empty = every province
//
// JSON form (CLI --policy FILE, admin API):
//   {"operations":["verify","ekyc"],"fields":["full_name","date_of_birth"],
//    "purpose":"KYC-ACCOUNT-OPENING","rate_limit":100,"daily_quota":100000,
//    "feed":{"event_types":["death"],"provinces":["01"]}}
//
// Errors (ParsePolicy): policy.invalid with the offending member in `field`.
// Thread safety: value type; share as std::shared_ptr<const Policy>.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/error.h"
#include "hub/operation.h"

namespace dancu::hub {

struct Policy {
  OperationSet operations = 0;
  std::vector<std::string> fields;  // sorted, unique, each IsPersonalField
  std::string purpose;
  double rate_limit = 0;    // requests per second; 0 = none allowed
  int64_t daily_quota = 0;  // requests per UTC day; 0 = none allowed
  std::vector<std::string> feed_event_types;  // sorted, unique
  std::vector<std::string> feed_provinces;    // sorted, unique; empty = all

  bool Allows(Operation op) const { return (operations & Bit(op)) != 0; }
  bool AllowsField(std::string_view field) const;
  // True if a feed event of `type` about a person in `province_code` ("" when
  // the event names no province) may reach this client.
  bool FeedAllows(std::string_view type, std::string_view province_code) const;
};

Result<Policy> ParsePolicy(const boost::json::value& json);
boost::json::object PolicyToJson(const Policy& policy);

}  // namespace dancu::hub
