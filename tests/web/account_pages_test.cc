// The citizen's pages and /v1/me, driven through the Router without sockets
// on the accounts fixture (tests/identity/accounts_fixture.h): registration
// in three pages, sign-in with the TOTP step, open-redirect defence, CSRF,
// throttling, lock, minors, cookies.
#include <gtest/gtest.h>

#include "crypto/encoding.h"

#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>

#include "crypto/totp.h"
#include "identity/accounts_fixture.h"
#include "identity/oidc_db.h"
#include "identity/oidc_provider.h"
#include "web/csrf.h"
#include "web/redirect.h"
#include "web/web.h"

namespace dancu::web {
namespace {

namespace bhttp = boost::beast::http;
using identity::testing::kPassword;

std::vector<std::string> HeadersOf(const http::Response& r, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& [k, v] : r.headers) {
    if (k == name) out.push_back(v);
  }
  return out;
}
std::string HeaderOf(const http::Response& r, std::string_view name) {
  auto all = HeadersOf(r, name);
  return all.empty() ? "" : all[0];
}

std::string HiddenValue(std::string_view html, std::string_view name) {
  std::string needle = "name=\"" + std::string(name) + "\" value=\"";
  size_t at = html.find(needle);
  if (at == std::string_view::npos) return {};
  std::string_view v = html.substr(at + needle.size());
  return std::string(v.substr(0, v.find('"')));  // tokens are base64url: nothing escaped
}

// A browser: keeps cookies, fills in the CSRF field of the last page.
class AccountPagesTest : public identity::testing::AccountsTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    if (HasFatalFailure()) return;
    deps_.emplace(WebDeps{*reg_, clock_, csrf_, accounts_.get(), sessions_.get(),
                          officers_.get(), nullptr});
    AddAccountPages(router_, *deps_);
  }

  http::Response Send(bhttp::verb method, std::string target, std::string body = {}) {
    http::Request req{method, target, 11};
    std::string cookie;
    for (const auto& [k, v] : jar_) cookie += (cookie.empty() ? "" : "; ") + k + "=" + v;
    if (!cookie.empty()) req.set(bhttp::field::cookie, cookie);
    if (method == bhttp::verb::post) {
      req.set(bhttp::field::content_type, "application/x-www-form-urlencoded");
    }
    req.body() = std::move(body);
    req.prepare_payload();
    auto ctx = http::RequestContext::MakeForTest(std::move(req), ip_);
    http::Response r = router_.Dispatch(ctx);
    for (const std::string& set : HeadersOf(r, "Set-Cookie")) {
      std::string pair = set.substr(0, set.find(';'));
      std::string name = pair.substr(0, pair.find('='));
      std::string value = pair.substr(pair.find('=') + 1);
      if (set.find("Max-Age=0") != std::string::npos) {
        jar_.erase(name);
      } else {
        jar_[name] = value;
      }
    }
    if (r.content_type.starts_with("text/html")) csrf_value_ = HiddenValue(r.body, "csrf");
    return r;
  }
  http::Response Get(std::string target) { return Send(bhttp::verb::get, std::move(target)); }
  // Posts a form with the CSRF field of the last page.
  http::Response Post(std::string target,
                      std::vector<std::pair<std::string, std::string>> fields) {
    std::string body = "csrf=" + crypto::PercentEncode(csrf_value_);
    for (const auto& [k, v] : fields) body += "&" + k + "=" + crypto::PercentEncode(v);
    return Send(bhttp::verb::post, std::move(target), std::move(body));
  }
  std::string RegisterThroughPages(const registry::Citizen& c) {
    Get("/register");
    auto r = Post("/register", {{"citizen_id", c.id.ToString()},
                                {"full_name", c.full_name.text()},
                                {"date_of_birth", c.date_of_birth.ToString()},
                                {"phone", "0912345678"}});
    EXPECT_EQ(r.status, 303u) << r.body;
    Get("/register/code");
    Post("/register/code", {{"code", LastCode()}});
    Get("/register/password");
    auto done = Post("/register/password",
                     {{"password", std::string(kPassword)},
                      {"password_confirm", std::string(kPassword)}});
    EXPECT_EQ(done.status, 303u) << done.body;
    return HeaderOf(done, "Location");
  }
  http::Response SignInThroughPages(const registry::Citizen& c, std::string_view password,
                                    std::string return_to = "/account") {
    Get("/signin");
    return Post("/signin", {{"citizen_id", c.id.ToString()},
                            {"password", std::string(password)},
                            {"return_to", std::move(return_to)}});
  }

  Csrf csrf_{std::string(32, 'c')};
  std::string issuer_ = "https://id.test";
  std::optional<WebDeps> deps_;
  http::Router router_;
  std::map<std::string, std::string> jar_;
  std::string csrf_value_;
  std::string ip_ = "203.0.113.7";
};

