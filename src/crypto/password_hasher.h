// Password hashing with Argon2id (RFC 9106) through libsodium
// crypto_pwhash_str_alg(ARGON2ID13), at the OWASP minimum parameters:
// t = 2 passes (opslimit), m = 19 MiB (memlimit), p = 1. Never lower these:
// stored hashes carry their own parameters, so raising them later only needs
// PasswordNeedsRehash at the next successful sign-in.
//
// Contract:
//  - Passwords are hashed and verified after NormalizePassword: Unicode
//    NFKC (NIST SP 800-63B §5.1.1.2), so "ệ" typed precomposed on one
//    keyboard and as e + combining marks on another is the same password.
//    Bytes that are not valid UTF-8 are used unchanged.
//  - HashPassword returns the PHC-format string
//    "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>" (random 16-byte salt),
//    at most 127 bytes (fits crypto_pwhash_STRBYTES). Any bytes are accepted
//    (length and content rules belong to password_policy.h).
//  - VerifyPassword is true only if `password` matches `stored`; a malformed
//    or non-Argon2id `stored` is simply false. Its running time does not
//    depend on where a wrong password differs.
//  - BurnPasswordCheck does the same Argon2id work as a verify (against a
//    fixed dummy hash made once per process) and discards the result: call it
//    for unknown accounts so that "no such account" and "wrong password"
//    take the same time (no account enumeration by timing).
//  - PasswordNeedsRehash is true when `stored` was made with other
//    parameters or another algorithm.
//  - Each hash or verify costs ~19 MiB of memory and tens of milliseconds of
//    one core: callers must throttle attempts (identity/throttle.h) and must
//    not run them on the I/O threads without bound.
//
// Errors: HashPassword throws std::runtime_error if libsodium cannot get the
// memory (resource exhaustion is not an input error).
//
// Thread safety: all functions are callable from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dancu::crypto {

inline constexpr unsigned long long kArgon2OpsLimit = 2;
inline constexpr size_t kArgon2MemLimit = 19u * 1024u * 1024u;  // 19 MiB = m=19456 KiB

std::string NormalizePassword(std::string_view password);
std::string HashPassword(std::string_view password);
bool VerifyPassword(std::string_view stored, std::string_view password);
void BurnPasswordCheck(std::string_view password);
bool PasswordNeedsRehash(std::string_view stored);

}  // namespace dancu::crypto
