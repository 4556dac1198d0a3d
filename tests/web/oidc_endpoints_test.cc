// The OpenID Connect HTTP endpoints, the consent page and the admin clients
// API, driven through the Router without sockets: the accounts fixture's
// register, accounts and sessions, plus an OidcProvider at
// https://id.test. The protocol rules themselves are tested in
// tests/identity/oidc_provider_test.cc; these tests check what HTTP adds:
// pages versus redirects, cookies, CSRF, headers and JSON error shapes.
#include <gtest/gtest.h>

#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "identity/accounts_fixture.h"
#include "identity/oidc_db.h"
#include "identity/oidc_provider.h"
#include "web/csrf.h"
#include "web/web.h"

namespace dancu::web {
namespace {

namespace bhttp = boost::beast::http;
using identity::testing::AccountsTest;

constexpr std::string_view kRedirect = "https://rp.test/cb";
constexpr std::string_view kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

std::string Challenge() {
  return crypto::Base64UrlEncode(crypto::AsBytes(crypto::Sha256(kVerifier)));
}

std::string HeaderOf(const http::Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return {};
}

std::string QueryValue(std::string_view url, std::string_view name) {
  std::string key = std::string(name) + "=";
  for (char sep : {'?', '&'}) {
    size_t at = url.find(sep + key);
    if (at == std::string_view::npos) continue;
    std::string_view v = url.substr(at + 1 + key.size());
    v = v.substr(0, v.find('&'));
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) {
      if (v[i] == '%' && i + 2 < v.size() + 1) {
        out += static_cast<char>(std::stoi(std::string(v.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else {
        out += v[i] == '+' ? ' ' : v[i];
      }
    }
    return out;
  }
  return {};
}

// The value attribute of the hidden input `name` in a page.
std::string HiddenValue(std::string_view html, std::string_view name) {
  std::string needle = "name=\"" + std::string(name) + "\" value=\"";
  size_t at = html.find(needle);
  if (at == std::string_view::npos) return {};
  std::string_view v = html.substr(at + needle.size());
  std::string raw(v.substr(0, v.find('"')));
  // Undo Escape (& < > " ').
  std::string out;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '&') {
      out += raw[i];
      continue;
    }
    size_t semi = raw.find(';', i);
    std::string ent = raw.substr(i, semi - i + 1);
    out += ent == "&amp;" ? "&" : ent == "&lt;" ? "<" : ent == "&gt;" ? ">" : ent == "&quot;" ? "\"" : "'";
    i = semi;
  }
  return out;
}

class OidcEndpointsTest : public AccountsTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    if (HasFatalFailure()) return;
    auto db = identity::OpenOidcDb(dir_.path());
    ASSERT_TRUE(db);
    odb_ = std::move(*db);
    auto p = identity::OidcProvider::Open(
        *odb_, *box_, *reg_, [this](int64_t id) { return accounts_->Get(id); }, clock_,
        "https://id.test");
    ASSERT_TRUE(p) << p.error().message;
    oidc_ = std::move(*p);
    identity::ClientSpec spec;
    spec.name = "Cổng <Dịch vụ>";
    spec.logo_uri = "https://rp.test/logo.png";
    spec.redirect_uris = {std::string(kRedirect)};
    spec.post_logout_redirect_uris = {"https://rp.test/bye"};
    spec.scopes = {"openid", "profile", "phone", "offline_access"};
    auto c = oidc_->clients().Add(spec);
    ASSERT_TRUE(c);
    client_ = *c;
    deps_.emplace(WebDeps{*reg_, clock_, csrf_, accounts_.get(), sessions_.get(),
                          officers_.get(), oidc_.get()});
    AddOidcEndpoints(router_, *deps_);
    AddConsentPage(router_, *deps_);
    AddAdminClients(router_, *deps_);
  }
  void TearDown() override {
    oidc_.reset();
    AccountsTest::TearDown();
  }

  http::Response Send(bhttp::verb method, std::string target, std::string body = {},
                      std::vector<std::pair<std::string, std::string>> headers = {},
                      http::Principal principal = {}) {
    http::Request req{method, target, 11};
    for (auto& [k, v] : headers) req.set(k, v);
    if (method == bhttp::verb::post && req[bhttp::field::content_type].empty() &&
        !body.empty() && body.front() != '{') {
      req.set(bhttp::field::content_type, "application/x-www-form-urlencoded");
    }
    req.body() = std::move(body);
    req.prepare_payload();
    auto ctx = http::RequestContext::MakeForTest(std::move(req));
    ctx.principal = principal;
    return router_.Dispatch(ctx);
  }

