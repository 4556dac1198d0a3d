// Internal to dancu_crypto: makes sure sodium_init() has run before any
// libsodium call that needs it (randomness, pwhash, AEAD). sodium_init is
// idempotent and thread-safe; a failure means the OS offers no secure
// randomness, and the process stops (no security service can run without).
#pragma once

namespace dancu::crypto::internal {

void EnsureSodium();

}  // namespace dancu::crypto::internal
