// The citizen's eKYC consents (issue 5, "Policies" → eKYC; hub/ekyc_consents.h):
// which agency may receive which of my data, for what purpose, until when.
//
// JSON (session cookie of a signed-in citizen; 401 auth.unauthenticated
// without one). POSTs with a body take application/json only (415
// request.unsupported_media_type otherwise), which an
// HTML form on another site cannot send; the session cookie is SameSite=Lax.
//   GET  /v1/me/ekyc-offers              {"offers":[{agency, agency_name,
//                                         purpose, fields}]} what agencies ask
//   GET  /v1/me/ekyc-consents            {"consents":[consent...]}, newest first
//   POST /v1/me/ekyc-consents            {agency, purpose?, fields?, days?}
//                                         -> 201 consent (source "account")
//   POST /v1/me/ekyc-consents/{id}/revoke -> 200 consent (revoked_at set)
//   POST /v1/me/ekyc-consent-codes       {agency, purpose?, fields?, days?}
//                                         -> 201 {code, expires_at, agency,
//                                         purpose, fields, days}
// A consent: {id, agency, agency_name, purpose, fields, created_at,
// expires_at, revoked_at (null), source, status: valid|expired|revoked}.
// purpose may be left out when the agency has one eKYC purpose; fields
// default to all the agency asks for; days is 30, 90 (default) or 365.
// Errors: ekyc.unknown_agency (no such agency/purpose offer), ekyc.bad_field,
// ekyc.bad_days, request.* (400); ekyc.consent_not_found (404, also for
// another citizen's consent).
//
// The page (Vietnamese, English switch; CSRF-checked form posts):
//   GET  /account/ekyc-consents          the consents with revoke buttons,
//                                         and one form per agency offer: pick
//                                         the fields and the lifetime, then
//                                         grant consent or create a code
//   POST /account/ekyc-consents          action=grant|code, agency, purpose,
//                                         fields (repeated), days
//   POST /account/ekyc-consents/revoke   consent_id
// Routes are added only when WebDeps::ekyc_consents is set; the agencies'
// offers come from WebDeps::members (none when it is null).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/beast/http/verb.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "crypto/encoding.h"
#include "http/json_reader.h"
#include "hub/ekyc_consents.h"
#include "hub/ekyc_offers.h"
#include "hub/members.h"
#include "hub/personal_fields.h"
#include "web/account_pages.h"
#include "web/html.h"
#include "web/redirect.h"
#include "web/web.h"

