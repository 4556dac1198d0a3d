// Agencies, their API clients and policies (hub/members.h); staff only
// (the admin token), except GET /v1/agency/me:
//   POST /v1/admin/agencies {name, kind, display_name}            -> 201 agency
//   GET  /v1/admin/agencies                                       -> {agencies:[...]}
//   POST /v1/admin/agencies/{name}/disable                        -> 200 agency
//   POST /v1/admin/agencies/{name}/clients {jwks, mtls_thumbprint?, policy?} -> 201 client
//   GET  /v1/admin/agencies/{name}/clients                        -> {clients:[...]}
//   GET  /v1/admin/agency-clients/{client_id}                     -> client
//   PUT  /v1/admin/agency-clients/{client_id}/policy <policy>     -> 200 client
//   POST /v1/admin/agency-clients/{client_id}/disable             -> 200 client
//   GET  /v1/agency/me (an agency client's token)                 -> its client and policy
// A client is {client_id, agency, jwks, mtls_thumbprint, policy, created_at,
// disabled}. Changes apply to the next request.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/api.h"
#include "http/json_reader.h"
#include "http/response.h"
#include "hub/members.h"

namespace dancu::api {
namespace {

using boost::beast::http::verb;

boost::json::object AgencyJson(const hub::AgencyInfo& a) {
  return {{"name", a.name},
          {"kind", a.kind},
          {"display_name", a.display_name},
          {"created_at", a.created_at},
          {"disabled", a.disabled}};
}

boost::json::object ClientJson(const hub::AgencyClientInfo& c) {
  boost::system::error_code ec;
  boost::json::value jwks = boost::json::parse(c.jwks, ec);
  return {{"client_id", c.client_id},
          {"agency", c.agency},
          {"jwks", ec ? boost::json::value(nullptr) : jwks},
          {"mtls_thumbprint", c.mtls_thumbprint},
          {"policy", hub::PolicyToJson(*c.policy)},
          {"created_at", c.created_at},
          {"disabled", c.disabled}};
}

http::Response ClientResponse(hub::Members& m, std::string_view id, unsigned status = 200) {
  auto c = m.GetClient(id);
  if (!c) return http::ProblemResponse(c.error());
  return http::JsonResponse(status, ClientJson(*c));
}

}  // namespace

void AddAgencyRoutes(http::Router& router, ApiDeps deps) {
  hub::Members& m = *deps.members;
  router.Add(verb::post, "/v1/admin/agencies", [&m](http::RequestContext& ctx) {
    auto body = http::ParseJsonObject(ctx.body());
    if (!body) return http::ProblemResponse(body.error());
    http::JsonFields f(*body);
    auto name = f.RequireString("name");
    if (!name) return http::ProblemResponse(name.error());
    auto kind = f.RequireString("kind");
    if (!kind) return http::ProblemResponse(kind.error());
    auto display = f.RequireString("display_name");
    if (!display) return http::ProblemResponse(display.error());
    if (auto s = f.Finish(); !s) return http::ProblemResponse(s.error());
    if (auto s = m.AddAgency({*name, *kind, *display, "", false}); !s) {
      return http::ProblemResponse(s.error());
    }
    auto a = m.GetAgency(*name);
    if (!a) return http::ProblemResponse(a.error());
    return http::JsonResponse(201, AgencyJson(*a));
  });
  router.Add(verb::get, "/v1/admin/agencies", [&m](http::RequestContext&) {
    auto list = m.ListAgencies();
    if (!list) return http::ProblemResponse(list.error());
    boost::json::array out;
    for (const auto& a : *list) out.push_back(AgencyJson(a));
    return http::JsonResponse(200, boost::json::object{{"agencies", std::move(out)}});
  });
  router.Add(verb::post, "/v1/admin/agencies/{name}/disable", [&m](http::RequestContext& ctx) {
    std::string name(ctx.path_param("name"));
    if (auto s = m.DisableAgency(name); !s) return http::ProblemResponse(s.error());
    auto a = m.GetAgency(name);
    if (!a) return http::ProblemResponse(a.error());
    return http::JsonResponse(200, AgencyJson(*a));
  });
  router.Add(verb::post, "/v1/admin/agencies/{name}/clients", [&m](http::RequestContext& ctx) {
    auto body = http::ParseJsonObject(ctx.body());
    if (!body) return http::ProblemResponse(body.error());
    http::JsonFields f(*body);
    auto jwks = f.OptionalObject("jwks");
    if (!jwks) return http::ProblemResponse(jwks.error());
    auto thumbprint = f.OptionalString("mtls_thumbprint");
    if (!thumbprint) return http::ProblemResponse(thumbprint.error());
    auto policy_json = f.OptionalObject("policy");
    if (!policy_json) return http::ProblemResponse(policy_json.error());
    if (auto s = f.Finish(); !s) return http::ProblemResponse(s.error());
    if (*jwks == nullptr) {
      return http::ProblemResponse(
          Error{"request.missing_field", "jwks (the client's public keys) is required", "jwks"});
    }
    std::optional<hub::Policy> policy;
    if (*policy_json != nullptr) {
      auto p = hub::ParsePolicy(**policy_json);
      if (!p) return http::ProblemResponse(p.error());
      policy = std::move(*p);
    }
    auto c = m.AddClient(ctx.path_param("name"), boost::json::serialize(**jwks),
                         thumbprint->value_or(""), policy.value_or(hub::Policy{}));
    if (!c) return http::ProblemResponse(c.error());
    return ClientResponse(m, c->client_id, 201);
  });
  router.Add(verb::get, "/v1/admin/agencies/{name}/clients", [&m](http::RequestContext& ctx) {
    auto a = m.GetAgency(ctx.path_param("name"));
    if (!a) return http::ProblemResponse(a.error());
    auto list = m.ListClients(a->name);
    if (!list) return http::ProblemResponse(list.error());
    boost::json::array out;
    for (const auto& c : *list) out.push_back(ClientJson(c));
    return http::JsonResponse(200, boost::json::object{{"clients", std::move(out)}});
  });
  router.Add(verb::get, "/v1/admin/agency-clients/{client_id}", [&m](http::RequestContext& ctx) {
    return ClientResponse(m, ctx.path_param("client_id"));
  });
  router.Add(verb::put, "/v1/admin/agency-clients/{client_id}/policy",
             [&m](http::RequestContext& ctx) {
               auto body = http::ParseJsonObject(ctx.body());
               if (!body) return http::ProblemResponse(body.error());
               auto p = hub::ParsePolicy(*body);
               if (!p) return http::ProblemResponse(p.error());
               if (auto s = m.SetPolicy(ctx.path_param("client_id"), *p); !s) {
                 return http::ProblemResponse(s.error());
               }
               return ClientResponse(m, ctx.path_param("client_id"));
             });
  router.Add(verb::post, "/v1/admin/agency-clients/{client_id}/disable",
             [&m](http::RequestContext& ctx) {
               if (auto s = m.DisableClient(ctx.path_param("client_id")); !s) {
                 return http::ProblemResponse(s.error());
               }
               return ClientResponse(m, ctx.path_param("client_id"));
             });
  router.Add(
      verb::get, "/v1/agency/me",
      [&m](http::RequestContext& ctx) {
        if (ctx.principal.kind != http::Principal::Kind::kAgency) {
          return http::ProblemResponse(403, "auth.forbidden", "this route is for agency clients");
        }
        auto c = m.GetClient(ctx.principal.id);
        if (!c) return http::ProblemResponse(c.error());
        boost::json::object o = ClientJson(*c);
        o.erase("jwks");
        o.erase("mtls_thumbprint");
        boost::json::array scope;
        for (hub::Operation op : hub::kOperations) {
          if (ctx.principal.scope & hub::Bit(op)) scope.emplace_back(hub::ToString(op));
        }
        o["token_scope"] = std::move(scope);
        return http::JsonResponse(200, o);
      },
      http::Access::kAgency);
}

}  // namespace dancu::api
