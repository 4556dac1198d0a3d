// Internal to registry/: the cross-row rules of a bulk load, checked in
// memory instead of by scanning the citizens table.
//
// BulkLoader::Add records a few integers per loaded row (its id, the ids it
// references, its household and whether it heads it); Finish sorts them and
// joins: ids repeated within the load, households with more than one head,
// members of households without a head, father/mother/spouse ids that are
// nowhere. Only what the load itself cannot answer (a reference to a citizen
// or household that is not in the load) is asked of the register, through
// the lookups Finish passes in. 40-55 bytes per row (8 for the id, 16 per
// reference, 16 per head and per member not right after its head, 8 more for
// the sorted ids at the end), each part freed as soon as its check has run.
//
// Rows are numbered 0, 1, 2, ... in the order they were recorded (at most
// 2^32 - 1 of them), and problems name them by that number.
//
// Thread safety: one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "registry/bulk_loader.h"

namespace dancu::registry {

class BulkChecks {
 public:
  // At most this many problems are reported: enough to fix a file by.
  static constexpr size_t kMaxProblems = 10000;

  // Asks the register about a key (a citizen or household id) that the load
  // itself cannot answer for.
  using Lookup = std::function<Result<bool>(int64_t)>;

  // Room for `rows` rows at most: every vector gets its upper bound, which
  // costs address space only until it is written.
  void Reserve(size_t rows);
  // Records loaded row number rows() (the next one).
  void Record(const Citizen& c);
  // The INSERT of the household `c` heads (row `row`) met an existing
  // household with its id.
  void RecordHouseholdConflict(int64_t household_id, uint32_t row);
  size_t rows() const { return ids_.size(); }
  CitizenId id(uint32_t row) const;

  // Each of the following appends problems (with BulkProblem::row set to the
  // recorded row number) and stops at kMaxProblems.
  //
  // Every row after the first with the same id: conflict.citizen_exists.
  // Call it first: the later checks use the ids it sorts.
  void FindRepeatedIds(std::vector<BulkProblem>& problems);
  // Every head of a household with two or more heads in the load:
  // import.two_heads. Then each recorded conflict: import.two_heads if
  // `register_has_head` says the register already has a head for the
  // household, else import.household_exists.
  Status FindHeadProblems(const Lookup& register_has_head, std::vector<BulkProblem>& problems);
  // Members (household_id without relationship "head") of households that
  // have no head in the load and are not in the register
  // (import.household_without_head); household_id without a relationship
  // (import.missing_relationship); father/mother/spouse ids neither in the
  // load nor in the register (import.unknown_reference). Sorted by row.
  Status FindBrokenReferences(const Lookup& household_exists, const Lookup& citizen_exists,
                              std::vector<BulkProblem>& problems);

 private:
  // In the order problems of one row are reported.
  enum class Kind : uint8_t { kNoHead, kNoRelationship, kFather, kMother, kSpouse };
  // A row and an integer key (a household id or a referenced citizen id).
  struct Keyed {
    int64_t key;
    uint32_t row;
    Kind kind;
  };

  std::vector<CitizenId> ids_;             // by row
  std::vector<int64_t> sorted_ids_;        // filled by FindRepeatedIds
  std::vector<Keyed> heads_;               // key: household
  std::vector<Keyed> members_;             // key: household; non-heads
  std::vector<Keyed> references_;          // key: father/mother/spouse id
  std::vector<uint32_t> no_relationship_;  // rows with a household but no relationship
  std::vector<Keyed> conflicts_;           // key: household
  // The household of the last head recorded: a member that follows its head
  // (as generated populations do) needs no later check.
  std::optional<int64_t> last_head_household_;
};

}  // namespace dancu::registry
