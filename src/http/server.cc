#include "http/server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <csignal>
#include <exception>
#include <filesystem>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unistd.h>
#include <unordered_map>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <spdlog/spdlog.h>

namespace dancu::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

// One single-threaded io_context per server thread; each connection lives on
// one of them for its whole life, so a connection's handlers never run
// concurrently and need no strand (and no lock in the io_context: measured
// faster than one shared multi-threaded io_context with a strand per
// connection, docs/benchmarks.md). Naming the concrete executor type instead
// of any_io_executor keeps type erasure off the per-request path.
using Executor = asio::io_context::executor_type;
using Stream = beast::basic_stream<tcp, Executor>;
using Acceptor = tcp::acceptor::rebind_executor<Executor>::other;
using Timer = asio::steady_timer::rebind_executor<Executor>::other;
template <class T>
using Task = asio::awaitable<T, Executor>;
constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable_t<Executor>{});

constexpr std::string_view kUnmatchedRoute = "unmatched";
// Bytes of an unwanted request body read and discarded before closing after
// an error reply, so the client sees our reply instead of a TCP reset.
constexpr size_t kMaxLingerBytes = 1 << 20;
constexpr std::chrono::seconds kMaxLinger{5};

const std::vector<double> kDurationBounds = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
    0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,     10};

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && beast::iequals(a, b);
}

// RFC 9110 token characters.
bool IsTokenChar(unsigned char c) {
  if (c >= 'a' && c <= 'z') return true;
  if (c >= 'A' && c <= 'Z') return true;
  if (c >= '0' && c <= '9') return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) !=
         std::string_view::npos;
}

