// The bearer tokens of officers ("dancu_ot_...", identity/officers.h) as an
// http::Authenticator, for serve's ChainAuthenticator: Principal{kOfficer,
// username}. A bearer token without the prefix is not this authenticator's
// (nullopt), so the chain asks its next member.
//
// serve chains it: the router admits officer principals only to the routes
// opened to officers (http::Access::kOfficer: the register's events and
// reads, api/officer_scope.h), never to the staff (kAuthenticated) or agency
// routes. The officer routes (officer_api.cc) check the token themselves.
//
// Thread safety: Authenticate is const and thread-safe (Officers is).
#pragma once

#include <memory>

#include "http/authenticator.h"

namespace dancu::identity {
class Officers;
}

namespace dancu::web {

std::unique_ptr<http::Authenticator> MakeOfficerAuthenticator(identity::Officers& officers);

}  // namespace dancu::web
