#include "http/server.h"

#include <csignal>
#include <future>
#include <latch>
#include <memory>
#include <stdexcept>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <fstream>

#include "http/json_reader.h"
#include "support/http_client.h"
#include "support/temp_dir.h"

namespace dancu::http {
namespace {

namespace bhttp = boost::beast::http;
using bhttp::verb;
using test::HttpClient;
using test::HttpResult;

constexpr char kToken[] = "test-admin-token";

std::string Code(const HttpResult& r) {
  return std::string(boost::json::parse(r.body).at("code").as_string());
}

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() : auth_(kToken) {
    router_.Add(verb::get, "/ping", [](RequestContext&) {
      return JsonResponse(200, boost::json::object{{"ok", true}});
    }, Access::kPublic);
    router_.Add(verb::get, "/v1/things/{id}", [](RequestContext& ctx) {
      return JsonResponse(200, boost::json::object{
                                   {"id", ctx.path_param("id")},
                                   {"principal", ctx.principal.id}});
    });
    router_.Add(verb::post, "/echo", [](RequestContext& ctx) {
      auto body = ParseJsonObject(ctx.body());
      if (!body) return ProblemResponse(body.error());
      JsonFields f(*body);
      auto name = f.RequireString("name");
      if (!name) return ProblemResponse(name.error());
      if (auto s = f.Finish(); !s) return ProblemResponse(s.error());
      return JsonResponse(200, boost::json::object{{"name", *name}});
    }, Access::kPublic);
    router_.Add(verb::get, "/boom", [](RequestContext&) -> Response {
      throw std::runtime_error("handler bug");
    }, Access::kPublic);
    router_.Add(verb::get, "/bad-header", [](RequestContext&) {
      Response r = TextResponse(200, "text/plain", "x");
      r.headers.emplace_back("X-Evil", "a\r\nSet-Cookie: b");
      return r;
    }, Access::kPublic);
    router_.Add(verb::get, "/text", [](RequestContext&) {
      return TextResponse(200, "text/plain", "hello");
    }, Access::kPublic);
    // A streamed upload: reports what arrived and where; "?keep=1" moves the
    // file out of the upload directory, as a real handler would.
    router_.Add(verb::post, "/upload", [this](RequestContext& ctx) {
      const auto& file = ctx.body_file();
      upload_seen_ = file;
      std::ifstream in(file, std::ios::binary);
      std::string content((std::istreambuf_iterator<char>(in)), {});
      if (ctx.query("keep")) std::filesystem::rename(file, kept_.path() / "kept");
      return JsonResponse(200, boost::json::object{
                                   {"size", content.size()},
                                   {"buffered", ctx.body().size()},
                                   {"head", content.substr(0, 8)},
                                   {"principal", ctx.principal.id}});
    }, Access::kAuthenticated, BodyMode::kFile);
    router_.Add(verb::get, "/slow", [this](RequestContext&) {
      entered_.set_value();
      release_.wait();
      return JsonResponse(200, boost::json::object{{"slow", true}});
    }, Access::kPublic);
  }

  ~ServerTest() override {
    if (server_) {
      server_->Stop();
      if (run_thread_.joinable()) run_thread_.join();
    }
  }

  void Start(ServerOptions options = {}, bool handle_signals = false) {
    options.host = "127.0.0.1";
    options.port = 0;
    options.threads = 2;
    options.handle_signals = handle_signals;
    server_ = std::make_unique<Server>(options, router_, auth_, metrics_);
    auto port = server_->Listen();
    ASSERT_TRUE(port.has_value()) << port.error().message;
    port_ = *port;
    run_thread_ = std::thread([this] { server_->Run(); });
  }

  HttpClient Client() { return HttpClient("127.0.0.1", port_); }

  // Sends raw bytes on a fresh connection and reads until the server closes.
  std::string Raw(std::string_view bytes) {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket s(ioc);
    s.connect({boost::asio::ip::make_address("127.0.0.1"), port_});
    boost::asio::write(s, boost::asio::buffer(bytes.data(), bytes.size()));
    std::string out;
    boost::system::error_code ec;
    boost::asio::read(s, boost::asio::dynamic_buffer(out), ec);
    EXPECT_EQ(ec, boost::asio::error::eof);
    return out;
  }

  Router router_;
  AdminTokenAuthenticator auth_;
  Metrics metrics_;
  std::unique_ptr<Server> server_;
  std::thread run_thread_;
  uint16_t port_ = 0;
  std::promise<void> entered_;
  std::latch release_{1};
  dancu::testing::TempDir uploads_, kept_;
  std::filesystem::path upload_seen_;
};

// Files left in a directory.
size_t FileCount(const std::filesystem::path& dir) {
  return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(dir),
                                           std::filesystem::directory_iterator()));
}