bool IsValidHeader(std::string_view name, std::string_view value) {
  if (name.empty()) return false;
  for (unsigned char c : name) {
    if (!IsTokenChar(c)) return false;
  }
  for (unsigned char c : value) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

// Headers the server owns; a handler's copy would corrupt the framing.
bool IsServerOwnedHeader(std::string_view name) {
  return IEquals(name, "Content-Length") || IEquals(name, "Transfer-Encoding") ||
         IEquals(name, "Connection") || IEquals(name, "Content-Type") ||
         IEquals(name, "X-Request-Id");
}

bool IsJson(std::string_view content_type) {
  std::string_view base = content_type.substr(0, content_type.find(';'));
  return IEquals(base, "application/json") ||
         (base.size() >= 5 && IEquals(base.substr(base.size() - 5), "+json"));
}

bool StatusHasNoBody(unsigned status) {
  return status < 200 || status == 204 || status == 304;
}

void AppendUnsigned(std::string& out, size_t v) {
  char buf[24];
  char* p = buf + sizeof buf;
  do {
    *--p = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  out.append(p, buf + sizeof buf - p);
}

// Writes the status line and headers. Returns whether the body is sent.
bool SerializeHead(std::string& out, const Response& r,
                   std::string_view request_id, unsigned version,
                   bool keep_alive, bool head_request) {
  out.clear();
  out += "HTTP/1.1 ";
  AppendUnsigned(out, r.status);
  out += ' ';
  auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(r.status));
  out.append(reason.data(), reason.size());
  out += "\r\n";
  bool no_body = StatusHasNoBody(r.status);
  if (!no_body) {
    if (!r.content_type.empty()) {
      out += "Content-Type: ";
      out += r.content_type;
      out += "\r\n";
    }
    out += "Content-Length: ";
    AppendUnsigned(out, r.body.size());
    out += "\r\n";
  }
  out += "X-Request-Id: ";
  out += request_id;
  out += "\r\n";
  bool has_cache_control = false;
  for (const auto& [name, value] : r.headers) {
    if (IsServerOwnedHeader(name)) continue;
    has_cache_control = has_cache_control || IEquals(name, "Cache-Control");
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  if (!has_cache_control && !no_body && IsJson(r.content_type)) {
    out += "Cache-Control: no-store\r\n";
  }
  if (!keep_alive) {
    out += "Connection: close\r\n";
  } else if (version < 11) {
    out += "Connection: keep-alive\r\n";
  }
  out += "\r\n";
  return !no_body && !head_request;
}

std::string_view MethodLabel(bhttp::verb method) {
  // Unknown methods share one label so clients cannot grow the registry.
  if (method == bhttp::verb::unknown) return "OTHER";
  auto s = bhttp::to_string(method);
  return std::string_view(s.data(), s.size());
}

// Per-route metric handles. The duration histogram is resolved up front; the
// request counter depends on (method, status) and is cached lazily in a small
// publish-once table so that the steady state takes no lock.
struct RouteStats {
  struct Slot {
    std::atomic<uint32_t> key{0};  // (method << 16) | status; 0 = empty
    std::atomic<Counter*> counter{nullptr};
  };
  std::string label;
  Histogram* duration = nullptr;
  std::array<Slot, 16> slots;
};

}  // namespace

class Session;

static std::vector<std::unique_ptr<asio::io_context>> MakeContexts(int n) {
  std::vector<std::unique_ptr<asio::io_context>> out;
  // Hint 1: each io_context is run by one thread (posts from other threads
  // stay safe).
  for (int i = 0; i < n; ++i) out.push_back(std::make_unique<asio::io_context>(1));
  return out;
}

class Server::Impl {
 public:
  Impl(ServerOptions options, const Router& router,
       const Authenticator& authenticator, Metrics& metrics);
  ~Impl();

  Result<uint16_t> Listen();
  void Run();
  void Stop();

  const ServerOptions& options() const { return options_; }
  // The largest body any route accepts: Beast checks Content-Length against
  // it while reading headers, before the route is known.
  uint64_t max_body_limit() const { return max_body_limit_; }
  bool has_upload_routes() const { return has_upload_routes_; }
  // A fresh path in the upload directory for one request body.
  std::filesystem::path NewUploadPath(std::string_view request_id);
  const Router& router() const { return router_; }
  const Authenticator& authenticator() const { return authenticator_; }
  bool stopping() const { return stopping_.load(std::memory_order_acquire); }

  RouteStats& Stats(size_t route_index) { return *route_stats_[route_index]; }
  RouteStats& UnmatchedStats() { return *route_stats_.back(); }
  Counter& RequestCounter(RouteStats& stats, bhttp::verb method,
                          unsigned status);
  void Unregister(Session* session);

 private:
  Task<void> Accept();
  void BeginDrain();  // on control_
  void CheckDrained();  // on control_
  void ReleaseIfDrained();  // on control_
  static void RunLoop(asio::io_context& ioc);

  const ServerOptions options_;
  uint64_t max_body_limit_ = 0;
  bool has_upload_routes_ = false;
  std::atomic<uint64_t> upload_counter_{0};
  const Router& router_;
  const Authenticator& authenticator_;
  Metrics& metrics_;
  Gauge& open_connections_;
  std::vector<std::unique_ptr<RouteStats>> route_stats_;  // + unmatched
  std::mutex counter_mu_;  // serializes RequestCounter's slow path

  std::atomic<bool> stopping_{false};
  bool destroying_ = false;
  std::mutex sessions_mu_;
  std::unordered_map<Session*, std::shared_ptr<Session>> sessions_;

  // Declared after the session set: destroying an io_context destroys
  // suspended session coroutines, which unregister themselves.
  std::vector<std::unique_ptr<asio::io_context>> contexts_;  // one per thread
  // Keep the io_contexts running while they have no connection; released
  // once a stop has drained every connection.
  std::vector<asio::executor_work_guard<Executor>> guards_;  // on control_
  size_t next_context_ = 0;  // Accept() only
  Executor control_;  // contexts_[0]: acceptor, signals, drain
  Acceptor acceptor_;
  Timer drain_timer_;
  std::optional<asio::signal_set> signals_;
};

// One TCP connection: the read / handle / write loop. Everything here runs
// on the connection's io_context thread, so Stop's closures (posted to the
// same executor) see a consistent idle_ flag.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Server::Impl& server, Stream::socket_type socket)
      : server_(server),
        stream_(std::move(socket)),
        ctx_(RemoteAddress(stream_.socket())) {}

  // The request loop. The caller keeps the Session alive until it completes.
  Task<void> Loop();

  Executor executor() { return stream_.get_executor(); }

  // Stop: a connection waiting for its next request (nothing buffered) is
  // closed now; one with a request under way finishes it first.
  void CloseIfIdle() {
    if (idle_ && buffer_.size() == 0) Close();
  }
  // drain_timeout passed.
  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

 private:
  static std::string RemoteAddress(const Stream::socket_type& s) {
    beast::error_code ec;
    auto ep = s.remote_endpoint(ec);
    return ec ? std::string() : ep.address().to_string();
  }

  Response Handle(const Request& request, RouteStats*& stats);
  // 401 when `route` needs a principal and the request proves none.
  std::optional<Response> Authenticate(const Route& route);
  // Serves one request to a BodyMode::kFile route, whose headers are in
  // `parser` and already routed into ctx_. Returns whether to keep the
  // connection.
  Task<bool> ServeUpload(bhttp::request_parser<bhttp::string_body>& parser,
                         const Route& route,
                         std::chrono::steady_clock::time_point start);
  Response SafeHandle(const Request& request, RouteStats*& stats);
  Response HandleReadError(beast::error_code ec);
  Task<bool> Write(const Response& response,
                              std::string_view request_id, unsigned version,
                              bool keep_alive, bool head_request);
  Task<void> LingeringClose();
  void Record(RouteStats& stats, bhttp::verb method, unsigned status,
              std::chrono::steady_clock::time_point start);

  Server::Impl& server_;
  Stream stream_;
  beast::flat_buffer buffer_;
  RequestContext ctx_;
  std::string head_;  // serialized response head, reused
  std::filesystem::path upload_path_;  // during ServeUpload's handler call
  std::optional<RouteMatch> routed_;   // set by Loop from the headers, see there
  bool idle_ = true;
};

