#include "crypto/jwt.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "crypto/encoding.h"

namespace dancu::crypto {
namespace {

constexpr size_t kSignatureBytes = 64;

struct Parts {
  std::string_view header, payload, signature;
  std::string_view signing_input;  // header "." payload, as received
};

std::optional<Parts> Split(std::string_view token) {
  const size_t a = token.find('.');
  if (a == std::string_view::npos) return std::nullopt;
  const size_t b = token.find('.', a + 1);
  if (b == std::string_view::npos || token.find('.', b + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  return Parts{token.substr(0, a), token.substr(a + 1, b - a - 1), token.substr(b + 1),
               token.substr(0, b)};
}

std::optional<boost::json::object> DecodeObject(std::string_view part) {
  const auto bytes = Base64UrlDecode(part);
  if (!bytes) return std::nullopt;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(*bytes, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

std::unexpected<Error> Malformed(std::string message) {
  return Fail("token.malformed", std::move(message));
}

}  // namespace

std::string SignJwt(const EcKey& key, std::string_view kid, const boost::json::object& claims,
                    std::string_view typ) {
  boost::json::object header;
  header["alg"] = "ES256";
  header["kid"] = kid;
  if (!typ.empty()) header["typ"] = typ;
  std::string token = Base64UrlEncode(boost::json::serialize(header));
  token += '.';
  token += Base64UrlEncode(boost::json::serialize(claims));
  const std::string sig = key.SignRaw(token);
  token += '.';
  token += Base64UrlEncode(sig);
  return token;
}

Result<VerifiedJws> VerifyJws(std::string_view token, const KeyForKid& key_for_kid) {
  const auto parts = Split(token);
  if (!parts) return Malformed("a JWT has three dot-separated parts");
  auto header = DecodeObject(parts->header);
  if (!header) return Malformed("the JWT header is not base64url of a JSON object");

  // Exactly one algorithm is accepted, whatever the key: this is what stops
  // "none" and HS256-with-the-public-key forgeries.
  const auto* alg = header->if_contains("alg");
  if (alg == nullptr || !alg->is_string() || alg->as_string() != "ES256") {
    return Fail("token.bad_alg", "only ES256 is accepted");
  }
  if (header->contains("crit")) {
    return Fail("token.bad_alg", "no JWS extension (crit) is understood");
  }

  const auto signature = Base64UrlDecode(parts->signature);
  if (!signature || signature->size() != kSignatureBytes) {
    return Malformed("the JWT signature is not base64url of 64 bytes");
  }
  const auto* kid = header->if_contains("kid");
  if (kid == nullptr || !kid->is_string() || kid->as_string().empty()) {
    return Fail("token.unknown_key", "the JWT header names no key (kid)");
  }
  const auto& kid_str = kid->as_string();
  const EcKey* key = key_for_kid(std::string_view(kid_str.data(), kid_str.size()));
  if (key == nullptr) return Fail("token.unknown_key", "no key with this kid");
  if (!key->VerifyRaw(parts->signing_input, *signature)) {
    return Fail("token.bad_signature", "the JWT signature does not verify");
  }
  auto claims = DecodeObject(parts->payload);
  if (!claims) return Malformed("the JWT payload is not base64url of a JSON object");
  return VerifiedJws{std::move(*header), std::move(*claims)};
}

Result<boost::json::object> VerifyJwt(std::string_view token, const KeyForKid& key_for_kid) {
  auto jws = VerifyJws(token, key_for_kid);
  if (!jws) return std::unexpected(std::move(jws.error()));
  return std::move(jws->claims);
}

Result<boost::json::object> UnverifiedClaims(std::string_view token) {
  const auto parts = Split(token);
  if (!parts) return Malformed("a JWT has three dot-separated parts");
  if (!DecodeObject(parts->header)) {
    return Malformed("the JWT header is not base64url of a JSON object");
  }
  auto claims = DecodeObject(parts->payload);
  if (!claims) return Malformed("the JWT payload is not base64url of a JSON object");
  return std::move(*claims);
}

Status CheckTimeClaims(const boost::json::object& claims, Timestamp now,
                       std::chrono::seconds leeway) {
  const double now_s =
      static_cast<double>(now.time_since_epoch().count()) / 1e6;  // Timestamp is in µs
  const double slack = static_cast<double>(leeway.count());
  const auto number = [&](const char* name) -> std::optional<double> {
    const auto* v = claims.if_contains(name);
    if (v == nullptr || !v->is_number()) return std::nullopt;
    return v->to_number<double>();
  };
  const auto exp = number("exp");
  if (!exp) return Fail("token.malformed", "the token has no numeric exp", "exp");
  if (now_s >= *exp + slack) return Fail("token.expired", "the token has expired", "exp");
  for (const char* name : {"nbf", "iat"}) {
    if (!claims.contains(name)) continue;
    const auto t = number(name);
    if (!t) return Fail("token.malformed", std::string(name) + " is not a number", name);
    if (*t > now_s + slack) {
      return Fail("token.not_yet_valid", std::string("the token's ") + name + " is in the future",
                  name);
    }
  }
  return {};
}

}  // namespace dancu::crypto
