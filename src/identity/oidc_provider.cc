#include "identity/oidc_provider.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <charconv>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/client_assertion.h"
#include "crypto/jwt.h"
#include "crypto/random_token.h"
#include "identity/claims.h"

namespace dancu::identity {
namespace {

constexpr std::string_view kAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
constexpr std::string_view kAccountSealAd = "oidc-access-token-account";
constexpr std::string_view kPairwiseSealAd = "oidc-pairwise-secret";
constexpr std::chrono::seconds kLeeway{60};
constexpr int64_t kMaxAssertionLifetime = 600;  // seconds ahead an assertion may expire
constexpr size_t kMaxParams = 50;
constexpr size_t kMaxValue = 4096;

// Size limits of the parameters the provider reads.
struct Limit {
  std::string_view name;
  size_t max;
};
constexpr Limit kLimits[] = {
    {"client_id", 128},   {"redirect_uri", 2000}, {"response_type", 64}, {"scope", 1000},
    {"state", 1024},      {"nonce", 1024},        {"code_challenge", 128},
    {"code_challenge_method", 16}, {"prompt", 100}, {"max_age", 10},   {"acr_values", 500},
    {"login_hint", 256},  {"ui_locales", 100},    {"login_after", 12}, {"response_mode", 32},
    {"code", 128},        {"code_verifier", 128}, {"grant_type", 64},  {"refresh_token", 128},
    {"client_secret", 256}, {"client_assertion", 8192}, {"client_assertion_type", 128},
    {"token", 8192},      {"token_type_hint", 32},
};

size_t LimitOf(std::string_view name) {
  for (const auto& l : kLimits) {
    if (l.name == name) return l.max;
  }
  return kMaxValue;
}

// One parameter: absent, present once, or a protocol error (repeated or
// oversized).
struct ParamError {
  std::string description;
};
std::expected<std::optional<std::string>, ParamError> Single(const Params& params,
                                                             std::string_view name) {
  std::optional<std::string> out;
  for (const auto& [k, v] : params) {
    if (k != name) continue;
    if (out) return std::unexpected(ParamError{"parameter " + std::string(name) + " is repeated"});
    if (v.size() > LimitOf(name)) {
      return std::unexpected(ParamError{"parameter " + std::string(name) + " is too long"});
    }
    out = v;
  }
  // An empty value counts as absent (RFC 6749 §3.1).
  if (out && out->empty()) out.reset();
  return out;
}

// Reads parameters one name at a time and remembers the first protocol
// error (a repeated or oversized parameter), so a caller reads everything it
// needs and then checks once.
class ParamReader {
 public:
  explicit ParamReader(const Params& params) : params_(params) {}
  std::optional<std::string> operator()(std::string_view name) {
    auto v = Single(params_, name);
    if (!v) {
      if (!error_) error_ = std::move(v.error().description);
      return std::nullopt;
    }
    return std::move(*v);
  }
  const std::optional<std::string>& error() const { return error_; }

 private:
  const Params& params_;
  std::optional<std::string> error_;
};

bool IsUnreservedText(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
           c == '~';
  });
}

bool IsBase64Url(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

std::optional<int64_t> ParseDigits(std::string_view s) {
  if (s.empty() || s.size() > 12) return std::nullopt;
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

bool Has(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

OAuthError Err(unsigned status, std::string error, std::string description) {
  return OAuthError{status, std::move(error), std::move(description), false};
}
OAuthError ServerError(const Error& e) {
  spdlog::error("oidc: {} ({})", e.message, e.code);
  return Err(500, "server_error", "the provider could not complete the request");
}

std::optional<std::string> UrlDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int v = 0;
      auto [p, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
      if (ec != std::errc() || p != s.data() + i + 3) return std::nullopt;
      out += static_cast<char>(v);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string S256(std::string_view verifier) {
  return crypto::Base64UrlEncode(crypto::AsBytes(crypto::Sha256(verifier)));
}

boost::json::array ToJsonArray(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

std::vector<std::string> StringsOf(const boost::json::value* v) {
  std::vector<std::string> out;
  if (v == nullptr || !v->is_array()) return out;
  for (const auto& e : v->as_array()) {
    if (e.is_string()) out.emplace_back(e.as_string());
  }
  return out;
}

int64_t IntOf(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return 0;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->as_uint64());
  if (v->is_double()) return static_cast<int64_t>(v->as_double());
  return 0;
}

std::string_view StringOf(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->as_string()) : std::string_view{};
}

}  // namespace

std::string_view AcrOfLevel(int level) { return level >= 2 ? kAcrLevel2 : kAcrLevel1; }

boost::json::object OAuthError::Body() const {
  boost::json::object o;
  o["error"] = error;
  if (!description.empty()) o["error_description"] = description;
  return o;
}

std::string AppendQuery(std::string_view base, const Params& params) {
  std::string url(base);
  char sep = url.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [k, v] : params) {
    url += sep;
    url += crypto::PercentEncode(k);
    url += '=';
    url += crypto::PercentEncode(v);
    sep = '&';
  }
  return url;
}

OidcProvider::OidcProvider(const crypto::SecretBox& box, const registry::Registry& registry,
                           AccountLookup accounts, const Clock& clock, std::string issuer)
    : box_(box),
      registry_(registry),
      accounts_(std::move(accounts)),
      clock_(clock),
      issuer_(std::move(issuer)) {}
OidcProvider::~OidcProvider() = default;

int64_t OidcProvider::NowSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
}

