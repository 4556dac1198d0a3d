// Response: what a handler returns; the server frames it as HTTP/1.1.
//
// The server adds Content-Type (from content_type), Content-Length,
// X-Request-Id, Connection, and "Cache-Control: no-store" on JSON bodies
// unless `headers` already has a Cache-Control. Handlers must not set framing
// headers (Content-Length, Transfer-Encoding, Connection): the server drops
// them. A header name or value containing CR, LF or NUL makes the response a
// 500 (it would otherwise be a header-injection hole).
//
// Problem responses follow RFC 9457: application/problem+json with
// {"type","title","status","detail","code"} and "field" when the error names
// one; type is "urn:dancu:problem:" + code; status and title come from the
// table in problem.h.
//
// Thread safety: plain values and pure functions.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

#include "core/error.h"

namespace dancu::http {

struct Response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

inline constexpr std::string_view kProblemTypePrefix = "urn:dancu:problem:";

Response JsonResponse(unsigned status, const boost::json::value& body);
Response TextResponse(unsigned status, std::string content_type,
                      std::string body);
// Status and title from the problem table.
Response ProblemResponse(const Error& error);
// Explicit status; the title comes from the table when it maps `code`, else
// from the status's reason phrase.
Response ProblemResponse(unsigned status, std::string code, std::string detail);

}  // namespace dancu::http
