// POST /v1/events/{birth,death,residence,correction,marriage,divorce,household}
//
// Every event handler: parse the JSON body strictly (unknown fields are
// errors), build the registry request, call the registry with a WriteContext
// carrying the Idempotency-Key, and answer 201 with the event's seq. A
// replayed key answers the first result again with Idempotent-Replayed: true.
#include <functional>

#include "api/api.h"
#include "api/request_fields.h"
#include "core/ethnicity.h"
#include "http/response.h"

namespace dancu::api {
namespace {

using boost::beast::http::verb;
using Body = std::function<Result<registry::EventResult>(http::JsonFields&,
                                                         const registry::WriteContext&)>;

// The shared shape of an event endpoint.
http::Handler EventHandler(ApiDeps deps, std::string type, Body body) {
  Counter* ok = &deps.metrics.GetCounter("dancu_events_total", "Life events registered, by type",
                                         {{"type", type}});
  Counter* rejected = &deps.metrics.GetCounter(
      "dancu_events_rejected_total", "Life events rejected, by type", {{"type", type}});
  return [deps, body = std::move(body), ok, rejected](http::RequestContext& ctx) {
    auto w = WriteContextFor(ctx);
    if (!w) return http::ProblemResponse(w.error());
    auto json = http::ParseJsonObject(ctx.body());
    if (!json) return http::ProblemResponse(json.error());
    http::JsonFields fields(*json);
    auto result = body(fields, *w);
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

  // POST /v1/events/birth
  router.Add(verb::post, "/v1/events/birth", EventHandler(deps, "birth",
      [&reg, &clock](http::JsonFields& f, const registry::WriteContext& w)
          -> Result<registry::EventResult> {
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
        return reg.RegisterBirth(r, w);
      }));

  // POST /v1/events/death
  router.Add(verb::post, "/v1/events/death", EventHandler(deps, "death",
      [&reg, &clock](http::JsonFields& f, const registry::WriteContext& w)
          -> Result<registry::EventResult> {
        DANCU_TRY(id, IdField(f, "citizen_id"));
        DANCU_TRY(date, DateField(f, "date_of_death", clock));
        if (auto s = f.Finish(); !s) return std::unexpected(s.error());
        return reg.RegisterDeath(registry::DeathRequest{*id, *date}, w);
      }));

  // POST /v1/events/residence
  router.Add(verb::post, "/v1/events/residence", EventHandler(deps, "residence",
      [&reg](http::JsonFields& f, const registry::WriteContext& w)
          -> Result<registry::EventResult> {
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
        return reg.RegisterResidence(r, w);
      }));

  // POST /v1/events/correction
  router.Add(verb::post, "/v1/events/correction", EventHandler(deps, "correction",
      [&reg, &clock](http::JsonFields& f, const registry::WriteContext& w)
          -> Result<registry::EventResult> {
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
        return reg.CorrectDetails(r, w);
      }));

  // POST /v1/events/marriage and /v1/events/divorce
  for (const char* type : {"marriage", "divorce"}) {
    bool marriage = std::string_view(type) == "marriage";
    router.Add(verb::post, std::string("/v1/events/") + type, EventHandler(deps, type,
        [&reg, &clock, marriage](http::JsonFields& f, const registry::WriteContext& w)
            -> Result<registry::EventResult> {
          DANCU_TRY(first, IdField(f, "first_id"));
          DANCU_TRY(second, IdField(f, "second_id"));
          DANCU_TRY(date, DateField(f, "date", clock));
          if (auto s = f.Finish(); !s) return std::unexpected(s.error());
          registry::MarriageRequest r{*first, *second, *date};
          return marriage ? reg.RegisterMarriage(r, w) : reg.RegisterDivorce(r, w);
        }));
  }

  // POST /v1/events/household  {"action": "split" | "change_head", ...}
  router.Add(verb::post, "/v1/events/household", EventHandler(deps, "household",
      [&reg](http::JsonFields& f, const registry::WriteContext& w)
          -> Result<registry::EventResult> {
        DANCU_TRY(action, f.RequireString("action"));
        DANCU_TRY(household, f.OptionalInt("household_id"));
        DANCU_TRY(head, IdField(f, "new_head_id"));
        DANCU_TRY(members, MembersField(f, "members"));
        DANCU_TRY(address, OptionalAddressField(f, "address"));
        if (auto s = f.Finish(); !s) return std::unexpected(s.error());
        if (!*household) return Fail("request.missing_field", "household_id is required", "household_id");
        if (*action == "split") {
          registry::HouseholdSplitRequest r;
          r.household_id = **household;
          r.new_head = *head;
          r.members = *members;
          r.address = *address;
          return reg.SplitHousehold(r, w);
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
          return reg.ChangeHouseholdHead(r, w);
        }
        return Fail("request.bad_parameter", "action is split or change_head", "action");
      }));
}

}  // namespace dancu::api