Result<std::unique_ptr<OidcProvider>> OidcProvider::Open(storage::Database& db,
                                                         const crypto::SecretBox& box,
                                                         const registry::Registry& registry,
                                                         AccountLookup accounts,
                                                         const Clock& clock, std::string issuer) {
  while (!issuer.empty() && issuer.back() == '/') issuer.pop_back();
  std::unique_ptr<OidcProvider> p(
      new OidcProvider(box, registry, std::move(accounts), clock, std::move(issuer)));
  // The pairwise secret: made once per deployment, kept sealed.
  {
    auto conn = db.Connect();
    if (!conn) return std::unexpected(conn.error());
    auto& ins = (*conn)->Cached(
        "INSERT INTO oidc_settings (name, value) VALUES ('pairwise_secret', ?) "
        "ON CONFLICT (name) DO NOTHING");
    std::string sealed = crypto::Base64UrlEncode(box.Seal(crypto::RandomBytes(32), kPairwiseSealAd));
    ins.BindText(1, sealed);
    if (auto s = ins.Run(); !s) return std::unexpected(s.error());
    auto& sel = (*conn)->Cached("SELECT value FROM oidc_settings WHERE name = 'pairwise_secret'");
    std::string stored;
    if (auto s = sel.ForEachRow([&] { stored = std::string(sel.Text(0)); }); !s) {
      return std::unexpected(s.error());
    }
    auto raw = crypto::Base64UrlDecode(stored);
    if (!raw) return Fail("crypto.open_failed", "the pairwise secret in oidc.db is unreadable");
    auto secret = box.Open(*raw, kPairwiseSealAd);
    if (!secret) {
      return Fail("crypto.open_failed",
                  "the pairwise secret in oidc.db does not open with DIR/identity.key");
    }
    p->pairwise_secret_ = std::move(*secret);
  }
  auto clients = Clients::Open(db, clock);
  if (!clients) return std::unexpected(clients.error());
  p->clients_ = std::move(*clients);
  auto keys = SigningKeys::Open(db, box, clock, std::max(kAccessTokenLifetime, kIdTokenLifetime));
  if (!keys) return std::unexpected(keys.error());
  p->keys_ = std::move(*keys);
  auto consents = Consents::Open(db, clock);
  if (!consents) return std::unexpected(consents.error());
  p->consents_ = std::move(*consents);
  auto tokens = TokenStore::Open(db, clock);
  if (!tokens) return std::unexpected(tokens.error());
  p->tokens_ = std::move(*tokens);
  p->codes_ = std::make_unique<AuthorizationCodes>(clock);
  return p;
}

void OidcProvider::set_issuer(std::string issuer) {
  while (!issuer.empty() && issuer.back() == '/') issuer.pop_back();
  issuer_ = std::move(issuer);
}

std::string OidcProvider::Subject(std::string_view client_id, CitizenId citizen) const {
  return PairwiseSubject(pairwise_secret_, client_id, citizen);
}

boost::json::object OidcProvider::Discovery() const {
  const std::string& i = issuer_;
  boost::json::object o;
  o["issuer"] = i;
  o["authorization_endpoint"] = i + "/oidc/authorize";
  o["token_endpoint"] = i + "/oidc/token";
  o["userinfo_endpoint"] = i + "/oidc/userinfo";
  o["jwks_uri"] = i + "/oidc/jwks";
  o["revocation_endpoint"] = i + "/oidc/revoke";
  o["introspection_endpoint"] = i + "/oidc/introspect";
  o["end_session_endpoint"] = i + "/oidc/end_session";
  o["scopes_supported"] = boost::json::array(std::begin(kKnownScopes), std::end(kKnownScopes));
  o["response_types_supported"] = boost::json::array{"code"};
  o["response_modes_supported"] = boost::json::array{"query"};
  o["grant_types_supported"] = boost::json::array{"authorization_code", "refresh_token"};
  o["subject_types_supported"] = boost::json::array{"pairwise"};
  o["id_token_signing_alg_values_supported"] = boost::json::array{"ES256"};
  o["userinfo_signing_alg_values_supported"] = boost::json::array{"none"};
  boost::json::array methods{"client_secret_basic", "client_secret_post", "private_key_jwt"};
  o["token_endpoint_auth_methods_supported"] = methods;
  o["token_endpoint_auth_signing_alg_values_supported"] = boost::json::array{"ES256"};
  o["revocation_endpoint_auth_methods_supported"] = methods;
  o["introspection_endpoint_auth_methods_supported"] = methods;
  o["code_challenge_methods_supported"] = boost::json::array{"S256"};
  o["acr_values_supported"] = boost::json::array{kAcrLevel1, kAcrLevel2};
  o["claims_supported"] = boost::json::array{
      "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp", "at_hash",
      "citizen_id", "name", "family_name", "given_name", "middle_name", "gender", "birthdate",
      "address", "phone_number", "phone_number_verified"};
  o["claims_parameter_supported"] = false;
  o["request_parameter_supported"] = false;
  o["request_uri_parameter_supported"] = false;
  o["authorization_response_iss_parameter_supported"] = true;
  o["ui_locales_supported"] = boost::json::array{"vi", "en"};
  o["prompt_values_supported"] = boost::json::array{"none", "login", "consent", "select_account"};
  return o;
}

