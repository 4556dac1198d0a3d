#include "crypto/password_policy.h"

#include <string>
#include <unordered_set>

#include "core/embedded_data.h"
#include "core/utf8.h"
#include "crypto/password_hasher.h"

namespace dancu::crypto {
namespace {

const std::unordered_set<std::string_view>& CommonSet() {
  // Views into the embedded list, which lives for the whole program.
  static const std::unordered_set<std::string_view> set = [] {
    std::unordered_set<std::string_view> s;
    s.reserve(12000);
    std::string_view rest = embedded::kCommonPasswords;
    while (!rest.empty()) {
      const size_t nl = rest.find('\n');
      std::string_view line = rest.substr(0, nl);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!line.empty()) s.insert(line);
      if (nl == std::string_view::npos) break;
      rest.remove_prefix(nl + 1);
    }
    return s;
  }();
  return set;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

bool IsCommonPassword(std::string_view password) {
  return CommonSet().contains(AsciiLower(password));
}

size_t CommonPasswordCount() { return CommonSet().size(); }

Status CheckNewPassword(std::string_view password) {
  if (!utf8::IsValid(password)) {
    return Fail("identity.password_bad_encoding", "the password is not valid UTF-8", "password");
  }
  const std::string normalized = NormalizePassword(password);
  size_t code_points = 0;
  for (const char c : normalized) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++code_points;  // not a continuation byte
  }
  if (code_points < kMinPasswordCodePoints) {
    return Fail("identity.password_too_short",
                "the password must have at least " + std::to_string(kMinPasswordCodePoints) +
                    " characters",
                "password");
  }
  if (code_points > kMaxPasswordCodePoints) {
    return Fail("identity.password_too_long",
                "the password must have at most " + std::to_string(kMaxPasswordCodePoints) +
                    " characters",
                "password");
  }
  if (IsCommonPassword(normalized)) {
    return Fail("identity.password_common",
                "this password is one of the 10,000 most common; choose another", "password");
  }
  return {};
}

}  // namespace dancu::crypto
