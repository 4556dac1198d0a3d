// End to end: POST /v1/match against the real `dancu serve`, on the imported
// family of testdata/family.csv: the Vietnamese variants an agency sends,
// the answer's shape (ids and scores, never register values), and bad input
// as problem+json.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "e2e/family_server.h"

namespace dancu::testing {
namespace {

using boost::beast::http::verb;

class MatchE2eTest : public FamilyServerTest {
 protected:
  dancu::test::HttpResult Post(const std::string& body) {
    return Call(verb::post, "/v1/match", body);
  }
  boost::json::array Candidates(const std::string& body) {
    auto r = Post(body);
    EXPECT_EQ(r.status, 200u) << body << " -> " << r.body;
    if (r.status != 200) return {};
    return Json(r).at("candidates").as_array();
  }
};

TEST_F(MatchE2eTest, FindsThePersonDespiteCorruptions) {
  const char* bodies[] = {
      // as registered
      R"({"full_name":"Nguyễn Văn An","date_of_birth":"1985-03-14","sex":"male",
          "permanent_address":{"commune_code":"00004","address":"Số 1 phố Đội Cấn"}})",
      // no diacritics, given name first
      R"({"full_name":"an nguyen van","date_of_birth":"1985-03-14","sex":"male"})",
      // a typo, and an address elsewhere (moved)
      R"({"full_name":"Nguyễn Văn Ann","date_of_birth":"1985-03-14",
          "permanent_address":{"commune_code":"25747"}})",
  };
  for (const char* body : bodies) {
    auto c = Candidates(body);
    ASSERT_FALSE(c.empty()) << body;
    const auto& best = c[0].as_object();
    EXPECT_EQ(best.at("citizen_id").as_string(), "001085123456") << body;
    EXPECT_FALSE(best.at("needs_review").as_bool()) << body;
    EXPECT_GT(best.at("score").as_int64(), 0);
    EXPECT_LE(best.at("score").as_int64(), 100);
    EXPECT_TRUE(best.at("weight").is_double());
    EXPECT_EQ(best.size(), 4u);  // id, score, weight, needs_review: no register values
  }
  // Day and month swapped (registered 1988-07-02).
  auto c =
      Candidates(R"({"full_name":"Tran Thi Binh","date_of_birth":"1988-02-07","sex":"female"})");
  ASSERT_FALSE(c.empty());
  EXPECT_EQ(c[0].at("citizen_id").as_string(), "001188234567");
}

// The example of docs/api.md: tokens reordered, date and sex agree.
TEST_F(MatchE2eTest, DocumentedExample) {
  auto c = Candidates(R"({"full_name":"an nguyen van","date_of_birth":"1985-03-14","sex":"male"})");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(boost::json::serialize(c[0]),
            R"({"citizen_id":"001085123456","score":97,"weight":2.767E1,"needs_review":false})");
}

TEST_F(MatchE2eTest, NobodyAndLimit) {
  EXPECT_TRUE(Candidates(R"({"full_name":"Phạm Minh Đức","date_of_birth":"1985-03-14"})").empty());
  auto c = Candidates(R"({"full_name":"Nguyễn Văn An","date_of_birth":"1985-03-14","limit":1})");
  EXPECT_EQ(c.size(), 1u);
}

TEST_F(MatchE2eTest, BadInputIsAProblem) {
  struct Case {
    const char* body;
    const char* code;
  } cases[] = {
      {R"({"date_of_birth":"1985-03-14"})", "request.missing_field"},
      {R"({"full_name":"Nguyễn Văn An"})", "request.missing_field"},
      {R"({"full_name":"Nguyễn Văn An","date_of_birth":"1985-02-30"})", "date.impossible"},
      {R"({"full_name":"Nguyễn Văn An","date_of_birth":"1985-03-14","sex":"x"})",
       "request.bad_parameter"},
      {R"({"full_name":"Nguyễn Văn An","date_of_birth":"1985-03-14","limit":0})",
       "request.bad_parameter"},
      {R"({"full_name":"Nguyễn Văn An","date_of_birth":"1985-03-14","id":"001085123456"})",
       "request.unknown_field"},
      {R"({"full_name":"Nguyễn Văn An","date_of_birth":"1985-03-14",
          "permanent_address":{"commune_code":"99999"}})",
       "admin.unknown_commune"},
      {R"({"full_name":"123","date_of_birth":"1985-03-14"})", "name.bad_chars"},
      {R"({"full_name":)", "request.malformed_json"},
  };
  for (const Case& c : cases) {
    auto r = Post(c.body);
    EXPECT_EQ(r.status, 400u) << c.body << " -> " << r.body;
    EXPECT_NE(r.body.find(std::string("\"code\":\"") + c.code + "\""), std::string::npos)
        << c.body << " -> " << r.body;
  }
}

TEST_F(MatchE2eTest, NeedsACredential) {
  auto r = client_->Request(verb::post, "/v1/match",
                            R"({"full_name":"Nguyễn Văn An","date_of_birth":"1985-03-14"})", {});
  EXPECT_EQ(r.status, 401u);
}

}  // namespace
}  // namespace dancu::testing