namespace dancu::web {
namespace {

using account_pages::Current;
using account_pages::CurrentSession;
using boost::beast::http::verb;

constexpr int kDefaultDays = 90;

// --- Shared by the JSON API and the page -----------------------------------

Result<std::vector<hub::EkycOffer>> Offers(const WebDeps& deps) {
  if (deps.members == nullptr) return std::vector<hub::EkycOffer>{};
  return hub::EkycOffers(*deps.members);
}

// The offer the citizen named; ekyc.unknown_agency when there is none (or the
// agency has several purposes and none was named).
Result<hub::EkycOffer> OfferFor(const WebDeps& deps, std::string_view agency,
                                std::string_view purpose) {
  std::optional<hub::EkycOffer> found;
  if (deps.members != nullptr) {
    auto offer = hub::FindEkycOffer(*deps.members, agency, purpose);
    if (!offer) return std::unexpected(offer.error());
    found = std::move(*offer);
  }
  if (!found) {
    return Fail("ekyc.unknown_agency",
                "no agency \"" + std::string(agency) + "\" asks for eKYC" +
                    (purpose.empty() ? std::string(" (or it has several purposes: name one)")
                                     : " for purpose " + std::string(purpose)),
                "agency");
  }
  return std::move(*found);
}

std::string_view StatusOf(const hub::EkycConsent& c, Timestamp now) {
  if (c.revoked_at) return "revoked";
  return c.ValidAt(now) ? "valid" : "expired";
}

std::string AgencyName(std::span<const hub::EkycOffer> offers, std::string_view agency) {
  for (const hub::EkycOffer& o : offers) {
    if (o.agency == agency) return o.display_name.empty() ? o.agency : o.display_name;
  }
  return std::string(agency);
}

boost::json::array ToArray(std::span<const std::string> v) {
  boost::json::array a;
  for (const std::string& s : v) a.emplace_back(s);
  return a;
}

boost::json::object ConsentJson(const hub::EkycConsent& c, Timestamp now,
                                std::span<const hub::EkycOffer> offers) {
  boost::json::object o;
  o["id"] = c.id;
  o["agency"] = c.agency;
  o["agency_name"] = AgencyName(offers, c.agency);
  o["purpose"] = c.purpose;
  o["fields"] = ToArray(c.fields);
  o["created_at"] = FormatTimestamp(c.created_at);
  o["expires_at"] = FormatTimestamp(c.expires_at);
  o["revoked_at"] = c.revoked_at ? boost::json::value(FormatTimestamp(*c.revoked_at)) : nullptr;
  o["source"] = c.source;
  o["status"] = StatusOf(c, now);
  return o;
}

boost::json::object OfferJson(const hub::EkycOffer& offer) {
  boost::json::object o;
  o["agency"] = offer.agency;
  o["agency_name"] = offer.display_name.empty() ? offer.agency : offer.display_name;
  o["purpose"] = offer.purpose;
  o["fields"] = ToArray(offer.fields);
  return o;
}

// --- JSON -------------------------------------------------------------------

http::Response Unauthenticated() {
  return http::ProblemResponse(401, "auth.unauthenticated",
                               "sign in first: no valid dancu_session cookie");
}

bool IsJson(const http::RequestContext& ctx) {
  auto type = ctx.header("Content-Type");
  if (!type) return false;
  std::string_view t = type->substr(0, type->find(';'));
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  std::string lower(t);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower == "application/json";
}

http::Response NotJson() {
  return http::ProblemResponse(415, "request.unsupported_media_type",
                               "send the body as Content-Type: application/json");
}

struct ConsentRequest {
  std::string agency;
  std::string purpose;
  std::vector<std::string> fields;
  int days = kDefaultDays;
};

Result<ConsentRequest> ParseConsentRequest(std::string_view body) {
  auto object = http::ParseJsonObject(body);
  if (!object) return std::unexpected(object.error());
  http::JsonFields f(*object);
  ConsentRequest r;
  auto agency = f.RequireString("agency");
  if (!agency) return std::unexpected(agency.error());
  r.agency = std::move(*agency);
  auto purpose = f.OptionalString("purpose");
  if (!purpose) return std::unexpected(purpose.error());
  r.purpose = purpose->value_or("");
  auto fields = f.OptionalArray("fields");
  if (!fields) return std::unexpected(fields.error());
  if (*fields != nullptr) {
    if ((*fields)->size() > std::size(hub::kPersonalFields)) {
      return Fail("ekyc.bad_field", "fields: too many names", "fields");
    }
    for (const auto& v : **fields) {
      if (!v.is_string()) return Fail("request.wrong_type", "fields: strings only", "fields");
      r.fields.emplace_back(v.as_string());
    }
    if (r.fields.empty()) {
      return Fail("ekyc.bad_field", "fields: name at least one, or leave it out for all", "fields");
    }
  }
  auto days = f.OptionalInt("days");
  if (!days) return std::unexpected(days.error());
  if (*days) {
    if (**days < 0 || **days > 1000) return Fail("ekyc.bad_days", "days is 30, 90 or 365", "days");
    r.days = static_cast<int>(**days);
  }
  if (auto s = f.Finish(); !s) return std::unexpected(s.error());
  return r;
}

// A JSON POST by a signed-in citizen.
using JsonAction = std::function<http::Response(const http::RequestContext&, const Current&)>;
http::Handler JsonPost(const WebDeps& deps, JsonAction action) {
  return [deps, action = std::move(action)](http::RequestContext& ctx) {
    auto current = CurrentSession(deps, ctx);
    if (!current) return Unauthenticated();
    if (!IsJson(ctx)) return NotJson();
    return action(ctx, *current);
  };
}

void AddJsonRoutes(http::Router& router, const WebDeps& deps) {
  hub::EkycConsents* store = deps.ekyc_consents;

  router.Add(
      verb::get, "/v1/me/ekyc-offers",
      [deps](http::RequestContext& ctx) {
        if (!CurrentSession(deps, ctx)) return Unauthenticated();
        auto offers = Offers(deps);
        if (!offers) return http::ProblemResponse(offers.error());
        boost::json::array list;
        for (const hub::EkycOffer& o : *offers) list.emplace_back(OfferJson(o));
        boost::json::object body;
        body["offers"] = std::move(list);
        return http::JsonResponse(200, body);
      },
      http::Access::kPublic);

  router.Add(
      verb::get, "/v1/me/ekyc-consents",
      [deps, store](http::RequestContext& ctx) {
        auto current = CurrentSession(deps, ctx);
        if (!current) return Unauthenticated();
        auto consents = store->List(current->account.citizen_id);
        if (!consents) return http::ProblemResponse(consents.error());
        auto offers = Offers(deps);
        if (!offers) return http::ProblemResponse(offers.error());
        const Timestamp now = deps.clock.Now();
        boost::json::array list;
        for (const hub::EkycConsent& c : *consents) list.emplace_back(ConsentJson(c, now, *offers));
        boost::json::object body;
        body["consents"] = std::move(list);
        return http::JsonResponse(200, body);
      },
      http::Access::kPublic);

  router.Add(verb::post, "/v1/me/ekyc-consents",
             JsonPost(deps,
                      [deps, store](const http::RequestContext& ctx, const Current& current) {
                        auto request = ParseConsentRequest(ctx.body());
                        if (!request) return http::ProblemResponse(request.error());
                        auto offer = OfferFor(deps, request->agency, request->purpose);
                        if (!offer) return http::ProblemResponse(offer.error());
                        auto consent = store->Grant(current.account.citizen_id, *offer,
                                                    request->fields, request->days);
                        if (!consent) return http::ProblemResponse(consent.error());
                        std::vector<hub::EkycOffer> one{*offer};
                        return http::JsonResponse(201,
                                                  ConsentJson(*consent, deps.clock.Now(), one));
                      }),
             http::Access::kPublic);

  router.Add(
      verb::post, "/v1/me/ekyc-consents/{id}/revoke",
      [deps, store](http::RequestContext& ctx) {
        // No body needed, so no content type to check: SameSite=Lax
        // keeps the session cookie off cross-site POSTs, and a
        // cross-site request could only revoke, never grant.
        auto current = CurrentSession(deps, ctx);
        if (!current) return Unauthenticated();
        auto consent = store->Revoke(current->account.citizen_id, ctx.path_param("id"));
        if (!consent) return http::ProblemResponse(consent.error());
        auto offers = Offers(deps);
        if (!offers) return http::ProblemResponse(offers.error());
        return http::JsonResponse(200, ConsentJson(*consent, deps.clock.Now(), *offers));
      },
      http::Access::kPublic);

  router.Add(verb::post, "/v1/me/ekyc-consent-codes",
             JsonPost(deps,
                      [deps, store](const http::RequestContext& ctx, const Current& current) {
                        auto request = ParseConsentRequest(ctx.body());
                        if (!request) return http::ProblemResponse(request.error());
                        auto offer = OfferFor(deps, request->agency, request->purpose);
                        if (!offer) return http::ProblemResponse(offer.error());
                        auto code = store->CreateCode(current.account.citizen_id, *offer,
                                                      request->fields, request->days);
                        if (!code) return http::ProblemResponse(code.error());
                        std::vector<std::string> fields = request->fields;
                        if (fields.empty()) fields = offer->fields;
                        std::sort(fields.begin(), fields.end());
                        fields.erase(std::unique(fields.begin(), fields.end()), fields.end());
                        boost::json::object body;
                        body["code"] = code->code;
                        body["expires_at"] = FormatTimestamp(code->expires_at);
                        body["agency"] = offer->agency;
                        body["purpose"] = offer->purpose;
                        body["fields"] = ToArray(fields);
                        body["days"] = request->days;
                        return http::JsonResponse(201, body);
                      }),
             http::Access::kPublic);
}

// --- The page ---------------------------------------------------------------

struct FieldLabel {
  std::string_view name, vi, en;
};
constexpr FieldLabel kFieldLabels[] = {
    {"citizen_id", "Số định danh cá nhân", "Personal identification number"},
    {"full_name", "Họ và tên", "Full name"},
    {"sex", "Giới tính", "Sex"},
    {"date_of_birth", "Ngày sinh", "Date of birth"},
    {"ethnicity", "Dân tộc", "Ethnicity"},
    {"religion", "Tôn giáo", "Religion"},
    {"nationality", "Quốc tịch", "Nationality"},
    {"permanent_residence", "Nơi thường trú", "Permanent residence"},
    {"temporary_residence", "Nơi tạm trú", "Temporary residence"},
    {"current_residence", "Nơi ở hiện tại", "Current residence"},
    {"hometown_commune_code", "Quê quán", "Home town"},
    {"birth_commune_code", "Nơi đăng ký khai sinh", "Place of birth registration"},
    {"old_id", "Số CMND cũ", "Old ID number"},
    {"status", "Tình trạng (còn sống/đã mất)", "Status (alive/deceased)"},
    {"date_of_death", "Ngày mất", "Date of death"},
    {"father_id", "Số định danh của cha", "Father's ID number"},
    {"mother_id", "Số định danh của mẹ", "Mother's ID number"},
    {"spouse_id", "Số định danh của vợ/chồng", "Spouse's ID number"},
    {"household_id", "Số hộ", "Household number"},
    {"relationship_to_head", "Quan hệ với chủ hộ", "Relationship to the head of household"},
    {"phone", "Số điện thoại", "Phone"},
};

std::string FieldText(Lang lang, std::string_view field) {
  for (const FieldLabel& l : kFieldLabels) {
    if (l.name == field) return std::string(Pick(lang, l.vi, l.en));
  }
  return std::string(field);
}

std::string FieldsText(Lang lang, std::span<const std::string> fields) {
  std::string out;
  for (const std::string& f : fields) out += (out.empty() ? "" : ", ") + FieldText(lang, f);
  return out;
}

// "2026-11-23T07:31:22.123456Z" -> "2026-11-23 07:31".
std::string TimeText(Timestamp t) {
  std::string s = FormatTimestamp(t).substr(0, 16);
  s[10] = ' ';
  return s;
}

std::string StatusText(Lang lang, std::string_view status) {
  if (status == "valid") return std::string(Pick(lang, "Còn hiệu lực", "Valid"));
  if (status == "revoked") return std::string(Pick(lang, "Đã thu hồi", "Revoked"));
  return std::string(Pick(lang, "Hết hạn", "Expired"));
}

std::string SourceText(Lang lang, std::string_view source) {
  return std::string(source == "code" ? Pick(lang, "Mã đồng ý một lần", "One-time code")
                                      : Pick(lang, "Trên tài khoản", "On this account"));
}

std::string Th(std::string_view text) { return "<th scope=\"col\">" + Escape(text) + "</th>"; }
std::string Td(std::string_view text) { return "<td>" + Escape(text) + "</td>"; }

std::string ConsentsTable(Lang lang, std::span<const hub::EkycConsent> consents,
                          std::span<const hub::EkycOffer> offers, Timestamp now,
                          const Csrf::Token& token) {
  if (consents.empty()) {
    return "<p>" +
           Escape(Pick(lang, "Bạn chưa đồng ý cho cơ quan, tổ chức nào.",
                       "You have not given consent to any agency.")) +
           "</p>";
  }
  std::string t =
      "<div role=\"region\" aria-labelledby=\"consents-caption\" tabindex=\"0\" "
      "style=\"overflow-x:auto\"><table><caption id=\"consents-caption\">" +
      Escape(Pick(lang, "Các sự đồng ý của bạn, mới nhất trước", "Your consents, newest first")) +
      "</caption><thead><tr>";
  t += Th(Pick(lang, "Cơ quan, tổ chức", "Agency"));
  t += Th(Pick(lang, "Mục đích", "Purpose"));
  t += Th(Pick(lang, "Trường dữ liệu", "Fields"));
  t += Th(Pick(lang, "Hiệu lực đến (UTC)", "Valid until (UTC)"));
  t += Th(Pick(lang, "Trạng thái", "Status"));
  t += Th(Pick(lang, "Cách cấp", "Given"));
  t += Th(Pick(lang, "Thao tác", "Action"));
  t += "</tr></thead><tbody>";
  for (const hub::EkycConsent& c : consents) {
    const std::string_view status = StatusOf(c, now);
    const std::string agency = AgencyName(offers, c.agency);
    t += "<tr>" + Td(agency) + Td(c.purpose) + Td(FieldsText(lang, c.fields)) +
         Td(TimeText(c.expires_at)) + Td(StatusText(lang, status)) + Td(SourceText(lang, c.source));
    t += "<td>";
    if (status == "valid") {
      t += "<form method=\"post\" action=\"/account/ekyc-consents/revoke\">" +
           Csrf::HiddenField(token) + account_pages::Hidden("consent_id", c.id) +
           "<button type=\"submit\" class=\"secondary\" aria-label=\"" +
           Escape(std::string(Pick(lang, "Thu hồi sự đồng ý cho ", "Revoke the consent to ")) +
                  agency + " (" + c.purpose + ")") +
           "\">" + Escape(Pick(lang, "Thu hồi", "Revoke")) + "</button></form>";
    }
    t += "</td></tr>";
  }
  t += "</tbody></table></div>";
  return t;
}

// One form per offer: the fields (checkboxes, all ticked), the lifetime,
// and the two ways to consent.
std::string OfferForm(Lang lang, const hub::EkycOffer& offer, size_t n, const Csrf::Token& token) {
  const std::string name = offer.display_name.empty() ? offer.agency : offer.display_name;
  const std::string prefix = "offer" + std::to_string(n);
  std::string f = "<form method=\"post\" action=\"/account/ekyc-consents\"><fieldset><legend>" +
                  Escape(name) + " — " + Escape(Pick(lang, "mục đích", "purpose")) + " " +
                  Escape(offer.purpose) + "</legend>";
  f += Csrf::HiddenField(token) + account_pages::Hidden("agency", offer.agency) +
       account_pages::Hidden("purpose", offer.purpose);
  f += "<p class=\"hint\">" +
       Escape(Pick(lang, "Bỏ chọn những trường bạn không muốn chia sẻ.",
                   "Untick the fields you do not want to share.")) +
       "</p>";
  for (size_t i = 0; i < offer.fields.size(); ++i) {
    const std::string id = prefix + "-f" + std::to_string(i);
    f += "<div><input type=\"checkbox\" id=\"" + id + "\" name=\"fields\" value=\"" +
         Escape(offer.fields[i]) + "\" checked> <label for=\"" + id +
         "\" style=\"display:inline;font-weight:400\">" + Escape(FieldText(lang, offer.fields[i])) +
         "</label></div>";
  }
  f += "<label for=\"" + prefix + "-days\">" + Escape(Pick(lang, "Thời hạn", "Lasting")) +
       "</label><select id=\"" + prefix + "-days\" name=\"days\">";
  for (int days : hub::kConsentDays) {
    f += "<option value=\"" + std::to_string(days) + "\"" +
         (days == kDefaultDays ? " selected" : "") + ">" + std::to_string(days) + " " +
         Escape(Pick(lang, "ngày", "days")) + "</option>";
  }
  f += "</select>";
  f += "<div><button type=\"submit\" name=\"action\" value=\"grant\">" +
       Escape(Pick(lang, "Đồng ý cho cơ quan này", "Give consent to this agency")) +
       "</button> <button type=\"submit\" name=\"action\" value=\"code\" class=\"secondary\">" +
       Escape(Pick(lang, "Tạo mã đồng ý một lần", "Create a one-time consent code")) +
       "</button></div></fieldset></form>";
  return f;
}

std::string PageBody(Lang lang, std::string_view notice, std::span<const hub::EkycConsent> consents,
                     std::span<const hub::EkycOffer> offers, Timestamp now,
                     const Csrf::Token& token) {
  std::string body;
  if (!notice.empty()) {
    body += "<p class=\"notice\" role=\"status\">" + Escape(notice) + "</p>";
  }
  body += "<p>" +
          Escape(Pick(lang,
                      "Ngân hàng, nhà mạng và các cơ quan, tổ chức khác chỉ nhận được thông tin "
                      "định danh điện tử (eKYC) của bạn khi bạn đồng ý: cho cơ quan nào, những "
                      "trường dữ liệu nào, với mục đích nào và đến khi nào. Bạn có thể thu hồi "
                      "sự đồng ý bất cứ lúc nào. Mỗi lần cơ quan nhận dữ liệu đều được ghi vào ",
                      "Banks, telecoms and other agencies receive your electronic identity data "
                      "(eKYC) only with your consent: to which agency, which fields, for what "
                      "purpose and until when. You can revoke a consent at any time. Every time "
                      "an agency receives data, it is written to ")) +
          "<a href=\"/account/access-log\">" +
          Escape(Pick(lang, "nhật ký truy cập", "the access log")) + "</a>.</p>";
  body += "<h2>" + Escape(Pick(lang, "Sự đồng ý đã cấp", "Consents given")) + "</h2>";
  body += ConsentsTable(lang, consents, offers, now, token);
  body += "<h2>" +
          Escape(Pick(lang, "Đồng ý cho một cơ quan, tổ chức", "Give consent to an agency")) +
          "</h2>";
  body += "<p class=\"hint\">" +
          Escape(Pick(lang,
                      "Đồng ý ngay trên tài khoản, hoặc tạo một mã đồng ý một lần rồi đưa mã cho "
                      "cơ quan đó (ví dụ tại quầy giao dịch): mã chỉ dùng được một lần, cho đúng "
                      "cơ quan bạn chọn, trong 10 phút.",
                      "Give consent here, or create a one-time consent code and give it to the "
                      "agency (at its counter, say): the code works once, only for the agency "
                      "you chose, for 10 minutes.")) +
          "</p>";
  if (offers.empty()) {
    body += "<p>" +
            Escape(Pick(lang, "Hiện không có cơ quan, tổ chức nào yêu cầu eKYC.",
                        "No agency asks for eKYC at present.")) +
            "</p>";
  }
  for (size_t i = 0; i < offers.size(); ++i) body += OfferForm(lang, offers[i], i, token);
  body += "<p><a href=\"/account\">" +
          Escape(Pick(lang, "Quay lại tài khoản", "Back to your account")) + "</a></p>";
  return body;
}

http::Response ServerError(const http::RequestContext& ctx, Lang lang, const Error& e) {
  spdlog::error("web: eKYC consents page failed: {} ({})", e.message, e.code);
  return MessagePage(ctx, lang, 500, Pick(lang, "Lỗi hệ thống", "Server error"),
                     account_pages::ErrorText(lang, e));
}

std::string_view Title(Lang lang) {
  return Pick(lang, "Đồng ý chia sẻ dữ liệu định danh (eKYC)", "Consents to eKYC");
}

std::string NoticeText(Lang lang, std::string_view done) {
  if (done == "granted") return std::string(Pick(lang, "Đã ghi nhận sự đồng ý.", "Consent given."));
  if (done == "revoked") {
    return std::string(Pick(lang, "Đã thu hồi sự đồng ý.", "Consent revoked."));
  }
  return {};
}

std::string RequestErrorText(Lang lang, const Error& e) {
  if (e.code == "ekyc.bad_field") {
    return std::string(Pick(lang, "Hãy chọn ít nhất một trường dữ liệu mà cơ quan yêu cầu.",
                            "Pick at least one of the fields the agency asks for."));
  }
  if (e.code == "ekyc.bad_days") {
    return std::string(Pick(lang, "Thời hạn là 30, 90 hoặc 365 ngày.", "Pick 30, 90 or 365 days."));
  }
  if (e.code == "ekyc.unknown_agency") {
    return std::string(Pick(lang, "Cơ quan này hiện không yêu cầu eKYC.",
                            "This agency does not ask for eKYC at present."));
  }
  if (e.code == "ekyc.consent_not_found") {
    return std::string(Pick(lang, "Không tìm thấy sự đồng ý này.", "No such consent."));
  }
  return account_pages::ErrorText(lang, e);
}

void AddPage(http::Router& router, const WebDeps& deps) {
  hub::EkycConsents* store = deps.ekyc_consents;

  router.Add(
      verb::get, "/account/ekyc-consents",
      [deps, store](http::RequestContext& ctx) {
        const Lang lang = PickLang(ctx);
        auto current = CurrentSession(deps, ctx);
        if (!current) return SeeOther("/signin?return_to=" + crypto::PercentEncode(ctx.target()));
        auto consents = store->List(current->account.citizen_id);
        if (!consents) return ServerError(ctx, lang, consents.error());
        auto offers = Offers(deps);
        if (!offers) return ServerError(ctx, lang, offers.error());
        auto token = deps.csrf.Issue(ctx);
        http::Response r = HtmlPage(ctx, lang, 200, Title(lang),
                                    PageBody(lang, NoticeText(lang, ctx.query("done").value_or("")),
                                             *consents, *offers, deps.clock.Now(), token));
        Csrf::Apply(token, r);
        return r;
      },
      http::Access::kPublic);

  router.Add(
      verb::post, "/account/ekyc-consents",
      [deps, store](http::RequestContext& ctx) {
        const Lang lang = PickLang(ctx);
        auto checked = account_pages::CheckedForm(deps, ctx, lang);
        if (auto* r = std::get_if<http::Response>(&checked)) return std::move(*r);
        const Form& form = std::get<Form>(checked);
        auto current = CurrentSession(deps, ctx);
        if (!current) return SeeOther("/signin");
        std::vector<std::string> fields;
        for (const auto& [name, value] : form.fields()) {
          if (name == "fields") fields.push_back(value);
        }
        const std::string_view action = form.GetOr("action");
        int days = 0;
        for (int d : hub::kConsentDays) {
          if (form.GetOr("days") == std::to_string(d)) days = d;
        }
        auto fail = [&](const Error& e) {
          if (e.code.starts_with("storage.")) return ServerError(ctx, lang, e);
          return MessagePage(ctx, lang, 400, Title(lang), RequestErrorText(lang, e));
        };
        if (action != "grant" && action != "code") {
          return MessagePage(ctx, lang, 400, Title(lang),
                             Pick(lang, "Biểu mẫu không hợp lệ.", "Invalid form."));
        }
        // An unticked form sends no field: the citizen shares nothing, which
        // is not a consent (the store would read "none" as "all").
        if (fields.empty()) return fail(Error{"ekyc.bad_field", "no field ticked", "fields"});
        auto offer = OfferFor(deps, form.GetOr("agency"), form.GetOr("purpose"));
        if (!offer) return fail(offer.error());
        if (action == "grant") {
          auto consent = store->Grant(current->account.citizen_id, *offer, fields, days);
          if (!consent) return fail(consent.error());
          return SeeOther("/account/ekyc-consents?done=granted");
        }
        auto code = store->CreateCode(current->account.citizen_id, *offer, fields, days);
        if (!code) return fail(code.error());
        const std::string name = offer->display_name.empty() ? offer->agency : offer->display_name;
        std::string body =
            "<p>" + Escape(Pick(lang, "Mã đồng ý một lần cho", "Your one-time consent code for")) +
            " <strong>" + Escape(name) + "</strong>:</p>";
        body +=
            "<p style=\"font-size:2.5rem;font-family:monospace;letter-spacing:.2em\" "
            "aria-label=\"" +
            Escape(std::string(Pick(lang, "Mã: ", "Code: "))) +
            [&] {
              std::string spelled;
              for (char c : code->code) {
                if (c != '-') spelled += std::string(spelled.empty() ? "" : " ") + c;
              }
              return spelled;
            }() +
            "\"><strong>" + Escape(code->code) + "</strong></p>";
        body += "<p>" +
                Escape(Pick(lang,
                            "Đưa mã này cho cơ quan. Mã dùng được một lần, chỉ cho cơ quan này, "
                            "đến",
                            "Give this code to the agency. It works once, only for this agency, "
                            "until")) +
                " " + Escape(TimeText(code->expires_at)) + " UTC. " +
                Escape(Pick(lang, "Trường dữ liệu:", "Fields:")) + " " +
                Escape(FieldsText(lang,
                                  [&] {
                                    std::vector<std::string> f = fields;
                                    std::sort(f.begin(), f.end());
                                    f.erase(std::unique(f.begin(), f.end()), f.end());
                                    return f;
                                  }())) +
                ". " + Escape(Pick(lang, "Thời hạn đồng ý:", "Consent lasts:")) + " " +
                std::to_string(days) + " " + Escape(Pick(lang, "ngày", "days")) + ".</p>";
        body += "<p><a href=\"/account/ekyc-consents\">" +
                Escape(Pick(lang, "Quay lại danh sách đồng ý", "Back to your consents")) +
                "</a></p>";
        return HtmlPage(ctx, lang, 201, Title(lang), body);
      },
      http::Access::kPublic);

  router.Add(
      verb::post, "/account/ekyc-consents/revoke",
      [deps, store](http::RequestContext& ctx) {
        const Lang lang = PickLang(ctx);
        auto checked = account_pages::CheckedForm(deps, ctx, lang);
        if (auto* r = std::get_if<http::Response>(&checked)) return std::move(*r);
        const Form& form = std::get<Form>(checked);
        auto current = CurrentSession(deps, ctx);
        if (!current) return SeeOther("/signin");
        auto revoked = store->Revoke(current->account.citizen_id, form.GetOr("consent_id"));
        if (!revoked) {
          if (revoked.error().code.starts_with("storage.")) {
            return ServerError(ctx, lang, revoked.error());
          }
          return MessagePage(ctx, lang, 404, Title(lang), RequestErrorText(lang, revoked.error()));
        }
        return SeeOther("/account/ekyc-consents?done=revoked");
      },
      http::Access::kPublic);
}

}  // namespace

void AddEkycConsentPages(http::Router& router, const WebDeps& deps) {
  if (deps.ekyc_consents == nullptr) return;
  AddJsonRoutes(router, deps);
  AddPage(router, deps);
}

}  // namespace dancu::web
