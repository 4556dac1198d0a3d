#include "http/problem.h"

namespace dancu::http {
namespace {

// Add rows here (see problem.h). Prefix rows end in '.'.
constexpr ProblemEntry kProblems[] = {
    // Request shape: the body or parameters could not be read.
    {"request.", 400, "Bad request"},
    {"request.malformed_http", 400, "Malformed HTTP request"},
    {"request.headers_too_large", 431, "Request header fields too large"},
    {"request.malformed_json", 400, "Malformed JSON"},
    {"request.unknown_field", 400, "Unknown field"},
    {"request.wrong_type", 400, "Wrong JSON type"},
    {"request.missing_field", 400, "Missing field"},
    {"request.bad_parameter", 400, "Bad parameter"},
    {"request.too_large", 413, "Request body too large"},
    {"request.not_found", 404, "Not found"},
    {"request.method_not_allowed", 405, "Method not allowed"},
    // Authentication and authorization.
    {"auth.unauthenticated", 401, "Authentication required"},
    {"auth.forbidden", 403, "Forbidden"},
    // Idempotency keys.
    {"idempotency.conflict", 422, "Idempotency key reused with a different body"},
    {"idempotency.in_progress", 409, "Request with this idempotency key in progress"},
    // Domain validation of input values.
    {"id.", 400, "Invalid citizen ID"},
    {"old_id.", 400, "Invalid old ID number"},
    {"date.", 400, "Invalid date"},
    {"name.", 400, "Invalid name"},
    {"admin.", 400, "Invalid administrative unit"},
    {"ethnicity.", 400, "Invalid ethnicity"},
    // Lookups.
    {"citizen.not_found", 404, "Citizen not found"},
    {"household.not_found", 404, "Household not found"},
    // Verification.
    {"verify.batch_too_large", 413, "Too many queries in one batch"},
    {"verify.", 400, "Invalid verification request"},
    // Bulk reconciliation: a file or map that cannot be used, unknown jobs.
    {"reconcile.", 400, "Invalid reconciliation input"},
    {"reconcile.not_found", 404, "Reconciliation job not found"},
    {"reconcile.not_ready", 409, "Reconciliation report not ready"},
    {"io.", 500, "Storage error"},
    // Life-event rule violations (e.g. event.deceased).
    {"event.", 422, "Event not allowed"},
    {"conflict.", 409, "Conflict"},
    // Server side.
    {"storage.upload_failed", 507, "Upload could not be stored"},
    {"storage.", 500, "Storage error"},
    {"internal.", 500, "Internal server error"},
};

constexpr ProblemInfo kDefault{500, "Internal server error"};

}  // namespace

ProblemInfo LookupProblem(std::string_view code) {
  const ProblemEntry* best = nullptr;
  for (const ProblemEntry& e : kProblems) {
    if (e.code.ends_with('.')) {
      if (code.starts_with(e.code) &&
          (best == nullptr || e.code.size() > best->code.size())) {
        best = &e;
      }
    } else if (e.code == code) {
      return {e.status, e.title};  // exact match always wins
    }
  }
  return best ? ProblemInfo{best->status, best->title} : kDefault;
}

std::span<const ProblemEntry> ProblemTable() { return kProblems; }

}  // namespace dancu::http
