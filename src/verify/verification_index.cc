#include "verify/verification_index.h"

#include <sys/mman.h>

#include <charconv>
#include <stdexcept>
#include <unordered_map>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "core/person_name.h"
#include "verify/matching.h"

namespace dancu::verify {

void AdviseHugePages(const void* p, size_t bytes) {
  constexpr uintptr_t kPage = 4096;
  uintptr_t begin = (reinterpret_cast<uintptr_t>(p) + kPage - 1) & ~(kPage - 1);
  uintptr_t end = (reinterpret_cast<uintptr_t>(p) + bytes) & ~(kPage - 1);
  if (end > begin + (2u << 20)) {
    ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
  }
}

uint32_t Fingerprint(std::string_view text) {
  // XXH3 (the xxhash library, inlined): fingerprints only need to spread
  // well and be fast; they never leave the process except in the index
  // snapshot, whose format version pins this function.
  return static_cast<uint32_t>(XXH3_64bits(text.data(), text.size()));
}

namespace {

int32_t ParseDigits(std::string_view s, size_t min_len, size_t max_len) {
  if (s.size() < min_len || s.size() > max_len) return -1;
  int32_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.front() == '-' || s.front() == '+') {
    return -1;
  }
  return v;
}

// Slots for n keys: load factor <= 0.75, at least 16. Any size works (see
// Home), so the table is sized to the keys instead of the next power of two:
// at 10 M citizens that is 5.3 bytes per citizen instead of 6.7.
size_t SlotsFor(size_t n) { return std::max<size_t>(16, n + n / 3 + 1); }

// The home slot of a hash in a table of `size` slots: the high half of
// hash * size (Lemire's "fastrange"), one multiplication instead of a mask.
inline size_t Home(size_t hash, size_t size) {
  return static_cast<size_t>((static_cast<unsigned __int128>(hash) * size) >> 64);
}
inline size_t Next(size_t i, size_t size) { return i + 1 == size ? 0 : i + 1; }

}  // namespace

int32_t PackOldId(std::string_view old_id) { return ParseDigits(old_id, 9, 9); }
int32_t PackCommune(std::string_view code) { return ParseDigits(code, 1, 6); }

VerificationIndex::VerificationIndex(size_t expected_citizens) {
  entries_.reserve(expected_citizens);
  AdviseHugePages(entries_.data(), entries_.capacity() * sizeof(Entry));
  slots_.reserve(SlotsFor(expected_citizens));
  AdviseHugePages(slots_.data(), slots_.capacity() * sizeof(uint32_t));
  slots_.assign(SlotsFor(expected_citizens), kEmpty);
  names_.reserve(expected_citizens * 16);  // trimmed by ShrinkToFit
}

size_t VerificationIndex::Hash(int64_t key) {
  // splitmix64 finalizer: ids share prefixes, so spread the bits.
  uint64_t x = static_cast<uint64_t>(key);
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return static_cast<size_t>(x ^ (x >> 31));
}

const Entry* VerificationIndex::Find(int64_t id) const {
  if (slots_.empty()) return nullptr;
  const size_t size = slots_.size();
  const size_t h = Hash(id);
  const uint32_t tag = SlotTag(h);
  for (size_t i = Home(h, size);; i = Next(i, size)) {
    uint32_t slot = slots_[i];
    if (slot == kEmpty) return nullptr;
    // The tag skips most other ids' entries without fetching them.
    if ((slot & ~kPosMask) == tag && entries_[slot & kPosMask].id == id) {
      return &entries_[slot & kPosMask];
    }
  }
}

void VerificationIndex::PrefetchSlot(int64_t id) const {
  if (!slots_.empty()) __builtin_prefetch(&slots_[Home(Hash(id), slots_.size())]);
}

void VerificationIndex::PrefetchEntry(int64_t id) const {
  if (slots_.empty()) return;
  const size_t size = slots_.size();
  const size_t h = Hash(id);
  const uint32_t tag = SlotTag(h);
  for (size_t i = Home(h, size);; i = Next(i, size)) {
    uint32_t slot = slots_[i];
    if (slot == kEmpty) return;
    if ((slot & ~kPosMask) == tag) {
      const char* entry = reinterpret_cast<const char*>(&entries_[slot & kPosMask]);
      __builtin_prefetch(entry);
      __builtin_prefetch(entry + sizeof(Entry) - 1);  // it may straddle two lines
      return;
    }
  }
}

