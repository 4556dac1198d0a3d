// KeyHash: a fast 64-bit hash for in-memory blocking keys (FNV-1a over the
// bytes, then a splitmix64 avalanche). Never stored or sent: its values may
// change between versions. Not for anything an adversary can exploit beyond
// making a blocking bucket longer (buckets are capped by their users).
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string_view>

namespace dancu::linkage {

inline constexpr uint64_t kKeySeed = 0xcbf29ce484222325ULL;

inline uint64_t HashBytes(std::string_view s, uint64_t h = kKeySeed) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

inline uint64_t MixKey(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Hash of a byte string continued with an integer.
inline uint64_t HashWith(uint64_t h, uint64_t value) { return MixKey(h ^ MixKey(value + 1)); }

}  // namespace dancu::linkage
