// POST /v1/agency/sectoral-records: sectoral data sync (issue 5, "Sectoral
// data sync (làm giàu)"). An agency submits the records it holds about
// citizens (health-insurance cards, driver's licences, tax codes,
// social-insurance numbers; hub/sectoral_record.h); each is validated,
// checked against the register with the verification semantics
// (hub/sectoral_sync.h) and, when it matches, linked to the citizen's account
// (hub/linked_documents.h).
//
// Admission: the operation submit-sectoral-data (api/agency_access.h; staff
// are unrestricted and submit as their principal id).
// Body: a JSON array of records, or {"records": [...]}, at most
// kSectoralMaxRecords (413 sectoral.too_many_records) in at most
// kSectoralBodyLimit bytes (413 request.too_large, by the server). A record
// is a flat object of strings:
//   {"type", "number", "class"?, "valid_from"?, "valid_to"?, "expiry"?,
//    "citizen_id", "full_name"?, "date_of_birth"?, "sex"?}
// A body that is not such a list is a 400 problem and nothing is checked.
// Answer 200, one result per record in input order:
//   {"accepted": N, "results": [{"index", "status", "type"?, "flags"?,
//     "fields"?: {"citizen_id": {"result"}, "full_name": {"result","level",
//     "score"}, ...}, "error"?: {"code","field"?,"detail"}}]}
// status linked / mismatch / not_found / invalid; "fields" are the
// verification outcomes of the person fields given (never register values),
// shaped as in POST /v1/verify. accepted = the number linked.
// All linked records of a request are stored in one transaction: on a
// storage error the answer is 500 and nothing is linked.
// Every record checked against the register is appended to the access log
// (operation submit-sectoral-data, the person fields checked, the
// verification outcome); an invalid record never reached the register and
// is not logged.
#include <array>
#include <boost/beast/http/verb.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <utility>

#include "api/agency_access.h"
#include "api/api.h"
#include "http/json_reader.h"
#include "http/response.h"
#include "hub/audit_log.h"
#include "hub/linked_documents.h"
#include "hub/sectoral_record.h"
#include "hub/sectoral_sync.h"
#include "verify/verifier.h"

