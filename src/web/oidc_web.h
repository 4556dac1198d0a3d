// Internal to the OpenID Connect web files (oidc_endpoints.cc,
// consent_page.cc): reading OAuth parameters from a request, the browser's
// session as an identity::Authentication, and the shared continuation of an
// authorization request (sign-in redirect, consent page, or the redirect back
// to the client). Not used outside src/web.
//
// Thread safety: pure functions over thread-safe services.
#pragma once

#include <optional>
#include <variant>

#include "http/request_context.h"
#include "http/response.h"
#include "identity/oidc_provider.h"
#include "web/i18n.h"
#include "web/web.h"

namespace dancu::web::oidc {

// The query's parameters (GET) or the urlencoded body's (POST). On a
// malformed query or body, the error page to answer instead (400).
std::variant<identity::Params, http::Response> RequestParams(const http::RequestContext& ctx,
                                                             Lang lang);
// The browser's live session (dancu_session cookie), if any.
std::optional<identity::Authentication> SessionAuth(const WebDeps& deps,
                                                    const http::RequestContext& ctx);
// The page language: the request's ui_locales when it named vi or en, else
// PickLang.
Lang RequestLang(const http::RequestContext& ctx, const identity::AuthorizationRequest* request);
// An authorization error: a 400 page (no redirect) or the 302 back to the
// client.
http::Response AuthorizationErrorResponse(const WebDeps& deps, const http::RequestContext& ctx,
                                          Lang lang, const identity::AuthorizationError& e);
// Runs OidcProvider::Authorize and answers its step.
http::Response Continue(const WebDeps& deps, const http::RequestContext& ctx, Lang lang,
                        const identity::AuthorizationRequest& request,
                        const identity::Params& params, bool consented_now);
// The consent page (consent_page.cc).
http::Response ConsentPage(const WebDeps& deps, const http::RequestContext& ctx, Lang lang,
                           const identity::AuthorizationRequest& request,
                           const identity::Params& params, const identity::Authentication& auth);
// The parameters as a query string without '?'.
std::string EncodeParams(const identity::Params& params);

}  // namespace dancu::web::oidc
