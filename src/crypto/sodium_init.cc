#include "crypto/sodium_init.h"

#include <cstdio>
#include <cstdlib>

#include <sodium.h>

namespace dancu::crypto::internal {

void EnsureSodium() {
  static const bool ready = [] {
    if (sodium_init() < 0) {
      std::fputs("dancu: sodium_init failed; no secure randomness\n", stderr);
      std::abort();
    }
    return true;
  }();
  (void)ready;
}

}  // namespace dancu::crypto::internal
