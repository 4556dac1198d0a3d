// The persisted verification record: records and totals survive a restart,
// submitted values are never stored, and a full queue blocks Record until
// the writer makes room.
#include "verify/verification_log.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <iterator>
#include <thread>

#include "support/temp_dir.h"
#include "verify/verify_db.h"

namespace dancu::verify {
namespace {

Timestamp At(int64_t seconds) { return Timestamp{std::chrono::seconds(seconds)}; }

VerifyQuery Query() {
  VerifyQuery q;
  q.id = CitizenId::Parse("001085123456").value();
  q.full_name = PersonName::Parse("Nguyễn Văn Zzyzx").value();
  q.date_of_birth = PartialDate::Make(1985, 3, 14).value();
  return q;
}

VerifyResult Mismatch() {
  VerifyResult r;
  r.status = Outcome::kMismatch;
  r.fields = {{.field = Field::kId, .result = FieldResult::kMatch},
              {.field = Field::kFullName, .result = FieldResult::kPartial},
              {.field = Field::kDateOfBirth, .result = FieldResult::kMismatch}};
  return r;
}

VerifyResult Match() {
  VerifyResult r;
  r.status = Outcome::kMatch;
  r.fields = {{.field = Field::kId, .result = FieldResult::kMatch}};
  return r;
}

constexpr uint32_t Bit(Field f) { return 1u << static_cast<unsigned>(f); }

class VerificationLogTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen() {
    log_.reset();
    db_.reset();
    auto db = OpenVerifyDb(dir_.path());
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    auto log = VerificationLog::Open(*db_, clock_, options_);
    ASSERT_TRUE(log) << log.error().message;
    log_ = std::move(*log);
  }