namespace dancu::api {
namespace {

using boost::beast::http::verb;

// A record's members (strings; absent or null = not given) and where they go.
constexpr std::pair<std::string_view, std::string_view hub::SectoralInput::*> kMembers[] = {
    {"type", &hub::SectoralInput::type},
    {"number", &hub::SectoralInput::number},
    {"class", &hub::SectoralInput::licence_class},
    {"valid_from", &hub::SectoralInput::valid_from},
    {"valid_to", &hub::SectoralInput::valid_to},
    {"expiry", &hub::SectoralInput::expiry},
    {"citizen_id", &hub::SectoralInput::citizen_id},
    {"full_name", &hub::SectoralInput::full_name},
    {"date_of_birth", &hub::SectoralInput::date_of_birth},
    {"sex", &hub::SectoralInput::sex},
};

Result<hub::SectoralRecord> ParseRecord(const boost::json::value& v,
                                        std::chrono::year_month_day today) {
  if (!v.is_object()) return Fail("request.wrong_type", "each record is a JSON object");
  http::JsonFields f(v.as_object());
  std::array<std::string, std::size(kMembers)> text;  // what the input's views point at
  hub::SectoralInput in;
  for (size_t i = 0; i < std::size(kMembers); ++i) {
    auto s = f.OptionalString(kMembers[i].first);
    if (!s) return std::unexpected(s.error());
    if (*s) text[i] = std::move(**s);
    in.*kMembers[i].second = text[i];
  }
  if (auto s = f.Finish(); !s) return std::unexpected(s.error());
  return hub::ValidateSectoralRecord(in, today);
}

boost::json::object ErrorJson(const Error& e) {
  boost::json::object err;
  err["code"] = e.code;
  if (!e.field.empty()) err["field"] = e.field;
  err["detail"] = e.message;
  return err;
}

// The verification outcome of each person field given, keyed by field as
// POST /v1/verify answers ("id" is "citizen_id"): outcomes, never values, so
// the minimizer keeps them (hub/minimizer.h).
boost::json::object FieldsJson(const verify::VerifyResult& r) {
  boost::json::object out;
  for (const verify::FieldOutcome& f : r.fields) {
    boost::json::object o;
    o["result"] = verify::ToString(f.result);
    if (f.level) o["level"] = verify::ToString(*f.level);
    if (f.score >= 0) o["score"] = f.score;
    out[hub::SyncFieldName(f.field)] = std::move(o);
  }
  return out;
}

http::Response Submit(http::RequestContext& ctx, const ApiDeps& deps) {
  auto grant = Admit(ctx, deps, hub::Operation::kSubmitSectoralData);
  if (!grant) return std::move(grant.error());

  boost::system::error_code ec;
  boost::json::value body = boost::json::parse(ctx.body(), ec);
  if (ec) {
    return http::ProblemResponse(
        Error{"request.malformed_json", "the body is not JSON: " + ec.message(), ""});
  }
  const boost::json::array* records = nullptr;
  if (body.is_array()) {
    records = &body.as_array();
  } else if (body.is_object()) {
    http::JsonFields f(body.as_object());
    auto list = f.OptionalArray("records");
    if (!list) return http::ProblemResponse(list.error());
    if (auto s = f.Finish(); !s) return http::ProblemResponse(s.error());
    if (*list == nullptr) {
      return http::ProblemResponse(
          Error{"request.missing_field", "the body needs a records array", "records"});
    }
    records = *list;
  } else {
    return http::ProblemResponse(Error{
        "request.wrong_type", "the body is a JSON array of records, or {\"records\": [...]}", ""});
  }
  if (records->size() > kSectoralMaxRecords) {
    return http::ProblemResponse(Error{"sectoral.too_many_records",
                                       "a submission holds at most " +
                                           std::to_string(kSectoralMaxRecords) + " records, not " +
                                           std::to_string(records->size()),
                                       "records"});
  }

  const auto today = deps.clock.Today();
  boost::json::array results;
  std::vector<hub::SectoralRecord> linked;
  std::vector<hub::AccessRecord> accesses;
  for (size_t i = 0; i < records->size(); ++i) {
    boost::json::object out;
    out["index"] = i;
    auto record = ParseRecord((*records)[i], today);
    if (!record) {
      out["status"] = hub::ToString(hub::SyncStatus::kInvalid);
      out["error"] = ErrorJson(record.error());
      results.push_back(std::move(out));
      continue;
    }
    hub::SyncOutcome o = hub::CheckRecord(*deps.verifier, *record);
    out["status"] = hub::ToString(o.status);
    out["type"] = hub::ToString(record->type);
    boost::json::array flags;
    if (o.check.deceased) flags.emplace_back("DECEASED");
    out["flags"] = std::move(flags);
    out["fields"] = FieldsJson(o.check);
    results.push_back(std::move(out));
    if (deps.audit_log != nullptr) {
      hub::AccessRecord a = AccessFor(ctx, *grant, "submit-sectoral-data");
      a.citizen = record->citizen_id.ToString();
      a.fields = hub::CheckedFieldNames(*record);
      a.outcome = verify::ToString(o.check.status);
      accesses.push_back(std::move(a));
    }
    if (o.status == hub::SyncStatus::kLinked) linked.push_back(std::move(*record));
  }

  // Staff have no agency: they submit under their principal id.
  const std::string& agency = grant->agency.empty() ? ctx.principal.id : grant->agency;
  Status stored = deps.linked_documents->Link(agency, linked);
  // The register was read either way: the accesses are logged.
  for (hub::AccessRecord& a : accesses) deps.audit_log->Append(std::move(a));
  if (!stored) return http::ProblemResponse(stored.error());

  boost::json::object answer;
  answer["accepted"] = linked.size();
  answer["results"] = std::move(results);
  return http::JsonResponse(200, answer);
}

}  // namespace

void AddSectoralRoutes(http::Router& router, ApiDeps deps) {
  // POST /v1/agency/sectoral-records
  router.Add(
      verb::post, "/v1/agency/sectoral-records",
      [deps](http::RequestContext& ctx) { return Submit(ctx, deps); }, http::Access::kAgency);
}

}  // namespace dancu::api