TEST_F(ServerTest, ServesPublicRouteWithStandardHeaders) {
  Start();
  auto c = Client();
  HttpResult r = c.Request(verb::get, "/ping");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.body, R"({"ok":true})");
  EXPECT_EQ(r.headers["content-type"], "application/json");
  EXPECT_EQ(r.headers["content-length"], "11");
  EXPECT_EQ(r.headers["cache-control"], "no-store");
  EXPECT_EQ(r.headers["x-request-id"].size(), 16u);

  HttpResult t = c.Request(verb::get, "/text");
  EXPECT_EQ(t.body, "hello");
  EXPECT_EQ(t.headers["content-type"], "text/plain");
  EXPECT_EQ(t.headers.count("cache-control"), 0u);
}

TEST_F(ServerTest, EchoesSaneRequestId) {
  Start();
  auto c = Client();
  EXPECT_EQ(c.Request(verb::get, "/ping", "", {{"X-Request-Id", "req-42"}})
                .headers["x-request-id"],
            "req-42");
  EXPECT_NE(c.Request(verb::get, "/ping", "", {{"X-Request-Id", "bad id"}})
                .headers["x-request-id"],
            "bad id");
}

TEST_F(ServerTest, AuthenticatedRouteNeedsToken) {
  Start();
  auto c = Client();
  HttpResult anon = c.Request(verb::get, "/v1/things/42");
  EXPECT_EQ(anon.status, 401u);
  EXPECT_EQ(anon.headers["www-authenticate"], "Bearer");
  EXPECT_EQ(anon.headers["content-type"], "application/problem+json");
  EXPECT_EQ(Code(anon), "auth.unauthenticated");

  HttpResult wrong = c.Request(verb::get, "/v1/things/42", "",
                               {{"Authorization", "Bearer nope"}});
  EXPECT_EQ(wrong.status, 401u);

  HttpResult ok = c.Request(verb::get, "/v1/things/a%2Fb", "",
                            {{"Authorization", std::string("Bearer ") + kToken}});
  EXPECT_EQ(ok.status, 200u);
  EXPECT_EQ(ok.body, R"({"id":"a/b","principal":"admin"})");
}

TEST_F(ServerTest, UnknownRouteAndWrongMethod) {
  Start();
  auto c = Client();
  HttpResult nf = c.Request(verb::get, "/nope");
  EXPECT_EQ(nf.status, 404u);
  EXPECT_EQ(Code(nf), "request.not_found");
  HttpResult na = c.Request(verb::delete_, "/ping");
  EXPECT_EQ(na.status, 405u);
  EXPECT_EQ(na.headers["allow"], "GET");
  HttpResult bad = c.Request(verb::get, "/v1/things/%zz");
  EXPECT_EQ(bad.status, 400u);
  EXPECT_EQ(Code(bad), "request.bad_parameter");
  EXPECT_EQ(c.Request(verb::get, "/ping").status, 200u);  // still alive
  EXPECT_EQ(c.connections_opened(), 1);
}

TEST_F(ServerTest, StrictJsonBodies) {
  Start();
  auto c = Client();
  HttpResult ok = c.Request(verb::post, "/echo", R"({"name":"Lê Thị B"})");
  EXPECT_EQ(ok.status, 200u);
  EXPECT_EQ(ok.body, R"({"name":"Lê Thị B"})");

  HttpResult malformed = c.Request(verb::post, "/echo", R"({"name":)");
  EXPECT_EQ(malformed.status, 400u);
  EXPECT_EQ(malformed.headers["content-type"], "application/problem+json");
  EXPECT_EQ(Code(malformed), "request.malformed_json");

  HttpResult unknown =
      c.Request(verb::post, "/echo", R"({"name":"a","nmae":"b"})");
  EXPECT_EQ(unknown.status, 400u);
  EXPECT_EQ(Code(unknown), "request.unknown_field");
  EXPECT_EQ(boost::json::parse(unknown.body).at("field").as_string(), "nmae");
}

TEST_F(ServerTest, OversizeBodyIs413AndCloses) {
  ServerOptions options;
  options.body_limit = 1024;
  Start(options);
  auto c = Client();
  HttpResult r = c.Request(verb::post, "/echo", std::string(4096, 'x'));
  EXPECT_EQ(r.status, 413u);
  EXPECT_EQ(r.headers["content-type"], "application/problem+json");
  EXPECT_EQ(r.headers["connection"], "close");
  EXPECT_EQ(Code(r), "request.too_large");
  EXPECT_FALSE(c.connected());
  // A body at the limit is fine (on a new connection).
  HttpResult at_limit = c.Request(
      verb::post, "/echo",
      R"({"name":")" + std::string(1024 - 11, 'y') + R"("})");
  EXPECT_EQ(at_limit.status, 200u);
}

