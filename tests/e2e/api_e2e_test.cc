// End to end: the real `dancu` binary imports a known family, serves on port
// 0, and is driven over HTTP. Bad-input cases come from
// testdata/bad_requests.json, one request and expected problem per case.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "e2e/family_server.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace dancu::testing {
namespace {

using boost::beast::http::verb;
using dancu::test::HttpClient;
using dancu::test::HttpResult;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class ApiE2eTest : public FamilyServerTest {};

TEST_F(ApiE2eTest, HealthzIsPublic) {
  auto r = client_->Request(verb::get, "/healthz");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(Json(r).at("status").as_string(), "ok");
}

TEST_F(ApiE2eTest, GetCitizenContract) {
  auto r = Call(verb::get, "/v1/citizens/001085123456");
  ASSERT_EQ(r.status, 200u) << r.body;
  auto o = Json(r);
  EXPECT_EQ(o.at("id").as_string(), "001085123456");
  EXPECT_EQ(o.at("full_name").as_string(), "Nguyễn Văn An");
  EXPECT_EQ(o.at("sex").as_string(), "male");
  EXPECT_EQ(o.at("date_of_birth").as_string(), "1985-03-14");
  EXPECT_EQ(o.at("status").as_string(), "alive");
  EXPECT_TRUE(o.at("date_of_death").is_null());
  EXPECT_EQ(o.at("old_id").as_string(), "012345678");
  const auto& pr = o.at("permanent_residence").as_object();
  EXPECT_EQ(pr.at("commune_code").as_string(), "00004");
  EXPECT_EQ(pr.at("province_code").as_string(), "01");
  EXPECT_EQ(pr.at("address").as_string(), "Số 1 phố Đội Cấn");
  EXPECT_EQ(o.at("household_id").as_int64(), 1);
  EXPECT_EQ(o.at("spouse_id").as_string(), "001188234567");
  EXPECT_TRUE(o.at("father_id").is_null());
  EXPECT_TRUE(o.at("mother_id").is_null());

  auto partial = Json(Call(verb::get, "/v1/citizens/079150456789"));
  EXPECT_EQ(partial.at("date_of_birth").as_string(), "1950");
  auto dead = Json(Call(verb::get, "/v1/citizens/001040111111"));
  EXPECT_EQ(dead.at("status").as_string(), "deceased");
  EXPECT_EQ(dead.at("date_of_birth").as_string(), "1940-05");
  EXPECT_EQ(dead.at("date_of_death").as_string(), "2020-01-01");
}

TEST_F(ApiE2eTest, BadRequestsGetSpecificProblems) {
  auto cases = boost::json::parse(ReadFile(SourceDir() + "/tests/e2e/testdata/bad_requests.json"));
  auto feed_before = Json(Call(verb::get, "/v1/feed?after=0&limit=10000")).at("next").as_int64();
  for (const auto& v : cases.as_array()) {
    const auto& c = v.as_object();
    std::string name(c.at("name").as_string());
    std::vector<std::pair<std::string, std::string>> headers;
    std::string auth = c.contains("auth") ? std::string(c.at("auth").as_string()) : "admin";
    if (auth == "admin") headers.emplace_back("Authorization", std::string("Bearer ") + kToken);
    if (auth == "wrong") headers.emplace_back("Authorization", "Bearer not-the-token");
    if (c.contains("headers")) {
      for (const auto& [k, hv] : c.at("headers").as_object()) {
        headers.emplace_back(std::string(k), std::string(hv.as_string()));
      }
    }
    std::string body = c.contains("body") ? std::string(c.at("body").as_string()) : "";
    auto method = boost::beast::http::string_to_verb(std::string(c.at("method").as_string()));
    auto r = client_->Request(method, std::string(c.at("path").as_string()), body, headers);
    EXPECT_EQ(r.status, c.at("status").as_int64()) << name << ": " << r.body;
    EXPECT_EQ(r.headers["content-type"], "application/problem+json") << name;
    auto problem = boost::json::parse(r.body).as_object();
    EXPECT_EQ(problem.at("code").as_string(), c.at("code").as_string()) << name << ": " << r.body;
    EXPECT_EQ(problem.at("status").as_int64(), c.at("status").as_int64()) << name;
    EXPECT_TRUE(problem.contains("type") && problem.contains("title")) << name;
    if (c.contains("field")) {
      EXPECT_EQ(problem.at("field").as_string(), c.at("field").as_string()) << name;
    }
    if (r.status == 401) {
      EXPECT_EQ(r.headers["www-authenticate"].rfind("Bearer", 0), 0u) << name;
    }
  }
  // None of them registered anything.
  auto feed_after = Json(Call(verb::get, "/v1/feed?after=0&limit=10000")).at("next").as_int64();
  EXPECT_EQ(feed_after, feed_before);
}

TEST_F(ApiE2eTest, OversizedBodyIs413) {
  std::string huge(2 << 20, 'x');
  auto r = Call(verb::post, "/v1/events/death", huge);
  EXPECT_EQ(r.status, 413u);
  EXPECT_EQ(Json(r).at("code").as_string(), "request.too_large");
}

TEST_F(ApiE2eTest, BirthIsRegisteredOnceWithAnIdempotencyKey) {
  std::string body =
      R"({"full_name": "Nguyễn Thị Mai", "sex": "female", "date_of_birth": "2026-11-01",
          "birth_commune_code": "00004", "mother_id": "001188234567", "father_id": "001085123456"})";
  auto first = Call(verb::post, "/v1/events/birth", body, {{"Idempotency-Key", "birth-mai-1"}});
  ASSERT_EQ(first.status, 201u) << first.body;
  auto o = Json(first);
  std::string id(o.at("id").as_string());
  int64_t seq = o.at("seq").as_int64();
  EXPECT_EQ(id.substr(0, 6), "001326");  // Hà Nội, female born in the 2000s, year 26

  auto retry = Call(verb::post, "/v1/events/birth", body, {{"Idempotency-Key", "birth-mai-1"}});
  ASSERT_EQ(retry.status, 201u);
  EXPECT_EQ(Json(retry).at("id").as_string(), id);
  EXPECT_EQ(Json(retry).at("seq").as_int64(), seq);
  EXPECT_EQ(retry.headers["idempotent-replayed"], "true");

  auto conflict = Call(verb::post, "/v1/events/birth", body + " ", {{"Idempotency-Key", "birth-mai-1"}});
  EXPECT_EQ(conflict.status, 422u);
  EXPECT_EQ(Json(conflict).at("code").as_string(), "idempotency.conflict");

  auto child = Json(Call(verb::get, "/v1/citizens/" + id));
  EXPECT_EQ(child.at("mother_id").as_string(), "001188234567");
  EXPECT_EQ(child.at("household_id").as_int64(), 1);
  auto feed = Json(Call(verb::get, "/v1/feed?after=" + std::to_string(seq - 1) + "&limit=10"));
  const auto& events = feed.at("events").as_array();
  ASSERT_GE(events.size(), 1u);
  EXPECT_EQ(events[0].at("seq").as_int64(), seq);
  EXPECT_EQ(events[0].at("type").as_string(), "birth");
  EXPECT_EQ(events[0].at("citizen_id").as_string(), id);
  EXPECT_TRUE(events[0].as_object().contains("at"));
  int births = 0;
  for (const auto& e : events) births += e.at("type").as_string() == "birth";
  EXPECT_EQ(births, 1);
  auto household = Json(Call(verb::get, "/v1/households/1"));
  EXPECT_EQ(household.at("members").as_array().size(), 4u);
  auto history = Json(Call(verb::get, "/v1/citizens/001188234567/history"));
  EXPECT_GE(history.at("events").as_array().size(), 1u);
}

