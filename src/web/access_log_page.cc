// The citizen's view of the access log (issue 5, "The citizen's view"): who
// accessed my data, when, which fields, for what purpose, with what outcome.
//   GET /v1/me/access-log?before=N&limit=L   JSON, each entry with its proof
//   GET /account/access-log?before=N         the same as an accessible page
// Both need the session cookie of a signed-in citizen (the JSON answers 401
// auth.unauthenticated without one, the page redirects to /signin), and are
// added only when WebDeps::audit_log is set.
//
// The JSON answer:
//   {"tree_head": {"size","root_hash","timestamp","signature"},
//    "entries": [{"index","leaf_hash","leaf_data","entry":{...},
//                 "proof":{"leaf_index","tree_size","leaf_hash","audit_path"}}],
//    "next_before": N}                       (only when older entries exist)
// tree_head is the log's latest signed head (GET /v1/audit/tree-head); each
// entry has the shape of GET /v1/audit/entries/{index} and each proof the
// shape of GET /v1/audit/proof/inclusion for that head's size, so the three
// can be saved to files and checked with `dancu audit verify --head H --key K
// --proof P --entry E`. Only entries the head covers (index < head size) are
// listed: an access becomes visible once a signed head includes it (within
// the log's head interval, one second by default), and then it is provable.
//
// Entries are the citizen's own: AuditLog::EntriesForCitizen selects by the
// subject pseudonym of the session's citizen id, never by a parameter.
// Newest first; `before` (an entry index, default: the head's size) pages to
// older entries, `limit` is 1..100 (default 50). A bad value is 400
// request.bad_parameter (problem+json; an HTML 400 page for the page).
#include <spdlog/spdlog.h>

#include <boost/beast/http/verb.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <algorithm>
#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "api/request_fields.h"
#include "crypto/encoding.h"
#include "hub/audit_json.h"
#include "hub/audit_log.h"
#include "web/account_pages.h"
#include "web/html.h"
#include "web/redirect.h"
#include "web/web.h"

