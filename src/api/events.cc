// POST /v1/events/{birth,death,residence,correction,marriage,divorce,household}
//
// Every event handler: parse the JSON body strictly (unknown fields are
// errors), build the registry request, check who may register it, call the
// registry with a WriteContext carrying the Idempotency-Key, and answer 201
// with the event's seq. A replayed key answers the first result again with
// Idempotent-Replayed: true.
//
// The routes are open to officers (Access::kOfficer): an officer registers
// only the event types of their role and only in their area
// (identity/officer_roles.h has the table and, per event, the place that
// must lie in the area); else 403 officer.role_forbids / officer.out_of_area,
// before anything is written. The event's actor is "officer:USERNAME".
// Every registration attempt that names a citizen, by anyone, is appended to
// the access log (operation "register-<type>", fields = the request's member
// names, outcome "OK" or the error code), one entry per citizen written.
#include <functional>

#include "api/access_record.h"
#include "api/api.h"
#include "api/officer_scope.h"
#include "api/request_fields.h"
#include "core/ethnicity.h"
#include "http/response.h"
#include "hub/audit_log.h"

namespace dancu::api {
namespace {

using boost::beast::http::verb;

// Who the event concerns and where it may be registered, filled by a body
// after it has parsed the request and before anything is written.
class EventScope {
 public:
  EventScope(const registry::Registry& reg, const MaybeOfficer& officer)
      : reg_(reg), officer_(officer) {}

  // A citizen whose data the event writes (one access-log entry each).
  void Subject(CitizenId id) { subjects_.push_back(id.ToString()); }
  // A commune where the event may be registered (any one suffices).
  void Place(std::string commune) { places_.push_back(std::move(commune)); }
  // The citizen's permanent residence as a place. Only an officer's request
  // loads the citizen (citizen.not_found when there is none); staff skip it.
  Status PlaceOfCitizen(CitizenId id) {
    if (!officer_) return {};
    auto c = reg_.GetCitizen(id);
    if (!c) return std::unexpected(c.error());
    Place(c->permanent_residence.commune_code);
    return {};
  }
  // The household's address as a place (officers only, as above).
  Status PlaceOfHousehold(int64_t id) {
    if (!officer_) return {};
    auto h = reg_.GetHousehold(id);
    if (!h) return std::unexpected(h.error());
    Place(h->address.commune_code);
    return {};
  }

  Status Authorize() const { return CheckArea(officer_, places_); }
  bool has_officer() const { return officer_.has_value(); }
  std::vector<std::string>& subjects() { return subjects_; }

