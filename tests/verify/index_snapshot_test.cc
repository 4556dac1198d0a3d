// The persisted verification index: a loaded snapshot answers like a fresh
// build, events after it are caught up, and anything doubtful (damaged,
// truncated, another version, another register) is rejected and rebuilt.
#include "verify/index_snapshot.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "registry/registry_fixture.h"
#include "verify/verifier.h"

namespace dancu::verify {
namespace {

using registry::testing::Date;
using registry::testing::Id;
using registry::testing::Person;

constexpr auto kWait = std::chrono::seconds(1);

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void WriteFile(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << bytes;
}

class IndexSnapshotTest : public registry::testing::RegistryTest {
 protected:
  std::filesystem::path Snap() const { return dir_.path() / "verify-index.snap"; }

  std::unique_ptr<Verifier> Make(bool with_snapshot = true) {
    VerifierOptions o;
    if (with_snapshot) o.snapshot = Snap();
    auto v = Verifier::Create(*reg_, o);
    EXPECT_TRUE(v) << v.error().message;
    return v ? std::move(*v) : nullptr;
  }

  // Every fixture citizen asked with every field, right and wrong.
  std::vector<VerifyQuery> Queries() const {
    std::vector<VerifyQuery> out;
    for (const registry::Citizen* c : {&husband_, &wife_, &son_, &single_}) {
      VerifyQuery q;
      q.id = c->id;
      q.full_name = c->full_name;
      q.date_of_birth = c->date_of_birth;
      q.sex = c->sex;
      q.commune_code = c->permanent_residence.commune_code;
      q.address = c->permanent_residence.street;
      out.push_back(q);
      q.full_name = PersonName::Parse("Nguyen Van Anh").value();
      q.date_of_birth = Date(1901, 1, 1);
      out.push_back(q);
    }
    VerifyQuery by_old;
    by_old.old_id = "023456789";
    out.push_back(by_old);
    VerifyQuery nobody;
    nobody.id = Id(1, Sex::kMale, 1990, 999999);
    out.push_back(nobody);
    return out;
  }

  static std::string Describe(const VerifyResult& r) {
    std::string s(ToString(r.status));
    s += r.deceased ? " D" : " -";
    for (const FieldOutcome& f : r.fields) {
      s += " " + std::string(ToString(f.field)) + "=" + std::string(ToString(f.result)) + "/" +
           std::to_string(f.score);
    }
    return s;
  }

  void ExpectSameAnswers(const Verifier& a, const Verifier& b) {
    for (const VerifyQuery& q : Queries()) {
      EXPECT_EQ(Describe(a.Verify(q)), Describe(b.Verify(q)));
    }
  }

