// The webhook services of one data directory (issue 5, push feed), opened
// the same way by `dancu serve` and `dancu webhooks`: DIR/hub.db, the
// subscriptions (agency names checked against DIR/verify.db's agencies) and,
// when a register is given, the dispatcher (hub/webhook_dispatcher.h) whose
// request bodies are the events' /v1/feed JSON (api/event_json.h).
//
// Errors: storage.* (messages printed by the caller).
// Thread safety: as the services.
#pragma once

#include <filesystem>
#include <memory>

#include "core/clock.h"
#include "core/error.h"
#include "core/random.h"
#include "hub/webhook_dispatcher.h"
#include "hub/webhook_subscriptions.h"
#include "registry/registry.h"
#include "storage/database.h"
#include "verify/agency_keys.h"

namespace dancu::app {

struct WebhookServices {
  std::unique_ptr<storage::Database> db;  // DIR/hub.db
  std::unique_ptr<hub::WebhookSubscriptions> subscriptions;
  std::unique_ptr<hub::WebhookDispatcher> dispatcher;  // null without a register
};

// `agencies` and `registry` (may be null) must outlive the result.
Result<WebhookServices> OpenWebhookServicesIn(const std::filesystem::path& dir,
                                              const verify::AgencyKeys& agencies,
                                              const registry::Registry* registry,
                                              const Clock& clock, Random& random);

}  // namespace dancu::app
