// AuditLog: the tamper-evident access log (issue 5). Every access to a
// citizen's data is appended as an AuditEntry (audit_entry.h) to an
// append-only RFC 6962/9162 Merkle tree (merkle.h) persisted in
// DIR/audit.db (audit_db.h); signed tree heads (tree_head.h) commit to it.
//
// Appending: Append only puts the record (with the clock's time) on an
// in-memory queue and returns; a writer thread takes the whole queue every
// flush_interval (or as soon as batch_max records wait) and commits it in
// one transaction that also writes the tree: each entry's leaf hash and
// every subtree hash it completes (amortized two node rows per entry), and,
// when head_interval has passed since the last head and the size changed, a
// new signed head. Entries, nodes and heads therefore never disagree on
// disk. The writer keeps the tree's "frontier" (the roots of the perfect
// subtrees that make up the current size, one per set bit) in memory, so an
// append costs one to two hashes, never a re-read.
//
// Durability: an entry is durable once its batch commits (synchronous=FULL):
// a crash loses at most the last ~flush_interval of entries, whose answers
// were already sent (as the verification record, verification_log.h). Stop
// (and the destructor) commits everything queued. The queue is bounded
// (queue_capacity); when it is full Append blocks until the writer makes
// room: no access goes unrecorded. A failed commit keeps the batch at the
// queue's front and is retried every flush_interval.
//
// Reading: proofs are served for any size up to size() (the committed size)
// from stored nodes: every complete subtree hash is a row (audit_db.h), and
// the levels >= cached_level are also kept in memory (loaded at open from
// audit_top_nodes by one scan), so an inclusion proof at 100 M entries is at
// most ~cached_level point reads for the levels below plus, for a past size
// or a leaf in the right edge, as many for the one incomplete subtree
// (merkle.h), never a recomputation from leaves. The reads of one proof share
// one read transaction.
//
// Errors: storage.* (I/O, a node missing from a damaged database:
// storage.corrupt); audit.index_out_of_range / audit.size_out_of_range /
// audit.bad_range for a proof or entry outside the committed tree;
// audit.entry_not_found.
//
// Thread safety: every method may be called from any thread. Append takes
// one mutex for a move into a vector. Reads use a small pool of connections
// and never wait for the writer's transaction (WAL).
#pragma once

#include <sodium/crypto_auth_hmacsha256.h>

#include <boost/json/object.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "hub/audit_entry.h"
#include "hub/audit_json.h"
#include "hub/audit_keys.h"
#include "hub/merkle.h"
#include "hub/tree_head.h"
#include "storage/database.h"

namespace dancu::hub {

struct AuditLogOptions {
  size_t queue_capacity = 262144;                 // records waiting (~64 MB at most)
  std::chrono::milliseconds flush_interval{100};  // the durability window
  size_t batch_max = 65536;                       // records per transaction at most
  std::chrono::milliseconds head_interval{1000};  // sign at most this often when the size changed
  unsigned cached_level = 8;                      // node levels >= this are kept in memory
                                                  // (n/128 hashes: 25 MB at 100 M)
  size_t read_connections = 8;                    // pool for proofs and entries
  // false: no writer thread; Flush, SignHead and Stop write on the calling
  // thread (tests drive the writer deterministically this way).
  bool writer_thread = true;
};

// The latest signed head stored in an audit.db, read without opening the
// log for writing (for `dancu audit head` beside a running server); nullopt
// when none was signed yet. Errors: storage.*, storage.corrupt.
Result<std::optional<TreeHead>> ReadLatestHead(storage::Connection& conn);

class AuditLog {
 public:
  // `db` (audit.db, migrated: OpenAuditDb) must outlive the log. Restores the
  // tree from the stored nodes, signs a head if the latest one is older than
  // the stored size (or there is none), and starts the writer.
  static Result<std::unique_ptr<AuditLog>> Open(storage::Database& db, AuditKeys keys,
                                                const Clock& clock, AuditLogOptions options = {});
  ~AuditLog();  // Stop()

