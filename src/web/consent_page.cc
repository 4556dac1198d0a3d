// The consent page (issue 4, "Scopes and claims"): before a relying party
// first receives a citizen's data, the page names the client (with its
// logo) and lists exactly the claims it will receive, with their values,
// and the citizen approves or denies. POST /oidc/consent carries the
// original authorization request, which is validated again in full (the
// form is only a page in between), and a CSRF token. An approval is
// remembered (identity/consents.h) until the citizen revokes it on /account;
// prompt=consent asks again.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/serialize.hpp>

#include "identity/accounts.h"
#include "identity/claims.h"
#include "identity/oidc_provider.h"
#include "web/csrf.h"
#include "web/form.h"
#include "web/html.h"
#include "web/oidc_web.h"
#include "web/redirect.h"

namespace dancu::web {
namespace {

using boost::beast::http::verb;
using identity::Params;

struct Label {
  std::string_view claim, vi, en;
};
constexpr Label kLabels[] = {
    {"citizen_id", "Số định danh cá nhân", "Personal identification number"},
    {"name", "Họ và tên", "Full name"},
    {"family_name", "Họ", "Family name"},
    {"middle_name", "Tên đệm", "Middle name"},
    {"given_name", "Tên", "Given name"},
    {"gender", "Giới tính", "Sex"},
    {"birthdate", "Ngày sinh", "Date of birth"},
    {"address", "Nơi thường trú", "Permanent residence"},
    {"phone_number", "Số điện thoại (đã xác minh)", "Phone number (verified)"},
};

std::string ValueText(Lang lang, std::string_view claim, const boost::json::value& v) {
  if (claim == "gender" && v.is_string()) {
    return std::string(v.as_string() == "male" ? Pick(lang, "Nam", "Male")
                                               : Pick(lang, "Nữ", "Female"));
  }
  if (claim == "address" && v.is_object()) {
    const auto* f = v.as_object().if_contains("formatted");
    return f && f->is_string() ? std::string(f->as_string()) : std::string();
  }
  if (v.is_string()) return std::string(v.as_string());
  return boost::json::serialize(v);
}

http::Response ServerErrorPage(const http::RequestContext& ctx, Lang lang, const Error& e) {
  spdlog::error("oidc consent: {} ({})", e.message, e.code);
  return MessagePage(ctx, lang, 500, Pick(lang, "Lỗi hệ thống", "Server error"),
                     Pick(lang, "Xin thử lại sau.", "Please try again later."));
}

// POST /oidc/consent
http::Response PostConsent(const WebDeps& deps, http::RequestContext& ctx) {
  Lang lang = PickLang(ctx);
  auto form = ParseFormRequest(ctx);
  if (!form) {
    return MessagePage(ctx, lang, 400, Pick(lang, "Yêu cầu không hợp lệ", "Invalid request"),
                       Pick(lang, "Biểu mẫu không đọc được.", "The form could not be read."));
  }
  if (!deps.csrf.Valid(ctx, *form)) return CsrfFailurePage(ctx, lang);
  auto original = ParseForm(form->GetOr("request"));
  if (!original) {
    return MessagePage(ctx, lang, 400, Pick(lang, "Yêu cầu không hợp lệ", "Invalid request"),
                       Pick(lang, "Biểu mẫu không đọc được.", "The form could not be read."));
  }
  const Params& params = original->fields();
  auto request = deps.oidc->ParseAuthorizationRequest(params);
  if (!request) {
    return oidc::AuthorizationErrorResponse(deps, ctx, lang, request.error());
  }
  lang = oidc::RequestLang(ctx, &*request);
  std::string_view decision = form->GetOr("decision");
  if (decision == "deny") {
    return Found(deps.oidc->ErrorRedirect(identity::AuthorizationError{
        true, "access_denied", "the user declined to share the requested information",
        request->redirect_uri, request->state}));
  }
  if (decision != "approve") {
    return MessagePage(ctx, lang, 400, Pick(lang, "Yêu cầu không hợp lệ", "Invalid request"),
                       Pick(lang, "Hãy chọn Đồng ý hoặc Từ chối.", "Choose Allow or Deny."));
  }
  // No session any more (signed out in another tab, expired): Continue
  // sends the browser to sign in, then back to the authorization request.
  return oidc::Continue(deps, ctx, lang, *request, params, true);
}

}  // namespace

namespace oidc {

http::Response ConsentPage(const WebDeps& deps, const http::RequestContext& ctx, Lang lang,
                           const identity::AuthorizationRequest& request, const Params& params,
                           const identity::Authentication& auth) {
  if (deps.accounts == nullptr) {
    return ServerErrorPage(ctx, lang, Error{"internal.config", "no accounts service", ""});
  }
  auto account = deps.accounts->Get(auth.account_id);
  if (!account) return ServerErrorPage(ctx, lang, account.error());
  auto citizen = deps.registry.GetCitizen(account->citizen_id);
  if (!citizen) return ServerErrorPage(ctx, lang, citizen.error());
  const identity::Client& client = *request.client;
  std::string sub = deps.oidc->Subject(client.client_id, account->citizen_id);
  boost::json::object claims = identity::UserClaims(*citizen, *account, request.scopes, sub);

  std::string body;
  body += "<h1>";
  body += Escape(client.name);
  body += Pick(lang, " muốn nhận thông tin của bạn", " asks for your information");
  body += "</h1>\n";
  if (!client.logo_uri.empty()) {
    body += "<p><img src=\"" + Escape(client.logo_uri) + "\" alt=\"" +
            Escape(std::string(Pick(lang, "Biểu trưng của ", "Logo of ")) + client.name) +
            "\" width=\"96\" height=\"96\"></p>\n";
  }
  body += "<p>";
  body += Pick(lang, "Nếu bạn đồng ý, dancu sẽ chia sẻ với ",
               "If you allow it, dancu will share with ");
  body += "<strong>" + Escape(client.name) + "</strong>";
  body += Pick(lang, " đúng những thông tin sau, và không gì khác:",
               " exactly the following, and nothing else:");
  body += "</p>\n<dl>\n";
  body += "<dt>";
  body += Pick(lang, "Mã định danh ẩn danh cho riêng dịch vụ này",
               "A pseudonymous identifier for this service only");
  body += "</dt><dd><code>" + Escape(sub) + "</code></dd>\n";
  for (const Label& l : kLabels) {
    const auto* v = claims.if_contains(l.claim);
    if (v == nullptr) continue;
    body += "<dt>" + std::string(Pick(lang, l.vi, l.en)) + "</dt><dd>" +
            Escape(ValueText(lang, l.claim, *v)) + "</dd>\n";
  }
  body += "</dl>\n";
  if (std::find(request.scopes.begin(), request.scopes.end(), "offline_access") !=
      request.scopes.end()) {
    body += "<p>";
    body += Pick(lang,
                 "Dịch vụ được tiếp tục nhận các thông tin này khi bạn không trực tuyến, "
                 "cho đến khi bạn thu hồi sự đồng ý trên trang tài khoản.",
                 "The service may keep receiving this information while you are offline, "
                 "until you revoke your consent on your account page.");
    body += "</p>\n";
  }
  body += "<p>";
  body += Pick(lang, "Bạn có thể thu hồi sự đồng ý bất cứ lúc nào trên trang ",
               "You can revoke your consent at any time on ");
  body += "<a href=\"/account\">";
  body += Pick(lang, "tài khoản của bạn", "your account page");
  body += "</a>.</p>\n";
  Csrf::Token token = deps.csrf.Issue(ctx);
  body += "<form method=\"post\" action=\"/oidc/consent\">\n";
  body += Csrf::HiddenField(token);
  body += "<input type=\"hidden\" name=\"request\" value=\"" + Escape(EncodeParams(params)) +
          "\">\n";
  body += "<button type=\"submit\" name=\"decision\" value=\"approve\">";
  body += Pick(lang, "Đồng ý", "Allow");
  body += "</button>\n<button type=\"submit\" name=\"decision\" value=\"deny\">";
  body += Pick(lang, "Từ chối", "Deny");
  body += "</button>\n</form>\n";
  http::Response r = HtmlPage(ctx, lang, 200,
                              std::string(Pick(lang, "Chia sẻ thông tin với ",
                                               "Share information with ")) + client.name,
                              body);
  Csrf::Apply(token, r);
  return r;
}

}  // namespace oidc

void AddConsentPage(http::Router& router, const WebDeps& deps) {
  if (deps.oidc == nullptr) return;
  router.Add(verb::post, "/oidc/consent",
             [deps](http::RequestContext& ctx) { return PostConsent(deps, ctx); },
             http::Access::kPublic);
}

}  // namespace dancu::web
