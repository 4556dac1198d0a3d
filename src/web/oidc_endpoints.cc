// The OpenID Connect HTTP endpoints (issue 4): discovery, JWKS, authorize
// (GET and POST), token, userinfo (GET and POST), revocation, introspection
// and RP-initiated logout. Every protocol rule is in identity::OidcProvider;
// these handlers turn requests into Params and the provider's answers into
// HTTP: OAuth errors are JSON {"error","error_description"} with the RFC 6749
// status codes (not problem+json), token responses carry
// "Cache-Control: no-store" and "Pragma: no-cache", and the authorization
// endpoint answers a page for errors it must not redirect (unknown client,
// unregistered redirect_uri) and a 302 otherwise.
#include <spdlog/spdlog.h>

#include <boost/json/serialize.hpp>

#include "crypto/encoding.h"
#include "http/authenticator.h"
#include "identity/sessions.h"
#include "web/cookies.h"
#include "web/csrf.h"
#include "web/form.h"
#include "web/html.h"
#include "web/oidc_web.h"
#include "web/redirect.h"

namespace dancu::web {
namespace {

using boost::beast::http::verb;
using identity::OAuthError;
using identity::Params;

void NoStore(http::Response& r) {
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("Pragma", "no-cache");
}

http::Response OAuthJson(unsigned status, const boost::json::object& body) {
  http::Response r = http::JsonResponse(status, body);
  NoStore(r);
  return r;
}

// Quotes are not allowed inside a WWW-Authenticate quoted-string here.
std::string HeaderSafe(std::string_view text) {
  std::string out;
  for (char c : text) out += (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) ? ' ' : c;
  return out;
}

http::Response OAuthErrorResponse(const OAuthError& e) {
  http::Response r = OAuthJson(e.status, e.Body());
  if (e.status == 401 && e.basic_challenge) {
    r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"dancu\"");
  }
  return r;
}

// Token, revocation and introspection: a urlencoded POST.
std::variant<Params, http::Response> OAuthForm(const http::RequestContext& ctx) {
  auto form = ParseFormRequest(ctx);
  if (!form) {
    return OAuthErrorResponse(OAuthError{400, "invalid_request",
                                         "the body must be application/x-www-form-urlencoded "
                                         "with fields of at most 8 KiB",
                                         false});
  }
  return form->fields();
}

std::optional<std::string_view> AuthorizationHeader(const http::RequestContext& ctx) {
  return ctx.header("Authorization");
}

http::Response BearerError(const OAuthError& e) {
  http::Response r = http::JsonResponse(e.status, e.Body());
  NoStore(r);
  r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"dancu\", error=\"" +
                                                 HeaderSafe(e.error) + "\", error_description=\"" +
                                                 HeaderSafe(e.description) + "\"");
  return r;
}

http::Response Authorize(const WebDeps& deps, http::RequestContext& ctx) {
  auto params = oidc::RequestParams(ctx, PickLang(ctx));
  if (auto* page = std::get_if<http::Response>(&params)) return std::move(*page);
  const Params& p = std::get<Params>(params);
  auto request = deps.oidc->ParseAuthorizationRequest(p);
  if (!request) {
    return oidc::AuthorizationErrorResponse(deps, ctx, oidc::RequestLang(ctx, nullptr),
                                            request.error());
  }
  return oidc::Continue(deps, ctx, oidc::RequestLang(ctx, &*request), *request, p, false);
}

http::Response Token(const WebDeps& deps, http::RequestContext& ctx) {
  auto form = OAuthForm(ctx);
  if (auto* r = std::get_if<http::Response>(&form)) return std::move(*r);
  auto tokens = deps.oidc->Token(std::get<Params>(form), AuthorizationHeader(ctx));
  if (!tokens) return OAuthErrorResponse(tokens.error());
  return OAuthJson(200, *tokens);
}

