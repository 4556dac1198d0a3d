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
    {"request.unsupported_media_type", 415, "Unsupported media type"},
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
    // The access log: proofs and entries outside the committed tree, and
    // saved heads or proofs that cannot be read (dancu audit verify).
    {"audit.", 400, "Invalid access log request"},
    {"audit.entry_not_found", 404, "Access log entry not found"},
    // eKYC with the citizen's consent (hub/ekyc_consents.h, api/ekyc.cc).
    {"ekyc.", 400, "Invalid eKYC request"},
    {"ekyc.no_consent", 403, "No valid consent of the citizen"},
    {"ekyc.bad_consent_code", 403, "Consent code wrong, expired or used"},
    {"ekyc.consent_not_found", 404, "Consent not found"},
    {"ekyc.citizen_deceased", 410, "Citizen deceased"},
    {"ekyc.bad_key", 500, "eKYC consent-code key unusable"},
    // Agencies, their clients and policies (hub/members.h, hub/policy.h).
    {"agency.", 400, "Invalid agency"},
    {"agency.not_found", 404, "Agency not found"},
    {"agency.exists", 409, "Agency exists"},
    {"policy.", 400, "Invalid policy"},
    {"policy.field_not_allowed", 403, "Field not allowed by the policy"},
    {"policy.rate_limited", 429, "Rate limit exceeded"},
    {"policy.quota_exhausted", 429, "Daily quota exhausted"},
    {"webhook.", 400, "Invalid webhook request"},
    {"webhook.not_found", 404, "Webhook subscription not found"},
    {"webhook.delivery_not_found", 404, "Webhook delivery not found"},
    {"webhook.not_dead", 409, "Webhook delivery is not a dead letter"},
    // Sectoral data sync (hub/sectoral_record.h): a record's own errors go in
    // the per-record report; these answer a whole request.
    {"sectoral.", 400, "Invalid sectoral record"},
    {"sectoral.too_many_records", 413, "Too many records in one submission"},
    {"io.", 500, "Storage error"},
    // Identity accounts (identity/accounts.h) and officers (identity/officers.h).
    {"identity.", 400, "Invalid identity request"},
    {"identity.bad_credentials", 401, "Wrong citizen id or password"},
    {"identity.otp_wrong", 401, "Wrong one-time code"},
    {"identity.otp_replayed", 401, "One-time code already used"},
    {"identity.pending_unknown", 401, "Sign-in expired"},
    {"identity.account_locked", 403, "Account locked"},
    {"identity.account_disabled", 403, "Account disabled"},
    {"identity.out_of_area", 403, "Citizen outside the officer's area"},
    {"identity.not_guardian", 403, "Not the child's guardian"},
    {"identity.level_too_low", 403, "Level 2 needed"},
    {"identity.not_found", 404, "Account not found"},
    {"identity.already_registered", 409, "Account already registered"},
    {"identity.throttled", 429, "Too many failed attempts"},
    {"identity.corrupt", 500, "Account data unreadable"},
    {"officer.", 400, "Invalid officer"},
    {"officer.bad_credentials", 401, "Wrong officer username or password"},
    {"officer.not_found", 404, "Officer not found"},
    {"officer.exists", 409, "Officer exists"},
    // An officer on the register routes (identity/officer_roles.h).
    {"officer.role_forbids", 403, "Event not registered by the officer's role"},
    {"officer.out_of_area", 403, "Outside the officer's area"},
    {"sms.", 502, "SMS could not be sent"},
    // Client registration: OpenID Connect relying parties (POST
    // /v1/admin/clients) and agency API clients (POST /v1/admin/agencies/...).
    {"client.", 400, "Invalid client registration"},
    {"client.not_found", 404, "Client not found"},
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
