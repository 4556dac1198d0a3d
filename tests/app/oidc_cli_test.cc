// `dancu clients add|list|disable` and `dancu keys rotate|list`, run as the
// real binary: the printed client_id and secret (once), validation errors
// with their codes and exit status, and key rotation keeping the old key.
#include <gtest/gtest.h>

#include <filesystem>

#include "support/process.h"
#include "support/temp_dir.h"

namespace dancu::testing {
namespace {

std::string Field(const std::string& out, const std::string& name) {
  size_t at = out.find(name + "=");
  if (at == std::string::npos) return {};
  size_t start = at + name.size() + 1;
  return out.substr(start, out.find('\n', start) - start);
}

TEST(OidcCli, ClientsAddListDisable) {
  TempDir dir;
  const std::string data = dir.path().string();
  auto add = RunDancu({"clients", "add", "--data", data, "--name", "Cổng dịch vụ công",
                       "--redirect-uri", "https://dvc.example/cb", "--redirect-uri",
                       "http://127.0.0.1:3000/cb", "--scopes", "openid profile phone",
                       "--min-level", "2", "--logo-uri", "https://dvc.example/logo.png"});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  std::string id = Field(add.out, "client_id");
  std::string secret = Field(add.out, "client_secret");
  EXPECT_EQ(id.size(), 22u);
  EXPECT_TRUE(secret.starts_with("dancu_cs_")) << add.out;
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "oidc.db"));

  auto list = RunDancu({"clients", "list", "--data", data});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find(id), std::string::npos);
  EXPECT_NE(list.out.find("https://dvc.example/cb"), std::string::npos);
  EXPECT_EQ(list.out.find(secret), std::string::npos);  // never shown again

  auto off = RunDancu({"clients", "disable", "--data", data, "--client-id", id});
  ASSERT_EQ(off.exit_code, 0) << off.err;
  EXPECT_NE(RunDancu({"clients", "list", "--data", data}).out.find("disabled"), std::string::npos);
  auto unknown = RunDancu({"clients", "disable", "--data", data, "--client-id", "nope"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("client.not_found"), std::string::npos);
}

TEST(OidcCli, ClientsBadInput) {
  TempDir dir;
  const std::string data = dir.path().string();
  auto http = RunDancu({"clients", "add", "--data", data, "--name", "X", "--redirect-uri",
                        "http://rp.example/cb", "--scopes", "openid"});
  EXPECT_EQ(http.exit_code, 1);
  EXPECT_NE(http.err.find("client.bad_redirect_uri"), std::string::npos);
  auto scope = RunDancu({"clients", "add", "--data", data, "--name", "X", "--redirect-uri",
                         "https://rp.example/cb", "--scopes", "profile email"});
  EXPECT_EQ(scope.exit_code, 1);
  EXPECT_NE(scope.err.find("client.bad_scope"), std::string::npos);
  auto level = RunDancu({"clients", "add", "--data", data, "--name", "X", "--redirect-uri",
                         "https://rp.example/cb", "--scopes", "openid", "--min-level", "3"});
  EXPECT_EQ(level.exit_code, 1);
  EXPECT_NE(level.err.find("client.bad_level"), std::string::npos);
  auto method = RunDancu({"clients", "add", "--data", data, "--name", "X", "--redirect-uri",
                          "https://rp.example/cb", "--scopes", "openid", "--auth-method", "none"});
  EXPECT_EQ(method.exit_code, 2);
  auto no_jwks = RunDancu({"clients", "add", "--data", data, "--name", "X", "--redirect-uri",
                           "https://rp.example/cb", "--scopes", "openid", "--auth-method",
                           "private_key_jwt"});
  EXPECT_EQ(no_jwks.exit_code, 2);
  auto usage = RunDancu({"clients", "add", "--data", data, "--name", "X"});
  EXPECT_EQ(usage.exit_code, 2);  // --redirect-uri and --scopes are required
  auto no_dir = RunDancu({"clients", "list", "--data", data + "/missing"});
  EXPECT_EQ(no_dir.exit_code, 1);
}

TEST(OidcCli, KeysRotateKeepsTheOldKeyPublished) {
  TempDir dir;
  const std::string data = dir.path().string();
  auto first = RunDancu({"keys", "list", "--data", data});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("(current)"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "identity.key"));
  auto rotate = RunDancu({"keys", "rotate", "--data", data});
  ASSERT_EQ(rotate.exit_code, 0) << rotate.err;
  auto list = RunDancu({"keys", "list", "--data", data});
  ASSERT_EQ(list.exit_code, 0);
  // Two keys: the new current one and the retired one with its end of publication.
  size_t lines = 0;
  for (char c : list.out) lines += c == '\n';
  EXPECT_EQ(lines, 3u) << list.out;
  EXPECT_NE(list.out.find("(current)"), std::string::npos);
}

}  // namespace
}  // namespace dancu::testing