Task<void> Session::Loop() {
  // Unregisters however the loop ends, so that a drain never waits on a
  // connection that is gone.
  struct Registration {
    Server::Impl& server;
    Session* session;
    ~Registration() { server.Unregister(session); }
  } registration{server_, this};
  const ServerOptions& opts = server_.options();
  bool first = true;
  for (;;) {
    // Stop() may have run while the last response was written: do not start
    // waiting for a request that would only be cut off.
    if (server_.stopping()) break;
    idle_ = true;
    bhttp::request_parser<bhttp::string_body> parser;
    // Beast checks Content-Length against the limit while reading the
    // headers, before the path is known: start from the largest limit and
    // apply the path's own limit once the headers are in (below).
    parser.body_limit(server_.max_body_limit());
    stream_.expires_after(first || buffer_.size() != 0 ? opts.header_timeout
                                                        : opts.idle_timeout);
    auto [ec, n] =
        co_await bhttp::async_read_header(stream_, buffer_, parser, kUseTuple);
    idle_ = false;
    first = false;
    auto start = std::chrono::steady_clock::now();
    routed_.reset();
    if (!ec && !parser.is_done() && server_.has_upload_routes()) {
      // Routed from the headers, to stream an upload route's body; Handle
      // reuses the match for the other routes (same request object).
      if (ctx_.Reset(parser.get())) routed_ = server_.router().Match(ctx_);
      if (routed_ && routed_->route != nullptr &&
          routed_->route->body_mode == BodyMode::kFile) {
        const Route& route = *routed_->route;
        routed_.reset();  // ServeUpload hands the handler another request
        if (!co_await ServeUpload(parser, route, start)) break;
        continue;
      }
    }
    if (!ec && !parser.is_done()) {
      std::string_view target = parser.get().target();
      target = target.substr(0, target.find('?'));
      size_t body_limit = opts.body_limit;
      for (const auto& [path, limit] : opts.path_body_limits) {
        if (target == path) body_limit = limit;
      }
      parser.body_limit(body_limit);  // chunked bodies: checked as they arrive
      if (parser.content_length() && *parser.content_length() > body_limit) {
        ec = bhttp::error::body_limit;
      }
      auto expect = parser.get()[bhttp::field::expect];
      if (!ec && IEquals(std::string_view(expect.data(), expect.size()),
                  "100-continue")) {
        static constexpr std::string_view kContinue =
            "HTTP/1.1 100 Continue\r\n\r\n";
        stream_.expires_after(opts.request_timeout);
        auto [wec, wn] = co_await asio::async_write(
            stream_, asio::buffer(kContinue.data(), kContinue.size()),
            kUseTuple);
        ec = wec;
      }
      if (!ec) {
        stream_.expires_after(opts.request_timeout);
        auto [rec, rn] =
            co_await bhttp::async_read(stream_, buffer_, parser, kUseTuple);
        ec = rec;
      }
    }
    if (ec) {
      Response r = HandleReadError(ec);
      if (r.status != 0) {
        bhttp::verb method =
            parser.is_header_done() ? parser.get().method() : bhttp::verb::unknown;
        Record(server_.UnmatchedStats(), method, r.status, start);
        co_await Write(r, NewRequestId(), 11, /*keep_alive=*/false,
                       /*head_request=*/false);
        co_await LingeringClose();
      }
      break;
    }

    const Request& request = parser.get();
    RouteStats* stats = &server_.UnmatchedStats();
    Response response = SafeHandle(request, stats);
    // Read after the handler: a Stop() during it must still close this
    // connection once the response is out.
    bool keep_alive = request.keep_alive() && !server_.stopping();
    // Recorded before writing so that a client that has its response also
    // sees it counted (tests and scrapes right after a request rely on it).
    Record(*stats, request.method(), response.status, start);
    bool ok = co_await Write(response, ctx_.request_id(), request.version(),
                             keep_alive, request.method() == bhttp::verb::head);
    if (!ok) break;
    if (!keep_alive) {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      break;
    }
  }
}

