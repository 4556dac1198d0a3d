// WebhookReceiver: a scripted HTTP receiver on 127.0.0.1 (port 0) for the
// webhook tests and benchmark. One thread accepts connections and handles
// them one after the other (synchronous Boost.Beast): it reads a request,
// records it, and answers with the next scripted behaviour — a status code,
// closing the connection without an answer, or hanging (the socket is kept
// open, unanswered, until the receiver is destroyed). When the script is
// empty it answers 200. Given a certificate and key (PEM), it speaks TLS
// (https) instead; a failed handshake is not counted as a request.
//
// Thread safety: every public method may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace dancu::testing {

class WebhookReceiver {
 public:
  struct Request {
    std::map<std::string, std::string> headers;  // lower-case names
    std::string target;
    std::string body;
  };
  enum Kind { kStatus, kClose, kHang };
  struct Behaviour {
    Kind kind = kStatus;
    int status = 200;
  };

  struct Tls {
    std::string cert_pem, key_pem;
  };
  explicit WebhookReceiver(std::optional<Tls> tls = std::nullopt) : acceptor_(ioc_) {
    if (tls) {
      namespace ssl = boost::asio::ssl;
      tls_ = std::make_unique<ssl::context>(ssl::context::tls_server);
      tls_->use_certificate_chain(boost::asio::buffer(tls->cert_pem));
      tls_->use_private_key(boost::asio::buffer(tls->key_pem), ssl::context::pem);
    }
    namespace ip = boost::asio::ip;
    ip::tcp::endpoint ep(ip::make_address("127.0.0.1"), 0);
    acceptor_.open(ep.protocol());
    acceptor_.set_option(boost::asio::socket_base::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen(1024);
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { Loop(); });
  }
  ~WebhookReceiver() {
    stop_ = true;
    {
      boost::system::error_code ec;
      boost::asio::ip::tcp::socket wake(ioc_);
      wake.connect({boost::asio::ip::make_address("127.0.0.1"), port_}, ec);
      thread_.join();
    }
  }

  unsigned short port() const { return port_; }
  std::string Url(const std::string& path = "/hook") const {
    return (tls_ ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port_) + path;
  }
  // Answers the next requests in this order.
  void Script(std::vector<Behaviour> script) {
    std::lock_guard lock(mu_);
    for (auto& b : script) script_.push_back(b);
  }
  // If true, records nothing but a count (for the benchmark).
  void CountOnly(bool v) { count_only_ = v; }
  std::vector<Request> Requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  int64_t Count() const { return count_.load(); }
  // Waits until `n` requests have arrived; false after `timeout`.
  bool WaitForCount(int64_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return count_.load() >= n; });
  }

 private:
  void Loop() {
    namespace http = boost::beast::http;
    using boost::asio::ip::tcp;
    while (!stop_) {
      tcp::socket socket(ioc_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stop_) continue;
      if (tls_) {
        boost::asio::ssl::stream<tcp::socket&> s(socket, *tls_);
        s.handshake(boost::asio::ssl::stream_base::server, ec);
        if (ec) continue;
        Handle(s, socket);
      } else {
        Handle(socket, socket);
      }
    }
  }
  template <class Stream>
  void Handle(Stream& stream, boost::asio::ip::tcp::socket& socket) {
    namespace http = boost::beast::http;
    using boost::asio::ip::tcp;
    {
      boost::system::error_code ec;
      boost::beast::flat_buffer buffer;
      http::request<http::string_body> req;
      http::read(stream, buffer, req, ec);
      if (ec) return;
      Behaviour b;
      {
        std::lock_guard lock(mu_);
        if (!script_.empty()) {
          b = script_.front();
          script_.pop_front();
        }
        if (!count_only_) {
          Request r;
          for (const auto& f : req) r.headers[Lower(std::string(f.name_string()))] = f.value();
          r.target = req.target();
          r.body = req.body();
          requests_.push_back(std::move(r));
        }
        ++count_;
      }
      cv_.notify_all();
      if (b.kind == kClose) return;  // the socket closes here, unanswered
      if (b.kind == kHang) {
        hung_.push_back(std::move(socket));
        return;
      }
      http::response<http::string_body> res{static_cast<http::status>(b.status), 11};
      res.body() = "ok";
      res.prepare_payload();
      res.keep_alive(false);
      http::write(stream, res, ec);
      socket.shutdown(tcp::socket::shutdown_both, ec);
    }
  }
  static std::string Lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }

  std::unique_ptr<boost::asio::ssl::context> tls_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<bool> count_only_{false};
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::deque<Behaviour> script_;
  std::vector<Request> requests_;
  std::atomic<int64_t> count_{0};
  std::vector<boost::asio::ip::tcp::socket> hung_;  // receiver thread only
  std::thread thread_;
};

}  // namespace dancu::testing
