#include "registry/bulk_checks.h"

#include <algorithm>
#include <new>

namespace dancu::registry {
namespace {

template <class T>
void Free(std::vector<T>& v) {
  std::vector<T>().swap(v);
}

}  // namespace

void BulkChecks::Reserve(size_t rows) {
  // Only a hint: without the room the vectors grow as usual.
  try {
    ids_.reserve(rows);
    references_.reserve(3 * rows);
    heads_.reserve(rows);
    members_.reserve(rows);
  } catch (const std::bad_alloc&) {
  }
}

void BulkChecks::Record(const Citizen& c) {
  auto row = static_cast<uint32_t>(ids_.size());
  ids_.push_back(c.id);
  auto reference = [&](const std::optional<CitizenId>& id, Kind kind) {
    if (id) references_.push_back({id->number(), row, kind});
  };
  reference(c.father_id, Kind::kFather);
  reference(c.mother_id, Kind::kMother);
  reference(c.spouse_id, Kind::kSpouse);
  if (!c.household_id) return;
  if (c.relationship_to_head == Relationship::kHead) {
    heads_.push_back({*c.household_id, row, Kind::kNoHead});
    last_head_household_ = c.household_id;
    return;
  }
  if (!c.relationship_to_head) no_relationship_.push_back(row);
  if (c.household_id != last_head_household_) {
    members_.push_back({*c.household_id, row, Kind::kNoHead});
  }
}

void BulkChecks::RecordHouseholdConflict(int64_t household_id, uint32_t row) {
  conflicts_.push_back({household_id, row, Kind::kNoHead});
}

CitizenId BulkChecks::id(uint32_t row) const { return ids_[row]; }

void BulkChecks::FindRepeatedIds(std::vector<BulkProblem>& problems) {
  std::vector<int64_t>& sorted = sorted_ids_;
  sorted.resize(ids_.size());
  std::transform(ids_.begin(), ids_.end(), sorted.begin(),
                 [](CitizenId id) { return id.number(); });
  std::sort(sorted.begin(), sorted.end());
  std::vector<int64_t> repeated;
  for (size_t i = 1; i < sorted.size(); ++i) {
    if (sorted[i] == sorted[i - 1] && (repeated.empty() || repeated.back() != sorted[i])) {
      repeated.push_back(sorted[i]);
    }
  }
  if (repeated.empty()) return;
  // The first row with an id stands; every later one is the repeat.
  std::vector<bool> seen(repeated.size());
  for (uint32_t row = 0; row < ids_.size() && problems.size() < kMaxProblems; ++row) {
    auto it = std::lower_bound(repeated.begin(), repeated.end(), ids_[row].number());
    if (it == repeated.end() || *it != ids_[row].number()) continue;
    auto i = static_cast<size_t>(it - repeated.begin());
    if (!seen[i]) {
      seen[i] = true;
      continue;
    }
    problems.push_back({ids_[row],
                        Error{"conflict.citizen_exists",
                              "citizen " + ids_[row].ToString() + " appears more than once", "id"},
                        row});
  }
}

Status BulkChecks::FindHeadProblems(const Lookup& register_has_head,
                                    std::vector<BulkProblem>& problems) {
  auto by_key = [](const Keyed& a, const Keyed& b) {
    return a.key != b.key ? a.key < b.key : a.row < b.row;
  };
  std::sort(heads_.begin(), heads_.end(), by_key);
  std::vector<uint32_t> two_heads;
  for (size_t i = 0; i < heads_.size();) {
    size_t end = i + 1;
    while (end < heads_.size() && heads_[end].key == heads_[i].key) ++end;
    if (end - i > 1) {
      for (size_t j = i; j < end; ++j) two_heads.push_back(heads_[j].row);
    }
    i = end;
  }
  // A conflict inside the load is one of the two heads found above; any
  // other is with a household already in the register.
  std::vector<uint32_t> exists;
  for (const Keyed& c : conflicts_) {
    auto first =
        std::lower_bound(heads_.begin(), heads_.end(), Keyed{c.key, 0, Kind::kNoHead}, by_key);
    auto end =
        std::upper_bound(first, heads_.end(), Keyed{c.key, UINT32_MAX, Kind::kNoHead}, by_key);
    if (end - first > 1) continue;
    auto has_head = register_has_head(c.key);
    if (!has_head) return std::unexpected(has_head.error());
    (*has_head ? two_heads : exists).push_back(c.row);
  }
  Free(conflicts_);
  std::sort(two_heads.begin(), two_heads.end());
  for (uint32_t row : two_heads) {
    if (problems.size() >= kMaxProblems) break;
    problems.push_back(
        {ids_[row],
         Error{"import.two_heads", "the household has more than one head", "relationship_to_head"},
         row});
  }
  if (!two_heads.empty()) return {};
  std::sort(exists.begin(), exists.end());
  for (uint32_t row : exists) {
    if (problems.size() >= kMaxProblems) break;
    problems.push_back({ids_[row],
                        Error{"import.household_exists",
                              "the household id is already in the register", "household_id"},
                        row});
  }
  return {};
}

Status BulkChecks::FindBrokenReferences(const Lookup& household_exists,
                                        const Lookup& citizen_exists,
                                        std::vector<BulkProblem>& problems) {
  auto by_key = [](const Keyed& a, const Keyed& b) { return a.key < b.key; };
  std::vector<Keyed> broken;
  for (uint32_t row : no_relationship_) broken.push_back({0, row, Kind::kNoRelationship});
  Free(no_relationship_);

  // Walks `wanted` (sorted by key) against `present` (sorted keys), asking
  // `lookup` once per key that the load does not have.
  auto join = [&](std::vector<Keyed>& wanted, auto present_begin, auto present_end, auto key_of,
                  const Lookup& lookup) -> Status {
    std::sort(wanted.begin(), wanted.end(), by_key);
    auto p = present_begin;
    for (size_t i = 0; i < wanted.size();) {
      int64_t key = wanted[i].key;
      size_t end = i + 1;
      while (end < wanted.size() && wanted[end].key == key) ++end;
      while (p != present_end && key_of(*p) < key) ++p;
      bool found = p != present_end && key_of(*p) == key;
      if (!found) {
        auto in_register = lookup(key);
        if (!in_register) return std::unexpected(in_register.error());
        found = *in_register;
      }
      if (!found) broken.insert(broken.end(), wanted.begin() + i, wanted.begin() + end);
      i = end;
    }
    Free(wanted);
    return {};
  };

  // heads_ is sorted by FindHeadProblems.
  if (!std::is_sorted(heads_.begin(), heads_.end(), by_key)) {
    std::sort(heads_.begin(), heads_.end(), by_key);
  }
  auto household_of = [](const Keyed& head) { return head.key; };
  if (auto s = join(members_, heads_.begin(), heads_.end(), household_of, household_exists); !s) {
    return s;
  }
  Free(heads_);
  auto itself = [](int64_t id) { return id; };
  if (auto s = join(references_, sorted_ids_.begin(), sorted_ids_.end(), itself, citizen_exists);
      !s) {
    return s;
  }
  Free(sorted_ids_);

  // Row order, and within a row the order of the columns.
  std::sort(broken.begin(), broken.end(), [](const Keyed& a, const Keyed& b) {
    return a.row != b.row ? a.row < b.row : a.kind < b.kind;
  });
  static constexpr const char* kReferenceFields[] = {"father_id", "mother_id", "spouse_id"};
  for (const Keyed& b : broken) {
    if (problems.size() >= kMaxProblems) break;
    Error e;
    switch (b.kind) {
      case Kind::kFather:
      case Kind::kMother:
      case Kind::kSpouse: {
        std::string field =
            kReferenceFields[static_cast<int>(b.kind) - static_cast<int>(Kind::kFather)];
        e = Error{"import.unknown_reference", field + " is not in the register", field};
        break;
      }
      case Kind::kNoHead:
        e = Error{"import.household_without_head", "the household has no head in the register",
                  "household_id"};
        break;
      case Kind::kNoRelationship:
        e = Error{"import.missing_relationship", "a household member needs relationship_to_head",
                  "relationship_to_head"};
        break;
    }
    problems.push_back({ids_[b.row], std::move(e), b.row});
  }
  return {};
}

}  // namespace dancu::registry
