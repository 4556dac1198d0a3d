#include <gtest/gtest.h>

#include "crypto/encoding.h"

#include <boost/beast/http.hpp>

#include "web/cookies.h"
#include "web/csrf.h"
#include "web/form.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/redirect.h"

namespace dancu::web {
namespace {

namespace bhttp = boost::beast::http;

http::RequestContext Get(std::string target, std::string cookie = {},
                         std::string accept_language = {}) {
  http::Request req{bhttp::verb::get, target, 11};
  if (!cookie.empty()) req.set(bhttp::field::cookie, cookie);
  if (!accept_language.empty()) req.set(bhttp::field::accept_language, accept_language);
  return http::RequestContext::MakeForTest(std::move(req));
}

std::string HeaderOf(const http::Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return {};
}

TEST(FormTest, DecodesPlusPercentAndKeepsOrder) {
  auto form = ParseForm("a=1+2&b=%C4%90%C3%A0o&a=3&empty=&flag");
  ASSERT_TRUE(form) << form.error().message;
  EXPECT_EQ(form->Get("a"), "1 2");
  EXPECT_EQ(form->Get("b"), "Đào");
  EXPECT_EQ(form->Count("a"), 2u);
  EXPECT_EQ(form->Get("empty"), "");
  EXPECT_EQ(form->Get("flag"), "");
  EXPECT_FALSE(form->Get("missing"));
  EXPECT_EQ(form->GetOr("missing", "x"), "x");
}

TEST(FormTest, RejectsBadEncodingAndOversizedFields) {
  auto bad = ParseForm("a=%ZZ");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "request.bad_form");
  EXPECT_FALSE(ParseForm("a=" + std::string(kMaxFormFieldBytes + 1, 'x')));
  EXPECT_TRUE(ParseForm("a=" + std::string(kMaxFormFieldBytes, 'x')));
  std::string many;
  for (size_t i = 0; i <= kMaxFormFields; ++i) many += "f" + std::to_string(i) + "=1&";
  EXPECT_FALSE(ParseForm(many));
}

TEST(FormTest, RequestNeedsTheFormContentType) {
  http::Request req{bhttp::verb::post, "/x", 11};
  req.body() = "a=1";
  auto ctx = http::RequestContext::MakeForTest(req);
  EXPECT_FALSE(ParseFormRequest(ctx));
  req.set(bhttp::field::content_type, "application/x-www-form-urlencoded; charset=UTF-8");
  auto ctx2 = http::RequestContext::MakeForTest(req);
  auto form = ParseFormRequest(ctx2);
  ASSERT_TRUE(form);
  EXPECT_EQ(form->Get("a"), "1");
}

TEST(CookieTest, ReadsOneCookieAmongMany) {
  auto ctx = Get("/", "a=1; dancu_session=abc ; b=\"q\"");
  EXPECT_EQ(GetCookie(ctx, "dancu_session"), "abc");
  EXPECT_EQ(GetCookie(ctx, "b"), "q");
  EXPECT_FALSE(GetCookie(ctx, "dancu"));
  EXPECT_FALSE(GetCookie(Get("/"), "a"));
}

TEST(CookieTest, SetCookieIsAlwaysSecureHttpOnlyAndSameSite) {
  std::string v = SetCookieValue("s", "v", std::chrono::seconds(60), SameSite::kStrict);
  EXPECT_EQ(v, "s=v; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=60");
  EXPECT_NE(SetCookieValue("s", "v").find("SameSite=Lax"), std::string::npos);
  EXPECT_NE(ClearCookieValue("s").find("Max-Age=0"), std::string::npos);
}

TEST(CsrfTest, TokenMatchesItsCookieOnly) {
  Csrf csrf;
  auto first = csrf.Issue(Get("/"));
  ASSERT_TRUE(first.set_cookie);
  std::string cookie_value = first.set_cookie->substr(0, first.set_cookie->find(';'));
  // The browser comes back with the cookie: the same token, no new cookie.
  auto again = csrf.Issue(Get("/", cookie_value));
  EXPECT_FALSE(again.set_cookie);
  EXPECT_EQ(again.value, first.value);

  auto post_with = [&](std::string cookie, std::string body) {
    auto form = ParseForm(body);
    return csrf.Valid(Get("/", cookie), *form);
  };
  EXPECT_TRUE(post_with(cookie_value, "csrf=" + first.value + "&x=1"));
  EXPECT_FALSE(post_with(cookie_value, "x=1"));                      // no token
  EXPECT_FALSE(post_with("", "csrf=" + first.value));                // no cookie
  EXPECT_FALSE(post_with(cookie_value, "csrf=" + first.value + "A"));  // altered
  // Another server key (another deployment) does not accept the token.
  Csrf other;
  auto form = ParseForm("csrf=" + first.value);
  EXPECT_FALSE(other.Valid(Get("/", cookie_value), *form));
  EXPECT_NE(Csrf::HiddenField(first).find("name=\"csrf\""), std::string::npos);
}

TEST(RedirectTest, OnlyLocalPathsAreSafeReturnTargets) {
  EXPECT_TRUE(IsLocalPath("/account"));
  EXPECT_TRUE(IsLocalPath("/oidc/authorize?client_id=a&redirect_uri=https%3A%2F%2Frp"));
  EXPECT_FALSE(IsLocalPath("//evil.example/"));
  EXPECT_FALSE(IsLocalPath("/\\evil.example"));
  EXPECT_FALSE(IsLocalPath("https://evil.example/"));
  EXPECT_FALSE(IsLocalPath("/a\r\nSet-Cookie: x=1"));
  EXPECT_FALSE(IsLocalPath(""));
  EXPECT_EQ(crypto::PercentEncode("/a b?c=đ"), "%2Fa%20b%3Fc%3D%C4%91");
  auto r = SeeOther("/account");
  EXPECT_EQ(r.status, 303u);
  EXPECT_EQ(HeaderOf(r, "Location"), "/account");
}

TEST(I18nTest, PicksLanguageByQueryLocalesCookieHeaderThenVietnamese) {
  EXPECT_EQ(PickLang(Get("/")), Lang::kVi);
  EXPECT_EQ(PickLang(Get("/?lang=en")), Lang::kEn);
  EXPECT_EQ(PickLang(Get("/?ui_locales=fr%20en")), Lang::kEn);
  EXPECT_EQ(PickLang(Get("/", "dancu_lang=en")), Lang::kEn);
  EXPECT_EQ(PickLang(Get("/", "dancu_lang=en", "vi")), Lang::kEn);
  EXPECT_EQ(PickLang(Get("/", "", "fr-FR,en-US;q=0.8")), Lang::kEn);
  EXPECT_EQ(PickLang(Get("/?lang=vi", "dancu_lang=en")), Lang::kVi);
  EXPECT_EQ(PickLang(Get("/?lang=xx")), Lang::kVi);
}

TEST(HtmlTest, EscapesAndWrapsInAnAccessibleDocument) {
  EXPECT_EQ(Escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  auto ctx = Get("/signin?return_to=%2Faccount&lang=en");
  auto r = HtmlPage(ctx, Lang::kEn, 200, "Sign <in>", "<p>x</p>");
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(r.body.find("<title>Sign &lt;in&gt; · dancu</title>"), std::string::npos);
  EXPECT_NE(r.body.find("<main id=\"main\">"), std::string::npos);
  EXPECT_EQ(r.body.find("<script"), std::string::npos);
  // The switch keeps the other parameters and replaces lang.
  EXPECT_NE(r.body.find("href=\"/signin?return_to=%2Faccount&amp;lang=vi\""), std::string::npos)
      << r.body;
  EXPECT_NE(HeaderOf(r, "Content-Security-Policy").find("frame-ancestors 'none'"),
            std::string::npos);
  EXPECT_EQ(HeaderOf(r, "X-Frame-Options"), "DENY");
  EXPECT_NE(HeaderOf(r, "Set-Cookie").find("dancu_lang=en"), std::string::npos);
  auto page = MessagePage(Get("/"), Lang::kVi, 400, "Lỗi", "<b>");
  EXPECT_EQ(page.status, 400u);
  EXPECT_NE(page.body.find("role=\"alert\">&lt;b&gt;"), std::string::npos);
  EXPECT_EQ(CsrfFailurePage(Get("/"), Lang::kEn).status, 403u);
}

}  // namespace
}  // namespace dancu::web

namespace dancu::web {
namespace {

TEST(FormTest, LastValueOfAViewIntoALargerBufferIsNotOverread) {
  // The view ends before "Y-----": the parse must not see past its end.
  std::string buffer = "code_challenge_method=S256Y-----";
  auto form = ParseForm(std::string_view(buffer).substr(0, buffer.size() - 6));
  ASSERT_TRUE(form);
  EXPECT_EQ(form->Get("code_challenge_method"), "S256");
  std::string plus = "a=1+2+3+++";
  auto form2 = ParseForm(std::string_view(plus).substr(0, 7));
  ASSERT_TRUE(form2);
  EXPECT_EQ(form2->Get("a"), "1 2 3");
}

}  // namespace
}  // namespace dancu::web