  std::string AuthorizeUrl(std::string extra = {}) {
    return "/oidc/authorize?client_id=" + client_.client_id +
           "&redirect_uri=" + UrlEncodeForTest(kRedirect) +
           "&response_type=code&scope=openid+profile&state=xyz&nonce=n1&code_challenge=" +
           Challenge() + "&code_challenge_method=S256" + extra;
  }
  static std::string UrlEncodeForTest(std::string_view s) { return crypto::PercentEncode(s); }

  // A signed-in browser of Nguyễn Văn An: the session cookie.
  std::string SignIn() {
    identity::Account a = Register(husband_);
    auto s = sessions_->Create(a, identity::Level::kOne, {"pwd"});
    EXPECT_TRUE(s);
    return "dancu_session=" + s->id;
  }

  // Authorize with the browser, approve the consent page, return the code.
  std::string ApprovedCode(const std::string& cookie) {
    auto page = Send(bhttp::verb::get, AuthorizeUrl(), {}, {{"Cookie", cookie}});
    EXPECT_EQ(page.status, 200u) << page.body;
    std::string set_cookie = HeaderOf(page, "Set-Cookie");
    std::string csrf_cookie = set_cookie.substr(0, set_cookie.find(';'));
    std::string form = "csrf=" + crypto::PercentEncode(HiddenValue(page.body, "csrf")) +
                       "&request=" + crypto::PercentEncode(HiddenValue(page.body, "request")) +
                       "&decision=approve";
    auto approved = Send(bhttp::verb::post, "/oidc/consent", form,
                         {{"Cookie", cookie + "; " + csrf_cookie}});
    EXPECT_EQ(approved.status, 302u) << approved.body;
    return QueryValue(HeaderOf(approved, "Location"), "code");
  }

  http::Response Exchange(const std::string& code) {
    return Send(bhttp::verb::post, "/oidc/token",
                "grant_type=authorization_code&code=" + crypto::PercentEncode(code) +
                    "&redirect_uri=" + crypto::PercentEncode(kRedirect) + "&code_verifier=" +
                    std::string(kVerifier),
                {{"Authorization", "Basic " + crypto::Base64Encode(client_.client_id + ":" +
                                                                   client_.client_secret)}});
  }

  std::unique_ptr<storage::Database> odb_;
  std::unique_ptr<identity::OidcProvider> oidc_;
  identity::NewClient client_;
  Csrf csrf_{std::string(32, 'c')};
  std::string issuer_ = "https://id.test";
  std::optional<WebDeps> deps_;
  http::Router router_;
};

TEST_F(OidcEndpointsTest, DiscoveryAndJwks) {
  auto d = Send(bhttp::verb::get, "/.well-known/openid-configuration");
  ASSERT_EQ(d.status, 200u);
  auto doc = boost::json::parse(d.body).as_object();
  EXPECT_EQ(doc.at("issuer").as_string(), "https://id.test");
  EXPECT_EQ(doc.at("jwks_uri").as_string(), "https://id.test/oidc/jwks");
  auto j = Send(bhttp::verb::get, "/oidc/jwks");
  ASSERT_EQ(j.status, 200u);
  auto keys = boost::json::parse(j.body).as_object().at("keys").as_array();
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].as_object().at("alg").as_string(), "ES256");
  EXPECT_FALSE(keys[0].as_object().contains("d"));
}

TEST_F(OidcEndpointsTest, AnUnregisteredRedirectUriIsAPageNotARedirect) {
  std::string url = AuthorizeUrl();
  std::string registered = crypto::PercentEncode(kRedirect);
  url.replace(url.find(registered), registered.size(), crypto::PercentEncode("https://evil.test/x"));
  auto r = Send(bhttp::verb::get, url);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(HeaderOf(r, "Location"), "");
  EXPECT_NE(r.content_type.find("text/html"), std::string::npos);
  auto unknown = Send(bhttp::verb::get, "/oidc/authorize?client_id=nope&redirect_uri=" +
                                            crypto::PercentEncode(kRedirect));
  EXPECT_EQ(unknown.status, 400u);
  EXPECT_EQ(HeaderOf(unknown, "Location"), "");
  auto malformed = Send(bhttp::verb::get, "/oidc/authorize?client_id=" + std::string(200, 'a') +
                                              "&redirect_uri=" + crypto::PercentEncode(kRedirect));
  EXPECT_EQ(malformed.status, 400u);
  EXPECT_EQ(HeaderOf(malformed, "Location"), "");
}

