// OidcProvider: the front door of the OpenID Connect provider (issue 4):
// authorization requests, codes, the token endpoint (authorization_code and
// refresh_token grants, three client authentication methods), access and ID
// tokens, userinfo, revocation (RFC 7009), introspection (RFC 7662),
// RP-initiated logout checks, discovery and the JWKS. The HTTP layer
// (web/oidc_endpoints.cc, web/consent_page.cc) only parses requests into
// Params and renders what this returns; every protocol rule is here.
//
// Tokens (docs/identity.md):
//  - authorization code: 256 random bits, single use, 60 s, bound to the
//    client, redirect_uri, PKCE S256 challenge, nonce, scopes and the
//    authentication (authorization_codes.h). A reused code is
//    invalid_grant and revokes the access token and the refresh tokens
//    issued from it.
//  - access token: an RFC 9068 JWT (header typ "at+jwt"), ES256, 10 minutes:
//    iss, sub (pairwise), aud (the issuer), client_id, scope, iat, exp, jti,
//    auth_time, acr, amr, and "acct": the account id sealed with the
//    SecretBox (the account id is the citizen's number, which the client
//    must not learn). Revocation is by jti (token_store.h).
//  - ID token: ES256 JWT (typ "JWT"), 10 minutes: iss, sub, aud (client_id),
//    azp, exp, iat, auth_time, nonce (when given), acr, amr, at_hash.
//  - refresh token: only when the granted scopes include offline_access
//    (OIDC Core §11); opaque, rotated on every use, 30-day family
//    (token_store.h).
//  - acr: urn:dancu:acr:level1 / urn:dancu:acr:level2 (the level of this
//    authentication, not of the account); amr: "pwd", "otp", "sms".
//
// Authorization requests (ParseAuthorizationRequest): client_id and
// redirect_uri are checked first, and a missing, repeated, unknown or
// unregistered one is an error PAGE (never a redirect: open-redirect
// defence). After that every error is a redirect to the client with error,
// error_description, state and iss (RFC 9207): response_type other than
// code (unsupported_response_type), a repeated or oversized parameter,
// PKCE missing or not S256, bad prompt / max_age (invalid_request), scope
// without openid or with a known scope the client was not registered for
// (invalid_scope), request / request_uri (request_not_supported /
// request_uri_not_supported). Unknown scopes and parameters are ignored
// (OIDC Core §3.1.2.1).
//
// Authorize() decides the next step for the browser: sign in (no session,
// prompt=login, max_age exceeded), step up (level 2 asked — by acr_values
// or the client's minimum level — of a level-1 session of a level-2
// account), consent (not remembered, or prompt=consent), or a redirect
// (code, or an error: login_required / interaction_required /
// consent_required for prompt=none, unmet_authentication_requirements for
// a level-1 account asked for level 2). Re-authentication is satisfied by an
// authentication at or after `login_after`, the provider's own parameter
// that the sign-in return URL carries (so prompt=login does not loop).
//
// Errors: OAuthError carries the OAuth/OIDC error code and the HTTP status
// (400 invalid_request/invalid_grant/..., 401 invalid_client and
// invalid_token). Storage failures become server_error (500) and are
// logged.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "core/clock.h"
#include "core/error.h"
#include "crypto/secret_box.h"
#include "identity/account.h"
#include "identity/authorization_codes.h"
#include "identity/clients.h"
#include "identity/consents.h"
#include "identity/signing_keys.h"
#include "identity/token_store.h"
#include "registry/registry.h"
#include "storage/database.h"

namespace dancu::identity {

inline constexpr std::chrono::seconds kAccessTokenLifetime{600};
inline constexpr std::chrono::seconds kIdTokenLifetime{600};
inline constexpr std::string_view kAcrLevel1 = "urn:dancu:acr:level1";
inline constexpr std::string_view kAcrLevel2 = "urn:dancu:acr:level2";
std::string_view AcrOfLevel(int level);

// Decoded request parameters (query or form), in order, repeats kept.
using Params = std::vector<std::pair<std::string, std::string>>;

struct OAuthError {
  unsigned status = 400;
  std::string error;        // "invalid_request", "invalid_grant", ...
  std::string description;  // for the developer of the relying party
  bool basic_challenge = false;  // 401 after HTTP Basic: WWW-Authenticate: Basic
  boost::json::object Body() const;  // {"error","error_description"}
};

struct AuthorizationRequest {
  std::shared_ptr<const Client> client;
  std::string redirect_uri;
  std::string state;  // echoed; may be empty
  std::string nonce;  // may be empty (code flow)
  std::string code_challenge;
  std::string login_hint;
  std::string ui_locales;  // "vi", "en" or "" (the first supported tag asked)
  std::vector<std::string> scopes;  // known, allowed, openid first
  bool prompt_none = false, prompt_login = false, prompt_consent = false;
  std::optional<int64_t> max_age;
  std::optional<int64_t> login_after;  // Unix seconds
  int required_level = 1;
};

struct AuthorizationError {
  bool redirect = false;  // false: show an error page (400), never redirect
  std::string error;
  std::string description;
  std::string redirect_uri, state;  // when redirect
};

struct AuthorizeStep {
  enum class Kind { kSignIn, kStepUp, kConsent, kRedirect };
  Kind kind = Kind::kSignIn;
  std::string redirect;  // kRedirect: the full URL (with code, or an error)
};

// What a verified access token says.
struct AccessTokenInfo {
  std::string jti, client_id, sub;
  int64_t account_id = 0;
  std::vector<std::string> scopes;
  int64_t iat = 0, exp = 0, auth_time = 0;
  int level = 1;
};

// The account behind an authentication (accounts.h Accounts::Get in serve;
// a fake in tests).
using AccountLookup = std::function<Result<Account>(int64_t account_id)>;

class OidcProvider {
 public:
  // `oidc_db` is DIR/oidc.db (oidc_db.h). Every reference must outlive the
  // provider. `issuer` is the public base URL without a trailing slash
  // ("https://id.example.vn"); endpoints hang below it.
  static Result<std::unique_ptr<OidcProvider>> Open(storage::Database& oidc_db,
                                                    const crypto::SecretBox& box,
                                                    const registry::Registry& registry,
                                                    AccountLookup accounts, const Clock& clock,
                                                    std::string issuer);
  ~OidcProvider();