size_t VerificationIndex::FindByOldId(int32_t old_id, const Entry** out, size_t max) const {
  if (old_slots_.empty() || old_id < 0) return 0;
  size_t n = 0;
  const size_t size = old_slots_.size();
  for (size_t i = Home(Hash(old_id), size); n < max; i = Next(i, size)) {
    uint32_t pos = old_slots_[i];
    if (pos == kEmpty) break;
    if (entries_[pos].old_id == old_id) out[n++] = &entries_[pos];
  }
  return n;
}

void VerificationIndex::InsertIdSlot(uint32_t pos) {
  const size_t size = slots_.size();
  size_t i = Home(Hash(entries_[pos].id), size);
  while (slots_[i] != kEmpty) i = Next(i, size);
  slots_[i] = pos | SlotTag(Hash(entries_[pos].id));
}

void VerificationIndex::InsertOldSlot(uint32_t pos) {
  if ((old_count_ + 1) * 4 > old_slots_.size() * 3) {
    std::vector<uint32_t> old = std::move(old_slots_);
    old_slots_.assign(SlotsFor((old_count_ + 1) * 2), kEmpty);
    old_count_ = 0;
    for (uint32_t p : old) {
      if (p != kEmpty) InsertOldSlot(p);
    }
  }
  const size_t size = old_slots_.size();
  size_t i = Home(Hash(entries_[pos].old_id), size);
  while (old_slots_[i] != kEmpty) i = Next(i, size);
  old_slots_[i] = pos;
  ++old_count_;
}

void VerificationIndex::EraseOldSlot(uint32_t pos) {
  // Backward-shift deletion keeps linear probing free of tombstones.
  const size_t size = old_slots_.size();
  size_t i = Home(Hash(entries_[pos].old_id), size);
  while (old_slots_[i] != pos) {
    if (old_slots_[i] == kEmpty) return;  // not present
    i = Next(i, size);
  }
  size_t hole = i;
  for (size_t j = Next(hole, size); old_slots_[j] != kEmpty; j = Next(j, size)) {
    size_t home = Home(Hash(entries_[old_slots_[j]].old_id), size);
    // Move j into the hole unless its home lies cyclically in (hole, j].
    bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
    if (!stays) {
      old_slots_[hole] = old_slots_[j];
      hole = j;
    }
  }
  old_slots_[hole] = kEmpty;
  --old_count_;
}

void VerificationIndex::Grow() {
  // A quarter more than needed: at 10 M, growing by half or doubling would
  // cost 3-5 bytes per citizen until the next rebuild; rehashing 10 M ids
  // after every 2.5 M births is cheap.
  slots_.assign(SlotsFor(entries_.size() + entries_.size() / 4), kEmpty);
  for (uint32_t pos = 0; pos < entries_.size(); ++pos) InsertIdSlot(pos);
}

void VerificationIndex::Upsert(const registry::Citizen& c) {
  Entry e;
  e.id = c.id.number();
  const std::string& folded = c.full_name.folded();
  e.nfc_hash = Fingerprint(c.full_name.text());
  e.folded_hash = Fingerprint(folded);
  e.tokens_hash = Fingerprint(SortedTokens(folded));
  FoldNameTo(c.permanent_residence.street, scratch_);
  e.street_hash = Fingerprint(scratch_);
  e.date_of_birth = c.date_of_birth.Packed();
  e.old_id = PackOldId(c.old_id);
  int32_t commune = PackCommune(c.permanent_residence.commune_code);
  e.commune = commune < 0 ? 0 : static_cast<uint32_t>(commune);
  e.female = c.sex == Sex::kFemale ? 1 : 0;
  e.deceased = c.status == registry::LifeStatus::kDeceased ? 1 : 0;
  e.name_length = static_cast<uint32_t>(std::min<size_t>(folded.size(), 1023));

  Entry* existing = const_cast<Entry*>(Find(e.id));
  if (existing != nullptr) {
    if (FoldedName(*existing) == std::string_view(folded).substr(0, e.name_length)) {
      e.name_offset = existing->name_offset;
    } else {
      e.name_offset = static_cast<uint32_t>(names_.size());
      names_.append(folded, 0, e.name_length);
    }
    uint32_t pos = static_cast<uint32_t>(existing - entries_.data());
    if (existing->old_id != e.old_id) {
      if (existing->old_id >= 0) EraseOldSlot(pos);
      *existing = e;
      if (e.old_id >= 0) InsertOldSlot(pos);
    } else {
      *existing = e;
    }
    return;
  }
  e.name_offset = static_cast<uint32_t>(names_.size());
  names_.append(folded, 0, e.name_length);
  if (entries_.size() >= kMaxEntries) {
    throw std::length_error("the verification index holds at most 134,217,727 citizens");
  }
  uint32_t pos = static_cast<uint32_t>(entries_.size());
  entries_.push_back(e);
  if (entries_.size() * 4 > slots_.size() * 3) {
    Grow();  // reinserts every entry, including the new one
  } else {
    InsertIdSlot(pos);
  }
  if (e.old_id >= 0) InsertOldSlot(pos);
}

