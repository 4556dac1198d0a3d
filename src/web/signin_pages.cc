// GET/POST /signin (citizen id + password), POST /signin/otp (the TOTP step
// of level 2, also step-up), POST /signin/unlock, GET/POST /signout.
//
// /signin honours: return_to (local paths only, else /account: the
// open-redirect defence), level=2 (step-up: a signed-in level-1 session of
// a level-2 account is asked for a TOTP code only), prompt=login (sign in
// again even with a session), login_hint (pre-fills the citizen id).
#include <boost/beast/http/verb.hpp>
#include <spdlog/spdlog.h>

#include "identity/accounts.h"
#include "identity/sessions.h"
#include "web/account_pages.h"
#include "web/cookies.h"
#include "web/form.h"
#include "web/html.h"
#include "web/redirect.h"

namespace dancu::web::account_pages {
namespace {

using boost::beast::http::verb;

struct SignInView {
  std::string return_to = "/account";
  bool level2 = false;
  std::string citizen_id;
  std::vector<FieldMessage> errors;
  std::string notice;
  bool offer_unlock = false;
  unsigned status = 200;
};

// The relying party behind a return_to of the authorization endpoint, for
// the sign-in history ("" for dancu's own pages).
std::string ClientOf(std::string_view return_to) {
  size_t at = return_to.find("client_id=");
  if (at == std::string_view::npos || (at > 0 && return_to[at - 1] != '?' &&
                                       return_to[at - 1] != '&')) {
    return {};
  }
  std::string_view v = return_to.substr(at + 10);
  v = v.substr(0, v.find('&'));
  std::string out;
  for (char c : v.substr(0, 128)) {
    bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_' || c == '.';
    if (safe) out += c;
  }
  return out;
}

http::Response RenderSignIn(const WebDeps& deps, const http::RequestContext& ctx, Lang lang,
                            const SignInView& v) {
  auto token = deps.csrf.Issue(ctx);
  std::string body = ErrorSummary(lang, v.errors);
  if (!v.notice.empty()) body += "<p class=\"notice\" role=\"status\">" + Escape(v.notice) + "</p>";
  const bool id_error = !v.errors.empty() && v.errors[0].field_id == "citizen_id";
  body += "<form method=\"post\" action=\"/signin\" novalidate>";
  body += Csrf::HiddenField(token) + Hidden("return_to", v.return_to);
  if (v.level2) body += Hidden("level", "2");
  body += Input("citizen_id", Pick(lang, "Số định danh cá nhân", "Personal identification number"),
                "text", v.citizen_id, "username", id_error,
                Pick(lang, "12 chữ số, trên thẻ căn cước", "12 digits, on your identity card"));
  body += Input("password", Pick(lang, "Mật khẩu", "Password"), "password", "",
                "current-password", !v.errors.empty() && v.errors[0].field_id == "password");
  body += "<button type=\"submit\">" + std::string(Pick(lang, "Đăng nhập", "Sign in")) +
          "</button></form>";
  if (v.offer_unlock) {
    body += "<h2>" + std::string(Pick(lang, "Mở khóa tài khoản", "Unlock the account")) + "</h2>";
    body += "<form method=\"post\" action=\"/signin/unlock\" novalidate>";
    body += Csrf::HiddenField(token) + Hidden("return_to", v.return_to);
    body += Input("unlock_citizen_id",
                  Pick(lang, "Số định danh cá nhân", "Personal identification number"), "text",
                  v.citizen_id, "username");
    body += Input("unlock_password", Pick(lang, "Mật khẩu", "Password"), "password", "",
                  "current-password");
    body += "<button type=\"submit\" class=\"secondary\">" +
            std::string(Pick(lang, "Mở khóa", "Unlock")) + "</button></form>";
  }
  body += "<p>" + std::string(Pick(lang, "Chưa có tài khoản?", "No account yet?")) +
          " <a href=\"/register\">" +
          std::string(Pick(lang, "Đăng ký tài khoản định danh điện tử",
                           "Register an electronic identity account")) +
          "</a></p>";
  http::Response r = HtmlPage(ctx, lang, v.status, Pick(lang, "Đăng nhập", "Sign in"), body);
  Csrf::Apply(token, r);
  return r;
}

http::Response RenderOtp(const WebDeps& deps, const http::RequestContext& ctx, Lang lang,
                         std::string_view pending, std::string_view return_to,
                         const std::vector<FieldMessage>& errors, unsigned status) {
  auto token = deps.csrf.Issue(ctx);
  std::string body = ErrorSummary(lang, errors);
  body += "<p>" +
          std::string(Pick(lang,
                           "Tài khoản mức 2: nhập mã 6 chữ số trong ứng dụng xác thực của bạn.",
                           "Level-2 account: enter the 6-digit code from your authenticator app.")) +
          "</p>";
  body += "<form method=\"post\" action=\"/signin/otp\" novalidate>";
  body += Csrf::HiddenField(token) + Hidden("pending", pending) + Hidden("return_to", return_to);
  body += "<label for=\"code\">" + std::string(Pick(lang, "Mã xác thực", "Verification code")) +
          "</label><input id=\"code\" name=\"code\" type=\"text\" inputmode=\"numeric\" "
          "pattern=\"[0-9]{6}\" maxlength=\"6\" autocomplete=\"one-time-code\" required" +
          std::string(errors.empty() ? "" : " aria-invalid=\"true\"") + ">";
  body += "<button type=\"submit\">" + std::string(Pick(lang, "Xác nhận", "Confirm")) +
          "</button></form>";
  http::Response r = HtmlPage(ctx, lang, status,
                              Pick(lang, "Xác thực hai lớp", "Two-step verification"), body);
  Csrf::Apply(token, r);
  return r;
}

identity::AttemptContext Attempt(const http::RequestContext& ctx, std::string_view return_to) {
  return identity::AttemptContext{ctx.remote_address(), ClientOf(return_to)};
}

http::Response SignInError(const WebDeps& deps, const http::RequestContext& ctx, Lang lang,
                           SignInView v, const Error& e) {
  if (ErrorStatus(e) == 500) {
    spdlog::error("web: sign-in failed: {} ({})", e.message, e.code);
  }
  v.errors.push_back({e.field == "citizen_id" ? "citizen_id" : "password", ErrorText(lang, e)});
  v.status = ErrorStatus(e);
  v.offer_unlock = e.code == "identity.account_locked";
  http::Response r = RenderSignIn(deps, ctx, lang, v);
  AddRetryAfter(e, r);
  return r;
}

}  // namespace

void AddSignInPages(http::Router& router, const WebDeps& deps) {
  router.Add(
      verb::get, "/signin",
      [deps](http::RequestContext& ctx) {
        const Lang lang = PickLang(ctx);
        SignInView v;
        v.return_to = SafeReturnTo(ctx.query("return_to").value_or("/account"));
        v.level2 = ctx.query("level").value_or("") == "2";
        const bool prompt_login = ctx.query("prompt").value_or("") == "login";
        if (auto hint = ctx.query("login_hint"); hint && CitizenId::Parse(*hint)) {
          v.citizen_id = *hint;
        }
        if (auto current = CurrentSession(deps, ctx); current && !prompt_login) {
          if (!v.level2 || current->session.level == identity::Level::kTwo) {
            return SeeOther(v.return_to);
          }
          // Step-up: the signed-in citizen proves the second factor only.
          auto pending = deps.accounts->BeginStepUp(current->account.id,
                                                    Attempt(ctx, v.return_to));
          if (!pending) {
            return MessagePage(ctx, lang, ErrorStatus(pending.error()),
                               Pick(lang, "Cần tài khoản mức 2", "Level 2 needed"),
                               ErrorText(lang, pending.error()));
          }
          return RenderOtp(deps, ctx, lang, *pending, v.return_to, {}, 200);
        }
        return RenderSignIn(deps, ctx, lang, v);
      },
      http::Access::kPublic);

  router.Add(
      verb::post, "/signin",
      [deps](http::RequestContext& ctx) {
        const Lang lang = PickLang(ctx);
        auto checked = CheckedForm(deps, ctx, lang);
        if (auto* r = std::get_if<http::Response>(&checked)) return std::move(*r);
        const Form& form = std::get<Form>(checked);
        SignInView v;
        v.return_to = SafeReturnTo(form.GetOr("return_to", "/account"));
        v.level2 = form.GetOr("level") == "2";
        v.citizen_id = std::string(form.GetOr("citizen_id"));
        const identity::AttemptContext attempt = Attempt(ctx, v.return_to);
        auto result = deps.accounts->SignIn(v.citizen_id, form.GetOr("password"), attempt);
        if (!result) return SignInError(deps, ctx, lang, v, result.error());
        if (result->needs_second_factor()) {
          return RenderOtp(deps, ctx, lang, result->pending_token, v.return_to, {}, 200);
        }
        return SignedIn(deps, ctx, *result->account, identity::Level::kOne, {"pwd"},
                        v.return_to);
      },
      http::Access::kPublic);

  router.Add(
      verb::post, "/signin/otp",
      [deps](http::RequestContext& ctx) {
        const Lang lang = PickLang(ctx);
        auto checked = CheckedForm(deps, ctx, lang);
        if (auto* r = std::get_if<http::Response>(&checked)) return std::move(*r);
        const Form& form = std::get<Form>(checked);
        const std::string return_to = SafeReturnTo(form.GetOr("return_to", "/account"));
        const std::string pending(form.GetOr("pending"));
        auto account = deps.accounts->VerifySecondFactor(pending, form.GetOr("code"),
                                                         Attempt(ctx, return_to));
        if (!account) {
          const Error& e = account.error();
          if (e.code == "identity.otp_wrong" || e.code == "identity.otp_replayed") {
            http::Response r = RenderOtp(deps, ctx, lang, pending, return_to,
                                         {{"code", ErrorText(lang, e)}}, ErrorStatus(e));
            return r;
          }
          SignInView v;
          v.return_to = return_to;
          return SignInError(deps, ctx, lang, v, e);
        }
        return SignedIn(deps, ctx, *account, identity::Level::kTwo, {"pwd", "otp"}, return_to);
      },
      http::Access::kPublic);

  router.Add(
      verb::post, "/signin/unlock",
      [deps](http::RequestContext& ctx) {
        const Lang lang = PickLang(ctx);
        auto checked = CheckedForm(deps, ctx, lang);
        if (auto* r = std::get_if<http::Response>(&checked)) return std::move(*r);
        const Form& form = std::get<Form>(checked);
        SignInView v;
        v.return_to = SafeReturnTo(form.GetOr("return_to", "/account"));
        v.citizen_id = std::string(form.GetOr("unlock_citizen_id"));
        auto s = deps.accounts->Unlock(v.citizen_id, form.GetOr("unlock_password"),
                                       Attempt(ctx, v.return_to));
        if (!s) return SignInError(deps, ctx, lang, v, s.error());
        v.notice = Pick(lang, "Tài khoản đã được mở khóa. Bạn có thể đăng nhập.",
                        "The account is unlocked. You can sign in.");
        return RenderSignIn(deps, ctx, lang, v);
      },
      http::Access::kPublic);

  router.Add(
      verb::get, "/signout",
      [deps](http::RequestContext& ctx) {
        const Lang lang = PickLang(ctx);
        if (!CurrentSession(deps, ctx)) return SeeOther("/signin");
        auto token = deps.csrf.Issue(ctx);
        std::string body = "<form method=\"post\" action=\"/signout\">" +
                           Csrf::HiddenField(token) + "<button type=\"submit\">" +
                           std::string(Pick(lang, "Đăng xuất", "Sign out")) + "</button></form>";
        http::Response r = HtmlPage(ctx, lang, 200, Pick(lang, "Đăng xuất", "Sign out"), body);
        Csrf::Apply(token, r);
        return r;
      },
      http::Access::kPublic);

  router.Add(
      verb::post, "/signout",
      [deps](http::RequestContext& ctx) {
        const Lang lang = PickLang(ctx);
        auto checked = CheckedForm(deps, ctx, lang);
        if (auto* r = std::get_if<http::Response>(&checked)) return std::move(*r);
        if (auto cookie = GetCookie(ctx, kSessionCookie)) (void)deps.sessions->Revoke(*cookie);
        http::Response r = SeeOther("/signin");
        r.headers.emplace_back("Set-Cookie", ClearCookieValue(kSessionCookie));
        return r;
      },
      http::Access::kPublic);
}

}  // namespace dancu::web::account_pages