TEST_F(OidcEndpointsTest, ErrorsAfterTheRedirectUriIsKnownGoBackToTheClient) {
  auto r = Send(bhttp::verb::get, AuthorizeUrl("&prompt=none"));
  ASSERT_EQ(r.status, 302u);
  std::string loc = HeaderOf(r, "Location");
  EXPECT_TRUE(loc.starts_with(std::string(kRedirect) + "?error=login_required")) << loc;
  EXPECT_EQ(QueryValue(loc, "state"), "xyz");
  auto plain = Send(bhttp::verb::get, AuthorizeUrl("&code_challenge_method=plain"));
  EXPECT_EQ(QueryValue(HeaderOf(plain, "Location"), "error"), "invalid_request");
  auto oversized = Send(bhttp::verb::get, AuthorizeUrl("&x=" + std::string(9000, 'a')));
  EXPECT_EQ(oversized.status, 400u);  // the form reader refuses it before any redirect
}

TEST_F(OidcEndpointsTest, WithoutASessionTheBrowserIsSentToSignInAndBack) {
  auto r = Send(bhttp::verb::get, AuthorizeUrl("&login_hint=001085123456&ui_locales=en"));
  ASSERT_EQ(r.status, 302u);
  std::string loc = HeaderOf(r, "Location");
  ASSERT_TRUE(loc.starts_with("/signin?return_to=")) << loc;
  std::string back = QueryValue(loc, "return_to");
  EXPECT_TRUE(back.starts_with("/oidc/authorize?client_id=" + client_.client_id)) << back;
  EXPECT_NE(back.find("login_after="), std::string::npos);
  EXPECT_EQ(QueryValue(loc, "login_hint"), "001085123456");
  EXPECT_EQ(QueryValue(loc, "lang"), "en");
  auto level2 = Send(bhttp::verb::get,
                     AuthorizeUrl("&acr_values=" + crypto::PercentEncode(identity::kAcrLevel2)));
  EXPECT_EQ(QueryValue(HeaderOf(level2, "Location"), "level"), "2");
}

TEST_F(OidcEndpointsTest, ConsentPageListsTheClaimsAndNeedsCsrf) {
  std::string cookie = SignIn();
  auto page = Send(bhttp::verb::get, AuthorizeUrl(), {}, {{"Cookie", cookie}});
  ASSERT_EQ(page.status, 200u) << page.body << HeaderOf(page, "Location");
  EXPECT_NE(page.body.find("Cổng &lt;Dịch vụ&gt;"), std::string::npos);  // escaped
  EXPECT_NE(page.body.find("Nguyễn Văn An"), std::string::npos);
  EXPECT_NE(page.body.find("1985-03-14"), std::string::npos);
  EXPECT_EQ(page.body.find("+84912345678"), std::string::npos);  // phone not asked
  EXPECT_NE(page.body.find("https://rp.test/logo.png"), std::string::npos);
  std::string request = HiddenValue(page.body, "request");
  auto no_csrf = Send(bhttp::verb::post, "/oidc/consent",
                      "request=" + crypto::PercentEncode(request) + "&decision=approve",
                      {{"Cookie", cookie}});
  EXPECT_EQ(no_csrf.status, 403u);
  // Deny: back to the client with access_denied.
  std::string set_cookie = HeaderOf(page, "Set-Cookie");
  std::string csrf_cookie = set_cookie.substr(0, set_cookie.find(';'));
  auto denied = Send(bhttp::verb::post, "/oidc/consent",
                     "csrf=" + crypto::PercentEncode(HiddenValue(page.body, "csrf")) + "&request=" +
                         crypto::PercentEncode(request) + "&decision=deny",
                     {{"Cookie", cookie + "; " + csrf_cookie}});
  ASSERT_EQ(denied.status, 302u);
  EXPECT_EQ(QueryValue(HeaderOf(denied, "Location"), "error"), "access_denied");
}