http::Response UserInfo(const WebDeps& deps, http::RequestContext& ctx) {
  std::optional<std::string> token;
  if (auto bearer = http::BearerToken(ctx)) token = std::string(*bearer);
  if (ctx.method() == verb::post && !token) {
    // RFC 6750 §2.2: the form-encoded body parameter.
    if (auto form = ParseFormRequest(ctx)) {
      if (auto t = form->Get("access_token")) token = std::string(*t);
    }
  }
  if (!token) {
    http::Response r = http::JsonResponse(
        401, OAuthError{401, "invalid_token", "a Bearer access token is required", false}.Body());
    NoStore(r);
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"dancu\"");
    return r;
  }
  auto claims = deps.oidc->UserInfo(*token);
  if (!claims) {
    if (claims.error().status == 500) return OAuthErrorResponse(claims.error());
    return BearerError(claims.error());
  }
  http::Response r = http::JsonResponse(200, *claims);
  NoStore(r);
  return r;
}

http::Response Revoke(const WebDeps& deps, http::RequestContext& ctx) {
  auto form = OAuthForm(ctx);
  if (auto* r = std::get_if<http::Response>(&form)) return std::move(*r);
  auto done = deps.oidc->Revoke(std::get<Params>(form), AuthorizationHeader(ctx));
  if (!done) return OAuthErrorResponse(done.error());
  http::Response r = http::TextResponse(200, "text/plain; charset=utf-8", "");
  NoStore(r);
  return r;
}

http::Response Introspect(const WebDeps& deps, http::RequestContext& ctx) {
  auto form = OAuthForm(ctx);
  if (auto* r = std::get_if<http::Response>(&form)) return std::move(*r);
  auto info = deps.oidc->Introspect(std::get<Params>(form), AuthorizationHeader(ctx));
  if (!info) return OAuthErrorResponse(info.error());
  return OAuthJson(200, *info);
}

// RP-initiated logout 1.0: checks the hint and the return address first (a
// bad one is an error page, and the browser stays signed in), asks the
// citizen to confirm when there is no id_token_hint, then ends the browser's
// session and either returns to the client or shows "signed out".
http::Response EndSession(const WebDeps& deps, http::RequestContext& ctx) {
  Lang lang = PickLang(ctx);
  auto params = oidc::RequestParams(ctx, lang);
  if (auto* page = std::get_if<http::Response>(&params)) return std::move(*page);
  const Params& p = std::get<Params>(params);
  auto get = [&](std::string_view name) -> std::string {
    for (const auto& [k, v] : p) {
      if (k == name) return v;
    }
    return {};
  };
  std::string ui = get("ui_locales");
  for (size_t i = 0; i < ui.size();) {
    size_t j = ui.find(' ', i);
    if (j == std::string::npos) j = ui.size();
    if (ParseLang(std::string_view(ui).substr(i, j - i), lang)) break;
    i = j + 1;
  }
  auto target = deps.oidc->EndSession(get("id_token_hint"), get("client_id"),
                                      get("post_logout_redirect_uri"), get("state"));
  if (!target) {
    return MessagePage(ctx, lang, 400, Pick(lang, "Không thể đăng xuất", "Cannot sign out"),
                       target.error().message);
  }
  auto cookie = GetCookie(ctx, kSessionCookie);
  if (cookie && deps.sessions != nullptr) {
    // Without a valid id_token_hint the request may come from any page (a
    // forged logout link), so the citizen confirms with a CSRF-protected
    // form first (RP-Initiated Logout 1.0 §2).
    bool confirmed = !get("id_token_hint").empty();
    if (!confirmed && ctx.method() == verb::post && get("confirm") == "1") {
      auto form = ParseFormRequest(ctx);
      if (!form || !deps.csrf.Valid(ctx, *form)) return CsrfFailurePage(ctx, lang);
      confirmed = true;
    }
    if (!confirmed) {
      Csrf::Token token = deps.csrf.Issue(ctx);
      std::string body = "<h1>";
      body += Pick(lang, "Đăng xuất khỏi dancu?", "Sign out of dancu?");
      body += "</h1>\n<form method=\"post\" action=\"/oidc/end_session\">\n";
      body += Csrf::HiddenField(token);
      for (std::string_view name : {"post_logout_redirect_uri", "state", "client_id", "ui_locales"}) {
        std::string v = get(name);
        if (v.empty()) continue;
        body += "<input type=\"hidden\" name=\"" + std::string(name) + "\" value=\"" + Escape(v) +
                "\">\n";
      }
      body += "<input type=\"hidden\" name=\"confirm\" value=\"1\">\n<button type=\"submit\">";
      body += Pick(lang, "Đăng xuất", "Sign out");
      body += "</button>\n</form>\n";
      http::Response r = HtmlPage(ctx, lang, 200, Pick(lang, "Đăng xuất", "Sign out"), body);
      Csrf::Apply(token, r);
      return r;
    }
    if (auto s = deps.sessions->Revoke(*cookie); !s) {
      spdlog::error("oidc end_session: {}", s.error().message);
    }
  }
  http::Response r = target->empty()
                         ? MessagePage(ctx, lang, 200, Pick(lang, "Đã đăng xuất", "Signed out"),
                                       Pick(lang, "Bạn đã đăng xuất khỏi dancu.",
                                            "You have signed out of dancu."))
                         : Found(*target);
  r.headers.emplace_back("Set-Cookie", ClearCookieValue(kSessionCookie));
  return r;
}

}  // namespace