std::string OidcProvider::Jwks() const { return keys_->ring()->jwks_json; }

std::expected<AuthorizationRequest, AuthorizationError> OidcProvider::ParseAuthorizationRequest(
    const Params& params) const {
  auto page = [](std::string error, std::string description) {
    return std::unexpected(AuthorizationError{false, std::move(error), std::move(description), {}, {}});
  };
  if (params.size() > kMaxParams) return page("invalid_request", "too many parameters");
  auto client_id = Single(params, "client_id");
  if (!client_id) return page("invalid_request", client_id.error().description);
  if (!*client_id) return page("invalid_request", "client_id is missing");
  auto client = clients_->Find(**client_id);
  if (!client) return page("invalid_client", "unknown client_id");
  auto redirect_uri = Single(params, "redirect_uri");
  if (!redirect_uri) return page("invalid_request", redirect_uri.error().description);
  if (!*redirect_uri) return page("invalid_request", "redirect_uri is missing");
  if (!client->HasRedirectUri(**redirect_uri)) {
    return page("invalid_request", "redirect_uri is not registered for this client");
  }

  AuthorizationRequest r;
  r.client = client;
  r.redirect_uri = **redirect_uri;
  // From here on errors go back to the client. state first, so it is echoed.
  auto state = Single(params, "state");
  if (state && *state) r.state = **state;
  auto fail = [&](std::string error, std::string description) {
    return std::unexpected(
        AuthorizationError{true, std::move(error), std::move(description), r.redirect_uri, r.state});
  };
  if (!state) return fail("invalid_request", state.error().description);
  for (const auto& [k, v] : params) {
    if (v.size() > LimitOf(k)) return fail("invalid_request", "parameter " + k + " is too long");
  }
  ParamReader get(params);
  auto request = get("request");
  auto request_uri = get("request_uri");
  auto response_type = get("response_type");
  auto response_mode = get("response_mode");
  auto scope = get("scope");
  auto challenge = get("code_challenge");
  auto method = get("code_challenge_method");
  auto nonce = get("nonce");
  auto prompt = get("prompt");
  auto max_age = get("max_age");
  auto login_after = get("login_after");
  auto acr_values = get("acr_values");
  auto login_hint = get("login_hint");
  auto ui_locales = get("ui_locales");
  if (get.error()) return fail("invalid_request", *get.error());
  if (request) return fail("request_not_supported", "the request parameter is not supported");
  if (request_uri) {
    return fail("request_uri_not_supported", "the request_uri parameter is not supported");
  }
  if (!response_type) return fail("invalid_request", "response_type is missing");
  if (*response_type != "code") {
    return fail("unsupported_response_type", "only response_type=code is supported");
  }
  if (response_mode && *response_mode != "query") {
    return fail("invalid_request", "only response_mode=query is supported");
  }
  if (!scope) return fail("invalid_scope", "scope is missing (it must include openid)");
  std::vector<std::string> asked = SplitSpaces(*scope);
  if (!Has(asked, "openid")) return fail("invalid_scope", "scope must include openid");
  r.scopes.push_back("openid");
  for (const auto& s : asked) {
    if (!IsKnownScope(s) || Has(r.scopes, s)) continue;  // unknown scopes are ignored
    if (!client->AllowsScope(s)) {
      return fail("invalid_scope", "this client is not registered for the scope " + s);
    }
    r.scopes.push_back(s);
  }
  if (!challenge) return fail("invalid_request", "PKCE is required: code_challenge is missing");
  if (!method || *method != "S256") {
    return fail("invalid_request", "PKCE code_challenge_method must be S256 (plain is not accepted)");
  }
  if (challenge->size() != 43 || !IsBase64Url(*challenge)) {
    return fail("invalid_request", "code_challenge must be 43 base64url characters (S256)");
  }
  r.code_challenge = *challenge;
  if (nonce) r.nonce = *nonce;
  if (prompt) {
    auto values = SplitSpaces(*prompt);
    for (const auto& v : values) {
      if (v == "none") {
        r.prompt_none = true;
      } else if (v == "login" || v == "select_account") {
        r.prompt_login = true;
      } else if (v == "consent") {
        r.prompt_consent = true;
      } else {
        return fail("invalid_request", "unknown prompt value " + v);
      }
    }
    if (r.prompt_none && values.size() > 1) {
      return fail("invalid_request", "prompt=none cannot be combined with other values");
    }
  }
  if (max_age) {
    r.max_age = ParseDigits(*max_age);
    if (!r.max_age) return fail("invalid_request", "max_age must be a non-negative integer");
  }
  if (login_after) {
    r.login_after = ParseDigits(*login_after);
    if (!r.login_after) return fail("invalid_request", "login_after must be an integer");
  }
  int acr_level = acr_values && Has(SplitSpaces(*acr_values), kAcrLevel2) ? 2 : 1;
  r.required_level = std::max(acr_level, client->min_level);
  if (login_hint) {
    if (HasControl(*login_hint)) return fail("invalid_request", "login_hint has control characters");
    r.login_hint = *login_hint;
  }
  if (ui_locales) {
    for (const auto& tag : SplitSpaces(*ui_locales)) {
      std::string_view base = std::string_view(tag).substr(0, tag.find('-'));
      if (base == "vi" || base == "en") {
        r.ui_locales = std::string(base);
        break;
      }
    }
  }
  return r;
}