TEST_F(OidcEndpointsTest, FullFlowTokenUserinfoAndRememberedConsent) {
  std::string cookie = SignIn();
  std::string code = ApprovedCode(cookie);
  ASSERT_FALSE(code.empty());
  auto t = Exchange(code);
  ASSERT_EQ(t.status, 200u) << t.body;
  EXPECT_EQ(HeaderOf(t, "Cache-Control"), "no-store");
  EXPECT_EQ(HeaderOf(t, "Pragma"), "no-cache");
  auto tokens = boost::json::parse(t.body).as_object();
  std::string access(tokens.at("access_token").as_string());
  auto info = Send(bhttp::verb::get, "/oidc/userinfo", {}, {{"Authorization", "Bearer " + access}});
  ASSERT_EQ(info.status, 200u) << info.body;
  auto claims = boost::json::parse(info.body).as_object();
  EXPECT_EQ(claims.at("name").as_string(), "Nguyễn Văn An");
  auto post = Send(bhttp::verb::post, "/oidc/userinfo", "access_token=" + access);
  EXPECT_EQ(post.status, 200u);
  // The code is single-use.
  auto again = Exchange(code);
  EXPECT_EQ(again.status, 400u);
  EXPECT_EQ(boost::json::parse(again.body).as_object().at("error").as_string(), "invalid_grant");
  // Consent is remembered: the next authorization redirects at once.
  auto second = Send(bhttp::verb::get, AuthorizeUrl(), {}, {{"Cookie", cookie}});
  ASSERT_EQ(second.status, 302u);
  EXPECT_FALSE(QueryValue(HeaderOf(second, "Location"), "code").empty());
}

TEST_F(OidcEndpointsTest, TokenAndUserinfoErrorsAreOAuthJson) {
  auto bad_body = Send(bhttp::verb::post, "/oidc/token", "{\"grant_type\":1}",
                       {{"Content-Type", "application/json"}});
  EXPECT_EQ(bad_body.status, 400u);
  EXPECT_EQ(boost::json::parse(bad_body.body).as_object().at("error").as_string(),
            "invalid_request");
  auto no_client = Send(bhttp::verb::post, "/oidc/token", "grant_type=authorization_code&code=x");
  EXPECT_EQ(no_client.status, 401u);
  auto wrong = Send(bhttp::verb::post, "/oidc/token", "grant_type=authorization_code&code=x",
                    {{"Authorization", "Basic " + crypto::Base64Encode(client_.client_id + ":no")}});
  EXPECT_EQ(wrong.status, 401u);
  EXPECT_EQ(HeaderOf(wrong, "WWW-Authenticate"), "Basic realm=\"dancu\"");
  auto none = Send(bhttp::verb::get, "/oidc/userinfo");
  EXPECT_EQ(none.status, 401u);
  EXPECT_EQ(HeaderOf(none, "WWW-Authenticate"), "Bearer realm=\"dancu\"");
  std::string alg_none = crypto::Base64UrlEncode(R"({"alg":"none"})") + "." +
                         crypto::Base64UrlEncode(R"({"sub":"x","exp":9999999999})") + ".";
  auto forged = Send(bhttp::verb::get, "/oidc/userinfo", {}, {{"Authorization", "Bearer " + alg_none}});
  EXPECT_EQ(forged.status, 401u);
  EXPECT_NE(HeaderOf(forged, "WWW-Authenticate").find("error=\"invalid_token\""), std::string::npos);
  auto intro = Send(bhttp::verb::post, "/oidc/introspect", "token=" + alg_none,
                    {{"Authorization", "Basic " + crypto::Base64Encode(client_.client_id + ":" +
                                                                       client_.client_secret)}});
  ASSERT_EQ(intro.status, 200u);
  EXPECT_FALSE(boost::json::parse(intro.body).as_object().at("active").as_bool());
}

TEST_F(OidcEndpointsTest, RevokeThenUserinfoFails) {
  std::string cookie = SignIn();
  auto t = Exchange(ApprovedCode(cookie));
  std::string access(boost::json::parse(t.body).as_object().at("access_token").as_string());
  std::string basic = "Basic " + crypto::Base64Encode(client_.client_id + ":" + client_.client_secret);
  auto r = Send(bhttp::verb::post, "/oidc/revoke", "token=" + access, {{"Authorization", basic}});
  EXPECT_EQ(r.status, 200u);
  auto info = Send(bhttp::verb::get, "/oidc/userinfo", {}, {{"Authorization", "Bearer " + access}});
  EXPECT_EQ(info.status, 401u);
}

