// POST /v1/agency/token: OAuth 2.0 client credentials for agency API clients
// (RFC 6749 §4.4) with private_key_jwt client authentication (RFC 7523),
// hub/members.h. Form fields: grant_type=client_credentials,
// client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer,
// client_assertion=<ES256 JWT>, optional scope (space-separated operations;
// default: every operation of the policy). The assertion's aud is this URL
// or the issuer. Answers 200 {"access_token","token_type":"Bearer",
// "expires_in":300,"scope"} or an RFC 6749 §5.2 error JSON (400
// invalid_request / unsupported_grant_type / invalid_scope, 401
// invalid_client), never cached. With `serve --mtls-header NAME`, the TLS
// terminator's client-certificate thumbprint header is passed on for
// clients bound to a certificate.
#include <boost/json/object.hpp>

#include "hub/members.h"
#include "identity/oidc_provider.h"
#include "web/form.h"
#include "web/web.h"

namespace dancu::web {
namespace {

http::Response TokenJson(unsigned status, const boost::json::object& body) {
  http::Response r = http::JsonResponse(status, body);
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("Pragma", "no-cache");
  return r;
}

http::Response TokenError(const hub::OAuthError& e) {
  return TokenJson(e.status, {{"error", e.error}, {"error_description", e.description}});
}

}  // namespace

void AddAgencyTokenEndpoint(http::Router& router, const WebDeps& deps) {
  if (deps.members == nullptr || deps.oidc == nullptr) return;
  router.Add(
      boost::beast::http::verb::post, "/v1/agency/token",
      [deps](http::RequestContext& ctx) {
        auto form = ParseFormRequest(ctx);
        if (!form) {
          return TokenError({400, "invalid_request",
                             "the body must be application/x-www-form-urlencoded"});
        }
        hub::TokenRequest r;
        for (auto [name, field] : {std::pair{"grant_type", &r.grant_type},
                                   std::pair{"client_assertion_type", &r.client_assertion_type},
                                   std::pair{"client_assertion", &r.client_assertion},
                                   std::pair{"scope", &r.scope}}) {
          if (form->Count(name) > 1) {
            return TokenError({400, "invalid_request", std::string(name) + " is repeated"});
          }
          *field = std::string(form->GetOr(name));
        }
        r.issuer = deps.oidc->issuer();
        r.endpoint = r.issuer + "/v1/agency/token";
        if (!deps.mtls_header.empty()) {
          r.tls_thumbprint = std::string(ctx.header(deps.mtls_header).value_or(""));
        }
        auto token = deps.members->IssueToken(r);
        if (!token) return TokenError(token.error());
        return TokenJson(200, {{"access_token", token->access_token},
                               {"token_type", "Bearer"},
                               {"expires_in", token->expires_in},
                               {"scope", token->scope}});
      },
      http::Access::kPublic);
}

}  // namespace dancu::web