std::string OidcProvider::ErrorRedirect(const AuthorizationError& e) const {
  Params p{{"error", e.error}};
  if (!e.description.empty()) p.emplace_back("error_description", e.description);
  if (!e.state.empty()) p.emplace_back("state", e.state);
  p.emplace_back("iss", issuer_);
  return AppendQuery(e.redirect_uri, p);
}

Result<AuthorizeStep> OidcProvider::Authorize(const AuthorizationRequest& r,
                                              const std::optional<Authentication>& auth,
                                              bool consented_now) {
  auto redirect_error = [&](std::string error, std::string description) {
    return AuthorizeStep{AuthorizeStep::Kind::kRedirect,
                         ErrorRedirect({true, std::move(error), std::move(description),
                                        r.redirect_uri, r.state})};
  };
  auto interact = [&](AuthorizeStep::Kind kind, std::string error, std::string description) {
    if (r.prompt_none) return redirect_error(std::move(error), std::move(description));
    return AuthorizeStep{kind, {}};
  };
  if (!auth) {
    return interact(AuthorizeStep::Kind::kSignIn, "login_required", "the user is not signed in");
  }
  int64_t now = NowSeconds();
  int64_t auth_time =
      std::chrono::duration_cast<std::chrono::seconds>(auth->auth_time.time_since_epoch()).count();
  bool fresh = r.login_after && auth_time >= *r.login_after;
  if (r.prompt_login && !fresh) {
    if (r.prompt_none) return redirect_error("login_required", "re-authentication required");
    return AuthorizeStep{AuthorizeStep::Kind::kSignIn, {}};
  }
  // ">=": max_age=0 must always re-authenticate (OIDC Core §3.1.2.1: it is
  // prompt=login), also for a sign-in earlier in the same second.
  if (r.max_age && now - auth_time >= *r.max_age && !fresh) {
    return interact(AuthorizeStep::Kind::kSignIn, "login_required",
                    "the authentication is older than max_age");
  }
  auto account = accounts_(auth->account_id);
  if (!account) {
    if (account.error().code.starts_with("storage.")) return std::unexpected(account.error());
    return interact(AuthorizeStep::Kind::kSignIn, "login_required", "the account is unknown");
  }
  if (account->disabled || account->locked) {
    return redirect_error("access_denied", "the account is locked or disabled");
  }
  if (r.required_level >= 2 && account->level == Level::kOne) {
    return redirect_error("unmet_authentication_requirements",
                          "this service requires level 2 (an account verified in person); "
                          "the account is level 1");
  }
  if (r.required_level >= 2 && auth->level < 2) {
    return interact(AuthorizeStep::Kind::kStepUp, "interaction_required",
                    "level 2 requires the second factor");
  }
  if (!consented_now) {
    bool covered = false;
    if (!r.prompt_consent) {
      auto c = consents_->Covers(auth->account_id, r.client->client_id, r.scopes);
      if (!c) return std::unexpected(c.error());
      covered = *c;
    }
    if (!covered) {
      return interact(AuthorizeStep::Kind::kConsent, "consent_required",
                      "the user has not consented to share this with the client");
    }
  } else {
    if (auto s = consents_->Grant(auth->account_id, r.client->client_id, r.scopes); !s) {
      return std::unexpected(s.error());
    }
  }
  CodeRecord rec;
  rec.client_id = r.client->client_id;
  rec.redirect_uri = r.redirect_uri;
  rec.code_challenge = r.code_challenge;
  rec.nonce = r.nonce;
  rec.scopes = r.scopes;
  rec.auth = *auth;
  std::string code = codes_->Issue(std::move(rec));
  Params p{{"code", code}};
  if (!r.state.empty()) p.emplace_back("state", r.state);
  p.emplace_back("iss", issuer_);
  return AuthorizeStep{AuthorizeStep::Kind::kRedirect, AppendQuery(r.redirect_uri, p)};
}

