#include "web/redirect.h"

namespace dancu::web {
namespace {

http::Response RedirectTo(unsigned status, std::string_view location) {
  http::Response r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.headers.emplace_back("Location", std::string(location));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace

http::Response SeeOther(std::string_view location) { return RedirectTo(303, location); }
http::Response Found(std::string_view location) { return RedirectTo(302, location); }

bool IsLocalPath(std::string_view path) {
  if (path.empty() || path.front() != '/') return false;
  if (path.size() > 1 && (path[1] == '/' || path[1] == '\\')) return false;
  for (char c : path) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == '\\') return false;
  }
  return true;
}

}  // namespace dancu::web
