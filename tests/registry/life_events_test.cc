// Life events: each one changes the state and appends exactly one feed event,
// or fails with a specific error and leaves nothing behind.
#include <boost/json/parse.hpp>

#include "registry/registry_fixture.h"

namespace dancu::registry::testing {
namespace {

BirthRequest Baby(const Citizen& mother, const Citizen& father) {
  BirthRequest r;
  r.full_name = PersonName::Parse("Nguyễn Thị Mai").value();
  r.sex = Sex::kFemale;
  r.date_of_birth = Date(2026, 11, 1);
  r.birth_commune_code = "00004";
  r.mother_id = mother.id;
  r.father_id = father.id;
  return r;
}

// The register is exactly as before: same feed position, same citizen count.
#define EXPECT_UNCHANGED(seq, count)                       \
  do {                                                     \
    EXPECT_EQ(Seq(), seq);                                 \
    EXPECT_EQ(reg_->CountCitizens().value(), count);       \
  } while (0)

TEST_F(RegistryTest, BirthAllocatesAConsistentIdAndLinksFamily) {
  int64_t before = Seq();
  auto r = reg_->RegisterBirth(Baby(wife_, husband_), Officer());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->seq, before + 1);
  ASSERT_TRUE(r->citizen_id);
  CitizenId id = *r->citizen_id;
  EXPECT_EQ(id.province_code(), 1);  // Hà Nội, the commune of registration
  EXPECT_EQ(id.sex(), Sex::kFemale);
  EXPECT_EQ(id.birth_year(), 2026);
  Citizen child = Get(id);
  EXPECT_EQ(child.mother_id, wife_.id);
  EXPECT_EQ(child.father_id, husband_.id);
  EXPECT_EQ(child.household_id, 1);
  EXPECT_EQ(child.relationship_to_head, Relationship::kChild);
  EXPECT_EQ(child.permanent_residence.commune_code, "00004");
  auto page = reg_->Feed(before, 10).value();
  ASSERT_EQ(page.events.size(), 1u);
  EXPECT_EQ(page.events[0].type, "birth");
  EXPECT_EQ(page.events[0].citizen_id, id);
  EXPECT_EQ(page.events[0].actor, "officer:test");
  // The birth shows in the history of the child and of both parents.
  EXPECT_EQ(reg_->History(id)->size(), 1u);
  EXPECT_EQ(reg_->History(wife_.id)->size(), 1u);
  EXPECT_EQ(reg_->History(husband_.id)->size(), 1u);
  auto household = reg_->GetHousehold(1).value();
  EXPECT_EQ(household.members.size(), 4u);
}

TEST_F(RegistryTest, BirthIntoTheHusbandsParentsHouseholdIsAGrandchild) {
  // Dung (head of household 2) lives with her son and his wife.
  Citizen son = Person(Id(79, Sex::kMale, 1975, 1), "Lê Văn Hải", Sex::kMale, Date(1975, 2, 2), "25747");
  Citizen wife = Person(Id(79, Sex::kFemale, 1980, 2), "Võ Thị Hoa", Sex::kFemale, Date(1980, 3, 3), "25747");
  son.mother_id = single_.id;
  son.spouse_id = wife.id;
  wife.spouse_id = son.id;
  son.household_id = wife.household_id = 2;
  son.relationship_to_head = Relationship::kChild;
  wife.relationship_to_head = Relationship::kChildInLaw;
  auto loader = reg_->BeginBulkLoad(Officer()).value();
  ASSERT_TRUE(loader->Add(son));
  ASSERT_TRUE(loader->Add(wife));
  std::vector<BulkProblem> problems;
  ASSERT_TRUE(loader->Finish(problems, "test"));
  loader.reset();
  BirthRequest r = Baby(wife, son);
  r.father_id.reset();  // the father need not be declared
  auto born = reg_->RegisterBirth(r, Officer());
  ASSERT_TRUE(born) << born.error().message;
  Citizen child = Get(*born->citizen_id);
  EXPECT_EQ(child.household_id, 2);
  EXPECT_EQ(child.relationship_to_head, Relationship::kGrandchild);
  EXPECT_EQ(child.permanent_residence.commune_code, "25747");
}

TEST_F(RegistryTest, BirthRuleViolationsChangeNothing) {
  int64_t seq = Seq();
  int64_t count = reg_->CountCitizens().value();
  struct Case {
    const char* name;
    std::function<void(BirthRequest&)> mutate;
    const char* code;
  } cases[] = {
      {"before mother", [](BirthRequest& r) { r.date_of_birth = Date(1987, 1, 1); },
       "event.birth_before_parent"},
      {"before father", [](BirthRequest& r) { r.date_of_birth = Date(1985, 1, 1); },
       "event.birth_before_parent"},
      {"partial date", [](BirthRequest& r) { r.date_of_birth = Date(2026, 11); },
       "event.partial_birth_date"},
      {"future", [](BirthRequest& r) { r.date_of_birth = Date(2026, 12, 1); }, "date.future"},
      {"unknown commune", [](BirthRequest& r) { r.birth_commune_code = "99999"; },
       "admin.unknown_commune"},
      {"male mother", [&](BirthRequest& r) { r.mother_id = husband_.id; },
       "event.mother_not_female"},
      {"female father", [&](BirthRequest& r) { r.father_id = single_.id; },
       "event.father_not_male"},
      {"unknown mother", [](BirthRequest& r) { r.mother_id = Id(1, Sex::kFemale, 1990, 1); },
       "citizen.not_found"},
      {"unknown household", [](BirthRequest& r) { r.household_id = 999; },
       "household.not_found"},
  };
  for (const Case& c : cases) {
    BirthRequest r = Baby(wife_, husband_);
    c.mutate(r);
    auto result = reg_->RegisterBirth(r, Officer());
    ASSERT_FALSE(result) << c.name;
    EXPECT_EQ(result.error().code, c.code) << c.name;
    EXPECT_UNCHANGED(seq, count);
  }
}

// Random that replays a script, so an id collision can be forced.
class ScriptedRandom final : public Random {
 public:
  explicit ScriptedRandom(std::vector<uint64_t> script) : script_(std::move(script)) {}
  uint64_t Next() override { return script_[i_++ % script_.size()]; }