std::expected<std::shared_ptr<const Client>, OAuthError> OidcProvider::AuthenticateClient(
    const Params& form, std::optional<std::string_view> authorization, std::string_view endpoint) {
  auto bad = [](std::string d) { return std::unexpected(Err(400, "invalid_request", std::move(d))); };
  auto invalid_client = [](std::string d, bool basic = false) {
    OAuthError e = Err(401, "invalid_client", std::move(d));
    e.basic_challenge = basic;
    return std::unexpected(std::move(e));
  };
  auto form_id = Single(form, "client_id");
  auto form_secret = Single(form, "client_secret");
  auto assertion = Single(form, "client_assertion");
  auto assertion_type = Single(form, "client_assertion_type");
  for (const auto* p : {&form_id, &form_secret, &assertion, &assertion_type}) {
    if (!*p) return bad(p->error().description);
  }
  std::optional<std::string> basic_id, basic_secret;
  if (authorization) {
    std::string_view h = *authorization;
    if (h.size() > 6 && (h.substr(0, 6) == "Basic " || h.substr(0, 6) == "basic ")) {
      auto decoded = crypto::Base64Decode(h.substr(6));
      if (!decoded) return invalid_client("malformed HTTP Basic credentials", true);
      size_t colon = decoded->find(':');
      if (colon == std::string::npos) return invalid_client("malformed HTTP Basic credentials", true);
      basic_id = UrlDecode(std::string_view(*decoded).substr(0, colon));
      basic_secret = UrlDecode(std::string_view(*decoded).substr(colon + 1));
      if (!basic_id || !basic_secret) {
        return invalid_client("malformed HTTP Basic credentials", true);
      }
    }
  }
  int methods = (basic_id ? 1 : 0) + (*form_secret ? 1 : 0) + (*assertion ? 1 : 0);
  if (methods > 1) return bad("use exactly one client authentication method");
  if (methods == 0) return invalid_client("client authentication is required");

  if (basic_id) {
    if (*form_id && **form_id != *basic_id) return bad("client_id differs from the Basic credentials");
    auto client = clients_->Find(*basic_id);
    if (!client || client->auth_method != ClientAuthMethod::kSecretBasic ||
        !Clients::CheckSecret(*client, *basic_secret)) {
      return invalid_client("client authentication failed", true);
    }
    return client;
  }
  if (*form_secret) {
    if (!*form_id) return invalid_client("client_id is missing");
    auto client = clients_->Find(**form_id);
    if (!client || client->auth_method != ClientAuthMethod::kSecretPost ||
        !Clients::CheckSecret(*client, **form_secret)) {
      return invalid_client("client authentication failed");
    }
    return client;
  }
  // private_key_jwt (RFC 7523 §2.2, OIDC Core §9).
  if (!*assertion_type || **assertion_type != kAssertionType) {
    return bad("client_assertion_type must be " + std::string(kAssertionType));
  }
  std::shared_ptr<const Client> client;
  const std::string token_endpoint = issuer_ + "/oidc/token";
  auto verified = crypto::VerifyClientAssertion(
      **assertion,
      [&](std::string_view iss) -> const crypto::JwkSet* {
        client = clients_->Find(iss);
        if (!client || client->auth_method != ClientAuthMethod::kPrivateKeyJwt) return nullptr;
        return &client->keys;
      },
      {issuer_, token_endpoint, std::string(endpoint)}, clock_.Now(), kLeeway,
      std::chrono::seconds(kMaxAssertionLifetime));
  if (!verified) return invalid_client(verified.error().message);
  if (*form_id && **form_id != verified->client_id) {
    return invalid_client("client_id differs from the assertion's iss");
  }
  auto fresh = tokens_->UseAssertion(client->client_id, verified->jti, verified->exp);
  if (!fresh) return std::unexpected(ServerError(fresh.error()));
  if (!*fresh) return invalid_client("the client assertion was already used (jti replay)");
  return client;
}

std::expected<boost::json::object, OAuthError> OidcProvider::Token(
    const Params& form, std::optional<std::string_view> authorization) {
  if (form.size() > kMaxParams) return std::unexpected(Err(400, "invalid_request", "too many parameters"));
  auto client = AuthenticateClient(form, authorization, issuer_ + "/oidc/token");
  if (!client) return std::unexpected(client.error());
  auto grant_type = Single(form, "grant_type");
  if (!grant_type) return std::unexpected(Err(400, "invalid_request", grant_type.error().description));
  if (!*grant_type) return std::unexpected(Err(400, "invalid_request", "grant_type is missing"));
  if (**grant_type == "authorization_code") return ExchangeCode(**client, form);
  if (**grant_type == "refresh_token") return Refresh(**client, form);
  return std::unexpected(Err(400, "unsupported_grant_type",
                             "grant_type must be authorization_code or refresh_token"));
}

