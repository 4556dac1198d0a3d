// The persisted verification index: a loaded snapshot answers like a fresh
// build, events after it are caught up, and anything doubtful (damaged,
// truncated, another version, another register) is rejected and rebuilt.
#include "verify/index_snapshot.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>

#include "registry/registry_fixture.h"
#include "verify/blocking_index.h"
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
  // Two events after a snapshot: single_ dies, wife_ gives birth.
  void DeathAndBirth() {
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
  }
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
  DeathAndBirth();
  if (HasFatalFailure()) return;

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
  DeathAndBirth();
  if (HasFatalFailure()) return;

  VerificationIndex mixed;
  for (const registry::Citizen* c : {&husband_, &wife_, &son_, &single_}) {
    mixed.Upsert(Get(c->id));  // today's state (single_ already dead), no newborn
  }
  auto pending = PendingSnapshot::Write(Snap(), mixed, BlockingIndex(mixed), SnapshotMeta{seq, at});
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
  // The names follow the 4 entries; the blocking tables follow the names.
  std::string name_flipped = good;
  name_flipped[256 + 4 * sizeof(Entry) + 1] ^= 0x20;  // inside the names arena
  std::string chain_flipped = good;
  chain_flipped[good.size() - 2] ^= 0x01;  // the last kind's chain array
  std::string head_count = good;
  head_count[136] += 1;  // the last kind's head-table size (header offset 136)
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
      {"blocking chain byte flipped", chain_flipped},
      {"blocking head count changed", head_count},
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

TEST_F(IndexSnapshotTest, TheBlockingIndexIsLoadedAndMatchesLikeAFreshBuild) {
  Saved();
  auto snap = LoadIndexSnapshot(Snap());
  ASSERT_TRUE(snap) << snap.error().message;
  ASSERT_NE(snap->blocking, nullptr);
  BlockingIndex built(*snap->index);
  for (size_t k = 0; k < BlockingIndex::kKinds; ++k) {
    ASSERT_EQ(snap->blocking->heads(k).size(), built.heads(k).size());
    EXPECT_EQ(std::memcmp(snap->blocking->heads(k).data(), built.heads(k).data(),
                          built.heads(k).size_bytes()),
              0);
  }
  auto loaded = Make();
  ASSERT_TRUE(loaded->loaded_from_snapshot());
  auto fresh = Make(false);
  for (const registry::Citizen* c : {&husband_, &wife_, &son_, &single_}) {
    MatchQuery q;
    q.full_name = PersonName::Parse(c->full_name.folded()).value();  // no diacritics
    q.date_of_birth = c->date_of_birth;
    q.sex = c->sex;
    auto a = loaded->Match(q, {});
    auto b = fresh->Match(q, {});
    ASSERT_FALSE(a.empty());
    EXPECT_EQ(a[0].id, c->id);
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].id, b[i].id);
  }
}

TEST_F(IndexSnapshotTest, BlockingTablesOfOtherEntriesAreRejectedAndRebuilt) {
  // A well-formed file (valid digest) whose blocking chains belong to the
  // same citizens at other positions: the key check catches it.
  int64_t seq = Seq();
  std::string at = reg_->Feed(seq - 1, 1).value().events.at(0).at;
  VerificationIndex forward, backward;
  for (const registry::Citizen* c : {&husband_, &wife_, &son_, &single_}) forward.Upsert(*c);
  for (const registry::Citizen* c : {&single_, &son_, &wife_, &husband_}) backward.Upsert(*c);
  auto pending =
      PendingSnapshot::Write(Snap(), forward, BlockingIndex(backward), SnapshotMeta{seq, at});
  ASSERT_TRUE(pending);
  ASSERT_TRUE(pending->Commit());
  auto direct = LoadIndexSnapshot(Snap());
  ASSERT_FALSE(direct);
  EXPECT_EQ(direct.error().code, "snapshot.invalid");
  EXPECT_NE(direct.error().message.find("not under its key"), std::string::npos)
      << direct.error().message;
  auto v = Make();
  EXPECT_FALSE(v->loaded_from_snapshot());
  MatchQuery q;
  q.full_name = husband_.full_name;
  q.date_of_birth = husband_.date_of_birth;
  auto m = v->Match(q, {});
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m[0].id, husband_.id);
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
  ASSERT_NE(snap->blocking, nullptr);
  auto pending = PendingSnapshot::Write(Snap(), *snap->index, *snap->blocking,
                                        SnapshotMeta{Seq() + 5, snap->meta.event_at});
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