namespace dancu::web {
namespace {

using boost::beast::http::verb;

constexpr int64_t kDefaultLimit = 50;
constexpr int64_t kMaxLimit = 100;

// One page of a citizen's entries, all covered by `head`.
struct Listing {
  hub::TreeHead head;
  std::vector<hub::AuditEntry> entries;
  std::optional<uint64_t> next_before;  // set when older entries exist
};

Result<Listing> LoadListing(const hub::AuditLog& log, const http::RequestContext& ctx,
                            std::string_view citizen_id) {
  Listing out;
  out.head = log.LatestHead();
  auto limit = api::IntQuery(ctx, "limit", kDefaultLimit, 1, kMaxLimit);
  if (!limit) return std::unexpected(limit.error());
  auto before = api::IntQuery(ctx, "before", static_cast<int64_t>(out.head.size), 0, INT64_MAX);
  if (!before) return std::unexpected(before.error());
  // Only what the head covers has a proof against it.
  uint64_t upto = std::min<uint64_t>(static_cast<uint64_t>(*before), out.head.size);
  // One more than asked tells whether an older page exists.
  auto entries = log.EntriesForCitizen(citizen_id, upto, static_cast<size_t>(*limit) + 1);
  if (!entries) return std::unexpected(entries.error());
  if (entries->size() > static_cast<size_t>(*limit)) {
    entries->resize(static_cast<size_t>(*limit));
    out.next_before = entries->back().index;
  }
  out.entries = std::move(*entries);
  return out;
}

http::Response Unauthenticated() {
  return http::ProblemResponse(401, "auth.unauthenticated",
                               "sign in first: no valid dancu_session cookie");
}

// --- The page ---------------------------------------------------------------

struct Text {
  std::string_view code, vi, en;
};

std::string Translate(Lang lang, std::string_view code, std::span<const Text> table) {
  for (const Text& t : table) {
    if (t.code == code) return std::string(Pick(lang, t.vi, t.en));
  }
  return std::string(code);
}

std::string ActorText(Lang lang, const hub::AuditEntry& e) {
  static constexpr Text kKinds[] = {
      {"staff", "Cán bộ cơ quan quản lý dân cư", "Register staff"},
      {"agency", "Cơ quan, tổ chức", "Agency"},
      {"officer", "Cán bộ", "Officer"},
      {"citizen", "Công dân", "Citizen"},
      {"system", "Hệ thống", "System"},
  };
  std::string kind = Translate(lang, hub::ToString(e.actor_kind), kKinds);
  return e.actor.empty() ? kind : kind + ": " + e.actor;
}

std::string OperationText(Lang lang, std::string_view op) {
  static constexpr Text kOperations[] = {
      {"verify", "Xác thực thông tin", "Verification"},
      {"match", "Tìm kiếm đối chiếu", "Matching"},
      {"read", "Xem hồ sơ", "Record read"},
      {"history", "Xem lịch sử biến động", "History read"},
      {"ekyc", "Định danh điện tử (eKYC)", "eKYC"},
      {"feed", "Thông báo biến động", "Event feed"},
      {"reconcile", "Đối soát dữ liệu", "Reconciliation"},
  };
  return Translate(lang, op, kOperations);
}

std::string FieldsText(Lang lang, std::string_view fields) {
  static constexpr Text kFields[] = {
      {"id", "Số định danh", "Identification number"},
      {"old_id", "Số CMND cũ", "Old ID number"},
      {"full_name", "Họ và tên", "Full name"},
      {"date_of_birth", "Ngày sinh", "Date of birth"},
      {"sex", "Giới tính", "Sex"},
      {"permanent_address", "Nơi thường trú", "Permanent residence"},
      {"citizen", "Hồ sơ công dân", "Citizen record"},
      {"history", "Lịch sử biến động", "Event history"},
  };
  if (fields.empty()) return "—";
  std::string out;
  while (!fields.empty()) {
    size_t comma = fields.find(',');
    std::string_view one = fields.substr(0, comma);
    if (!one.empty()) out += (out.empty() ? "" : ", ") + Translate(lang, one, kFields);
    if (comma == std::string_view::npos) break;
    fields.remove_prefix(comma + 1);
  }
  return out;
}

std::string OutcomeText(Lang lang, std::string_view outcome) {
  static constexpr Text kOutcomes[] = {
      {"MATCH", "Khớp", "Match"},
      {"MISMATCH", "Không khớp", "Mismatch"},
      {"NOT_FOUND", "Không tìm thấy", "Not found"},
      {"CANDIDATE", "Có thể trùng", "Candidate"},
      {"NEEDS_REVIEW", "Cần xem xét", "Needs review"},
      {"NO_CANDIDATE", "Không có kết quả", "No candidate"},
      {"OK", "Thành công", "Success"},
  };
  return Translate(lang, outcome, kOutcomes);
}

// "2026-11-23T07:31:22.123456Z" -> "2026-11-23 07:31:22".
std::string TimeText(std::string_view iso) {
  std::string t(iso.substr(0, 19));
  if (t.size() > 10 && t[10] == 'T') t[10] = ' ';
  return t;
}

std::string Th(std::string_view text) { return "<th scope=\"col\">" + Escape(text) + "</th>"; }
std::string Td(std::string_view text) { return "<td>" + Escape(text) + "</td>"; }

std::string PageBody(Lang lang, const Listing& l) {
  std::string body;
  body += "<p>" +
          Escape(Pick(lang,
                      "Mỗi lần cơ quan, tổ chức hay cán bộ truy cập dữ liệu của bạn đều được ghi "
                      "vào nhật ký truy cập. Nhật ký chỉ ghi tên các trường dữ liệu, không bao giờ "
                      "ghi giá trị.",
                      "Every time an agency or an officer accesses your data, it is written to "
                      "the access log. The log records the names of the fields, never their "
                      "values.")) +
          "</p>";

  if (l.entries.empty()) {
    body += "<p>" + Escape(Pick(lang, "Chưa có lượt truy cập nào.", "No accesses yet.")) + "</p>";
  } else {
    const std::string_view caption =
        Pick(lang, "Các lượt truy cập, mới nhất trước", "Accesses, newest first");
    body +=
        "<div role=\"region\" aria-labelledby=\"access-log-caption\" tabindex=\"0\" "
        "style=\"overflow-x:auto\"><table><caption id=\"access-log-caption\">" +
        Escape(caption) + "</caption><thead><tr>";
    body += Th(Pick(lang, "Thời gian (UTC)", "Time (UTC)"));
    body += Th(Pick(lang, "Ai truy cập", "Who"));
    body += Th(Pick(lang, "Thao tác", "What"));
    body += Th(Pick(lang, "Trường dữ liệu", "Fields"));
    body += Th(Pick(lang, "Mục đích", "Purpose"));
    body += Th(Pick(lang, "Kết quả", "Outcome"));
    body += Th(Pick(lang, "Số mục", "Entry"));
    body += "</tr></thead><tbody>";
    for (const hub::AuditEntry& e : l.entries) {
      body += "<tr>";
      body += Td(TimeText(e.time));
      body += Td(ActorText(lang, e));
      body += Td(OperationText(lang, e.operation));
      body += Td(FieldsText(lang, e.fields));
      body += Td(e.purpose.empty() ? std::string("—") : e.purpose);
      body += Td(OutcomeText(lang, e.outcome));
      body += Td(std::to_string(e.index));
      body += "</tr>";
    }
    body += "</tbody></table></div>";
  }
  if (l.next_before) {
    body += "<p><a href=\"/account/access-log?before=" + std::to_string(*l.next_before) + "\">" +
            Escape(Pick(lang, "Các lượt truy cập cũ hơn", "Older accesses")) + "</a></p>";
  }

  body += "<h2>" + Escape(Pick(lang, "Kiểm chứng nhật ký", "Checking the log")) + "</h2>";
  body += "<p>" +
          Escape(Pick(lang,
                      "Nhật ký là một cây Merkle chỉ được ghi thêm, không thể sửa hay xóa mà "
                      "không bị phát hiện. Mỗi dòng ở trên có một bằng chứng (inclusion proof) "
                      "rằng nó nằm trong trạng thái nhật ký đã được ký số sau đây:",
                      "The log is an append-only Merkle tree: nothing can be changed or removed "
                      "without being detected. Each line above comes with a proof (an inclusion "
                      "proof) that it is part of this digitally signed state of the log:")) +
          "</p><table>";
  body += "<tr><th scope=\"row\">" + Escape(Pick(lang, "Số mục", "Entries")) + "</th>" +
          Td(std::to_string(l.head.size)) + "</tr>";
  body += "<tr><th scope=\"row\">" + Escape(Pick(lang, "Ký lúc (UTC)", "Signed at (UTC)")) +
          "</th>" +
          Td(TimeText(FormatTimestamp(Timestamp{std::chrono::milliseconds{l.head.timestamp}}))) +
          "</tr>";
  body += "<tr><th scope=\"row\">" + Escape(Pick(lang, "Mã băm gốc", "Root hash")) +
          "</th><td><code>" + Escape(hub::HashToBase64(l.head.root_hash)) + "</code></td></tr>";
  body += "</table>";
  body +=
      "<p>" +
      Escape(Pick(lang,
                  "Bản dữ liệu đầy đủ, gồm từng mục, bằng chứng của nó và trạng thái đã ký, "
                  "có tại",
                  "The full data, with each entry, its proof and the signed state, is at")) +
      " <a href=\"/v1/me/access-log\">/v1/me/access-log</a> (JSON). " +
      Escape(Pick(lang, "Lưu tree_head, một mục và proof của nó thành tệp rồi kiểm tra bằng lệnh",
                  "Save tree_head, an entry and its proof to files and check them with")) +
      " <code>dancu audit verify --head head.json --key key.json --proof proof.json --entry "
      "entry.json</code> " +
      Escape(Pick(lang, "(khóa công khai:", "(public key:")) +
      " <a href=\"/v1/audit/public-key\">/v1/audit/public-key</a>).</p>";
  body += "<p><a href=\"/account\">" +
          Escape(Pick(lang, "Quay lại tài khoản", "Back to your account")) + "</a></p>";
  return body;
}

}  // namespace

void AddAccessLogPages(http::Router& router, const WebDeps& deps) {
  if (deps.audit_log == nullptr) return;
  const hub::AuditLog* log = deps.audit_log;

  router.Add(
      verb::get, "/v1/me/access-log",
      [deps, log](http::RequestContext& ctx) {
        auto current = account_pages::CurrentSession(deps, ctx);
        if (!current) return Unauthenticated();
        auto listing = LoadListing(*log, ctx, current->account.citizen_id.ToString());
        if (!listing) return http::ProblemResponse(listing.error());
        boost::json::array entries;
        for (const hub::AuditEntry& e : listing->entries) {
          auto proof = log->ProveInclusion(e.index, listing->head.size);
          if (!proof) return http::ProblemResponse(proof.error());
          boost::json::object o = hub::EntryToJson(e);
          o["proof"] = hub::ToJson(*proof);
          entries.emplace_back(std::move(o));
        }
        boost::json::object body;
        body["tree_head"] = hub::ToJson(listing->head);
        body["entries"] = std::move(entries);
        if (listing->next_before) body["next_before"] = *listing->next_before;
        return http::JsonResponse(200, body);
      },
      http::Access::kPublic);

  router.Add(
      verb::get, "/account/access-log",
      [deps, log](http::RequestContext& ctx) {
        const Lang lang = PickLang(ctx);
        auto current = account_pages::CurrentSession(deps, ctx);
        if (!current) return SeeOther("/signin?return_to=" + crypto::PercentEncode(ctx.target()));
        auto listing = LoadListing(*log, ctx, current->account.citizen_id.ToString());
        const std::string_view title =
            Pick(lang, "Ai đã truy cập dữ liệu của bạn", "Who accessed your data");
        if (!listing) {
          if (listing.error().code.starts_with("request.")) {
            return MessagePage(
                ctx, lang, 400, title,
                Pick(lang, "Địa chỉ trang không hợp lệ.", "The page address is not valid."));
          }
          spdlog::error("web: access log page failed: {} ({})", listing.error().message,
                        listing.error().code);
          return MessagePage(ctx, lang, 500, Pick(lang, "Lỗi hệ thống", "Server error"),
                             account_pages::ErrorText(lang, listing.error()));
        }
        return HtmlPage(ctx, lang, 200, title, PageBody(lang, *listing));
      },
      http::Access::kPublic);
}

}  // namespace dancu::web
