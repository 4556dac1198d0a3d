#include "web/web.h"

namespace dancu::web {

void AddWebRoutes(http::Router& router, const WebDeps& deps) {
  AddAccountPages(router, deps);
  AddOfficerApi(router, deps);
  AddAgencyTokenEndpoint(router, deps);
  AddAdminOfficers(router, deps);
  AddOidcEndpoints(router, deps);
  AddConsentPage(router, deps);
  AddAdminClients(router, deps);
  AddAccessLogPages(router, deps);
  AddEkycConsentPages(router, deps);
  AddDocumentsPages(router, deps);
}

}  // namespace dancu::web
