// BlockingIndex: candidate lookup for record linkage against the register
// (Verifier::Match, reconcile's rows without a right id). It sits beside the
// VerificationIndex and names citizens by their entry position there
// (positions are stable: an entry is replaced in place, never moved).
//
// Keys (three kinds; each citizen has one key of each kind), all built from
// the folded name (diacritics, case and đ folded), so a name typed without
// diacritics finds the same keys:
//   kNameYearProvince  the sorted name tokens + birth year + province of the
//                      permanent commune (a name written given-name first
//                      has the same sorted tokens)
//   kFamilyDob         the family name (first token) + the packed date of
//                      birth + sex (a typo in the given or middle name); sex
//                      halves the Nguyễn buckets (about 650 people per
//                      Nguyễn + date + sex at 98 M)
//   kGivenDob          the given name (last token) + the packed date of
//                      birth (a typo in the family name, a move)
// A query looks up kNameYearProvince once and the two date kinds for every
// token of its name (any word order), for its date and the date with day and
// month swapped. No key is a single common token: "nguyen" alone covers 38%
// of people, but "nguyen" + a date of birth covers about 1 in 80,000.
//
// Layout: per kind, `next_` (one uint32 per citizen: the next position with
// the same key) and `heads_`, an open-addressing table (linear probing, load
// <= 0.8, any size) of {32-bit key, first position}. Lookup = one probe + a
// chain walk. At most 3 x (4 + 10) = 42 bytes per citizen, less where
// citizens share keys; MemoryBytes() reports it (measured in
// bench/linkage_bench.cc). Keys are
// 32-bit: two keys that collide share a chain (extra candidates, scored away).
//
// Thread safety: none; Verifier guards it with the index's shared_mutex.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace dancu::verify {

class VerificationIndex;
struct Entry;

class BlockingIndex {
 public:
  enum class Kind : uint8_t { kNameYearProvince, kFamilyDob, kGivenDob };
  static constexpr size_t kKinds = 3;

  BlockingIndex() = default;
  // Keys every entry of `index`.
  explicit BlockingIndex(const VerificationIndex& index);

  // Keys the entry at `pos` as it is now. Call Remove(pos) before the entry
  // changes and Add(pos) after (Verifier::ApplyEvent).
  void Add(const VerificationIndex& index, uint32_t pos);
  void Remove(const VerificationIndex& index, uint32_t pos);

  // Appends the positions keyed `key` to `out`. If there are more than
  // `cap`, appends nothing and returns false (an unselective key).
  bool Collect(Kind kind, uint64_t key, size_t cap, std::vector<uint32_t>& out) const;

  // Collect for up to kMaxRequests keys at once (a Match query has about
  // 25): every head slot is prefetched, then the chains are walked side by
  // side, so their cache misses overlap instead of following one another.
  // Into `out` and `request_of` (both cleared first): the positions, and
  // the index of the request that named each, in no particular order.
  // counts[i] is the number of positions request i added, or kUnselective
  // (nothing added) when its chain is longer than `cap`.
  struct Request {
    Kind kind;
    uint64_t key;
  };
  static constexpr size_t kMaxRequests = 255;
  static constexpr uint32_t kUnselective = 0xFFFFFFFFu;
  void CollectMany(std::span<const Request> requests, size_t cap, std::vector<uint32_t>& out,
                   std::vector<uint8_t>& request_of, std::span<uint32_t> counts) const;

  size_t MemoryBytes() const;

  static constexpr uint32_t kEmpty = 0xFFFFFFFFu;  // slot never used
  static constexpr uint32_t kNone = 0xFFFFFFFEu;   // end of chain / emptied chain
  // One slot of a kind's head table (8 bytes, stored as is in snapshots).
  struct Head {
    uint32_t key = 0;
    uint32_t first = kEmpty;
  };
  // The raw tables of one kind, for snapshots. next(kind) may be longer
  // than the index (spare capacity): positions >= size() are unused.
  std::span<const Head> heads(size_t kind) const { return tables_[kind].heads; }
  std::span<const uint32_t> next(size_t kind) const { return tables_[kind].next; }
  // A blocking index of raw tables (a loaded snapshot) for `index`, checked
  // as described above. Error snapshot.invalid naming the first problem.
  static Result<BlockingIndex> FromParts(const VerificationIndex& index,
                                         std::array<std::vector<Head>, kKinds> heads,
                                         std::array<std::vector<uint32_t>, kKinds> next);
  // Changes whenever the keys of an entry would change (KeysOf's version,
  // the admin-unit table behind ProvinceOfCommune).
  static uint64_t KeyScheme();

  // Key builders, shared by the index and queries.
  static uint64_t NameYearProvinceKey(std::string_view sorted_tokens, int year, int province);
  static uint64_t TokenDobKey(Kind kind, std::string_view token, int32_t packed_dob);
  static uint64_t FamilyDobKey(std::string_view family, int32_t packed_dob, bool female) {
    return TokenDobKey(Kind::kFamilyDob, family, packed_dob * 2 + (female ? 1 : 0));
  }
  // The province number (01..96) of a current commune code as a number; 0
  // if unknown.
  static int ProvinceOfCommune(uint32_t commune);
  // The keys of one entry, in Kind order.
  static std::array<uint64_t, kKinds> KeysOf(const VerificationIndex& index, const Entry& e);

 private:
  struct Table {
    std::vector<Head> heads;
    std::vector<uint32_t> next;
    size_t used = 0;  // slots not kEmpty
  };

  static uint32_t Key32(uint64_t key) { return static_cast<uint32_t>(key); }
  // Any table size, not only powers of two (multiply-shift range reduction
  // of the scrambled key), so the table can be sized to the register.
  static size_t Slot(uint32_t key32, size_t size) {
    return static_cast<size_t>((uint64_t{key32 * 0x9E3779B1u} * size) >> 32);
  }
  static void Insert(Table& t, uint64_t key, uint32_t pos);
  static Head* FindHead(Table& t, uint32_t key32, bool insert);
  static const Head* FindHead(const Table& t, uint32_t key32);
  static void Grow(Table& t);

  std::array<Table, kKinds> tables_;
};

}  // namespace dancu::verify
