#include "http/response.h"

#include <boost/beast/http/status.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "http/problem.h"

namespace dancu::http {
namespace {

Response MakeProblem(unsigned status, std::string_view title,
                     std::string_view code, std::string_view detail,
                     std::string_view field) {
  boost::json::object o;
  o.reserve(6);
  std::string type(kProblemTypePrefix);
  type += code;
  o.emplace("type", type);
  o.emplace("title", title);
  o.emplace("status", status);
  o.emplace("detail", detail);
  o.emplace("code", code);
  if (!field.empty()) o.emplace("field", field);
  Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = boost::json::serialize(o);
  return r;
}

}  // namespace

Response JsonResponse(unsigned status, const boost::json::value& body) {
  Response r;
  r.status = status;
  r.body = boost::json::serialize(body);
  return r;
}

Response TextResponse(unsigned status, std::string content_type,
                      std::string body) {
  Response r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

Response ProblemResponse(const Error& error) {
  ProblemInfo info = LookupProblem(error.code);
  return MakeProblem(info.status, info.title, error.code, error.message,
                     error.field);
}

Response ProblemResponse(unsigned status, std::string code,
                         std::string detail) {
  ProblemInfo info = LookupProblem(code);
  std::string_view title = info.title;
  if (info.status != status) {
    // The table does not know this code (or maps it elsewhere): the title
    // must still describe `status`, so use the standard reason phrase.
    auto reason = boost::beast::http::obsolete_reason(
        static_cast<boost::beast::http::status>(status));
    title = std::string_view(reason.data(), reason.size());
  }
  return MakeProblem(status, title, code, detail, {});
}

}  // namespace dancu::http
