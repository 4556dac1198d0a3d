// POST /v1/agency/ekyc: electronic know-your-customer with the citizen's
// consent (issue 5, "Policies" → eKYC). An agency client whose policy allows
// the ekyc operation asks for personal fields of one citizen:
//   {"citizen_id": "001090000017", "fields": ["full_name", "date_of_birth"]}
// or, with a one-time consent code the citizen gave it:
//   {"consent_code": "ABCD-EFGH", "fields": [...]}
// Steps, in this order:
//  1. the policy gate (api/agency_access.h Admit): 403 auth.forbidden, 429;
//  2. the body: 400 request.* / id.* / ekyc.bad_field (not a personal field);
//  3. every requested field must be in the policy: else 403
//     policy.field_not_allowed naming the field;
//  4. a code is redeemed (hub/ekyc_consents.h Redeem): 403
//     ekyc.bad_consent_code when wrong, expired, used or another agency's;
//  5. a valid consent of the citizen to this agency, for the policy's
//     purpose, covering every requested field: else 403 ekyc.no_consent
//     (whether the citizen exists is not revealed without consent);
//  6. the citizen: 404 citizen.not_found, 410 ekyc.citizen_deceased.
// The answer:
//   {"citizen": {only the requested fields, personal-field names},
//    "purpose": "KYC-ACCOUNT-OPENING",
//    "consent": {"id": "ekc_...", "expires_at": "...Z"}}
// Values are the register's (registry/citizen_json.h) with "id" named
// "citizen_id"; "phone" is not held by the register and is null. The router's
// minimizer (hub/minimizer.h) still applies on the way out.
// Every admitted request past step 2 is appended to the access log (fields,
// purpose, outcome OK / FIELD_NOT_ALLOWED / BAD_CONSENT_CODE / NO_CONSENT /
// NOT_FOUND / DECEASED), refusals included; never a value.
#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/agency_access.h"
#include "api/api.h"
#include "api/request_fields.h"
#include "http/json_reader.h"
#include "http/response.h"
#include "hub/audit_log.h"
#include "hub/ekyc_consents.h"
#include "hub/personal_fields.h"
#include "registry/citizen_json.h"