TEST_F(ServerTest, FileBodyRouteStreamsPastTheBodyLimitAndCleansUp) {
  ServerOptions options;
  options.body_limit = 1024;
  options.upload_dir = uploads_.path();
  Start(options);
  auto c = Client();
  std::string body = "id,name\n" + std::string(3 << 20, 'x');
  HttpResult r = c.Request(verb::post, "/upload", body,
                           {{"Authorization", std::string("Bearer ") + kToken}});
  ASSERT_EQ(r.status, 200u) << r.body;
  auto json = boost::json::parse(r.body);
  EXPECT_EQ(json.at("size").as_int64(), static_cast<int64_t>(body.size()));
  EXPECT_EQ(json.at("buffered").as_int64(), 0);
  EXPECT_EQ(json.at("head").as_string(), "id,name\n");
  EXPECT_EQ(json.at("principal").as_string(), "admin");
  EXPECT_EQ(upload_seen_.parent_path(), uploads_.path());
  EXPECT_EQ(FileCount(uploads_.path()), 0u) << "the server removes the upload";
  // The connection stays usable, and a buffered route keeps its own limit.
  EXPECT_TRUE(c.connected());
  EXPECT_EQ(c.Request(verb::get, "/ping").status, 200u);
  EXPECT_EQ(c.Request(verb::post, "/echo", std::string(4096, 'x')).status, 413u);
}

TEST_F(ServerTest, FileBodyRouteKeepsAFileTheHandlerMoved) {
  ServerOptions options;
  options.upload_dir = uploads_.path();
  Start(options);
  auto c = Client();
  HttpResult r = c.Request(verb::post, "/upload?keep=1", "a;b\n1;2\n",
                           {{"Authorization", std::string("Bearer ") + kToken}});
  ASSERT_EQ(r.status, 200u) << r.body;
  std::ifstream in(kept_.path() / "kept");
  std::string kept((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(kept, "a;b\n1;2\n");
}

TEST_F(ServerTest, FileBodyRouteAuthenticatesBeforeStoringAnything) {
  ServerOptions options;
  options.upload_dir = uploads_.path();
  Start(options);
  auto c = Client();
  HttpResult r = c.Request(verb::post, "/upload", std::string(1 << 20, 'x'));
  EXPECT_EQ(r.status, 401u);
  EXPECT_EQ(Code(r), "auth.unauthenticated");
  EXPECT_EQ(r.headers["connection"], "close");
  EXPECT_EQ(upload_seen_, std::filesystem::path());
  EXPECT_EQ(FileCount(uploads_.path()), 0u);
}

TEST_F(ServerTest, FileBodyRouteRejectsBodiesOverTheUploadLimit) {
  ServerOptions options;
  options.upload_dir = uploads_.path();
  options.upload_limit = 4096;
  Start(options);
  auto c = Client();
  HttpResult declared = c.Request(verb::post, "/upload", std::string(8192, 'x'),
                                  {{"Authorization", std::string("Bearer ") + kToken}});
  EXPECT_EQ(declared.status, 413u);
  EXPECT_EQ(Code(declared), "request.too_large");
  // Chunked: the limit is enforced as the body arrives.
  std::string chunked =
      "POST /upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
      std::string(kToken) + "\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) chunked += "800\r\n" + std::string(2048, 'y') + "\r\n";
  chunked += "0\r\n\r\n";
  std::string reply = Raw(chunked);
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 413 ")) << reply.substr(0, 200);
  EXPECT_EQ(upload_seen_, std::filesystem::path());
  EXPECT_EQ(FileCount(uploads_.path()), 0u);
}

TEST_F(ServerTest, FileBodyRouteTakesChunkedBodies) {
  ServerOptions options;
  options.upload_dir = uploads_.path();
  Start(options);
  std::string chunked =
      "POST /upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer " +
      std::string(kToken) + "\r\nTransfer-Encoding: chunked\r\n\r\n" +
      "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
  std::string reply = Raw(chunked);
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 200 OK\r\n")) << reply;
  EXPECT_NE(reply.find(R"("size":11)"), std::string::npos) << reply;
  EXPECT_EQ(FileCount(uploads_.path()), 0u);
}

TEST_F(ServerTest, MalformedHttpIs400AndCloses) {
  Start();
  std::string reply = Raw("NOT HTTP AT ALL\r\n\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 400 Bad Request\r\n")) << reply;
  EXPECT_NE(reply.find("request.malformed_http"), std::string::npos);
  EXPECT_NE(reply.find("Connection: close\r\n"), std::string::npos);
}

TEST_F(ServerTest, Http10ClosesUnlessKeepAlive) {
  Start();
  std::string reply = Raw("GET /ping HTTP/1.0\r\n\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 200 OK\r\n")) << reply;
  EXPECT_TRUE(reply.ends_with(R"({"ok":true})")) << reply;
}

