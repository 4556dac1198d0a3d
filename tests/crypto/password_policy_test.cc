#include "crypto/password_policy.h"

#include <gtest/gtest.h>

namespace dancu::crypto {
namespace {

std::string Repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

std::string CodeOf(const Status& s) { return s ? "ok" : s.error().code; }

TEST(PasswordPolicy, Length) {
  EXPECT_EQ(CodeOf(CheckNewPassword("Zq7#kLp")), "identity.password_too_short");  // 7
  EXPECT_EQ(CodeOf(CheckNewPassword("Zq7#kLpW")), "ok");                         // 8
  EXPECT_EQ(CodeOf(CheckNewPassword("")), "identity.password_too_short");
  EXPECT_EQ(CodeOf(CheckNewPassword(Repeat("Zq7#", 16))), "ok");                  // 64
  EXPECT_EQ(CodeOf(CheckNewPassword(Repeat("Zq7#", 32))), "ok");                  // 128
  EXPECT_EQ(CodeOf(CheckNewPassword(Repeat("Zq7#", 32) + "x")), "identity.password_too_long");
  const auto err = CheckNewPassword("short");
  ASSERT_FALSE(err);
  EXPECT_EQ(err.error().field, "password");
}

TEST(PasswordPolicy, CountsCodePointsNotBytes) {
  // "mậtkhẩu" is 7 code points but 11 bytes: too short.
  EXPECT_EQ(CodeOf(CheckNewPassword("m\u1eadtkh\u1ea9u")), "identity.password_too_short");
  // "mậtkhẩu9" is 8 code points.
  EXPECT_EQ(CodeOf(CheckNewPassword("m\u1eadtkh\u1ea9u9")), "ok");
  // 128 × "ệ" is 384 bytes but 128 code points: allowed; 129: too long.
  EXPECT_EQ(CodeOf(CheckNewPassword(Repeat("\u1ec7", 128))), "ok");
  EXPECT_EQ(CodeOf(CheckNewPassword(Repeat("\u1ec7", 129))), "identity.password_too_long");
  // Decomposed "ệ" (e + two combining marks) is normalised (NFKC) to one
  // code point before counting: 3 of them are 9 code points typed but 3 counted.
  EXPECT_EQ(CodeOf(CheckNewPassword(Repeat("e\u0323\u0302", 3))), "identity.password_too_short");
  EXPECT_EQ(CodeOf(CheckNewPassword(Repeat("e\u0323\u0302", 8))), "ok");
  EXPECT_EQ(CodeOf(CheckNewPassword(Repeat("e\u0323\u0302", 129))), "identity.password_too_long");
}

TEST(PasswordPolicy, RejectsInvalidUtf8) {
  EXPECT_EQ(CodeOf(CheckNewPassword("abcdefgh\xff")), "identity.password_bad_encoding");
  EXPECT_EQ(CodeOf(CheckNewPassword("abcdefg\xc3")), "identity.password_bad_encoding");
}

TEST(PasswordPolicy, CommonPasswordsCaseInsensitive) {
  EXPECT_EQ(CommonPasswordCount(), 10000u);
  EXPECT_EQ(CodeOf(CheckNewPassword("password")), "identity.password_common");
  EXPECT_EQ(CodeOf(CheckNewPassword("PassWord")), "identity.password_common");
  EXPECT_EQ(CodeOf(CheckNewPassword("12345678")), "identity.password_common");
  EXPECT_EQ(CodeOf(CheckNewPassword("qwertyuiop")), "identity.password_common");
  EXPECT_EQ(CodeOf(CheckNewPassword("asdfjkl;")), "identity.password_common");  // has a ';'
  // Full-width letters are the same password after NFKC.
  EXPECT_EQ(CodeOf(CheckNewPassword("\uff50\uff41\uff53\uff53\uff57\uff4f\uff52\uff44")),
            "identity.password_common");
  EXPECT_TRUE(IsCommonPassword("123456"));    // in the list, though too short anyway
  EXPECT_TRUE(IsCommonPassword("roberto1"));  // the 10,000th entry
  EXPECT_FALSE(IsCommonPassword("password "));
  EXPECT_FALSE(IsCommonPassword("s\u01a1n t\u00f9ng m-tp"));
}

}  // namespace
}  // namespace dancu::crypto