namespace dancu::api {
namespace {

using boost::beast::http::verb;

constexpr size_t kMaxFields = std::size(hub::kPersonalFields);

struct EkycRequest {
  std::optional<CitizenId> citizen;
  std::optional<std::string> code;
  std::vector<std::string> fields;  // sorted, unique personal fields
};

Result<EkycRequest> ParseRequest(const http::RequestContext& ctx) {
  auto body = http::ParseJsonObject(ctx.body());
  if (!body) return std::unexpected(body.error());
  http::JsonFields f(*body);
  EkycRequest r;
  auto id = OptionalIdField(f, "citizen_id");
  if (!id) return std::unexpected(id.error());
  r.citizen = *id;
  auto code = f.OptionalString("consent_code");
  if (!code) return std::unexpected(code.error());
  r.code = *code;
  auto fields = f.OptionalArray("fields");
  if (!fields) return std::unexpected(fields.error());
  if (auto s = f.Finish(); !s) return std::unexpected(s.error());
  if (r.citizen.has_value() == r.code.has_value()) {
    return Fail("request.missing_field", "give either citizen_id or consent_code", "citizen_id");
  }
  if (*fields == nullptr || (*fields)->empty()) {
    return Fail("request.missing_field", "fields: name at least one personal field", "fields");
  }
  if ((*fields)->size() > kMaxFields) {
    return Fail("ekyc.bad_field", "fields: too many names", "fields");
  }
  for (const auto& v : **fields) {
    if (!v.is_string()) return Fail("request.wrong_type", "fields: strings only", "fields");
    std::string name(v.as_string());
    if (!hub::IsPersonalField(name)) {
      return Fail("ekyc.bad_field", "\"" + name + "\" is not a personal field", "fields");
    }
    r.fields.push_back(std::move(name));
  }
  std::sort(r.fields.begin(), r.fields.end());
  r.fields.erase(std::unique(r.fields.begin(), r.fields.end()), r.fields.end());
  return r;
}

std::string JoinFields(const std::vector<std::string>& fields) {
  std::string out;
  for (const std::string& f : fields) out += (out.empty() ? "" : ",") + f;
  return out;
}

// The requested fields of a register record, under the personal-field names.
boost::json::object CitizenFields(const registry::Citizen& c,
                                  const std::vector<std::string>& fields) {
  boost::json::object all = registry::CitizenToJson(c);
  boost::json::object out;
  for (const std::string& f : fields) {
    const boost::json::value* v = all.if_contains(f == "citizen_id" ? "id" : f);
    out[f] = v != nullptr ? *v : boost::json::value(nullptr);
  }
  return out;
}

}  // namespace

void AddEkycRoutes(http::Router& router, ApiDeps deps) {
  router.Add(
      verb::post, "/v1/agency/ekyc",
      [deps](http::RequestContext& ctx) -> http::Response {
        auto grant = Admit(ctx, deps, hub::Operation::kEkyc);
        if (!grant) return std::move(grant.error());
        auto request = ParseRequest(ctx);
        if (!request) return http::ProblemResponse(request.error());

        hub::AccessRecord record = AccessFor(ctx, *grant, "ekyc");
        record.fields = JoinFields(request->fields);
        if (request->citizen) record.citizen = request->citizen->ToString();
        auto refuse = [&](std::string outcome, const Error& e) {
          record.outcome = std::move(outcome);
          if (deps.audit_log != nullptr) deps.audit_log->Append(std::move(record));
          return http::ProblemResponse(e);
        };

        for (const std::string& f : request->fields) {
          if (!grant->AllowsField(f)) {
            return refuse(
                "FIELD_NOT_ALLOWED",
                Error{"policy.field_not_allowed",
                      "the policy of this client does not allow the field \"" + f + "\"", f});
          }
        }

        std::optional<hub::EkycConsent> consent;
        if (request->code) {
          auto redeemed = deps.ekyc_consents->Redeem(*request->code, grant->agency);
          if (!redeemed) {
            if (redeemed.error().code.starts_with("storage.")) {
              return http::ProblemResponse(redeemed.error());
            }
            return refuse("BAD_CONSENT_CODE", redeemed.error());
          }
          record.citizen = redeemed->citizen_id;
        }
        auto found = deps.ekyc_consents->FindValid(record.citizen, grant->agency, grant->purpose(),
                                                   request->fields);
        if (!found) return http::ProblemResponse(found.error());
        if (!*found) {
          return refuse("NO_CONSENT",
                        Error{"ekyc.no_consent",
                              "the citizen has not consented to give this agency these fields "
                              "for its purpose (or the consent expired or was revoked)",
                              "fields"});
        }
        consent = std::move(**found);

        auto id = CitizenId::Parse(consent->citizen_id);
        if (!id) return http::ProblemResponse(id.error());  // a stored id is always valid
        auto citizen = deps.registry.GetCitizen(*id);
        if (!citizen) {
          if (citizen.error().code == "citizen.not_found") {
            return refuse("NOT_FOUND", citizen.error());
          }
          return http::ProblemResponse(citizen.error());
        }
        if (citizen->status == registry::LifeStatus::kDeceased) {
          return refuse("DECEASED",
                        Error{"ekyc.citizen_deceased",
                              "the citizen has died; eKYC is for living persons", "citizen_id"});
        }

        record.outcome = "OK";
        if (deps.audit_log != nullptr) deps.audit_log->Append(std::move(record));
        boost::json::object body;
        body["citizen"] = CitizenFields(*citizen, request->fields);
        body["purpose"] = consent->purpose;
        boost::json::object c;
        c["id"] = consent->id;
        c["expires_at"] = FormatTimestamp(consent->expires_at);
        body["consent"] = std::move(c);
        return http::JsonResponse(200, body);
      },
      http::Access::kAgency);
}

}  // namespace dancu::api
