#include "crypto/jwt.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace dancu::crypto {
namespace {

using namespace std::chrono_literals;

class JwtTest : public ::testing::Test {
 protected:
  const EcKey key_ = EcKey::Generate();
  const EcKey other_ = EcKey::Generate();
  KeyForKid lookup_ = [this](std::string_view kid) -> const EcKey* {
    if (kid == "k1") return &key_;
    if (kid == "k2") return &other_;
    return nullptr;
  };
  boost::json::object claims_{{"iss", "https://id.example.vn"}, {"sub", "abc"}, {"exp", 2000},
                              {"iat", 1000}};

  std::string Code(std::string_view token) {
    const auto r = VerifyJwt(token, lookup_);
    return r ? "ok" : r.error().code;
  }
  static std::string Part(const std::string& token, int i) {
    size_t start = 0;
    for (int k = 0; k < i; ++k) start = token.find('.', start) + 1;
    return token.substr(start, token.find('.', start) - start);
  }
};

TEST_F(JwtTest, RoundTrip) {
  const std::string token = SignJwt(key_, "k1", claims_);
  const auto jws = VerifyJws(token, lookup_);
  ASSERT_TRUE(jws) << jws.error().code;
  EXPECT_EQ(jws->claims, claims_);
  EXPECT_EQ(jws->header.at("alg"), "ES256");
  EXPECT_EQ(jws->header.at("kid"), "k1");
  EXPECT_EQ(jws->header.at("typ"), "JWT");
  EXPECT_EQ(*VerifyJwt(token, lookup_), claims_);
  EXPECT_EQ(*UnverifiedClaims(token), claims_);
}

TEST_F(JwtTest, TypHeader) {
  const std::string at = SignJwt(key_, "k1", claims_, "at+jwt");
  EXPECT_EQ(VerifyJws(at, lookup_)->header.at("typ"), "at+jwt");
  const std::string none = SignJwt(key_, "k1", claims_, "");
  EXPECT_FALSE(VerifyJws(none, lookup_)->header.contains("typ"));
}

TEST_F(JwtTest, VerifiesWithPublicKeyFromJwk) {
  const auto pub = EcKey::FromPublicJwk(key_.PublicJwk("k1"));
  ASSERT_TRUE(pub);
  const std::string token = SignJwt(key_, "k1", claims_);
  EXPECT_TRUE(VerifyJwt(token, [&](std::string_view) { return &*pub; }));
}

TEST_F(JwtTest, TamperedPayload) {
  const std::string token = SignJwt(key_, "k1", claims_);
  boost::json::object evil = claims_;
  evil["sub"] = "someone else";
  const std::string forged = Part(token, 0) + "." +
                             Base64UrlEncode(boost::json::serialize(evil)) + "." + Part(token, 2);
  EXPECT_EQ(Code(forged), "token.bad_signature");
}

TEST_F(JwtTest, WrongKeyForKid) {
  // Signed by key_ but claiming k2.
  const std::string token = SignJwt(key_, "k2", claims_);
  EXPECT_EQ(Code(token), "token.bad_signature");
}

TEST_F(JwtTest, AlgNoneRefused) {
  const std::string header = Base64UrlEncode(R"({"alg":"none","kid":"k1","typ":"JWT"})");
  const std::string payload = Base64UrlEncode(boost::json::serialize(claims_));
  EXPECT_EQ(Code(header + "." + payload + "."), "token.bad_alg");
  const std::string none2 = Base64UrlEncode(R"({"alg":"None","kid":"k1"})");
  EXPECT_EQ(Code(none2 + "." + payload + "."), "token.bad_alg");
}

TEST_F(JwtTest, Hs256WithThePublicKeyRefused) {
  // The classic confusion attack: HMAC keyed with the public key's bytes.
  const std::string header = Base64UrlEncode(R"({"alg":"HS256","kid":"k1"})");
  const std::string payload = Base64UrlEncode(boost::json::serialize(claims_));
  const std::string input = header + "." + payload;
  const std::string mac = Base64UrlEncode(AsBytes(HmacSha256(key_.X() + key_.Y(), input)));
  EXPECT_EQ(Code(input + "." + mac), "token.bad_alg");
}

TEST_F(JwtTest, MissingOrOtherAlg) {
  const std::string payload = Base64UrlEncode(boost::json::serialize(claims_));
  const std::string sig = Base64UrlEncode(std::string(64, 'x'));
  for (const char* h : {R"({"kid":"k1"})", R"({"alg":"ES384","kid":"k1"})",
                        R"({"alg":"RS256","kid":"k1"})", R"({"alg":["ES256"],"kid":"k1"})",
                        R"({"alg":"ES256","kid":"k1","crit":["exp"]})"}) {
    SCOPED_TRACE(h);
    EXPECT_EQ(Code(Base64UrlEncode(h) + "." + payload + "." + sig), "token.bad_alg");
  }
}

TEST_F(JwtTest, UnknownOrMissingKid) {
  EXPECT_EQ(Code(SignJwt(key_, "k9", claims_)), "token.unknown_key");
  EXPECT_EQ(Code(SignJwt(key_, "", claims_)), "token.unknown_key");
  const std::string token = SignJwt(key_, "k1", claims_);
  const std::string no_kid = Base64UrlEncode(R"({"alg":"ES256"})");
  EXPECT_EQ(Code(no_kid + "." + Part(token, 1) + "." + Part(token, 2)), "token.unknown_key");
  const std::string num_kid = Base64UrlEncode(R"({"alg":"ES256","kid":1})");
  EXPECT_EQ(Code(num_kid + "." + Part(token, 1) + "." + Part(token, 2)), "token.unknown_key");
}

TEST_F(JwtTest, Malformed) {
  const std::string token = SignJwt(key_, "k1", claims_);
  const std::string h = Part(token, 0), p = Part(token, 1), s = Part(token, 2);
  EXPECT_EQ(Code(""), "token.malformed");
  EXPECT_EQ(Code(h + "." + p), "token.malformed");
  EXPECT_EQ(Code(token + "."), "token.malformed");
  EXPECT_EQ(Code(h + "." + p + "." + s + ".x"), "token.malformed");
  EXPECT_EQ(Code(h + "=." + p + "." + s), "token.malformed");          // padding
  EXPECT_EQ(Code(Base64UrlEncode("not json") + "." + p + "." + s), "token.malformed");
  EXPECT_EQ(Code(Base64UrlEncode("[1,2]") + "." + p + "." + s), "token.malformed");
  EXPECT_EQ(Code(h + "." + p + "." + s.substr(0, 40)), "token.malformed");  // short signature
  EXPECT_EQ(Code(h + "." + p + "." + s + "A"), "token.malformed");
  EXPECT_EQ(UnverifiedClaims("a.b").error().code, "token.malformed");
  // A correctly signed payload that is not a JSON object.
  const std::string input = h + "." + Base64UrlEncode("\"a string\"");
  EXPECT_EQ(Code(input + "." + Base64UrlEncode(key_.SignRaw(input))), "token.malformed");
}

TEST(CheckTimeClaims, ExpiryAndNotBefore) {
  const auto at = [](double s) {
    return Timestamp{std::chrono::microseconds{static_cast<int64_t>(s * 1e6)}};
  };
  const auto code = [](const Status& s) { return s ? std::string("ok") : s.error().code; };
  const boost::json::object c{{"exp", 1000}, {"iat", 900}, {"nbf", 900}};
  EXPECT_EQ(code(CheckTimeClaims(c, at(950), 0s)), "ok");
  EXPECT_EQ(code(CheckTimeClaims(c, at(999.9), 0s)), "ok");
  EXPECT_EQ(code(CheckTimeClaims(c, at(1000), 0s)), "token.expired");
  EXPECT_EQ(code(CheckTimeClaims(c, at(1059), 60s)), "ok");
  EXPECT_EQ(code(CheckTimeClaims(c, at(1060), 60s)), "token.expired");
  EXPECT_EQ(code(CheckTimeClaims(c, at(899), 0s)), "token.not_yet_valid");
  EXPECT_EQ(code(CheckTimeClaims(c, at(850), 60s)), "ok");
  EXPECT_EQ(code(CheckTimeClaims({{"iat", 900}}, at(950), 0s)), "token.malformed");
  EXPECT_EQ(code(CheckTimeClaims({{"exp", "1000"}}, at(950), 0s)), "token.malformed");
  EXPECT_EQ(code(CheckTimeClaims({{"exp", 1000}, {"nbf", "x"}}, at(950), 0s)),
            "token.malformed");
  EXPECT_EQ(code(CheckTimeClaims({{"exp", 1000.5}}, at(1000.4), 0s)), "ok");
  EXPECT_EQ(CheckTimeClaims(c, at(1000), 0s).error().field, "exp");
}

TEST_F(JwtTest, ExpiredTokenAfterVerify) {
  const std::string token = SignJwt(key_, "k1", claims_);  // exp 2000
  const auto claims = VerifyJwt(token, lookup_);
  ASSERT_TRUE(claims);
  EXPECT_EQ(CheckTimeClaims(*claims, Timestamp{std::chrono::seconds{2001}}, 0s).error().code,
            "token.expired");
}

}  // namespace
}  // namespace dancu::crypto
