#include "http/router.h"

#include <stdexcept>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace dancu::http {
namespace {

namespace bhttp = boost::beast::http;
using bhttp::verb;

Handler Named(std::string name) {
  return [name](RequestContext& ctx) {
    std::string body = name;
    body += "|id=";
    body += ctx.path_param("id");
    body += "|";
    body += ctx.route_pattern();
    return TextResponse(200, "text/plain", body);
  };
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router_.Add(verb::get, "/", Named("root"), Access::kPublic);
    router_.Add(verb::get, "/v1/citizens/{id}", Named("get"));
    router_.Add(verb::put, "/v1/citizens/{id}", Named("put"));
    router_.Add(verb::get, "/v1/citizens/search", Named("search"));
    router_.Add(verb::get, "/v1/citizens/{id}/history", Named("history"));
    router_.Add(verb::post, "/v1/citizens", Named("create"));
    router_.Add(verb::get, "/v1/citizens", Named("list"));
  }

  Response Dispatch(verb method, std::string target) {
    auto ctx = RequestContext::MakeForTest(Request{method, target, 11});
    return router_.Dispatch(ctx);
  }

  Router router_;
};

TEST_F(RouterTest, MatchTable) {
  struct Case {
    verb method;
    std::string target;
    unsigned status;
    std::string body;  // for 200
  };
  const Case cases[] = {
      {verb::get, "/", 200, "root|id=|/"},
      {verb::get, "/v1/citizens/001099012345", 200,
       "get|id=001099012345|/v1/citizens/{id}"},
      {verb::put, "/v1/citizens/7", 200, "put|id=7|/v1/citizens/{id}"},
      // Literal beats parameter.
      {verb::get, "/v1/citizens/search", 200,
       "search|id=|/v1/citizens/search"},
      {verb::get, "/v1/citizens/7/history", 200,
       "history|id=7|/v1/citizens/{id}/history"},
      // "search" has nothing below it: backtrack to {id}.
      {verb::get, "/v1/citizens/search/history", 200,
       "history|id=search|/v1/citizens/{id}/history"},
      // Parameters are decoded after splitting: %2F stays in the segment.
      {verb::get, "/v1/citizens/a%2Fb", 200, "get|id=a/b|/v1/citizens/{id}"},
      {verb::get, "/v1/citizens?limit=2", 200, "list|id=|/v1/citizens"},
      {verb::post, "/v1/citizens", 200, "create|id=|/v1/citizens"},
      {verb::get, "/v1/nope", 404, ""},
      {verb::get, "/v1/citizens/", 404, ""},  // trailing slash is significant
      {verb::get, "/v1//citizens", 404, ""},
      {verb::get, "/v1/citizens/7/history/x", 404, ""},
      {verb::get, "/v2/citizens/7", 404, ""},
      {verb::delete_, "/v1/citizens/7", 405, ""},
      {verb::post, "/v1/citizens/search", 405, ""},
  };
  for (const Case& c : cases) {
    Response r = Dispatch(c.method, c.target);
    EXPECT_EQ(r.status, c.status) << c.target;
    if (c.status == 200) {
      EXPECT_EQ(r.body, c.body) << c.target;
    }
  }
}

TEST_F(RouterTest, NotFoundIsAProblem) {
  Response r = Dispatch(verb::get, "/v1/nope");
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_EQ(boost::json::parse(r.body).at("code").as_string(),
            "request.not_found");
}

TEST_F(RouterTest, MethodNotAllowedListsAllowedMethods) {
  Response r = Dispatch(verb::delete_, "/v1/citizens/7");
  ASSERT_EQ(r.status, 405u);
  EXPECT_EQ(boost::json::parse(r.body).at("code").as_string(),
            "request.method_not_allowed");
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "Allow");
  EXPECT_EQ(r.headers[0].second, "GET, PUT");

  Response list = Dispatch(verb::delete_, "/v1/citizens");
  ASSERT_EQ(list.status, 405u);
  EXPECT_EQ(list.headers[0].second, "POST, GET");
}

