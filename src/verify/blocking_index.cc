#include "verify/blocking_index.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string>

#include "core/admin_units.h"
#include "linkage/key_hash.h"
#include "verify/name_tokens.h"
#include "verify/verification_index.h"

namespace dancu::verify {
namespace {

// Commune code (as a number) -> province number, 0 if unknown.
const std::vector<uint8_t>& ProvinceTable() {
  static const std::vector<uint8_t> table = [] {
    std::vector<uint8_t> t(100000, 0);
    for (const Commune& c : AdminUnits::Get().communes()) {
      uint32_t code = 0, province = 0;
      std::from_chars(c.code.data(), c.code.data() + c.code.size(), code);
      std::from_chars(c.province_code.data(), c.province_code.data() + c.province_code.size(),
                      province);
      if (code < t.size()) t[code] = static_cast<uint8_t>(province);
    }
    return t;
  }();
  return table;
}

}  // namespace

int BlockingIndex::ProvinceOfCommune(uint32_t commune) {
  const std::vector<uint8_t>& table = ProvinceTable();
  return commune < table.size() ? table[commune] : 0;
}

uint64_t BlockingIndex::KeyScheme() {
  // Bump when KeysOf, the key builders or Key32/Slot change.
  constexpr uint64_t kKeyVersion = 1;
  static const uint64_t scheme = [] {
    const std::vector<uint8_t>& t = ProvinceTable();
    return linkage::HashWith(
        linkage::HashBytes(std::string_view(reinterpret_cast<const char*>(t.data()), t.size())),
        kKeyVersion);
  }();
  return scheme;
}

uint64_t BlockingIndex::NameYearProvinceKey(std::string_view sorted_tokens, int year,
                                            int province) {
  uint64_t h = linkage::HashBytes(sorted_tokens);
  return linkage::HashWith(h, static_cast<uint64_t>(year) * 1000 + static_cast<uint64_t>(province));
}

uint64_t BlockingIndex::TokenDobKey(Kind kind, std::string_view token, int32_t packed_dob) {
  uint64_t h = linkage::HashBytes(token, linkage::kKeySeed + static_cast<uint64_t>(kind));
  return linkage::HashWith(h, static_cast<uint64_t>(static_cast<uint32_t>(packed_dob)));
}

std::array<uint64_t, BlockingIndex::kKinds> BlockingIndex::KeysOf(const VerificationIndex& index,
                                                                  const Entry& e) {
  std::string_view tokens[kMaxNameTokens];
  size_t n = SplitNameTokens(index.FoldedName(e), tokens);
  char buf[kMaxSortedName];
  std::string_view sorted = SortedNameTokens(tokens, n, buf);
  std::string_view family = n > 0 ? tokens[0] : std::string_view();
  std::string_view given = n > 0 ? tokens[n - 1] : std::string_view();
  return {NameYearProvinceKey(sorted, e.date_of_birth / 10000, ProvinceOfCommune(e.commune)),
          FamilyDobKey(family, e.date_of_birth, e.female != 0),
          TokenDobKey(Kind::kGivenDob, given, e.date_of_birth)};
}

BlockingIndex::BlockingIndex(const VerificationIndex& index) {
  const size_t n = index.size();
  for (Table& t : tables_) {
    t.heads.assign(std::max<size_t>(16, n * 5 / 4 + 1), Head{});  // no Grow during the build
    t.next.assign(n, kNone);
  }
  // Head slots are cache misses in tables of the register's size: the keys
  // of a batch of entries are computed and their slots prefetched before
  // the inserts touch them.
  constexpr size_t kBatch = 32;
  std::array<std::array<uint64_t, kKinds>, kBatch> keys;
  auto entries = index.entries();
  for (size_t base = 0; base < n; base += kBatch) {
    const size_t m = std::min(kBatch, n - base);
    for (size_t i = 0; i < m; ++i) {
      keys[i] = KeysOf(index, entries[base + i]);
      for (size_t k = 0; k < kKinds; ++k) {
        const Table& t = tables_[k];
        __builtin_prefetch(&t.heads[Slot(Key32(keys[i][k]), t.heads.size())]);
      }
    }
    for (size_t i = 0; i < m; ++i) {
      for (size_t k = 0; k < kKinds; ++k) {
        Insert(tables_[k], keys[i][k], static_cast<uint32_t>(base + i));
      }
    }
  }
}

BlockingIndex::Head* BlockingIndex::FindHead(Table& t, uint32_t key32, bool insert) {
  if (insert && (t.used + 1) * 5 > t.heads.size() * 4) Grow(t);
  const size_t size = t.heads.size();
  if (size == 0) return nullptr;  // only when not inserting: Grow made room
  for (size_t s = Slot(key32, size);; s = s + 1 == size ? 0 : s + 1) {
    Head& h = t.heads[s];
    if (h.first == kEmpty) {
      if (!insert) return nullptr;
      h.key = key32;
      h.first = kNone;
      ++t.used;
      return &h;
    }
    if (h.key == key32) return &h;
  }
}

const BlockingIndex::Head* BlockingIndex::FindHead(const Table& t, uint32_t key32) {
  const size_t size = t.heads.size();
  if (size == 0) return nullptr;
  for (size_t s = Slot(key32, size);; s = s + 1 == size ? 0 : s + 1) {
    const Head& h = t.heads[s];
    if (h.first == kEmpty) return nullptr;
    if (h.key == key32) return &h;
  }
}

void BlockingIndex::Grow(Table& t) {
  std::vector<Head> old = std::move(t.heads);
  t.heads.assign(std::max<size_t>(16, old.size() * 3 / 2), Head{});
  t.used = 0;
  const size_t size = t.heads.size();
  for (const Head& h : old) {
    if (h.first == kEmpty || h.first == kNone) continue;  // emptied chains go
    size_t s = Slot(h.key, size);
    while (t.heads[s].first != kEmpty) s = s + 1 == size ? 0 : s + 1;
    t.heads[s] = h;
    ++t.used;
  }
}

void BlockingIndex::Insert(Table& t, uint64_t key, uint32_t pos) {
  if (t.next.size() <= pos) t.next.resize(std::max<size_t>(pos + 1, t.next.size() * 3 / 2), kNone);
  Head* h = FindHead(t, Key32(key), true);
  t.next[pos] = h->first;
  h->first = pos;
}

void BlockingIndex::Add(const VerificationIndex& index, uint32_t pos) {
  auto keys = KeysOf(index, index.entries()[pos]);
  for (size_t k = 0; k < kKinds; ++k) Insert(tables_[k], keys[k], pos);
}

void BlockingIndex::Remove(const VerificationIndex& index, uint32_t pos) {
  auto keys = KeysOf(index, index.entries()[pos]);
  for (size_t k = 0; k < kKinds; ++k) {
    Table& t = tables_[k];
    Head* h = FindHead(t, Key32(keys[k]), false);
    if (h == nullptr || pos >= t.next.size()) continue;
    uint32_t* link = &h->first;
    while (*link != kNone && *link != pos) link = &t.next[*link];
    if (*link == pos) {
      *link = t.next[pos];
      t.next[pos] = kNone;
    }
  }
}

bool BlockingIndex::Collect(Kind kind, uint64_t key, size_t cap, std::vector<uint32_t>& out) const {
  const Table& t = tables_[static_cast<size_t>(kind)];
  const Head* h = FindHead(t, Key32(key));
  if (h == nullptr) return true;
  size_t start = out.size();
  for (uint32_t p = h->first; p != kNone; p = t.next[p]) {
    if (out.size() - start == cap) {
      out.resize(start);
      return false;
    }
    out.push_back(p);
  }
  return true;
}

Result<BlockingIndex> BlockingIndex::FromParts(const VerificationIndex& index,
                                               std::array<std::vector<Head>, kKinds> heads,
                                               std::array<std::vector<uint32_t>, kKinds> next) {
  const size_t n = index.size();
  auto invalid = [](size_t kind, const std::string& why) -> std::unexpected<Error> {
    return Fail("snapshot.invalid", "blocking index (kind " + std::to_string(kind) + "): " + why);
  };
  BlockingIndex b;
  // One bit per position: each must be on exactly one chain of each kind
  // (then every chain is a finite path and a walk always ends).
  std::vector<uint64_t> seen((n + 63) / 64);
  for (size_t k = 0; k < kKinds; ++k) {
    std::vector<Head>& hs = heads[k];
    std::vector<uint32_t>& nx = next[k];
    if (nx.size() != n) return invalid(k, "chain array of the wrong size");
    if (hs.empty()) return invalid(k, "no head table");
    std::fill(seen.begin(), seen.end(), 0);
    size_t refs = 0, used = 0;
    auto mark = [&](uint32_t p) {
      if (p >= n) return false;
      uint64_t bit = uint64_t{1} << (p & 63);
      if (seen[p >> 6] & bit) return false;
      seen[p >> 6] |= bit;
      ++refs;
      return true;
    };
    const size_t size = hs.size();
    for (size_t s = 0; s < size; ++s) {
      const Head& h = hs[s];
      if (h.first == kEmpty) continue;
      ++used;
      if (h.first != kNone && !mark(h.first)) {
        return invalid(k, "a chain starts outside the index or on a position already chained");
      }
      // Its own look-up must reach it: no empty slot and no other head
      // with the same key on the probe path.
      for (size_t t = Slot(h.key, size); t != s; t = t + 1 == size ? 0 : t + 1) {
        if (hs[t].first == kEmpty) return invalid(k, "a head its look-up cannot reach");
        if (hs[t].key == h.key) return invalid(k, "a key with two heads");
      }
    }
    // The load limit also keeps an empty slot, where every look-up ends.
    if (used * 5 > size * 4) return invalid(k, "head table over its load limit");
    for (uint32_t p : nx) {
      if (p != kNone && !mark(p)) {
        return invalid(k, "a position on two chains or outside the index");
      }
    }
    if (refs != n) return invalid(k, "a position on no chain");
    b.tables_[k] = Table{std::move(hs), std::move(nx), used};
  }
  // The chains must be those of the entries' keys: a sample of entries,
  // spread over the index, is looked up on its own keys.
  const size_t samples = std::min<size_t>(n, 4096);
  auto entries = index.entries();
  for (size_t i = 0; i < samples; ++i) {
    const uint32_t pos = static_cast<uint32_t>(i * n / samples);
    auto keys = KeysOf(index, entries[pos]);
    for (size_t k = 0; k < kKinds; ++k) {
      const Table& t = b.tables_[k];
      const Head* h = FindHead(t, Key32(keys[k]));
      uint32_t p = h == nullptr ? kNone : h->first;
      while (p != kNone && p != pos) p = t.next[p];
      if (p != pos) return invalid(k, "entry " + std::to_string(pos) + " is not under its key");
    }
  }
  return b;
}

void BlockingIndex::CollectMany(std::span<const Request> requests, size_t cap,
                                std::vector<uint32_t>& out, std::vector<uint8_t>& request_of,
                                std::span<uint32_t> counts) const {
  out.clear();
  request_of.clear();
  const size_t n = std::min(requests.size(), kMaxRequests);
  for (size_t i = 0; i < n; ++i) {
    const Table& t = tables_[static_cast<size_t>(requests[i].kind)];
    if (!t.heads.empty()) {
      __builtin_prefetch(&t.heads[Slot(Key32(requests[i].key), t.heads.size())]);
    }
  }
  struct Walk {
    const uint32_t* next;  // the kind's chain array
    uint32_t pos;
    uint8_t request;
  };
  Walk walks[kMaxRequests];
  size_t active = 0;
  for (size_t i = 0; i < n; ++i) {
    counts[i] = 0;
    const Table& t = tables_[static_cast<size_t>(requests[i].kind)];
    const Head* h = FindHead(t, Key32(requests[i].key));
    if (h == nullptr || h->first == kNone) continue;
    __builtin_prefetch(&t.next[h->first]);
    walks[active++] = Walk{t.next.data(), h->first, static_cast<uint8_t>(i)};
  }
  // One step of every chain per round; a finished chain leaves its place to
  // the last one.
  bool dropped = false;
  while (active > 0) {
    for (size_t w = 0; w < active;) {
      Walk& k = walks[w];
      if (counts[k.request] == cap) {
        counts[k.request] = kUnselective;
        dropped = true;
        k = walks[--active];
        continue;
      }
      out.push_back(k.pos);
      request_of.push_back(k.request);
      ++counts[k.request];
      const uint32_t next = k.next[k.pos];
      if (next == kNone) {
        k = walks[--active];
        continue;
      }
      __builtin_prefetch(&k.next[next]);
      k.pos = next;
      ++w;
    }
  }
  if (dropped) {  // the positions of unselective keys go
    size_t kept = 0;
    for (size_t j = 0; j < out.size(); ++j) {
      if (counts[request_of[j]] == kUnselective) continue;
      out[kept] = out[j];
      request_of[kept++] = request_of[j];
    }
    out.resize(kept);
    request_of.resize(kept);
  }
}

size_t BlockingIndex::MemoryBytes() const {
  size_t bytes = sizeof(*this);
  for (const Table& t : tables_) {
    bytes += t.heads.capacity() * sizeof(Head) + t.next.capacity() * sizeof(uint32_t);
  }
  return bytes;
}

}  // namespace dancu::verify