  const std::string& issuer() const { return issuer_; }
  // Sets the issuer once the listening address is known (serve with port
  // 0). Call before serving: it is not synchronized with requests.
  void set_issuer(std::string issuer);
  Clients& clients() { return *clients_; }
  SigningKeys& keys() { return *keys_; }
  Consents& consents() { return *consents_; }
  TokenStore& tokens() { return *tokens_; }

  // Discovery document (/.well-known/openid-configuration) and JWKS text.
  boost::json::object Discovery() const;
  std::string Jwks() const;

  // Authorization endpoint.
  std::expected<AuthorizationRequest, AuthorizationError> ParseAuthorizationRequest(
      const Params& params) const;
  // `auth` is the browser's session, if any; `consented_now` is true when
  // the citizen has just approved the consent page for this request.
  Result<AuthorizeStep> Authorize(const AuthorizationRequest& request,
                                  const std::optional<Authentication>& auth,
                                  bool consented_now);
  // The redirect for an error (error, error_description, state, iss).
  std::string ErrorRedirect(const AuthorizationError& error) const;

  // Token endpoint. `authorization` is the Authorization header, if any;
  // `endpoint` the absolute URL that was called (a client assertion's aud may
  // name it).
  std::expected<boost::json::object, OAuthError> Token(
      const Params& form, std::optional<std::string_view> authorization);
  // RFC 7009. Success whether or not the token was known.
  std::expected<void, OAuthError> Revoke(const Params& form,
                                         std::optional<std::string_view> authorization);
  // RFC 7662. {"active":false} for anything not active or not the caller's.
  std::expected<boost::json::object, OAuthError> Introspect(
      const Params& form, std::optional<std::string_view> authorization);

  // Userinfo: claims for a Bearer access token. 401 invalid_token for an
  // invalid, expired, revoked or unknown-account token.
  std::expected<AccessTokenInfo, OAuthError> VerifyAccessToken(std::string_view token) const;
  std::expected<boost::json::object, OAuthError> UserInfo(std::string_view access_token) const;

  // RP-initiated logout: checks id_token_hint (signature and issuer; an
  // expired hint is accepted, per the spec) and post_logout_redirect_uri
  // (must be registered for the hint's client, or for client_id when no
  // hint). Returns the URL to send the browser to (with state), or "" when
  // none was asked. Error (an error page): end_session.bad_hint,
  // end_session.bad_redirect_uri.
  Result<std::string> EndSession(std::string_view id_token_hint, std::string_view client_id,
                                 std::string_view post_logout_redirect_uri,
                                 std::string_view state) const;

  // Revokes every refresh token of an account (Accounts::OnDisabled hook).
  // Its access tokens stop working at once too: userinfo and introspection
  // check the account.
  void RevokeAccount(int64_t account_id);

  // The pairwise sub of a citizen for a client.
  std::string Subject(std::string_view client_id, CitizenId citizen) const;

 private:
  OidcProvider(const crypto::SecretBox& box, const registry::Registry& registry,
               AccountLookup accounts, const Clock& clock, std::string issuer);
  std::expected<std::shared_ptr<const Client>, OAuthError> AuthenticateClient(
      const Params& form, std::optional<std::string_view> authorization,
      std::string_view endpoint);
  std::expected<boost::json::object, OAuthError> ExchangeCode(const Client& client,
                                                              const Params& form);
  std::expected<boost::json::object, OAuthError> Refresh(const Client& client,
                                                         const Params& form);
  struct Issued {
    boost::json::object response;
    std::string access_jti;
    int64_t access_exp = 0;
  };
  Issued IssueTokens(const Client& client, const RefreshGrant& grant, std::string_view nonce,
                     const std::string& refresh_token);
  int64_t NowSeconds() const;

  const crypto::SecretBox& box_;
  const registry::Registry& registry_;
  AccountLookup accounts_;
  const Clock& clock_;
  std::string issuer_;
  std::string pairwise_secret_;
  std::unique_ptr<Clients> clients_;
  std::unique_ptr<SigningKeys> keys_;
  std::unique_ptr<Consents> consents_;
  std::unique_ptr<TokenStore> tokens_;
  std::unique_ptr<AuthorizationCodes> codes_;
};

// `base` with `params` appended to its query ('?' or '&').
std::string AppendQuery(std::string_view base, const Params& params);

}  // namespace dancu::identity
