// DuplicateTracker: duplicates inside one reconciliation input (issue 3,
// "Duplicates inside the input are flagged"), found in input order so that
// the later row is flagged and names the earlier line.
//
// Definitions:
//  - same id, different person: a row's id (or, without an id, its old_id)
//    was already used on an earlier line whose folded full name or date of
//    birth differs (compared as one fingerprint of the two; rows with
//    neither are not compared). Repeats of the same person under the same id
//    are only counted (`repeated`).
//  - one person, two ids: a row whose person key (folded full name + full
//    date of birth + sex when given) was already seen on an earlier line
//    with another id, unless the register confirmed both rows (each id was
//    found with that name and date of birth: then the register itself holds
//    two such people). Rows without a full date of birth or a name, or
//    without any id, have no person key.
//
// Memory: two open-addressing tables of 16-byte slots (64-bit fingerprints,
// load <= 0.8; any slot count, a key's home slot by multiply-shift), so
// about 21 bytes per distinct row each once Reserve sized them: about 0.42 GB
// for 10 M rows. Fresh memory is costly (the kernel zeroes every page on
// first touch, which on this project's VMs costs more than the probes), so
// they are sized to the input rather than to a power of two. They are
// anonymous mappings with transparent huge pages asked for (madvise), since
// every row probes a random slot of a table far larger than the TLB covers
// with 4 KiB pages; Reserve sizes them up front so they are not rehashed
// while growing, and the writer prefetches slots 16 rows ahead. A false "equal" between two 64-bit
// keys is 1 in 2^64 per pair; the person check and id tag are 32 bits (1 in 4e9). Line numbers
// above 4,294,967,295 are stored saturated.
//
// Thread safety: none; the reconciler calls it from its one writer thread.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dancu::verify {

struct RowKeys {
  uint64_t id_key = 0;        // 0 = no id or old_id in the row
  uint32_t person_check = 0;  // folded name + date of birth; 0 = neither given
  uint64_t person_key = 0;    // 0 = no person key
  bool confirmed = false;     // found in the register with this name and date of birth
};

struct DuplicateFinding {
  int64_t same_id_line = 0;      // earlier line: same id, another person (0 = none)
  int64_t same_person_line = 0;  // earlier line: same person, another id (0 = none)
  bool repeated = false;         // same id and same person as an earlier row
};

class DuplicateTracker {
 public:
  DuplicateTracker() = default;
  DuplicateTracker(const DuplicateTracker&) = delete;
  DuplicateTracker& operator=(const DuplicateTracker&) = delete;

  // Sizes both tables for about `rows` distinct rows (a hint; they still
  // grow past it).
  void Reserve(size_t rows);
  DuplicateFinding Add(const RowKeys& keys, int64_t line);
  // Hints the slots Add(keys) will touch into the cache (the tables are far
  // larger than the cache at millions of rows); call a few rows ahead.
  void Prefetch(const RowKeys& keys) const {
    ids_.Prefetch(keys.id_key);
    if (keys.person_key != 0) people_.Prefetch(keys.person_key);
  }
  size_t MemoryBytes() const { return (ids_.capacity + people_.capacity) * sizeof(Slot); }

 private:
  struct Slot {
    uint64_t key = 0;  // 0 = empty
    uint32_t a = 0;    // ids_: person check; people_: id tag (bit 31: confirmed)
    uint32_t line = 0;
    static uint64_t Hash(uint64_t x) {  // splitmix64 finaliser
      x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
      x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
      return x ^ (x >> 31);
    }
  };
  // Open addressing, linear probing (wrapping at the end), in an anonymous
  // mapping (zero-filled: key 0 = empty).
  struct Table {
    Slot* slots = nullptr;
    size_t capacity = 0;
    size_t used = 0;
    Table() = default;
    Table(const Table&) = delete;
    Table& operator=(const Table&) = delete;
    ~Table();
    // The slot for `key`: the one holding it, or the empty one to fill.
    Slot& Find(uint64_t key);
    // The key's home slot: the hash's high bits scaled to the capacity.
    size_t Home(uint64_t key) const {
      return static_cast<size_t>((static_cast<unsigned __int128>(Slot::Hash(key)) * capacity) >>
                                 64);
    }
    void Prefetch(uint64_t key) const {
      // As an asm statement: GCC 12 dropped __builtin_prefetch here (the
      // reconciler's writer loop compiled to no prefetch at all).
      if (capacity == 0) return;
#if defined(__x86_64__)
      asm volatile("prefetcht0 %0" : : "m"(slots[Home(key)]));
#else
      __builtin_prefetch(&slots[Home(key)]);
#endif
    }
    // Rehashes into `new_capacity` slots (more than used).
    void Resize(size_t new_capacity);
    void Inserted() {
      if (++used * 10 > capacity * 8) Resize(capacity * 2);
    }
  };
  Table ids_, people_;
};

// Folding fingerprints for RowKeys (64-bit, not cryptographic; stable within
// one run only).
uint64_t HashBytes(const void* data, size_t size, uint64_t seed);

}  // namespace dancu::verify
