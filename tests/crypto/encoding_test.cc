#include "crypto/encoding.h"

#include <gtest/gtest.h>

namespace dancu::crypto {
namespace {

// RFC 4648 §10 test vectors.
struct Vector {
  const char* bytes;
  const char* base64;
  const char* base64url;
  const char* hex;
};
constexpr Vector kVectors[] = {
    {"", "", "", ""},
    {"f", "Zg==", "Zg", "66"},
    {"fo", "Zm8=", "Zm8", "666f"},
    {"foo", "Zm9v", "Zm9v", "666f6f"},
    {"foob", "Zm9vYg==", "Zm9vYg", "666f6f62"},
    {"fooba", "Zm9vYmE=", "Zm9vYmE", "666f6f6261"},
    {"foobar", "Zm9vYmFy", "Zm9vYmFy", "666f6f626172"},
};

TEST(Encoding, Rfc4648Vectors) {
  for (const auto& v : kVectors) {
    SCOPED_TRACE(v.bytes);
    EXPECT_EQ(Base64Encode(v.bytes), v.base64);
    EXPECT_EQ(Base64UrlEncode(v.bytes), v.base64url);
    EXPECT_EQ(HexEncode(v.bytes), v.hex);
    EXPECT_EQ(Base64Decode(v.base64), v.bytes);
    EXPECT_EQ(Base64UrlDecode(v.base64url), v.bytes);
    EXPECT_EQ(HexDecode(v.hex), v.bytes);
  }
}

TEST(Encoding, UrlAlphabetDiffersFromStandard) {
  const std::string bytes("\xfb\xff\xbf", 3);
  EXPECT_EQ(Base64Encode(bytes), "+/+/");
  EXPECT_EQ(Base64UrlEncode(bytes), "-_-_");
  EXPECT_EQ(Base64UrlDecode("-_-_"), bytes);
  EXPECT_EQ(Base64UrlDecode("+/+/"), std::nullopt);
  EXPECT_EQ(Base64Decode("-_-_"), std::nullopt);
}

TEST(Encoding, RejectsBadBase64) {
  EXPECT_EQ(Base64UrlDecode("Zg=="), std::nullopt);   // base64url carries no padding
  EXPECT_EQ(Base64UrlDecode("Zm9v!"), std::nullopt);  // outside the alphabet
  EXPECT_EQ(Base64UrlDecode("Zm9v Zm9v"), std::nullopt);  // no whitespace skipping
  EXPECT_EQ(Base64UrlDecode("Z"), std::nullopt);      // impossible length
  EXPECT_EQ(Base64UrlDecode("Zh"), std::nullopt);     // non-zero trailing bits
  EXPECT_EQ(Base64Decode("Zg"), std::nullopt);        // standard base64 must be padded
  EXPECT_EQ(Base64Decode("Zg="), std::nullopt);
  EXPECT_EQ(Base64Decode("Zm9v="), std::nullopt);
}

TEST(Encoding, BinaryRoundTrip) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(all)), all);
  EXPECT_EQ(Base64Decode(Base64Encode(all)), all);
  EXPECT_EQ(HexDecode(HexEncode(all)), all);
}

TEST(Encoding, HexDecodeAcceptsUpperCaseAndRejectsJunk) {
  EXPECT_EQ(HexDecode("DEADbeef"), std::string("\xde\xad\xbe\xef", 4));
  EXPECT_EQ(HexDecode("abc"), std::nullopt);
  EXPECT_EQ(HexDecode("zz"), std::nullopt);
  EXPECT_EQ(HexDecode("ab cd"), std::nullopt);
}

}  // namespace
}  // namespace dancu::crypto