  // Writes a snapshot of the fixture register and returns its bytes.
  std::string Saved() {
    auto v = Make();
    EXPECT_TRUE(v->SaveSnapshot());
    return ReadFile(Snap());
  }
};

TEST_F(IndexSnapshotTest, LoadedSnapshotAnswersLikeAFreshBuild) {
  {
    auto first = Make();
    EXPECT_FALSE(first->loaded_from_snapshot());  // no file yet
    ASSERT_TRUE(first->SaveSnapshot());
  }
  auto loaded = Make();
  EXPECT_TRUE(loaded->loaded_from_snapshot());
  EXPECT_EQ(loaded->size(), 4u);
  EXPECT_EQ(loaded->applied_seq(), Seq());
  auto fresh = Make(/*with_snapshot=*/false);
  ExpectSameAnswers(*loaded, *fresh);
}

TEST_F(IndexSnapshotTest, SnapshotPartsRoundTripExactly) {
  auto v = Make();
  ASSERT_TRUE(v->SaveSnapshot());
  auto snap = LoadIndexSnapshot(Snap());
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->meta.seq, Seq());
  EXPECT_EQ(snap->index->size(), 4u);
  EXPECT_NE(snap->index->Find(husband_.id.number()), nullptr);
  const Entry* found[2];
  EXPECT_EQ(snap->index->FindByOldId(PackOldId("023456789"), found, 2), 1u);
}

TEST_F(IndexSnapshotTest, EventsAfterTheSnapshotAreCaughtUp) {
  Saved();
  registry::DeathRequest death;
  death.citizen_id = single_.id;
  death.date_of_death = Date(2026, 11, 1);
  ASSERT_TRUE(reg_->RegisterDeath(death, Officer()));
  registry::BirthRequest birth;
  birth.full_name = PersonName::Parse("Nguyễn Thị Mai").value();
  birth.sex = Sex::kFemale;
  birth.date_of_birth = Date(2026, 11, 2);
  birth.birth_commune_code = "00004";
  birth.mother_id = wife_.id;
  auto born = reg_->RegisterBirth(birth, Officer());
  ASSERT_TRUE(born) << born.error().message;

  auto loaded = Make();
  EXPECT_TRUE(loaded->loaded_from_snapshot());
  EXPECT_EQ(loaded->applied_seq(), Seq());
  EXPECT_EQ(loaded->size(), 5u);
  VerifyQuery q;
  q.id = single_.id;
  EXPECT_TRUE(loaded->Verify(q).deceased);
  auto fresh = Make(false);
  ExpectSameAnswers(*loaded, *fresh);
}

TEST_F(IndexSnapshotTest, PiecesNewerThanTheSeqAndMissingBirthsAreFixedByTheReplay) {
  // What a snapshot of a live index can hold (index_snapshot.h): entries
  // already changed by events after its seq, and no entry for a citizen born
  // during the write. Loading replays those events and must end up exact.
  int64_t seq = Seq();
  std::string at = reg_->Feed(seq - 1, 1).value().events.at(0).at;
  registry::DeathRequest death;
  death.citizen_id = single_.id;
  death.date_of_death = Date(2026, 11, 1);
  ASSERT_TRUE(reg_->RegisterDeath(death, Officer()));
  registry::BirthRequest birth;
  birth.full_name = PersonName::Parse("Nguyễn Thị Mai").value();
  birth.sex = Sex::kFemale;
  birth.date_of_birth = Date(2026, 11, 2);
  birth.birth_commune_code = "00004";
  birth.mother_id = wife_.id;
  ASSERT_TRUE(reg_->RegisterBirth(birth, Officer()));

  VerificationIndex mixed;
  for (const registry::Citizen* c : {&husband_, &wife_, &son_, &single_}) {
    mixed.Upsert(Get(c->id));  // today's state (single_ already dead), no newborn
  }
  auto pending = PendingSnapshot::Write(Snap(), mixed, SnapshotMeta{seq, at});
  ASSERT_TRUE(pending);
  ASSERT_TRUE(pending->Commit());

  auto loaded = Make();
  EXPECT_TRUE(loaded->loaded_from_snapshot());
  EXPECT_EQ(loaded->size(), 5u);
  auto fresh = Make(false);
  ExpectSameAnswers(*loaded, *fresh);
  VerifyQuery q;
  q.id = single_.id;
  EXPECT_TRUE(loaded->Verify(q).deceased);
}

TEST_F(IndexSnapshotTest, DamagedSnapshotsAreRejectedAndRebuilt) {
  const std::string good = Saved();
  ASSERT_GT(good.size(), 256u);
  struct Case {
    std::string name;
    std::string bytes;
  };
  std::string flipped = good;
  flipped[256 + 3] ^= 0x01;  // inside the first entry
  std::string name_flipped = good;
  name_flipped[good.size() - 2] ^= 0x20;  // inside the names arena
  std::string version = good;
  version[8] = 9;  // version field
  std::string entry_size = good;
  entry_size[12] = 48;
  std::string magic = good;
  magic[0] = 'X';
  std::vector<Case> cases = {
      {"truncated", good.substr(0, good.size() - 7)},
      {"header only", good.substr(0, 256)},
      {"shorter than a header", good.substr(0, 100)},
      {"empty", ""},
      {"longer", good + "x"},
      {"entry byte flipped", flipped},
      {"name byte flipped", name_flipped},
      {"other version", version},
      {"other entry size", entry_size},
      {"not a snapshot", magic},
  };
  for (const Case& c : cases) {
    WriteFile(Snap(), c.bytes);
    auto direct = LoadIndexSnapshot(Snap());
    ASSERT_FALSE(direct) << c.name;
    EXPECT_EQ(direct.error().code, "snapshot.invalid") << c.name;
    auto v = Make();
    EXPECT_FALSE(v->loaded_from_snapshot()) << c.name;
    EXPECT_EQ(v->size(), 4u) << c.name;
    auto fresh = Make(false);
    ExpectSameAnswers(*v, *fresh);
  }
}

TEST_F(IndexSnapshotTest, MissingSnapshotIsReportedAsMissing) {
  auto r = LoadIndexSnapshot(Snap());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "snapshot.missing");
}

