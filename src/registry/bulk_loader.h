// BulkLoader: loads many citizens in one transaction, for `dancu generate`
// and `dancu import`.
//
// Households are derived from the citizens' household_id and
// relationship_to_head: the member marked "head" founds the household at their
// permanent address. Finish() checks what single rows cannot (each household
// has exactly one head; parents and spouses exist), builds the households,
// rebuilds the secondary indexes if it dropped them, appends one "import"
// event to the feed and commits. Any problem rolls back everything: a bulk
// load is applied whole or not at all.
//
// Errors: Add returns conflict.citizen_exists for an id already in a
// non-empty register, storage.* otherwise. Loading into an empty register
// defers the id index to Finish, so duplicates inside the load surface there
// as conflict.citizen_exists problems. Finish returns import.invalid_rows
// (with `problems` filled) or storage.*.
//
// Thread safety: one thread; the loader holds the registry's write lock until
// it is finished or destroyed.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "registry/registry.h"

namespace dancu::registry {

struct BulkProblem {
  CitizenId id;
  Error error;
};

class BulkLoader {
 public:
  ~BulkLoader();
  Status Add(const Citizen& c);
  Result<EventResult> Finish(std::vector<BulkProblem>& problems, std::string_view source);
  int64_t added() const { return added_; }

 private:
  friend class Registry;
  BulkLoader(Registry::Impl& impl, WriteContext ctx);
  Status Start();
  Status CheckReferences(std::vector<BulkProblem>& problems);

  Registry::Impl& impl_;
  WriteContext ctx_;
  std::unique_lock<std::mutex> lock_;
  std::optional<storage::Transaction> tx_;
  storage::Statement* insert_ = nullptr;
  bool was_empty_ = false;
  int64_t seq_ = 0;
  int64_t added_ = 0;
};

}  // namespace dancu::registry