// The one catch-all for handler code.
Response Session::SafeHandle(const Request& request, RouteStats*& stats) {
  try {
    Response response = Handle(request, stats);
    for (const auto& [name, value] : response.headers) {
      if (!IsValidHeader(name, value)) {
        throw std::logic_error("handler returned an invalid header field '" +
                               name + "'");
      }
    }
    return response;
  } catch (const std::exception& e) {
    // Unhandled exceptions must not crash the server: one bad handler costs
    // one request.
    spdlog::error("request {} {} {}: handler threw: {}", ctx_.request_id(),
                  MethodLabel(request.method()), ctx_.target(), e.what());
  } catch (...) {
    spdlog::error("request {} {} {}: handler threw a non-exception",
                  ctx_.request_id(), MethodLabel(request.method()),
                  ctx_.target());
  }
  return ProblemResponse(500, "internal.error", "internal error");
}

Response Session::Handle(const Request& request, RouteStats*& stats) {
  RouteMatch match;
  if (routed_) {
    match = *routed_;  // Loop already reset ctx_ on this request and routed it
    routed_.reset();
  } else {
    if (auto s = ctx_.Reset(request); !s) return ProblemResponse(s.error());
    match = server_.router().Match(ctx_);
  }
  if (match.route == nullptr) return Router::UnmatchedResponse(match, ctx_);
  stats = &server_.Stats(match.route->index);
  if (auto denied = Authenticate(*match.route)) return std::move(*denied);
  ctx_.SetBodyFile(upload_path_);
  return match.route->handler(ctx_);
}

std::optional<Response> Session::Authenticate(const Route& route) {
  if (auto p = server_.authenticator().Authenticate(ctx_);
      p && p->kind != Principal::Kind::kAnonymous) {
    ctx_.principal = std::move(*p);
  }
  if (route.access != Access::kPublic &&
      ctx_.principal.kind == Principal::Kind::kAnonymous) {
    Response r = ProblemResponse(401, "auth.unauthenticated",
                                 "this endpoint requires authentication");
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
    return r;
  }
  return std::nullopt;
}

