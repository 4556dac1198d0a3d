// POST /v1/verify, POST /v1/verify/batch, GET /v1/stats/verification
//
// A query is any subset of {"id","old_id","full_name","date_of_birth","sex",
// "permanent_address":{"commune_code","address"}} with id or old_id; values
// are validated like everywhere else (id.*, old_id.*, name.*, date.*,
// admin.*, request.*). Answers never contain register values (verifier.h).
// A batch is a JSON array, or NDJSON (Content-Type application/x-ndjson), of
// at most kVerifyBatchMaxQueries queries; the answer is {"results":[...]} in
// input order, where a query that fails validation gets
// {"status":"ERROR","error":{"code","field","detail"}} and the others are
// still answered. Every answered query is recorded in the VerificationLog
// (agency, time, fields, outcome), appended to the access log when there is
// one (who asked about whom, fields, outcome) and counted in /metrics.
// Agency clients whose policy allows "verify" may call the two verify routes
// (api/agency_access.h; a batch is one request for the rate limit and
// quota); the statistics are for staff.
#include <array>
#include <mutex>
#include <unordered_map>

#include <boost/json/parse.hpp>

#include "api/access_record.h"
#include "api/agency_access.h"
#include "api/api.h"
#include "api/request_fields.h"
#include "http/response.h"
#include "hub/audit_log.h"
#include "verify/verification_log.h"
#include "verify/verifier.h"

namespace dancu::api {
namespace {

using boost::beast::http::verb;

#define DANCU_TRY(var, expr)                          \
  auto var = (expr);                                  \
  if (!var) return std::unexpected(var.error())

Result<verify::VerifyQuery> ParseQuery(const boost::json::object& o, const Clock& clock,
                                       const std::string& prefix) {
  http::JsonFields f(o, prefix);
  verify::VerifyQuery q;
  DANCU_TRY(id, OptionalIdField(f, "id"));
  q.id = *id;
  DANCU_TRY(old_id, f.OptionalString("old_id"));
  if (*old_id) {
    auto parsed = ParseOldId(**old_id);
    if (!parsed) return WithField(parsed.error(), f.FieldName("old_id"));
    q.old_id = *parsed;
  }
  DANCU_TRY(name, f.OptionalString("full_name"));
  if (*name) {
    auto parsed = PersonName::Parse(**name);
    if (!parsed) return WithField(parsed.error(), f.FieldName("full_name"));
    q.full_name = std::move(*parsed);
  }
  DANCU_TRY(dob, OptionalDateField(f, "date_of_birth", clock));
  q.date_of_birth = *dob;
  DANCU_TRY(sex, f.OptionalString("sex"));
  if (*sex) {
    if (**sex == "male") {
      q.sex = Sex::kMale;
    } else if (**sex == "female") {
      q.sex = Sex::kFemale;
    } else {
      return Fail("request.bad_parameter", "sex is \"male\" or \"female\"", f.FieldName("sex"));
    }
  }
  DANCU_TRY(address, f.OptionalObject("permanent_address"));
  if (*address != nullptr) {
    http::JsonFields a(**address, f.FieldName("permanent_address") + ".");
    DANCU_TRY(commune, a.OptionalString("commune_code"));
    DANCU_TRY(street, a.OptionalString("address"));
    if (auto s = a.Finish(); !s) return std::unexpected(s.error());
    if (*commune) {
      auto c = AdminUnits::Get().RequireCommune(**commune);
      if (!c) return WithField(c.error(), a.FieldName("commune_code"));
    }
    if (!*commune && !*street) {
      return Fail("request.missing_field", "permanent_address needs commune_code or address",
                  f.FieldName("permanent_address"));
    }
    q.commune_code = *commune;
    q.address = *street;
  }
  if (auto s = f.Finish(); !s) return std::unexpected(s.error());
  if (!q.id && !q.old_id) {
    return Fail("request.missing_field", "a verification needs id or old_id", f.FieldName("id"));
  }
  return q;
}

boost::json::object ResultJson(const verify::VerifyResult& r) {
  boost::json::object o;
  o["status"] = verify::ToString(r.status);
  boost::json::array flags;
  if (r.deceased) flags.emplace_back("DECEASED");
  o["flags"] = std::move(flags);
  boost::json::object fields;
  auto part = [](verify::FieldResult result) {
    boost::json::object p;
    p["result"] = verify::ToString(result);
    return p;
  };
  for (const verify::FieldOutcome& f : r.fields) {
    boost::json::object field = part(f.result);
    if (f.level) field["level"] = verify::ToString(*f.level);
    if (f.score >= 0) field["score"] = f.score;
    if (f.commune_code) field["commune_code"] = part(*f.commune_code);
    if (f.address) field["address"] = part(*f.address);
    fields[verify::ToString(f.field)] = std::move(field);
  }
  o["fields"] = std::move(fields);
  return o;
}

boost::json::object ErrorJson(const Error& e) {
  boost::json::object err;
  err["code"] = e.code;
  if (!e.field.empty()) err["field"] = e.field;
  err["detail"] = e.message;
  boost::json::object o;
  o["status"] = "ERROR";
  o["error"] = std::move(err);
  return o;
}

// Verifies, records and counts one query.
class VerifyService {
 public:
  explicit VerifyService(ApiDeps deps) : deps_(deps) {}

