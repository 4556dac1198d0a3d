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
class Members;
class EkycConsents;
class LinkedDocuments;
class AuditLog;
class WebhookSubscriptions;
class WebhookDispatcher;
}  // namespace dancu::hub

namespace dancu::identity {
class Officers;
}  // namespace dancu::identity

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
  // Officers (issue 5): their role and area gate the register routes opened
  // to them (Access::kOfficer, api/officer_scope.h). When null, officer
  // principals are refused (403).
  identity::Officers* officers = nullptr;
  // Agencies, clients and policies (issue 5): the policy gate of every agency
  // route (api/agency_access.h). When null, agency principals are refused
  // (403) and staff are unrestricted.
  hub::Members* members = nullptr;
  // eKYC with the citizen's consent (POST /v1/agency/ekyc; routes added when set).
  hub::EkycConsents* ekyc_consents = nullptr;
  // Sectoral data sync (/v1/agency/sectoral-records*; routes added when set).
  hub::LinkedDocuments* linked_documents = nullptr;
};

// The largest POST /v1/verify/batch body (10,000 queries of a few hundred
// bytes); serve gives the server this per-path limit.
inline constexpr size_t kVerifyBatchBodyLimit = 8 << 20;
inline constexpr size_t kVerifyBatchMaxQueries = 10000;

// POST /v1/agency/sectoral-records: at most kSectoralMaxRecords records, in
// a body of at most kSectoralBodyLimit bytes (2 KiB a record); serve gives
// the server this per-path limit (larger bodies: 413 request.too_large).
inline constexpr size_t kSectoralBodyLimit = 2 << 20;
inline constexpr size_t kSectoralMaxRecords = 1000;

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
// Agencies, clients and policies: the admin API and GET /v1/agency/me
// (agencies.cc), and the pull feed GET /v1/agency/feed (agency_feed.cc); both
// need members.
void AddAgencyRoutes(http::Router& router, ApiDeps deps);
void AddAgencyFeedRoutes(http::Router& router, ApiDeps deps);
void AddEkycRoutes(http::Router& router, ApiDeps deps);  // POST /v1/agency/ekyc (needs ekyc_consents)
// POST /v1/agency/sectoral-records (needs linked_documents and verifier).
void AddSectoralRoutes(http::Router& router, ApiDeps deps);

}  // namespace dancu::api
