#include "api/api.h"

namespace dancu::api {

void AddRoutes(http::Router& router, ApiDeps deps) {
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
}

}  // namespace dancu::api