class BlockingFromPartsTest : public registry::testing::RegistryTest {
 protected:
  void SetUp() override {
    registry::testing::RegistryTest::SetUp();
    for (const registry::Citizen* c : {&husband_, &wife_, &son_, &single_}) index_.Upsert(*c);
    BlockingIndex b(index_);
    for (size_t k = 0; k < BlockingIndex::kKinds; ++k) {
      heads_[k].assign(b.heads(k).begin(), b.heads(k).end());
      next_[k].assign(b.next(k).begin(), b.next(k).begin() + 4);
    }
  }
  std::string Problem() {
    auto r = BlockingIndex::FromParts(index_, heads_, next_);
    if (r) return "ok";
    EXPECT_EQ(r.error().code, "snapshot.invalid");
    return r.error().message;
  }
  // The slot of the kind's head whose chain starts at `pos`.
  size_t HeadOf(size_t kind, uint32_t pos) {
    for (size_t s = 0; s < heads_[kind].size(); ++s) {
      if (heads_[kind][s].first == pos) return s;
    }
    ADD_FAILURE() << "no head";
    return 0;
  }
  VerificationIndex index_;
  std::array<std::vector<BlockingIndex::Head>, BlockingIndex::kKinds> heads_;
  std::array<std::vector<uint32_t>, BlockingIndex::kKinds> next_;
};

TEST_F(BlockingFromPartsTest, AcceptsTheTablesOfABuild) { EXPECT_EQ(Problem(), "ok"); }

TEST_F(BlockingFromPartsTest, RejectsAChainArrayOfTheWrongSize) {
  next_[1].push_back(BlockingIndex::kNone);
  EXPECT_NE(Problem().find("wrong size"), std::string::npos);
}

TEST_F(BlockingFromPartsTest, RejectsAPositionOutsideTheIndex) {
  heads_[0][HeadOf(0, 3)].first = 4;  // past the last entry
  EXPECT_NE(Problem().find("outside the index"), std::string::npos);
}

TEST_F(BlockingFromPartsTest, RejectsAPositionOnTwoChainsAndOnNoChain) {
  // Every fixture citizen has its own name-year-province key: chains of one.
  ASSERT_EQ(next_[0][3], BlockingIndex::kNone);
  next_[0][3] = 2;  // 2 is also the head of its own chain: a cycle risk
  EXPECT_NE(Problem().find("two chains"), std::string::npos);
  next_[0][3] = BlockingIndex::kNone;
  heads_[0][HeadOf(0, 2)].first = BlockingIndex::kNone;  // 2 on no chain
  EXPECT_NE(Problem().find("on no chain"), std::string::npos);
}

TEST_F(BlockingFromPartsTest, RejectsAFullTableAndAnUnreachableHead) {
  std::vector<BlockingIndex::Head> full = heads_[2];
  uint32_t key = 0x5a5a0000u;
  for (auto& h : full) {
    if (h.first == BlockingIndex::kEmpty) h = {key++, BlockingIndex::kNone};
  }
  std::swap(full, heads_[2]);
  EXPECT_NE(Problem().find("load limit"), std::string::npos);
  std::swap(full, heads_[2]);
  // A head moved one slot on, with an empty slot before it: its look-up
  // stops at the empty slot.
  const size_t size = heads_[1].size();
  size_t s = 0;
  while (heads_[1][s].first == BlockingIndex::kEmpty ||
         heads_[1][(s + 1) % size].first != BlockingIndex::kEmpty) {
    ++s;  // 4 heads in 16 slots: one has an empty slot after it
  }
  std::swap(heads_[1][s], heads_[1][(s + 1) % size]);
  EXPECT_NE(Problem().find("cannot reach"), std::string::npos);
}

TEST_F(BlockingFromPartsTest, RejectsChainsOfOtherKeys) {
  // Entries 0 and 1 swap chains in every kind.
  for (size_t k = 0; k < BlockingIndex::kKinds; ++k) {
    for (auto& h : heads_[k]) {
      if (h.first == 0 || h.first == 1) h.first ^= 1;
    }
    for (auto& p : next_[k]) {
      if (p == 0 || p == 1) p ^= 1;
    }
    std::swap(next_[k][0], next_[k][1]);
  }
  EXPECT_NE(Problem().find("not under its key"), std::string::npos);
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
