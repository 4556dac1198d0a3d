// The administrator's API for relying parties (identity/clients.h), the
// HTTP twin of `dancu clients add|list`:
//   POST /v1/admin/clients {name, redirect_uris[], scopes ("openid profile"
//        or [...]), min_level?, logo_uri?, post_logout_redirect_uris[]?,
//        token_endpoint_auth_method?, jwks? (object, private_key_jwt)}
//        -> 201 {client_id, client_secret (shown once; absent for
//        private_key_jwt), and the registration}
//   GET  /v1/admin/clients -> {clients:[...]} (no secrets)
// kAuthenticated routes, and the principal must be the admin token's
// (kAdmin): other staff principals get 403 auth.forbidden.
#include <boost/beast/http/verb.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "http/json_reader.h"
#include "identity/oidc_provider.h"
#include "web/web.h"

namespace dancu::web {
namespace {

using boost::beast::http::verb;

boost::json::array Strings(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

boost::json::object ClientJson(const identity::Client& c) {
  boost::json::object j;
  j["client_id"] = c.client_id;
  j["name"] = c.name;
  j["logo_uri"] = c.logo_uri;
  j["redirect_uris"] = Strings(c.redirect_uris);
  j["post_logout_redirect_uris"] = Strings(c.post_logout_redirect_uris);
  j["scopes"] = Strings(c.scopes);
  j["min_level"] = c.min_level;
  j["token_endpoint_auth_method"] = identity::ToString(c.auth_method);
  j["created_at"] = c.created_at;
  j["disabled"] = c.disabled;
  return j;
}

std::optional<http::Response> RequireAdmin(const http::RequestContext& ctx) {
  if (ctx.principal.kind == http::Principal::Kind::kAdmin) return std::nullopt;
  return http::ProblemResponse(403, "auth.forbidden",
                               "only the administrator manages relying parties");
}

// A JSON array of strings, or (for scopes) one space-separated string.
Result<std::vector<std::string>> StringList(http::JsonFields& f, std::string_view key,
                                            bool required, bool allow_string) {
  if (allow_string) {
    // Peek without consuming: try the string form first.
    auto s = f.OptionalString(key);
    if (s && *s) return identity::SplitSpaces(**s);
  }
  auto a = f.OptionalArray(key);
  if (!a) return std::unexpected(a.error());
  std::vector<std::string> out;
  if (*a == nullptr) {
    if (required) return Fail("request.missing_field", "missing " + std::string(key), std::string(key));
    return out;
  }
  for (const auto& v : **a) {
    if (!v.is_string()) {
      return Fail("request.wrong_type", std::string(key) + " must hold strings", std::string(key));
    }
    out.emplace_back(v.as_string());
  }
  return out;
}

http::Response AddClient(const WebDeps& deps, http::RequestContext& ctx) {
  if (auto denied = RequireAdmin(ctx)) return std::move(*denied);
  auto obj = http::ParseJsonObject(ctx.body());
  if (!obj) return http::ProblemResponse(obj.error());
  http::JsonFields f(*obj);
  identity::ClientSpec spec;
  auto name = f.RequireString("name");
  if (!name) return http::ProblemResponse(name.error());
  spec.name = std::move(*name);
  auto redirects = StringList(f, "redirect_uris", true, false);
  if (!redirects) return http::ProblemResponse(redirects.error());
  spec.redirect_uris = std::move(*redirects);
  auto post_logout = StringList(f, "post_logout_redirect_uris", false, false);
  if (!post_logout) return http::ProblemResponse(post_logout.error());
  spec.post_logout_redirect_uris = std::move(*post_logout);
  // scopes: a string or an array.
  const auto* scopes_value = obj->if_contains("scopes");
  if (scopes_value == nullptr || scopes_value->is_null()) {
    return http::ProblemResponse(Error{"request.missing_field", "missing scopes", "scopes"});
  }
  auto scopes = StringList(f, "scopes", true, scopes_value->is_string());
  if (!scopes) return http::ProblemResponse(scopes.error());
  spec.scopes = std::move(*scopes);
  auto level = f.OptionalInt("min_level");
  if (!level) return http::ProblemResponse(level.error());
  spec.min_level = static_cast<int>(level->value_or(1));
  if (level->value_or(1) != spec.min_level) spec.min_level = 0;  // rejected by Add
  auto logo = f.OptionalString("logo_uri");
  if (!logo) return http::ProblemResponse(logo.error());
  spec.logo_uri = logo->value_or("");
  auto method = f.OptionalString("token_endpoint_auth_method");
  if (!method) return http::ProblemResponse(method.error());
  if (*method) {
    auto m = identity::ParseClientAuthMethod(**method);
    if (!m) {
      return http::ProblemResponse(Error{"client.bad_auth_method",
                                         "token_endpoint_auth_method must be client_secret_basic, "
                                         "client_secret_post or private_key_jwt",
                                         "token_endpoint_auth_method"});
    }
    spec.auth_method = *m;
  }
  auto jwks = f.OptionalObject("jwks");
  if (!jwks) return http::ProblemResponse(jwks.error());
  if (*jwks != nullptr) spec.jwks = boost::json::serialize(**jwks);
  if (spec.auth_method == identity::ClientAuthMethod::kPrivateKeyJwt && spec.jwks.empty()) {
    return http::ProblemResponse(
        Error{"client.bad_jwks", "private_key_jwt needs the client's jwks", "jwks"});
  }
  if (auto s = f.Finish(); !s) return http::ProblemResponse(s.error());
  auto added = deps.oidc->clients().Add(spec);
  if (!added) return http::ProblemResponse(added.error());
  auto list = deps.oidc->clients().List();
  boost::json::object body;
  if (list) {
    for (const auto& c : *list) {
      if (c.client_id == added->client_id) body = ClientJson(c);
    }
  }
  body["client_id"] = added->client_id;
  if (!added->client_secret.empty()) body["client_secret"] = added->client_secret;
  return http::JsonResponse(201, body);
}

http::Response ListClients(const WebDeps& deps, http::RequestContext& ctx) {
  if (auto denied = RequireAdmin(ctx)) return std::move(*denied);
  auto list = deps.oidc->clients().List();
  if (!list) return http::ProblemResponse(list.error());
  boost::json::array items;
  for (const auto& c : *list) items.emplace_back(ClientJson(c));
  boost::json::object body;
  body["clients"] = std::move(items);
  return http::JsonResponse(200, body);
}

}  // namespace

void AddAdminClients(http::Router& router, const WebDeps& deps) {
  if (deps.oidc == nullptr) return;
  router.Add(verb::post, "/v1/admin/clients",
             [deps](http::RequestContext& ctx) { return AddClient(deps, ctx); });
  router.Add(verb::get, "/v1/admin/clients",
             [deps](http::RequestContext& ctx) { return ListClients(deps, ctx); });
}

}  // namespace dancu::web
