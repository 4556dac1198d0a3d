// End to end: verification against the real `dancu serve` (POST /v1/verify,
// /v1/verify/batch, GET /v1/stats/verification, /metrics), on the imported
// family of testdata/family.csv.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "e2e/family_server.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace dancu::testing {
namespace {

using boost::beast::http::verb;
using dancu::test::HttpClient;
using dancu::test::HttpResult;

class VerifyE2eTest : public FamilyServerTest {
 protected:
  HttpResult Post(const std::string& path, const std::string& body,
                  std::string content_type = "application/json") {
    return Call(verb::post, path, body, {}, content_type);
  }
  HttpResult Get(const std::string& path) { return Call(verb::get, path); }
  boost::json::object Verify(const std::string& body) {
    auto r = Post("/v1/verify", body);
    EXPECT_EQ(r.status, 200u) << body << " -> " << r.body;
    return r.status == 200 ? Json(r) : boost::json::object();
  }
};

TEST_F(VerifyE2eTest, MatchMismatchNotFound) {
  auto o = Verify(R"({"id":"001085123456","full_name":"NGUYEN VAN AN","date_of_birth":"1985-03-14",
      "sex":"male","permanent_address":{"commune_code":"00004","address":"so 1 pho doi can"}})");
  EXPECT_EQ(o.at("status").as_string(), "MATCH");
  EXPECT_TRUE(o.at("flags").as_array().empty());
  const auto& f = o.at("fields").as_object();
  EXPECT_EQ(f.at("full_name").at("level").as_string(), "same_after_folding");
  EXPECT_EQ(f.at("full_name").at("result").as_string(), "match");
  EXPECT_EQ(f.at("date_of_birth").at("result").as_string(), "match");
  EXPECT_EQ(f.at("permanent_address").at("result").as_string(), "match");
  // Never a register value in the answer.
  EXPECT_EQ(boost::json::serialize(o).find("Nguyễn"), std::string::npos);

  o = Verify(R"({"id":"079150456789","full_name":"Lê Thị Dung","date_of_birth":"1950-06-01"})");
  EXPECT_EQ(o.at("status").as_string(), "MISMATCH");
  EXPECT_EQ(o.at("fields").at("full_name").at("level").as_string(), "exact");
  EXPECT_EQ(o.at("fields").at("full_name").at("score").as_int64(), 100);
  EXPECT_EQ(o.at("fields").at("date_of_birth").at("result").as_string(), "partial");

  o = Verify(R"({"old_id":"023456789","full_name":"Dung Le Thi"})");
  EXPECT_EQ(o.at("status").as_string(), "MISMATCH");
  EXPECT_EQ(o.at("fields").at("full_name").at("level").as_string(), "token_reordered");

  o = Verify(R"({"id":"001085999999","full_name":"Nguyễn Văn An"})");
  EXPECT_EQ(o.at("status").as_string(), "NOT_FOUND");
  EXPECT_TRUE(o.at("fields").as_object().empty());

  o = Verify(R"({"id":"001040111111"})");  // died in 2020 (imported)
  EXPECT_EQ(o.at("status").as_string(), "MATCH");
  EXPECT_EQ(o.at("flags").as_array().size(), 1u);
}