OidcProvider::Issued OidcProvider::IssueTokens(const Client& client, const RefreshGrant& g,
                                               std::string_view nonce,
                                               const std::string& refresh_token) {
  auto ring = keys_->ring();
  int64_t now = NowSeconds();
  std::string sub = Subject(client.client_id, g.citizen_id);
  std::string scope = JoinSpaces(g.scopes);
  boost::json::array amr = ToJsonArray(g.amr);
  std::string_view acr = AcrOfLevel(g.level);

  Issued out;
  out.access_jti = crypto::RandomToken(16);
  out.access_exp = now + kAccessTokenLifetime.count();
  boost::json::object at;
  at["iss"] = issuer_;
  at["sub"] = sub;
  at["aud"] = issuer_;
  at["client_id"] = client.client_id;
  at["scope"] = scope;
  at["iat"] = now;
  at["exp"] = out.access_exp;
  at["jti"] = out.access_jti;
  at["auth_time"] = g.auth_time;
  at["acr"] = acr;
  at["amr"] = amr;
  at["acct"] = crypto::Base64UrlEncode(box_.Seal(std::to_string(g.account_id), kAccountSealAd));
  std::string access_token = crypto::SignJwt(ring->current, ring->current_kid, at, "at+jwt");

  boost::json::object id;
  id["iss"] = issuer_;
  id["sub"] = std::move(sub);
  id["aud"] = client.client_id;
  id["azp"] = client.client_id;
  id["iat"] = now;
  id["exp"] = now + kIdTokenLifetime.count();
  id["auth_time"] = g.auth_time;
  if (!nonce.empty()) id["nonce"] = nonce;
  id["acr"] = acr;
  id["amr"] = std::move(amr);
  auto at_digest = crypto::Sha256(access_token);
  id["at_hash"] = crypto::Base64UrlEncode(crypto::AsBytes(at_digest).substr(0, 16));
  std::string id_token = crypto::SignJwt(ring->current, ring->current_kid, id, "JWT");

  out.response["access_token"] = std::move(access_token);
  out.response["token_type"] = "Bearer";
  out.response["expires_in"] = kAccessTokenLifetime.count();
  out.response["id_token"] = std::move(id_token);
  out.response["scope"] = std::move(scope);
  if (!refresh_token.empty()) out.response["refresh_token"] = refresh_token;
  return out;
}

std::expected<boost::json::object, OAuthError> OidcProvider::ExchangeCode(const Client& client,
                                                                          const Params& form) {
  auto code = Single(form, "code");
  auto redirect_uri = Single(form, "redirect_uri");
  auto verifier = Single(form, "code_verifier");
  for (const auto* p : {&code, &redirect_uri, &verifier}) {
    if (!*p) return std::unexpected(Err(400, "invalid_request", p->error().description));
  }
  if (!*code) return std::unexpected(Err(400, "invalid_request", "code is missing"));
  if (!*verifier) {
    return std::unexpected(Err(400, "invalid_request", "code_verifier is missing (PKCE)"));
  }
  if ((*verifier)->size() < 43 || !IsUnreservedText(**verifier)) {
    return std::unexpected(Err(400, "invalid_request",
                               "code_verifier must be 43-128 unreserved characters"));
  }
  auto redeemed = codes_->Redeem(**code);
  if (std::holds_alternative<std::monostate>(redeemed)) {
    return std::unexpected(Err(400, "invalid_grant", "the code is unknown or expired"));
  }
  if (auto* reuse = std::get_if<CodeReuse>(&redeemed)) {
    if (reuse->issued) {
      if (auto s = tokens_->RevokeAccessToken(reuse->issued->access_jti,
                                              reuse->issued->access_expires_at); !s) {
        spdlog::error("oidc: revoking after a code reuse failed: {}", s.error().message);
      }
      if (!reuse->issued->refresh_family.empty()) {
        if (auto s = tokens_->RevokeFamily(reuse->issued->refresh_family); !s) {
          spdlog::error("oidc: revoking after a code reuse failed: {}", s.error().message);
        }
      }
    }
    return std::unexpected(Err(400, "invalid_grant",
                               "the code was already used; the tokens issued from it are revoked"));
  }
  CodeRecord rec = std::get<CodeRecord>(std::move(redeemed));
  // A failed check still burns the code (RFC 6749 §10.5: one attempt).
  if (rec.client_id != client.client_id) {
    return std::unexpected(Err(400, "invalid_grant", "the code was issued to another client"));
  }
  if (!*redirect_uri || **redirect_uri != rec.redirect_uri) {
    return std::unexpected(Err(400, "invalid_grant", "redirect_uri differs from the authorization request"));
  }
  if (!crypto::ConstantTimeEqual(S256(**verifier), rec.code_challenge)) {
    return std::unexpected(Err(400, "invalid_grant", "the PKCE code_verifier does not match"));
  }
  RefreshGrant g;
  g.client_id = client.client_id;
  g.account_id = rec.auth.account_id;
  g.citizen_id = rec.auth.citizen_id;
  g.scopes = rec.scopes;
  g.level = rec.auth.level;
  g.amr = rec.auth.amr;
  g.auth_time =
      std::chrono::duration_cast<std::chrono::seconds>(rec.auth.auth_time.time_since_epoch()).count();
  std::string refresh;
  if (Has(g.scopes, "offline_access")) {
    auto t = tokens_->IssueRefresh(g);
    if (!t) return std::unexpected(ServerError(t.error()));
    refresh = std::move(*t);
  }
  Issued issued = IssueTokens(client, g, rec.nonce, refresh);
  IssuedFromCode from{issued.access_jti, issued.access_exp, refresh.empty() ? "" : g.family};
  if (!codes_->Attach(**code, from)) {
    (void)tokens_->RevokeAccessToken(from.access_jti, from.access_expires_at);
    if (!from.refresh_family.empty()) (void)tokens_->RevokeFamily(from.refresh_family);
    return std::unexpected(Err(400, "invalid_grant", "the code was used twice"));
  }
  return std::move(issued.response);
}

