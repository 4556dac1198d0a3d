// The access log (hub/audit_log.h), issue 5's API contract:
//   GET /v1/audit/tree-head                         {"size","root_hash","timestamp","signature"}
//   POST /v1/audit/tree-head                        sign the current size now (staff)
//   GET /v1/audit/proof/inclusion?index=I&size=N
//   {"leaf_index","tree_size","leaf_hash","audit_path"} GET
//   /v1/audit/proof/consistency?first=M&second=N {"first","second","proof"} GET
//   /v1/audit/entries/{index}                   {"index","leaf_hash","leaf_data","entry"} GET
//   /v1/audit/public-key                        the head-signing key as a JWK
// Hashes and signatures are standard base64 (hub/audit_json.h).
//
// Who may read: the tree head, the public key and the proofs are public —
// they reveal only sizes and hashes, and anyone holding a saved head must be
// able to check it against the live log. Entries say who accessed data, so
// they are for register staff (Access::kAuthenticated; agencies get 403);
// a citizen's own entries (GET /v1/me/access-log, with proofs) are served
// to their session by web/access_log_page.cc.
//
// Bad parameters: request.missing_field / request.bad_parameter (not an
// integer), audit.size_out_of_range, audit.index_out_of_range,
// audit.bad_range (400), audit.entry_not_found (404).
#include <charconv>

#include "api/api.h"
#include "http/response.h"
#include "hub/audit_log.h"

namespace dancu::api {
namespace {

using boost::beast::http::verb;

Result<uint64_t> ParseIndex(std::string_view text, std::string_view name) {
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size() ||
      v > static_cast<uint64_t>(INT64_MAX)) {
    return Fail("request.bad_parameter", std::string(name) + " must be a non-negative integer",
                std::string(name));
  }
  return v;
}

Result<uint64_t> RequiredIndex(const http::RequestContext& ctx, std::string_view name) {
  auto text = ctx.query(name);
  if (!text)
    return Fail("request.missing_field", std::string(name) + " is required", std::string(name));
  return ParseIndex(*text, name);
}

}  // namespace

void AddAuditRoutes(http::Router& router, ApiDeps deps) {
  hub::AuditLog* log = deps.audit_log;

  // GET /v1/audit/tree-head
  router.Add(
      verb::get, "/v1/audit/tree-head",
      [log](http::RequestContext&) {
        return http::JsonResponse(200, hub::ToJson(log->LatestHead()));
      },
      http::Access::kPublic);

  // POST /v1/audit/tree-head: sign a head for the current size now (staff),
  // rather than within the next second; commits the queued entries first.
  router.Add(verb::post, "/v1/audit/tree-head", [log](http::RequestContext&) {
    auto head = log->SignHead();
    if (!head) return http::ProblemResponse(head.error());
    return http::JsonResponse(200, hub::ToJson(*head));
  });

  // GET /v1/audit/public-key
  router.Add(
      verb::get, "/v1/audit/public-key",
      [log](http::RequestContext&) { return http::JsonResponse(200, log->PublicJwk()); },
      http::Access::kPublic);

  // GET /v1/audit/proof/inclusion?index=I&size=N
  router.Add(
      verb::get, "/v1/audit/proof/inclusion",
      [log](http::RequestContext& ctx) {
        auto index = RequiredIndex(ctx, "index");
        if (!index) return http::ProblemResponse(index.error());
        auto size = RequiredIndex(ctx, "size");
        if (!size) return http::ProblemResponse(size.error());
        auto proof = log->ProveInclusion(*index, *size);
        if (!proof) return http::ProblemResponse(proof.error());
        return http::JsonResponse(200, hub::ToJson(*proof));
      },
      http::Access::kPublic);

  // GET /v1/audit/proof/consistency?first=M&second=N
  router.Add(
      verb::get, "/v1/audit/proof/consistency",
      [log](http::RequestContext& ctx) {
        auto first = RequiredIndex(ctx, "first");
        if (!first) return http::ProblemResponse(first.error());
        auto second = RequiredIndex(ctx, "second");
        if (!second) return http::ProblemResponse(second.error());
        auto proof = log->ProveConsistency(*first, *second);
        if (!proof) return http::ProblemResponse(proof.error());
        return http::JsonResponse(200, hub::ToJson(*proof));
      },
      http::Access::kPublic);

  // GET /v1/audit/entries/{index}
  router.Add(verb::get, "/v1/audit/entries/{index}", [log](http::RequestContext& ctx) {
    auto index = ParseIndex(ctx.path_param("index"), "index");
    if (!index) return http::ProblemResponse(index.error());
    auto entry = log->Entry(*index);
    if (!entry) return http::ProblemResponse(entry.error());
    return http::JsonResponse(200, hub::EntryToJson(*entry));
  });
}

}  // namespace dancu::api
