#include "crypto/hash.h"

#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace dancu::crypto {
namespace {

// Fetched once: EVP_sha256() makes OpenSSL 3 search its provider store on
// every call, which costs more than hashing a short key or token.
const EVP_MD* Sha256Md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr) throw std::runtime_error("OpenSSL has no SHA-256");
  return md;
}

}  // namespace

Digest Sha256(std::string_view data) {
  Digest d;
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), d.data(), &len, Sha256Md(), nullptr) != 1 ||
      len != d.size()) {
    throw std::runtime_error("SHA-256 failed");
  }
  return d;
}

Digest HmacSha256(std::string_view key, std::string_view data) {
  Digest d;
  unsigned int len = 0;
  // A zero-length key would give HMAC() a null pointer, which it rejects in
  // some versions; point at a valid empty buffer instead.
  static const unsigned char kEmpty = 0;
  const void* k = key.empty() ? static_cast<const void*>(&kEmpty) : key.data();
  if (HMAC(Sha256Md(), k, static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), d.data(),
           &len) == nullptr ||
      len != d.size()) {
    throw std::runtime_error("HMAC-SHA-256 failed");
  }
  return d;
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Sha256Stream::Sha256Stream() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr || EVP_DigestInit_ex(ctx_, Sha256Md(), nullptr) != 1) {
    EVP_MD_CTX_free(ctx_);
    throw std::runtime_error("SHA-256 init failed");
  }
}

Sha256Stream::~Sha256Stream() { EVP_MD_CTX_free(ctx_); }

void Sha256Stream::Update(const void* data, size_t n) {
  if (EVP_DigestUpdate(ctx_, data, n) != 1) throw std::runtime_error("SHA-256 update failed");
}

Digest Sha256Stream::Finish() {
  Digest d;
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx_, d.data(), &len) != 1 || len != d.size()) {
    throw std::runtime_error("SHA-256 final failed");
  }
  return d;
}

}  // namespace dancu::crypto