Task<bool> Session::ServeUpload(
    bhttp::request_parser<bhttp::string_body>& parser, const Route& route,
    std::chrono::steady_clock::time_point start) {
  const ServerOptions& opts = server_.options();
  RouteStats& stats = server_.Stats(route.index);
  const bhttp::verb method = parser.get().method();
  // Answers without reading the body, then closes (the unread body would
  // otherwise be taken for the next request).
  auto refuse = [&](Response r) -> Task<bool> {
    Record(stats, method, r.status, start);
    co_await Write(r, ctx_.request_id(), 11, /*keep_alive=*/false,
                   /*head_request=*/false);
    co_await LingeringClose();
    co_return false;
  };
  // Authenticated before a byte of the body is stored.
  if (auto denied = Authenticate(route)) co_return co_await refuse(std::move(*denied));
  if (parser.content_length() && *parser.content_length() > opts.upload_limit) {
    co_return co_await refuse(ProblemResponse(
        413, "request.too_large", "request body exceeds the limit for this path"));
  }
  std::filesystem::path path = server_.NewUploadPath(ctx_.request_id());
  bhttp::request_parser<bhttp::file_body> file_parser(std::move(parser));
  file_parser.body_limit(opts.upload_limit);
  beast::error_code ec;
  file_parser.get().body().open(path.c_str(), beast::file_mode::write_new, ec);
  if (ec) {
    spdlog::error("request {}: cannot create upload file {}: {}",
                  ctx_.request_id(), path.string(), ec.message());
    co_return co_await refuse(
        ProblemResponse(500, "internal.error", "cannot store the upload"));
  }
  // Removes the file however this ends; before any error reply, so a
  // refused upload leaves nothing behind once the client has its answer.
  struct RemoveFile {
    bhttp::request_parser<bhttp::file_body>& parser;
    const std::filesystem::path& path;
    void Now() {
      if (parser.get().body().is_open()) parser.get().body().close();
      std::error_code ignored;
      std::filesystem::remove(path, ignored);
    }
    ~RemoveFile() { Now(); }
  } remove_file{file_parser, path};
  auto expect = file_parser.get()[bhttp::field::expect];
  if (IEquals(std::string_view(expect.data(), expect.size()), "100-continue")) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    stream_.expires_after(opts.request_timeout);
    auto [wec, wn] = co_await asio::async_write(
        stream_, asio::buffer(kContinue.data(), kContinue.size()), kUseTuple);
    if (wec) co_return false;
  }
  // request_timeout per read, so only a stalled upload times out.
  while (!file_parser.is_done()) {
    stream_.expires_after(opts.request_timeout);
    auto [rec, rn] = co_await bhttp::async_read_some(stream_, buffer_,
                                                     file_parser, kUseTuple);
    if (!rec) continue;
    remove_file.Now();
    if (rec.category() == std::system_category() ||
        rec.category() == std::generic_category()) {
      // Writing the file failed (disk full, ...): the client is not at fault.
      spdlog::error("request {}: writing upload {}: {}", ctx_.request_id(),
                    path.string(), rec.message());
      co_return co_await refuse(ProblemResponse(
          507, "storage.upload_failed", "the server could not store the upload"));
    }
    Response r = HandleReadError(rec);
    if (r.status == 0) co_return false;
    co_return co_await refuse(std::move(r));
  }
  file_parser.get().body().close();
  // The handler sees the headers (body() empty) and body_file().
  Request request{bhttp::request_header<>(file_parser.get())};
  upload_path_ = path;
  RouteStats* stats_ptr = &stats;
  Response response = SafeHandle(request, stats_ptr);
  upload_path_.clear();
  remove_file.Now();  // before the client can see the response
  bool keep_alive = request.keep_alive() && !server_.stopping();
  Record(stats, method, response.status, start);
  bool ok = co_await Write(response, ctx_.request_id(), request.version(),
                           keep_alive, /*head_request=*/false);
  co_return ok && keep_alive;
}