  // The policy gate: one request (a batch counts once) of operation verify.
  std::expected<hub::Grant, http::Response> Admit(const http::RequestContext& ctx) const {
    return api::Admit(ctx, deps_, hub::Operation::kVerify);
  }

  verify::VerifyResult Run(const http::RequestContext& ctx, const hub::Grant& grant,
                           const verify::VerifyQuery& q) {
    verify::VerifyResult r = deps_.verifier->Verify(q);
    const std::string& agency = grant.unrestricted ? ctx.principal.id : grant.agency;
    deps_.verification_log->Record(agency, q, r);
    if (deps_.audit_log != nullptr) Audit(ctx, grant, q, r);
    Count(agency, r);
    return r;
  }

 private:
  static constexpr size_t kOutcomeCount = 3;

  // The access log: who asked about whom (the queried id, or the old id
  // when only that was given), which fields and the outcome; no value.
  void Audit(const http::RequestContext& ctx, const hub::Grant& grant,
             const verify::VerifyQuery& q, const verify::VerifyResult& r) {
    hub::AccessRecord a = AccessFor(ctx, grant, "verify");
    if (q.id) {
      a.citizen = q.id->ToString();
    } else if (q.old_id) {
      a.citizen = "old_id:" + *q.old_id;
    }
    unsigned mask = 0;
    auto bit = [&](verify::Field f) { mask |= 1u << static_cast<unsigned>(f); };
    if (q.id) bit(verify::Field::kId);
    if (q.old_id) bit(verify::Field::kOldId);
    if (q.full_name) bit(verify::Field::kFullName);
    if (q.date_of_birth) bit(verify::Field::kDateOfBirth);
    if (q.sex) bit(verify::Field::kSex);
    if (q.has_permanent_address()) bit(verify::Field::kPermanentAddress);
    a.fields = FieldNames(mask);
    a.outcome = verify::ToString(r.status);
    deps_.audit_log->Append(std::move(a));
  }

  // "id,full_name,..." for a bitmask of verify::Field, built once per mask.
  static const std::string& FieldNames(unsigned mask) {
    static const std::array<std::string, 1u << verify::kFieldCount> kNames = [] {
      std::array<std::string, 1u << verify::kFieldCount> names;
      for (unsigned m = 0; m < names.size(); ++m) {
        for (size_t f = 0; f < verify::kFieldCount; ++f) {
          if ((m & (1u << f)) == 0) continue;
          if (!names[m].empty()) names[m] += ',';
          names[m] += verify::ToString(static_cast<verify::Field>(f));
        }
      }
      return names;
    }();
    return kNames[mask];
  }

  // One agency's counters, each resolved the first time it is counted (so a
  // series appears in /metrics once it has something to say). Resolving by
  // labels on every query would build label strings and take the Metrics
  // mutex up to seven times per verification.
  struct AgencyCounters {
    std::array<Counter*, kOutcomeCount> by_status{};
    std::array<Counter*, verify::kFieldCount> discrepancies{};
  };

  void Count(const std::string& agency, const verify::VerifyResult& r) {
    std::array<Counter*, 1 + verify::kFieldCount> hits{};
    size_t n = 0;
    {
      std::lock_guard lock(mu_);
      AgencyCounters& c = counters_[agency];
      Counter*& status = c.by_status[static_cast<size_t>(r.status)];
      if (status == nullptr) {
        // Agencies are few (configured, not input), so they are fine as labels.
        status = &deps_.metrics.GetCounter(
            "dancu_verifications_total", "Verification queries answered, by agency and status",
            {{"agency", agency}, {"status", std::string(verify::ToString(r.status))}});
      }
      hits[n++] = status;
      for (const verify::FieldOutcome& f : r.fields) {
        if (f.result == verify::FieldResult::kMatch) continue;
        Counter*& field = c.discrepancies[static_cast<size_t>(f.field)];
        if (field == nullptr) {
          field = &deps_.metrics.GetCounter(
              "dancu_verification_discrepancies_total",
              "Verified fields that did not fully match, by agency and field",
              {{"agency", agency}, {"field", std::string(verify::ToString(f.field))}});
        }
        hits[n++] = field;
      }
    }
    for (size_t i = 0; i < n; ++i) hits[i]->Inc();
  }

