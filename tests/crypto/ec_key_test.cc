#include "crypto/ec_key.h"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <boost/json/parse.hpp>

#include "crypto/encoding.h"

namespace dancu::crypto {
namespace {

// RFC 7515 appendix A.3: the ES256 example key and its signed JWS.
constexpr char kX[] = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
constexpr char kY[] = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
constexpr char kSigningInput[] =
    "eyJhbGciOiJFUzI1NiJ9."
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
constexpr char kSignature[] =
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

boost::json::object RfcJwk() {
  return boost::json::object{{"kty", "EC"}, {"crv", "P-256"}, {"x", kX}, {"y", kY}};
}

TEST(EcKey, VerifiesTheRfc7515Es256Example) {
  const auto key = EcKey::FromPublicJwk(RfcJwk());
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_FALSE(key->has_private());
  const auto sig = Base64UrlDecode(kSignature);
  ASSERT_TRUE(sig);
  EXPECT_TRUE(key->VerifyRaw(kSigningInput, *sig));
  EXPECT_FALSE(key->VerifyRaw(std::string(kSigningInput) + "x", *sig));
}

TEST(EcKey, Rfc7638Thumbprint) {
  // Computed independently: base64url(SHA-256('{"crv":"P-256","kty":"EC","x":"f83O...","y":"x_FE..."}')).
  const auto key = EcKey::FromPublicJwk(RfcJwk());
  ASSERT_TRUE(key);
  EXPECT_EQ(key->Thumbprint(), "oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U");
}

TEST(EcKey, SignVerifyRoundTrip) {
  const EcKey key = EcKey::Generate();
  ASSERT_TRUE(key.has_private());
  const std::string sig = key.SignRaw("hello");
  ASSERT_EQ(sig.size(), 64u);
  EXPECT_TRUE(key.VerifyRaw("hello", sig));
  EXPECT_TRUE(key.PublicOnly().VerifyRaw("hello", sig));
  EXPECT_FALSE(key.VerifyRaw("hellO", sig));
  std::string flipped = sig;
  flipped[10] ^= 1;
  EXPECT_FALSE(key.VerifyRaw("hello", flipped));
  EXPECT_FALSE(key.VerifyRaw("hello", sig.substr(0, 63)));
  EXPECT_FALSE(key.VerifyRaw("hello", std::string(64, '\0')));  // r = s = 0
  EXPECT_FALSE(EcKey::Generate().VerifyRaw("hello", sig));       // another key
}

TEST(EcKey, PemRoundTrip) {
  const EcKey key = EcKey::Generate();
  const std::string pem = key.PrivatePem();
  EXPECT_EQ(pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  const auto back = EcKey::FromPrivatePem(pem);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_TRUE(back->has_private());
  EXPECT_EQ(back->Thumbprint(), key.Thumbprint());
  EXPECT_TRUE(key.VerifyRaw("data", back->SignRaw("data")));
}

TEST(EcKey, PemErrors) {
  EXPECT_EQ(EcKey::FromPrivatePem("").error().code, "crypto.bad_pem");
  EXPECT_EQ(EcKey::FromPrivatePem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
                .error()
                .code,
            "crypto.bad_pem");
  // A P-384 key is refused: ES256 is P-256 only.
  EVP_PKEY* p384 = EVP_EC_gen("secp384r1");
  ASSERT_NE(p384, nullptr);
  BIO* bio = BIO_new(BIO_s_mem());
  ASSERT_EQ(PEM_write_bio_PrivateKey(bio, p384, nullptr, nullptr, 0, nullptr, nullptr), 1);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  const std::string pem(data, static_cast<size_t>(n));
  BIO_free(bio);
  EVP_PKEY_free(p384);
  EXPECT_EQ(EcKey::FromPrivatePem(pem).error().code, "crypto.wrong_curve");
}

TEST(EcKey, JwkRoundTrip) {
  const EcKey key = EcKey::Generate();
  const boost::json::object jwk = key.PublicJwk("k1");
  EXPECT_EQ(jwk.at("kty"), "EC");
  EXPECT_EQ(jwk.at("crv"), "P-256");
  EXPECT_EQ(jwk.at("kid"), "k1");
  EXPECT_EQ(jwk.at("alg"), "ES256");
  EXPECT_EQ(jwk.at("use"), "sig");
  EXPECT_FALSE(jwk.contains("d"));
  EXPECT_EQ(jwk.at("x").as_string().size(), 43u);
  const auto back = EcKey::FromPublicJwk(jwk);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->Thumbprint(), key.Thumbprint());
  EXPECT_TRUE(back->VerifyRaw("m", key.SignRaw("m")));
  EXPECT_FALSE(key.PublicJwk("").contains("kid"));
}

TEST(EcKey, ThumbprintIsStableAndDistinct) {
  const EcKey a = EcKey::Generate();
  EXPECT_EQ(a.Thumbprint(), a.PublicOnly().Thumbprint());
  EXPECT_EQ(a.Thumbprint().size(), 43u);
  EXPECT_NE(a.Thumbprint(), EcKey::Generate().Thumbprint());
}

TEST(EcKey, JwkErrors) {
  const auto code_field = [](boost::json::object jwk) {
    const auto r = EcKey::FromPublicJwk(jwk);
    return r ? std::string("ok") : r.error().code + "/" + r.error().field;
  };
  auto jwk = RfcJwk();
  EXPECT_EQ(code_field(jwk), "ok");
  jwk["kty"] = "RSA";
  EXPECT_EQ(code_field(jwk), "crypto.bad_jwk/kty");
  jwk = RfcJwk();
  jwk.erase("kty");
  EXPECT_EQ(code_field(jwk), "crypto.bad_jwk/kty");
  jwk = RfcJwk();
  jwk["crv"] = "P-384";
  EXPECT_EQ(code_field(jwk), "crypto.bad_jwk/crv");
  jwk = RfcJwk();
  jwk["x"] = std::string(kX).substr(0, 42);  // 31 bytes
  EXPECT_EQ(code_field(jwk), "crypto.bad_jwk/x");
  jwk = RfcJwk();
  jwk["x"] = std::string(kX) + "=";  // padding is not base64url
  EXPECT_EQ(code_field(jwk), "crypto.bad_jwk/x");
  jwk = RfcJwk();
  jwk["y"] = 5;
  EXPECT_EQ(code_field(jwk), "crypto.bad_jwk/y");
  // Not on the curve: y with its last bits changed.
  jwk = RfcJwk();
  std::string y = kY;
  y[40] = y[40] == 'A' ? 'B' : 'A';
  jwk["y"] = y;
  EXPECT_EQ(code_field(jwk), "crypto.bad_jwk/x");
  // All zeros (the point at infinity has no affine form).
  jwk = RfcJwk();
  jwk["x"] = Base64UrlEncode(std::string(32, '\0'));
  jwk["y"] = Base64UrlEncode(std::string(32, '\0'));
  EXPECT_EQ(code_field(jwk), "crypto.bad_jwk/x");
}

TEST(EcKey, ConcurrentUseOfOneKey) {
  // One key shared by threads, as the token endpoint does: const methods
  // must be safe without a lock.
  const EcKey key = EcKey::Generate();
  const EcKey copy = key;  // shares the same OpenSSL key
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        const std::string msg = std::to_string(t * 1000 + i);
        if (copy.VerifyRaw(msg, key.SignRaw(msg)) && !key.VerifyRaw(msg + "x", copy.SignRaw(msg))) {
          ++good;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(good.load(), 400);
}

TEST(EcKey, PrivateOperationsNeedAPrivateKey) {
  const EcKey pub = EcKey::Generate().PublicOnly();
  EXPECT_THROW(pub.SignRaw("x"), std::logic_error);
  EXPECT_THROW(pub.PrivatePem(), std::logic_error);
}

}  // namespace
}  // namespace dancu::crypto
