#include "crypto/secret_box.h"

#include <sys/stat.h>

#include <fstream>

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace dancu::crypto {
namespace {

void WriteFile(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary) << bytes;
}

TEST(SecretBox, CreatesKeyFileOnceWithMode0600) {
  testing::TempDir dir;
  const auto path = dir.path() / "identity.key";
  const auto box = SecretBox::OpenKeyFile(path);
  ASSERT_TRUE(box) << box.error().message;
  EXPECT_EQ(std::filesystem::file_size(path), 32u);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // No temporary file is left behind.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()),
                          std::filesystem::directory_iterator()),
            1);
  // Opening again reads the same key: what one seals, the other opens.
  const auto again = SecretBox::OpenKeyFile(path);
  ASSERT_TRUE(again);
  const std::string sealed = box->Seal("totp seed", "totp:42");
  EXPECT_EQ(again->Open(sealed, "totp:42"), "totp seed");
}

TEST(SecretBox, RoundTripAndFormat) {
  const auto box = SecretBox::FromKey(std::string(32, 'k'));
  ASSERT_TRUE(box);
  const std::string sealed = box->Seal("secret", "ad");
  EXPECT_EQ(sealed.size(), 6 + SecretBox::kOverheadBytes);
  EXPECT_EQ(sealed.find("secret"), std::string::npos);
  EXPECT_NE(box->Seal("secret", "ad"), sealed);  // random nonce
  EXPECT_EQ(box->Open(sealed, "ad"), "secret");
  EXPECT_EQ(box->Open(box->Seal("", ""), ""), "");
  const std::string binary("\0\1\2\xff", 4);
  EXPECT_EQ(box->Open(box->Seal(binary, "b"), "b"), binary);
}

TEST(SecretBox, WrongAssociatedDataTamperedOrWrongKeyFail) {
  const auto box = SecretBox::FromKey(std::string(32, 'k'));
  const auto other = SecretBox::FromKey(std::string(32, 'o'));
  ASSERT_TRUE(box && other);
  const std::string sealed = box->Seal("secret", "totp:1");
  EXPECT_EQ(box->Open(sealed, "totp:2").error().code, "crypto.open_failed");
  EXPECT_EQ(box->Open(sealed, "").error().code, "crypto.open_failed");
  EXPECT_EQ(other->Open(sealed, "totp:1").error().code, "crypto.open_failed");
  for (size_t i : {size_t{0}, size_t{23}, size_t{24}, sealed.size() - 1}) {
    std::string bad = sealed;
    bad[i] ^= 0x01;
    EXPECT_EQ(box->Open(bad, "totp:1").error().code, "crypto.open_failed") << i;
  }
  EXPECT_EQ(box->Open(sealed.substr(0, sealed.size() - 1), "totp:1").error().code,
            "crypto.open_failed");
  EXPECT_EQ(box->Open(sealed.substr(0, 39), "totp:1").error().code, "crypto.open_failed");
  EXPECT_EQ(box->Open("", "totp:1").error().code, "crypto.open_failed");
}

TEST(SecretBox, BadKeyFiles) {
  testing::TempDir dir;
  for (const size_t n : {size_t{0}, size_t{31}, size_t{33}, size_t{4096}}) {
    const auto path = dir.path() / ("key" + std::to_string(n));
    WriteFile(path, std::string(n, 'x'));
    const auto box = SecretBox::OpenKeyFile(path);
    ASSERT_FALSE(box) << n;
    EXPECT_EQ(box.error().code, "crypto.bad_key_file");
    EXPECT_EQ(box.error().field, path.string());
    EXPECT_EQ(std::filesystem::file_size(path), n);  // never replaced
  }
  EXPECT_EQ(SecretBox::OpenKeyFile(dir.path() / "no-such-dir" / "identity.key").error().code,
            "crypto.bad_key_file");
  EXPECT_EQ(SecretBox::OpenKeyFile(dir.path()).error().code, "crypto.bad_key_file");  // a directory
  EXPECT_EQ(SecretBox::FromKey("short").error().code, "crypto.bad_key");
}

}  // namespace
}  // namespace dancu::crypto
