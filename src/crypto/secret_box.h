// SecretBox: authenticated encryption of small secrets at rest (TOTP seeds,
// OIDC signing keys, level-2 biometric blobs) with libsodium's
// XChaCha20-Poly1305 IETF AEAD and one 32-byte key kept in a file
// (DIR/identity.key).
//
// Contract:
//  - OpenKeyFile(path) reads the key; if the file does not exist it creates
//    it with 32 random bytes, mode 0600, written to a temporary file in the
//    same directory, fsync'ed and renamed into place (so a crash never
//    leaves a short key). Errors (code crypto.bad_key_file, field = path):
//    the file exists but is not exactly 32 bytes, cannot be read, or cannot
//    be created.
//  - FromKey(key) uses 32 given bytes (tests); other sizes: crypto.bad_key.
//  - Seal(plaintext, ad) returns nonce (24 random bytes) || ciphertext ||
//    tag (16 bytes): plaintext.size() + 40 bytes of binary. `ad` (associated
//    data, e.g. "totp:" + account id) is authenticated but not stored: Open
//    must be given the same ad, so a sealed value copied to another row or
//    purpose does not open.
//  - Open(sealed, ad) returns the plaintext, or crypto.open_failed when the
//    value is too short, was altered, was sealed with another key, or ad
//    differs. Nothing partial is ever returned.
//
// Thread safety: const methods may be called from any thread. The key is
// held in memory locked against swapping where the OS allows (sodium_mlock)
// and wiped on destruction; copies share it.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"

namespace dancu::crypto {

class SecretBox {
 public:
  static constexpr size_t kKeyBytes = 32;
  static constexpr size_t kOverheadBytes = 24 + 16;

  static Result<SecretBox> OpenKeyFile(const std::filesystem::path& path);
  static Result<SecretBox> FromKey(std::string_view key);

  std::string Seal(std::string_view plaintext, std::string_view associated_data) const;
  Result<std::string> Open(std::string_view sealed, std::string_view associated_data) const;

 private:
  struct Key;
  explicit SecretBox(std::shared_ptr<const Key> key) : key_(std::move(key)) {}
  std::shared_ptr<const Key> key_;
};

}  // namespace dancu::crypto
