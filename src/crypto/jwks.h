// JwkSet: a client's public keys, parsed from a JWKS document (RFC 7517
// {"keys":[...]}), EC P-256 only (the ES256 keys that private_key_jwt
// clients register: OpenID Connect relying parties, identity/clients.h, and
// agency API clients, hub/members.h).
//
// KeyFor(kid) is the key a JWS names; with an empty kid, the only key when
// exactly one is registered; nullptr otherwise.
//
// Errors (ParseJwks): client.bad_jwks, field "jwks" (not a JWKS, a key that
// is not EC P-256, fewer than 1 or more than 10 keys).
// Thread safety: immutable after parsing.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "crypto/ec_key.h"

namespace dancu::crypto {

struct JwkSet {
  std::vector<std::pair<std::string, EcKey>> keys;  // (kid, key)
  const EcKey* KeyFor(std::string_view kid) const;
};

Result<JwkSet> ParseJwks(std::string_view text);

}  // namespace dancu::crypto
