// The shared fixture of the end-to-end suites: the real `dancu` binary
// imports testdata/family.csv and serves it on port 0, once per test process
// (started by the first test's SetUp, so a failed start fails that test
// instead of skipping it), with an admin token.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>

#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace dancu::testing {

class FamilyServerTest : public ::testing::Test {
 public:
  static constexpr char kToken[] = "e2e-admin-token";

 protected:

  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (server_ == nullptr) {
      dir_ = new TempDir();
      auto r = RunDancu({"import", "--data", dir_->path().string(),
                         SourceDir() + "/tests/e2e/testdata/family.csv"});
      ASSERT_EQ(r.exit_code, 0) << r.err;
      server_ = new ServerProcess(dir_->path().string(), kToken);
    }
    client_ = std::make_unique<dancu::test::HttpClient>("127.0.0.1", server_->port());
  }

  // A request with the admin token (and a JSON content type when there is a body).
  dancu::test::HttpResult Call(boost::beast::http::verb method, const std::string& path,
                               const std::string& body = {},
                               std::vector<std::pair<std::string, std::string>> headers = {},
                               const std::string& content_type = "application/json") {
    headers.emplace_back("Authorization", std::string("Bearer ") + kToken);
    if (!body.empty()) headers.emplace_back("Content-Type", content_type);
    return client_->Request(method, path, body, headers);
  }
  static boost::json::object Json(const dancu::test::HttpResult& r) {
    return boost::json::parse(r.body).as_object();
  }

  static inline TempDir* dir_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  std::unique_ptr<dancu::test::HttpClient> client_;
};

}  // namespace dancu::testing
