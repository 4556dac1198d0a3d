#include "crypto/password_hasher.h"

#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include <sodium.h>
#include <utf8proc.h>

#include "crypto/sodium_init.h"

namespace dancu::crypto {
namespace {

// crypto_pwhash_str_verify needs a NUL-terminated string; a stored value is
// at most crypto_pwhash_STRBYTES - 1 bytes.
bool CopyStored(std::string_view stored, char (&out)[crypto_pwhash_STRBYTES]) {
  if (stored.size() >= sizeof out || stored.find('\0') != std::string_view::npos) return false;
  std::memcpy(out, stored.data(), stored.size());
  out[stored.size()] = '\0';
  return true;
}

}  // namespace

std::string NormalizePassword(std::string_view password) {
  utf8proc_uint8_t* out = nullptr;
  // An explicit length (not NULLTERM): a NUL byte is data. STABLE keeps the
  // result stable across Unicode versions for assigned characters.
  const utf8proc_ssize_t n = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(password.data()),
      static_cast<utf8proc_ssize_t>(password.size()), &out,
      static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT));
  if (n < 0) return std::string(password);  // not UTF-8: the bytes as given
  std::string normalized(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
  std::free(out);
  return normalized;
}

std::string HashPassword(std::string_view raw_password) {
  internal::EnsureSodium();
  const std::string password = NormalizePassword(raw_password);
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kArgon2OpsLimit,
                            kArgon2MemLimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("Argon2id: out of memory");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view stored, std::string_view raw_password) {
  internal::EnsureSodium();
  const std::string password = NormalizePassword(raw_password);
  char buf[crypto_pwhash_STRBYTES];
  if (!CopyStored(stored, buf)) return false;
  // Only Argon2id hashes are ours: refuse argon2i strings (which libsodium
  // would also verify) so that the stored algorithm cannot be downgraded.
  if (std::strncmp(buf, crypto_pwhash_argon2id_STRPREFIX,
                   std::strlen(crypto_pwhash_argon2id_STRPREFIX)) != 0) {
    return false;
  }
  return crypto_pwhash_str_verify(buf, password.data(), password.size()) == 0;
}

void BurnPasswordCheck(std::string_view password) {
  // The dummy hash is made once with the same parameters as real ones, so a
  // verify against it costs what a real verify costs.
  static const std::string dummy = HashPassword("dancu: no such account");
  (void)VerifyPassword(dummy, password);
}

bool PasswordNeedsRehash(std::string_view stored) {
  internal::EnsureSodium();
  char buf[crypto_pwhash_STRBYTES];
  if (!CopyStored(stored, buf)) return true;
  if (std::strncmp(buf, crypto_pwhash_argon2id_STRPREFIX,
                   std::strlen(crypto_pwhash_argon2id_STRPREFIX)) != 0) {
    return true;
  }
  return crypto_pwhash_str_needs_rehash(buf, kArgon2OpsLimit, kArgon2MemLimit) != 0;
}

}  // namespace dancu::crypto
