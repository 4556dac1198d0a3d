#include "crypto/jwks.h"

#include <boost/json/parse.hpp>

namespace dancu::crypto {

const EcKey* JwkSet::KeyFor(std::string_view kid) const {
  if (kid.empty()) return keys.size() == 1 ? &keys[0].second : nullptr;
  for (const auto& [k, key] : keys) {
    if (k == kid) return &key;
  }
  return nullptr;
}

Result<JwkSet> ParseJwks(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object() || !v.as_object().contains("keys") ||
      !v.as_object().at("keys").is_array()) {
    return Fail("client.bad_jwks", "the JWKS must be a JSON object {\"keys\": [...]}", "jwks");
  }
  JwkSet set;
  for (const auto& k : v.as_object().at("keys").as_array()) {
    if (!k.is_object()) return Fail("client.bad_jwks", "a JWK must be an object", "jwks");
    auto key = EcKey::FromPublicJwk(k.as_object());
    if (!key) {
      return Fail("client.bad_jwks", "only EC P-256 keys are accepted: " + key.error().message,
                  "jwks");
    }
    std::string kid;
    if (const auto* p = k.as_object().if_contains("kid"); p && p->is_string()) {
      kid = std::string(p->as_string());
    }
    set.keys.emplace_back(std::move(kid), std::move(*key));
  }
  if (set.keys.empty() || set.keys.size() > 10) {
    return Fail("client.bad_jwks", "the JWKS must hold 1-10 keys", "jwks");
  }
  return set;
}

}  // namespace dancu::crypto
