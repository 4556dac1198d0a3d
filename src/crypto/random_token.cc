#include "crypto/random_token.h"

#include <sodium.h>

#include "crypto/encoding.h"
#include "crypto/sodium_init.h"

namespace dancu::crypto {

std::string RandomBytes(size_t n) {
  internal::EnsureSodium();
  std::string out(n, '\0');
  randombytes_buf(out.data(), n);
  return out;
}

std::string RandomToken(size_t bytes) { return Base64UrlEncode(RandomBytes(bytes)); }

}  // namespace dancu::crypto
