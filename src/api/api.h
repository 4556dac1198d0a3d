// api: the HTTP handlers. Each handler parses and validates its request,
// calls one domain service, and maps the result or Error to a response; it
// never touches SQL or sockets. One file per resource group; this header is
// the front door that wires them all into a Router.
//
// Thread safety: handlers run concurrently on the server's io threads; the
// services they call are thread-safe.
#pragma once

#include "core/clock.h"
#include "core/metrics.h"
#include "http/router.h"
#include "registry/registry.h"

namespace dancu::api {

struct ApiDeps {
  registry::Registry& registry;
  Metrics& metrics;
  const Clock& clock;
};

void AddRoutes(http::Router& router, ApiDeps deps);

// Per resource group (called by AddRoutes).
void AddHealthRoutes(http::Router& router, ApiDeps deps);
void AddCitizenRoutes(http::Router& router, ApiDeps deps);
void AddHouseholdRoutes(http::Router& router, ApiDeps deps);
void AddEventRoutes(http::Router& router, ApiDeps deps);
void AddFeedRoutes(http::Router& router, ApiDeps deps);

}  // namespace dancu::api