TEST_F(ServerTest, HandlerExceptionIs500AndServerKeepsServing) {
  Start();
  auto c = Client();
  HttpResult r = c.Request(verb::get, "/boom");
  EXPECT_EQ(r.status, 500u);
  EXPECT_EQ(Code(r), "internal.error");
  EXPECT_EQ(r.body.find("handler bug"), std::string::npos);  // no leak
  HttpResult evil = c.Request(verb::get, "/bad-header");
  EXPECT_EQ(evil.status, 500u);
  EXPECT_EQ(evil.headers.count("set-cookie"), 0u);
  EXPECT_EQ(c.Request(verb::get, "/ping").status, 200u);
  EXPECT_EQ(c.connections_opened(), 1);
}

TEST_F(ServerTest, KeepAliveReusesOneConnection) {
  Start();
  auto c = Client();
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(c.Request(verb::get, "/ping").status, 200u);
  }
  EXPECT_EQ(c.connections_opened(), 1);
  EXPECT_TRUE(c.connected());
}

TEST_F(ServerTest, RecordsRequestMetrics) {
  Start();
  auto c = Client();
  c.Request(verb::get, "/ping");
  c.Request(verb::get, "/ping");
  c.Request(verb::get, "/v1/things/1");
  c.Request(verb::get, "/nope");
  std::string text = metrics_.RenderPrometheus();
  EXPECT_NE(text.find("dancu_http_requests_total{method=\"GET\",route=\"/ping\","
                      "status=\"200\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("dancu_http_requests_total{method=\"GET\",route=\"/v1/"
                      "things/{id}\",status=\"401\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("dancu_http_requests_total{method=\"GET\",route="
                      "\"unmatched\",status=\"404\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("dancu_http_request_duration_seconds_count{route=\"/ping\"} 2\n"),
            std::string::npos)
      << text;
}

TEST_F(ServerTest, StopDrainsInFlightRequestAndClosesIdleConnections) {
  ServerOptions options;
  // Long enough that the test would hang (and fail by timeout) if draining
  // relied on it rather than on closing idle connections promptly.
  options.drain_timeout = std::chrono::seconds(600);
  Start(options);

  auto idle = Client();
  ASSERT_EQ(idle.Request(verb::get, "/ping").status, 200u);

  HttpResult slow;
  std::thread in_flight([&] {
    auto c = Client();
    slow = c.Request(verb::get, "/slow");
  });
  entered_.get_future().wait();  // the handler is running
  server_->Stop();
  release_.count_down();
  in_flight.join();
  run_thread_.join();  // Run() returned: every connection is gone

  EXPECT_EQ(slow.status, 200u);
  EXPECT_EQ(slow.body, R"({"slow":true})");
  EXPECT_EQ(slow.headers["connection"], "close");
  EXPECT_TRUE(idle.WaitForServerClose());
  EXPECT_THROW(Client().Request(verb::get, "/ping"), std::runtime_error);
}

TEST_F(ServerTest, SigtermStopsRun) {
  Start({}, /*handle_signals=*/true);
  auto c = Client();
  // Served, so Run() has installed its signal handler.
  ASSERT_EQ(c.Request(verb::get, "/ping").status, 200u);
  std::raise(SIGTERM);
  run_thread_.join();
  EXPECT_TRUE(c.WaitForServerClose());
}

TEST_F(ServerTest, StopBeforeRunReturnsPromptly) {
  Server server(ServerOptions{.host = "127.0.0.1", .port = 0, .threads = 1,
                              .handle_signals = false},
                router_, auth_, metrics_);
  ASSERT_TRUE(server.Listen().has_value());
  server.Stop();
  server.Run();  // returns: nothing to drain
}

TEST_F(ServerTest, ListenReportsBindErrors) {
  Start();
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = port_;  // taken
  options.handle_signals = false;
  Server second(options, router_, auth_, metrics_);
  auto r = second.Listen();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "http.bind");

  options.host = "not-an-address.invalid";
  Server third(options, router_, auth_, metrics_);
  EXPECT_FALSE(third.Listen().has_value());
}

}  // namespace
}  // namespace dancu::http
