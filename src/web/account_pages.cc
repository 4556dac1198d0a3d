// The citizen's pages (sign-in, registration, account) and the JSON views of
// the signed-in citizen (GET /v1/me, GET /v1/me/sign-ins); the shared
// helpers of account_pages.h.
#include "web/account_pages.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <spdlog/spdlog.h>

#include "identity/accounts.h"
#include "identity/sessions.h"
#include "identity/throttle.h"
#include "web/cookies.h"
#include "web/html.h"
#include "web/redirect.h"

namespace dancu::web {
namespace account_pages {

std::optional<Current> CurrentSession(const WebDeps& deps, const http::RequestContext& ctx) {
  auto cookie = GetCookie(ctx, kSessionCookie);
  if (!cookie) return std::nullopt;
  auto session = deps.sessions->Find(*cookie);
  if (!session) return std::nullopt;
  auto account = deps.accounts->Get(session->account_id);
  if (!account || account->disabled || account->locked) return std::nullopt;
  return Current{std::move(*session), std::move(*account)};
}

std::string SafeReturnTo(std::string_view return_to) {
  return IsLocalPath(return_to) ? std::string(return_to) : std::string("/account");
}

http::Response SignedIn(const WebDeps& deps, const http::RequestContext& ctx,
                        const identity::Account& account, identity::Level level,
                        std::vector<std::string> amr, std::string_view return_to) {
  if (auto old = GetCookie(ctx, kSessionCookie)) (void)deps.sessions->Revoke(*old);
  auto session = deps.sessions->Create(account, level, std::move(amr));
  if (!session) {
    spdlog::error("web: creating a session failed: {} ({})", session.error().message,
                  session.error().code);
    Lang lang = PickLang(ctx);
    return MessagePage(ctx, lang, 500, Pick(lang, "Lỗi hệ thống", "Server error"),
                       ErrorText(lang, session.error()));
  }
  http::Response r = SeeOther(SafeReturnTo(return_to));
  r.headers.emplace_back(
      "Set-Cookie",
      SetCookieValue(kSessionCookie, session->id,
                     std::chrono::duration_cast<std::chrono::seconds>(
                         identity::kSessionAbsolute)));
  return r;
}

namespace {

struct Text {
  std::string_view code, vi, en;
};

constexpr Text kTexts[] = {
    {"identity.registration_mismatch",
     "Thông tin không khớp với Cơ sở dữ liệu quốc gia về dân cư, hoặc người này không thể đăng ký "
     "tài khoản. Vui lòng kiểm tra lại.",
     "The details do not match the national population register, or this person cannot "
     "register an account. Please check them."},
    {"identity.bad_phone", "Số điện thoại di động không hợp lệ (ví dụ 0912345678).",
     "The mobile number is not valid (for example 0912345678)."},
    {"identity.bad_credentials", "Số định danh hoặc mật khẩu không đúng.",
     "The citizen id or the password is wrong."},
    {"identity.account_locked",
     "Tài khoản đang bị khóa bởi chính chủ. Bạn có thể mở khóa bằng mật khẩu bên dưới.",
     "This account is locked by its holder. You can unlock it with the password below."},
    {"identity.account_disabled",
     "Tài khoản đã bị vô hiệu hóa (Cơ sở dữ liệu dân cư ghi nhận chủ tài khoản đã mất, hoặc "
     "quản trị viên đã khóa).",
     "This account is disabled (the register records the holder's death, or an administrator "
     "disabled it)."},
    {"identity.code_wrong", "Mã xác thực không đúng.", "The code is wrong."},
    {"identity.code_expired", "Mã xác thực đã hết hạn (hiệu lực 10 phút). Vui lòng đăng ký lại.",
     "The code has expired (it is valid for 10 minutes). Please start again."},
    {"identity.code_attempts", "Nhập sai mã quá nhiều lần. Vui lòng đăng ký lại.",
     "Too many wrong codes. Please start again."},
    {"identity.code_required", "Vui lòng nhập mã đã gửi đến điện thoại trước.",
     "Please enter the code sent to your phone first."},
    {"identity.ticket_unknown", "Phiên đăng ký đã hết hạn hoặc không tồn tại. Vui lòng đăng ký lại.",
     "This registration has expired or is unknown. Please start again."},
    {"identity.already_registered",
     "Công dân này đã có tài khoản. Vui lòng đăng nhập (hoặc mở khóa nếu tài khoản bị khóa).",
     "This citizen already has an account. Please sign in (or unlock it if it is locked)."},
    {"identity.password_too_short", "Mật khẩu phải có ít nhất 8 ký tự.",
     "The password must have at least 8 characters."},
    {"identity.password_too_long", "Mật khẩu không được quá 128 ký tự.",
     "The password must have at most 128 characters."},
    {"identity.password_common",
     "Mật khẩu này quá phổ biến và dễ đoán. Hãy chọn mật khẩu khác, ví dụ một câu dài.",
     "This password is too common and easy to guess. Choose another, for example a long phrase."},
    {"identity.password_bad_encoding", "Mật khẩu chứa ký tự không hợp lệ.",
     "The password contains invalid characters."},
    {"identity.password_mismatch", "Hai mật khẩu không giống nhau.",
     "The two passwords are not the same."},
    {"identity.otp_wrong", "Mã từ ứng dụng xác thực không đúng.",
     "The code from the authenticator app is wrong."},
    {"identity.otp_replayed",
     "Mã này đã được dùng. Vui lòng chờ mã tiếp theo trong ứng dụng xác thực.",
     "This code was already used. Wait for the next code in your authenticator app."},
    {"identity.pending_unknown", "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.",
     "This sign-in has expired. Please sign in again."},
    {"identity.level_too_low",
     "Tài khoản của bạn ở mức 1. Để dùng mức 2, hãy đến cơ quan công an để được xác thực trực tiếp.",
     "Your account is level 1. For level 2, visit a police office to be checked in person."},
    {"identity.not_guardian", "Bạn không phải cha mẹ của trẻ em dưới 14 tuổi này.",
     "You are not a parent of this child under 14."},
    {"request.bad_form", "Biểu mẫu không hợp lệ.", "The form is not valid."},
};

}  // namespace

std::string ErrorText(Lang lang, const Error& e) {
  if (e.code == "identity.throttled") {
    const std::string seconds = std::to_string(identity::RetryAfterOf(e).count());
    return lang == Lang::kVi
               ? "Quá nhiều lần thử sai. Vui lòng thử lại sau " + seconds + " giây."
               : "Too many failed attempts. Please try again in " + seconds + " seconds.";
  }
  for (const Text& t : kTexts) {
    if (t.code == e.code) {
      std::string out(Pick(lang, t.vi, t.en));
      // The number of tries left is in the domain's message.
      if (e.code == "identity.code_wrong") {
        size_t semi = e.message.find("; ");
        if (semi != std::string::npos) {
          std::string left = e.message.substr(semi + 2, e.message.find(' ', semi + 2) - semi - 2);
          out += lang == Lang::kVi ? " Còn " + left + " lần thử." : " " + left + " tries left.";
        }
      }
      return out;
    }
  }
  if (e.code.starts_with("id.")) {
    return std::string(Pick(lang, "Số định danh cá nhân gồm đúng 12 chữ số.",
                            "The personal identification number is exactly 12 digits."));
  }
  if (e.code.starts_with("name.")) {
    return std::string(Pick(lang, "Họ và tên không hợp lệ.", "The full name is not valid."));
  }
  if (e.code.starts_with("date.")) {
    return std::string(Pick(lang, "Ngày sinh không hợp lệ (dạng YYYY-MM-DD).",
                            "The date of birth is not valid (YYYY-MM-DD)."));
  }
  return std::string(Pick(lang, "Đã xảy ra lỗi. Vui lòng thử lại sau.",
                          "Something went wrong. Please try again later."));
}

unsigned ErrorStatus(const Error& e) {
  if (e.code == "identity.throttled") return 429;
  if (e.code == "identity.bad_credentials" || e.code == "identity.otp_wrong" ||
      e.code == "identity.otp_replayed" || e.code == "identity.pending_unknown") {
    return 401;
  }
  if (e.code == "identity.account_locked" || e.code == "identity.account_disabled" ||
      e.code == "identity.not_guardian" || e.code == "identity.level_too_low") {
    return 403;
  }
  if (e.code == "identity.already_registered") return 409;
  if (e.code.starts_with("storage.") || e.code.starts_with("sms.") ||
      e.code.starts_with("crypto.")) {
    return 500;
  }
  return 400;
}

void AddRetryAfter(const Error& e, http::Response& r) {
  auto s = identity::RetryAfterOf(e);
  if (s.count() > 0) r.headers.emplace_back("Retry-After", std::to_string(s.count()));
}

std::string ErrorSummary(Lang lang, const std::vector<FieldMessage>& messages) {
  if (messages.empty()) return {};
  std::string out =
      "<div class=\"error\" role=\"alert\" aria-labelledby=\"error-summary-title\">"
      "<h2 id=\"error-summary-title\">";
  out += Pick(lang, "Có lỗi cần sửa", "There is a problem");
  out += "</h2><ul>";
  for (const FieldMessage& m : messages) {
    out += "<li>";
    if (!m.field_id.empty()) {
      out += "<a href=\"#" + Escape(m.field_id) + "\">" + Escape(m.text) + "</a>";
    } else {
      out += Escape(m.text);
    }
    out += "</li>";
  }
  out += "</ul></div>";
  return out;
}

std::string Input(std::string_view id, std::string_view label, std::string_view type,
                  std::string_view value, std::string_view autocomplete, bool error,
                  std::string_view hint) {
  std::string out = "<label for=\"" + std::string(id) + "\">" + Escape(label) + "</label>";
  if (!hint.empty()) {
    out += "<span class=\"hint\" id=\"" + std::string(id) + "-hint\">" + Escape(hint) + "</span>";
  }
  out += "<input id=\"" + std::string(id) + "\" name=\"" + std::string(id) + "\" type=\"" +
         std::string(type) + "\" value=\"" + Escape(value) + "\" autocomplete=\"" +
         std::string(autocomplete) + "\" required";
  if (!hint.empty()) out += " aria-describedby=\"" + std::string(id) + "-hint\"";
  if (error) out += " aria-invalid=\"true\"";
  out += ">";
  return out;
}

std::string Hidden(std::string_view name, std::string_view value) {
  return "<input type=\"hidden\" name=\"" + std::string(name) + "\" value=\"" + Escape(value) +
         "\">";
}

std::variant<Form, http::Response> CheckedForm(const WebDeps& deps,
                                               const http::RequestContext& ctx, Lang lang) {
  auto form = ParseFormRequest(ctx);
  if (!form) {
    return MessagePage(ctx, lang, 400, Pick(lang, "Biểu mẫu không hợp lệ", "Invalid form"),
                       ErrorText(lang, form.error()));
  }
  if (!deps.csrf.Valid(ctx, *form)) return CsrfFailurePage(ctx, lang);
  return std::move(*form);
}

}  // namespace account_pages

namespace {

using account_pages::CurrentSession;

boost::json::object AccountJson(const identity::Account& a, const identity::Session& s) {
  boost::json::object o;
  o["citizen_id"] = a.citizen_id.ToString();
  o["phone"] = a.phone;
  o["level"] = static_cast<int>(a.level);
  o["session_level"] = static_cast<int>(s.level);
  boost::json::array amr;
  for (const auto& m : s.amr) amr.emplace_back(m);
  o["amr"] = std::move(amr);
  o["auth_time"] = FormatTimestamp(s.auth_time);
  o["created_at"] = FormatTimestamp(a.created_at);
  o["locked"] = a.locked;
  return o;
}

http::Response Unauthenticated() {
  return http::ProblemResponse(401, "auth.unauthenticated",
                               "sign in first: no valid dancu_session cookie");
}

}  // namespace

void AddAccountPages(http::Router& router, const WebDeps& deps) {
  account_pages::AddSignInPages(router, deps);
  account_pages::AddRegistrationPages(router, deps);
  account_pages::AddAccountPage(router, deps);

  using boost::beast::http::verb;
  // The citizen's own account as JSON. kPublic routes that check the session
  // cookie here: kAuthenticated routes are for register staff, and a citizen
  // must never reach them.
  router.Add(
      verb::get, "/v1/me",
      [deps](http::RequestContext& ctx) {
        auto current = CurrentSession(deps, ctx);
        if (!current) return Unauthenticated();
        return http::JsonResponse(200, AccountJson(current->account, current->session));
      },
      http::Access::kPublic);
  router.Add(
      verb::get, "/v1/me/sign-ins",
      [deps](http::RequestContext& ctx) {
        auto current = CurrentSession(deps, ctx);
        if (!current) return Unauthenticated();
        auto history = deps.accounts->History(current->account.id, 100);
        if (!history) return http::ProblemResponse(history.error());
        boost::json::array items;
        for (const identity::SignInRecord& r : *history) {
          boost::json::object o;
          o["at"] = FormatTimestamp(r.at);
          o["ip"] = r.ip;
          o["outcome"] = r.outcome;
          o["method"] = r.method;
          o["client"] = r.client;
          items.emplace_back(std::move(o));
        }
        boost::json::object body;
        body["sign_ins"] = std::move(items);
        return http::JsonResponse(200, body);
      },
      http::Access::kPublic);
}

}  // namespace dancu::web
