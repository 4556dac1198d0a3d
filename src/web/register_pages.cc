// Level-1 registration in three pages (identity/accounts.h, "Registration"):
//   GET/POST /register           citizen id, full name, date of birth, phone
//   GET/POST /register/code      the one-time code sent by SMS
//   GET/POST /register/password  the password (twice), then signed in
// The ticket that ties the steps together lives in the `dancu_reg` cookie
// (HttpOnly, SameSite=Lax, 30 minutes), never in a URL (it would reach logs
// and Referer headers); the flow resumes from it on the same browser.
#include <boost/beast/http/verb.hpp>
#include <spdlog/spdlog.h>

#include "identity/accounts.h"
#include "web/account_pages.h"
#include "web/cookies.h"
#include "web/form.h"
#include "web/html.h"
#include "web/redirect.h"

namespace dancu::web::account_pages {
namespace {

using boost::beast::http::verb;

constexpr std::string_view kRegCookie = "dancu_reg";

struct RegisterView {
  std::string citizen_id, full_name, date_of_birth, phone;
  std::vector<FieldMessage> errors;
  unsigned status = 200;
};

bool HasError(const std::vector<FieldMessage>& errors, std::string_view field) {
  for (const auto& e : errors) {
    if (e.field_id == field) return true;
  }
  return false;
}

http::Response RenderRegister(const WebDeps& deps, const http::RequestContext& ctx, Lang lang,
                              const RegisterView& v) {
  auto token = deps.csrf.Issue(ctx);
  std::string body = ErrorSummary(lang, v.errors);
  body += "<p>" +
          std::string(Pick(lang,
                           "Nhập đúng thông tin như trong Cơ sở dữ liệu quốc gia về dân cư. Một mã "
                           "xác thực sẽ được gửi đến số điện thoại của bạn. Trẻ em dưới 14 tuổi "
                           "không tự đăng ký; cha mẹ thực hiện thay qua tài khoản của mình.",
                           "Enter your details as the national population register holds them. A "
                           "code will be sent to your phone. Children under 14 do not register; "
                           "their parents act for them from their own account.")) +
          "</p>";
  body += "<form method=\"post\" action=\"/register\" novalidate>" + Csrf::HiddenField(token);
  body += Input("citizen_id", Pick(lang, "Số định danh cá nhân", "Personal identification number"),
                "text", v.citizen_id, "off", HasError(v.errors, "citizen_id"),
                Pick(lang, "12 chữ số", "12 digits"));
  body += Input("full_name", Pick(lang, "Họ và tên", "Full name"), "text", v.full_name, "name",
                HasError(v.errors, "full_name"));
  body += Input("date_of_birth", Pick(lang, "Ngày sinh", "Date of birth"), "text",
                v.date_of_birth, "bday", HasError(v.errors, "date_of_birth"),
                Pick(lang, "Dạng YYYY-MM-DD, ví dụ 1985-03-14", "As YYYY-MM-DD, e.g. 1985-03-14"));
  body += Input("phone", Pick(lang, "Số điện thoại di động", "Mobile phone number"), "tel",
                v.phone, "tel", HasError(v.errors, "phone"),
                Pick(lang, "Ví dụ 0912345678", "For example 0912345678"));
  body += "<button type=\"submit\">" + std::string(Pick(lang, "Gửi mã xác thực", "Send the code")) +
          "</button></form>";
  body += "<p><a href=\"/signin\">" +
          std::string(Pick(lang, "Đã có tài khoản? Đăng nhập", "Already registered? Sign in")) +
          "</a></p>";
  http::Response r =
      HtmlPage(ctx, lang, v.status, Pick(lang, "Đăng ký tài khoản", "Register an account"), body);
  Csrf::Apply(token, r);
  return r;
}

http::Response RenderCode(const WebDeps& deps, const http::RequestContext& ctx, Lang lang,
                          const std::vector<FieldMessage>& errors, unsigned status) {
  auto token = deps.csrf.Issue(ctx);
  std::string body = ErrorSummary(lang, errors);
  body += "<p>" +
          std::string(Pick(lang,
                           "Chúng tôi đã gửi mã 6 chữ số đến điện thoại của bạn. Mã có hiệu lực 10 "
                           "phút.",
                           "We sent a 6-digit code to your phone. It is valid for 10 minutes.")) +
          "</p>";
  body += "<form method=\"post\" action=\"/register/code\" novalidate>" +
          Csrf::HiddenField(token);
  body += "<label for=\"code\">" + std::string(Pick(lang, "Mã xác thực", "Code")) +
          "</label><input id=\"code\" name=\"code\" type=\"text\" inputmode=\"numeric\" "
          "maxlength=\"6\" autocomplete=\"one-time-code\" required" +
          std::string(errors.empty() ? "" : " aria-invalid=\"true\"") + ">";
  body += "<button type=\"submit\">" + std::string(Pick(lang, "Xác nhận", "Confirm")) +
          "</button></form>";
  http::Response r =
      HtmlPage(ctx, lang, status, Pick(lang, "Nhập mã xác thực", "Enter the code"), body);
  Csrf::Apply(token, r);
  return r;
}

http::Response RenderPassword(const WebDeps& deps, const http::RequestContext& ctx, Lang lang,
                              const std::vector<FieldMessage>& errors, unsigned status) {
  auto token = deps.csrf.Issue(ctx);
  std::string body = ErrorSummary(lang, errors);
  body += "<form method=\"post\" action=\"/register/password\" novalidate>" +
          Csrf::HiddenField(token);
  body += Input("password", Pick(lang, "Mật khẩu", "Password"), "password", "", "new-password",
                HasError(errors, "password"),
                Pick(lang, "Ít nhất 8 ký tự; một câu dài dễ nhớ là lựa chọn tốt.",
                     "At least 8 characters; a long phrase you remember is a good choice."));
  body += Input("password_confirm", Pick(lang, "Nhập lại mật khẩu", "Repeat the password"),
                "password", "", "new-password", HasError(errors, "password_confirm"));
  body += "<button type=\"submit\">" + std::string(Pick(lang, "Tạo tài khoản", "Create the account")) +
          "</button></form>";
  http::Response r =
      HtmlPage(ctx, lang, status, Pick(lang, "Đặt mật khẩu", "Choose a password"), body);
  Csrf::Apply(token, r);
  return r;
}

// The end of a registration that cannot go on: a message, a link, and the
// ticket cookie cleared.
http::Response Dead(const http::RequestContext& ctx, Lang lang, const Error& e) {
  const bool registered = e.code == "identity.already_registered";
  std::string body = "<p class=\"error\" role=\"alert\">" + Escape(ErrorText(lang, e)) + "</p>";
  body += registered ? "<p><a href=\"/signin\">" + std::string(Pick(lang, "Đăng nhập", "Sign in")) +
                           "</a></p>"
                     : "<p><a href=\"/register\">" +
                           std::string(Pick(lang, "Đăng ký lại", "Start again")) + "</a></p>";
  http::Response r = HtmlPage(ctx, lang, ErrorStatus(e),
                              Pick(lang, "Không thể tiếp tục đăng ký", "Registration stopped"),
                              body);
  r.headers.emplace_back("Set-Cookie", ClearCookieValue(kRegCookie));
  return r;
}

std::string Ticket(const http::RequestContext& ctx) {
  return std::string(GetCookie(ctx, kRegCookie).value_or(""));
}

}  // namespace

void AddRegistrationPages(http::Router& router, const WebDeps& deps) {
  router.Add(
      verb::get, "/register",
      [deps](http::RequestContext& ctx) {
        return RenderRegister(deps, ctx, PickLang(ctx), RegisterView{});
      },
      http::Access::kPublic);

  router.Add(
      verb::post, "/register",
      [deps](http::RequestContext& ctx) {
        const Lang lang = PickLang(ctx);
        auto checked = CheckedForm(deps, ctx, lang);
        if (auto* r = std::get_if<http::Response>(&checked)) return std::move(*r);
        const Form& form = std::get<Form>(checked);
        RegisterView v{std::string(form.GetOr("citizen_id")), std::string(form.GetOr("full_name")),
                       std::string(form.GetOr("date_of_birth")), std::string(form.GetOr("phone")),
                       {}, 200};
        auto ticket = deps.accounts->StartRegistration(
            identity::RegistrationRequest{v.citizen_id, v.full_name, v.date_of_birth, v.phone},
            identity::AttemptContext{ctx.remote_address(), ""});
        if (!ticket) {
          const Error& e = ticket.error();
          if (ErrorStatus(e) == 500) spdlog::error("web: registration failed: {} ({})", e.message, e.code);
          // The register mismatch names no field, on purpose.
          v.errors.push_back({e.field, ErrorText(lang, e)});
          v.status = ErrorStatus(e);
          http::Response r = RenderRegister(deps, ctx, lang, v);
          AddRetryAfter(e, r);
          return r;
        }
        http::Response r = SeeOther("/register/code");
        r.headers.emplace_back(
            "Set-Cookie",
            SetCookieValue(kRegCookie, *ticket,
                           std::chrono::duration_cast<std::chrono::seconds>(
                               identity::kTicketLifetime)));
        return r;
      },
      http::Access::kPublic);

  router.Add(
      verb::get, "/register/code",
      [deps](http::RequestContext& ctx) {
        switch (deps.accounts->GetTicketState(Ticket(ctx))) {
          case identity::Accounts::TicketState::kUnknown: return SeeOther("/register");
          case identity::Accounts::TicketState::kConfirmed: return SeeOther("/register/password");
          case identity::Accounts::TicketState::kCodeSent: break;
        }
        return RenderCode(deps, ctx, PickLang(ctx), {}, 200);
      },
      http::Access::kPublic);

  router.Add(
      verb::post, "/register/code",
      [deps](http::RequestContext& ctx) {
        const Lang lang = PickLang(ctx);
        auto checked = CheckedForm(deps, ctx, lang);
        if (auto* r = std::get_if<http::Response>(&checked)) return std::move(*r);
        const Form& form = std::get<Form>(checked);
        auto s = deps.accounts->ConfirmCode(Ticket(ctx), form.GetOr("code"));
        if (!s) {
          const Error& e = s.error();
          if (e.code == "identity.code_wrong") {
            return RenderCode(deps, ctx, lang, {{"code", ErrorText(lang, e)}}, 400);
          }
          return Dead(ctx, lang, e);
        }
        return SeeOther("/register/password");
      },
      http::Access::kPublic);

  router.Add(
      verb::get, "/register/password",
      [deps](http::RequestContext& ctx) {
        switch (deps.accounts->GetTicketState(Ticket(ctx))) {
          case identity::Accounts::TicketState::kUnknown: return SeeOther("/register");
          case identity::Accounts::TicketState::kCodeSent: return SeeOther("/register/code");
          case identity::Accounts::TicketState::kConfirmed: break;
        }
        return RenderPassword(deps, ctx, PickLang(ctx), {}, 200);
      },
      http::Access::kPublic);

  router.Add(
      verb::post, "/register/password",
      [deps](http::RequestContext& ctx) {
        const Lang lang = PickLang(ctx);
        auto checked = CheckedForm(deps, ctx, lang);
        if (auto* r = std::get_if<http::Response>(&checked)) return std::move(*r);
        const Form& form = std::get<Form>(checked);
        if (form.GetOr("password") != form.GetOr("password_confirm")) {
          Error e{"identity.password_mismatch", "the passwords differ", "password_confirm"};
          return RenderPassword(deps, ctx, lang, {{"password_confirm", ErrorText(lang, e)}}, 400);
        }
        auto account = deps.accounts->CompleteRegistration(Ticket(ctx), form.GetOr("password"));
        if (!account) {
          const Error& e = account.error();
          if (e.code.starts_with("identity.password_")) {
            return RenderPassword(deps, ctx, lang, {{"password", ErrorText(lang, e)}}, 400);
          }
          if (ErrorStatus(e) == 500) spdlog::error("web: registration failed: {} ({})", e.message, e.code);
          return Dead(ctx, lang, e);
        }
        http::Response r =
            SignedIn(deps, ctx, *account, identity::Level::kOne, {"pwd"}, "/account?welcome=1");
        r.headers.emplace_back("Set-Cookie", ClearCookieValue(kRegCookie));
        return r;
      },
      http::Access::kPublic);
}

}  // namespace dancu::web::account_pages