TEST_F(VerifyE2eTest, DeathShowsAsDeceasedWithinOneSecond) {
  auto r = Post("/v1/events/death", R"({"citizen_id":"001215345678","date_of_death":"2025-01-01"})");
  ASSERT_EQ(r.status, 201u) << r.body;
  // The contract is "within 1 second"; the follower wakes on the commit.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  boost::json::object o;
  for (;;) {
    o = Verify(R"({"id":"001215345678"})");
    if (!o.at("flags").as_array().empty() || std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(o.at("flags").as_array().size(), 1u) << boost::json::serialize(o);
  EXPECT_EQ(o.at("flags").at(0).as_string(), "DECEASED");
}

TEST_F(VerifyE2eTest, BatchJsonAndNdjson) {
  auto r = Post("/v1/verify/batch",
                R"([{"id":"001085123456","sex":"male"},{"id":"001085999999"},
                    {"id":"12"},{"id":"001188234567","sex":"male"}])");
  ASSERT_EQ(r.status, 200u) << r.body;
  auto body = Json(r);
  const auto& results = body.at("results").as_array();
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0].at("status").as_string(), "MATCH");
  EXPECT_EQ(results[1].at("status").as_string(), "NOT_FOUND");
  EXPECT_EQ(results[2].at("status").as_string(), "ERROR");
  EXPECT_EQ(results[2].at("error").at("code").as_string(), "id.length");
  EXPECT_EQ(results[2].at("error").at("field").as_string(), "[2].id");
  EXPECT_EQ(results[3].at("status").as_string(), "MISMATCH");

  r = Post("/v1/verify/batch", "{\"id\":\"001085123456\"}\n\n{\"old_id\":\"023456789\"}\n",
           "application/x-ndjson");
  ASSERT_EQ(r.status, 200u) << r.body;
  auto nd_body = Json(r);
  const auto& nd = nd_body.at("results").as_array();
  ASSERT_EQ(nd.size(), 2u);
  EXPECT_EQ(nd[1].at("status").as_string(), "MATCH");

  // 10,000 queries fit (the body is over the 1 MiB default limit); 10,001 do not.
  std::string big = "[";
  for (int i = 0; i < 10000; ++i) {
    big += R"({"id":"001085123456","full_name":"Nguyễn Văn An","date_of_birth":"1985-03-14",)"
           R"("sex":"male","permanent_address":{"commune_code":"00004"}},)";
  }
  big.back() = ']';
  ASSERT_GT(big.size(), 1u << 20);
  r = Post("/v1/verify/batch", big);
  ASSERT_EQ(r.status, 200u) << r.body.substr(0, 300);
  EXPECT_EQ(Json(r).at("results").as_array().size(), 10000u);
  big.back() = ',';
  big += R"({"id":"001085123456"}])";
  r = Post("/v1/verify/batch", big);
  EXPECT_EQ(r.status, 413u);
  EXPECT_EQ(Json(r).at("code").as_string(), "verify.batch_too_large");
}

TEST_F(VerifyE2eTest, BadInputGetsSpecificProblems) {
  struct Case {
    std::string body;
    unsigned status;
    std::string code, field;
  } cases[] = {
      {R"({"full_name":"Nguyễn Văn An"})", 400, "request.missing_field", "id"},
      {R"({"id":"00108512345x"})", 400, "id.not_digits", "id"},
      {R"({"old_id":"12"})", 400, "old_id.length", "old_id"},
      {R"({"id":"001085123456","date_of_birth":"1985-02-30"})", 400, "date.impossible",
       "date_of_birth"},
      {R"({"id":"001085123456","sex":"x"})", 400, "request.bad_parameter", "sex"},
      {R"({"id":"001085123456","nickname":"An"})", 400, "request.unknown_field", "nickname"},
      {R"({"id":"001085123456","permanent_address":{"commune_code":"99999"}})", 400,
       "admin.unknown_commune", "permanent_address.commune_code"},
      {R"({"id":"001085123456","full_name":""})", 400, "name.empty", "full_name"},
      {R"({"id":)", 400, "request.malformed_json", ""},
  };
  for (const Case& c : cases) {
    auto r = Post("/v1/verify", c.body);
    EXPECT_EQ(r.status, c.status) << c.body << " -> " << r.body;
    auto p = Json(r);
    EXPECT_EQ(p.at("code").as_string(), c.code) << c.body;
    if (!c.field.empty()) {
      EXPECT_EQ(p.at("field").as_string(), c.field) << c.body;
    }
  }
  auto r = Post("/v1/verify/batch", R"({"id":"001085123456"})");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(Json(r).at("code").as_string(), "request.wrong_type");
  r = client_->Request(verb::post, "/v1/verify", R"({"id":"001085123456"})");
  EXPECT_EQ(r.status, 401u);
}

TEST_F(VerifyE2eTest, StatsAndMetricsCountOutcomes) {
  auto before = Json(Get("/v1/stats/verification"));
  Verify(R"({"id":"001085123456","sex":"female"})");
  Verify(R"({"id":"001085123456"})");
  auto after = Json(Get("/v1/stats/verification"));
  EXPECT_EQ(after.at("total").as_int64() - before.at("total").as_int64(), 2);
  EXPECT_EQ(after.at("matched").as_int64() - before.at("matched").as_int64(), 1);
  EXPECT_EQ(after.at("discrepancies").at("sex").as_int64() -
                before.at("discrepancies").at("sex").as_int64(),
            1);
  EXPECT_TRUE(after.at("by_agency").as_object().contains("admin"));
  auto m = Get("/metrics");
  ASSERT_EQ(m.status, 200u);
  EXPECT_NE(m.body.find("dancu_verifications_total{agency=\"admin\",status=\"MATCH\"}"),
            std::string::npos);
  EXPECT_NE(m.body.find("dancu_verification_discrepancies_total{agency=\"admin\",field=\"sex\"}"),
            std::string::npos);
}

}  // namespace
}  // namespace dancu::testing
