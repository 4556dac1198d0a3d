// Binary-to-text encodings used by tokens, keys and JWTs: base64url (RFC 4648
// §5, no padding, as JOSE and OAuth use it), standard base64 (RFC 4648 §4,
// padded) and lower-case hex. Implemented with libsodium's constant-time
// codecs (sodium_bin2base64 / sodium_base642bin / sodium_bin2hex), so
// decoding secrets does not leak them through timing.
//
// Errors: decoders return std::nullopt for any character outside the
// alphabet, bad padding (base64url must have none; standard base64 must be
// padded), impossible lengths, or non-zero trailing bits. Whitespace is never
// skipped.
//
// Thread safety: pure functions, callable from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dancu::crypto {

// base64url without '=' padding.
std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view text);

// Standard alphabet (+/), padded with '='.
std::string Base64Encode(std::string_view bytes);
std::optional<std::string> Base64Decode(std::string_view text);

// Lower-case hex, two characters per byte.
std::string HexEncode(std::string_view bytes);

// RFC 3986 percent-encoding of a URL component: every byte but the unreserved
// characters (ALPHA DIGIT - . _ ~) becomes %XX (upper-case hex). For query
// values, paths inside return_to parameters and redirect URLs.
std::string PercentEncode(std::string_view text);
// Accepts upper or lower case; an odd length or a non-hex character is nullopt.
std::optional<std::string> HexDecode(std::string_view text);

}  // namespace dancu::crypto