 private:
  std::vector<uint64_t> script_;
  size_t i_ = 0;
};

TEST_F(RegistryTest, AllocationNeverReusesANumber) {
  // Two births whose first random draw is the same: the second must retry.
  // (Values above 2^64 mod 10^6, so Uniform accepts them as drawn.)
  ScriptedRandom scripted({1000007, 1000007, 1000008});
  auto db = where_->Open().value();
  auto reg = Registry::Open(*db, clock_, scripted).value();
  auto a = reg->RegisterBirth(Baby(wife_, husband_), Officer());
  ASSERT_TRUE(a) << a.error().message;
  auto b = reg->RegisterBirth(Baby(wife_, husband_), Officer());
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_NE(*a->citizen_id, *b->citizen_id);
}

TEST_F(RegistryTest, IdempotencyKeyReplaysTheFirstResult) {
  int64_t seq = Seq();
  auto first = reg_->RegisterBirth(Baby(wife_, husband_), Officer("key-1", "hash-a"));
  ASSERT_TRUE(first);
  EXPECT_FALSE(first->replayed);
  auto again = reg_->RegisterBirth(Baby(wife_, husband_), Officer("key-1", "hash-a"));
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->citizen_id, first->citizen_id);
  EXPECT_EQ(again->seq, first->seq);
  EXPECT_EQ(Seq(), seq + 1);  // registered once
  auto other = reg_->RegisterBirth(Baby(wife_, husband_), Officer("key-1", "hash-b"));
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, "idempotency.conflict");
  // Keys belong to the caller: another actor's same key is a new request.
  WriteContext someone_else{"officer:other", "", "key-1", "hash-a"};
  auto theirs = reg_->RegisterBirth(Baby(wife_, husband_), someone_else);
  ASSERT_TRUE(theirs);
  EXPECT_FALSE(theirs->replayed);
}

TEST_F(RegistryTest, FailedEventDoesNotConsumeItsIdempotencyKey) {
  BirthRequest bad = Baby(wife_, husband_);
  bad.date_of_birth = Date(1980, 1, 1);
  ASSERT_FALSE(reg_->RegisterBirth(bad, Officer("key-2", "h")));
  auto good = reg_->RegisterBirth(Baby(wife_, husband_), Officer("key-2", "h"));
  ASSERT_TRUE(good) << good.error().message;
  EXPECT_FALSE(good->replayed);
}

