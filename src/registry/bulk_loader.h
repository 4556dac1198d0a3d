// BulkLoader: loads many citizens in one transaction, for `dancu generate`
// and `dancu import`.
//
// Households are derived from the citizens' household_id and
// relationship_to_head: the member marked "head" founds the household at their
// permanent address (as the row is added). Finish() checks what single rows
// cannot (ids repeated within the load; each household has exactly one head;
// members have a relationship; parents and spouses exist) from a few integers
// per row kept in memory (bulk_checks.h), rebuilds the secondary indexes if it
// dropped them, appends one "import" event to the feed and commits. Any
// problem rolls back everything: a bulk load is applied whole or not at all.
//
// Errors: Add returns conflict.citizen_exists for an id already in a
// non-empty register, storage.* otherwise. Loading into an empty register
// defers the id index to Finish, so duplicates inside the load surface there
// as conflict.citizen_exists problems (one per repeating row). Finish returns
// import.invalid_rows (with `problems` filled: conflict.citizen_exists, or
// else import.two_heads / import.household_exists, or else
// import.household_without_head, import.missing_relationship and
// import.unknown_reference) or storage.*.
//
// Thread safety: one thread (AddFrom runs its producer on a worker thread of
// its own); the loader holds the registry's write lock until it is finished
// or destroyed.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "registry/bulk_feed.h"
#include "registry/registry.h"

namespace dancu::registry {

class BulkChecks;

struct BulkProblem {
  CitizenId id;
  Error error;
  // Which Add call loaded the row, counting from 0 (with AddFrom: the order
  // the producer pushed it in), so callers can name the input line.
  int64_t row = -1;
};

struct BulkFeedOptions {
  // Called on the calling thread with the number of rows handled, every
  // BulkLoader::kProgressEvery rows and once at the end. May be empty.
  std::function<void(int64_t)> progress;
  // If set, a row that Add rejects with conflict.* (its id is already in the
  // register) is reported here with its index and loading goes on; otherwise
  // the first error of Add stops the load.
  std::function<void(int64_t index, const Error&)> reject;
};

class BulkLoader {
 public:
  static constexpr int64_t kProgressEvery = 65536;

  ~BulkLoader();
  // A hint: about how many rows will be added. The cross-row checks reserve
  // room for their records up front instead of copying them as they grow
  // (reserved memory that is never written costs no RAM).
  void ExpectRows(int64_t rows);
  Status Add(const Citizen& c);
  // Runs `produce` on a worker thread and Adds every citizen it pushes to the
  // feed, in order, on the calling thread. Returns the first error that
  // stops the load (see BulkFeedOptions::reject), else the producer's error
  // (an exception in it is internal.producer). The worker is joined on every
  // path. Does not call Finish.
  Status AddFrom(const std::function<Status(BulkFeed&)>& produce,
                 const BulkFeedOptions& options = {});
  Result<EventResult> Finish(std::vector<BulkProblem>& problems, std::string_view source);
  int64_t added() const { return added_; }

 private:
  friend class Registry;
  BulkLoader(Registry::Impl& impl, WriteContext ctx);
  Status Start();
  Status Add(const Citizen& c, int64_t name_hash);
  Status FindProblems(std::vector<BulkProblem>& problems);
  // BulkProblem::row from the checks' row numbers (rows that Add loaded) to
  // Add calls (which count the failed ones too).
  void NumberByCall(std::vector<BulkProblem>& problems) const;
  Result<bool> Exists(std::string_view sql, int64_t key, bool bind_seq);

  Registry::Impl& impl_;
  WriteContext ctx_;
  std::unique_lock<std::mutex> lock_;
  std::optional<storage::Transaction> tx_;
  storage::Statement* insert_ = nullptr;
  storage::Statement* insert_household_ = nullptr;
  bool skip_conflicts_ = false;  // PostgreSQL: conflicts return no row instead of failing
  bool was_empty_ = false;          // no citizens before this load
  bool had_no_households_ = false;  // no households before this load
  int64_t seq_ = 0;
  int64_t added_ = 0;
  int64_t calls_ = 0;                  // of Add
  std::vector<int64_t> failed_calls_;  // Add calls that loaded nothing, ascending
  std::unique_ptr<BulkChecks> checks_;
  std::string restore_pragmas_;  // the writer's settings from before the load
};

}  // namespace dancu::registry
