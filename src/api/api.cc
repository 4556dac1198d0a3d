#include "api/api.h"

namespace dancu::api {

void AddRoutes(http::Router& router, ApiDeps deps) {
  AddHealthRoutes(router, deps);
  AddCitizenRoutes(router, deps);
  AddHouseholdRoutes(router, deps);
  AddEventRoutes(router, deps);
  AddFeedRoutes(router, deps);
}

}  // namespace dancu::api
