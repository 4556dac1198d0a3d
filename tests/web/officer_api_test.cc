// The officers' API and the administrator's officer API through the Router:
// officer sign-in, the level-2 upgrade with its TOTP enrolment, the area
// rule, bad input, and who may create officers.
#include <gtest/gtest.h>

#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "crypto/encoding.h"
#include "identity/accounts_fixture.h"
#include "web/officer_auth.h"
#include "web/web.h"

namespace dancu::web {
namespace {

namespace bhttp = boost::beast::http;

class OfficerApiTest : public identity::testing::AccountsTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    if (HasFatalFailure()) return;
    deps_.emplace(WebDeps{*reg_, clock_, csrf_, accounts_.get(), sessions_.get(),
                          officers_.get(), nullptr});
    AddOfficerApi(router_, *deps_);
    AddAdminOfficers(router_, *deps_);
  }
  http::Response Send(bhttp::verb method, std::string target, std::string body,
                      http::Principal principal = {}, std::string bearer = {}) {
    http::Request req{method, target, 11};
    req.set(bhttp::field::content_type, "application/json");
    if (!bearer.empty()) req.set(bhttp::field::authorization, "Bearer " + bearer);
    req.body() = std::move(body);
    req.prepare_payload();
    auto ctx = http::RequestContext::MakeForTest(std::move(req));
    ctx.principal = principal;
    return router_.Dispatch(ctx);
  }
  static std::string Code(const http::Response& r) {
    return std::string(boost::json::parse(r.body).as_object().at("code").as_string());
  }
  std::string OfficerToken(std::string area = "01") {
    AddOfficer(area);
    auto r = Send(bhttp::verb::post, "/v1/officer/sessions",
                  R"({"username":"officer.ha","password":"officer password 1"})");
    EXPECT_EQ(r.status, 201u) << r.body;
    return std::string(boost::json::parse(r.body).as_object().at("token").as_string());
  }
  std::string UpgradeBody(const registry::Citizen& c, std::string face = "RkFDRQ==") {
    return R"({"citizen_id":")" + c.id.ToString() +
           R"(","place":"Công an phường Ba Đình","face_template":")" + face +
           R"(","fingerprint_template":"RklOR0VS"})";
  }

  http::Principal admin_{http::Principal::Kind::kAdmin, "admin"};
  Csrf csrf_{std::string(32, 'c')};
  std::string issuer_ = "https://id.test";
  std::optional<WebDeps> deps_;
  http::Router router_;
};

TEST_F(OfficerApiTest, AdminCreatesOfficers) {
  const std::string body =
      R"({"username":"can.bo","name":"Trần Văn Cán","role":"civil_status","area_code":"01","password":"officer password 1"})";
  auto r = Send(bhttp::verb::post, "/v1/admin/officers", body, admin_);
  ASSERT_EQ(r.status, 201u) << r.body;
  auto j = boost::json::parse(r.body).as_object();
  EXPECT_EQ(j.at("username").as_string(), "can.bo");
  EXPECT_FALSE(j.contains("password"));
  EXPECT_EQ(Send(bhttp::verb::post, "/v1/admin/officers", body, admin_).status, 409u);
  auto list = Send(bhttp::verb::get, "/v1/admin/officers", {}, admin_);
  EXPECT_EQ(boost::json::parse(list.body).as_object().at("officers").as_array().size(), 1u);
}

TEST_F(OfficerApiTest, OnlyTheAdminCreatesOfficers) {
  const std::string body =
      R"({"username":"x.y","name":"X","role":"police","area_code":"01","password":"officer password 1"})";
  auto anonymous = Send(bhttp::verb::post, "/v1/admin/officers", body);
  EXPECT_EQ(anonymous.status, 401u);
  auto officer = Send(bhttp::verb::post, "/v1/admin/officers", body,
                      {http::Principal::Kind::kOfficer, "officer.ha"});
  EXPECT_EQ(officer.status, 403u);
  EXPECT_EQ(Code(officer), "auth.forbidden");
}

TEST_F(OfficerApiTest, AdminDisablesAndEnablesOfficers) {
  const std::string token = OfficerToken();
  auto off = Send(bhttp::verb::post, "/v1/admin/officers/officer.ha/disable", {}, admin_);
  ASSERT_EQ(off.status, 200u) << off.body;
  EXPECT_TRUE(boost::json::parse(off.body).as_object().at("disabled").as_bool());
  EXPECT_FALSE(officers_->Authenticate(token));  // at once
  auto signin = Send(bhttp::verb::post, "/v1/officer/sessions",
                     R"({"username":"officer.ha","password":"officer password 1"})");
  EXPECT_EQ(signin.status, 401u);
  auto on = Send(bhttp::verb::post, "/v1/admin/officers/officer.ha/enable", {}, admin_);
  ASSERT_EQ(on.status, 200u) << on.body;
  EXPECT_FALSE(boost::json::parse(on.body).as_object().at("disabled").as_bool());
  auto missing = Send(bhttp::verb::post, "/v1/admin/officers/nobody/disable", {}, admin_);
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(Code(missing), "officer.not_found");
  auto officer = Send(bhttp::verb::post, "/v1/admin/officers/officer.ha/disable", {},
                      {http::Principal::Kind::kOfficer, "officer.ha"});
  EXPECT_EQ(officer.status, 403u);
}

