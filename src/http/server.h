// Server: HTTP/1.1 over TCP (Boost.Beast + Asio C++20 coroutines).
//
// Layers: Server (accept, sessions, framing, timeouts) -> authentication
// middleware (the one Authenticator, then Access check) -> Router -> handler.
// Per connection: keep-alive, requests read with Beast's parser and
// body_limit (or, for BodyMode::kFile routes, authenticated right after the
// headers and streamed to a file: router.h); a request over body_limit gets 413 request.too_large, malformed
// HTTP gets 400 request.malformed_http (431 for oversized headers), an invalid
// request-target 400 request.bad_parameter; after any of these the connection
// is closed. Timeouts: header_timeout for the first request's headers,
// idle_timeout between keep-alive requests, request_timeout for a body and
// for writing a response; a timed-out connection is closed without a reply.
// A handler exception becomes 500 internal.error (logged with the request id;
// the server keeps serving). Every response carries Content-Type,
// Content-Length, X-Request-Id, and Cache-Control: no-store on JSON.
//
// Metrics: dancu_http_requests_total{route,method,status},
// dancu_http_request_duration_seconds{route} (route is the pattern, or
// "unmatched"), dancu_http_open_connections.
//
// Lifecycle: construct, Listen() (binds; port 0 picks a free port), Run()
// (blocks on the calling thread plus threads-1 more), Stop() from any thread
// or SIGINT/SIGTERM (when handle_signals). Stop is graceful: the listener
// closes, idle keep-alive connections are closed at once, in-flight requests
// finish and get "Connection: close", and whatever is left after
// drain_timeout is closed by force. Run returns when every connection is
// gone. Handlers are synchronous and cannot be interrupted, so a handler that
// never returns also keeps Run from returning.
//
// The Router, Authenticator and Metrics must outlive the Server; the Router
// must not change after construction.
//
// Thread safety: Stop() is safe from any thread (including handlers and
// before Run). Listen and Run are called once, from one thread; destroy the
// Server only after Run has returned (or if it never ran).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/metrics.h"
#include "http/authenticator.h"
#include "http/router.h"

namespace dancu::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  int threads = 0;  // 0 = std::thread::hardware_concurrency()
  size_t body_limit = 1 << 20;
  // Larger limits for exact paths that take bulk bodies (POST
  // /v1/verify/batch): {path, limit}. Checked once the headers are read.
  std::vector<std::pair<std::string, size_t>> path_body_limits;
  // Routes with BodyMode::kFile stream their body into a new file in
  // upload_dir (default: the system temp directory; put it on the same file
  // system as where handlers move uploads) up to upload_limit bytes. Their
  // body is read with request_timeout per read, not for the whole body, so
  // a slow but steady upload of any size completes.
  std::filesystem::path upload_dir;
  uint64_t upload_limit = uint64_t{1} << 40;
  std::chrono::seconds header_timeout{10};
  std::chrono::seconds request_timeout{30};
  std::chrono::seconds idle_timeout{60};
  std::chrono::seconds drain_timeout{10};
  bool handle_signals = true;  // SIGINT/SIGTERM call Stop() while Run() runs
};

class Server {
 public:
  Server(ServerOptions options, const Router& router,
         const Authenticator& authenticator, Metrics& metrics);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. Errors: http.bind (bad host, port in use, ...).
  Result<uint16_t> Listen();
  // Serves until Stop() or a signal, then drains. Throws std::logic_error
  // if Listen() has not succeeded.
  void Run();
  void Stop();

  class Impl;  // defined in server.cc; named here only for its helpers

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace dancu::http
