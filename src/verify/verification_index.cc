#include "verify/verification_index.h"

#include <bit>
#include <charconv>

#include "core/person_name.h"
#include "verify/matching.h"

namespace dancu::verify {

uint32_t Fingerprint(std::string_view text) {
  return static_cast<uint32_t>(static_cast<uint64_t>(FoldedKeyHash(text)));
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

size_t SlotsFor(size_t n) {
  // Load factor <= 0.75, at least 16 slots.
  return std::bit_ceil(std::max<size_t>(16, n + n / 3 + 1));
}

}  // namespace

int32_t PackOldId(std::string_view old_id) { return ParseDigits(old_id, 9, 9); }
int32_t PackCommune(std::string_view code) { return ParseDigits(code, 1, 6); }

VerificationIndex::VerificationIndex(size_t expected_citizens) {
  entries_.reserve(expected_citizens);
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
  size_t mask = slots_.size() - 1;
  for (size_t i = Hash(id) & mask;; i = (i + 1) & mask) {
    uint32_t pos = slots_[i];
    if (pos == kEmpty) return nullptr;
    if (entries_[pos].id == id) return &entries_[pos];
  }
}

size_t VerificationIndex::FindByOldId(int32_t old_id, const Entry** out, size_t max) const {
  if (old_slots_.empty() || old_id < 0) return 0;
  size_t n = 0;
  size_t mask = old_slots_.size() - 1;
  for (size_t i = Hash(old_id) & mask; n < max; i = (i + 1) & mask) {
    uint32_t pos = old_slots_[i];
    if (pos == kEmpty) break;
    if (entries_[pos].old_id == old_id) out[n++] = &entries_[pos];
  }
  return n;
}

void VerificationIndex::InsertIdSlot(uint32_t pos) {
  size_t mask = slots_.size() - 1;
  size_t i = Hash(entries_[pos].id) & mask;
  while (slots_[i] != kEmpty) i = (i + 1) & mask;
  slots_[i] = pos;
}

void VerificationIndex::InsertOldSlot(uint32_t pos) {
  if ((old_count_ + 1) * 4 > old_slots_.size() * 3) {
    std::vector<uint32_t> old = std::move(old_slots_);
    old_slots_.assign(SlotsFor(old_count_ + 1) * 2, kEmpty);
    old_count_ = 0;
    for (uint32_t p : old) {
      if (p != kEmpty) InsertOldSlot(p);
    }
  }
  size_t mask = old_slots_.size() - 1;
  size_t i = Hash(entries_[pos].old_id) & mask;
  while (old_slots_[i] != kEmpty) i = (i + 1) & mask;
  old_slots_[i] = pos;
  ++old_count_;
}

void VerificationIndex::EraseOldSlot(uint32_t pos) {
  // Backward-shift deletion keeps linear probing free of tombstones.
  size_t mask = old_slots_.size() - 1;
  size_t i = Hash(entries_[pos].old_id) & mask;
  while (old_slots_[i] != pos) {
    if (old_slots_[i] == kEmpty) return;  // not present
    i = (i + 1) & mask;
  }
  size_t hole = i;
  for (size_t j = (hole + 1) & mask; old_slots_[j] != kEmpty; j = (j + 1) & mask) {
    size_t home = Hash(entries_[old_slots_[j]].old_id) & mask;
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
  slots_.assign(slots_.empty() ? 16 : slots_.size() * 2, kEmpty);
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
  uint32_t pos = static_cast<uint32_t>(entries_.size());
  entries_.push_back(e);
  if (entries_.size() * 4 > slots_.size() * 3) {
    Grow();  // reinserts every entry, including the new one
  } else {
    InsertIdSlot(pos);
  }
  if (e.old_id >= 0) InsertOldSlot(pos);
}

size_t VerificationIndex::MemoryBytes() const {
  return entries_.capacity() * sizeof(Entry) + slots_.capacity() * sizeof(uint32_t) +
         old_slots_.capacity() * sizeof(uint32_t) + names_.capacity();
}

}  // namespace dancu::verify
