#include "http/request_context.h"

#include <stdexcept>

#include <gtest/gtest.h>

namespace dancu::http {
namespace {

namespace bhttp = boost::beast::http;

RequestContext Make(std::string target,
                    std::vector<std::pair<std::string, std::string>> headers = {}) {
  Request req{bhttp::verb::get, target, 11};
  for (auto& [k, v] : headers) req.set(k, v);
  req.body() = "payload";
  return RequestContext::MakeForTest(std::move(req), "10.0.0.7");
}

TEST(RequestContextTest, ExposesTheRequest) {
  auto ctx = Make("/v1/citizens?limit=5", {{"X-Custom", "yes"}});
  EXPECT_EQ(ctx.method(), bhttp::verb::get);
  EXPECT_EQ(ctx.target(), "/v1/citizens?limit=5");
  EXPECT_EQ(ctx.path(), "/v1/citizens");
  EXPECT_EQ(ctx.body(), "payload");
  EXPECT_EQ(ctx.remote_address(), "10.0.0.7");
  EXPECT_EQ(ctx.header("x-custom"), "yes");
  EXPECT_EQ(ctx.header("X-CUSTOM"), "yes");
  EXPECT_EQ(ctx.header("X-Missing"), std::nullopt);
  EXPECT_EQ(ctx.principal.kind, Principal::Kind::kAnonymous);
}

TEST(RequestContextTest, DecodesPathAndQuery) {
  auto ctx = Make("/v1/t%E1%BB%AB/a%2Fb?q=Nguy%E1%BB%85n+V%C4%83n&x=1&x=2&flag"
                  "&sp%20ace=%2B");
  EXPECT_EQ(ctx.path(), "/v1/từ/a/b");
  EXPECT_EQ(ctx.query("q"), "Nguyễn Văn");
  EXPECT_EQ(ctx.query("x"), "1");  // first value
  EXPECT_EQ(ctx.query("flag"), "");
  EXPECT_EQ(ctx.query("sp ace"), "+");
  EXPECT_EQ(ctx.query("missing"), std::nullopt);
}

TEST(RequestContextTest, RejectsTargetsThatAreNotOriginForm) {
  for (std::string bad : {"/a%zz", "http://example.com/a", "*", "/a%2"}) {
    Request req{bhttp::verb::get, bad, 11};
    RequestContext ctx;
    auto s = ctx.Reset(req);
    ASSERT_FALSE(s.has_value()) << bad;
    EXPECT_EQ(s.error().code, "request.bad_parameter");
    EXPECT_THROW(RequestContext::MakeForTest(req), std::invalid_argument);
  }
}

TEST(RequestContextTest, RequestIdFromHeaderOnlyWhenSane) {
  EXPECT_EQ(Make("/", {{"X-Request-Id", "abc-123_x.y:z"}}).request_id(),
            "abc-123_x.y:z");
  for (std::string bad :
       {std::string("has space"), std::string("semi;colon"), std::string(65, 'a')}) {
    std::string id = Make("/", {{"X-Request-Id", bad}}).request_id();
    EXPECT_EQ(id.size(), 16u) << bad;
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  }
  EXPECT_NE(Make("/").request_id(), Make("/").request_id());
}

TEST(RequestContextTest, SurvivesMove) {
  auto ctx = Make("/a/b?k=v");
  ctx.SetPathParamForTest("id", "42");
  RequestContext moved = std::move(ctx);
  EXPECT_EQ(moved.path(), "/a/b");
  EXPECT_EQ(moved.query("k"), "v");
  EXPECT_EQ(moved.path_param("id"), "42");
  EXPECT_EQ(moved.path_param("nope"), "");
}

}  // namespace
}  // namespace dancu::http
