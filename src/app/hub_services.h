// The data-sharing hub's services of one data directory (issue 5), opened
// the same way by `dancu serve` and the CLI (`dancu agencies`, `dancu
// webhooks`): DIR/hub.db, the members (agencies, clients, policies, hub.key),
// the citizens' eKYC consents (consent codes keyed by DIR/ekyc-code.key),
// the citizens' linked documents from sectoral data sync,
// the webhook subscriptions (agencies checked against the members) and, when
// a register is given, the webhook dispatcher (hub/webhook_dispatcher.h),
// whose bodies are the events' /v1/feed JSON (api/event_json.h) as each
// agency's policy allows (hub/feed_disclosure.h); when an access log is
// given, every enqueued delivery is logged there.
//
// Errors: storage.*, hub.key_file (messages printed by the caller).
// Thread safety: as the services.
#pragma once

#include <filesystem>
#include <memory>

#include "core/clock.h"
#include "core/error.h"
#include "core/random.h"
#include "hub/audit_log.h"
#include "hub/ekyc_consents.h"
#include "hub/linked_documents.h"
#include "hub/members.h"
#include "hub/webhook_dispatcher.h"
#include "hub/webhook_subscriptions.h"
#include "registry/registry.h"
#include "storage/database.h"

namespace dancu::app {

struct HubServices {
  std::unique_ptr<storage::Database> db;  // DIR/hub.db
  std::unique_ptr<hub::Members> members;
  std::unique_ptr<hub::EkycConsents> ekyc_consents;  // key: DIR/ekyc-code.key
  std::unique_ptr<hub::LinkedDocuments> linked_documents;  // sectoral data sync
  std::unique_ptr<hub::WebhookSubscriptions> subscriptions;
  std::unique_ptr<hub::WebhookDispatcher> dispatcher;  // null without a register
};

// `registry` and `audit_log` (both may be null) must outlive the result.
Result<HubServices> OpenHubServicesIn(const std::filesystem::path& dir,
                                      const registry::Registry* registry,
                                      hub::AuditLog* audit_log, const Clock& clock,
                                      Random& random);

}  // namespace dancu::app
