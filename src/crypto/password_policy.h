// The rules a new password must meet (issue 4; NIST SP 800-63B §5.1.1.2):
// length in Unicode code points, not bytes, and not one of the 10,000 most
// common passwords. No composition rules (no "one digit, one symbol"), no
// forced expiry: NIST advises against both.
//
// Contract: CheckNewPassword(pw) succeeds, or fails with the first rule
// broken, in this order:
//   identity.password_bad_encoding  pw is not well-formed UTF-8
//   identity.password_too_short     fewer than kMinPasswordCodePoints (8)
//   identity.password_too_long      more than kMaxPasswordCodePoints (128)
//   identity.password_common        in the common list (data/passwords/,
//                                   embedded), compared after ASCII
//                                   lower-casing, so "PassWord1" is common
// Every error has field "password". Spaces and any Unicode are allowed;
// code points are counted after NormalizePassword (NFKC,
// password_hasher.h), the form that is hashed, so "ệ" counts as one however
// it was typed.
//
// Thread safety: callable from any thread (the common list is built once,
// on first use, as a function-local static).
#pragma once

#include <cstddef>
#include <string_view>

#include "core/error.h"

namespace dancu::crypto {

inline constexpr size_t kMinPasswordCodePoints = 8;
inline constexpr size_t kMaxPasswordCodePoints = 128;

Status CheckNewPassword(std::string_view password);

// True if the ASCII-lower-cased password is in the common list.
bool IsCommonPassword(std::string_view password);

// Number of entries in the embedded common list (10,000).
size_t CommonPasswordCount();

}  // namespace dancu::crypto
