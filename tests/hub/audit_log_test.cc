// The persisted access log: appends, stored-node proofs against the
// reference tree, persistence across reopen, concurrent appends, signed
// heads (and tampered ones), head intervals on an injected clock, subject
// pseudonyms, range errors and a damaged database.
#include "hub/audit_log.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "hub/audit_db.h"
#include "support/temp_dir.h"

namespace dancu::hub {
namespace {

using namespace std::chrono_literals;

Timestamp T0() { return Timestamp{std::chrono::seconds{1'780'000'000}}; }

AccessRecord Record(int i, std::string citizen = "001090012345") {
  AccessRecord r;
  r.actor_kind = i % 2 == 0 ? ActorKind::kAgency : ActorKind::kStaff;
  r.actor = i % 2 == 0 ? "bank-a" : "admin";
  r.citizen = std::move(citizen);
  r.operation = "verify";
  r.fields = "id,full_name,date_of_birth";
  r.purpose = "kyc";
  r.outcome = i % 3 == 0 ? "MATCH" : "MISMATCH";
  return r;
}

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open(AuditLogOptions options = Deterministic()) {
    log_.reset();
    db_.reset();
    auto db = OpenAuditDb(dir_.path());
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    auto keys = LoadOrCreateAuditKeys(dir_.path());
    ASSERT_TRUE(keys) << keys.error().message;
    auto log = AuditLog::Open(*db_, std::move(*keys), clock_, options);
    ASSERT_TRUE(log) << log.error().message;
    log_ = std::move(*log);
  }

  static AuditLogOptions Deterministic() {
    AuditLogOptions o;
    o.writer_thread = false;
    o.cached_level = 3;  // proofs use both the cache and point reads
    return o;
  }

  void AppendN(int n) {
    for (int i = 0; i < n; ++i) log_->Append(Record(i));
    ASSERT_TRUE(log_->Flush());
  }

  // The leaves recomputed from the served entries.
  std::vector<Hash> ServedLeaves() {
    std::vector<Hash> out;
    for (uint64_t i = 0; i < log_->size(); ++i) {
      auto e = log_->Entry(i);
      EXPECT_TRUE(e) << e.error().message;
      EXPECT_EQ(e->index, i);
      out.push_back(LeafHash(LeafData(*e)));
    }
    return out;
  }

  testing::TempDir dir_;
  ManualClock clock_{T0()};
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<AuditLog> log_;
};

TEST_F(AuditLogTest, AnEmptyLogHasASignedHeadOfTheEmptyTree) {
  TreeHead head = log_->LatestHead();
  EXPECT_EQ(head.size, 0u);
  EXPECT_EQ(head.root_hash, EmptyTreeHash());
  EXPECT_EQ(head.timestamp, 1'780'000'000'000);
  EXPECT_TRUE(VerifyTreeHead(head, log_->public_key()));
}

TEST_F(AuditLogTest, EveryProofUpTo64EntriesMatchesTheReferenceTree) {
  AppendN(64);
  ASSERT_EQ(log_->size(), 64u);
  std::vector<Hash> leaves = ServedLeaves();
  for (uint64_t size = 1; size <= 64; ++size) {
    Hash root = ReferenceRoot(std::span(leaves.data(), size));
    for (uint64_t i = 0; i < size; ++i) {
      auto p = log_->ProveInclusion(i, size);
      ASSERT_TRUE(p) << p.error().message;
      ASSERT_EQ(p->leaf_hash, leaves[i]);
      ASSERT_TRUE(VerifyInclusion(i, size, p->leaf_hash, p->audit_path, root)) << i << "/" << size;
    }
    for (uint64_t first = 1; first <= size; ++first) {
      auto c = log_->ProveConsistency(first, size);
      ASSERT_TRUE(c) << c.error().message;
      ASSERT_TRUE(VerifyConsistency(first, size, ReferenceRoot(std::span(leaves.data(), first)),
                                    root, c->proof))
          << first << "->" << size;
    }
  }
  auto head = log_->SignHead();
  ASSERT_TRUE(head);
  EXPECT_EQ(head->size, 64u);
  EXPECT_EQ(head->root_hash, ReferenceRoot(leaves));
}

TEST_F(AuditLogTest, BatchesOfAnySizeBuildTheSameTree) {
  // 1 + 2 + ... + 12 = 78 entries committed in uneven batches.
  int i = 0;
  for (int batch = 1; batch <= 12; ++batch) {
    for (int k = 0; k < batch; ++k) log_->Append(Record(i++));
    ASSERT_TRUE(log_->Flush());
  }
  auto head = log_->SignHead();
  ASSERT_TRUE(head);
  EXPECT_EQ(head->size, 78u);
  EXPECT_EQ(head->root_hash, ReferenceRoot(ServedLeaves()));
}

TEST_F(AuditLogTest, TheTreeAndItsHeadsSurviveReopening) {
  AppendN(37);
  auto old_head = log_->SignHead();
  ASSERT_TRUE(old_head);
  log_->Append(Record(100));  // queued, committed by Stop
  log_->Stop();
  Open();
  EXPECT_EQ(log_->size(), 38u);
  // Stop signed the final size; reopening keeps it.
  EXPECT_EQ(log_->LatestHead().size, 38u);
  AppendN(30);
  auto new_head = log_->SignHead();
  ASSERT_TRUE(new_head);
  EXPECT_EQ(new_head->size, 68u);
  EXPECT_EQ(new_head->root_hash, ReferenceRoot(ServedLeaves()));
  EXPECT_TRUE(VerifyTreeHead(*old_head, log_->public_key()));  // same key after reopen
  auto c = log_->ProveConsistency(old_head->size, new_head->size);
  ASSERT_TRUE(c);
  EXPECT_TRUE(VerifyConsistency(old_head->size, new_head->size, old_head->root_hash,
                                new_head->root_hash, c->proof));
  auto p = log_->ProveInclusion(5, new_head->size);
  ASSERT_TRUE(p);
  EXPECT_TRUE(VerifyInclusion(5, new_head->size, p->leaf_hash, p->audit_path, new_head->root_hash));
}

TEST_F(AuditLogTest, TheInMemoryTopOfALargerTreeIsReloaded) {
  // 1,000 entries: levels 8 and 9 come back from audit_top_nodes.
  AppendN(1000);
  auto head = log_->SignHead();
  ASSERT_TRUE(head);
  log_->Stop();
  Open();
  std::vector<Hash> leaves = ServedLeaves();
  ASSERT_EQ(ReferenceRoot(leaves), head->root_hash);
  for (uint64_t i : {0ull, 255ull, 256ull, 511ull, 767ull, 999ull}) {
    auto p = log_->ProveInclusion(i, 1000);
    ASSERT_TRUE(p);
    EXPECT_TRUE(VerifyInclusion(i, 1000, leaves[i], p->audit_path, head->root_hash)) << i;
  }
  log_->Stop();
  log_.reset();
  {
    auto conn = db_->Connect();
    ASSERT_TRUE(conn);
    ASSERT_TRUE(
        (*conn)->Exec("DELETE FROM audit_top_nodes WHERE id = (SELECT MAX(id) FROM "
                      "audit_top_nodes)"));
  }
  auto keys = LoadOrCreateAuditKeys(dir_.path());
  ASSERT_TRUE(keys);
  auto damaged = AuditLog::Open(*db_, std::move(*keys), clock_, Deterministic());
  ASSERT_FALSE(damaged);
  EXPECT_EQ(damaged.error().code, "storage.corrupt");
}

TEST_F(AuditLogTest, ConcurrentAppendsAreAllCommittedOnce) {
  AuditLogOptions o;
  o.cached_level = 4;
  o.batch_max = 1000;  // many batches while the producers run
  Open(o);
  constexpr int kThreads = 4;
  constexpr int kEach = 5000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        AccessRecord r = Record(i);
        r.actor = "agency-" + std::to_string(t);
        r.outcome = std::to_string(i);
        log_->Append(std::move(r));
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_TRUE(log_->Flush());
  ASSERT_EQ(log_->size(), uint64_t{kThreads * kEach});
  // Each producer's records appear once each, in that producer's order.
  std::vector<int> next(kThreads, 0);
  std::vector<Hash> leaves;
  for (uint64_t i = 0; i < log_->size(); ++i) {
    auto e = log_->Entry(i);
    ASSERT_TRUE(e);
    int t = std::stoi(e->actor.substr(7));
    ASSERT_EQ(e->outcome, std::to_string(next[t]++));
    leaves.push_back(LeafHash(LeafData(*e)));
  }
  auto head = log_->SignHead();
  ASSERT_TRUE(head);
  EXPECT_EQ(head->root_hash, ReferenceRoot(leaves));
}

TEST_F(AuditLogTest, HeadsAreSignedAtIntervalsOnTheInjectedClock) {
  log_->Append(Record(0));
  ASSERT_TRUE(log_->Flush());
  EXPECT_EQ(log_->size(), 1u);
  EXPECT_EQ(log_->LatestHead().size, 0u);  // the empty head was signed just now
  clock_.Advance(1s);
  log_->Append(Record(1));
  ASSERT_TRUE(log_->Flush());
  EXPECT_EQ(log_->LatestHead().size, 2u);  // due: signed in the batch's transaction
  EXPECT_EQ(log_->LatestHead().timestamp, 1'780'000'001'000);
  clock_.Advance(10ms);
  log_->Append(Record(2));
  ASSERT_TRUE(log_->Flush());
  EXPECT_EQ(log_->LatestHead().size, 2u);
  auto forced = log_->SignHead();  // on demand
  ASSERT_TRUE(forced);
  EXPECT_EQ(forced->size, 3u);
  EXPECT_EQ(forced->timestamp, 1'780'000'001'010);
  EXPECT_TRUE(VerifyTreeHead(*forced, log_->public_key()));
}

TEST_F(AuditLogTest, ATamperedHeadFailsVerification) {
  AppendN(10);
  auto head = log_->SignHead();
  ASSERT_TRUE(head);
  ASSERT_TRUE(VerifyTreeHead(*head, log_->public_key()));
  TreeHead h = *head;
  h.signature[10] ^= 1;
  EXPECT_FALSE(VerifyTreeHead(h, log_->public_key())) << "bit-flipped signature";
  h = *head;
  h.size = 11;
  EXPECT_FALSE(VerifyTreeHead(h, log_->public_key())) << "size changed";
  h = *head;
  h.root_hash[0] ^= 0x80;
  EXPECT_FALSE(VerifyTreeHead(h, log_->public_key())) << "root changed";
  h = *head;
  h.timestamp += 1;
  EXPECT_FALSE(VerifyTreeHead(h, log_->public_key())) << "timestamp changed";
  h = *head;
  h.signature.pop_back();
  EXPECT_FALSE(VerifyTreeHead(h, log_->public_key())) << "short signature";
  EXPECT_FALSE(VerifyTreeHead(*head, crypto::EcKey::Generate())) << "another key";
}

TEST_F(AuditLogTest, EntriesNameThePseudonymNeverTheCitizenId) {
  log_->Append(Record(0, "079123456789"));
  clock_.Advance(1234567us);
  log_->Append(Record(1, "001090012345"));
  log_->Append(Record(2, "079123456789"));
  log_->Append(Record(3, ""));
  ASSERT_TRUE(log_->Flush());
  auto e = log_->Entry(0);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->subject, log_->Subject("079123456789"));
  EXPECT_EQ(e->subject.size(), 43u);  // base64url of 32 bytes
  {
    // HMAC-SHA256 under DIR/audit-subject.key, base64url.
    std::ifstream key_file(dir_.path() / "audit-subject.key", std::ios::binary);
    std::string key((std::istreambuf_iterator<char>(key_file)), {});
    EXPECT_EQ(e->subject,
              crypto::Base64UrlEncode(crypto::AsBytes(crypto::HmacSha256(key, "079123456789"))));
  }
  EXPECT_EQ(e->time, "2026-05-28T20:26:40.000000Z");
  EXPECT_EQ(LeafData(*e).find("079123456789"), std::string::npos);
  EXPECT_EQ(log_->Entry(3)->subject, "");
  auto mine = log_->EntriesForCitizen("079123456789", UINT64_MAX, 10);
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ((*mine)[0].index, 2u);  // newest first
  EXPECT_EQ((*mine)[1].index, 0u);
  EXPECT_EQ(log_->Entry(1)->time, "2026-05-28T20:26:41.234567Z");
  auto page = log_->EntriesForCitizen("079123456789", 2, 10);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->size(), 1u);
  log_->Stop();
  log_.reset();
  db_.reset();
  // Nothing in the data directory holds the id in clear.
  for (const auto& f : std::filesystem::directory_iterator(dir_.path())) {
    std::ifstream in(f.path(), std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    EXPECT_EQ(s.str().find("079123456789"), std::string::npos) << f.path();
  }
}

TEST_F(AuditLogTest, RequestsOutsideTheTreeAreSpecificErrors) {
  AppendN(5);
  EXPECT_EQ(log_->ProveInclusion(0, 6).error().code, "audit.size_out_of_range");
  EXPECT_EQ(log_->ProveInclusion(0, 0).error().code, "audit.size_out_of_range");
  EXPECT_EQ(log_->ProveInclusion(5, 5).error().code, "audit.index_out_of_range");
  EXPECT_EQ(log_->ProveConsistency(0, 5).error().code, "audit.bad_range");
  EXPECT_EQ(log_->ProveConsistency(4, 3).error().code, "audit.bad_range");
  EXPECT_EQ(log_->ProveConsistency(1, 6).error().code, "audit.size_out_of_range");
  EXPECT_EQ(log_->Entry(5).error().code, "audit.entry_not_found");
  auto same = log_->ProveConsistency(5, 5);
  ASSERT_TRUE(same);
  EXPECT_TRUE(same->proof.empty());
}

TEST_F(AuditLogTest, ADamagedTreeIsRefusedAtOpen) {
  AppendN(20);
  ASSERT_TRUE(log_->SignHead());
  log_->Stop();
  log_.reset();
  {
    auto conn = db_->Connect();
    ASSERT_TRUE(conn);
    // Rewrite the stored nodes: the stored tree no longer matches the
    // signed head.
    ASSERT_TRUE((*conn)->Exec("UPDATE audit_nodes SET h0 = h0 + 1"));
  }
  db_.reset();
  auto db = OpenAuditDb(dir_.path());
  ASSERT_TRUE(db);
  auto keys = LoadOrCreateAuditKeys(dir_.path());
  ASSERT_TRUE(keys);
  auto log = AuditLog::Open(**db, std::move(*keys), clock_, Deterministic());
  ASSERT_FALSE(log);
  EXPECT_EQ(log.error().code, "storage.corrupt");
}

TEST_F(AuditLogTest, KeysAreCreatedOnceWithOwnerOnlyAccess) {
  auto again = LoadOrCreateAuditKeys(dir_.path());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->key_id, log_->PublicJwk().at("kid").as_string());
  for (const char* name : {"audit-signing.pem", "audit-subject.key"}) {
    struct stat st {};
    ASSERT_EQ(::stat((dir_.path() / name).c_str(), &st), 0) << name;
    EXPECT_EQ(st.st_mode & 0777, 0600u) << name;
  }
  EXPECT_EQ(log_->PublicJwk().count("d"), 0u);  // never the private part
}

}  // namespace
}  // namespace dancu::hub
