// The citizen's linked documents (issue 5, "Records that pass are stored as
// the citizen's linked documents, which appear in the citizen's account"):
// the health-insurance cards, driver's licences, tax codes and
// social-insurance numbers that agencies linked through sectoral data sync
// (hub/linked_documents.h).
//   GET /v1/me/documents    JSON
//   GET /account/documents  the same as an accessible page (vi / en)
// Both need the session cookie of a signed-in citizen (the JSON answers 401
// auth.unauthenticated without one, the page redirects to /signin), list
// only the session citizen's own documents, and are added only when
// WebDeps::linked_documents is set.
//
// The JSON answer:
//   {"documents": [{"type","number","attributes":{"class"?,"valid_from"?,
//     "valid_to"?,"expiry"?},"agency","agency_name","submitted_at"}]}
// agency_name is the agency's display name (hub::Members) when known, else
// its name. A storage failure is a 500 problem (JSON) or the generic error
// page, and is logged.
#include <spdlog/spdlog.h>

#include <boost/beast/http/verb.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <string>
#include <vector>

#include "crypto/encoding.h"
#include "hub/linked_documents.h"
#include "hub/members.h"
#include "web/account_pages.h"
#include "web/html.h"
#include "web/redirect.h"
#include "web/web.h"

namespace dancu::web {
namespace {

using boost::beast::http::verb;

struct Shown {
  hub::LinkedDocument doc;
  boost::json::object attributes;
  std::string agency_name;
};

Result<std::vector<Shown>> Load(const WebDeps& deps, const CitizenId& id) {
  auto docs = deps.linked_documents->ForCitizen(id);
  if (!docs) return std::unexpected(docs.error());
  std::vector<Shown> out;
  for (hub::LinkedDocument& d : *docs) {
    Shown s;
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(d.attributes, ec);
    if (!ec && v.is_object()) s.attributes = std::move(v.as_object());
    s.agency_name = d.agency;
    if (deps.members != nullptr) {
      if (auto a = deps.members->GetAgency(d.agency); a && !a->display_name.empty()) {
        s.agency_name = a->display_name;
      }
    }
    s.doc = std::move(d);
    out.push_back(std::move(s));
  }
  return out;
}

std::string_view TypeText(Lang lang, hub::DocumentType t) {
  switch (t) {
    case hub::DocumentType::kHealthInsurance:
      return Pick(lang, "Thẻ bảo hiểm y tế", "Health-insurance card");
    case hub::DocumentType::kDriverLicence:
      return Pick(lang, "Giấy phép lái xe", "Driving licence");
    case hub::DocumentType::kTaxCode:
      return Pick(lang, "Mã số thuế", "Tax code");
    case hub::DocumentType::kSocialInsurance:
      return Pick(lang, "Số bảo hiểm xã hội", "Social-insurance number");
  }
  return "";
}

std::string Attr(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? std::string(it->value().as_string())
                                                  : std::string();
}

std::string DetailsText(Lang lang, const Shown& s) {
  std::string out;
  auto add = [&out](std::string part) {
    if (!out.empty()) out += "; ";
    out += part;
  };
  if (std::string c = Attr(s.attributes, "class"); !c.empty()) {
    add(std::string(Pick(lang, "Hạng ", "Class ")) + c);
  }
  std::string from = Attr(s.attributes, "valid_from"), to = Attr(s.attributes, "valid_to");
  if (!from.empty() || !to.empty()) {
    add(std::string(Pick(lang, "Giá trị sử dụng từ ", "Valid from ")) + from +
        std::string(Pick(lang, " đến ", " to ")) + to);
  }
  if (std::string e = Attr(s.attributes, "expiry"); !e.empty()) {
    add(std::string(Pick(lang, "Có giá trị đến ", "Expires ")) + e);
  } else if (s.doc.type == hub::DocumentType::kDriverLicence) {
    add(std::string(Pick(lang, "Không thời hạn", "No expiry")));
  }
  return out.empty() ? "—" : out;
}

std::string Th(std::string_view text) { return "<th scope=\"col\">" + Escape(text) + "</th>"; }
std::string Td(std::string_view text) { return "<td>" + Escape(text) + "</td>"; }

std::string PageBody(Lang lang, const std::vector<Shown>& docs) {
  std::string body = "<p>" +
                     Escape(Pick(lang,
                                 "Các cơ quan gửi những giấy tờ họ cấp cho bạn. Giấy tờ chỉ được "
                                 "liên kết khi thông tin của bạn trong đó khớp với Cơ sở dữ liệu "
                                 "quốc gia về dân cư.",
                                 "Agencies send the documents they issued to you. A document is "
                                 "linked only when your details in it match the national "
                                 "population register.")) +
                     "</p>";
  if (docs.empty()) {
    body +=
        "<p>" +
        Escape(Pick(lang, "Chưa có giấy tờ nào được liên kết.", "No documents are linked yet.")) +
        "</p>";
  } else {
    body +=
        "<div role=\"region\" aria-labelledby=\"documents-caption\" tabindex=\"0\" "
        "style=\"overflow-x:auto\"><table><caption id=\"documents-caption\">" +
        Escape(Pick(lang, "Giấy tờ liên kết với tài khoản", "Documents linked to your account")) +
        "</caption><thead><tr>";
    body += Th(Pick(lang, "Loại giấy tờ", "Document"));
    body += Th(Pick(lang, "Số", "Number"));
    body += Th(Pick(lang, "Chi tiết", "Details"));
    body += Th(Pick(lang, "Cơ quan gửi", "Sent by"));
    body += Th(Pick(lang, "Cập nhật (UTC)", "Updated (UTC)"));
    body += "</tr></thead><tbody>";
    for (const Shown& s : docs) {
      std::string when = s.doc.submitted_at.substr(0, 19);
      if (when.size() > 10 && when[10] == 'T') when[10] = ' ';
      body += "<tr>";
      body += Td(TypeText(lang, s.doc.type));
      body += Td(s.doc.number);
      body += Td(DetailsText(lang, s));
      body += Td(s.agency_name);
      body += Td(when);
      body += "</tr>";
    }
    body += "</tbody></table></div>";
  }
  body += "<p>" + Escape(Pick(lang, "Dữ liệu dạng JSON có tại", "The same data as JSON is at")) +
          " <a href=\"/v1/me/documents\">/v1/me/documents</a>.</p>";
  body += "<p><a href=\"/account\">" +
          Escape(Pick(lang, "Quay lại tài khoản", "Back to your account")) + "</a></p>";
  return body;
}

}  // namespace

void AddDocumentsPages(http::Router& router, const WebDeps& deps) {
  if (deps.linked_documents == nullptr) return;

  router.Add(
      verb::get, "/v1/me/documents",
      [deps](http::RequestContext& ctx) {
        auto current = account_pages::CurrentSession(deps, ctx);
        if (!current) {
          return http::ProblemResponse(401, "auth.unauthenticated",
                                       "sign in first: no valid dancu_session cookie");
        }
        auto docs = Load(deps, current->account.citizen_id);
        if (!docs) {
          spdlog::error("web: linked documents failed: {} ({})", docs.error().message,
                        docs.error().code);
          return http::ProblemResponse(docs.error());
        }
        boost::json::array list;
        for (Shown& s : *docs) {
          boost::json::object o;
          o["type"] = hub::ToString(s.doc.type);
          o["number"] = s.doc.number;
          o["attributes"] = std::move(s.attributes);
          o["agency"] = s.doc.agency;
          o["agency_name"] = s.agency_name;
          o["submitted_at"] = s.doc.submitted_at;
          list.push_back(std::move(o));
        }
        boost::json::object body;
        body["documents"] = std::move(list);
        return http::JsonResponse(200, body);
      },
      http::Access::kPublic);

  router.Add(
      verb::get, "/account/documents",
      [deps](http::RequestContext& ctx) {
        const Lang lang = PickLang(ctx);
        auto current = account_pages::CurrentSession(deps, ctx);
        if (!current) return SeeOther("/signin?return_to=" + crypto::PercentEncode(ctx.target()));
        auto docs = Load(deps, current->account.citizen_id);
        if (!docs) {
          spdlog::error("web: linked documents page failed: {} ({})", docs.error().message,
                        docs.error().code);
          return MessagePage(ctx, lang, 500, Pick(lang, "Lỗi hệ thống", "Server error"),
                             account_pages::ErrorText(lang, docs.error()));
        }
        return HtmlPage(ctx, lang, 200, Pick(lang, "Giấy tờ liên kết", "Linked documents"),
                        PageBody(lang, *docs));
      },
      http::Access::kPublic);
}

}  // namespace dancu::web