// The reply for a failed read, or status 0 for "just close".
Response Session::HandleReadError(beast::error_code ec) {
  Response none;
  none.status = 0;
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
      ec == beast::error::timeout || ec == asio::error::operation_aborted) {
    return none;  // the client left, stalled, or we are shutting down
  }
  if (ec == bhttp::error::body_limit) {
    return ProblemResponse(413, "request.too_large",
                           "request body exceeds the limit for this path");
  }
  if (ec == bhttp::error::header_limit) {
    return ProblemResponse(431, "request.headers_too_large",
                           "request header fields too large");
  }
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) {
    return ProblemResponse(400, "request.malformed_http",
                           "malformed HTTP request: " + ec.message());
  }
  return none;  // socket errors: nobody to answer
}

Task<bool> Session::Write(const Response& response,
                                     std::string_view request_id,
                                     unsigned version, bool keep_alive,
                                     bool head_request) {
  bool send_body = SerializeHead(head_, response, request_id, version,
                                 keep_alive, head_request);
  std::array<asio::const_buffer, 2> buffers = {
      asio::buffer(head_),
      send_body ? asio::buffer(response.body) : asio::const_buffer()};
  stream_.expires_after(server_.options().request_timeout);
  auto [ec, n] = co_await asio::async_write(stream_, buffers, kUseTuple);
  co_return !ec;
}

Task<void> Session::LingeringClose() {
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) co_return;
  stream_.expires_after(
      std::min<std::chrono::seconds>(server_.options().request_timeout, kMaxLinger));
  size_t drained = 0;
  while (drained < kMaxLingerBytes) {
    buffer_.consume(buffer_.size());
    auto [rec, n] =
        co_await stream_.async_read_some(buffer_.prepare(16 * 1024), kUseTuple);
    if (rec) break;
    drained += n;
  }
}

void Session::Record(RouteStats& stats, bhttp::verb method, unsigned status,
                     std::chrono::steady_clock::time_point start) {
  server_.RequestCounter(stats, method, status).Inc();
  stats.duration->Observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count());
}

Server::Impl::Impl(ServerOptions options, const Router& router,
                   const Authenticator& authenticator, Metrics& metrics)
    : options_(std::move(options)),
      router_(router),
      authenticator_(authenticator),
      metrics_(metrics),
      open_connections_(metrics.GetGauge("dancu_http_open_connections",
                                         "Open HTTP connections.")),
      contexts_(MakeContexts(options_.threads > 0
                                 ? options_.threads
                                 : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())))),
      control_(contexts_.front()->get_executor()),
      acceptor_(control_),
      drain_timer_(control_) {
  max_body_limit_ = options_.body_limit;
  for (const auto& [path, limit] : options_.path_body_limits) {
    max_body_limit_ = std::max<uint64_t>(max_body_limit_, limit);
  }
  for (size_t i = 0; i < router_.size(); ++i) {
    if (router_.route(i).body_mode == BodyMode::kFile) has_upload_routes_ = true;
  }
  // Content-Length of uploads is checked against upload_limit once routed.
  if (has_upload_routes_) max_body_limit_ = std::max(max_body_limit_, options_.upload_limit);
  for (size_t i = 0; i <= router_.size(); ++i) {
    auto stats = std::make_unique<RouteStats>();
    stats->label = i < router_.size() ? router_.route(i).pattern
                                      : std::string(kUnmatchedRoute);
    stats->duration = &metrics_.GetHistogram(
        "dancu_http_request_duration_seconds",
        "Time from request headers received to response ready.",
        {{"route", stats->label}}, kDurationBounds);
    route_stats_.push_back(std::move(stats));
  }
}

Server::Impl::~Impl() {
  // Sessions still alive are destroyed with the io_context below; they must
  // not post to it while it shuts down.
  std::lock_guard lock(sessions_mu_);
  destroying_ = true;
  // Drop the registry's references now: the sockets must go before the
  // io_context does. Suspended coroutines hold the rest and are destroyed by
  // ~io_context.
  sessions_.clear();
}

