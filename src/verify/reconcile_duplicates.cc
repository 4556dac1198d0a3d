#include "verify/reconcile_duplicates.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace dancu::verify {
namespace {

constexpr size_t kInitialSlots = 1 << 12;

uint64_t Mix(uint64_t x) {  // splitmix64 finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

uint32_t SaturatedLine(int64_t line) {
  constexpr int64_t kMax = std::numeric_limits<uint32_t>::max();
  return static_cast<uint32_t>(std::clamp<int64_t>(line, 0, kMax));
}

uint32_t IdTag(uint64_t id_key) { return static_cast<uint32_t>(Mix(id_key)) & 0x7FFFFFFFu; }

}  // namespace

uint64_t HashBytes(const void* data, size_t size, uint64_t seed) {
  // Eight bytes at a time through splitmix64: folded names are short, and
  // this runs once per row on the writer thread.
  const auto* p = static_cast<const unsigned char*>(data);
  uint64_t h = Mix(seed ^ (size * 0x9E3779B97F4A7C15ULL));
  while (size >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = Mix(h ^ w);
    p += 8;
    size -= 8;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, p, size);
  return Mix(h ^ tail ^ (static_cast<uint64_t>(size) << 56));
}

DuplicateTracker::Table::~Table() {
  if (slots != nullptr) munmap(slots, capacity * sizeof(Slot));
}

DuplicateTracker::Slot& DuplicateTracker::Table::Find(uint64_t key) {
  if (capacity == 0) Resize(kInitialSlots);
  for (size_t i = Home(key);;) {
    Slot& s = slots[i];
    if (s.key == key || s.key == 0) return s;
    if (++i == capacity) i = 0;
  }
}

void DuplicateTracker::Table::Resize(size_t new_capacity) {
  const size_t bytes = new_capacity * sizeof(Slot);
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  // Out of memory for a table sized by the input is not something to carry
  // on from with wrong answers.
  if (p == MAP_FAILED) {
    std::fprintf(stderr, "dancu: cannot map %zu bytes for duplicate detection\n", bytes);
    std::abort();
  }
  madvise(p, bytes, MADV_HUGEPAGE);  // a hint; fine if refused
  Slot* old = slots;
  const size_t old_capacity = capacity;
  slots = static_cast<Slot*>(p);
  capacity = new_capacity;
  for (size_t i = 0; i < old_capacity; ++i) {
    if (old[i].key != 0) Find(old[i].key) = old[i];
  }
  if (old != nullptr) munmap(old, old_capacity * sizeof(Slot));
}

void DuplicateTracker::Reserve(size_t rows) {
  // Load 0.8 at `rows` (the growth threshold), rounded up to whole 4 KiB
  // pages of slots.
  constexpr size_t kPageSlots = 4096 / sizeof(Slot);
  size_t want = std::max(kInitialSlots, rows * 10 / 8 + 1);
  want = (want + kPageSlots - 1) / kPageSlots * kPageSlots;
  if (want > ids_.capacity) ids_.Resize(want);
  if (want > people_.capacity) people_.Resize(want);
}

DuplicateFinding DuplicateTracker::Add(const RowKeys& keys, int64_t line) {
  DuplicateFinding f;
  if (keys.id_key == 0) return f;
  const uint32_t at = SaturatedLine(line);
  {
    Slot& s = ids_.Find(keys.id_key);
    if (s.key == 0) {
      s = Slot{keys.id_key, keys.person_check, at};
      ids_.Inserted();
    } else if (s.a != 0 && keys.person_check != 0 && s.a != keys.person_check) {
      f.same_id_line = s.line;
    } else {
      f.repeated = true;
    }
  }
  if (keys.person_key != 0) {
    const uint32_t tag = IdTag(keys.id_key) | (keys.confirmed ? 0x80000000u : 0);
    Slot& s = people_.Find(keys.person_key);
    if (s.key == 0) {
      s = Slot{keys.person_key, tag, at};
      people_.Inserted();
    } else if ((s.a & 0x7FFFFFFFu) != (tag & 0x7FFFFFFFu) && !((s.a & tag) >> 31)) {
      f.same_person_line = s.line;
    }
  }
  return f;
}

}  // namespace dancu::verify
