#include "core/random.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace dancu {

uint64_t Random::Uniform(uint64_t bound) {
  // Rejection sampling: values below `threshold` (= 2^64 mod bound) would
  // make the low residues more likely than the high ones, so they are drawn
  // again. At most half of the range is rejected, so the loop is short.
  const uint64_t threshold = (0 - bound) % bound;
  for (;;) {
    const uint64_t r = Next();
    if (r >= threshold) return r % bound;
  }
}

SecureRandom::SecureRandom() {
  // sodium_init is idempotent and thread-safe; a failure means the OS has no
  // usable entropy source, and nothing secret can be generated safely.
  if (sodium_init() < 0) {
    std::fputs("dancu: sodium_init failed; no secure randomness\n", stderr);
    std::abort();
  }
}

uint64_t SecureRandom::Next() {
  uint64_t v;
  randombytes_buf(&v, sizeof v);
  return v;
}

}  // namespace dancu