Counter& Server::Impl::RequestCounter(RouteStats& stats, bhttp::verb method,
                                      unsigned status) {
  const uint32_t key = (static_cast<uint32_t>(method) << 16) | (status & 0xffff);
  for (auto& slot : stats.slots) {
    uint32_t k = slot.key.load(std::memory_order_acquire);
    if (k == key) return *slot.counter.load(std::memory_order_relaxed);
    if (k == 0) break;
  }
  std::lock_guard lock(counter_mu_);
  Counter& counter = metrics_.GetCounter(
      "dancu_http_requests_total", "HTTP requests by route, method and status.",
      {{"route", stats.label},
       {"method", std::string(MethodLabel(method))},
       {"status", std::to_string(status)}});
  for (auto& slot : stats.slots) {
    uint32_t k = slot.key.load(std::memory_order_relaxed);
    if (k == key) return counter;
    if (k == 0) {
      // Publish the counter before the key: readers acquire the key.
      slot.counter.store(&counter, std::memory_order_relaxed);
      slot.key.store(key, std::memory_order_release);
      return counter;
    }
  }
  return counter;  // table full: this (method, status) takes the lock each time
}

Result<uint16_t> Server::Impl::Listen() {
  auto fail = [&](const beast::error_code& ec) {
    return Fail("http.bind", "cannot listen on " + options_.host + ":" +
                                 std::to_string(options_.port) + ": " +
                                 ec.message());
  };
  if (acceptor_.is_open()) {
    return Fail("http.bind", "Listen called twice");
  }
  beast::error_code ec;
  tcp::resolver resolver(*contexts_.front());
  auto endpoints = resolver.resolve(options_.host, std::to_string(options_.port),
                                    tcp::resolver::passive |
                                        tcp::resolver::numeric_service,
                                    ec);
  if (ec) return fail(ec);
  if (endpoints.empty()) return fail(asio::error::host_not_found);
  tcp::endpoint endpoint = endpoints.begin()->endpoint();
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    beast::error_code ignored;
    acceptor_.close(ignored);
    return fail(ec);
  }
  uint16_t port = acceptor_.local_endpoint(ec).port();
  if (ec) return fail(ec);
  return port;
}

Task<void> Server::Impl::Accept() {
  for (;;) {
    auto [ec, socket] =
        co_await acceptor_.async_accept(*contexts_[next_context_], kUseTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor_.is_open()) {
        co_return;
      }
      // Out of descriptors or a connection reset before accept: keep
      // serving the connections we have, but back off instead of spinning.
      spdlog::warn("accept failed: {}", ec.message());
      Timer backoff(control_, std::chrono::milliseconds(50));
      co_await backoff.async_wait(kUseTuple);
      continue;
    }
    if (stopping()) {
      beast::error_code ignored;
      socket.close(ignored);
      continue;  // the acceptor is closing; the next accept reports that
    }
    next_context_ = (next_context_ + 1) % contexts_.size();
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto session = std::make_shared<Session>(*this, std::move(socket));
    size_t open;
    {
      std::lock_guard lock(sessions_mu_);
      sessions_.emplace(session.get(), session);
      open = sessions_.size();
    }
    open_connections_.Set(static_cast<double>(open));
    Executor ex = session->executor();
    Task<void> loop = session->Loop();
    // The completion handler owns the session for as long as the loop runs.
    asio::co_spawn(ex, std::move(loop),
                   [session = std::move(session)](std::exception_ptr e) {
                     if (!e) return;
                     try {
                       std::rethrow_exception(e);
                     } catch (const std::exception& ex) {
                       spdlog::error("connection ended by exception: {}",
                                     ex.what());
                     } catch (...) {
                       spdlog::error("connection ended by unknown exception");
                     }
                   });
  }
}

std::filesystem::path Server::Impl::NewUploadPath(std::string_view request_id) {
  std::filesystem::path dir = options_.upload_dir;
  if (dir.empty()) dir = std::filesystem::temp_directory_path();
  // The request id may come from the client but is limited to
  // [A-Za-z0-9._:-]; the counter makes the name unique in this process.
  std::string name = "dancu-upload-" + std::to_string(::getpid()) + "-" +
                     std::to_string(upload_counter_.fetch_add(1)) + "-" +
                     std::string(request_id);
  return dir / name;
}