  ApiDeps deps_;
  std::mutex mu_;
  std::unordered_map<std::string, AgencyCounters> counters_;
};

boost::json::object TotalsJson(const verify::VerificationTotals& t) {
  boost::json::object o;
  o["total"] = t.total;
  o["matched"] = t.matched;
  o["mismatched"] = t.mismatched;
  o["not_found"] = t.not_found;
  boost::json::object d;
  for (size_t i = 0; i < verify::kFieldCount; ++i) {
    d[verify::ToString(static_cast<verify::Field>(i))] = t.discrepancies[i];
  }
  o["discrepancies"] = std::move(d);
  return o;
}

}  // namespace

void AddVerifyRoutes(http::Router& router, ApiDeps deps) {
  auto service = std::make_shared<VerifyService>(deps);
  const Clock& clock = deps.clock;

  // POST /v1/verify
  router.Add(verb::post, "/v1/verify", [service, &clock](http::RequestContext& ctx) {
    auto grant = service->Admit(ctx);
    if (!grant) return std::move(grant.error());
    auto json = http::ParseJsonObject(ctx.body());
    if (!json) return http::ProblemResponse(json.error());
    auto q = ParseQuery(*json, clock, "");
    if (!q) return http::ProblemResponse(q.error());
    return http::JsonResponse(200, ResultJson(service->Run(ctx, *grant, *q)));
  }, http::Access::kAgency);

  // POST /v1/verify/batch
  router.Add(verb::post, "/v1/verify/batch", [service, &clock](http::RequestContext& ctx) {
    auto grant = service->Admit(ctx);
    if (!grant) return std::move(grant.error());
    std::string_view type = ctx.header("Content-Type").value_or("");
    bool ndjson = type.starts_with("application/x-ndjson");
    // Each item: a parsed object, or the error that stopped it.
    std::vector<Result<boost::json::object>> items;
    auto too_many = [] {
      return http::ProblemResponse(Error{
          "verify.batch_too_large",
          "a batch holds at most " + std::to_string(kVerifyBatchMaxQueries) + " queries", ""});
    };
    if (ndjson) {
      std::string_view body = ctx.body();
      size_t line = 0;
      while (!body.empty()) {
        size_t nl = body.find('\n');
        std::string_view text = body.substr(0, nl);
        body = nl == std::string_view::npos ? std::string_view() : body.substr(nl + 1);
        ++line;
        if (text.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        if (items.size() == kVerifyBatchMaxQueries) return too_many();
        auto o = http::ParseJsonObject(text);
        if (!o) o.error().message = "line " + std::to_string(line) + ": " + o.error().message;
        items.push_back(std::move(o));
      }
    } else {
      boost::system::error_code ec;
      boost::json::value v = boost::json::parse(ctx.body(), ec);
      if (ec) {
        return http::ProblemResponse(
            Error{"request.malformed_json", "the body is not JSON: " + ec.message(), ""});
      }
      if (!v.is_array()) {
        return http::ProblemResponse(Error{
            "request.wrong_type",
            "a batch is a JSON array of queries (or NDJSON with application/x-ndjson)", ""});
      }
      if (v.as_array().size() > kVerifyBatchMaxQueries) return too_many();
      for (const boost::json::value& item : v.as_array()) {
        if (item.is_object()) {
          items.emplace_back(item.as_object());
        } else {
          items.emplace_back(std::unexpected(
              Error{"request.wrong_type", "each query is a JSON object", ""}));
        }
      }
    }
    boost::json::array results;
    results.reserve(items.size());
    for (size_t i = 0; i < items.size(); ++i) {
      std::string prefix = "[" + std::to_string(i) + "].";
      Result<verify::VerifyQuery> q =
          items[i] ? ParseQuery(*items[i], clock, prefix)
                   : Result<verify::VerifyQuery>(std::unexpected(items[i].error()));
      if (!q) {
        // Shared field parsers name the bare key: say which query it was in.
        std::string& field = q.error().field;
        if (field.empty()) {
          field = "[" + std::to_string(i) + "]";
        } else if (!field.starts_with(prefix)) {
          field = prefix + field;
        }
        results.push_back(ErrorJson(q.error()));
        continue;
      }
      results.push_back(ResultJson(service->Run(ctx, *grant, *q)));
    }
    boost::json::object o;
    o["results"] = std::move(results);
    return http::JsonResponse(200, o);
  }, http::Access::kAgency);

  // GET /v1/stats/verification
  router.Add(verb::get, "/v1/stats/verification", [deps](http::RequestContext&) {
    boost::json::object o = TotalsJson(deps.verification_log->Totals());
    boost::json::object by_agency;
    for (const auto& [agency, t] : deps.verification_log->TotalsByAgency()) {
      by_agency[agency] = TotalsJson(t);
    }
    o["by_agency"] = std::move(by_agency);
    return http::JsonResponse(200, o);
  });
}

}  // namespace dancu::api
