// Life events: each is one call to Impl::RunEvent, whose body checks the
// rules, changes the state and describes the change for the feed.
#include <algorithm>
#include <chrono>

#include "core/ethnicity.h"
#include "registry/citizen_json.h"
#include "registry/registry.h"
#include "registry/registry_impl.h"

namespace dancu::registry {
namespace {

using std::chrono::year_month_day;

Status RequireAlive(const Citizen& c, std::string_view field) {
  if (c.status == LifeStatus::kDeceased) {
    return Fail("event.deceased",
                "citizen " + c.id.ToString() + " is deceased; only a correction is allowed",
                std::string(field));
  }
  return {};
}

Status RequireCommune(std::string_view code, std::string_view field) {
  if (AdminUnits::Get().FindCommune(code) == nullptr) {
    return Fail("admin.unknown_commune", "no current commune with code " + std::string(code),
                std::string(field));
  }
  return {};
}

Status RequireNotFuture(const PartialDate& d, year_month_day today, std::string_view code,
                        std::string_view what, std::string_view field) {
  if (d.Earliest() > today) {
    return Fail(std::string(code), std::string(what) + " " + d.ToString() + " is in the future",
                std::string(field));
  }
  return {};
}

// Completed years of age on `on`, counting from the latest day the partial
// birth date may stand for (so an age limit is only met when certain).
int AgeOn(const PartialDate& dob, year_month_day on) {
  year_month_day born = dob.Latest();
  int age = static_cast<int>(on.year()) - static_cast<int>(born.year());
  if (on.month() < born.month() || (on.month() == born.month() && on.day() < born.day())) --age;
  return age;
}

// Loads `id` for an event, naming the input field in a not-found error.
Result<Citizen> LoadFor(const Registry::Impl& impl, storage::Connection& c, CitizenId id,
                        std::string_view field) {
  auto r = impl.Load(c, id);
  if (!r) return WithField(r.error(), std::string(field));
  return r;
}

bool SharesParent(const Citizen& a, const Citizen& b) {
  return (a.father_id && a.father_id == b.father_id) ||
         (a.mother_id && a.mother_id == b.mother_id);
}

bool IsParentOf(const Citizen& parent, const Citizen& child) {
  return child.father_id == parent.id || child.mother_id == parent.id;
}

// The newborn's relationship to the head of the household it joins, from the
// links the register holds. `mother_spouse` is the mother's husband, if any.
Relationship ChildRelationTo(const Citizen& head, const Citizen& mother,
                             const std::optional<Citizen>& father,
                             const std::optional<Citizen>& mother_spouse) {
  auto is_parent_of = [&](const std::optional<Citizen>& c) {
    return c && (c->father_id == head.id || c->mother_id == head.id);
  };
  if (head.id == mother.id || (father && head.id == father->id) ||
      mother.spouse_id == head.id) {
    return Relationship::kChild;
  }
  if (mother.father_id == head.id || mother.mother_id == head.id || is_parent_of(father) ||
      is_parent_of(mother_spouse)) {
    return Relationship::kGrandchild;
  }
  return Relationship::kOtherRelative;
}

}  // namespace

// ---- Birth -----------------------------------------------------------------

Result<EventResult> Registry::RegisterBirth(const BirthRequest& r, const WriteContext& ctx) {
  Impl& impl = *impl_;
  return impl.RunEvent(ctx, [&](storage::Connection& c, EventDraft& draft) -> Status {
    year_month_day today = clock_.Today();
    if (!r.date_of_birth.IsFull()) {
      return Fail("event.partial_birth_date", "a birth registration needs the full date of birth",
                  "date_of_birth");
    }
    if (auto s = RequireNotFuture(r.date_of_birth, today, "date.future", "date of birth",
                                  "date_of_birth"); !s) return s;
    if (auto s = RequireCommune(r.birth_commune_code, "birth_commune_code"); !s) return s;
    auto mother = LoadFor(impl, c, r.mother_id, "mother_id");
    if (!mother) return std::unexpected(mother.error());
    if (mother->sex != Sex::kFemale) {
      return Fail("event.mother_not_female", "the mother " + r.mother_id.ToString() +
                  " is registered as male", "mother_id");
    }
    if (!r.date_of_birth.CanBeOnOrAfter(mother->date_of_birth) ||
        r.date_of_birth.Latest() <= mother->date_of_birth.Earliest()) {
      return Fail("event.birth_before_parent",
                  "the child's date of birth is not after the mother's", "date_of_birth");
    }
    if (mother->date_of_death && mother->date_of_death->Latest() < r.date_of_birth.Earliest()) {
      return Fail("event.birth_after_parent_death",
                  "the mother died before the child's date of birth", "mother_id");
    }
    std::optional<Citizen> father;
    if (r.father_id) {
      auto f = LoadFor(impl, c, *r.father_id, "father_id");
      if (!f) return std::unexpected(f.error());
      if (f->sex != Sex::kMale) {
        return Fail("event.father_not_male", "the father " + r.father_id->ToString() +
                    " is registered as female", "father_id");
      }
      if (r.date_of_birth.Latest() <= f->date_of_birth.Earliest()) {
        return Fail("event.birth_before_parent",
                    "the child's date of birth is not after the father's", "date_of_birth");
      }
      father = std::move(*f);
    }
    std::optional<int64_t> household_id = r.household_id ? r.household_id : mother->household_id;
    if (!household_id) {
      return Fail("event.no_household",
                  "the mother belongs to no household; give household_id", "household_id");
    }
    auto household = impl.LoadHousehold(c, *household_id);
    if (!household) return WithField(household.error(), "household_id");
    auto head = impl.Load(c, household->head_id);
    if (!head) return std::unexpected(head.error());

    int ethnicity = r.ethnicity.value_or(mother->ethnicity);
    if (ParseEthnicity(std::to_string(ethnicity)).value_or(0) != ethnicity) {
      return Fail("ethnicity.unknown", "no ethnic group with code " + std::to_string(ethnicity),
                  "ethnicity");
    }
    // The PPP of a new number is "0" + the current GSO province code of the
    // commune of birth registration; all 34 current codes are among the 63
    // codes of Circular 07/2016 (see data/id-codes/README.md).
    const Commune* commune = AdminUnits::Get().FindCommune(r.birth_commune_code);
    int province = std::stoi(commune->province_code);
    int year = static_cast<int>(r.date_of_birth.year());
    std::optional<CitizenId> id;
    for (int attempt = 0; attempt < 64 && !id; ++attempt) {
      auto candidate = CitizenId::Allocate(province, r.sex, year, impl.random);
      if (!candidate) return std::unexpected(candidate.error());
      // Numbers are never reused: citizens are never deleted, so an id in the
      // table (alive or deceased) is taken forever.
      auto& st = c.Cached("SELECT 1 FROM citizens WHERE id = ?");
      st.BindInt(1, candidate->number());
      auto row = st.Step();
      if (!row) return std::unexpected(row.error());
      st.Reset();
      if (!*row) id = *candidate;
    }
    if (!id) return Fail("conflict.id_space_exhausted", "could not allocate a free CitizenId");

    Citizen child;
    child.id = *id;
    child.full_name = r.full_name;
    child.sex = r.sex;
    child.date_of_birth = r.date_of_birth;
    child.birth_commune_code = r.birth_commune_code;
    child.hometown_commune_code =
        father && !father->hometown_commune_code.empty() ? father->hometown_commune_code
                                                         : mother->hometown_commune_code;
    child.ethnicity = ethnicity;
    child.nationality = "VN";
    child.permanent_residence = household->address;
    child.mother_id = mother->id;
    if (father) child.father_id = father->id;
    child.household_id = household->id;
    std::optional<Citizen> mother_spouse;
    if (mother->spouse_id) {
      auto sp = impl.Load(c, *mother->spouse_id);
      if (!sp) return std::unexpected(sp.error());
      mother_spouse = std::move(*sp);
    }
    child.relationship_to_head = ChildRelationTo(*head, *mother, father, mother_spouse);
    if (auto s = impl.Store(c, child, /*insert=*/true); !s) return s;

    draft.type = "birth";
    draft.citizen_id = child.id;
    draft.subjects = {child.id, mother->id};
    if (father) draft.subjects.push_back(father->id);
    draft.data["citizen"] = CitizenToJson(child);
    draft.result.citizen_id = child.id;
    return {};
  });
}

// ---- Death -----------------------------------------------------------------

Result<EventResult> Registry::RegisterDeath(const DeathRequest& r, const WriteContext& ctx) {
  Impl& impl = *impl_;
  return impl.RunEvent(ctx, [&](storage::Connection& c, EventDraft& draft) -> Status {
    auto before = LoadFor(impl, c, r.citizen_id, "citizen_id");
    if (!before) return std::unexpected(before.error());
    if (auto s = RequireAlive(*before, "citizen_id"); !s) return s;
    if (auto s = RequireNotFuture(r.date_of_death, clock_.Today(), "event.death_in_future",
                                  "date of death", "date_of_death"); !s) return s;
    if (r.date_of_death.Latest() < before->date_of_birth.Earliest()) {
      return Fail("event.death_before_birth", "the date of death is before the date of birth",
                  "date_of_death");
    }
    Citizen after = *before;
    after.status = LifeStatus::kDeceased;
    after.date_of_death = r.date_of_death;
    if (auto s = impl.Store(c, after, false); !s) return s;
    draft.type = "death";
    draft.citizen_id = after.id;
    draft.data["date_of_death"] = r.date_of_death.ToString();
    impl.RecordChange(draft, *before, after);
    return {};
  });
}

// ---- Residence ---------------------------------------------------------------

namespace {

// Takes `person` out of their current household. A head may leave only as the
// last member; the emptied household is then dissolved.
Status LeaveHousehold(Registry::Impl& impl, storage::Connection& c, Citizen& person,
                      EventDraft& draft) {
  if (!person.household_id) return {};
  auto old = impl.LoadHousehold(c, *person.household_id);
  if (!old) return std::unexpected(old.error());
  if (old->head_id == person.id) {
    if (old->members.size() > 1) {
      return Fail("event.head_must_change",
                  "citizen " + person.id.ToString() + " heads household " +
                      std::to_string(old->id) +
                      " with other members; change the head before moving",
                  "citizen_id");
    }
    auto& st = c.Cached("DELETE FROM households WHERE id = ?");
    st.BindInt(1, old->id);
    if (auto s = st.Run(); !s) return s;
    st.Reset();
    draft.data["dissolved_household_id"] = old->id;
  }
  draft.data["previous_household_id"] = old->id;
  person.household_id.reset();
  person.relationship_to_head.reset();
  return {};
}

}  // namespace

Result<EventResult> Registry::RegisterResidence(const ResidenceRequest& r,
                                                const WriteContext& ctx) {
  Impl& impl = *impl_;
  return impl.RunEvent(ctx, [&](storage::Connection& c, EventDraft& draft) -> Status {
    auto before = LoadFor(impl, c, r.citizen_id, "citizen_id");
    if (!before) return std::unexpected(before.error());
    if (auto s = RequireAlive(*before, "citizen_id"); !s) return s;
    if (r.address) {
      if (auto s = RequireCommune(r.address->commune_code, "address.commune_code"); !s) return s;
      if (r.address->street.empty()) {
        return Fail("request.missing_field", "the address needs a street line", "address.address");
      }
    }
    Citizen after = *before;
    draft.type = "residence";
    draft.citizen_id = after.id;
    switch (r.kind) {
      case ResidenceKind::kPermanent: {
        draft.data["kind"] = "permanent";
        if (r.household_id) {
          if (r.address) {
            return Fail("request.bad_parameter",
                        "give either household_id (join) or address (new household), not both",
                        "address");
          }
          if (!r.relationship) {
            return Fail("request.missing_field", "joining a household needs relationship_to_head",
                        "relationship_to_head");
          }
          if (*r.relationship == Relationship::kHead) {
            return Fail("event.bad_relationship",
                        "a joining member cannot be head; use a household head change",
                        "relationship_to_head");
          }
          if (before->household_id == r.household_id) {
            return Fail("event.already_member", "the citizen already belongs to this household",
                        "household_id");
          }
          auto target = impl.LoadHousehold(c, *r.household_id);
          if (!target) return std::unexpected(target.error());
          if (auto s = LeaveHousehold(impl, c, after, draft); !s) return s;
          after.household_id = target->id;
          after.relationship_to_head = *r.relationship;
          after.permanent_residence = target->address;
          draft.data["household_id"] = target->id;
        } else {
          if (!r.address) {
            return Fail("request.missing_field",
                        "a permanent residence needs an address or a household_id", "address");
          }
          if (auto s = LeaveHousehold(impl, c, after, draft); !s) return s;
          auto hid = impl.CreateHousehold(c, after.id, *r.address);
          if (!hid) return std::unexpected(hid.error());
          after.household_id = *hid;
          after.relationship_to_head = Relationship::kHead;
          after.permanent_residence = *r.address;
          draft.data["household_id"] = *hid;
          draft.result.household_id = *hid;
        }
        break;
      }
      case ResidenceKind::kTemporary: {
        draft.data["kind"] = "temporary";
        if (!r.address) return Fail("request.missing_field", "temporary residence needs an address", "address");
        if (!r.until) return Fail("request.missing_field", "temporary residence needs an end date", "until");
        if (!r.until->IsFull()) return Fail("date.format", "the end date must be a full date", "until");
        if (r.until->Earliest() <= clock_.Today()) {
          return Fail("event.until_in_past", "the end of a temporary residence must be in the future",
                      "until");
        }
        after.temporary_residence = TemporaryResidence{*r.address, *r.until};
        break;
      }
      case ResidenceKind::kCurrent: {
        draft.data["kind"] = "current";
        if (!r.address) return Fail("request.missing_field", "current residence needs an address", "address");
        after.current_residence = *r.address;
        break;
      }
    }
    if (auto s = impl.Store(c, after, false); !s) return s;
    impl.RecordChange(draft, *before, after);
    return {};
  });
}

// ---- Correction --------------------------------------------------------------

Result<EventResult> Registry::CorrectDetails(const CorrectionRequest& r, const WriteContext& ctx) {
  Impl& impl = *impl_;
  return impl.RunEvent(ctx, [&](storage::Connection& c, EventDraft& draft) -> Status {
    if (r.legal_basis.empty()) {
      return Fail("event.legal_basis_required",
                  "a correction needs its legal basis (the document number)", "legal_basis");
    }
    auto before = LoadFor(impl, c, r.citizen_id, "citizen_id");
    if (!before) return std::unexpected(before.error());
    Citizen after = *before;
    if (r.full_name) after.full_name = *r.full_name;
    if (r.sex) after.sex = *r.sex;
    if (r.date_of_birth) {
      if (auto s = RequireNotFuture(*r.date_of_birth, clock_.Today(), "date.future",
                                    "date of birth", "date_of_birth"); !s) return s;
      after.date_of_birth = *r.date_of_birth;
    }
    if (r.sex || r.date_of_birth) {
      // The number encodes sex and birth year; a correction that contradicts
      // it needs a new number, which is a separate procedure.
      if (auto s = after.id.CheckConsistent(after.sex, after.date_of_birth.year()); !s) {
        return WithField(s.error(), r.sex ? "sex" : "date_of_birth");
      }
    }
    if (r.old_id) {
      if (r.old_id->empty()) {
        after.old_id.clear();
      } else {
        auto old = ParseOldId(*r.old_id);
        if (!old) return WithField(old.error(), "old_id");
        after.old_id = *old;
      }
    }
    if (r.ethnicity) {
      if (ParseEthnicity(std::to_string(*r.ethnicity)).value_or(0) != *r.ethnicity) {
        return Fail("ethnicity.unknown", "no ethnic group with code " + std::to_string(*r.ethnicity),
                    "ethnicity");
      }
      after.ethnicity = *r.ethnicity;
    }
    if (r.religion) after.religion = *r.religion;
    if (r.nationality) {
      if (r.nationality->size() != 2 ||
          !std::all_of(r.nationality->begin(), r.nationality->end(),
                       [](char ch) { return ch >= 'A' && ch <= 'Z'; })) {
        return Fail("request.bad_parameter", "nationality is an ISO 3166-1 alpha-2 code",
                    "nationality");
      }
      after.nationality = *r.nationality;
    }
    if (r.hometown_commune_code) {
      if (auto s = RequireCommune(*r.hometown_commune_code, "hometown_commune_code"); !s) return s;
      after.hometown_commune_code = *r.hometown_commune_code;
    }
    if (CitizenToJson(after) == CitizenToJson(*before)) {
      return Fail("event.nothing_to_correct", "the correction changes nothing");
    }
    if (auto s = impl.Store(c, after, false); !s) return s;
    draft.type = "correction";
    draft.citizen_id = after.id;
    draft.data["legal_basis"] = r.legal_basis;
    impl.RecordChange(draft, *before, after);
    return {};
  });
}

// ---- Marriage and divorce ------------------------------------------------------

Result<EventResult> Registry::RegisterMarriage(const MarriageRequest& r, const WriteContext& ctx) {
  Impl& impl = *impl_;
  return impl.RunEvent(ctx, [&](storage::Connection& c, EventDraft& draft) -> Status {
    if (r.first == r.second) return Fail("event.same_person", "a person cannot marry themself", "second_id");
    if (!r.date.IsFull()) return Fail("date.format", "the date of marriage must be a full date", "date");
    if (auto s = RequireNotFuture(r.date, clock_.Today(), "date.future", "date of marriage", "date"); !s) return s;
    auto a = LoadFor(impl, c, r.first, "first_id");
    if (!a) return std::unexpected(a.error());
    auto b = LoadFor(impl, c, r.second, "second_id");
    if (!b) return std::unexpected(b.error());
    for (const auto& [p, field] : {std::pair{&*a, "first_id"}, std::pair{&*b, "second_id"}}) {
      if (auto s = RequireAlive(*p, field); !s) return s;
      if (p->spouse_id) {
        return Fail("event.already_married", "citizen " + p->id.ToString() + " is already married",
                    field);
      }
      // Law on Marriage and Family 2014, art. 8(1)(a): men from 20, women from 18.
      int min_age = p->sex == Sex::kMale ? 20 : 18;
      if (AgeOn(p->date_of_birth, r.date.Earliest()) < min_age) {
        return Fail("event.under_marriage_age",
                    "citizen " + p->id.ToString() + " is under the legal marriage age (" +
                        std::to_string(min_age) + ")", field);
      }
    }
    // Art. 8(2): the State does not recognize marriage between people of the same sex.
    if (a->sex == b->sex) {
      return Fail("event.same_sex_marriage",
                  "the law does not recognize a marriage between people of the same sex", "second_id");
    }
    // Art. 5(2)(d): no marriage in the direct line or between siblings.
    if (IsParentOf(*a, *b) || IsParentOf(*b, *a) || SharesParent(*a, *b)) {
      return Fail("event.prohibited_relationship",
                  "the law prohibits marriage between these relatives", "second_id");
    }
    Citizen a2 = *a, b2 = *b;
    a2.spouse_id = b->id;
    b2.spouse_id = a->id;
    if (auto s = impl.Store(c, a2, false); !s) return s;
    if (auto s = impl.Store(c, b2, false); !s) return s;
    draft.type = "marriage";
    draft.citizen_id = a->id;
    draft.data["date"] = r.date.ToString();
    impl.RecordChange(draft, *a, a2);
    impl.RecordChange(draft, *b, b2);
    return {};
  });
}

Result<EventResult> Registry::RegisterDivorce(const MarriageRequest& r, const WriteContext& ctx) {
  Impl& impl = *impl_;
  return impl.RunEvent(ctx, [&](storage::Connection& c, EventDraft& draft) -> Status {
    if (!r.date.IsFull()) return Fail("date.format", "the date of divorce must be a full date", "date");
    if (auto s = RequireNotFuture(r.date, clock_.Today(), "date.future", "date of divorce", "date"); !s) return s;
    auto a = LoadFor(impl, c, r.first, "first_id");
    if (!a) return std::unexpected(a.error());
    auto b = LoadFor(impl, c, r.second, "second_id");
    if (!b) return std::unexpected(b.error());
    if (auto s = RequireAlive(*a, "first_id"); !s) return s;
    if (auto s = RequireAlive(*b, "second_id"); !s) return s;
    if (a->spouse_id != b->id || b->spouse_id != a->id) {
      return Fail("event.not_married", "these citizens are not married to each other", "second_id");
    }
    Citizen a2 = *a, b2 = *b;
    a2.spouse_id.reset();
    b2.spouse_id.reset();
    if (auto s = impl.Store(c, a2, false); !s) return s;
    if (auto s = impl.Store(c, b2, false); !s) return s;
    draft.type = "divorce";
    draft.citizen_id = a->id;
    draft.data["date"] = r.date.ToString();
    impl.RecordChange(draft, *a, a2);
    impl.RecordChange(draft, *b, b2);
    return {};
  });
}

// ---- Households ----------------------------------------------------------------

namespace {

const HouseholdMember* FindMember(const Household& h, CitizenId id) {
  for (const HouseholdMember& m : h.members) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

struct HouseholdAndHead {
  Household household;
  Citizen new_head;
};

// Loads the household of a split or head change and checks that `new_head`
// is a living member other than the current head (`same_head_code` names the
// error for choosing the current head).
Result<HouseholdAndHead> LoadForNewHead(const Registry::Impl& impl, storage::Connection& c,
                                        int64_t household_id, CitizenId new_head,
                                        std::string_view same_head_code,
                                        std::string_view same_head_message) {
  auto h = impl.LoadHousehold(c, household_id);
  if (!h) return std::unexpected(h.error());
  if (FindMember(*h, new_head) == nullptr) {
    return Fail("event.not_member",
                "the new head is not a member of household " + std::to_string(h->id),
                "new_head_id");
  }
  if (new_head == h->head_id) {
    return Fail(std::string(same_head_code), std::string(same_head_message), "new_head_id");
  }
  auto head = impl.Load(c, new_head);
  if (!head) return std::unexpected(head.error());
  if (auto s = RequireAlive(*head, "new_head_id"); !s) return std::unexpected(s.error());
  return HouseholdAndHead{std::move(*h), std::move(*head)};
}

}  // namespace

Result<EventResult> Registry::SplitHousehold(const HouseholdSplitRequest& r,
                                             const WriteContext& ctx) {
  Impl& impl = *impl_;
  return impl.RunEvent(ctx, [&](storage::Connection& c, EventDraft& draft) -> Status {
    auto loaded = LoadForNewHead(impl, c, r.household_id, r.new_head, "event.head_cannot_split",
                                 "the current head stays; choose another member as the new head");
    if (!loaded) return std::unexpected(loaded.error());
    const Household* h = &loaded->household;
    for (const HouseholdMember& m : r.members) {
      if (FindMember(*h, m.id) == nullptr) {
        return Fail("event.not_member", "citizen " + m.id.ToString() + " is not a member of household " +
                    std::to_string(h->id), "members");
      }
      if (m.id == h->head_id || m.id == r.new_head) {
        return Fail("event.bad_relationship", "the members list must not contain the old or new head",
                    "members");
      }
      if (m.relationship == Relationship::kHead) {
        return Fail("event.bad_relationship", "only the new head is head", "members");
      }
    }
    Address address = r.address.value_or(h->address);
    if (r.address) {
      if (auto s = RequireCommune(address.commune_code, "address.commune_code"); !s) return s;
    }
    auto hid = impl.CreateHousehold(c, r.new_head, address);
    if (!hid) return std::unexpected(hid.error());
    draft.type = "household_split";
    draft.citizen_id = r.new_head;
    draft.data["from_household_id"] = h->id;
    draft.data["household_id"] = *hid;
    draft.result.household_id = *hid;
    auto move = [&](CitizenId id, Relationship rel) -> Status {
      auto before = impl.Load(c, id);
      if (!before) return std::unexpected(before.error());
      Citizen after = *before;
      after.household_id = *hid;
      after.relationship_to_head = rel;
      after.permanent_residence = address;
      if (auto s = impl.Store(c, after, false); !s) return s;
      impl.RecordChange(draft, *before, after);
      return {};
    };
    if (auto s = move(r.new_head, Relationship::kHead); !s) return s;
    for (const HouseholdMember& m : r.members) {
      if (auto s = move(m.id, m.relationship); !s) return s;
    }
    return {};
  });
}

Result<EventResult> Registry::ChangeHouseholdHead(const HouseholdHeadChangeRequest& r,
                                                  const WriteContext& ctx) {
  Impl& impl = *impl_;
  return impl.RunEvent(ctx, [&](storage::Connection& c, EventDraft& draft) -> Status {
    auto loaded = LoadForNewHead(impl, c, r.household_id, r.new_head, "event.already_head",
                                 "this citizen already heads the household");
    if (!loaded) return std::unexpected(loaded.error());
    const Household* h = &loaded->household;
    for (const HouseholdMember& m : r.relationships) {
      if (FindMember(*h, m.id) == nullptr || m.id == r.new_head) {
        return Fail("event.not_member", "citizen " + m.id.ToString() +
                    " is not a member other than the new head", "relationships");
      }
      if (m.relationship == Relationship::kHead) {
        return Fail("event.bad_relationship", "only the new head is head", "relationships");
      }
    }
    draft.type = "household_head_change";
    draft.citizen_id = r.new_head;
    draft.data["household_id"] = h->id;
    draft.data["previous_head_id"] = h->head_id.ToString();
    Household updated = *h;
    updated.head_id = r.new_head;
    if (auto s = impl.StoreHousehold(c, updated); !s) return s;
    for (const HouseholdMember& m : h->members) {
      // Relationships were stated to the old head. Members whose relationship
      // to the new head is not given become "other_relative", since the
      // register cannot infer it.
      Relationship rel = Relationship::kOtherRelative;
      if (m.id == r.new_head) rel = Relationship::kHead;
      for (const HouseholdMember& given : r.relationships) {
        if (given.id == m.id) rel = given.relationship;
      }
      auto before = impl.Load(c, m.id);
      if (!before) return std::unexpected(before.error());
      Citizen after = *before;
      after.relationship_to_head = rel;
      if (auto s = impl.Store(c, after, false); !s) return s;
      impl.RecordChange(draft, *before, after);
    }
    return {};
  });
}

}  // namespace dancu::registry
