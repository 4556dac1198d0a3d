// VerificationLog: the verification record (issue 3: "Every verification
// records who asked, when, which fields and the outcome. It never stores the
// submitted values."). A record is the agency, the time (injected Clock), a
// bitmask of the fields asked about, the outcome and a bitmask of the fields
// that were partial or mismatched: never a submitted value, nor the citizen
// id (the record answers "how is the service used"; the data-sharing hub's
// access log will answer "who was looked up"). It also keeps running totals
// per agency (total, matched, mismatched, not found, discrepancies per
// field), which GET /v1/stats/verification and /metrics report.
//
// Persistence (Open): records go to verify.db (verify_db.h), table
// verifications, and the totals to verification_totals, updated in the same
// transaction, so the totals on disk always equal the records on disk. Open
// restores the totals, so the statistics survive restarts. To keep the hot
// path free of disk waits, Record only appends to an in-memory queue; a
// writer thread commits the queue in one transaction every flush_interval
// (100 ms) or as soon as batch_max records wait.
//
// Durability window, honestly: a record is durable once its batch commits
// (synchronous=FULL), i.e. within about flush_interval of the answer plus the
// commit time. A crash or power loss loses the records of the last ~100 ms
// (their answers were already sent), and the persisted totals lose the same
// records, no more. A clean shutdown (Stop, or the destructor) commits
// everything queued.
//
// Queue full: the queue holds at most queue_capacity records (default
// 65,536, about 4 MB). When it is full, Record blocks until the writer has
// taken a batch: no verification is answered without its record being
// queued (fail closed), at the price of latency when the disk cannot keep up
// (SQLite appends several hundred thousand such rows per second, well above
// the service's target rate). If commits fail (disk full), the writer keeps
// the batch, logs the error and retries every flush_interval, so the queue
// fills and verification stops until the disk recovers. Flush returns that
// error.
//
// Without Open (the plain constructor) nothing is persisted: totals only.
//
// Thread safety: every method may be called from any thread. Record takes
// one mutex for a few words of work.
#pragma once

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "storage/database.h"
#include "verify/verifier.h"

namespace dancu::verify {

struct VerificationRecord {
  Timestamp at;
  std::string agency;
  uint32_t fields = 0;  // bit i = Field i was given
  Outcome status = Outcome::kNotFound;
  uint32_t discrepant = 0;  // bit i = Field i was partial or mismatch
};

struct VerificationTotals {
  uint64_t total = 0;
  uint64_t matched = 0;
  uint64_t mismatched = 0;
  uint64_t not_found = 0;
  std::array<uint64_t, kFieldCount> discrepancies{};  // by Field
};

struct VerificationLogOptions {
  size_t queue_capacity = 65536;                  // records waiting to be written
  std::chrono::milliseconds flush_interval{100};  // the durability window
  size_t batch_max = 16384;                       // records per transaction at most
  // false: no writer thread; records are written by Flush and Stop on the
  // calling thread (tests drive the writer deterministically this way).
  bool writer_thread = true;
};

class VerificationLog {
 public:
  // In memory only: totals, nothing persisted.
  explicit VerificationLog(const Clock& clock);
  // Persisted in `db` (verify.db, migrated: OpenVerifyDb), which must
  // outlive the log. Restores the totals and starts the writer.
  static Result<std::unique_ptr<VerificationLog>> Open(storage::Database& db, const Clock& clock,
                                                       VerificationLogOptions options = {});
  ~VerificationLog();  // Stop()

  // Records one answered query (blocks while the queue is full).
  void Record(std::string_view agency, const VerifyQuery& query, const VerifyResult& result);

  // Commits every record queued before the call; returns the first storage
  // error met doing so.
  Status Flush();
  // Commits everything queued and stops the writer thread. Idempotent.
  // Records made after Stop are queued and committed by the next Flush or
  // Stop (the destructor).
  void Stop();

  VerificationTotals Totals() const;
  std::map<std::string, VerificationTotals> TotalsByAgency() const;

  // Records waiting in the queue, and Record calls waiting for room in it.
  size_t pending() const;
  size_t blocked() const;

  // The newest `max` persisted records, oldest first (audits and tests).
  Result<std::vector<VerificationRecord>> Stored(size_t max) const;

 private:
  VerificationLog(const Clock& clock, std::unique_ptr<storage::Connection> conn,
                  VerificationLogOptions options);
  Status RestoreTotals();
  void Run();
  // Takes up to batch_max queued records; mu_ held.
  std::vector<VerificationRecord> TakeBatch();
  // Commits one batch (write_mu_ held); on failure puts it back at the
  // queue's front.
  Status Write(std::vector<VerificationRecord> batch);
  // Commits batches until `target` records ever queued are committed or
  // the queue is empty.
  Status Drain(uint64_t target);

  const Clock& clock_;
  const VerificationLogOptions options_;

  mutable std::mutex mu_;
  std::map<std::string, VerificationTotals, std::less<>> by_agency_;
  std::deque<VerificationRecord> queue_;
  uint64_t enqueued_ = 0;   // records ever queued
  uint64_t committed_ = 0;  // records ever committed (in queue order)
  uint64_t failures_ = 0;   // failed commits
  Error last_error_;        // of the last failed commit
  size_t blocked_ = 0;
  bool stop_ = false;
  bool flush_requested_ = false;
  std::condition_variable work_cv_;      // writer: something to do
  std::condition_variable not_full_cv_;  // Record: room in the queue
  std::condition_variable done_cv_;      // Flush: a batch committed or failed

  mutable std::mutex write_mu_;                // guards conn_: one writer at a time
  std::unique_ptr<storage::Connection> conn_;  // null: in memory only
  std::thread writer_;
};

}  // namespace dancu::verify