TEST_F(RegistryTest, DeathRules) {
  int64_t seq = Seq();
  auto future = reg_->RegisterDeath({single_.id, Date(2026, 11, 24)}, Officer());
  ASSERT_FALSE(future);
  EXPECT_EQ(future.error().code, "event.death_in_future");
  auto before_birth = reg_->RegisterDeath({single_.id, Date(1949, 12, 31)}, Officer());
  ASSERT_FALSE(before_birth);
  EXPECT_EQ(before_birth.error().code, "event.death_before_birth");
  EXPECT_UNCHANGED(seq, 4);

  auto ok = reg_->RegisterDeath({single_.id, Date(2026, 11, 20)}, Officer());
  ASSERT_TRUE(ok) << ok.error().message;
  Citizen dead = Get(single_.id);
  EXPECT_EQ(dead.status, LifeStatus::kDeceased);
  EXPECT_EQ(dead.date_of_death, Date(2026, 11, 20));

  auto twice = reg_->RegisterDeath({single_.id, Date(2026, 11, 21)}, Officer());
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, "event.deceased");
  ResidenceRequest move{single_.id, ResidenceKind::kCurrent, {}, {}, Address{"00004", "x"}, {}};
  auto moved = reg_->RegisterResidence(move, Officer());
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().code, "event.deceased");
  // A correction is still allowed on a deceased person.
  CorrectionRequest fix;
  fix.citizen_id = single_.id;
  fix.legal_basis = "QĐ 12/2026/TP";
  fix.religion = "Phật giáo";
  EXPECT_TRUE(reg_->CorrectDetails(fix, Officer()));
}

TEST_F(RegistryTest, HistoryKeepsWhoWhenWhyAndPreviousValues) {
  CorrectionRequest fix;
  fix.citizen_id = single_.id;
  fix.legal_basis = "QĐ 45/2026/UBND";
  fix.full_name = PersonName::Parse("Lê Thị Dũng").value();
  auto r = reg_->CorrectDetails(fix, WriteContext{"officer:7", "typo in 1975 record", {}, {}});
  ASSERT_TRUE(r) << r.error().message;
  auto history = reg_->History(single_.id).value();
  ASSERT_EQ(history.size(), 1u);
  const FeedEvent& e = history[0];
  EXPECT_EQ(e.type, "correction");
  EXPECT_EQ(e.actor, "officer:7");
  EXPECT_EQ(e.reason, "typo in 1975 record");
  EXPECT_EQ(e.at, "2026-11-23T03:00:00.000000Z");
  auto data = boost::json::parse(e.data_json).as_object();
  EXPECT_EQ(data.at("legal_basis").as_string(), "QĐ 45/2026/UBND");
  const auto& change = data.at("changes").as_array().at(0).as_object();
  EXPECT_EQ(change.at("before").at("full_name").as_string(), "Lê Thị Dung");
  EXPECT_EQ(change.at("after").at("full_name").as_string(), "Lê Thị Dũng");
  EXPECT_FALSE(change.at("before").as_object().contains("sex"));  // unchanged fields omitted
}

TEST_F(RegistryTest, CorrectionRules) {
  int64_t seq = Seq();
  CorrectionRequest no_basis;
  no_basis.citizen_id = single_.id;
  no_basis.religion = "x";
  EXPECT_EQ(reg_->CorrectDetails(no_basis, Officer()).error().code, "event.legal_basis_required");
  CorrectionRequest sex;
  sex.citizen_id = single_.id;
  sex.legal_basis = "1";
  sex.sex = Sex::kMale;  // the number says female
  EXPECT_EQ(reg_->CorrectDetails(sex, Officer()).error().code, "id.sex_mismatch");
  CorrectionRequest year;
  year.citizen_id = single_.id;
  year.legal_basis = "1";
  year.date_of_birth = Date(1951, 2, 3);
  EXPECT_EQ(reg_->CorrectDetails(year, Officer()).error().code, "id.year_mismatch");
  CorrectionRequest nothing;
  nothing.citizen_id = single_.id;
  nothing.legal_basis = "1";
  nothing.old_id = "023456789";
  EXPECT_EQ(reg_->CorrectDetails(nothing, Officer()).error().code, "event.nothing_to_correct");
  EXPECT_UNCHANGED(seq, 4);
  // Refining a year-only date of birth within the same year is fine.
  CorrectionRequest refine;
  refine.citizen_id = single_.id;
  refine.legal_basis = "1";
  refine.date_of_birth = Date(1950, 5, 6);
  ASSERT_TRUE(reg_->CorrectDetails(refine, Officer()));
  EXPECT_EQ(Get(single_.id).date_of_birth, Date(1950, 5, 6));
}

