#include "crypto/ec_key.h"

#include <cstring>
#include <stdexcept>

#include <boost/json/serialize.hpp>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/pem.h>

#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace dancu::crypto {
namespace {

constexpr size_t kCoordBytes = 32;
constexpr char kGroup[] = "prime256v1";  // OpenSSL's name for P-256

struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
struct SigFree {
  void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); }
};
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using Bio = std::unique_ptr<BIO, BioFree>;
using Bn = std::unique_ptr<BIGNUM, BnFree>;
using Sig = std::unique_ptr<ECDSA_SIG, SigFree>;

std::shared_ptr<EVP_PKEY> Own(EVP_PKEY* p) { return {p, &EVP_PKEY_free}; }

bool IsP256(EVP_PKEY* pkey) {
  if (EVP_PKEY_is_a(pkey, "EC") != 1) return false;
  char name[64] = {};
  size_t len = 0;
  if (EVP_PKEY_get_group_name(pkey, name, sizeof name, &len) != 1) return false;
  return std::strcmp(name, kGroup) == 0 || std::strcmp(name, "P-256") == 0;
}

std::string Coordinate(EVP_PKEY* pkey, const char* param) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, param, &raw) != 1) {
    throw std::runtime_error("EC key without public coordinates");
  }
  Bn bn(raw);
  std::string out(kCoordBytes, '\0');
  if (BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char*>(out.data()), kCoordBytes) !=
      static_cast<int>(kCoordBytes)) {
    throw std::runtime_error("EC coordinate too large");
  }
  return out;
}

// A public P-256 key from its coordinates; nullptr if (x, y) is not a point
// of the curve (OpenSSL checks it when decoding, and again in public_check).
EVP_PKEY* PublicFromXY(std::string_view x, std::string_view y) {
  unsigned char pub[1 + 2 * kCoordBytes];
  pub[0] = 0x04;  // uncompressed point (SEC 1 §2.3.3)
  std::memcpy(pub + 1, x.data(), kCoordBytes);
  std::memcpy(pub + 1 + kCoordBytes, y.data(), kCoordBytes);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>(kGroup), 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof pub),
      OSSL_PARAM_construct_end()};
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* pkey = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) {
    ERR_clear_error();
    return nullptr;
  }
  PkeyCtx check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) {
    ERR_clear_error();
    EVP_PKEY_free(pkey);
    return nullptr;
  }
  return pkey;
}

int NoPassword(char*, int, int, void*) { return -1; }  // never prompt on a terminal

}  // namespace

EcKey::EcKey(std::shared_ptr<EVP_PKEY> pkey, bool has_private)
    : pkey_(std::move(pkey)), has_private_(has_private) {}

EcKey EcKey::Generate() {
  EVP_PKEY* pkey = EVP_EC_gen(kGroup);
  if (pkey == nullptr) throw std::runtime_error("P-256 key generation failed");
  return EcKey(Own(pkey), true);
}

Result<EcKey> EcKey::FromPrivatePem(std::string_view pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) throw std::runtime_error("BIO_new_mem_buf failed");
  EVP_PKEY* raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, &NoPassword, nullptr);
  if (raw == nullptr) {
    ERR_clear_error();
    return Fail("crypto.bad_pem", "not an unencrypted PEM private key");
  }
  auto pkey = Own(raw);
  if (!IsP256(raw)) return Fail("crypto.wrong_curve", "the key is not a P-256 (ES256) key");
  return EcKey(std::move(pkey), true);
}

Result<EcKey> EcKey::FromPublicJwk(const boost::json::object& jwk) {
  const auto str = [&](const char* name) -> const boost::json::string* {
    const auto* v = jwk.if_contains(name);
    return v != nullptr ? v->if_string() : nullptr;
  };
  const auto* kty = str("kty");
  if (kty == nullptr || *kty != "EC") return Fail("crypto.bad_jwk", "kty must be \"EC\"", "kty");
  const auto* crv = str("crv");
  if (crv == nullptr || *crv != "P-256") {
    return Fail("crypto.bad_jwk", "crv must be \"P-256\"", "crv");
  }
  std::string coords[2];
  const char* names[2] = {"x", "y"};
  for (int i = 0; i < 2; ++i) {
    const auto* s = str(names[i]);
    std::optional<std::string> bytes;
    if (s != nullptr) bytes = Base64UrlDecode(std::string_view(s->data(), s->size()));
    if (!bytes || bytes->size() != kCoordBytes) {
      return Fail("crypto.bad_jwk",
                  std::string(names[i]) + " must be base64url of 32 bytes", names[i]);
    }
    coords[i] = std::move(*bytes);
  }
  EVP_PKEY* pkey = PublicFromXY(coords[0], coords[1]);
  if (pkey == nullptr) return Fail("crypto.bad_jwk", "(x, y) is not a point on P-256", "x");
  return EcKey(Own(pkey), false);
}

