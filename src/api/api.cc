#include "api/api.h"

#include "api/agency_access.h"

namespace dancu::api {

void AddRoutes(http::Router& router, ApiDeps deps) {
  if (deps.members != nullptr) {
    AddAgencyRoutes(router, deps);
    AddAgencyFeedRoutes(router, deps);
    // Data minimization in one place: every response to an agency client.
    router.SetAgencyResponseFilter(MinimizingFilter(*deps.members));
  }
  AddHealthRoutes(router, deps);
  AddCitizenRoutes(router, deps);
  AddHouseholdRoutes(router, deps);
  AddEventRoutes(router, deps);
  AddFeedRoutes(router, deps);
  if (deps.verifier != nullptr && deps.verification_log != nullptr) AddVerifyRoutes(router, deps);
  if (deps.verifier != nullptr) AddMatchRoutes(router, deps);
  if (deps.reconcile_jobs != nullptr) AddReconcileRoutes(router, deps);
  if (deps.audit_log != nullptr) AddAuditRoutes(router, deps);
  if (deps.webhook_dispatcher != nullptr && deps.webhook_subscriptions != nullptr)
    AddWebhookRoutes(router, deps);
  if (deps.ekyc_consents != nullptr) AddEkycRoutes(router, deps);
  if (deps.linked_documents != nullptr && deps.verifier != nullptr) AddSectoralRoutes(router, deps);
}

}  // namespace dancu::api
