// api: the HTTP handlers. Each handler parses and validates its request,
// calls one domain service, and maps the result or Error to a response; it
// never touches SQL or sockets. One file per resource group; this header is
// the front door that wires them all into a Router.
//
// Thread safety: handlers run concurrently on the server's io threads; the
// services they call are thread-safe.
#pragma once

#include <cstddef>

#include "core/clock.h"
#include "core/metrics.h"
#include "http/router.h"
#include "registry/registry.h"

namespace dancu::verify {
class Verifier;
class VerificationLog;
class ReconcileJobs;
}  // namespace dancu::verify

namespace dancu::hub {
class AuditLog;
class WebhookSubscriptions;
class WebhookDispatcher;
}  // namespace dancu::hub

namespace dancu::api {

struct ApiDeps {
  registry::Registry& registry;
  Metrics& metrics;
  const Clock& clock;
  // Verification (issue 3); when null, the /v1/verify routes are not added.
  verify::Verifier* verifier = nullptr;
  verify::VerificationLog* verification_log = nullptr;
  // Bulk reconciliation jobs; when null, the /v1/reconcile routes are not added.
  verify::ReconcileJobs* reconcile_jobs = nullptr;
  // The access log (issue 5); when null, the /v1/audit routes are not added
  // and accesses are not recorded.
  hub::AuditLog* audit_log = nullptr;
  // Webhooks (issue 5, push feed); when the dispatcher is null, the
  // /v1/webhooks routes are not added. Both are set together.
  hub::WebhookSubscriptions* webhook_subscriptions = nullptr;
  hub::WebhookDispatcher* webhook_dispatcher = nullptr;
};

// The largest POST /v1/verify/batch body (10,000 queries of a few hundred
// bytes); serve gives the server this per-path limit.
inline constexpr size_t kVerifyBatchBodyLimit = 8 << 20;
inline constexpr size_t kVerifyBatchMaxQueries = 10000;

void AddRoutes(http::Router& router, ApiDeps deps);

// Per resource group (called by AddRoutes).
void AddHealthRoutes(http::Router& router, ApiDeps deps);
void AddCitizenRoutes(http::Router& router, ApiDeps deps);
void AddHouseholdRoutes(http::Router& router, ApiDeps deps);
void AddEventRoutes(http::Router& router, ApiDeps deps);
void AddFeedRoutes(http::Router& router, ApiDeps deps);
void AddVerifyRoutes(http::Router& router, ApiDeps deps);
void AddReconcileRoutes(http::Router& router, ApiDeps deps);
void AddMatchRoutes(http::Router& router, ApiDeps deps);  // POST /v1/match (needs verifier)
void AddAuditRoutes(http::Router& router, ApiDeps deps);  // /v1/audit/* (needs audit_log)
void AddWebhookRoutes(http::Router& router, ApiDeps deps);  // /v1/webhooks* (needs dispatcher)

}  // namespace dancu::api
