// Compact JWS / JWT (RFC 7515, RFC 7519) signed with ES256 only: ID tokens,
// RFC 9068 access tokens (typ "at+jwt"), and verification of RFC 7523
// private_key_jwt client assertions.
//
// Why glued by hand on OpenSSL rather than a JWT library: Debian 12 ships
// libjwt 1.10, which has no JWK/JWKS import or export (we must publish
// /oidc/jwks and read clients' JWKS for private_key_jwt; JWKS support came
// in later libjwt releases), and takes keys as PEM text that its OpenSSL
// backend parses again on every sign and verify call (a key-per-call cost
// on the token endpoint's hot path). Its decode picks the algorithm from the
// token's header; we want the one accepted algorithm fixed here, and the
// key chosen by "kid" through a callback. A compact JWS is only
// base64url(header) "." base64url(payload) "." base64url(signature), and the
// JSON is Boost.JSON, which we already use; so the framing is done here, and
// every cryptographic operation (the SHA-256 and the ECDSA signature and its
// verification) is OpenSSL's, through ec_key.h. Accepting exactly one
// algorithm also removes the classic JWT pitfalls by construction
// ("alg":"none", HS256 keyed with a public key).
//
// Contract:
//  - SignJwt writes header {"alg":"ES256","kid":kid,"typ":typ} (typ omitted
//    when empty) and the claims as given; the key must have its private part.
//  - VerifyJws/VerifyJwt check, in this order, and fail with:
//      token.malformed      not three dot-separated parts, or a header that
//                           is not base64url (no padding) of a JSON object
//      token.bad_alg        header "alg" is anything but "ES256" (incl.
//                           "none", "HS256", missing), or "crit" is present
//      token.malformed      the signature is not base64url of 64 bytes
//      token.unknown_key    header "kid" missing, not a string, empty, or
//                           key_for_kid(kid) returned nullptr
//      token.bad_signature  the signature does not verify with that key
//      token.malformed      the (signed) payload is not base64url of a JSON
//                           object
//    They do NOT check time claims, audience or issuer: call CheckTimeClaims
//    and compare "iss"/"aud" yourself. key_for_kid is called at most once,
//    synchronously; the pointer need only stay valid during the call.
//  - UnverifiedClaims decodes the payload WITHOUT checking anything but the
//    framing (token.malformed): only for choosing which keys to verify with
//    (e.g. a client assertion's "iss" names the client). Never trust it.
//  - CheckTimeClaims: "exp" is required and must be a number
//    (token.malformed, field "exp"); now >= exp + leeway -> token.expired;
//    "nbf" or "iat" (optional; token.malformed if not numbers) > now + leeway
//    -> token.not_yet_valid. Times are NumericDate (seconds, may be fractional).
//
// Thread safety: all functions are callable from any thread.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "core/clock.h"
#include "core/error.h"
#include "crypto/ec_key.h"

namespace dancu::crypto {

using KeyForKid = std::function<const EcKey*(std::string_view kid)>;

std::string SignJwt(const EcKey& key, std::string_view kid, const boost::json::object& claims,
                    std::string_view typ = "JWT");

struct VerifiedJws {
  boost::json::object header;  // alg, kid, typ, ...
  boost::json::object claims;
};

Result<VerifiedJws> VerifyJws(std::string_view token, const KeyForKid& key_for_kid);
Result<boost::json::object> VerifyJwt(std::string_view token, const KeyForKid& key_for_kid);

Result<boost::json::object> UnverifiedClaims(std::string_view token);

Status CheckTimeClaims(const boost::json::object& claims, Timestamp now,
                       std::chrono::seconds leeway);

}  // namespace dancu::crypto