std::expected<boost::json::object, OAuthError> OidcProvider::Refresh(const Client& client,
                                                                     const Params& form) {
  auto token = Single(form, "refresh_token");
  auto scope = Single(form, "scope");
  if (!token) return std::unexpected(Err(400, "invalid_request", token.error().description));
  if (!scope) return std::unexpected(Err(400, "invalid_request", scope.error().description));
  if (!*token) return std::unexpected(Err(400, "invalid_request", "refresh_token is missing"));
  auto rotated = tokens_->RotateRefresh(**token, client.client_id);
  if (!rotated) {
    if (rotated.error().code.starts_with("token.")) {
      return std::unexpected(Err(400, "invalid_grant", rotated.error().message));
    }
    return std::unexpected(ServerError(rotated.error()));
  }
  auto& [grant, next] = *rotated;
  auto account = accounts_(grant.account_id);
  if (!account || account->disabled || account->locked) {
    (void)tokens_->RevokeFamily(grant.family);
    if (!account && account.error().code.starts_with("storage.")) {
      return std::unexpected(ServerError(account.error()));
    }
    return std::unexpected(Err(400, "invalid_grant", "the account is locked or disabled"));
  }
  RefreshGrant g = grant;
  if (*scope) {
    std::vector<std::string> narrowed;
    for (const auto& s : SplitSpaces(**scope)) {
      if (!Has(grant.scopes, s)) {
        return std::unexpected(Err(400, "invalid_scope", "scope " + s + " was not granted"));
      }
      if (!Has(narrowed, s)) narrowed.push_back(s);
    }
    g.scopes = std::move(narrowed);
  }
  return IssueTokens(client, g, {}, next).response;
}

std::expected<AccessTokenInfo, OAuthError> OidcProvider::VerifyAccessToken(
    std::string_view token) const {
  auto invalid = [](std::string d) { return std::unexpected(Err(401, "invalid_token", std::move(d))); };
  if (token.size() > 8192) return invalid("the access token is too long");
  auto ring = keys_->ring();
  auto jws = crypto::VerifyJws(token, [&](std::string_view kid) { return ring->Find(kid); });
  if (!jws) return invalid("the access token is invalid (" + jws.error().code + ")");
  if (StringOf(jws->header, "typ") != "at+jwt") return invalid("not an access token");
  const auto& c = jws->claims;
  if (auto t = crypto::CheckTimeClaims(c, clock_.Now(), std::chrono::seconds(0)); !t) {
    return invalid("the access token is " +
                   std::string(t.error().code == "token.expired" ? "expired" : "not yet valid"));
  }
  if (StringOf(c, "iss") != issuer_) return invalid("the access token has another issuer");
  AccessTokenInfo info;
  info.jti = std::string(StringOf(c, "jti"));
  if (info.jti.empty() || tokens_->IsAccessTokenRevoked(info.jti)) {
    return invalid("the access token is revoked");
  }
  auto sealed = crypto::Base64UrlDecode(StringOf(c, "acct"));
  auto acct = sealed ? box_.Open(*sealed, kAccountSealAd) : Result<std::string>(Fail("x", "x"));
  auto account_id = acct ? ParseDigits(*acct) : std::nullopt;
  if (!account_id) return invalid("the access token is invalid");
  info.account_id = *account_id;
  info.client_id = std::string(StringOf(c, "client_id"));
  info.sub = std::string(StringOf(c, "sub"));
  info.scopes = SplitSpaces(StringOf(c, "scope"));
  info.iat = IntOf(c, "iat");
  info.exp = IntOf(c, "exp");
  info.auth_time = IntOf(c, "auth_time");
  info.level = StringOf(c, "acr") == kAcrLevel2 ? 2 : 1;
  return info;
}

std::expected<boost::json::object, OAuthError> OidcProvider::UserInfo(
    std::string_view access_token) const {
  auto info = VerifyAccessToken(access_token);
  if (!info) return std::unexpected(info.error());
  if (!Has(info->scopes, "openid")) {
    return std::unexpected(Err(403, "insufficient_scope", "the token lacks the openid scope"));
  }
  auto account = accounts_(info->account_id);
  if (!account) {
    if (account.error().code.starts_with("storage.")) {
      return std::unexpected(ServerError(account.error()));
    }
    return std::unexpected(Err(401, "invalid_token", "the account no longer exists"));
  }
  if (account->disabled || account->locked) {
    return std::unexpected(Err(401, "invalid_token", "the account is locked or disabled"));
  }
  auto citizen = registry_.GetCitizen(account->citizen_id);
  if (!citizen) return std::unexpected(ServerError(citizen.error()));
  std::vector<std::string> scopes = info->scopes;
  auto client = clients_->Find(info->client_id);
  if (!client) return std::unexpected(Err(401, "invalid_token", "the client is disabled"));
  std::erase_if(scopes, [&](const std::string& s) { return !client->AllowsScope(s); });
  return UserClaims(*citizen, *account, scopes, info->sub);
}