TEST_F(AccountPagesTest, RegisterInThreePagesThenSeeTheAccount) {
  auto form = Get("/register");
  ASSERT_EQ(form.status, 200u);
  EXPECT_NE(form.body.find("<label for=\"citizen_id\">"), std::string::npos);
  EXPECT_NE(form.body.find("<main"), std::string::npos);
  EXPECT_EQ(form.body.find("<script"), std::string::npos);

  auto start = Post("/register", {{"citizen_id", husband_.id.ToString()},
                                  {"full_name", "Nguyễn Văn An"},
                                  {"date_of_birth", "1985-03-14"},
                                  {"phone", "0912345678"}});
  ASSERT_EQ(start.status, 303u) << start.body;
  EXPECT_EQ(HeaderOf(start, "Location"), "/register/code");
  ASSERT_TRUE(jar_.contains("dancu_reg"));
  // The ticket is a cookie, never in a URL; the password page waits for the code.
  EXPECT_EQ(HeaderOf(Get("/register/password"), "Location"), "/register/code");

  ASSERT_EQ(Get("/register/code").status, 200u);
  auto wrong = Post("/register/code", {{"code", LastCode() == "000000" ? "000001" : "000000"}});
  EXPECT_EQ(wrong.status, 400u);
  EXPECT_NE(wrong.body.find("Còn 4 lần thử"), std::string::npos);
  auto code = Post("/register/code", {{"code", LastCode()}});
  ASSERT_EQ(code.status, 303u) << code.body;
  EXPECT_EQ(HeaderOf(code, "Location"), "/register/password");

  ASSERT_EQ(Get("/register/password").status, 200u);
  auto mismatch = Post("/register/password",
                       {{"password", "one long phrase"}, {"password_confirm", "another phrase"}});
  EXPECT_EQ(mismatch.status, 400u);
  auto common = Post("/register/password",
                     {{"password", "password123"}, {"password_confirm", "password123"}});
  EXPECT_EQ(common.status, 400u);
  EXPECT_NE(common.body.find("aria-invalid=\"true\""), std::string::npos);
  auto done = Post("/register/password", {{"password", std::string(kPassword)},
                                          {"password_confirm", std::string(kPassword)}});
  ASSERT_EQ(done.status, 303u) << done.body;
  EXPECT_EQ(HeaderOf(done, "Location"), "/account?welcome=1");
  bool session_cookie = false;
  for (const std::string& c : HeadersOf(done, "Set-Cookie")) {
    if (!c.starts_with("dancu_session=")) continue;
    session_cookie = true;
    EXPECT_NE(c.find("Secure"), std::string::npos) << c;
    EXPECT_NE(c.find("HttpOnly"), std::string::npos) << c;
    EXPECT_NE(c.find("SameSite=Lax"), std::string::npos) << c;
  }
  EXPECT_TRUE(session_cookie);
  EXPECT_FALSE(jar_.contains("dancu_reg"));

  auto account = Get("/account?welcome=1&lang=en");
  ASSERT_EQ(account.status, 200u);
  EXPECT_NE(account.body.find("Nguyễn Văn An"), std::string::npos);
  EXPECT_NE(account.body.find("Level 1"), std::string::npos);
  // The son (11) is listed as a minor.
  EXPECT_NE(account.body.find("/account/minors/" + son_.id.ToString()), std::string::npos);
}

