// Verifier against a real register (the registry fixture's small family):
// matching semantics per field, and liveness through the change feed.
#include "verify/verifier.h"

#include <gtest/gtest.h>

#include "verify/verifier_fixture.h"

namespace dancu::verify {
namespace {

using registry::testing::Date;
using registry::testing::Id;
using registry::testing::Person;

constexpr auto kWait = std::chrono::seconds(1);  // the liveness bound

class VerifierTest : public testing::VerifierTestBase {
 protected:

  VerifyQuery ById(CitizenId id) {
    VerifyQuery q;
    q.id = id;
    return q;
  }
  static const FieldOutcome* FieldOf(const VerifyResult& r, Field f) {
    for (const auto& o : r.fields) {
      if (o.field == f) return &o;
    }
    return nullptr;
  }
  // Waits for the follower to apply `seq`: deterministic, no sleeping.
  void Applied(int64_t seq) { ASSERT_TRUE(verifier_->WaitUntilApplied(seq, kWait)) << seq; }

};

TEST_F(VerifierTest, IndexHoldsEveryCitizen) {
  EXPECT_EQ(verifier_->size(), 4u);
  EXPECT_EQ(verifier_->applied_seq(), Seq());
}

TEST_F(VerifierTest, NameLevels) {
  struct Case {
    std::string name;
    NameLevel level;
    FieldResult result;
    Outcome status;
  } cases[] = {
      {"Nguyễn Văn An", NameLevel::kExact, FieldResult::kMatch, Outcome::kMatch},
      // NFD input (decomposed diacritics) is the same text once normalized.
      {"Nguye\xcc\x82\xcc\x83n Va\xcc\x86n An", NameLevel::kExact, FieldResult::kMatch,
       Outcome::kMatch},
      {"  Nguyễn   Văn An ", NameLevel::kExact, FieldResult::kMatch, Outcome::kMatch},
      {"nguyen van an", NameLevel::kSameAfterFolding, FieldResult::kMatch, Outcome::kMatch},
      {"NGUYỄN VĂN AN", NameLevel::kSameAfterFolding, FieldResult::kMatch, Outcome::kMatch},
      {"An Nguyễn Văn", NameLevel::kTokenReordered, FieldResult::kPartial, Outcome::kMismatch},
      {"Nguyen Van Anh", NameLevel::kTypo, FieldResult::kPartial, Outcome::kMismatch},
      {"Nguyen Vn Ann", NameLevel::kTypo, FieldResult::kPartial, Outcome::kMismatch},
      {"Nguyen Vn Annh", NameLevel::kDifferent, FieldResult::kMismatch, Outcome::kMismatch},
      {"Trần Thị Bình", NameLevel::kDifferent, FieldResult::kMismatch, Outcome::kMismatch},
  };
  int last_score = 101;
  for (const Case& c : cases) {
    VerifyQuery q = ById(husband_.id);
    q.full_name = PersonName::Parse(c.name).value();
    VerifyResult r = verifier_->Verify(q);
    EXPECT_EQ(r.status, c.status) << c.name;
    const FieldOutcome* f = FieldOf(r, Field::kFullName);
    ASSERT_NE(f, nullptr) << c.name;
    EXPECT_EQ(f->level, c.level) << c.name;
    EXPECT_EQ(f->result, c.result) << c.name;
    EXPECT_GE(f->score, 0) << c.name;
    EXPECT_LE(f->score, last_score) << c.name << ": scores fall with the level";
    last_score = f->score;
  }
}

TEST_F(VerifierTest, DatesIncludingPartialRegisterDates) {
  struct Case {
    CitizenId id;
    PartialDate given;
    FieldResult want;
  } cases[] = {
      {husband_.id, Date(1985, 3, 14), FieldResult::kMatch},
      {husband_.id, Date(1985, 3), FieldResult::kPartial},
      {husband_.id, Date(1985, 3, 15), FieldResult::kMismatch},
      {single_.id, Date(1950), FieldResult::kMatch},             // register: year only
      {single_.id, Date(1950, 4, 2), FieldResult::kPartial},     // consistent
      {single_.id, Date(1951, 4, 2), FieldResult::kMismatch},
  };
  for (const Case& c : cases) {
    VerifyQuery q = ById(c.id);
    q.date_of_birth = c.given;
    VerifyResult r = verifier_->Verify(q);
    const FieldOutcome* f = FieldOf(r, Field::kDateOfBirth);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->result, c.want) << c.given.ToString();
    EXPECT_EQ(r.status == Outcome::kMatch, c.want == FieldResult::kMatch);
  }
}

TEST_F(VerifierTest, SexAndAddress) {
  VerifyQuery q = ById(wife_.id);
  q.sex = Sex::kFemale;
  q.commune_code = "00004";
  q.address = "so 1 pho doi can";  // folded fingerprint: diacritics and case do not matter
  VerifyResult r = verifier_->Verify(q);
  EXPECT_EQ(r.status, Outcome::kMatch);
  ASSERT_EQ(r.fields.size(), 3u);  // id, sex, permanent_address
  EXPECT_EQ(FieldOf(r, Field::kPermanentAddress)->commune_code, FieldResult::kMatch);
  EXPECT_EQ(FieldOf(r, Field::kPermanentAddress)->address, FieldResult::kMatch);

  q.sex = Sex::kMale;
  q.address = "Số 2 phố Đội Cấn";
  r = verifier_->Verify(q);
  EXPECT_EQ(r.status, Outcome::kMismatch);
  EXPECT_EQ(FieldOf(r, Field::kSex)->result, FieldResult::kMismatch);
  EXPECT_EQ(FieldOf(r, Field::kPermanentAddress)->result, FieldResult::kPartial);

  q.commune_code = "25747";
  r = verifier_->Verify(q);
  EXPECT_EQ(FieldOf(r, Field::kPermanentAddress)->result, FieldResult::kMismatch);

  VerifyQuery commune_only = ById(wife_.id);
  commune_only.commune_code = "00004";
  r = verifier_->Verify(commune_only);
  EXPECT_EQ(r.status, Outcome::kMatch);
  EXPECT_FALSE(FieldOf(r, Field::kPermanentAddress)->address.has_value());
}

TEST_F(VerifierTest, OldIdLookupAndNotFound) {
  VerifyQuery q;
  q.old_id = "023456789";
  q.full_name = PersonName::Parse("Le Thi Dung").value();
  VerifyResult r = verifier_->Verify(q);
  EXPECT_EQ(r.status, Outcome::kMatch);
  EXPECT_EQ(FieldOf(r, Field::kOldId)->result, FieldResult::kMatch);
  EXPECT_EQ(FieldOf(r, Field::kId), nullptr);

  q.old_id = "099999999";
  r = verifier_->Verify(q);
  EXPECT_EQ(r.status, Outcome::kNotFound);
  EXPECT_TRUE(r.fields.empty());

  VerifyQuery by_id = ById(husband_.id);
  by_id.old_id = "023456789";  // someone else's
  r = verifier_->Verify(by_id);
  EXPECT_EQ(r.status, Outcome::kMismatch);
  EXPECT_EQ(FieldOf(r, Field::kOldId)->result, FieldResult::kMismatch);

  r = verifier_->Verify(ById(Id(1, Sex::kMale, 1985, 999999)));
  EXPECT_EQ(r.status, Outcome::kNotFound);
  EXPECT_FALSE(r.deceased);
}

TEST_F(VerifierTest, DeathShowsWithinOneSecond) {
  verifier_->Start();
  VerifyResult before = verifier_->Verify(ById(husband_.id));
  EXPECT_FALSE(before.deceased);
  auto ev = reg_->RegisterDeath({husband_.id, Date(2026, 11, 1)}, Officer());
  ASSERT_TRUE(ev) << ev.error().message;
  Applied(ev->seq);
  VerifyResult after = verifier_->Verify(ById(husband_.id));
  EXPECT_TRUE(after.deceased);
  EXPECT_EQ(after.status, Outcome::kMatch);  // DECEASED is a flag, not a mismatch
  verifier_->Stop();
}

TEST_F(VerifierTest, CorrectionAndMoveShowWithinOneSecond) {
  verifier_->Start();
  registry::CorrectionRequest fix;
  fix.citizen_id = single_.id;
  fix.legal_basis = "QĐ 12/2026";
  fix.full_name = PersonName::Parse("Lê Thị Dung Hạnh").value();
  fix.old_id = "";
  auto ev = reg_->CorrectDetails(fix, Officer());
  ASSERT_TRUE(ev) << ev.error().message;
  Applied(ev->seq);
  VerifyQuery q = ById(single_.id);
  q.full_name = PersonName::Parse("Lê Thị Dung Hạnh").value();
  EXPECT_EQ(verifier_->Verify(q).status, Outcome::kMatch);
  VerifyQuery by_old;
  by_old.old_id = "023456789";  // cleared by the correction
  EXPECT_EQ(verifier_->Verify(by_old).status, Outcome::kNotFound);

  registry::ResidenceRequest move;
  move.citizen_id = wife_.id;
  move.kind = registry::ResidenceKind::kPermanent;
  move.address = Address{"25747", "Số 9 đường Yersin"};
  ev = reg_->RegisterResidence(move, Officer());
  ASSERT_TRUE(ev) << ev.error().message;
  Applied(ev->seq);
  VerifyQuery where = ById(wife_.id);
  where.commune_code = "25747";
  where.address = "So 9 duong Yersin";
  EXPECT_EQ(verifier_->Verify(where).status, Outcome::kMatch);
  verifier_->Stop();
}

TEST_F(VerifierTest, BirthAndImportAreFollowed) {
  verifier_->Start();
  registry::BirthRequest birth;
  birth.full_name = PersonName::Parse("Nguyễn Thị Em").value();
  birth.sex = Sex::kFemale;
  birth.date_of_birth = Date(2026, 11, 20);
  birth.birth_commune_code = "00004";
  birth.mother_id = wife_.id;
  birth.father_id = husband_.id;
  auto ev = reg_->RegisterBirth(birth, Officer());
  ASSERT_TRUE(ev) << ev.error().message;
  Applied(ev->seq);
  VerifyQuery q = ById(*ev->citizen_id);
  q.full_name = birth.full_name;
  q.date_of_birth = birth.date_of_birth;
  EXPECT_EQ(verifier_->Verify(q).status, Outcome::kMatch);

  // A bulk load appends an "import" event: the index is rebuilt.
  registry::Citizen extra = Person(Id(79, Sex::kMale, 1970, 111222), "Đỗ Văn Phúc", Sex::kMale,
                                   Date(1970), "25747");
  extra.household_id = 9;
  extra.relationship_to_head = registry::Relationship::kHead;
  auto loader = reg_->BeginBulkLoad(Officer());
  ASSERT_TRUE(loader);
  ASSERT_TRUE((*loader)->Add(extra));
  std::vector<registry::BulkProblem> problems;
  auto done = (*loader)->Finish(problems, "second load");
  ASSERT_TRUE(done) << done.error().message;
  loader->reset();
  Applied(Seq());
  VerifyQuery d = ById(extra.id);
  d.full_name = PersonName::Parse("do van phuc").value();
  VerifyResult r = verifier_->Verify(d);
  EXPECT_EQ(r.status, Outcome::kMatch);
  EXPECT_EQ(FieldOf(r, Field::kFullName)->level, NameLevel::kSameAfterFolding);
  EXPECT_EQ(verifier_->size(), 6u);
  verifier_->Stop();
}

TEST_F(VerifierTest, StopIsPromptAndIdempotent) {
  verifier_->Start();
  verifier_->Stop();
  verifier_->Stop();
  // Without the follower, CatchUp applies events on the caller's thread.
  auto ev = reg_->RegisterDeath({wife_.id, Date(2026, 11, 2)}, Officer());
  ASSERT_TRUE(ev);
  ASSERT_TRUE(verifier_->CatchUp());
  EXPECT_EQ(verifier_->applied_seq(), ev->seq);
  EXPECT_TRUE(verifier_->Verify(ById(wife_.id)).deceased);
}

}  // namespace
}  // namespace dancu::verify