namespace oidc {

std::string EncodeParams(const Params& params) {
  std::string q = identity::AppendQuery("", params);
  return q.empty() ? q : q.substr(1);
}

std::variant<Params, http::Response> RequestParams(const http::RequestContext& ctx, Lang lang) {
  Result<Form> form = Fail("request.bad_form", "");
  if (ctx.method() == verb::post) {
    form = ParseFormRequest(ctx);
  } else {
    std::string_view target = ctx.target();
    size_t q = target.find('?');
    // A copy, NUL-terminated: Boost.URL 1.81's decoding of the last value
    // reads past the end of a view that is not (the query is a view into
    // the request's header buffer).
    std::string query(q == std::string_view::npos ? std::string_view{} : target.substr(q + 1));
    form = ParseForm(query);
  }
  if (!form) {
    return MessagePage(ctx, lang, 400, Pick(lang, "Yêu cầu không hợp lệ", "Invalid request"),
                       Pick(lang, "Các tham số của yêu cầu không đọc được hoặc quá dài.",
                            "The request's parameters are malformed or too long."));
  }
  return form->fields();
}

std::optional<identity::Authentication> SessionAuth(const WebDeps& deps,
                                                    const http::RequestContext& ctx) {
  if (deps.sessions == nullptr) return std::nullopt;
  auto cookie = GetCookie(ctx, kSessionCookie);
  if (!cookie) return std::nullopt;
  auto session = deps.sessions->Find(*cookie);
  if (!session) return std::nullopt;
  identity::Authentication a;
  a.account_id = session->account_id;
  a.citizen_id = session->citizen_id;
  a.level = static_cast<int>(session->level);
  a.auth_time = session->auth_time;
  a.amr = session->amr;
  return a;
}

Lang RequestLang(const http::RequestContext& ctx, const identity::AuthorizationRequest* request) {
  Lang lang = PickLang(ctx);
  if (request != nullptr && !request->ui_locales.empty()) ParseLang(request->ui_locales, lang);
  return lang;
}

http::Response AuthorizationErrorResponse(const WebDeps& deps, const http::RequestContext& ctx,
                                          Lang lang, const identity::AuthorizationError& e) {
  if (e.redirect) return Found(deps.oidc->ErrorRedirect(e));
  std::string message(Pick(lang,
                           "Dịch vụ đã gửi bạn tới đây với một yêu cầu đăng nhập không hợp lệ, "
                           "nên dancu không chuyển bạn trở lại dịch vụ đó. Chi tiết: ",
                           "The service sent you here with an invalid sign-in request, so dancu "
                           "does not send you back to it. Details: "));
  message += e.error + ": " + e.description;
  return MessagePage(ctx, lang, 400, Pick(lang, "Yêu cầu đăng nhập không hợp lệ",
                                          "Invalid sign-in request"),
                     message);
}

http::Response Continue(const WebDeps& deps, const http::RequestContext& ctx, Lang lang,
                        const identity::AuthorizationRequest& request, const Params& params,
                        bool consented_now) {
  auto auth = SessionAuth(deps, ctx);
  auto step = deps.oidc->Authorize(request, auth, consented_now);
  if (!step) {
    spdlog::error("oidc authorize: {} ({})", step.error().message, step.error().code);
    return MessagePage(ctx, lang, 500, Pick(lang, "Lỗi hệ thống", "Server error"),
                       Pick(lang, "Xin thử lại sau.", "Please try again later."));
  }
  using Kind = identity::AuthorizeStep::Kind;
  switch (step->kind) {
    case Kind::kRedirect:
      return Found(step->redirect);
    case Kind::kConsent:
      return ConsentPage(deps, ctx, lang, request, params, *auth);
    case Kind::kSignIn:
    case Kind::kStepUp: {
      // Back to this request after signing in; login_after makes any
      // authentication from now on satisfy prompt=login and max_age.
      Params back = params;
      std::erase_if(back, [](const auto& kv) { return kv.first == "login_after"; });
      int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                        deps.clock.Now().time_since_epoch()).count();
      back.emplace_back("login_after", std::to_string(now));
      std::string url = "/signin?return_to=" + crypto::PercentEncode("/oidc/authorize?" + EncodeParams(back));
      if (step->kind == Kind::kStepUp || request.required_level >= 2) url += "&level=2";
      if (auth && step->kind == Kind::kSignIn) url += "&prompt=login";
      if (!request.login_hint.empty()) url += "&login_hint=" + crypto::PercentEncode(request.login_hint);
      url += "&lang=";
      url += LangCode(lang);
      return Found(url);
    }
  }
  return Found("/");
}

}  // namespace oidc