  // Queues one access (blocks only while the queue is full).
  void Append(AccessRecord record);

  // Commits every record appended before the call; the first storage error
  // met doing so.
  Status Flush();
  // Flush, then sign and store a head for the committed size unless the
  // latest head already has it; returns the latest head.
  Result<TreeHead> SignHead();
  // Commits everything queued, signs a final head and stops the writer.
  // Idempotent.
  void Stop();

  uint64_t size() const;  // committed entries
  TreeHead LatestHead() const;
  boost::json::object PublicJwk() const;
  const crypto::EcKey& public_key() const { return public_key_; }
  // The subject pseudonym of a citizen id (audit_entry.h).
  std::string Subject(std::string_view citizen_id) const;

  Result<InclusionProofMessage> ProveInclusion(uint64_t index, uint64_t size) const;
  Result<ConsistencyProofMessage> ProveConsistency(uint64_t first, uint64_t second) const;
  Result<AuditEntry> Entry(uint64_t index) const;
  // A citizen's entries, newest first, with index < before.
  Result<std::vector<AuditEntry>> EntriesForCitizen(std::string_view citizen_id, uint64_t before,
                                                    size_t limit) const;

  size_t pending() const;  // records queued, not yet committed

 private:
  struct Queued {
    Timestamp at;
    AccessRecord record;
  };
  class Reader;

  AuditLog(AuditKeys keys, const Clock& clock, storage::Database& db,
           std::unique_ptr<storage::Connection> writer, AuditLogOptions options);
  Status Restore();
  void Run();
  // Commits everything queued before `target` (write_mu_ held inside).
  Status Drain(uint64_t target);
  // One transaction: the entries, their nodes and, when due or forced, a head.
  Status Write(std::vector<Queued>& batch, bool force_head);
  // Signs and stores a head for the committed size when due (or forced) and
  // the size changed; write_mu_ held.
  Status MaybeSignHead(bool force);
  Hash FrontierRoot(const std::vector<Hash>& frontier) const;
  Hash SubjectMac(std::string_view citizen_id) const;
  static int64_t SubjectKey(const Hash& mac);

  Result<std::unique_ptr<storage::Connection>> AcquireReader() const;
  void ReleaseReader(std::unique_ptr<storage::Connection> c) const;

  const AuditKeys keys_;
  const crypto::EcKey public_key_;
  const Clock& clock_;
  storage::Database& db_;
  const AuditLogOptions options_;
  crypto_auth_hmacsha256_state subject_mac_;  // keyed with keys_.subject_key

  // Queue (mu_).
  mutable std::mutex mu_;
  std::deque<Queued> queue_;
  uint64_t enqueued_ = 0;   // records ever queued
  uint64_t committed_ = 0;  // records ever committed, in queue order
  uint64_t failures_ = 0;
  Error last_error_;
  bool stop_ = false;
  bool flush_requested_ = false;
  std::condition_variable work_cv_;
  std::condition_variable not_full_cv_;
  std::condition_variable done_cv_;

  // Writer state (write_mu_): the connection, the frontier of the committed
  // tree and when the last head was signed.
  mutable std::mutex write_mu_;
  std::unique_ptr<storage::Connection> writer_conn_;
  std::vector<Hash> frontier_;
  Timestamp last_head_at_{};

  // What readers see (state_mu_): the committed size, the latest head, and
  // the cached node levels (top_[l - cached_level][i]).
  mutable std::shared_mutex state_mu_;
  uint64_t size_ = 0;
  TreeHead head_;
  std::vector<std::vector<Hash>> top_;

  mutable std::mutex pool_mu_;
  mutable std::vector<std::unique_ptr<storage::Connection>> pool_;

  std::thread writer_;
};

}  // namespace dancu::hub
