// The administrator's API for officers (identity/officers.h):
//   POST /v1/admin/officers {username, name, role, area_code, password}
//        -> 201 {username, name, role, area_code, created_at}
//   GET  /v1/admin/officers -> {officers:[...]}
//   POST /v1/admin/officers/{username}/disable -> 200 {username, ..., disabled:true}
//        (their tokens end at once); .../enable -> 200 {..., disabled:false}
//        unknown username: 404 officer.not_found
// kAuthenticated routes, and the principal must be the admin token's
// (kAdmin): other staff principals get 403 auth.forbidden.
#include <boost/beast/http/verb.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "http/json_reader.h"
#include "identity/officers.h"
#include "web/web.h"

namespace dancu::web {
namespace {

using boost::beast::http::verb;

boost::json::object OfficerJson(const identity::Officer& o) {
  boost::json::object j;
  j["username"] = o.username;
  j["name"] = o.name;
  j["role"] = o.role;
  j["area_code"] = o.area_code;
  j["created_at"] = FormatTimestamp(o.created_at);
  j["disabled"] = o.disabled;
  return j;
}

std::optional<http::Response> RequireAdmin(const http::RequestContext& ctx) {
  if (ctx.principal.kind == http::Principal::Kind::kAdmin) return std::nullopt;
  if (ctx.principal.kind == http::Principal::Kind::kAnonymous) {
    return http::ProblemResponse(401, "auth.unauthenticated", "the admin token is required");
  }
  return http::ProblemResponse(403, "auth.forbidden", "only the administrator manages officers");
}

}  // namespace

void AddAdminOfficers(http::Router& router, const WebDeps& deps) {
  router.Add(verb::post, "/v1/admin/officers", [deps](http::RequestContext& ctx) {
    if (auto denied = RequireAdmin(ctx)) return std::move(*denied);
    auto obj = http::ParseJsonObject(ctx.body());
    if (!obj) return http::ProblemResponse(obj.error());
    http::JsonFields f(*obj);
    identity::NewOfficer o;
    for (auto [key, out] : {std::pair{"username", &o.username}, std::pair{"name", &o.name},
                            std::pair{"role", &o.role}, std::pair{"area_code", &o.area_code},
                            std::pair{"password", &o.password}}) {
      auto v = f.RequireString(key);
      if (!v) return http::ProblemResponse(v.error());
      *out = std::move(*v);
    }
    if (auto s = f.Finish(); !s) return http::ProblemResponse(s.error());
    auto added = deps.officers->Add(o);
    if (!added) return http::ProblemResponse(added.error());
    return http::JsonResponse(201, OfficerJson(*added));
  });

  router.Add(verb::get, "/v1/admin/officers", [deps](http::RequestContext& ctx) {
    if (auto denied = RequireAdmin(ctx)) return std::move(*denied);
    auto list = deps.officers->List();
    if (!list) return http::ProblemResponse(list.error());
    boost::json::array items;
    for (const identity::Officer& o : *list) items.emplace_back(OfficerJson(o));
    boost::json::object body;
    body["officers"] = std::move(items);
    return http::JsonResponse(200, body);
  });

  for (bool disable : {true, false}) {
    router.Add(verb::post,
               std::string("/v1/admin/officers/{username}/") + (disable ? "disable" : "enable"),
               [deps, disable](http::RequestContext& ctx) {
                 if (auto denied = RequireAdmin(ctx)) return std::move(*denied);
                 auto changed = deps.officers->SetDisabled(ctx.path_param("username"), disable);
                 if (!changed) return http::ProblemResponse(changed.error());
                 return http::JsonResponse(200, OfficerJson(*changed));
               });
  }
}

}  // namespace dancu::web