  dancu::testing::TempDir dir_;
  ManualClock clock_{At(1'800'000'000)};
  VerificationLogOptions options_{.writer_thread = false};
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<VerificationLog> log_;
};

TEST_F(VerificationLogTest, RecordsAndTotalsSurviveARestart) {
  log_->Record("bhxh", Query(), Mismatch());
  clock_.Advance(std::chrono::seconds(1));
  log_->Record("bhxh", Query(), Match());
  log_->Record("vcb", Query(), VerifyResult{});  // NOT_FOUND
  ASSERT_TRUE(log_->Flush());
  Reopen();

  VerificationTotals t = log_->Totals();
  EXPECT_EQ(t.total, 3u);
  EXPECT_EQ(t.matched, 1u);
  EXPECT_EQ(t.mismatched, 1u);
  EXPECT_EQ(t.not_found, 1u);
  EXPECT_EQ(t.discrepancies[static_cast<size_t>(Field::kFullName)], 1u);
  EXPECT_EQ(t.discrepancies[static_cast<size_t>(Field::kDateOfBirth)], 1u);
  EXPECT_EQ(t.discrepancies[static_cast<size_t>(Field::kId)], 0u);
  auto by = log_->TotalsByAgency();
  ASSERT_EQ(by.size(), 2u);
  EXPECT_EQ(by["bhxh"].total, 2u);
  EXPECT_EQ(by["vcb"].not_found, 1u);

  auto stored = log_->Stored(10);
  ASSERT_TRUE(stored) << stored.error().message;
  ASSERT_EQ(stored->size(), 3u);
  const VerificationRecord& first = (*stored)[0];
  EXPECT_EQ(first.at, At(1'800'000'000));  // the injected clock's time
  EXPECT_EQ(first.agency, "bhxh");
  EXPECT_EQ(first.fields, Bit(Field::kId) | Bit(Field::kFullName) | Bit(Field::kDateOfBirth));
  EXPECT_EQ(first.status, Outcome::kMismatch);
  EXPECT_EQ(first.discrepant, Bit(Field::kFullName) | Bit(Field::kDateOfBirth));
  EXPECT_EQ((*stored)[1].at, At(1'800'000'001));
  EXPECT_EQ((*stored)[2].status, Outcome::kNotFound);

  // Totals keep counting from the restored values.
  log_->Record("vcb", Query(), Match());
  ASSERT_TRUE(log_->Flush());
  Reopen();
  EXPECT_EQ(log_->Totals().total, 4u);
  EXPECT_EQ(log_->TotalsByAgency()["vcb"].matched, 1u);
}

TEST_F(VerificationLogTest, DestructorCommitsWhatIsQueued) {
  log_->Record("bhxh", Query(), Match());
  log_->Record("bhxh", Query(), Match());
  EXPECT_EQ(log_->pending(), 2u);
  Reopen();  // destroys the log without a Flush
  EXPECT_EQ(log_->Totals().total, 2u);
  EXPECT_EQ(log_->Stored(10)->size(), 2u);
}

TEST_F(VerificationLogTest, WriterThreadCommitsOnFlush) {
  options_ = VerificationLogOptions{};  // with the writer thread
  Reopen();
  for (int i = 0; i < 100; ++i) log_->Record("bhxh", Query(), Mismatch());
  ASSERT_TRUE(log_->Flush());
  EXPECT_EQ(log_->pending(), 0u);
  EXPECT_EQ(log_->Stored(1000)->size(), 100u);
  log_->Record("bhxh", Query(), Match());
  log_->Stop();
  EXPECT_EQ(log_->Stored(1000)->size(), 101u);
}

TEST_F(VerificationLogTest, SubmittedValuesAreNeverStored) {
  // The table has no column for a value, and no value reaches the file.
  auto conn = db_->Connect();
  ASSERT_TRUE(conn);
  auto& cols = (*conn)->Cached("SELECT name FROM pragma_table_info('verifications') ORDER BY cid");
  std::vector<std::string> names;
  while (cols.Step().value()) names.emplace_back(cols.Text(0));
  cols.Reset();
  EXPECT_EQ(names,
            (std::vector<std::string>{"id", "at", "agency", "fields", "status", "discrepant"}));
  conn->reset();

  VerifyQuery q = Query();
  q.old_id = "023456789";
  q.commune_code = "00004";
  q.address = "Số 77 phố Quxqux";
  for (int i = 0; i < 50; ++i) log_->Record("bhxh", q, Mismatch());
  ASSERT_TRUE(log_->Flush());
  log_.reset();
  db_.reset();  // the last connection checkpoints the WAL into verify.db
  std::string bytes;
  for (const char* name : {"verify.db", "verify.db-wal"}) {
    std::ifstream in(dir_.path() / name, std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_NE(bytes.find("bhxh"), std::string::npos);  // the scan sees the records
  for (const char* value : {"Zzyzx", "zzyzx", "001085123456", "1085123456", "023456789", "Quxqux",
                            "quxqux", "19850314", "1985-03-14"}) {
    EXPECT_EQ(bytes.find(value), std::string::npos) << value;
  }
}

TEST_F(VerificationLogTest, FullQueueBlocksRecordUntilTheWriterMakesRoom) {
  options_ = VerificationLogOptions{.queue_capacity = 2, .writer_thread = false};
  Reopen();
  log_->Record("bhxh", Query(), Match());
  log_->Record("bhxh", Query(), Match());
  EXPECT_EQ(log_->pending(), 2u);
  std::atomic<bool> returned{false};
  std::thread third([&] {
    log_->Record("bhxh", Query(), Mismatch());
    returned = true;
  });
  // Deterministic: wait for the thread to be inside Record, blocked.
  while (log_->blocked() == 0) std::this_thread::yield();
  EXPECT_FALSE(returned);
  EXPECT_EQ(log_->pending(), 2u);
  ASSERT_TRUE(log_->Flush());  // commits the two, making room
  third.join();
  EXPECT_TRUE(returned);
  ASSERT_TRUE(log_->Flush());
  auto stored = log_->Stored(10);
  ASSERT_EQ(stored->size(), 3u);
  EXPECT_EQ((*stored)[2].status, Outcome::kMismatch);  // in order
  EXPECT_EQ(log_->Totals().total, 3u);
}

TEST_F(VerificationLogTest, RecordsAfterStopAreCommittedByTheNextFlush) {
  log_->Stop();
  log_->Record("bhxh", Query(), Match());
  ASSERT_TRUE(log_->Flush());
  EXPECT_EQ(log_->Stored(10)->size(), 1u);
}

TEST(VerificationLogInMemory, CountsWithoutStoring) {
  ManualClock clock{At(0)};
  VerificationLog log(clock);
  log.Record("admin", Query(), Mismatch());
  EXPECT_EQ(log.Totals().mismatched, 1u);
  EXPECT_TRUE(log.Flush());
  EXPECT_TRUE(log.Stored(10)->empty());
}

}  // namespace
}  // namespace dancu::verify
