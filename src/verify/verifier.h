// Verifier: field-by-field verification of what an agency holds about a
// person against the register, without revealing register values
// (issue 3, "Verification API (contract)").
//
// Answers come from an in-memory VerificationIndex (verification_index.h:
// 40-byte entries plus a folded-name arena, 51 bytes per citizen at 10 M),
// built from Registry::ScanCitizens at Create() and kept live by a follower
// thread (Start/Stop) that pages through Registry::Feed after the last
// applied seq, wakes on Registry::WaitForFeed (polling every 100 ms for
// writes by other processes), re-reads each event's subjects with
// GetCitizen and replaces their entries. An "import" event (a bulk load)
// rebuilds the whole index.
//
// Semantics of Verify(query):
//  - the person is looked up by `id`, else by `old_id` (an old_id held by
//    several citizens is NOT_FOUND: it cannot name one person);
//  - status MATCH when every given field is "match", NOT_FOUND when the key
//    finds nobody (then `fields` is empty), else MISMATCH;
//  - flags: DECEASED for a dead person (whatever the status);
//  - full_name levels: exact / same_after_folding (match), token_reordered /
//    typo = edit distance <= 2 on the folded form (partial), different
//    (mismatch), each with a 0-100 score (matching.h);
//  - date_of_birth: match, partial when one side is a year or month that
//    contains the other (matching.h CompareDates), mismatch;
//  - permanent_address: commune_code compared exactly, address (street)
//    by folded fingerprint; both match = match, commune only = partial,
//    otherwise mismatch.
// Errors: Verify itself cannot fail (queries are validated by the caller);
// Create fails with the registry's storage errors.
//
// Thread safety: Verify, WaitUntilApplied, applied_seq and Stats may be
// called from any thread while the follower updates the index (a
// shared_mutex: readers share, the follower takes it briefly per event).
// Start/Stop from one owner thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/container/static_vector.hpp>

#include "core/citizen_id.h"
#include "core/error.h"
#include "core/partial_date.h"
#include "core/person_name.h"
#include "core/sex.h"
#include "registry/registry.h"
#include "verify/matching.h"

namespace dancu::verify {

class VerificationIndex;
class BlockingIndex;

enum class Field { kId, kOldId, kFullName, kDateOfBirth, kSex, kPermanentAddress };
inline constexpr size_t kFieldCount = 6;
std::string_view ToString(Field f);  // the wire names: "id", "old_id", ...

enum class Outcome { kMatch, kMismatch, kNotFound };
std::string_view ToString(Outcome o);  // "MATCH", "MISMATCH", "NOT_FOUND"

// A validated query: what the agency holds. At least one of id / old_id.
struct VerifyQuery {
  std::optional<CitizenId> id;
  std::optional<std::string> old_id;  // 9 digits (ParseOldId)
  std::optional<PersonName> full_name;
  std::optional<PartialDate> date_of_birth;
  std::optional<Sex> sex;
  std::optional<std::string> commune_code;  // permanent_address.commune_code
  std::optional<std::string> address;       // permanent_address.address (street)
  bool has_permanent_address() const { return commune_code || address; }
};

struct FieldOutcome {
  Field field = Field::kId;
  FieldResult result = FieldResult::kMismatch;
  std::optional<NameLevel> level;  // full_name only
  int score = -1;                  // full_name only
  // permanent_address only: the parts that were given.
  std::optional<FieldResult> commune_code, address;
};

struct VerifyResult {
  Outcome status = Outcome::kNotFound;
  bool deceased = false;
  // In Field order, only fields given; inline storage, so a verification
  // allocates nothing for its answer.
  boost::container::static_vector<FieldOutcome, kFieldCount> fields;
};

// Record linkage against the register (issue 3, "Record linkage"): what an
// agency holds about a person whose id is missing or wrong. At least a
// full_name or a date_of_birth.
struct MatchQuery {
  std::optional<PersonName> full_name;
  std::optional<PartialDate> date_of_birth;
  std::optional<Sex> sex;
  std::optional<std::string> commune_code;  // permanent_address.commune_code
  std::optional<std::string> address;       // permanent_address.address (street)
};

struct MatchOptions {
  // Fellegi-Sunter total weights (log2 likelihood ratios): a candidate at or
  // above `threshold` is a match; between `review_threshold` and
  // `threshold` it needs review; below it is not returned. The defaults
  // (register_matcher.h) make name + date of birth + sex a match even after
  // a move, and name + date alone, or a near name in another commune, a
  // review.
  double threshold = 15.0;
  double review_threshold = 8.0;
  size_t limit = 5;  // most candidates returned, best first
};

struct MatchCandidate {
  CitizenId id;
  double weight = 0;          // Fellegi-Sunter total weight
  int score = 0;              // 0-100, for people
  bool needs_review = false;  // weight between review_threshold and threshold
};

// Start-up from a persisted snapshot (index_snapshot.h). With `snapshot`
// set, Create loads it when it is valid and belongs to this register (its
// seq <= LastSeq and the feed event at its seq has the recorded `at`), then
// catches up on the feed (an "import" event rebuilds) and checks the index
// holds CountCitizens entries; on any doubt it logs why and scans the
// register instead: it never serves a stale index. The snapshot is written
// by the follower thread after a full build and after every
// `snapshot_every_events` applied events, and by Stop (clean shutdown).
struct VerifierOptions {
  std::filesystem::path snapshot;  // empty: no snapshot
  int64_t snapshot_every_events = 100000;
};

class Verifier {
 public:
  // Builds the index from the register (reads LastSeq first, then scans, so
  // the follower replays anything committed during the scan), or loads it
  // from options.snapshot (above).
  static Result<std::unique_ptr<Verifier>> Create(const registry::Registry& registry,
                                                  VerifierOptions options = {});
  ~Verifier();  // stops the follower