void Server::Impl::Unregister(Session* session) {
  size_t open;
  bool post_check;
  {
    std::lock_guard lock(sessions_mu_);
    if (destroying_) return;
    sessions_.erase(session);
    open = sessions_.size();
    post_check = open == 0 && stopping();
  }
  open_connections_.Set(static_cast<double>(open));
  if (post_check) asio::post(control_, [this] { CheckDrained(); });
}

void Server::Impl::Run() {
  if (!acceptor_.is_open()) {
    throw std::logic_error("Server::Run called without a successful Listen");
  }
  asio::co_spawn(control_, Accept(), [](std::exception_ptr e) {
    if (e) spdlog::error("accept loop ended by exception");
  });
  if (options_.handle_signals) {
    signals_.emplace(control_, SIGINT, SIGTERM);
    signals_->async_wait([this](const beast::error_code& ec, int signal) {
      if (ec) return;
      spdlog::info("signal {} received: draining", signal);
      Stop();
    });
  }
  // Posted, so that guards_ is only touched on control_; a Stop() before
  // Run() finds the guards in place and releases them once drained.
  for (auto& ioc : contexts_) guards_.push_back(asio::make_work_guard(*ioc));
  std::vector<std::thread> threads;
  threads.reserve(contexts_.size() - 1);
  for (size_t i = 1; i < contexts_.size(); ++i) {
    threads.emplace_back([ioc = contexts_[i].get()] { RunLoop(*ioc); });
  }
  RunLoop(*contexts_.front());
  for (auto& t : threads) t.join();
  signals_.reset();
}

void Server::Impl::RunLoop(asio::io_context& ioc) {
  for (;;) {
    try {
      ioc.run();
      return;
    } catch (const std::exception& e) {
      // Sessions catch their own exceptions; reaching here is a bug, but
      // one that should not take the other connections down with it.
      spdlog::error("io thread caught: {}", e.what());
    }
  }
}

void Server::Impl::Stop() {
  if (stopping_.exchange(true, std::memory_order_acq_rel)) return;
  asio::post(control_, [this] { BeginDrain(); });
}

void Server::Impl::BeginDrain() {
  beast::error_code ignored;
  acceptor_.close(ignored);
  if (signals_) signals_->cancel(ignored);
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(sessions_mu_);
    for (auto& [raw, s] : sessions_) live.push_back(s);
  }
  for (auto& s : live) {
    asio::post(s->executor(), [s] { s->CloseIfIdle(); });
  }
  if (live.empty()) {
    ReleaseIfDrained();
    return;
  }
  // Sessions that finish later post CheckDrained, which cancels this timer;
  // until then it is what keeps a stuck client from holding Run forever.
  drain_timer_.expires_after(options_.drain_timeout);
  drain_timer_.async_wait([this](const beast::error_code& ec) {
    if (ec) return;
    std::vector<std::shared_ptr<Session>> left;
    {
      std::lock_guard lock(sessions_mu_);
      for (auto& [raw, s] : sessions_) left.push_back(s);
    }
    if (!left.empty()) {
      spdlog::warn("drain timeout: closing {} connection(s)", left.size());
    }
    for (auto& s : left) asio::post(s->executor(), [s] { s->Close(); });
  });
}

void Server::Impl::CheckDrained() {
  {
    std::lock_guard lock(sessions_mu_);
    if (!sessions_.empty()) return;
  }
  drain_timer_.cancel();
  ReleaseIfDrained();
}

void Server::Impl::ReleaseIfDrained() {
  std::lock_guard lock(sessions_mu_);
  if (stopping() && sessions_.empty()) guards_.clear();  // Run returns
}

Server::Server(ServerOptions options, const Router& router,
               const Authenticator& authenticator, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), router, authenticator,
                                   metrics)) {}
Server::~Server() = default;
Result<uint16_t> Server::Listen() { return impl_->Listen(); }
void Server::Run() { impl_->Run(); }
void Server::Stop() { impl_->Stop(); }

}  // namespace dancu::http