Result<std::unique_ptr<VerificationIndex>> VerificationIndex::FromParts(std::vector<Entry> entries,
                                                                        std::string names) {
  auto index = std::make_unique<VerificationIndex>();
  index->entries_ = std::move(entries);
  index->names_ = std::move(names);
  const size_t n = index->entries_.size();
  if (n > kMaxEntries) return Fail("snapshot.invalid", "too many entries");
  index->slots_.reserve(SlotsFor(n));
  AdviseHugePages(index->slots_.data(), SlotsFor(n) * sizeof(uint32_t));
  index->slots_.assign(SlotsFor(n), kEmpty);
  size_t old_ids = 0;
  for (uint32_t pos = 0; pos < n; ++pos) {
    const Entry& e = index->entries_[pos];
    if (static_cast<uint64_t>(e.name_offset) + e.name_length > index->names_.size()) {
      return Fail("snapshot.invalid", "entry " + std::to_string(pos) + " names bytes outside the arena");
    }
    // InsertIdSlot, checking for the id on the way (one probe sequence).
    const size_t size = index->slots_.size();
    const size_t h = Hash(e.id);
    size_t i = Home(h, size);
    for (; index->slots_[i] != kEmpty; i = Next(i, size)) {
      if (index->entries_[index->slots_[i] & kPosMask].id == e.id) {
        return Fail("snapshot.invalid", "id " + std::to_string(e.id) + " appears twice");
      }
    }
    index->slots_[i] = pos | SlotTag(h);
    if (e.old_id >= 0) ++old_ids;
  }
  if (old_ids > 0) {
    index->old_slots_.reserve(SlotsFor(old_ids));
    AdviseHugePages(index->old_slots_.data(), SlotsFor(old_ids) * sizeof(uint32_t));
    index->old_slots_.assign(SlotsFor(old_ids), kEmpty);
    for (uint32_t pos = 0; pos < n; ++pos) {
      if (index->entries_[pos].old_id >= 0) index->InsertOldSlot(pos);
    }
  }
  return index;
}

void VerificationIndex::ShrinkToFit() {
  entries_.shrink_to_fit();
  // Each distinct folded name once: Vietnamese full names repeat a lot
  // (10 M generated citizens hold far fewer distinct names), and the arena
  // was the second largest part of the index. Also drops the bytes of
  // replaced names.
  {
    std::unordered_map<std::string_view, uint32_t> seen;
    seen.reserve(entries_.size() / 4 + 16);
    std::string compact;
    for (Entry& e : entries_) {
      auto [it, inserted] = seen.try_emplace(FoldedName(e), static_cast<uint32_t>(compact.size()));
      if (inserted) compact.append(it->first);
      e.name_offset = it->second;
    }
    seen = {};
    names_ = std::move(compact);
  }
  names_.shrink_to_fit();
  // The old-id table grew by doubling while the index was built.
  if (old_count_ > 0 && old_slots_.size() > SlotsFor(old_count_)) {
    old_slots_.assign(SlotsFor(old_count_), kEmpty);
    old_slots_.shrink_to_fit();
    old_count_ = 0;
    for (uint32_t pos = 0; pos < entries_.size(); ++pos) {
      if (entries_[pos].old_id >= 0) InsertOldSlot(pos);
    }
  }
}

size_t VerificationIndex::MemoryBytes() const {
  return entries_.capacity() * sizeof(Entry) + slots_.capacity() * sizeof(uint32_t) +
         old_slots_.capacity() * sizeof(uint32_t) + names_.capacity();
}

}  // namespace dancu::verify