TEST_F(OidcEndpointsTest, EndSessionSignsTheBrowserOutAndReturnsOnlyToRegisteredUris) {
  std::string cookie = SignIn();
  auto t = Exchange(ApprovedCode(cookie));
  std::string id_token(boost::json::parse(t.body).as_object().at("id_token").as_string());
  auto evil = Send(bhttp::verb::get,
                   "/oidc/end_session?id_token_hint=" + id_token +
                       "&post_logout_redirect_uri=" + crypto::PercentEncode("https://evil.test/"),
                   {}, {{"Cookie", cookie}});
  EXPECT_EQ(evil.status, 400u);
  EXPECT_EQ(HeaderOf(evil, "Location"), "");
  EXPECT_TRUE(sessions_->Find(cookie.substr(cookie.find('=') + 1)));  // still signed in
  auto out = Send(bhttp::verb::get,
                  "/oidc/end_session?id_token_hint=" + id_token + "&post_logout_redirect_uri=" +
                      crypto::PercentEncode("https://rp.test/bye") + "&state=s9",
                  {}, {{"Cookie", cookie}});
  ASSERT_EQ(out.status, 302u);
  EXPECT_EQ(HeaderOf(out, "Location"), "https://rp.test/bye?state=s9");
  EXPECT_NE(HeaderOf(out, "Set-Cookie").find("dancu_session=;"), std::string::npos);
  EXPECT_FALSE(sessions_->Find(cookie.substr(cookie.find('=') + 1)));
}

TEST_F(OidcEndpointsTest, EndSessionWithoutAHintAsksForConfirmation) {
  std::string cookie = SignIn();
  std::string session = cookie.substr(cookie.find('=') + 1);
  auto page = Send(bhttp::verb::get,
                   "/oidc/end_session?client_id=" + client_.client_id +
                       "&post_logout_redirect_uri=" + crypto::PercentEncode("https://rp.test/bye"),
                   {}, {{"Cookie", cookie}});
  ASSERT_EQ(page.status, 200u);
  EXPECT_TRUE(sessions_->Find(session));  // a link alone signs nobody out
  // A forged POST without the CSRF token changes nothing.
  auto forged = Send(bhttp::verb::post, "/oidc/end_session", "confirm=1", {{"Cookie", cookie}});
  EXPECT_EQ(forged.status, 403u);
  EXPECT_TRUE(sessions_->Find(session));
  std::string set_cookie = HeaderOf(page, "Set-Cookie");
  std::string csrf_cookie = set_cookie.substr(0, set_cookie.find(';'));
  auto confirmed = Send(bhttp::verb::post, "/oidc/end_session",
                        "confirm=1&csrf=" + crypto::PercentEncode(HiddenValue(page.body, "csrf")) +
                            "&client_id=" + client_.client_id + "&post_logout_redirect_uri=" +
                            crypto::PercentEncode("https://rp.test/bye"),
                        {{"Cookie", cookie + "; " + csrf_cookie}});
  ASSERT_EQ(confirmed.status, 302u) << confirmed.body;
  EXPECT_EQ(HeaderOf(confirmed, "Location"), "https://rp.test/bye");
  EXPECT_FALSE(sessions_->Find(session));
}

TEST_F(OidcEndpointsTest, AdminClientsApi) {
  http::Principal admin{http::Principal::Kind::kAdmin, "admin"};
  http::Principal agency{http::Principal::Kind::kAgency, "tax"};
  std::string body = R"({"name":"Thuế","redirect_uris":["https://thue.test/cb"],)"
                     R"("scopes":"openid profile","min_level":2})";
  auto denied = Send(bhttp::verb::post, "/v1/admin/clients", body,
                     {{"Content-Type", "application/json"}}, agency);
  EXPECT_EQ(denied.status, 403u);
  auto made = Send(bhttp::verb::post, "/v1/admin/clients", body,
                   {{"Content-Type", "application/json"}}, admin);
  ASSERT_EQ(made.status, 201u) << made.body;
  auto j = boost::json::parse(made.body).as_object();
  EXPECT_TRUE(j.at("client_secret").as_string().starts_with("dancu_cs_"));
  EXPECT_EQ(j.at("min_level").as_int64(), 2);
  auto bad = Send(bhttp::verb::post, "/v1/admin/clients",
                  R"({"name":"X","redirect_uris":["http://x.test/cb"],"scopes":["openid"]})",
                  {{"Content-Type", "application/json"}}, admin);
  EXPECT_EQ(bad.status, 400u);
  EXPECT_NE(bad.body.find("client.bad_redirect_uri"), std::string::npos);
  auto list = Send(bhttp::verb::get, "/v1/admin/clients", {}, {}, admin);
  ASSERT_EQ(list.status, 200u);
  EXPECT_EQ(list.body.find("\"client_secret\""), std::string::npos);
  EXPECT_EQ(boost::json::parse(list.body).as_object().at("clients").as_array().size(), 2u);
}

}  // namespace
}  // namespace dancu::web