 private:
  const registry::Registry& reg_;
  const MaybeOfficer& officer_;
  std::vector<std::string> subjects_;
  std::vector<std::string> places_;
};

// What a body returns once it has parsed the request and filled the scope:
// the write itself, run only when the caller may register the event.
using Apply = std::function<Result<registry::EventResult>(const registry::WriteContext&)>;
using Body = std::function<Result<Apply>(http::JsonFields&, EventScope&)>;

// The shared shape of an event endpoint.
http::Handler EventHandler(ApiDeps deps, std::string type, Body body) {
  Counter* ok = &deps.metrics.GetCounter("dancu_events_total", "Life events registered, by type",
                                         {{"type", type}});
  Counter* rejected = &deps.metrics.GetCounter(
      "dancu_events_rejected_total", "Life events rejected, by type", {{"type", type}});
  return [deps, type, body = std::move(body), ok, rejected](http::RequestContext& ctx) {
    auto officer = OfficerOf(ctx, deps);
    if (!officer) return std::move(officer.error());
    if (auto s = CheckRole(*officer, type); !s) {
      rejected->Inc();
      return http::ProblemResponse(s.error());
    }
    auto w = WriteContextFor(ctx);
    if (!w) return http::ProblemResponse(w.error());
    w->actor = WriterActor(ctx);
    auto json = http::ParseJsonObject(ctx.body());
    if (!json) return http::ProblemResponse(json.error());
    std::string field_names;  // names only, never values
    for (const auto& member : *json) {
      if (!field_names.empty()) field_names += ',';
      field_names += std::string_view(member.key());
    }
    http::JsonFields fields(*json);
    EventScope scope(deps.registry, *officer);
    auto apply = body(fields, scope);
    if (!apply) {
      rejected->Inc();
      return http::ProblemResponse(apply.error());
    }
    Status allowed = scope.Authorize();
    Result<registry::EventResult> result =
        allowed ? (*apply)(*w)
                : Result<registry::EventResult>(std::unexpected(allowed.error()));
    if (result && result->citizen_id) scope.Subject(*result->citizen_id);
    if (deps.audit_log != nullptr) {
      for (const std::string& citizen : scope.subjects()) {
        hub::AccessRecord a = AccessFor(ctx, "register-" + type);
        a.citizen = citizen;
        a.fields = field_names;
        a.outcome = result ? "OK" : result.error().code;
        deps.audit_log->Append(std::move(a));
      }
    }
    if (!result) {
      rejected->Inc();
      return http::ProblemResponse(result.error());
    }
    if (!result->replayed) ok->Inc();
    boost::json::object o;
    if (result->citizen_id) o["id"] = result->citizen_id->ToString();
    o["seq"] = result->seq;
    if (result->household_id) o["household_id"] = *result->household_id;
    http::Response r = http::JsonResponse(201, o);
    if (result->replayed) r.headers.emplace_back("Idempotent-Replayed", "true");
    return r;
  };
}

// Returns the error of a Result-valued expression, else names its value.
// Every body reads all its fields and then calls Finish() before it touches
// the registry, so a typo in a body never half-applies.
#define DANCU_TRY(var, expr)                          \
  auto var = (expr);                                  \
  if (!var) return std::unexpected(var.error())

Result<std::vector<registry::HouseholdMember>> MembersField(http::JsonFields& f,
                                                            std::string_view key) {
  std::vector<registry::HouseholdMember> out;
  auto arr = f.OptionalArray(key);
  if (!arr) return std::unexpected(arr.error());
  if (*arr == nullptr) return out;
  for (const boost::json::value& v : **arr) {
    if (!v.is_object()) {
      return Fail("request.wrong_type", "each member is an object {id, relationship_to_head}",
                  std::string(key));
    }
    http::JsonFields m(v.as_object());
    DANCU_TRY(id, IdField(m, "id"));
    DANCU_TRY(rel_text, m.RequireString("relationship_to_head"));
    DANCU_TRY(rel, RelationshipValue(*rel_text, "relationship_to_head"));
    if (auto s = m.Finish(); !s) return WithField(s.error(), std::string(key) + "." + s.error().field);
    out.push_back(registry::HouseholdMember{*id, *rel});
  }
  return out;
}

}  // namespace

void AddEventRoutes(http::Router& router, ApiDeps deps) {
  registry::Registry& reg = deps.registry;
  const Clock& clock = deps.clock;
  const auto kOfficer = http::Access::kOfficer;

  // POST /v1/events/birth: where the mother (or the father) lives.
  router.Add(verb::post, "/v1/events/birth", EventHandler(deps, "birth",
      [&reg, &clock](http::JsonFields& f, EventScope& scope) -> Result<Apply> {
        registry::BirthRequest r;
        DANCU_TRY(name, NameField(f, "full_name"));
        DANCU_TRY(sex, SexField(f, "sex"));
        DANCU_TRY(dob, DateField(f, "date_of_birth", clock));
        DANCU_TRY(commune, f.RequireString("birth_commune_code"));
        DANCU_TRY(mother, IdField(f, "mother_id"));
        DANCU_TRY(father, OptionalIdField(f, "father_id"));
        DANCU_TRY(household, f.OptionalInt("household_id"));
        DANCU_TRY(ethnicity, f.OptionalInt("ethnicity"));
        if (auto s = f.Finish(); !s) return std::unexpected(s.error());
        r.full_name = *name;
        r.sex = *sex;
        r.date_of_birth = *dob;
        r.birth_commune_code = *commune;
        r.mother_id = *mother;
        r.father_id = *father;
        r.household_id = *household;
        if (*ethnicity) r.ethnicity = static_cast<int>(**ethnicity);
        scope.Subject(r.mother_id);
        if (auto s = scope.PlaceOfCitizen(r.mother_id); !s) return std::unexpected(s.error());
        if (r.father_id) {
          scope.Subject(*r.father_id);
          if (auto s = scope.PlaceOfCitizen(*r.father_id); !s) return std::unexpected(s.error());
        }
        return Apply([&reg, r](const registry::WriteContext& w) { return reg.RegisterBirth(r, w); });
      }), kOfficer);

  // POST /v1/events/death: where the deceased lived.
  router.Add(verb::post, "/v1/events/death", EventHandler(deps, "death",
      [&reg, &clock](http::JsonFields& f, EventScope& scope) -> Result<Apply> {
        DANCU_TRY(id, IdField(f, "citizen_id"));
        DANCU_TRY(date, DateField(f, "date_of_death", clock));
        if (auto s = f.Finish(); !s) return std::unexpected(s.error());
        scope.Subject(*id);
        if (auto s = scope.PlaceOfCitizen(*id); !s) return std::unexpected(s.error());
        registry::DeathRequest r{*id, *date};
        return Apply([&reg, r](const registry::WriteContext& w) { return reg.RegisterDeath(r, w); });
      }), kOfficer);

  // POST /v1/events/residence: where the citizen moves to.
  router.Add(verb::post, "/v1/events/residence", EventHandler(deps, "residence",
      [&reg](http::JsonFields& f, EventScope& scope) -> Result<Apply> {
        registry::ResidenceRequest r;
        DANCU_TRY(id, IdField(f, "citizen_id"));
        DANCU_TRY(kind, f.RequireString("kind"));
        DANCU_TRY(household, f.OptionalInt("household_id"));
        DANCU_TRY(rel, f.OptionalString("relationship_to_head"));
        DANCU_TRY(address, OptionalAddressField(f, "address"));
        DANCU_TRY(until, OptionalEndDateField(f, "until"));
        if (auto s = f.Finish(); !s) return std::unexpected(s.error());
        r.citizen_id = *id;
        if (*kind == "permanent") {
          r.kind = registry::ResidenceKind::kPermanent;
        } else if (*kind == "temporary") {
          r.kind = registry::ResidenceKind::kTemporary;
        } else if (*kind == "current") {
          r.kind = registry::ResidenceKind::kCurrent;
        } else {
          return Fail("request.bad_parameter", "kind is permanent, temporary or current", "kind");
        }
        r.household_id = *household;
        if (*rel) {
          DANCU_TRY(parsed, RelationshipValue(**rel, "relationship_to_head"));
          r.relationship = *parsed;
        }
        r.address = *address;
        r.until = *until;
        scope.Subject(r.citizen_id);
        if (r.address) {
          scope.Place(r.address->commune_code);
        } else if (r.household_id) {
          if (auto s = scope.PlaceOfHousehold(*r.household_id); !s) return std::unexpected(s.error());
        } else if (auto s = scope.PlaceOfCitizen(r.citizen_id); !s) {
          return std::unexpected(s.error());  // no new place: the registry refuses it anyway
        }
        return Apply(
            [&reg, r](const registry::WriteContext& w) { return reg.RegisterResidence(r, w); });
      }), kOfficer);

  // POST /v1/events/correction: where the citizen lives.
  router.Add(verb::post, "/v1/events/correction", EventHandler(deps, "correction",
      [&reg, &clock](http::JsonFields& f, EventScope& scope) -> Result<Apply> {
        registry::CorrectionRequest r;
        DANCU_TRY(id, IdField(f, "citizen_id"));
        DANCU_TRY(basis, f.RequireString("legal_basis"));
        DANCU_TRY(name, f.OptionalString("full_name"));
        DANCU_TRY(sex, f.OptionalString("sex"));
        DANCU_TRY(dob, OptionalDateField(f, "date_of_birth", clock));
        DANCU_TRY(old_id, f.OptionalString("old_id"));
        DANCU_TRY(ethnicity, f.OptionalInt("ethnicity"));
        DANCU_TRY(religion, f.OptionalString("religion"));
        DANCU_TRY(nationality, f.OptionalString("nationality"));
        DANCU_TRY(hometown, f.OptionalString("hometown_commune_code"));
        if (auto s = f.Finish(); !s) return std::unexpected(s.error());
        r.citizen_id = *id;
        r.legal_basis = *basis;
        if (*name) {
          DANCU_TRY(parsed, PersonName::Parse(**name));
          r.full_name = *parsed;
        }
        if (*sex) {
          if (**sex != "male" && **sex != "female") {
            return Fail("request.bad_parameter", "sex is \"male\" or \"female\"", "sex");
          }
          r.sex = **sex == "male" ? Sex::kMale : Sex::kFemale;
        }
        r.date_of_birth = *dob;
        r.old_id = *old_id;
        if (*ethnicity) r.ethnicity = static_cast<int>(**ethnicity);
        r.religion = *religion;
        r.nationality = *nationality;
        r.hometown_commune_code = *hometown;
        scope.Subject(r.citizen_id);
        if (auto s = scope.PlaceOfCitizen(r.citizen_id); !s) return std::unexpected(s.error());
        return Apply([&reg, r](const registry::WriteContext& w) { return reg.CorrectDetails(r, w); });
      }), kOfficer);

  // POST /v1/events/marriage and /v1/events/divorce: where either spouse lives.
  for (const char* type : {"marriage", "divorce"}) {
    bool marriage = std::string_view(type) == "marriage";
    router.Add(verb::post, std::string("/v1/events/") + type, EventHandler(deps, type,
        [&reg, &clock, marriage](http::JsonFields& f, EventScope& scope) -> Result<Apply> {
          DANCU_TRY(first, IdField(f, "first_id"));
          DANCU_TRY(second, IdField(f, "second_id"));
          DANCU_TRY(date, DateField(f, "date", clock));
          if (auto s = f.Finish(); !s) return std::unexpected(s.error());
          registry::MarriageRequest r{*first, *second, *date};
          for (CitizenId id : {r.first, r.second}) {
            scope.Subject(id);
            if (auto s = scope.PlaceOfCitizen(id); !s) return std::unexpected(s.error());
          }
          return Apply([&reg, r, marriage](const registry::WriteContext& w) {
            return marriage ? reg.RegisterMarriage(r, w) : reg.RegisterDivorce(r, w);
          });
        }), kOfficer);
  }

  // POST /v1/events/household  {"action": "split" | "change_head", ...}:
  // where the household lives (or, for a split, where the new one will).
  router.Add(verb::post, "/v1/events/household", EventHandler(deps, "household",
      [&reg](http::JsonFields& f, EventScope& scope) -> Result<Apply> {
        DANCU_TRY(action, f.RequireString("action"));
        DANCU_TRY(household, f.OptionalInt("household_id"));
        DANCU_TRY(head, IdField(f, "new_head_id"));
        DANCU_TRY(members, MembersField(f, "members"));
        DANCU_TRY(address, OptionalAddressField(f, "address"));
        if (auto s = f.Finish(); !s) return std::unexpected(s.error());
        if (!*household) return Fail("request.missing_field", "household_id is required", "household_id");
        scope.Subject(*head);
        for (const registry::HouseholdMember& m : *members) scope.Subject(m.id);
        if (*action == "split") {
          registry::HouseholdSplitRequest r;
          r.household_id = **household;
          r.new_head = *head;
          r.members = *members;
          r.address = *address;
          if (r.address) scope.Place(r.address->commune_code);
          if (auto s = scope.PlaceOfHousehold(r.household_id); !s) return std::unexpected(s.error());
          return Apply(
              [&reg, r](const registry::WriteContext& w) { return reg.SplitHousehold(r, w); });
        }
        if (*action == "change_head") {
          if (*address) {
            return Fail("request.bad_parameter", "a head change does not move the household",
                        "address");
          }
          registry::HouseholdHeadChangeRequest r;
          r.household_id = **household;
          r.new_head = *head;
          r.relationships = *members;
          if (auto s = scope.PlaceOfHousehold(r.household_id); !s) return std::unexpected(s.error());
          return Apply(
              [&reg, r](const registry::WriteContext& w) { return reg.ChangeHouseholdHead(r, w); });
        }
        return Fail("request.bad_parameter", "action is split or change_head", "action");
      }), kOfficer);
}

}  // namespace dancu::api
