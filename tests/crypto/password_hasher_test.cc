#include "crypto/password_hasher.h"

#include <gtest/gtest.h>
#include <sodium.h>

namespace dancu::crypto {
namespace {

TEST(PasswordHasher, Argon2idAtOwaspParameters) {
  const std::string h = HashPassword("correct horse battery staple");
  EXPECT_EQ(h.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << h;
  EXPECT_LT(h.size(), 128u);
  EXPECT_TRUE(VerifyPassword(h, "correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword(h, "correct horse battery stapl"));
  EXPECT_FALSE(VerifyPassword(h, ""));
  EXPECT_FALSE(PasswordNeedsRehash(h));
}

TEST(PasswordHasher, SaltedSoSamePasswordHashesDifferently) {
  EXPECT_NE(HashPassword("mật khẩu rất dài"), HashPassword("mật khẩu rất dài"));
}

TEST(PasswordHasher, UnicodeNormalisedBeforeHashing) {
  // "mật khẩu" precomposed (NFC) and decomposed (NFD): the same password.
  const std::string nfc = "m\u1eadt kh\u1ea9u 2025";
  const std::string nfd = "ma\u0323\u0302t kha\u0302\u0309u 2025";
  ASSERT_NE(nfc, nfd);
  EXPECT_EQ(NormalizePassword(nfd), nfc);
  EXPECT_TRUE(VerifyPassword(HashPassword(nfc), nfd));
  EXPECT_TRUE(VerifyPassword(HashPassword(nfd), nfc));
  EXPECT_FALSE(VerifyPassword(HashPassword(nfc), "mat khau 2025"));
  // Invalid UTF-8 is hashed as the bytes given.
  EXPECT_EQ(NormalizePassword("abc\xff"), "abc\xff");
  EXPECT_TRUE(VerifyPassword(HashPassword("abc\xff" "defgh"), "abc\xff" "defgh"));
}

TEST(PasswordHasher, ExactBytesIncludingNul) {
  const std::string pw("abc\0def", 7);
  const std::string h = HashPassword(pw);
  EXPECT_TRUE(VerifyPassword(h, pw));
  EXPECT_FALSE(VerifyPassword(h, "abc"));
}

TEST(PasswordHasher, MalformedOrForeignStoredValuesNeverVerify) {
  EXPECT_FALSE(VerifyPassword("", "x"));
  EXPECT_FALSE(VerifyPassword("not a hash", "not a hash"));
  EXPECT_FALSE(VerifyPassword(std::string(300, 'a'), "x"));
  // An argon2i (not id) hash, as libsodium would make it: refused.
  EXPECT_FALSE(VerifyPassword(
      "$argon2i$v=19$m=32768,t=4,p=1$c29tZXNhbHQ$iWh06vD8Fy27wf9npn6FXWiCX4K6pW6Ue1Bnzz07Z8A",
      "password"));
  EXPECT_TRUE(PasswordNeedsRehash("$argon2i$v=19$m=32768,t=4,p=1$c29tZXNhbHQ$"
                                  "iWh06vD8Fy27wf9npn6FXWiCX4K6pW6Ue1Bnzz07Z8A"));
  EXPECT_TRUE(PasswordNeedsRehash("garbage"));
}

TEST(PasswordHasher, WeakerParametersVerifyButNeedRehash) {
  // A hash made with t=1, m=8 MiB (as an older release might have): it still
  // verifies (the string carries its parameters) but must be rehashed.
  char weak[crypto_pwhash_STRBYTES];
  ASSERT_EQ(crypto_pwhash_str_alg(weak, "hunter22", 8, 1, 8u << 20, crypto_pwhash_ALG_ARGON2ID13),
            0);
  EXPECT_TRUE(VerifyPassword(weak, "hunter22"));
  EXPECT_TRUE(PasswordNeedsRehash(weak));
}

TEST(PasswordHasher, BurnPasswordCheckRuns) {
  BurnPasswordCheck("anything");  // no result; its cost is measured in bench/crypto_bench.cc
  SUCCEED();
}

}  // namespace
}  // namespace dancu::crypto