void AddOidcEndpoints(http::Router& router, const WebDeps& deps) {
  if (deps.oidc == nullptr) return;
  using http::Access;
  // Captured by value: WebDeps is references and pointers, and the caller's
  // copy need not outlive the router.
  auto bind = [deps](http::Response (*f)(const WebDeps&, http::RequestContext&)) {
    return [deps, f](http::RequestContext& ctx) { return f(deps, ctx); };
  };
  router.Add(verb::get, "/.well-known/openid-configuration",
             [deps](http::RequestContext&) {
               http::Response r = http::JsonResponse(200, deps.oidc->Discovery());
               r.headers.emplace_back("Cache-Control", "public, max-age=300");
               return r;
             },
             Access::kPublic);
  router.Add(verb::get, "/oidc/jwks",
             [deps](http::RequestContext&) {
               // Short caching: a rotated-in key signs at once, and relying
               // parties refetch on an unknown kid.
               http::Response r =
                   http::TextResponse(200, "application/jwk-set+json", deps.oidc->Jwks());
               r.headers.emplace_back("Cache-Control", "public, max-age=300");
               return r;
             },
             Access::kPublic);
  router.Add(verb::get, "/oidc/authorize", bind(&Authorize), Access::kPublic);
  router.Add(verb::post, "/oidc/authorize", bind(&Authorize), Access::kPublic);
  router.Add(verb::post, "/oidc/token", bind(&Token), Access::kPublic);
  router.Add(verb::get, "/oidc/userinfo", bind(&UserInfo), Access::kPublic);
  router.Add(verb::post, "/oidc/userinfo", bind(&UserInfo), Access::kPublic);
  router.Add(verb::post, "/oidc/revoke", bind(&Revoke), Access::kPublic);
  router.Add(verb::post, "/oidc/introspect", bind(&Introspect), Access::kPublic);
  router.Add(verb::get, "/oidc/end_session", bind(&EndSession), Access::kPublic);
  router.Add(verb::post, "/oidc/end_session", bind(&EndSession), Access::kPublic);
}

}  // namespace dancu::web