  VerifyResult Verify(const VerifyQuery& query) const;

  // Starts / stops the follower thread. Stop is idempotent and returns once
  // the thread has exited (within about 100 ms).
  void Start();
  void Stop();

  // The seq of the last feed event applied to the index.
  int64_t applied_seq() const { return applied_seq_.load(std::memory_order_acquire); }
  // Blocks until applied_seq() >= seq or `timeout` passes; true if reached.
  bool WaitUntilApplied(int64_t seq, std::chrono::milliseconds timeout) const;

  // Applies every feed event after applied_seq() now, on the calling thread
  // (used by the follower; tests may call it instead of Start()).
  Status CatchUp();

  size_t size() const;
  size_t MemoryBytes() const;

  // Writes the snapshot now (options.snapshot must be set): the index and
  // its blocking index (index_snapshot.h). They are copied out in 4 MiB
  // pieces, each under the shared lock for a few milliseconds, so Verify
  // never waits for the write; no feed event is applied meanwhile (the
  // catch-up lock is held), so the pieces make one consistent image.
  Status SaveSnapshot();
  // Whether Create loaded the index from the snapshot (not a full scan).
  bool loaded_from_snapshot() const { return loaded_from_snapshot_; }

  // Candidates for a person without a (right) id, best first: record
  // linkage over the BlockingIndex kept live with the index
  // (register_matcher.h). Any thread, like Verify. Cannot fail; a query
  // without date_of_birth finds nobody (every blocking key needs it).
  std::vector<MatchCandidate> Match(const MatchQuery& query, const MatchOptions& options) const;

 private:
  Verifier(const registry::Registry& registry, VerifierOptions options);
  Status Rebuild();
  // Loads options_.snapshot and catches up; an error means "rebuild".
  Status LoadSnapshot();
  // The one place the whole index is replaced (full build, snapshot load),
  // with everything <= seq applied. Structures derived from the index (the
  // blocking index for Match) are built here unless given (a snapshot's).
  void InstallIndex(std::unique_ptr<VerificationIndex> index, int64_t seq,
                    std::unique_ptr<BlockingIndex> blocking = nullptr);
  // On the follower: SaveSnapshot after a full build or enough events.
  void MaybeSaveSnapshot();
  Status ApplyEvent(const registry::FeedEvent& event);
  void Run();
  void SetApplied(int64_t seq);

  const registry::Registry& registry_;
  mutable std::shared_mutex index_mu_;
  std::unique_ptr<VerificationIndex> index_;  // guarded by index_mu_
  uint64_t index_generation_ = 0;  // guarded by index_mu_; +1 per InstallIndex
  std::unique_ptr<BlockingIndex> blocking_;   // guarded by index_mu_; follows index_

  std::atomic<int64_t> applied_seq_{0};
  mutable std::mutex applied_mu_;
  mutable std::condition_variable applied_cv_;

  std::mutex catch_up_mu_;  // one CatchUp at a time
  const VerifierOptions options_;
  bool loaded_from_snapshot_ = false;
  std::mutex snapshot_mu_;                 // one SaveSnapshot at a time
  std::atomic<int64_t> snapshot_seq_{-1};  // seq of the last snapshot written or loaded
  std::atomic<bool> snapshot_due_{false};  // a full build happened since
  std::atomic<bool> stop_{false};
  std::thread follower_;
};

}  // namespace dancu::verify