TEST_F(OfficerApiTest, AdminBadInput) {
  auto bad_role = Send(bhttp::verb::post, "/v1/admin/officers",
                       R"({"username":"x.y","name":"X","role":"army","area_code":"01","password":"officer password 1"})",
                       admin_);
  EXPECT_EQ(bad_role.status, 400u);
  EXPECT_EQ(Code(bad_role), "officer.bad_role");
  auto weak = Send(bhttp::verb::post, "/v1/admin/officers",
                   R"({"username":"x.y","name":"X","role":"police","area_code":"01","password":"12345678"})",
                   admin_);
  EXPECT_EQ(Code(weak), "identity.password_common");
  auto extra = Send(bhttp::verb::post, "/v1/admin/officers",
                    R"({"username":"x.y","name":"X","role":"police","area_code":"01","password":"officer password 1","admin":true})",
                    admin_);
  EXPECT_EQ(Code(extra), "request.unknown_field");
}

TEST_F(OfficerApiTest, OfficerSignIn) {
  AddOfficer();
  auto wrong = Send(bhttp::verb::post, "/v1/officer/sessions",
                    R"({"username":"officer.ha","password":"nope"})");
  EXPECT_EQ(wrong.status, 401u);
  EXPECT_EQ(Code(wrong), "officer.bad_credentials");
  auto ok = Send(bhttp::verb::post, "/v1/officer/sessions",
                 R"({"username":"officer.ha","password":"officer password 1"})");
  ASSERT_EQ(ok.status, 201u);
  auto token = std::string(boost::json::parse(ok.body).as_object().at("token").as_string());
  EXPECT_TRUE(token.starts_with("dancu_ot_"));
  // The authenticator serve chains gives the officer's principal.
  auto auth = MakeOfficerAuthenticator(*officers_);
  http::Request req{bhttp::verb::get, "/", 11};
  req.set(bhttp::field::authorization, "Bearer " + token);
  auto ctx = http::RequestContext::MakeForTest(std::move(req));
  auto p = auth->Authenticate(ctx);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->kind, http::Principal::Kind::kOfficer);
  EXPECT_EQ(p->id, "officer.ha");
}

TEST_F(OfficerApiTest, UpgradeEnrolsTotp) {
  Register(husband_);
  const std::string token = OfficerToken();
  auto r = Send(bhttp::verb::post, "/v1/officer/upgrades", UpgradeBody(husband_), {}, token);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto j = boost::json::parse(r.body).as_object();
  EXPECT_EQ(j.at("level").as_int64(), 2);
  EXPECT_EQ(j.at("officer").as_string(), "officer.ha");
  const auto& totp = j.at("totp").as_object();
  EXPECT_TRUE(totp.at("otpauth_uri").as_string().starts_with("otpauth://totp/"));
  EXPECT_TRUE(totp.at("qr_svg").as_string().starts_with("<svg"));
  EXPECT_EQ(accounts_->Get(husband_.id.number())->level, identity::Level::kTwo);
  // The templates are not echoed.
  EXPECT_EQ(r.body.find("RkFDRQ"), std::string::npos);
}

TEST_F(OfficerApiTest, UpgradeNeedsAnOfficerToken) {
  Register(husband_);
  auto none = Send(bhttp::verb::post, "/v1/officer/upgrades", UpgradeBody(husband_));
  EXPECT_EQ(none.status, 401u);
  auto admin = Send(bhttp::verb::post, "/v1/officer/upgrades", UpgradeBody(husband_), admin_);
  EXPECT_EQ(admin.status, 401u);
  auto forged = Send(bhttp::verb::post, "/v1/officer/upgrades", UpgradeBody(husband_), {},
                     "dancu_ot_forged");
  EXPECT_EQ(forged.status, 401u);
}

TEST_F(OfficerApiTest, UpgradeBadInput) {
  Register(husband_);
  Register(single_);
  const std::string token = OfficerToken("01");
  auto bad64 = Send(bhttp::verb::post, "/v1/officer/upgrades", UpgradeBody(husband_, "not base64!"),
                    {}, token);
  EXPECT_EQ(bad64.status, 400u);
  EXPECT_EQ(boost::json::parse(bad64.body).as_object().at("field").as_string(), "face_template");
  auto area = Send(bhttp::verb::post, "/v1/officer/upgrades", UpgradeBody(single_), {}, token);
  EXPECT_EQ(area.status, 403u);
  EXPECT_EQ(Code(area), "identity.out_of_area");
  auto no_account = Send(bhttp::verb::post, "/v1/officer/upgrades", UpgradeBody(wife_), {}, token);
  EXPECT_EQ(no_account.status, 404u);
  auto missing = Send(bhttp::verb::post, "/v1/officer/upgrades",
                      R"({"citizen_id":")" + husband_.id.ToString() + R"("})", {}, token);
  EXPECT_EQ(Code(missing), "request.missing_field");
}

}  // namespace
}  // namespace dancu::web
