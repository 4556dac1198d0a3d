// Unguessable values from the operating system's CSPRNG (libsodium
// randombytes_buf): session ids, authorization codes, CSRF tokens, nonces,
// keys.
//
// Contract: RandomBytes(n) returns n raw bytes; RandomToken(n) returns the
// base64url (no padding) of n random bytes, i.e. ceil(4n/3) URL-safe
// characters; the default 32 bytes gives 256 bits, 43 characters.
//
// Errors: none (libsodium aborts the process if the OS cannot supply
// randomness, which is the right outcome for a security service).
//
// Thread safety: callable from any thread.
#pragma once

#include <cstddef>
#include <string>

namespace dancu::crypto {

std::string RandomBytes(size_t n);
std::string RandomToken(size_t bytes = 32);

}  // namespace dancu::crypto
