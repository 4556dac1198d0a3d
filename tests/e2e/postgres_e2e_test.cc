// The whole binary on the production store: with DANCU_REGISTER_URL set,
// `dancu import` loads the register into a real PostgreSQL server
// (support/postgres_server.h), `dancu serve` serves it, a death registered
// over HTTP is on the feed and in the verification answer, and `dancu get`
// reads it back.
#include <gtest/gtest.h>

#include <cstdlib>

#include <boost/json.hpp>

#include "support/http_client.h"
#include "support/postgres_server.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace dancu::testing {
namespace {

namespace bhttp = boost::beast::http;
constexpr char kToken[] = "e2e-admin-token";

TEST(PostgresE2eTest, ImportServeWriteAndReadBackOnPostgres) {
  std::string error;
  auto pg = NewPostgresDatabase(&error);
  ASSERT_TRUE(pg) << "PostgreSQL test server: " << error;
  setenv("DANCU_REGISTER_URL", pg->conninfo.c_str(), 1);
  TempDir dir;
  auto imported = RunDancu({"import", "--data", dir.path().string(),
                            std::string(DANCU_SOURCE_DIR) + "/tests/e2e/testdata/family.csv"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  // Nothing went to SQLite.
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "register.db"));

  {
    ServerProcess server(dir.path().string(), kToken);
    dancu::test::HttpClient client("127.0.0.1", server.port());
    std::vector<std::pair<std::string, std::string>> auth = {{"Authorization", std::string("Bearer ") + kToken}};
    auto got = client.Request(bhttp::verb::get, "/v1/citizens/001085123456", "", auth);
    ASSERT_EQ(got.status, 200u) << got.body;
    EXPECT_EQ(boost::json::parse(got.body).at("full_name").as_string(), "Nguyễn Văn An");

    auto json = auth;
    json.emplace_back("Content-Type", "application/json");
    auto death = client.Request(bhttp::verb::post, "/v1/events/death",
                                R"({"citizen_id":"079150456789","date_of_death":"2026-11-01"})", json);
    ASSERT_EQ(death.status, 201u) << death.body;
    auto feed = client.Request(bhttp::verb::get, "/v1/feed?after=0", "", auth);
    ASSERT_EQ(feed.status, 200u);
    EXPECT_NE(feed.body.find("\"death\""), std::string::npos) << feed.body;
    EXPECT_EQ(server.Stop(), 0);
  }
  auto get = RunDancu({"get", "--data", dir.path().string(), "079150456789"});
  EXPECT_EQ(get.exit_code, 0) << get.err;
  EXPECT_NE(get.out.find("deceased"), std::string::npos) << get.out;
  unsetenv("DANCU_REGISTER_URL");
}

}  // namespace
}  // namespace dancu::testing
