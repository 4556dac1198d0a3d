#include "crypto/totp.h"

#include <gtest/gtest.h>

namespace dancu::crypto {
namespace {

// RFC 6238 appendix B: SHA1 seed "12345678901234567890". The RFC lists 8
// digits; 6-digit codes are their last six digits.
const std::string kSeed = "12345678901234567890";

Timestamp At(int64_t unix_seconds) {
  return Timestamp{std::chrono::seconds{unix_seconds}};
}

TEST(Totp, Rfc6238Vectors) {
  EXPECT_EQ(TotpCode(kSeed, At(59)), "287082");                // 94287082
  EXPECT_EQ(TotpCode(kSeed, At(1111111109)), "081804");        // 07081804
  EXPECT_EQ(TotpCode(kSeed, At(1111111111)), "050471");        // 14050471
  EXPECT_EQ(TotpCode(kSeed, At(1234567890)), "005924");        // 89005924
  EXPECT_EQ(TotpCode(kSeed, At(2000000000)), "279037");        // 69279037
  EXPECT_EQ(TotpCode(kSeed, At(20000000000)), "353130");       // 65353130
}

TEST(Totp, SameStepSameCode) {
  EXPECT_EQ(TotpCode(kSeed, At(30)), TotpCode(kSeed, At(59)));
  EXPECT_EQ(TotpCode(kSeed, At(59) + std::chrono::microseconds(999999)), "287082");
}

TEST(Totp, VerifyReturnsStepAndAcceptsOneStepEitherSide) {
  const Timestamp now = At(1111111111);  // step 37037037
  const int64_t step = 1111111111 / 30;
  EXPECT_EQ(VerifyTotp(kSeed, TotpCode(kSeed, now), now, -1), step);
  EXPECT_EQ(VerifyTotp(kSeed, TotpCode(kSeed, now - std::chrono::seconds(30)), now, -1),
            step - 1);
  EXPECT_EQ(VerifyTotp(kSeed, TotpCode(kSeed, now + std::chrono::seconds(30)), now, -1),
            step + 1);
  EXPECT_EQ(VerifyTotp(kSeed, TotpCode(kSeed, now - std::chrono::seconds(60)), now, -1),
            std::nullopt);
  EXPECT_EQ(VerifyTotp(kSeed, TotpCode(kSeed, now + std::chrono::seconds(60)), now, -1),
            std::nullopt);
}

TEST(Totp, ReplayRefused) {
  const Timestamp now = At(1111111111);
  const std::string code = TotpCode(kSeed, now);
  const auto step = VerifyTotp(kSeed, code, now, -1);
  ASSERT_TRUE(step);
  EXPECT_EQ(VerifyTotp(kSeed, code, now, *step), std::nullopt);
  // Still refused 20 s later, when the same code is inside the window.
  EXPECT_EQ(VerifyTotp(kSeed, code, now + std::chrono::seconds(20), *step), std::nullopt);
  // An older code after a newer one was used: refused.
  const std::string previous = TotpCode(kSeed, now - std::chrono::seconds(30));
  EXPECT_EQ(VerifyTotp(kSeed, previous, now, *step), std::nullopt);
  // The next step's code is still good.
  const std::string next = TotpCode(kSeed, now + std::chrono::seconds(30));
  EXPECT_EQ(VerifyTotp(kSeed, next, now, *step), *step + 1);
}

TEST(Totp, RejectsMalformedCodes) {
  const Timestamp now = At(59);
  EXPECT_EQ(VerifyTotp(kSeed, "94287082", now, -1), std::nullopt);  // 8 digits
  EXPECT_EQ(VerifyTotp(kSeed, "28708", now, -1), std::nullopt);
  EXPECT_EQ(VerifyTotp(kSeed, " 287082", now, -1), std::nullopt);
  EXPECT_EQ(VerifyTotp(kSeed, "28708a", now, -1), std::nullopt);
  EXPECT_EQ(VerifyTotp(kSeed, "", now, -1), std::nullopt);
  EXPECT_EQ(VerifyTotp("another secret of 20b", "287082", now, -1), std::nullopt);
}

TEST(Totp, NewSecretIsTwentyRandomBytes) {
  const std::string a = NewTotpSecret();
  EXPECT_EQ(a.size(), 20u);
  EXPECT_NE(a, NewTotpSecret());
}

TEST(Totp, UriAndBase32) {
  EXPECT_EQ(Base32Encode("foobar"), "MZXW6YTBOI======");  // RFC 4648 §10
  EXPECT_EQ(Base32Encode(kSeed), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  EXPECT_EQ(TotpUri(kSeed, "Dân cư", "0790 123 456"),
            "otpauth://totp/D%C3%A2n%20c%C6%B0:0790%20123%20456"
            "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=D%C3%A2n%20c%C6%B0"
            "&algorithm=SHA1&digits=6&period=30");
}

}  // namespace
}  // namespace dancu::crypto
