// web: the front door of the citizen-facing web front. AddWebRoutes adds the
// HTML pages (sign-in, registration, account, consent, access log), the
// officer and admin JSON APIs of the identity service, and the OpenID Connect
// endpoints.
//
// Pages are Access::kPublic routes that check the session cookie themselves
// (a signed-out visitor is redirected to /signin, not answered 401); every
// POST form is checked with Csrf::Valid first. Pages never show internal
// error text: storage failures render a generic 500 page and are logged.
//
// Thread safety: handlers run concurrently on the server's io threads; every
// service in WebDeps is thread-safe.
#pragma once

#include <string>

#include "core/clock.h"
#include "http/router.h"
#include "registry/registry.h"
#include "web/csrf.h"

namespace dancu::identity {
class Accounts;
class Sessions;
class Officers;
class OidcProvider;
}  // namespace dancu::identity

namespace dancu::hub {
class AuditLog;
class Members;
class EkycConsents;
class LinkedDocuments;
}  // namespace dancu::hub

namespace dancu::web {

struct WebDeps {
  registry::Registry& registry;
  const Clock& clock;
  const Csrf& csrf;
  // Citizens' accounts, sessions and officers.
  identity::Accounts* accounts = nullptr;
  identity::Sessions* sessions = nullptr;
  identity::Officers* officers = nullptr;
  // OpenID Connect: the provider (identity/oidc_provider.h),
  // also its consents (the account page lists and revokes them).
  identity::OidcProvider* oidc = nullptr;
  // The tamper-evident access log (hub/audit_log.h): the citizen's own
  // entries with proofs (GET /v1/me/access-log, /account/access-log); those
  // routes are added only when set.
  hub::AuditLog* audit_log = nullptr;
  // The data-sharing hub (issue 5): agencies (names shown to citizens), the
  // citizen's eKYC consents (/account/ekyc-consents) and the documents that
  // agencies linked through sectoral data sync (shown on /account).
  hub::Members* members = nullptr;
  hub::EkycConsents* ekyc_consents = nullptr;
  hub::LinkedDocuments* linked_documents = nullptr;
  // The request header in which a TLS-terminating proxy reports the client
  // certificate's SHA-256 (hex), for agency clients bound to a certificate
  // (serve --mtls-header); empty: no mutual TLS.
  std::string mtls_header;
};

void AddWebRoutes(http::Router& router, const WebDeps& deps);

// Per group, each defined in its own file (called by AddWebRoutes).
void AddAccountPages(http::Router& router, const WebDeps& deps);    // account_pages.cc
void AddOfficerApi(http::Router& router, const WebDeps& deps);      // officer_api.cc
void AddAgencyTokenEndpoint(http::Router& router, const WebDeps& deps);  // agency_token.cc
void AddAdminOfficers(http::Router& router, const WebDeps& deps);   // admin_officers.cc
void AddOidcEndpoints(http::Router& router, const WebDeps& deps);   // oidc_endpoints.cc
void AddConsentPage(http::Router& router, const WebDeps& deps);     // consent_page.cc
void AddAdminClients(http::Router& router, const WebDeps& deps);    // admin_clients.cc
void AddAccessLogPages(http::Router& router, const WebDeps& deps);  // access_log_page.cc
void AddEkycConsentPages(http::Router& router, const WebDeps& deps);  // ekyc_consents_page.cc
void AddDocumentsPages(http::Router& router, const WebDeps& deps);    // documents_page.cc

}  // namespace dancu::web
