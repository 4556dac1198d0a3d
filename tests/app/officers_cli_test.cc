// `dancu officers add|list`, run as the real binary: the password from
// standard input, validation errors, the list.
#include <gtest/gtest.h>

#include <filesystem>

#include "support/process.h"
#include "support/temp_dir.h"

namespace dancu::testing {
namespace {

TEST(OfficersCli, AddThenList) {
  TempDir dir;
  const std::string data = dir.path().string();
  auto add = RunDancu({"officers", "add", "--data", data, "--username", "officer.hn", "--name",
                       "Phạm Văn Cán Bộ", "--role", "police", "--area", "01",
                       "--password-stdin"},
                      {}, "officer password 1\n");
  ASSERT_EQ(add.exit_code, 0) << add.err;
  EXPECT_NE(add.out.find("officer.hn"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "identity.db"));

  auto again = RunDancu({"officers", "add", "--data", data, "--username", "officer.hn", "--name",
                         "X", "--role", "police", "--area", "01", "--password-stdin"},
                        {}, "officer password 1\n");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("officer.exists"), std::string::npos);

  auto list = RunDancu({"officers", "list", "--data", data});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("officer.hn"), std::string::npos);
  EXPECT_NE(list.out.find("Phạm Văn Cán Bộ"), std::string::npos);
  // The password never appears anywhere.
  EXPECT_EQ(list.out.find("officer password"), std::string::npos);
}

TEST(OfficersCli, DisableAndEnable) {
  TempDir dir;
  const std::string data = dir.path().string();
  ASSERT_EQ(RunDancu({"officers", "add", "--data", data, "--username", "officer.hn", "--name",
                      "X", "--role", "civil_status", "--area", "00004", "--password-stdin"},
                     {}, "officer password 1\n")
                .exit_code,
            0);
  auto off = RunDancu({"officers", "disable", "--data", data, "officer.hn"});
  ASSERT_EQ(off.exit_code, 0) << off.err;
  EXPECT_NE(off.out.find("disabled"), std::string::npos);
  EXPECT_NE(RunDancu({"officers", "list", "--data", data}).out.find("(disabled)"),
            std::string::npos);
  auto on = RunDancu({"officers", "enable", "--data", data, "officer.hn"});
  ASSERT_EQ(on.exit_code, 0) << on.err;
  EXPECT_EQ(RunDancu({"officers", "list", "--data", data}).out.find("(disabled)"),
            std::string::npos);
  auto missing = RunDancu({"officers", "disable", "--data", data, "nobody"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("officer.not_found"), std::string::npos);
  EXPECT_EQ(RunDancu({"officers", "disable", "--data", data}).exit_code, 2);  // no username
}

TEST(OfficersCli, BadInput) {
  TempDir dir;
  const std::string data = dir.path().string();
  auto role = RunDancu({"officers", "add", "--data", data, "--username", "x.y", "--name", "X",
                        "--role", "army", "--area", "01", "--password-stdin"},
                       {}, "officer password 1\n");
  EXPECT_EQ(role.exit_code, 1);
  EXPECT_NE(role.err.find("officer.bad_role"), std::string::npos);
  auto weak = RunDancu({"officers", "add", "--data", data, "--username", "x.y", "--name", "X",
                        "--role", "police", "--area", "01", "--password-stdin"},
                       {}, "password\n");
  EXPECT_EQ(weak.exit_code, 1);
  EXPECT_NE(weak.err.find("identity.password_"), std::string::npos);
  auto empty = RunDancu({"officers", "add", "--data", data, "--username", "x.y", "--name", "X",
                         "--role", "police", "--area", "01", "--password-stdin"},
                        {}, "");
  EXPECT_EQ(empty.exit_code, 1);
  auto no_dir = RunDancu({"officers", "list", "--data", data + "/missing"});
  EXPECT_EQ(no_dir.exit_code, 1);
  auto usage = RunDancu({"officers", "add", "--data", data});
  EXPECT_EQ(usage.exit_code, 2);  // required options missing
}

}  // namespace
}  // namespace dancu::testing
