// Time-based one-time passwords (RFC 6238, through liboath): HMAC-SHA1,
// 30-second steps from the Unix epoch, 6 digits, as every authenticator app
// (Google Authenticator, FreeOTP, Aegis...) expects by default.
//
// Contract:
//  - NewTotpSecret returns 20 random bytes (160 bits, RFC 4226's advice).
//    Secrets are raw bytes; store them sealed (secret_box.h).
//  - TotpCode(secret, t) is the 6-digit code for the step containing t.
//  - VerifyTotp accepts a code for the step containing `now` or one step
//    either side (clock drift, a code typed as it changes), and returns that
//    step number (floor(unix seconds / 30)). It refuses (nullopt) a code
//    whose step is <= last_used_step, so a code works once: the caller
//    stores the returned step as the new last_used_step. Pass -1 when the
//    account has never used a code. Anything but exactly 6 ASCII digits is
//    nullopt. Comparison is done by liboath over all window steps.
//  - TotpUri returns the otpauth:// URI for the QR code (Key URI Format):
//    otpauth://totp/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER&algorithm=SHA1
//    &digits=6&period=30, with issuer and account percent-encoded.
//
// Errors: none from input; liboath failing on a valid secret is a broken
// invariant (std::runtime_error).
//
// Thread safety: callable from any thread (oath_init runs once).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace dancu::crypto {

inline constexpr int kTotpDigits = 6;
inline constexpr int64_t kTotpStepSeconds = 30;

std::string NewTotpSecret();
std::string TotpCode(std::string_view secret, Timestamp t);
std::optional<int64_t> VerifyTotp(std::string_view secret, std::string_view code, Timestamp now,
                                  int64_t last_used_step);
std::string TotpUri(std::string_view secret, std::string_view issuer, std::string_view account);

// RFC 4648 base32 (upper case, '=' padded), as shown to users who type the
// secret instead of scanning the QR code.
std::string Base32Encode(std::string_view bytes);

}  // namespace dancu::crypto
