// HttpClient: a small synchronous HTTP/1.1 client for tests (unit, e2e).
//
// Keeps one keep-alive connection and reconnects when the server closed it
// (a request that fails on a reused connection before any response byte is
// retried once on a fresh one). Every step times out after 30 s so a broken
// server fails a test instead of hanging it. Transport failures throw
// std::runtime_error; any HTTP status is a normal result.
//
// Thread safety: none; use one client per thread.
#pragma once

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace dancu::test {

struct HttpResult {
  unsigned status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
};

class HttpClient {
 public:
  HttpClient(std::string host, uint16_t port)
      : host_(std::move(host)), port_(port), stream_(ioc_) {}

  HttpResult Request(
      boost::beast::http::verb method, std::string target,
      std::string body = {},
      std::vector<std::pair<std::string, std::string>> headers = {}) {
    namespace http = boost::beast::http;
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, host_ + ":" + std::to_string(port_));
    for (const auto& [name, value] : headers) req.insert(name, value);
    bool has_body = !body.empty() || method == http::verb::post ||
                    method == http::verb::put || method == http::verb::patch;
    req.body() = std::move(body);
    if (has_body) req.prepare_payload();

    for (int attempt = 0;; ++attempt) {
      bool reused = connected_;
      if (!connected_) Connect();
      boost::beast::error_code write_ec = RunWithTimeout(
          [&](auto handler) { http::async_write(stream_, req, handler); });
      // A server may answer (413) and close before taking the whole body:
      // still try to read its answer.
      http::response_parser<http::string_body> parser;
      parser.body_limit(64 << 20);
      boost::beast::error_code ec = RunWithTimeout([&](auto handler) {
        http::async_read(stream_, buffer_, parser, handler);
      });
      if (ec) {
        Close();
        bool stale = reused && attempt == 0 && !parser.got_some();
        if (stale) continue;  // the server dropped an idle connection
        throw std::runtime_error("HttpClient " + target + ": " +
                                 (write_ec ? write_ec.message() + "; " : "") +
                                 ec.message());
      }
      auto& res = parser.get();
      HttpResult out;
      out.status = res.result_int();
      out.body = std::move(res.body());
      for (const auto& f : res) {
        std::string name(f.name_string());
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        auto [it, fresh] = out.headers.emplace(name, std::string(f.value()));
        if (!fresh) {
          it->second += ", ";
          it->second += f.value();
        }
      }
      if (!res.keep_alive()) Close();
      return out;
    }
  }

  // How many TCP connections this client has opened (keep-alive tests).
  int connections_opened() const { return connections_opened_; }
  bool connected() const { return connected_; }

  // Blocks until the server closes the connection (true) or sends data or
  // the read times out (false).
  bool WaitForServerClose() {
    if (!connected_) return true;
    char byte;
    boost::beast::error_code ec = RunWithTimeout([&](auto handler) {
      stream_.async_read_some(boost::asio::buffer(&byte, 1), handler);
    });
    bool closed = ec == boost::asio::error::eof ||
                  ec == boost::asio::error::connection_reset;
    Close();
    return closed;
  }

  void Close() {
    boost::beast::error_code ignored;
    stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both,
                              ignored);
    stream_.socket().close(ignored);
    buffer_.clear();
    connected_ = false;
  }

 private:
  static constexpr std::chrono::seconds kTimeout{30};

  // Runs one asynchronous operation to completion on the private io_context,
  // so that every step has a timeout (blocking socket calls have none).
  template <class Start>
  boost::beast::error_code RunWithTimeout(Start start) {
    boost::beast::error_code result;
    stream_.expires_after(kTimeout);
    start([&result](boost::beast::error_code ec, std::size_t) { result = ec; });
    ioc_.restart();
    ioc_.run();
    stream_.expires_never();
    return result;
  }

  void Connect() {
    boost::asio::ip::tcp::resolver resolver(ioc_);
    boost::beast::error_code ec;
    auto endpoints = resolver.resolve(host_, std::to_string(port_), ec);
    if (!ec) {
      stream_.expires_after(kTimeout);
      stream_.async_connect(
          endpoints, [&ec](boost::beast::error_code e,
                           const boost::asio::ip::tcp::endpoint&) { ec = e; });
      ioc_.restart();
      ioc_.run();
      stream_.expires_never();
    }
    if (ec) {
      throw std::runtime_error("HttpClient: connect to " + host_ + ":" +
                               std::to_string(port_) + ": " + ec.message());
    }
    stream_.socket().set_option(boost::asio::ip::tcp::no_delay(true), ec);
    connected_ = true;
    ++connections_opened_;
  }

  std::string host_;
  uint16_t port_;
  boost::asio::io_context ioc_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  bool connected_ = false;
  int connections_opened_ = 0;
};

}  // namespace dancu::test