TEST_F(ApiE2eTest, OtherLifeEvents) {
  auto r = Call(verb::post, "/v1/events/residence",
                R"({"citizen_id": "001215345678", "kind": "temporary", "until": "2027-06-30",
                    "address": {"old_commune_code": "00001", "address": "KTX Bách Khoa"}})");
  ASSERT_EQ(r.status, 201u) << r.body;
  auto c = Json(Call(verb::get, "/v1/citizens/001215345678"));
  // Old Phường Phúc Xá (00001) is now Phường Hồng Hà (00097).
  EXPECT_EQ(c.at("temporary_residence").at("commune_code").as_string(), "00097");

  r = Call(verb::post, "/v1/events/correction",
           R"({"citizen_id": "079150456789", "legal_basis": "QĐ 12/2026", "date_of_birth": "1950-04"})");
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(Json(Call(verb::get, "/v1/citizens/079150456789")).at("date_of_birth").as_string(),
            "1950-04");

  r = Call(verb::post, "/v1/events/divorce",
           R"({"first_id": "001085123456", "second_id": "001188234567", "date": "2026-03-01"})");
  ASSERT_EQ(r.status, 201u) << r.body;
  r = Call(verb::post, "/v1/events/marriage",
           R"({"first_id": "001085123456", "second_id": "001188234567", "date": "2026-04-01"})");
  ASSERT_EQ(r.status, 201u) << r.body;

  r = Call(verb::post, "/v1/events/household",
           R"({"action": "change_head", "household_id": 1, "new_head_id": "001188234567",
               "members": [{"id": "001085123456", "relationship_to_head": "spouse"}]})");
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(Json(Call(verb::get, "/v1/households/1")).at("head_id").as_string(), "001188234567");

  r = Call(verb::post, "/v1/events/death",
           R"({"citizen_id": "079150456789", "date_of_death": "2026-11-20"})");
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(Json(Call(verb::get, "/v1/citizens/079150456789")).at("status").as_string(),
            "deceased");
}

TEST_F(ApiE2eTest, SearchByOldIdAndName) {
  auto by_old = Json(Call(verb::get, "/v1/citizens?old_id=012345678"));
  ASSERT_EQ(by_old.at("citizens").as_array().size(), 1u);
  EXPECT_EQ(by_old.at("citizens").as_array()[0].at("id").as_string(), "001085123456");
  auto by_name = Json(Call(verb::get, "/v1/citizens?name=nguyen%20van%20an&date_of_birth=1985&province=01"));
  ASSERT_EQ(by_name.at("citizens").as_array().size(), 1u);
  auto none = Json(Call(verb::get, "/v1/citizens?name=nguyen%20van%20an&province=79"));
  EXPECT_EQ(none.at("citizens").as_array().size(), 0u);
}

TEST_F(ApiE2eTest, MetricsAreExposed) {
  Call(verb::get, "/v1/citizens/001085123456");
  auto r = Call(verb::get, "/metrics");
  ASSERT_EQ(r.status, 200u);
  EXPECT_NE(r.body.find("dancu_http_requests_total"), std::string::npos);
}

TEST(ServerLifecycle, SigtermDrainsAndExitsCleanly) {
  TempDir dir;
  ServerProcess server(dir.path().string(), FamilyServerTest::kToken);
  HttpClient client("127.0.0.1", server.port());
  EXPECT_EQ(client.Request(verb::get, "/healthz").status, 200u);
  EXPECT_EQ(server.Stop(), 0);
}

}  // namespace
}  // namespace dancu::testing