std::string EcKey::PrivatePem() const {
  if (!has_private_) throw std::logic_error("PrivatePem on a public key");
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), pkey_.get(), nullptr, nullptr, 0, nullptr,
                                       nullptr) != 1) {
    throw std::runtime_error("PEM_write_bio_PrivateKey failed");
  }
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string EcKey::X() const { return Coordinate(pkey_.get(), OSSL_PKEY_PARAM_EC_PUB_X); }
std::string EcKey::Y() const { return Coordinate(pkey_.get(), OSSL_PKEY_PARAM_EC_PUB_Y); }

boost::json::object EcKey::PublicJwk(std::string_view kid) const {
  boost::json::object jwk;
  jwk["kty"] = "EC";
  jwk["crv"] = "P-256";
  jwk["x"] = Base64UrlEncode(X());
  jwk["y"] = Base64UrlEncode(Y());
  if (!kid.empty()) jwk["kid"] = kid;
  jwk["use"] = "sig";
  jwk["alg"] = "ES256";
  return jwk;
}

std::string EcKey::Thumbprint() const {
  // RFC 7638 §3.2: the required members only, lexicographic order, no
  // whitespace. Base64url values need no JSON escaping.
  const std::string canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" +
                                Base64UrlEncode(X()) + "\",\"y\":\"" + Base64UrlEncode(Y()) +
                                "\"}";
  return Base64UrlEncode(AsBytes(Sha256(canonical)));
}

EcKey EcKey::PublicOnly() const {
  EVP_PKEY* pkey = PublicFromXY(X(), Y());
  if (pkey == nullptr) throw std::runtime_error("cannot copy a public key");
  return EcKey(Own(pkey), false);
}

std::string EcKey::SignRaw(std::string_view data) const {
  if (!has_private_) throw std::logic_error("SignRaw on a public key");
  MdCtx md(EVP_MD_CTX_new());
  size_t der_len = 0;
  unsigned char der[80];  // an ECDSA-Sig-Value for P-256 is at most 72 bytes
  der_len = sizeof der;
  if (!md || EVP_DigestSignInit(md.get(), nullptr, EVP_sha256(), nullptr, pkey_.get()) != 1 ||
      EVP_DigestSign(md.get(), der, &der_len, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1) {
    throw std::runtime_error("ES256 signing failed");
  }
  const unsigned char* p = der;
  Sig sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_len)));
  if (!sig) throw std::runtime_error("ES256: bad DER signature from OpenSSL");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::string out(2 * kCoordBytes, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  if (BN_bn2binpad(r, o, kCoordBytes) != static_cast<int>(kCoordBytes) ||
      BN_bn2binpad(s, o + kCoordBytes, kCoordBytes) != static_cast<int>(kCoordBytes)) {
    throw std::runtime_error("ES256: r or s too large");
  }
  return out;
}

bool EcKey::VerifyRaw(std::string_view data, std::string_view sig64) const {
  if (sig64.size() != 2 * kCoordBytes) return false;
  const auto* in = reinterpret_cast<const unsigned char*>(sig64.data());
  Sig sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(in, kCoordBytes, nullptr);
  BIGNUM* s = BN_bin2bn(in + kCoordBytes, kCoordBytes, nullptr);
  if (!sig || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    throw std::runtime_error("ECDSA_SIG allocation failed");
  }
  unsigned char* der = nullptr;
  const int der_len = i2d_ECDSA_SIG(sig.get(), &der);
  if (der_len <= 0) throw std::runtime_error("i2d_ECDSA_SIG failed");
  MdCtx md(EVP_MD_CTX_new());
  const bool ok =
      md && EVP_DigestVerifyInit(md.get(), nullptr, EVP_sha256(), nullptr, pkey_.get()) == 1 &&
      EVP_DigestVerify(md.get(), der, static_cast<size_t>(der_len),
                       reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  OPENSSL_free(der);
  if (!ok) ERR_clear_error();
  return ok;
}

}  // namespace dancu::crypto
