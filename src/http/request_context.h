// RequestContext: everything a handler may read about one HTTP request, plus
// the Principal that the server's authentication middleware attached.
//
// Contract:
//  - path() and path_param() are percent-decoded; routing splits the raw path
//    on '/' before decoding, so "%2F" inside a segment stays inside its
//    parameter. query() decodes '+' as space and returns the first value.
//  - Reset() rejects a request-target that is not RFC 3986 origin-form
//    ("/path?query") with request.bad_parameter; the server answers 400.
//  - request_id() is the client's X-Request-Id when it is 1-64 characters of
//    [A-Za-z0-9._:-], else a fresh 16-hex-digit id.
//  - Reset() clears body_file(); the server sets it again for kFile routes.
//  - The context refers to the Request given to Reset() (it does not copy it);
//    that request must outlive every use until the next Reset. MakeForTest
//    owns its request instead.
//
// Thread safety: none; a context belongs to one request on one thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "core/error.h"

namespace dancu::http {

using Request = boost::beast::http::request<boost::beast::http::string_body>;

struct Principal {
  enum class Kind { kAnonymous, kAdmin, kAgency, kOfficer, kCitizen };
  Kind kind = Kind::kAnonymous;
  std::string id;  // e.g. "admin", an agency client id, an officer, a citizen id
  uint32_t scope = 0;  // what the credential is scoped to (agency tokens: hub operations)
};

// A fresh request id (16 hex digits), for replies that have no request.
std::string NewRequestId();

class RequestContext {
 public:
  explicit RequestContext(std::string remote_address = {});
  RequestContext(RequestContext&&) noexcept;
  RequestContext& operator=(RequestContext&&) noexcept;
  RequestContext(const RequestContext&) = delete;
  RequestContext& operator=(const RequestContext&) = delete;
  ~RequestContext();

  // Points the context at `request`, parses its target, assigns the request
  // id, and clears the principal, path parameters and route. Keeps buffers,
  // so a context reused per connection allocates little.
  Status Reset(const Request& request);

  // A context that owns `request`, for handler tests without a socket. Throws
  // std::invalid_argument when the target is not origin-form (a test bug).
  // Path parameters come from Router::Match/Dispatch or SetPathParamForTest.
  static RequestContext MakeForTest(Request request,
                                    std::string remote_address = "127.0.0.1");
  void SetPathParamForTest(std::string name, std::string value);

  boost::beast::http::verb method() const;
  std::string_view target() const;  // raw request-target
  std::string_view path() const { return path_; }
  std::optional<std::string> query(std::string_view key) const;
  // "" when the matched route has no such parameter.
  std::string_view path_param(std::string_view name) const;
  // Case-insensitive; the first field with that name.
  std::optional<std::string_view> header(std::string_view name) const;
  const std::string& body() const;
  // For a route with BodyMode::kFile: the temporary file holding the whole
  // request body (body() is then empty). Empty path otherwise. The server
  // deletes the file after the handler returns unless the handler moved it.
  const std::filesystem::path& body_file() const { return body_file_; }
  // Set by the server after Reset (and by tests of kFile handlers).
  void SetBodyFile(std::filesystem::path file) { body_file_ = std::move(file); }
  const std::string& remote_address() const { return remote_address_; }
  const std::string& request_id() const { return request_id_; }
  // The pattern of the matched route ("/v1/citizens/{id}"), "" before routing.
  std::string_view route_pattern() const { return route_pattern_; }
  const Request& request() const { return *request_; }

  Principal principal;

 private:
  friend class Router;

  size_t segment_count() const { return segments_.size(); }
  std::string_view segment(size_t i) const {
    return std::string_view(path_).substr(segments_[i].first,
                                          segments_[i].second);
  }

  const Request* request_ = nullptr;
  std::unique_ptr<Request> owned_;  // MakeForTest only
  std::string remote_address_;
  std::string request_id_;
  std::string path_;        // decoded
  std::string_view query_;  // raw, after '?', points into the target
  // Decoded segments as {offset, length} in path_, so that a decoded '/'
  // cannot split a segment.
  std::vector<std::pair<uint32_t, uint32_t>> segments_;
  std::vector<std::pair<std::string, std::string>> params_;
  std::string_view route_pattern_;  // points into the Router
  std::filesystem::path body_file_;
};

}  // namespace dancu::http
