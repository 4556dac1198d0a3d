// The signed-in citizen's account:
//   GET  /account                     profile from the register, level,
//                                     minors, sign-in history, consents,
//                                     the access log link, lock, sign out
//                                     everywhere
//   POST /account/lock                locks the account (signs out everywhere)
//   POST /account/signout-everywhere  revokes every session
//   POST /account/consents/revoke     forgets a relying party's consent
//                                     (and its refresh tokens: consents.h)
//   GET  /account/minors/{id}         a child under 14's register record
// A signed-out visitor is sent to /signin?return_to=... .
#include <functional>

#include <boost/beast/http/verb.hpp>
#include <spdlog/spdlog.h>

#include "core/admin_units.h"
#include "crypto/encoding.h"
#include "identity/accounts.h"
#include "identity/consents.h"
#include "identity/oidc_provider.h"
#include "identity/sessions.h"
#include "web/account_pages.h"
#include "web/cookies.h"
#include "web/html.h"
#include "web/redirect.h"

namespace dancu::web::account_pages {
namespace {

using boost::beast::http::verb;

std::string AddressText(const Address& a) {
  std::string out = a.street;
  if (const Commune* c = AdminUnits::Get().FindCommune(a.commune_code)) {
    if (!out.empty()) out += ", ";
    out += c->full_name;
    if (const Province* p = AdminUnits::Get().FindProvince(c->province_code)) {
      out += ", " + p->full_name;
    }
  }
  return out;
}

std::string Row(std::string_view label, std::string_view value) {
  return "<tr><th scope=\"row\">" + Escape(label) + "</th><td>" + Escape(value) + "</td></tr>";
}

// The POST forms of the account page share their checks: a valid CSRF token
// (else the 403 page), then a signed-in citizen (else the sign-in page).
using AccountAction =
    std::function<http::Response(http::RequestContext&, Lang, const Form&, const Current&)>;
http::Handler AccountPost(const WebDeps& deps, AccountAction action) {
  return [deps, action = std::move(action)](http::RequestContext& ctx) {
    const Lang lang = PickLang(ctx);
    auto checked = CheckedForm(deps, ctx, lang);
    if (auto* r = std::get_if<http::Response>(&checked)) return std::move(*r);
    auto current = CurrentSession(deps, ctx);
    if (!current) return SeeOther("/signin");
    return action(ctx, lang, std::get<Form>(checked), *current);
  };
}

std::string SexText(Lang lang, Sex s) {
  return std::string(s == Sex::kMale ? Pick(lang, "Nam", "Male") : Pick(lang, "Nữ", "Female"));
}

// The register record of a person as a table (the holder or a ward), with
// `extra_rows` at its end (the holder's account level and phone).
std::string RecordTable(Lang lang, const registry::Citizen& c, std::string_view extra_rows = {}) {
  std::string t = "<table>";
  t += Row(Pick(lang, "Họ và tên", "Full name"), c.full_name.text());
  t += Row(Pick(lang, "Số định danh cá nhân", "Personal identification number"), c.id.ToString());
  t += Row(Pick(lang, "Ngày sinh", "Date of birth"), c.date_of_birth.ToString());
  t += Row(Pick(lang, "Giới tính", "Sex"), SexText(lang, c.sex));
  t += Row(Pick(lang, "Nơi thường trú", "Permanent residence"), AddressText(c.permanent_residence));
  if (c.status == registry::LifeStatus::kDeceased) {
    t += Row(Pick(lang, "Tình trạng", "Status"), Pick(lang, "Đã mất", "Deceased"));
  }
  t += extra_rows;
  t += "</table>";
  return t;
}

std::string OutcomeText(Lang lang, std::string_view outcome) {
  struct O {
    std::string_view code, vi, en;
  };
  static constexpr O kOutcomes[] = {
      {"success", "Thành công", "Success"},
      {"bad_password", "Sai mật khẩu", "Wrong password"},
      {"bad_otp", "Sai mã xác thực", "Wrong code"},
      {"otp_replayed", "Mã đã dùng", "Code already used"},
      {"throttled", "Bị tạm chặn", "Throttled"},
      {"locked", "Tài khoản bị khóa", "Account locked"},
      {"disabled", "Tài khoản bị vô hiệu hóa", "Account disabled"},
      {"password_ok", "Đúng mật khẩu, chờ mã", "Password right, waiting for the code"},
      {"locked_by_citizen", "Chủ tài khoản khóa", "Locked by the holder"},
      {"unlocked", "Mở khóa", "Unlocked"},
  };
  for (const O& o : kOutcomes) {
    if (o.code == outcome) return std::string(Pick(lang, o.vi, o.en));
  }
  return std::string(outcome);
}

http::Response ToSignIn(const http::RequestContext& ctx) {
  return SeeOther("/signin?return_to=" + crypto::PercentEncode(ctx.target()));
}

http::Response ServerError(const http::RequestContext& ctx, Lang lang, const Error& e) {
  spdlog::error("web: account page failed: {} ({})", e.message, e.code);
  return MessagePage(ctx, lang, 500, Pick(lang, "Lỗi hệ thống", "Server error"),
                     ErrorText(lang, e));
}

std::string PostButton(const Csrf::Token& token, std::string_view action, std::string_view label,
                       std::string_view extra_fields = {}, bool secondary = false) {
  return "<form method=\"post\" action=\"" + std::string(action) + "\">" +
         Csrf::HiddenField(token) + std::string(extra_fields) + "<button type=\"submit\"" +
         (secondary ? " class=\"secondary\"" : "") + ">" + Escape(label) + "</button></form>";
}

// The relying parties the citizen shares data with (the OIDC provider's
// consents), each with a revoke button.
std::string ConsentsSection(const WebDeps& deps, Lang lang, const identity::Account& a,
                            const Csrf::Token& token) {
  std::string none = "<p>" + std::string(Pick(lang, "Chưa có.", "None.")) + "</p>";
  if (deps.oidc == nullptr) return none;
  auto consents = deps.oidc->consents().List(a.id);
  if (!consents) {
    spdlog::error("web: listing consents failed: {} ({})", consents.error().message,
                  consents.error().code);
    return "<p>" + std::string(Pick(lang, "Không đọc được danh sách.", "The list is unavailable.")) +
           "</p>";
  }
  if (consents->empty()) return none;
  std::string out = "<ul>";
  for (const identity::Consent& c : *consents) {
    auto client = deps.oidc->clients().Find(c.client_id);
    std::string scopes;
    for (const std::string& s : c.scopes) scopes += (scopes.empty() ? "" : ", ") + s;
    out += "<li><strong>" + Escape(client ? client->name : c.client_id) + "</strong> (" +
           Escape(scopes) + ")";
    out += PostButton(token, "/account/consents/revoke",
                      Pick(lang, "Thu hồi quyền", "Revoke access"),
                      Hidden("client_id", c.client_id), true);
    out += "</li>";
  }
  out += "</ul>";
  return out;
}

}  // namespace

void AddAccountPage(http::Router& router, const WebDeps& deps) {
  router.Add(
      verb::get, "/account",
      [deps](http::RequestContext& ctx) {
        const Lang lang = PickLang(ctx);
        auto current = CurrentSession(deps, ctx);
        if (!current) return ToSignIn(ctx);
        const identity::Account& a = current->account;
        auto profile = deps.accounts->Profile(a);
        if (!profile) return ServerError(ctx, lang, profile.error());
        auto wards = deps.accounts->Wards(a);
        if (!wards) return ServerError(ctx, lang, wards.error());
        auto history = deps.accounts->History(a.id, 20);
        if (!history) return ServerError(ctx, lang, history.error());
        auto token = deps.csrf.Issue(ctx);

        std::string body;
        if (ctx.query("welcome")) {
          body += "<p class=\"notice\" role=\"status\">" +
                  std::string(Pick(lang, "Tài khoản của bạn đã được tạo.",
                                   "Your account has been created.")) +
                  "</p>";
        }
        body += "<h2>" + std::string(Pick(lang, "Thông tin cá nhân", "Your details")) + "</h2>";
        body += RecordTable(
            lang, *profile,
            Row(Pick(lang, "Mức tài khoản", "Account level"),
                a.level == identity::Level::kTwo
                    ? Pick(lang, "Mức 2 (xác thực trực tiếp)", "Level 2 (checked in person)")
                    : Pick(lang, "Mức 1 (tự đăng ký)", "Level 1 (self-registered)")) +
                Row(Pick(lang, "Số điện thoại", "Phone"), a.phone));

        body += "<h2>" + std::string(Pick(lang, "Con dưới 14 tuổi", "Children under 14")) + "</h2>";
        if (wards->empty()) {
          body += "<p>" + std::string(Pick(lang, "Không có.", "None.")) + "</p>";
        } else {
          body += "<ul>";
          for (const registry::Citizen& w : *wards) {
            body += "<li><a href=\"/account/minors/" + w.id.ToString() + "\">" +
                    Escape(w.full_name.text()) + "</a> (" + Escape(w.date_of_birth.ToString()) +
                    ")</li>";
          }
          body += "</ul>";
        }

        body += "<h2>" + std::string(Pick(lang, "Lịch sử đăng nhập", "Sign-in history")) + "</h2>";
        body += "<table><thead><tr><th scope=\"col\">" +
                std::string(Pick(lang, "Thời gian (UTC)", "Time (UTC)")) + "</th><th scope=\"col\">" +
                std::string(Pick(lang, "Địa chỉ IP", "IP address")) + "</th><th scope=\"col\">" +
                std::string(Pick(lang, "Kết quả", "Outcome")) + "</th><th scope=\"col\">" +
                std::string(Pick(lang, "Ứng dụng", "Application")) + "</th></tr></thead><tbody>";
        for (const identity::SignInRecord& r : *history) {
          body += "<tr><td>" + Escape(FormatTimestamp(r.at).substr(0, 19)) + "</td><td>" +
                  Escape(r.ip) + "</td><td>" + Escape(OutcomeText(lang, r.outcome)) + "</td><td>" +
                  Escape(r.client.empty() ? "dancu" : r.client) + "</td></tr>";
        }
        if (history->empty()) {
          body += "<tr><td colspan=\"4\">" +
                  std::string(Pick(lang, "Chưa có lần đăng nhập nào bằng mật khẩu.",
                                   "No password sign-ins yet.")) +
                  "</td></tr>";
        }
        body += "</tbody></table>";

        body += "<h2>" + std::string(Pick(lang, "Ứng dụng đã được chia sẻ dữ liệu",
                                          "Applications you share data with")) +
                "</h2>";
        body += ConsentsSection(deps, lang, a, token);

        if (deps.audit_log != nullptr) {
          body += "<h2>" +
                  std::string(Pick(lang, "Ai đã truy cập dữ liệu của bạn", "Who accessed your data")) +
                  "</h2><p><a href=\"/account/access-log\">" +
                  std::string(Pick(lang, "Xem nhật ký truy cập (kèm bằng chứng)",
                                   "See the access log (with proofs)")) +
                  "</a></p>";
        }

        if (deps.linked_documents != nullptr) {
          body += "<h2>" + std::string(Pick(lang, "Giấy tờ liên kết", "Linked documents")) +
                  "</h2><p><a href=\"/account/documents\">" +
                  std::string(Pick(lang,
                                   "Thẻ BHYT, giấy phép lái xe, mã số thuế, số BHXH do các cơ "
                                   "quan liên kết với tài khoản",
                                   "Health-insurance card, driving licence, tax code and "
                                   "social-insurance number that agencies linked to your account")) +
                  "</a></p>";
        }

        if (deps.ekyc_consents != nullptr) {
          body += "<h2>" +
                  std::string(Pick(lang, "Đồng ý chia sẻ dữ liệu định danh (eKYC)",
                                   "Consents to eKYC")) +
                  "</h2><p><a href=\"/account/ekyc-consents\">" +
                  std::string(Pick(lang, "Xem, cấp và thu hồi sự đồng ý cho ngân hàng, nhà mạng…",
                                   "See, give and revoke consents to banks, telecoms…")) +
                  "</a></p>";
        }

        body += "<h2>" + std::string(Pick(lang, "Bảo mật", "Security")) + "</h2>";
        body += PostButton(token, "/account/signout-everywhere",
                           Pick(lang, "Đăng xuất trên mọi thiết bị", "Sign out everywhere"));
        body += "<p class=\"hint\">" +
                std::string(Pick(lang,
                                 "Khóa tài khoản nếu bạn nghi ngờ người khác biết mật khẩu. Mở "
                                 "khóa bằng mật khẩu tại trang đăng nhập.",
                                 "Lock the account if you think someone else knows the password. "
                                 "Unlock it with the password on the sign-in page.")) +
                "</p>";
        body += PostButton(token, "/account/lock", Pick(lang, "Khóa tài khoản", "Lock the account"),
                           {}, true);
        body += "<p><a href=\"/signout\">" + std::string(Pick(lang, "Đăng xuất", "Sign out")) +
                "</a></p>";
        http::Response r =
            HtmlPage(ctx, lang, 200, Pick(lang, "Tài khoản của bạn", "Your account"), body);
        Csrf::Apply(token, r);
        return r;
      },
      http::Access::kPublic);

  router.Add(
      verb::post, "/account/lock",
      AccountPost(deps,
                  [deps](http::RequestContext& ctx, Lang lang, const Form&, const Current& current) {
        if (auto s = deps.accounts->Lock(current.account.id); !s) {
          return ServerError(ctx, lang, s.error());
        }
        http::Response r = MessagePage(
            ctx, lang, 200, Pick(lang, "Tài khoản đã khóa", "Account locked"),
            Pick(lang,
                 "Tài khoản đã bị khóa và mọi phiên đăng nhập đã kết thúc. Bạn có thể mở khóa bằng "
                 "mật khẩu tại trang đăng nhập.",
                 "The account is locked and every session has ended. You can unlock it with the "
                 "password on the sign-in page."));
        r.headers.emplace_back("Set-Cookie", ClearCookieValue(kSessionCookie));
        return r;
      }),
      http::Access::kPublic);

  router.Add(
      verb::post, "/account/signout-everywhere",
      AccountPost(deps,
                  [deps](http::RequestContext& ctx, Lang lang, const Form&, const Current& current) {
        if (auto s = deps.sessions->RevokeAll(current.account.id); !s) {
          return ServerError(ctx, lang, s.error());
        }
        http::Response r = SeeOther("/signin");
        r.headers.emplace_back("Set-Cookie", ClearCookieValue(kSessionCookie));
        return r;
      }),
      http::Access::kPublic);

  router.Add(
      verb::post, "/account/consents/revoke",
      AccountPost(deps, [deps](http::RequestContext& ctx, Lang lang, const Form& form,
                               const Current& current) {
        if (deps.oidc == nullptr) return SeeOther("/account");
        auto s = deps.oidc->consents().Revoke(current.account.id, form.GetOr("client_id"));
        if (!s) return ServerError(ctx, lang, s.error());
        return SeeOther("/account");
      }),
      http::Access::kPublic);

  router.Add(
      verb::get, "/account/minors/{id}",
      [deps](http::RequestContext& ctx) {
        const Lang lang = PickLang(ctx);
        auto current = CurrentSession(deps, ctx);
        if (!current) return ToSignIn(ctx);
        auto id = CitizenId::Parse(ctx.path_param("id"));
        Result<registry::Citizen> ward =
            id ? deps.accounts->Ward(current->account, *id)
               : Result<registry::Citizen>(std::unexpected(
                     Error{"identity.not_guardian", "not a ward", "id"}));
        if (!ward) {
          if (ErrorStatus(ward.error()) == 500) return ServerError(ctx, lang, ward.error());
          return MessagePage(ctx, lang, 403, Pick(lang, "Không có quyền", "Not allowed"),
                             ErrorText(lang, ward.error()));
        }
        std::string body = "<p>" +
                           std::string(Pick(lang,
                                            "Bạn xem thông tin này với tư cách cha mẹ của trẻ "
                                            "dưới 14 tuổi.",
                                            "You see this record as the parent of a child under "
                                            "14.")) +
                           "</p>" + RecordTable(lang, *ward) + "<p><a href=\"/account\">" +
                           std::string(Pick(lang, "Quay lại tài khoản", "Back to your account")) +
                           "</a></p>";
        return HtmlPage(ctx, lang, 200, ward->full_name.text(), body);
      },
      http::Access::kPublic);
}

}  // namespace dancu::web::account_pages