TEST_F(RouterTest, MatchExposesRouteForTheServer) {
  auto ctx = RequestContext::MakeForTest(
      Request{verb::get, "/v1/citizens/9/history", 11});
  RouteMatch m = router_.Match(ctx);
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/v1/citizens/{id}/history");
  EXPECT_EQ(m.route->access, Access::kAuthenticated);
  EXPECT_EQ(&router_.route(m.route->index), m.route);
  EXPECT_EQ(ctx.path_param("id"), "9");
  EXPECT_TRUE(m.allow.empty());
}

TEST(RouterAddTest, RejectsBadTables) {
  Router r;
  r.Add(verb::get, "/a/{id}", Named("x"));
  EXPECT_THROW(r.Add(verb::get, "/a/{id}", Named("y")), std::invalid_argument);
  EXPECT_THROW(r.Add(verb::get, "/a/{key}/b", Named("y")),
               std::invalid_argument);
  for (std::string bad : {"", "a/b", "/a//b", "/a/", "/{}", "/{a", "/a}",
                          "/x{a}", "/{a}b", "/{a{b}}"}) {
    EXPECT_THROW(r.Add(verb::get, bad, Named("z")), std::invalid_argument)
        << bad;
  }
  EXPECT_THROW(r.Add(verb::get, "/ok", nullptr), std::invalid_argument);
  EXPECT_NO_THROW(r.Add(verb::post, "/a/{id}", Named("y")));
  EXPECT_EQ(r.size(), 2u);
}

TEST(RouterAccessTest, EachPrincipalReachesOnlyTheRoutesOpenedToIt) {
  Router router;
  router.Add(verb::get, "/staff", Named("staff"));
  router.Add(verb::post, "/verify", Named("verify"), Access::kAgency);
  router.Add(verb::get, "/open", Named("open"), Access::kPublic);
  router.Add(verb::post, "/events", Named("events"), Access::kOfficer);
  auto call = [&router](verb method, std::string target, Principal::Kind kind) {
    auto ctx = RequestContext::MakeForTest(Request{method, target, 11});
    ctx.principal = Principal{kind, "someone"};
    return router.Dispatch(ctx);
  };
  using K = Principal::Kind;
  struct Case {
    verb method;
    std::string target;
    K kind;
    unsigned status;
  } cases[] = {
      {verb::get, "/staff", K::kAdmin, 200},
      {verb::get, "/staff", K::kAgency, 403},
      // Anonymous callers of kAuthenticated routes are the server's to
      // refuse (401 before the handler); Dispatch leaves them through.
      {verb::get, "/staff", K::kAnonymous, 200},
      {verb::post, "/verify", K::kAdmin, 200},
      {verb::post, "/verify", K::kAgency, 200},
      {verb::post, "/verify", K::kAnonymous, 401},
      {verb::get, "/open", K::kAgency, 200},
      {verb::get, "/open", K::kAnonymous, 200},
      // Officers: only kOfficer routes (and public ones), never the staff
      // or agency routes; citizens reach neither.
      {verb::post, "/events", K::kOfficer, 200},
      {verb::post, "/events", K::kAdmin, 200},
      {verb::post, "/events", K::kAnonymous, 200},
      {verb::post, "/events", K::kAgency, 403},
      {verb::post, "/events", K::kCitizen, 403},
      {verb::get, "/staff", K::kOfficer, 403},
      {verb::get, "/staff", K::kCitizen, 403},
      {verb::post, "/verify", K::kOfficer, 403},
      {verb::post, "/verify", K::kCitizen, 403},
      {verb::get, "/open", K::kOfficer, 200},
  };
  for (const Case& c : cases) {
    Response r = call(c.method, c.target, c.kind);
    EXPECT_EQ(r.status, c.status) << c.target << " " << static_cast<int>(c.kind);
    if (c.status == 403) {
      EXPECT_NE(r.body.find("auth.forbidden"), std::string::npos);
    }
    if (c.status == 401) {
      EXPECT_NE(r.body.find("auth.unauthenticated"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace dancu::http
