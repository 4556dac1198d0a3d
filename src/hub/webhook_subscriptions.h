// WebhookSubscriptions: which agency receives which register events at which
// URL (issue 5, "Live feeds to agencies", push). Stored in DIR/hub.db
// (hub_db.h). An agency is one of the hub's members (hub/members.h), named
// by its name; the caller passes an AgencyCheck that says whether it exists
// and is enabled. What a subscription receives is further limited by the
// agency's policy at enqueue time (WebhookDispatcherOptions::admit).
//
// A subscription names:
//  - the agency;
//  - the URL: https:// to any host, or plain http:// to a loopback host
//    only (127.0.0.0/8, [::1], localhost: a relay on the same machine);
//  - the event types, from kWebhookEventTypes (birth, death, residence, ...);
//  - optionally province codes (two digits, core/admin_units.h): then only
//    events whose citizen's province of permanent residence is one of them
//    are delivered (read when the event is enqueued);
//  - the signing secret: "whsec_" + 43 base64url characters (32 bytes from
//    the OS CSPRNG), returned once by Create. It is stored in clear because
//    every delivery is signed with it (HMAC-SHA256, webhook_dispatcher.h).
// Remove disables a subscription (its history of deliveries stays); a
// disabled subscription gets no new deliveries and its pending ones wait.
//
// Errors: webhook.bad_agency (malformed name), webhook.unknown_agency,
// webhook.bad_url, webhook.bad_event_type, webhook.bad_province (400),
// webhook.not_found (404, Remove), storage.*.
// Thread safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "storage/database.h"

namespace dancu::hub {

// The event types a subscription may name (the register's FeedEvent.type).
inline constexpr std::string_view kWebhookEventTypes[] = {
    "birth",    "death",   "residence",       "correction",
    "marriage", "divorce", "household_split", "household_head_change",
};

struct WebhookSubscription {
  int64_t id = 0;
  std::string agency;
  std::string url;
  std::vector<std::string> event_types;
  std::vector<std::string> provinces;  // empty: every province
  std::string created_at;              // ISO 8601 UTC
  bool disabled = false;
  std::string secret;  // filled only by Create and ActiveWithSecrets
};

struct NewWebhookSubscription {
  std::string agency;
  std::string url;
  std::vector<std::string> event_types;
  std::vector<std::string> provinces;
};

// Where a webhook URL points: http(s)://host:port/target.
struct WebhookTarget {
  bool tls = false;    // https
  std::string host;    // a DNS name or IP (an IPv6 address without brackets)
  std::string port;    // "443" / "80" when absent
  std::string target;  // "/path?query", "/" when absent
};
// Errors: webhook.bad_url.
Result<WebhookTarget> ParseWebhookUrl(std::string_view url);

// Whether the agency exists; an error (storage) is passed on.
using AgencyCheck = std::function<Result<bool>(std::string_view name)>;

class WebhookSubscriptions {
 public:
  // `hub_db` must outlive this; `agency_exists` may be empty (no check).
  static Result<std::unique_ptr<WebhookSubscriptions>> Open(storage::Database& hub_db,
                                                            const Clock& clock,
                                                            AgencyCheck agency_exists = {});

  // Validates and stores; the result carries the secret, shown only once.
  Result<WebhookSubscription> Create(const NewWebhookSubscription& s);
  // Every subscription, by id, without secrets.
  Result<std::vector<WebhookSubscription>> List() const;
  // Disables it. webhook.not_found if there is no such enabled subscription.
  Status Remove(int64_t id);
  // The enabled subscriptions with their secrets (for the dispatcher).
  Result<std::vector<WebhookSubscription>> ActiveWithSecrets() const;

 private:
  WebhookSubscriptions(std::unique_ptr<storage::Connection> conn, const Clock& clock,
                       AgencyCheck agency_exists);
  Result<std::vector<WebhookSubscription>> Load(bool active_only, bool secrets) const;

  mutable std::mutex mu_;
  std::unique_ptr<storage::Connection> conn_;  // guarded by mu_
  const Clock& clock_;
  AgencyCheck agency_exists_;
};

}  // namespace dancu::hub
