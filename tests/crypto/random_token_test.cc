#include "crypto/random_token.h"

#include <set>

#include <gtest/gtest.h>

#include "crypto/encoding.h"

namespace dancu::crypto {
namespace {

TEST(RandomToken, LengthAndAlphabet) {
  const std::string t = RandomToken();
  EXPECT_EQ(t.size(), 43u);  // 32 bytes, base64url without padding
  EXPECT_EQ(t.find_first_not_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  EXPECT_EQ(Base64UrlDecode(t)->size(), 32u);
  EXPECT_EQ(RandomToken(16).size(), 22u);
  EXPECT_EQ(RandomBytes(20).size(), 20u);
}

TEST(RandomToken, Distinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(seen.insert(RandomToken(16)).second);
}

}  // namespace
}  // namespace dancu::crypto