TEST_F(AccountPagesTest, RegisterMismatchPageDoesNotSayWhichField) {
  Get("/register");
  auto r = Post("/register", {{"citizen_id", husband_.id.ToString()},
                              {"full_name", "Nguyễn Văn An"},
                              {"date_of_birth", "1985-03-15"},
                              {"phone", "0912345678"}});
  EXPECT_EQ(r.status, 400u);
  EXPECT_NE(r.body.find("không khớp"), std::string::npos);
  EXPECT_EQ(r.body.find("aria-invalid"), std::string::npos);  // no field marked
  for (std::string_view field : {"citizen_id", "full_name", "date_of_birth", "phone"}) {
    EXPECT_EQ(r.body.find("href=\"#" + std::string(field)), std::string::npos);  // none linked
  }
}

TEST_F(AccountPagesTest, FormsWithoutCsrfAreRefused) {
  Get("/signin");
  for (std::string path : {"/signin", "/register", "/register/code", "/register/password",
                           "/signin/otp", "/signin/unlock", "/account/lock", "/signout"}) {
    auto r = Send(bhttp::verb::post, path, "citizen_id=1&password=x");
    EXPECT_EQ(r.status, 403u) << path;
    auto forged = Send(bhttp::verb::post, path, "csrf=forged&citizen_id=1");
    EXPECT_EQ(forged.status, 403u) << path;
  }
}

TEST_F(AccountPagesTest, SignInRedirectsOnlyToLocalPaths) {
  Register(husband_);
  auto r = SignInThroughPages(husband_, kPassword, "https://evil.test/steal");
  ASSERT_EQ(r.status, 303u);
  EXPECT_EQ(HeaderOf(r, "Location"), "/account");
  r = SignInThroughPages(husband_, kPassword, "//evil.test/x");
  EXPECT_EQ(HeaderOf(r, "Location"), "/account");
  r = SignInThroughPages(husband_, kPassword, "/oidc/authorize?client_id=rp1&x=1");
  EXPECT_EQ(HeaderOf(r, "Location"), "/oidc/authorize?client_id=rp1&x=1");
  // The relying party is in the history.
  EXPECT_EQ(accounts_->History(husband_.id.number()).value()[0].client, "rp1");
  // Signed in: /signin goes straight on (unless prompt=login).
  EXPECT_EQ(HeaderOf(Get("/signin?return_to=%2Fsomewhere"), "Location"), "/somewhere");
  EXPECT_EQ(Get("/signin?return_to=%2Fsomewhere&prompt=login").status, 200u);
}

TEST_F(AccountPagesTest, LoginHintPrefillsTheCitizenId) {
  auto r = Get("/signin?login_hint=" + husband_.id.ToString());
  EXPECT_NE(r.body.find("value=\"" + husband_.id.ToString() + "\""), std::string::npos);
  r = Get("/signin?login_hint=%22%3E%3Cscript%3E");
  EXPECT_EQ(r.body.find("<script>"), std::string::npos);
}

TEST_F(AccountPagesTest, WrongPasswordThenThrottled) {
  Register(husband_);
  auto r = SignInThroughPages(husband_, "wrong password");
  EXPECT_EQ(r.status, 401u);
  EXPECT_NE(r.body.find("role=\"alert\""), std::string::npos);
  for (int i = 0; i < 4; ++i) SignInThroughPages(husband_, "wrong password");
  auto throttled = SignInThroughPages(husband_, kPassword);
  EXPECT_EQ(throttled.status, 429u);
  EXPECT_EQ(HeaderOf(throttled, "Retry-After"), "1");
}