std::expected<void, OAuthError> OidcProvider::Revoke(
    const Params& form, std::optional<std::string_view> authorization) {
  auto client = AuthenticateClient(form, authorization, issuer_ + "/oidc/revoke");
  if (!client) return std::unexpected(client.error());
  auto token = Single(form, "token");
  if (!token) return std::unexpected(Err(400, "invalid_request", token.error().description));
  if (!*token) return std::unexpected(Err(400, "invalid_request", "token is missing"));
  if ((*token)->starts_with("dancu_rt_")) {
    if (auto s = tokens_->RevokeRefresh(**token, (*client)->client_id); !s) {
      return std::unexpected(ServerError(s.error()));
    }
    return {};
  }
  auto info = VerifyAccessToken(**token);
  if (info && info->client_id == (*client)->client_id) {
    if (auto s = tokens_->RevokeAccessToken(info->jti, info->exp); !s) {
      return std::unexpected(ServerError(s.error()));
    }
  }
  return {};
}

std::expected<boost::json::object, OAuthError> OidcProvider::Introspect(
    const Params& form, std::optional<std::string_view> authorization) {
  auto client = AuthenticateClient(form, authorization, issuer_ + "/oidc/introspect");
  if (!client) return std::unexpected(client.error());
  auto token = Single(form, "token");
  if (!token) return std::unexpected(Err(400, "invalid_request", token.error().description));
  if (!*token) return std::unexpected(Err(400, "invalid_request", "token is missing"));
  const std::string& me = (*client)->client_id;
  boost::json::object inactive{{"active", false}};
  if ((*token)->starts_with("dancu_rt_")) {
    auto grant = tokens_->FindRefresh(**token);
    if (!grant) return std::unexpected(ServerError(grant.error()));
    if (!*grant || (*grant)->client_id != me) return inactive;
    auto account = accounts_((*grant)->account_id);
    if (!account || account->disabled || account->locked) return inactive;
    boost::json::object o;
    o["active"] = true;
    o["token_type"] = "refresh_token";
    o["client_id"] = me;
    o["scope"] = JoinSpaces((*grant)->scopes);
    o["sub"] = Subject(me, (*grant)->citizen_id);
    o["exp"] = (*grant)->expires_at;
    o["iss"] = issuer_;
    return o;
  }
  auto info = VerifyAccessToken(**token);
  if (!info || info->client_id != me) return inactive;
  auto account = accounts_(info->account_id);
  if (!account || account->disabled || account->locked) return inactive;
  boost::json::object o;
  o["active"] = true;
  o["token_type"] = "Bearer";
  o["client_id"] = me;
  o["scope"] = JoinSpaces(info->scopes);
  o["sub"] = info->sub;
  o["iss"] = issuer_;
  o["aud"] = issuer_;
  o["iat"] = info->iat;
  o["exp"] = info->exp;
  o["jti"] = info->jti;
  o["auth_time"] = info->auth_time;
  o["acr"] = AcrOfLevel(info->level);
  return o;
}

Result<std::string> OidcProvider::EndSession(std::string_view id_token_hint,
                                             std::string_view client_id,
                                             std::string_view post_logout_redirect_uri,
                                             std::string_view state) const {
  std::string hinted_client;
  if (!id_token_hint.empty()) {
    auto ring = keys_->ring();
    auto claims = crypto::VerifyJwt(id_token_hint, [&](std::string_view kid) { return ring->Find(kid); });
    if (!claims || StringOf(*claims, "iss") != issuer_) {
      return Fail("end_session.bad_hint", "id_token_hint is not an ID token of this provider");
    }
    hinted_client = std::string(StringOf(*claims, "aud"));
    if (!client_id.empty() && client_id != hinted_client) {
      return Fail("end_session.bad_hint", "client_id differs from the id_token_hint's audience");
    }
  } else {
    hinted_client = std::string(client_id);
  }
  if (post_logout_redirect_uri.empty()) return std::string();
  auto client = hinted_client.empty() ? nullptr : clients_->Find(hinted_client);
  if (!client || !client->HasPostLogoutRedirectUri(post_logout_redirect_uri)) {
    return Fail("end_session.bad_redirect_uri",
                "post_logout_redirect_uri is not registered for this client");
  }
  Params p;
  if (!state.empty()) p.emplace_back("state", std::string(state));
  return AppendQuery(post_logout_redirect_uri, p);
}

void OidcProvider::RevokeAccount(int64_t account_id) {
  if (auto s = tokens_->RevokeAccount(account_id); !s) {
    spdlog::error("oidc: revoking the refresh tokens of an account failed: {}", s.error().message);
  }
}

}  // namespace dancu::identity