TEST_F(RegistryTest, PermanentMoveFoundsAHouseholdAndHeadsCannotLeaveMembers) {
  ResidenceRequest head_moves{husband_.id, ResidenceKind::kPermanent, {}, {},
                              Address{"25747", "Số 9 đường Yersin"}, {}};
  auto blocked = reg_->RegisterResidence(head_moves, Officer());
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code, "event.head_must_change");

  ResidenceRequest son_moves{son_.id, ResidenceKind::kPermanent, {}, {},
                             Address{"25747", "Số 9 đường Yersin"}, {}};
  auto moved = reg_->RegisterResidence(son_moves, Officer());
  ASSERT_TRUE(moved) << moved.error().message;
  ASSERT_TRUE(moved->household_id);
  Citizen son = Get(son_.id);
  EXPECT_EQ(son.household_id, moved->household_id);
  EXPECT_EQ(son.relationship_to_head, Relationship::kHead);
  EXPECT_EQ(son.permanent_residence.commune_code, "25747");
  EXPECT_EQ(reg_->GetHousehold(1)->members.size(), 2u);

  // The mother joins her son's household.
  ResidenceRequest join{wife_.id, ResidenceKind::kPermanent, moved->household_id,
                        Relationship::kParent, {}, {}};
  ASSERT_TRUE(reg_->RegisterResidence(join, Officer()));
  Citizen wife = Get(wife_.id);
  EXPECT_EQ(wife.household_id, moved->household_id);
  EXPECT_EQ(wife.permanent_residence.street, "Số 9 đường Yersin");
  EXPECT_EQ(reg_->GetHousehold(*moved->household_id)->members.size(), 2u);
}

TEST_F(RegistryTest, TemporaryResidenceMustExpireInTheFuture) {
  ResidenceRequest past{son_.id, ResidenceKind::kTemporary, {}, {}, Address{"25747", "KTX"},
                        Date(2026, 11, 23)};
  EXPECT_EQ(reg_->RegisterResidence(past, Officer()).error().code, "event.until_in_past");
  ResidenceRequest ok = past;
  ok.until = Date(2027, 6, 30);
  ASSERT_TRUE(reg_->RegisterResidence(ok, Officer()));
  auto tr = Get(son_.id).temporary_residence;
  ASSERT_TRUE(tr);
  EXPECT_EQ(tr->until, Date(2027, 6, 30));
  EXPECT_EQ(Get(son_.id).household_id, 1);  // permanent residence unchanged
}

TEST_F(RegistryTest, MarriageAndDivorce) {
  auto already = reg_->RegisterMarriage({husband_.id, single_.id, Date(2026, 1, 1)}, Officer());
  EXPECT_EQ(already.error().code, "event.already_married");
  auto same_sex = reg_->RegisterMarriage({wife_.id, single_.id, Date(2026, 1, 1)}, Officer());
  EXPECT_EQ(same_sex.error().code, "event.already_married");
  auto young = reg_->RegisterMarriage({son_.id, single_.id, Date(2026, 1, 1)}, Officer());
  EXPECT_EQ(young.error().code, "event.under_marriage_age");
  auto not_married = reg_->RegisterDivorce({husband_.id, single_.id, Date(2026, 1, 1)}, Officer());
  EXPECT_EQ(not_married.error().code, "event.not_married");

  ASSERT_TRUE(reg_->RegisterDivorce({husband_.id, wife_.id, Date(2026, 2, 1)}, Officer()));
  EXPECT_FALSE(Get(husband_.id).spouse_id);
  EXPECT_FALSE(Get(wife_.id).spouse_id);
  auto same = reg_->RegisterMarriage({wife_.id, single_.id, Date(2026, 3, 1)}, Officer());
  EXPECT_EQ(same.error().code, "event.same_sex_marriage");
  auto self = reg_->RegisterMarriage({wife_.id, wife_.id, Date(2026, 3, 1)}, Officer());
  EXPECT_EQ(self.error().code, "event.same_person");
  auto parent = reg_->RegisterMarriage({wife_.id, son_.id, Date(2036, 3, 1)}, Officer());
  EXPECT_FALSE(parent);  // future date, and mother and son
  ASSERT_TRUE(reg_->RegisterMarriage({husband_.id, single_.id, Date(2026, 3, 1)}, Officer()));
  EXPECT_EQ(Get(husband_.id).spouse_id, single_.id);
  EXPECT_EQ(Get(single_.id).spouse_id, husband_.id);
}

