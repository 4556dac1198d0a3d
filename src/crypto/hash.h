// SHA-256, HMAC-SHA-256 and constant-time comparison (OpenSSL EVP).
//
// Contract: Sha256/HmacSha256 return the 32-byte digest; AsBytes views it as a
// byte string (for Base64UrlEncode, HexEncode, ConstantTimeEqual). An empty
// HMAC key is allowed (HMAC pads it) but callers should use 32 random bytes.
// ConstantTimeEqual takes time that depends only on the lengths, never on
// where the inputs differ (CRYPTO_memcmp); inputs of different length are
// unequal. Sha256Stream hashes data given in pieces (e.g. a file being
// written); Finish may be called once.
//
// Errors: none from outside input. An OpenSSL failure (out of memory, a
// FIPS provider refusing SHA-256) is a broken invariant: std::runtime_error.
//
// Thread safety: the free functions are callable from any thread; one
// Sha256Stream belongs to one thread at a time.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace dancu::crypto {

using Digest = std::array<uint8_t, 32>;

Digest Sha256(std::string_view data);
Digest HmacSha256(std::string_view key, std::string_view data);

inline std::string_view AsBytes(const Digest& d) {
  return {reinterpret_cast<const char*>(d.data()), d.size()};
}

bool ConstantTimeEqual(std::string_view a, std::string_view b);

class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;

  void Update(const void* data, size_t n);
  void Update(std::string_view data) { Update(data.data(), data.size()); }
  Digest Finish();

 private:
  EVP_MD_CTX* ctx_;
};

}  // namespace dancu::crypto
