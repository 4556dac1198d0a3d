// EcKey: a P-256 (secp256r1) key pair or public key, for ES256 signatures
// (RFC 7518 §3.4) on ID tokens, access tokens and client assertions, with
// JWK import/export (RFC 7517/7518 §6.2) and the RFC 7638 thumbprint.
// Built on OpenSSL 3's EVP_PKEY API; no cryptography is done here by hand.
//
// Contract:
//  - Generate() makes a new random key pair.
//  - FromPrivatePem reads a PKCS#8 "PRIVATE KEY" or SEC1 "EC PRIVATE KEY" PEM
//    (what PrivatePem writes: unencrypted PKCS#8; seal it with secret_box.h
//    before storing). Errors: crypto.bad_pem (not PEM, not a private key),
//    crypto.wrong_curve (an EC key on another curve, or not EC at all).
//  - FromPublicJwk accepts {"kty":"EC","crv":"P-256","x":..,"y":..} where x
//    and y are base64url of exactly 32 bytes each and (x, y) is a point on
//    P-256; other members (kid, use, alg, "d"...) are ignored, so it always
//    yields a public-only key. Error: crypto.bad_jwk (field names the
//    member at fault: "kty", "crv", "x", "y").
//  - PublicJwk(kid) returns {"kty","crv","x","y","kid","use":"sig","alg":"ES256"}
//    (kid omitted when empty) for a JWKS document; never the private part.
//  - Thumbprint() is base64url(SHA-256 of {"crv":"P-256","kty":"EC","x":..,"y":..}),
//    the members in that order without whitespace (RFC 7638 §3); a good kid.
//  - SignRaw(data) returns the 64-byte ES256 signature r||s (each 32 bytes,
//    big-endian, left-padded) over SHA-256(data); it needs has_private()
//    (calling it on a public key is a programming error: std::logic_error).
//  - VerifyRaw(data, sig64) is true only for a valid 64-byte r||s signature;
//    any other length is false. (OpenSSL's DER ECDSA-Sig-Value is converted
//    both ways here.)
//
// Copying an EcKey shares the same immutable OpenSSL key (reference counted).
// Thread safety: const methods may be called from any number of threads at
// once; each call uses its own EVP_PKEY_CTX / EVP_MD_CTX.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "core/error.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace dancu::crypto {

class EcKey {
 public:
  static EcKey Generate();
  static Result<EcKey> FromPrivatePem(std::string_view pem);
  static Result<EcKey> FromPublicJwk(const boost::json::object& jwk);

  std::string PrivatePem() const;  // requires has_private()
  boost::json::object PublicJwk(std::string_view kid) const;
  std::string Thumbprint() const;
  bool has_private() const { return has_private_; }

  // The same key without its private part.
  EcKey PublicOnly() const;

  std::string SignRaw(std::string_view data) const;
  bool VerifyRaw(std::string_view data, std::string_view sig64) const;

  // The raw affine coordinates, 32 bytes each (big-endian).
  std::string X() const;
  std::string Y() const;

 private:
  EcKey(std::shared_ptr<EVP_PKEY> pkey, bool has_private);
  std::shared_ptr<EVP_PKEY> pkey_;
  bool has_private_ = false;
};

}  // namespace dancu::crypto
