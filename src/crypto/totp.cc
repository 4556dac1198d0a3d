#include "crypto/totp.h"

#include <cstdlib>
#include <mutex>
#include <stdexcept>

#include <liboath/oath.h>

#include "crypto/hash.h"
#include "crypto/random_token.h"

namespace dancu::crypto {
namespace {

void EnsureOath() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (oath_init() != OATH_OK) throw std::runtime_error("oath_init failed");
  });
}

int64_t UnixSeconds(Timestamp t) {
  return std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
}

// The code for one step. liboath computes HOTP(secret, (now - 0) / 30).
std::string CodeForStep(std::string_view secret, int64_t step) {
  EnsureOath();
  char out[kTotpDigits + 1] = {};
  const int rc = oath_totp_generate(secret.data(), secret.size(),
                                    static_cast<time_t>(step * kTotpStepSeconds),
                                    static_cast<unsigned>(kTotpStepSeconds),
                                    OATH_TOTP_DEFAULT_START_TIME, kTotpDigits, out);
  if (rc != OATH_OK) throw std::runtime_error(std::string("TOTP: ") + oath_strerror(rc));
  return std::string(out, kTotpDigits);
}

int64_t StepOf(Timestamp t) {
  const int64_t s = UnixSeconds(t);
  // floor division, also for (theoretical) times before 1970
  return s >= 0 ? s / kTotpStepSeconds : -((-s + kTotpStepSeconds - 1) / kTotpStepSeconds);
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : s) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                            c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

}  // namespace

std::string NewTotpSecret() { return RandomBytes(20); }

std::string TotpCode(std::string_view secret, Timestamp t) {
  return CodeForStep(secret, StepOf(t));
}

std::optional<int64_t> VerifyTotp(std::string_view secret, std::string_view code, Timestamp now,
                                  int64_t last_used_step) {
  if (code.size() != static_cast<size_t>(kTotpDigits)) return std::nullopt;
  for (const char c : code) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  const int64_t current = StepOf(now);
  // Every step of the window is computed and compared in constant time
  // (rather than liboath's validate, which stops at the first match and
  // compares with strcmp), oldest first, so the earliest unused step wins.
  std::optional<int64_t> matched;
  for (int64_t step = current - 1; step <= current + 1; ++step) {
    const bool equal = ConstantTimeEqual(CodeForStep(secret, step), code);
    if (equal && step > last_used_step && !matched) matched = step;
  }
  return matched;
}

std::string Base32Encode(std::string_view bytes) {
  char* out = nullptr;
  size_t len = 0;
  if (oath_base32_encode(bytes.data(), bytes.size(), &out, &len) != OATH_OK) {
    throw std::runtime_error("base32 encoding failed");
  }
  std::string s(out, len);
  std::free(out);
  return s;
}

std::string TotpUri(std::string_view secret, std::string_view issuer, std::string_view account) {
  // Key URI Format (google-authenticator wiki): the secret without padding.
  std::string b32 = Base32Encode(secret);
  while (!b32.empty() && b32.back() == '=') b32.pop_back();
  std::string uri = "otpauth://totp/";
  uri += PercentEncode(issuer);
  uri += ':';
  uri += PercentEncode(account);
  uri += "?secret=" + b32;
  uri += "&issuer=" + PercentEncode(issuer);
  uri += "&algorithm=SHA1&digits=" + std::to_string(kTotpDigits);
  uri += "&period=" + std::to_string(kTotpStepSeconds);
  return uri;
}

}  // namespace dancu::crypto
