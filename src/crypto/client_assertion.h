// client_assertion: verifies an RFC 7523 §2.2 client assertion, the ES256 JWT
// a private_key_jwt client signs to authenticate (OIDC Core §9; used by the
// OpenID Connect token endpoint and the hub's agency token endpoint).
//
// VerifyClientAssertion checks, in order:
//  - the JWT is well formed and names its client in iss (client.assertion);
//  - `keys_for(iss)` knows the client (nullptr -> client.unknown);
//  - the ES256 signature verifies with the key its kid names;
//  - sub == iss;
//  - exp, nbf and iat against `now` with `leeway` (crypto/jwt.h
//    CheckTimeClaims), and exp at most `max_ahead` after now;
//  - aud (a string or an array) contains one of `audiences`;
//  - a jti of 1-256 characters.
// Replay (a jti seen before) is the caller's check: it needs storage.
//
// Errors: client.assertion with a message that says which check failed
// (the OAuth endpoints answer invalid_client with it), client.unknown.
// Thread safety: pure function.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "crypto/jwks.h"

namespace dancu::crypto {

struct ClientAssertion {
  std::string client_id;  // iss = sub
  std::string jti;
  int64_t exp = 0;  // Unix seconds
};

using KeysForClient = std::function<const JwkSet*(std::string_view client_id)>;

Result<ClientAssertion> VerifyClientAssertion(std::string_view jwt, const KeysForClient& keys_for,
                                              const std::vector<std::string>& audiences,
                                              Timestamp now, std::chrono::seconds leeway,
                                              std::chrono::seconds max_ahead);

}  // namespace dancu::crypto