TEST_F(AccountPagesTest, LevelTwoSignInAsksForTheCode) {
  Register(husband_);
  auto secret = Upgrade(husband_, AddOfficer("01")).secret;
  auto r = SignInThroughPages(husband_, kPassword);
  ASSERT_EQ(r.status, 200u);
  EXPECT_NE(r.body.find("autocomplete=\"one-time-code\""), std::string::npos);
  EXPECT_FALSE(jar_.contains("dancu_session"));
  const std::string pending = HiddenValue(r.body, "pending");
  const std::string code = crypto::TotpCode(secret, clock_.Now());
  auto ok = Post("/signin/otp", {{"pending", pending}, {"code", code}, {"return_to", "/account"}});
  ASSERT_EQ(ok.status, 303u) << ok.body;
  auto me = Get("/v1/me");
  ASSERT_EQ(me.status, 200u);
  auto j = boost::json::parse(me.body).as_object();
  EXPECT_EQ(j.at("session_level").as_int64(), 2);
  EXPECT_EQ(j.at("amr").as_array().size(), 2u);

  // The same code again: refused as a replay.
  jar_.erase("dancu_session");
  r = SignInThroughPages(husband_, kPassword);
  auto replay = Post("/signin/otp", {{"pending", HiddenValue(r.body, "pending")},
                                     {"code", code}, {"return_to", "/account"}});
  EXPECT_EQ(replay.status, 401u);
  EXPECT_NE(replay.body.find("đã được dùng"), std::string::npos);
}

TEST_F(AccountPagesTest, StepUpFromALevelOneSession) {
  identity::Account a = Register(husband_);
  ASSERT_EQ(SignInThroughPages(husband_, kPassword).status, 303u);  // level 1 session
  auto secret = Upgrade(husband_, AddOfficer("01")).secret;
  auto page = Get("/signin?level=2&return_to=%2Foidc%2Fauthorize%3Fx%3D1");
  ASSERT_EQ(page.status, 200u);
  ASSERT_NE(page.body.find("one-time-code"), std::string::npos);
  auto ok = Post("/signin/otp", {{"pending", HiddenValue(page.body, "pending")},
                                 {"code", crypto::TotpCode(secret, clock_.Now())},
                                 {"return_to", "/oidc/authorize?x=1"}});
  ASSERT_EQ(ok.status, 303u);
  EXPECT_EQ(HeaderOf(ok, "Location"), "/oidc/authorize?x=1");
  EXPECT_EQ(sessions_->Find(jar_["dancu_session"])->level, identity::Level::kTwo);
  (void)a;
}

TEST_F(AccountPagesTest, StepUpOfALevelOneAccountSaysWhy) {
  Register(husband_);
  SignInThroughPages(husband_, kPassword);
  auto page = Get("/signin?level=2");
  EXPECT_EQ(page.status, 403u);
  EXPECT_NE(page.body.find("mức 1"), std::string::npos);
}

TEST_F(AccountPagesTest, AccountNeedsASession) {
  auto r = Get("/account");
  EXPECT_EQ(r.status, 303u);
  EXPECT_EQ(HeaderOf(r, "Location"), "/signin?return_to=%2Faccount");
  EXPECT_EQ(Get("/v1/me").status, 401u);
  EXPECT_EQ(Get("/v1/me/sign-ins").status, 401u);
}

TEST_F(AccountPagesTest, SignInsAsJson) {
  Register(husband_);
  SignInThroughPages(husband_, "wrong password");
  SignInThroughPages(husband_, kPassword);
  auto r = Get("/v1/me/sign-ins");
  ASSERT_EQ(r.status, 200u);
  auto items = boost::json::parse(r.body).as_object().at("sign_ins").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].as_object().at("outcome").as_string(), "success");
  EXPECT_EQ(items[1].as_object().at("outcome").as_string(), "bad_password");
  EXPECT_EQ(items[0].as_object().at("ip").as_string(), "203.0.113.7");
}

TEST_F(AccountPagesTest, MinorsPage) {
  Register(husband_);
  SignInThroughPages(husband_, kPassword);
  auto r = Get("/account/minors/" + son_.id.ToString());
  ASSERT_EQ(r.status, 200u);
  EXPECT_NE(r.body.find("Nguyễn Văn Cường"), std::string::npos);
  EXPECT_EQ(Get("/account/minors/" + single_.id.ToString()).status, 403u);
  EXPECT_EQ(Get("/account/minors/garbage").status, 403u);
}

