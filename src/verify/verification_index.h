// VerificationIndex: the compact in-memory copy of what verification
// compares, one fixed 40-byte Entry per citizen. It never holds readable
// register values except the folded name (needed for the typo level), and
// answers never expose any of it.
//
// Layout and memory (per citizen, measured by tests/verify):
//  - entries_: a dense array of Entry (40 bytes): the citizen id, 32-bit
//    fingerprints (Fingerprint: XXH3, low half) of the NFC name, the folded name,
//    the sorted folded tokens and the folded street; packed date of birth;
//    the old CMND as an integer; commune code, sex, deceased flag and the
//    folded name's length packed into one word.
//  - slots_: an open-addressing table (linear probing, load <= 0.75) of
//    uint32 entry positions (27 bits, plus a 5-bit tag of the id's hash so
//    that a probe rarely fetches another id's entry) keyed by id, sized to the citizens rather than
//    to a power of two (a key's home slot is the high half of hash * size):
//    4 bytes per slot, 5.3 bytes per citizen after a build or a snapshot
//    load; births grow it by a quarter when it is full.
//  - old_slots_: the same for old_id (only citizens that have one), with
//    duplicate keys allowed (a CMND number recorded on two people).
//  - names_: an arena of folded names, the only text kept (edit distance
//    needs the letters). A build (ShrinkToFit) stores each distinct name
//    once, since full names repeat a lot; replacing a name appends, and the
//    dead bytes go at the next build.
//  Measured at 10 M generated citizens (docs/benchmarks.md): 40 (entries)
//  + 5.3 (id table) + 3.3 (old-id table: 62% hold an old CMND) + 2.7
//  (names) = 51.4 bytes per citizen; the limit is 64.
//  A 32-bit fingerprint makes a false "equal" for one given pair 1 in 4e9.
//
// Thread safety: none. Verifier guards it with a shared_mutex (many readers,
// one writer).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "registry/citizen.h"

namespace dancu::verify {

struct Entry {
  int64_t id = 0;               // CitizenId number
  uint32_t nfc_hash = 0;        // name as written (NFC)
  uint32_t folded_hash = 0;     // folded name
  uint32_t tokens_hash = 0;     // sorted folded tokens
  uint32_t street_hash = 0;     // folded permanent street line
  int32_t date_of_birth = 0;    // PartialDate::Packed()
  int32_t old_id = -1;          // 9-digit CMND as a number, -1 = none
  uint32_t name_offset = 0;     // folded name in the arena
  uint32_t commune : 20 = 0;    // permanent commune code as a number (5 digits)
  uint32_t female : 1 = 0;
  uint32_t deceased : 1 = 0;
  uint32_t name_length : 10 = 0;  // folded name bytes (<= 100 code points)
};
static_assert(sizeof(Entry) == 40);

// Asks for transparent huge pages over [p, p + bytes), a buffer about to be
// filled: loading 10 M entries then takes a few hundred page faults instead
// of a hundred thousand. Only a hint (the kernel may refuse); call it on
// reserved, untouched memory.
void AdviseHugePages(const void* p, size_t bytes);

// The low 32 bits of XXH3: the fingerprint stored in an Entry. The snapshot
// format version (index_snapshot.cc) pins it: change both together.
uint32_t Fingerprint(std::string_view text);
// "012345678" -> 12345678; -1 for anything that is not 9 digits.
int32_t PackOldId(std::string_view old_id);
// "00004" -> 4; -1 for anything that is not 1-6 digits.
int32_t PackCommune(std::string_view code);

class VerificationIndex {
 public:
  // The most citizens an index holds (positions are 27 bits in the id
  // table): 134 M, above Viet Nam's population with room to spare.
  static constexpr size_t kMaxEntries = (size_t{1} << 27) - 1;

  VerificationIndex() = default;
  explicit VerificationIndex(size_t expected_citizens);

  // Inserts or replaces the citizen's entry. Throws std::length_error past
  // kMaxEntries.
  void Upsert(const registry::Citizen& c);

  const Entry* Find(int64_t id) const;
  // Look-up in stages, to overlap its two cache misses (slot, then entry)
  // with other work: PrefetchSlot(id) starts loading the id's home slot;
  // PrefetchEntry(id), after some work, reads the slot and starts loading
  // the entry it names; Find(id) then mostly hits the cache. Hints only.
  void PrefetchSlot(int64_t id) const;
  void PrefetchEntry(int64_t id) const;
  // Entries whose old_id is `old_id` (usually 0 or 1), up to `max`.
  size_t FindByOldId(int32_t old_id, const Entry** out, size_t max) const;
  std::string_view FoldedName(const Entry& e) const {
    return std::string_view(names_).substr(e.name_offset, e.name_length);
  }

  // The raw parts, for snapshots (index_snapshot.h); valid until the next
  // Upsert.
  std::span<const Entry> entries() const { return entries_; }
  std::string_view names() const { return names_; }
  // An index made of raw parts (a loaded snapshot): rebuilds the id and
  // old-id tables. Error snapshot.invalid when a name lies outside `names`
  // or an id appears twice.
  static Result<std::unique_ptr<VerificationIndex>> FromParts(std::vector<Entry> entries,
                                                              std::string names);

  // Releases spare capacity (after a bulk build).
  void ShrinkToFit();

  size_t size() const { return entries_.size(); }
  // Bytes held by the index (capacity, not just size).
  size_t MemoryBytes() const;

 private:
  static constexpr uint32_t kEmpty = 0xFFFFFFFFu;
  // An id slot holds the entry position (low 27 bits) and 5 bits of the
  // id's hash (the low bits; Home uses the high ones), so a probe fetches an
  // entry only when the tag agrees: 1 in 32 for another id.
  static constexpr int kPosBits = 27;
  static constexpr uint32_t kPosMask = (1u << kPosBits) - 1;
  static uint32_t SlotTag(size_t hash) {
    return static_cast<uint32_t>(hash & 31) << kPosBits;
  }

  void Grow();
  void InsertIdSlot(uint32_t pos);
  void InsertOldSlot(uint32_t pos);
  void EraseOldSlot(uint32_t pos);
  static size_t Hash(int64_t key);

  std::vector<Entry> entries_;
  std::vector<uint32_t> slots_;      // by id
  std::vector<uint32_t> old_slots_;  // by old_id
  size_t old_count_ = 0;
  std::string names_;
  std::string scratch_;  // fold buffer, reused
};

}  // namespace dancu::verify