TEST_F(IndexSnapshotTest, SnapshotOfAnotherRegisterIsNotUsed) {
  Saved();
  // Another register with the same feed seq (one bulk load), loaded at
  // another time: the event at that seq differs.
  dancu::testing::TempDir other_dir;
  ManualClock later(registry::testing::At(2026, 11, 24));
  auto db = storage::OpenSqlite(other_dir.path() / "register.db");
  ASSERT_TRUE(db);
  auto other = registry::Registry::Open(**db, later, random_);
  ASSERT_TRUE(other);
  {
    auto loader = (*other)->BeginBulkLoad(registry::WriteContext{"test", "other", {}, {}});
    ASSERT_TRUE(loader);
    ASSERT_TRUE((*loader)->Add(single_));
    std::vector<registry::BulkProblem> problems;
    ASSERT_TRUE((*loader)->Finish(problems, "other"));
  }
  ASSERT_EQ((*other)->LastSeq().value(), Seq());
  auto v = Verifier::Create(**other, VerifierOptions{.snapshot = Snap()});
  ASSERT_TRUE(v);
  EXPECT_FALSE((*v)->loaded_from_snapshot());
  EXPECT_EQ((*v)->size(), 1u);
  VerifyQuery q;
  q.id = husband_.id;
  EXPECT_EQ((*v)->Verify(q).status, Outcome::kNotFound);
}

TEST_F(IndexSnapshotTest, SnapshotAheadOfTheRegisterIsNotUsed) {
  // A snapshot claiming a seq the register has not reached (a restored
  // backup of the register, say) must not be trusted.
  Saved();
  auto snap = LoadIndexSnapshot(Snap());
  ASSERT_TRUE(snap);
  auto pending =
      PendingSnapshot::Write(Snap(), *snap->index, SnapshotMeta{Seq() + 5, snap->meta.event_at});
  ASSERT_TRUE(pending);
  ASSERT_TRUE(pending->Commit());
  auto v = Make();
  EXPECT_FALSE(v->loaded_from_snapshot());
  EXPECT_EQ(v->size(), 4u);
}

TEST_F(IndexSnapshotTest, StopWritesTheSnapshotAndTheFollowerAfterABuild) {
  {
    auto v = Make();
    v->Start();
    registry::DeathRequest death;
    death.citizen_id = husband_.id;
    death.date_of_death = Date(2026, 11, 1);
    auto r = reg_->RegisterDeath(death, Officer());
    ASSERT_TRUE(r);
    ASSERT_TRUE(v->WaitUntilApplied(Seq(), kWait));
    v->Stop();  // clean shutdown: snapshot at the applied seq
  }
  auto snap = LoadIndexSnapshot(Snap());
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->meta.seq, Seq());
  auto loaded = Make();
  EXPECT_TRUE(loaded->loaded_from_snapshot());
  VerifyQuery q;
  q.id = husband_.id;
  EXPECT_TRUE(loaded->Verify(q).deceased);
}

TEST_F(IndexSnapshotTest, FailedWriteLeavesNoTemporaryFile) {
  auto v =
      Verifier::Create(*reg_, VerifierOptions{.snapshot = dir_.path() / "no-such-dir" / "x.snap"});
  ASSERT_TRUE(v);
  auto s = (*v)->SaveSnapshot();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "snapshot.io");
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "no-such-dir"));
}

TEST(VerificationIndexFromParts, RejectsNamesOutsideTheArenaAndRepeatedIds) {
  Entry a;
  a.id = 1;
  a.name_offset = 0;
  a.name_length = 3;
  Entry b = a;
  b.id = 2;
  EXPECT_TRUE(VerificationIndex::FromParts({a, b}, "abc"));
  auto outside = VerificationIndex::FromParts({a, b}, "ab");
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().code, "snapshot.invalid");
  auto twice = VerificationIndex::FromParts({a, a}, "abc");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, "snapshot.invalid");
}

}  // namespace
}  // namespace dancu::verify
