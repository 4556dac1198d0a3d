// The bearer tokens of officers ("dancu_ot_...", identity/officers.h) as an
// http::Authenticator, for serve's ChainAuthenticator: Principal{kOfficer,
// username}. A bearer token without the prefix is not this authenticator's
// (nullopt), so the chain asks its next member.
//
// Caution for the composition root: the router's Access::kAuthenticated
// admits any principal except an agency, so chaining this authenticator
// lets officers call the staff routes too. The officer routes
// (officer_api.cc) do not need it: they check the token themselves.
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