TEST_F(AccountPagesTest, LockSignsOutAndUnlockNeedsThePassword) {
  Register(husband_);
  SignInThroughPages(husband_, kPassword);
  Get("/account");
  auto locked = Post("/account/lock", {});
  ASSERT_EQ(locked.status, 200u);
  EXPECT_FALSE(jar_.contains("dancu_session"));
  auto r = SignInThroughPages(husband_, kPassword);
  EXPECT_EQ(r.status, 403u);
  EXPECT_NE(r.body.find("action=\"/signin/unlock\""), std::string::npos);
  auto unlock = Post("/signin/unlock", {{"unlock_citizen_id", husband_.id.ToString()},
                                        {"unlock_password", std::string(kPassword)}});
  EXPECT_EQ(unlock.status, 200u);
  EXPECT_EQ(SignInThroughPages(husband_, kPassword).status, 303u);
}

TEST_F(AccountPagesTest, SignOutEverywhere) {
  identity::Account a = Register(husband_);
  auto other = sessions_->Create(a, identity::Level::kOne, {"pwd"}).value();
  SignInThroughPages(husband_, kPassword);
  Get("/account");
  auto r = Post("/account/signout-everywhere", {});
  EXPECT_EQ(r.status, 303u);
  EXPECT_FALSE(sessions_->Find(other.id));
  EXPECT_EQ(Get("/account").status, 303u);
}

TEST_F(AccountPagesTest, SignOut) {
  Register(husband_);
  SignInThroughPages(husband_, kPassword);
  const std::string id = jar_["dancu_session"];
  ASSERT_EQ(Get("/signout").status, 200u);
  EXPECT_EQ(Post("/signout", {}).status, 303u);
  EXPECT_FALSE(sessions_->Find(id));
}

// With the OpenID provider wired in: the account page lists the relying
// parties the citizen consented to, and revokes one.
class AccountPageConsentsTest : public AccountPagesTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    if (HasFatalFailure()) return;
    odb_ = identity::OpenOidcDb(dir_.path()).value();
    auto p = identity::OidcProvider::Open(
        *odb_, *box_, *reg_, [this](int64_t id) { return accounts_->Get(id); }, clock_, issuer_);
    ASSERT_TRUE(p) << p.error().message;
    oidc_ = std::move(*p);
    deps_.emplace(WebDeps{*reg_, clock_, csrf_, accounts_.get(), sessions_.get(),
                          officers_.get(), oidc_.get()});
    AddAccountPages(router_, *deps_);
  }
  void TearDown() override {
    oidc_.reset();
    AccountPagesTest::TearDown();
  }
  std::unique_ptr<storage::Database> odb_;
  std::unique_ptr<identity::OidcProvider> oidc_;
};

TEST_F(AccountPageConsentsTest, ListAndRevoke) {
  identity::Account a = Register(husband_);
  identity::ClientSpec spec;
  spec.name = "Cổng <Dịch vụ công>";
  spec.redirect_uris = {"https://rp.test/cb"};
  spec.scopes = {"openid", "profile"};
  auto client = oidc_->clients().Add(spec).value();
  ASSERT_TRUE(oidc_->consents().Grant(a.id, client.client_id, {"openid", "profile"}));
  SignInThroughPages(husband_, kPassword);
  auto page = Get("/account");
  ASSERT_EQ(page.status, 200u);
  EXPECT_NE(page.body.find("Cổng &lt;Dịch vụ công&gt;"), std::string::npos);  // escaped
  EXPECT_NE(page.body.find("openid, profile"), std::string::npos);
  auto r = Post("/account/consents/revoke", {{"client_id", client.client_id}});
  EXPECT_EQ(r.status, 303u);
  EXPECT_TRUE(oidc_->consents().List(a.id).value().empty());
}

}  // namespace
}  // namespace dancu::web