TEST_F(RegistryTest, HouseholdHeadChangeAndSplit) {
  auto not_member = reg_->ChangeHouseholdHead({1, single_.id, {}}, Officer());
  EXPECT_EQ(not_member.error().code, "event.not_member");
  auto r = reg_->ChangeHouseholdHead(
      {1, wife_.id, {{husband_.id, Relationship::kSpouse}}}, Officer());
  ASSERT_TRUE(r) << r.error().message;
  auto h = reg_->GetHousehold(1).value();
  EXPECT_EQ(h.head_id, wife_.id);
  EXPECT_EQ(Get(husband_.id).relationship_to_head, Relationship::kSpouse);
  EXPECT_EQ(Get(son_.id).relationship_to_head, Relationship::kOtherRelative);

  auto split = reg_->SplitHousehold({1, son_.id, {}, Address{"00004", "Số 3 phố Kim Mã"}},
                                    Officer());
  ASSERT_TRUE(split) << split.error().message;
  ASSERT_TRUE(split->household_id);
  EXPECT_EQ(Get(son_.id).household_id, split->household_id);
  EXPECT_EQ(Get(son_.id).relationship_to_head, Relationship::kHead);
  EXPECT_EQ(reg_->GetHousehold(1)->members.size(), 2u);
  auto head_split = reg_->SplitHousehold({1, wife_.id, {}, {}}, Officer());
  EXPECT_EQ(head_split.error().code, "event.head_cannot_split");
}

TEST_F(RegistryTest, FeedIsMonotonicAndPaged) {
  int64_t start = Seq();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(reg_->RegisterBirth(Baby(wife_, husband_), Officer()));
  }
  auto p1 = reg_->Feed(start, 2).value();
  ASSERT_EQ(p1.events.size(), 2u);
  EXPECT_EQ(p1.events[0].seq, start + 1);
  EXPECT_EQ(p1.events[1].seq, start + 2);
  EXPECT_EQ(p1.next, start + 2);
  auto p2 = reg_->Feed(p1.next, 10).value();
  ASSERT_EQ(p2.events.size(), 3u);
  EXPECT_EQ(p2.next, start + 5);
  EXPECT_TRUE(reg_->Feed(p2.next, 10)->events.empty());
  EXPECT_EQ(reg_->Feed(0, 0).error().code, "request.bad_parameter");
  EXPECT_EQ(reg_->WaitForFeed(start, std::chrono::milliseconds(0)), start + 5);
}

TEST_F(RegistryTest, SearchByOldIdAndFoldedName) {
  auto by_old = reg_->FindByOldId("023456789").value();
  ASSERT_EQ(by_old.size(), 1u);
  EXPECT_EQ(by_old[0].id, single_.id);
  EXPECT_EQ(reg_->FindByOldId("12345").error().code, "old_id.length");

  NameQuery q;
  q.name = "le  thi DUNG";  // no diacritics, odd case and spacing
  EXPECT_EQ(reg_->FindByName(q)->size(), 1u);
  q.date_of_birth = Date(1950, 6, 1);  // within the year-only record
  EXPECT_EQ(reg_->FindByName(q)->size(), 1u);
  q.date_of_birth = Date(1951);
  EXPECT_EQ(reg_->FindByName(q)->size(), 0u);
  q.date_of_birth.reset();
  q.province_code = "79";
  EXPECT_EQ(reg_->FindByName(q)->size(), 1u);
  q.province_code = "01";
  EXPECT_EQ(reg_->FindByName(q)->size(), 0u);
  q.province_code = "00";
  EXPECT_EQ(reg_->FindByName(q).error().code, "admin.unknown_province");
}

TEST_F(RegistryTest, UnknownCitizenIsNotFound) {
  auto r = reg_->GetCitizen(Id(1, Sex::kMale, 2000, 1));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "citizen.not_found");
}

TEST_F(RegistryTest, StatePersistsAcrossReopen) {
  auto r = reg_->RegisterBirth(Baby(wife_, husband_), Officer());
  ASSERT_TRUE(r);
  int64_t seq = Seq();
  reg_.reset();
  db_.reset();
  auto db = where_->Open().value();
  auto reg = Registry::Open(*db, clock_, random_).value();
  EXPECT_EQ(reg->LastSeq().value(), seq);
  EXPECT_TRUE(reg->GetCitizen(*r->citizen_id));
}

}  // namespace
}  // namespace dancu::registry::testing
