#include "http/problem.h"

#include <set>
#include <string>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "http/response.h"

namespace dancu::http {
namespace {

TEST(ProblemTest, MapsCodesByExactThenLongestPrefix) {
  struct Case {
    std::string code;
    unsigned status;
  };
  const Case cases[] = {
      {"request.malformed_json", 400},
      {"request.unknown_field", 400},
      {"request.wrong_type", 400},
      {"request.missing_field", 400},
      {"request.bad_parameter", 400},
      {"request.too_large", 413},
      {"request.not_found", 404},
      {"request.method_not_allowed", 405},
      {"auth.unauthenticated", 401},
      {"auth.forbidden", 403},
      {"idempotency.conflict", 422},
      {"idempotency.in_progress", 409},
      {"id.bad_province", 400},
      {"old_id.bad_length", 400},
      {"date.impossible", 400},
      {"name.empty", 400},
      {"admin.unknown_commune", 400},
      {"ethnicity.unknown", 400},
      {"citizen.not_found", 404},
      {"household.not_found", 404},
      {"event.deceased", 422},
      {"event.deceased.twice", 422},
      {"conflict.duplicate", 409},
      {"storage.io", 500},
      {"internal.error", 500},
      // No row: a server bug, not a client error.
      {"citizen.something_new", 500},
      {"unknown", 500},
      {"", 500},
      // A prefix row must match on a dot boundary only.
      {"idle.x", 500},  // starts with "id" but not "id."
      {"events.x", 500},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(LookupProblem(c.code).status, c.status) << c.code;
  }
}

TEST(ProblemTest, ExactRowBeatsItsPrefixRow) {
  // "request." is a prefix row; the exact rows below it differ.
  EXPECT_EQ(LookupProblem("request.too_large").status, 413u);
  EXPECT_EQ(LookupProblem("request.anything_else").status, 400u);
  EXPECT_EQ(LookupProblem("request.too_large").title, "Request body too large");
}

TEST(ProblemTest, TableHasNoDuplicatesAndSaneStatuses) {
  std::set<std::string_view> seen;
  for (const ProblemEntry& e : ProblemTable()) {
    EXPECT_TRUE(seen.insert(e.code).second) << "duplicate " << e.code;
    EXPECT_GE(e.status, 400u) << e.code;
    EXPECT_LT(e.status, 600u) << e.code;
    EXPECT_FALSE(e.title.empty()) << e.code;
  }
}

TEST(ProblemTest, ProblemResponseFromError) {
  Response r = ProblemResponse(
      Error{"date.impossible", "31 February does not exist", "date_of_birth"});
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.content_type, "application/problem+json");
  auto v = boost::json::parse(r.body).as_object();
  EXPECT_EQ(v.at("type").as_string(), "urn:dancu:problem:date.impossible");
  EXPECT_EQ(v.at("title").as_string(), "Invalid date");
  EXPECT_EQ(v.at("status").as_int64(), 400);
  EXPECT_EQ(v.at("detail").as_string(), "31 February does not exist");
  EXPECT_EQ(v.at("code").as_string(), "date.impossible");
  EXPECT_EQ(v.at("field").as_string(), "date_of_birth");
}

TEST(ProblemTest, ProblemResponseOmitsEmptyField) {
  Response r = ProblemResponse(Error{"citizen.not_found", "no such citizen", ""});
  EXPECT_EQ(r.status, 404u);
  auto v = boost::json::parse(r.body).as_object();
  EXPECT_FALSE(v.contains("field"));
}

TEST(ProblemTest, ExplicitStatusUsesReasonPhraseWhenTableDisagrees) {
  Response r = ProblemResponse(503, "service.unavailable", "try later");
  EXPECT_EQ(r.status, 503u);
  auto v = boost::json::parse(r.body).as_object();
  EXPECT_EQ(v.at("title").as_string(), "Service Unavailable");
  EXPECT_EQ(v.at("status").as_int64(), 503);

  Response known = ProblemResponse(401, "auth.unauthenticated", "log in");
  EXPECT_EQ(boost::json::parse(known.body).at("title").as_string(),
            "Authentication required");
}

TEST(ResponseTest, JsonAndTextResponses) {
  Response j = JsonResponse(201, boost::json::object{{"a", 1}});
  EXPECT_EQ(j.status, 201u);
  EXPECT_EQ(j.content_type, "application/json");
  EXPECT_EQ(j.body, R"({"a":1})");
  Response t = TextResponse(200, "text/plain; version=0.0.4", "x 1\n");
  EXPECT_EQ(t.content_type, "text/plain; version=0.0.4");
  EXPECT_EQ(t.body, "x 1\n");
}

}  // namespace
}  // namespace dancu::http
