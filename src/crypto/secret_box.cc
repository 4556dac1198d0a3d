#include "crypto/secret_box.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <sodium.h>

#include "crypto/sodium_init.h"

namespace dancu::crypto {

static_assert(SecretBox::kKeyBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(SecretBox::kOverheadBytes == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES +
                                               crypto_aead_xchacha20poly1305_ietf_ABYTES);

struct SecretBox::Key {
  unsigned char bytes[kKeyBytes];
  Key() { sodium_mlock(bytes, sizeof bytes); }  // best effort: may fail under RLIMIT_MEMLOCK
  ~Key() { sodium_munlock(bytes, sizeof bytes); }  // also zeroes the key
  Key(const Key&) = delete;
  Key& operator=(const Key&) = delete;
};

namespace {

constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;

std::unexpected<Error> BadKeyFile(const std::filesystem::path& path, const std::string& why) {
  return Fail("crypto.bad_key_file", path.string() + ": " + why, path.string());
}

// Reads the whole key file; nullopt-like failure through the error.
Result<std::string> ReadKeyFile(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return BadKeyFile(path, std::strerror(errno));
  std::string data;
  char buf[64];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return BadKeyFile(path, std::strerror(err));
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
    if (data.size() > SecretBox::kKeyBytes) break;  // too long already
  }
  ::close(fd);
  sodium_memzero(buf, sizeof buf);
  return data;
}

// Creates the key file with fresh random bytes. The key is written to a
// temporary file (mode 0600 from mkstemp), fsync'ed, then hard-linked to its
// name: unlike rename, link never replaces a key another process created in
// the meantime (EEXIST), in which case that key is the one to use.
Status CreateKeyFile(const std::filesystem::path& path) {
  std::string tmp = path.string() + ".tmp-XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) return BadKeyFile(path, std::string("cannot create: ") + std::strerror(errno));
  unsigned char key[SecretBox::kKeyBytes];
  randombytes_buf(key, sizeof key);
  const bool written = ::fchmod(fd, S_IRUSR | S_IWUSR) == 0 &&
                       ::write(fd, key, sizeof key) == static_cast<ssize_t>(sizeof key) &&
                       ::fsync(fd) == 0;
  const int write_errno = errno;
  sodium_memzero(key, sizeof key);
  ::close(fd);
  if (!written) {
    ::unlink(tmp.c_str());
    return BadKeyFile(path, std::string("cannot write: ") + std::strerror(write_errno));
  }
  const int linked = ::link(tmp.c_str(), path.c_str());
  const int link_errno = errno;
  ::unlink(tmp.c_str());
  if (linked != 0 && link_errno != EEXIST) {
    return BadKeyFile(path, std::string("cannot create: ") + std::strerror(link_errno));
  }
  // Make the new name durable too.
  const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return {};
}

}  // namespace

Result<SecretBox> SecretBox::OpenKeyFile(const std::filesystem::path& path) {
  internal::EnsureSodium();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (ec) return BadKeyFile(path, ec.message());
    if (auto created = CreateKeyFile(path); !created) return std::unexpected(created.error());
  }
  auto data = ReadKeyFile(path);
  if (!data) return std::unexpected(data.error());
  if (data->size() != kKeyBytes) {
    const size_t n = data->size();
    sodium_memzero(data->data(), data->size());
    return BadKeyFile(path, "a key file holds exactly 32 bytes, this one " +
                                (n > kKeyBytes ? std::string("more") : std::to_string(n)));
  }
  auto box = FromKey(*data);
  sodium_memzero(data->data(), data->size());
  return box;
}

Result<SecretBox> SecretBox::FromKey(std::string_view key) {
  internal::EnsureSodium();
  if (key.size() != kKeyBytes) return Fail("crypto.bad_key", "a SecretBox key is 32 bytes");
  auto k = std::make_shared<Key>();
  std::memcpy(k->bytes, key.data(), kKeyBytes);
  return SecretBox(std::move(k));
}

std::string SecretBox::Seal(std::string_view plaintext, std::string_view associated_data) const {
  std::string out(kNonceBytes + plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  // 24-byte random nonces: collisions are negligible (XChaCha20's reason to be).
  randombytes_buf(o, kNonceBytes);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      o + kNonceBytes, &clen, reinterpret_cast<const unsigned char*>(plaintext.data()),
      plaintext.size(), reinterpret_cast<const unsigned char*>(associated_data.data()),
      associated_data.size(), nullptr, o, key_->bytes);
  out.resize(kNonceBytes + clen);
  return out;
}

Result<std::string> SecretBox::Open(std::string_view sealed,
                                    std::string_view associated_data) const {
  if (sealed.size() < kOverheadBytes) {
    return Fail("crypto.open_failed", "the sealed value is too short");
  }
  const auto* in = reinterpret_cast<const unsigned char*>(sealed.data());
  std::string out(sealed.size() - kOverheadBytes, '\0');
  unsigned long long mlen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(out.data()), &mlen, nullptr, in + kNonceBytes,
          sealed.size() - kNonceBytes,
          reinterpret_cast<const unsigned char*>(associated_data.data()), associated_data.size(),
          in, key_->bytes) != 0) {
    return Fail("crypto.open_failed",
                "the sealed value was altered, sealed with another key, or for another purpose");
  }
  out.resize(mlen);
  return out;
}

}  // namespace dancu::crypto
