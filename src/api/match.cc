// POST /v1/match: record linkage against the register for a person whose id
// is missing or wrong (verify/verifier.h Verifier::Match).
//
// Body: {"full_name","date_of_birth","sex"?,"permanent_address"?:
// {"commune_code"?,"address"?},"limit"?} with full_name and date_of_birth
// required (every blocking key needs the birth date or year), values
// validated like /v1/verify (name.*, date.*, admin.*, request.*), limit
// 1..kMatchMaxLimit (default 5). Answer: {"candidates":[{"citizen_id","score",
// "weight","needs_review"}]}, best first; candidates below the review
// threshold are not returned. Like verification, an answer holds only ids
// and scores, never register values. Each candidate disclosed is an access
// to that citizen, appended to the access log when there is one.
#include <cmath>

#include "api/access_record.h"
#include "api/agency_access.h"
#include "api/api.h"
#include "api/request_fields.h"
#include "http/response.h"
#include "hub/audit_log.h"
#include "verify/verifier.h"

namespace dancu::api {
namespace {

using boost::beast::http::verb;

constexpr int64_t kMatchMaxLimit = 50;

Result<std::pair<verify::MatchQuery, size_t>> ParseMatch(const boost::json::object& o,
                                                         const Clock& clock) {
  http::JsonFields f(o, "");
  verify::MatchQuery q;
  auto name = NameField(f, "full_name");
  if (!name) return std::unexpected(name.error());
  q.full_name = std::move(*name);
  auto dob = DateField(f, "date_of_birth", clock);
  if (!dob) return std::unexpected(dob.error());
  q.date_of_birth = *dob;
  auto sex = f.OptionalString("sex");
  if (!sex) return std::unexpected(sex.error());
  if (*sex) {
    if (**sex == "male") {
      q.sex = Sex::kMale;
    } else if (**sex == "female") {
      q.sex = Sex::kFemale;
    } else {
      return Fail("request.bad_parameter", "sex is \"male\" or \"female\"", "sex");
    }
  }
  auto address = f.OptionalObject("permanent_address");
  if (!address) return std::unexpected(address.error());
  if (*address != nullptr) {
    http::JsonFields a(**address, "permanent_address.");
    auto commune = a.OptionalString("commune_code");
    if (!commune) return std::unexpected(commune.error());
    auto street = a.OptionalString("address");
    if (!street) return std::unexpected(street.error());
    if (auto s = a.Finish(); !s) return std::unexpected(s.error());
    if (*commune) {
      auto c = AdminUnits::Get().RequireCommune(**commune);
      if (!c) return WithField(c.error(), a.FieldName("commune_code"));
    }
    if (!*commune && !*street) {
      return Fail("request.missing_field", "permanent_address needs commune_code or address",
                  "permanent_address");
    }
    q.commune_code = *commune;
    q.address = *street;
  }
  auto limit = f.OptionalInt("limit");
  if (!limit) return std::unexpected(limit.error());
  size_t n = 5;
  if (*limit) {
    if (**limit < 1 || **limit > kMatchMaxLimit) {
      return Fail("request.bad_parameter",
                  "limit is between 1 and " + std::to_string(kMatchMaxLimit), "limit");
    }
    n = static_cast<size_t>(**limit);
  }
  if (auto s = f.Finish(); !s) return std::unexpected(s.error());
  return std::pair{std::move(q), n};
}

}  // namespace

void AddMatchRoutes(http::Router& router, ApiDeps deps) {
  verify::Verifier* verifier = deps.verifier;
  hub::AuditLog* audit_log = deps.audit_log;
  const Clock& clock = deps.clock;

  // POST /v1/match
  router.Add(
      verb::post, "/v1/match",
      [deps, verifier, audit_log, &clock](http::RequestContext& ctx) {
        auto grant = Admit(ctx, deps, hub::Operation::kMatch);
        if (!grant) return std::move(grant.error());
        auto json = http::ParseJsonObject(ctx.body());
        if (!json) return http::ProblemResponse(json.error());
        auto parsed = ParseMatch(*json, clock);
        if (!parsed) return http::ProblemResponse(parsed.error());
        verify::MatchOptions options;
        options.limit = parsed->second;
        boost::json::array candidates;
        std::vector<verify::MatchCandidate> found = verifier->Match(parsed->first, options);
        if (audit_log != nullptr) {
          // Each candidate's id is disclosed: one access-log entry per
          // candidate (or one without a citizen when none was found).
          const verify::MatchQuery& q = parsed->first;
          hub::AccessRecord a = AccessFor(ctx, *grant, "match");
          a.fields = "full_name,date_of_birth";
          if (q.sex) a.fields += ",sex";
          if (q.commune_code || q.address) a.fields += ",permanent_address";
          if (found.empty()) {
            a.outcome = "NO_CANDIDATE";
            audit_log->Append(std::move(a));
          }
          for (const verify::MatchCandidate& c : found) {
            hub::AccessRecord each = a;
            each.citizen = c.id.ToString();
            each.outcome = c.needs_review ? "NEEDS_REVIEW" : "CANDIDATE";
            audit_log->Append(std::move(each));
          }
        }
        for (const verify::MatchCandidate& c : found) {
          boost::json::object o;
          o["citizen_id"] = c.id.ToString();
          o["score"] = c.score;
          o["weight"] = std::round(c.weight * 100) / 100;
          o["needs_review"] = c.needs_review;
          candidates.push_back(std::move(o));
        }
        boost::json::object body;
        body["candidates"] = std::move(candidates);
        return http::JsonResponse(200, body);
      },
      http::Access::kAgency);
}

}  // namespace dancu::api
