// The officers' JSON API (identity/officers.h, accounts.h "Level 2"):
//   POST /v1/officer/sessions  {username, password}
//        -> 201 {token, token_type:"Bearer", expires_at}
//   POST /v1/officer/upgrades  (Authorization: Bearer dancu_ot_...)
//        {citizen_id, place, face_template, fingerprint_template} (templates
//        base64) -> 200 {citizen_id, level:2, officer, place, totp:{otpauth_uri,
//        secret_base32, qr_svg}}
// Routes are kPublic and check the officer token themselves, so officers
// need no access to the staff routes. Biometric templates are never logged.
#include <boost/beast/http/verb.hpp>
#include <boost/json/object.hpp>
#include <spdlog/spdlog.h>

#include "crypto/encoding.h"
#include "http/json_reader.h"
#include "identity/accounts.h"
#include "identity/officers.h"
#include "identity/throttle.h"
#include "web/officer_auth.h"
#include "web/web.h"

namespace dancu::web {
namespace {

using boost::beast::http::verb;

class OfficerAuthenticator final : public http::Authenticator {
 public:
  explicit OfficerAuthenticator(identity::Officers& officers) : officers_(officers) {}
  std::optional<http::Principal> Authenticate(const http::RequestContext& ctx) const override {
    auto token = http::BearerToken(ctx);
    if (!token || !token->starts_with(identity::kOfficerTokenPrefix)) return std::nullopt;
    auto officer = officers_.Authenticate(*token);
    if (!officer) return std::nullopt;
    return http::Principal{http::Principal::Kind::kOfficer, officer->username};
  }

 private:
  identity::Officers& officers_;
};

http::Response Problem(const Error& e) {
  http::Response r = http::ProblemResponse(e);
  if (auto s = identity::RetryAfterOf(e); s.count() > 0) {
    r.headers.emplace_back("Retry-After", std::to_string(s.count()));
  }
  return r;
}

Result<std::string> TemplateField(http::JsonFields& f, std::string_view key) {
  auto text = f.RequireString(key);
  if (!text) return std::unexpected(text.error());
  auto bytes = crypto::Base64Decode(*text);
  if (!bytes) {
    return Fail("identity.bad_upgrade", std::string(key) + " is not padded standard base64",
                std::string(key));
  }
  return std::move(*bytes);
}

}  // namespace

std::unique_ptr<http::Authenticator> MakeOfficerAuthenticator(identity::Officers& officers) {
  return std::make_unique<OfficerAuthenticator>(officers);
}

void AddOfficerApi(http::Router& router, const WebDeps& deps) {
  router.Add(
      verb::post, "/v1/officer/sessions",
      [deps](http::RequestContext& ctx) {
        auto obj = http::ParseJsonObject(ctx.body());
        if (!obj) return http::ProblemResponse(obj.error());
        http::JsonFields f(*obj);
        auto username = f.RequireString("username");
        if (!username) return http::ProblemResponse(username.error());
        auto password = f.RequireString("password");
        if (!password) return http::ProblemResponse(password.error());
        if (auto s = f.Finish(); !s) return http::ProblemResponse(s.error());
        auto token = deps.officers->SignIn(*username, *password);
        if (!token) return Problem(token.error());
        boost::json::object body;
        body["token"] = token->token;
        body["token_type"] = "Bearer";
        body["expires_at"] = FormatTimestamp(token->expires_at);
        return http::JsonResponse(201, body);
      },
      http::Access::kPublic);

  router.Add(
      verb::post, "/v1/officer/upgrades",
      [deps](http::RequestContext& ctx) {
        auto bearer = http::BearerToken(ctx);
        std::optional<identity::Officer> officer;
        if (bearer) officer = deps.officers->Authenticate(*bearer);
        if (!officer) {
          http::Response r = http::ProblemResponse(
              401, "auth.unauthenticated",
              "an officer token is required (POST /v1/officer/sessions)");
          r.headers.emplace_back("WWW-Authenticate", "Bearer");
          return r;
        }
        auto obj = http::ParseJsonObject(ctx.body());
        if (!obj) return http::ProblemResponse(obj.error());
        http::JsonFields f(*obj);
        identity::UpgradeRequest req;
        auto id = f.RequireString("citizen_id");
        if (!id) return http::ProblemResponse(id.error());
        auto place = f.RequireString("place");
        if (!place) return http::ProblemResponse(place.error());
        auto face = TemplateField(f, "face_template");
        if (!face) return http::ProblemResponse(face.error());
        auto finger = TemplateField(f, "fingerprint_template");
        if (!finger) return http::ProblemResponse(finger.error());
        if (auto s = f.Finish(); !s) return http::ProblemResponse(s.error());
        req.citizen_id = std::move(*id);
        req.place = std::move(*place);
        req.face = std::move(*face);
        req.fingerprint = std::move(*finger);
        auto enrolled = deps.accounts->UpgradeToLevel2(*officer, req);
        if (!enrolled) return http::ProblemResponse(enrolled.error());
        boost::json::object totp;
        totp["otpauth_uri"] = enrolled->otpauth_uri;
        totp["secret_base32"] = enrolled->secret_base32;
        totp["qr_svg"] = enrolled->qr_svg;
        boost::json::object body;
        body["citizen_id"] = enrolled->account.citizen_id.ToString();
        body["level"] = 2;
        body["officer"] = officer->username;
        body["place"] = req.place;
        body["totp"] = std::move(totp);
        return http::JsonResponse(200, body);
      },
      http::Access::kPublic);
}

}  // namespace dancu::web
