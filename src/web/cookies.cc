#include "web/cookies.h"

namespace dancu::web {

std::optional<std::string_view> GetCookie(const http::RequestContext& ctx,
                                          std::string_view name) {
  auto header = ctx.header("Cookie");
  if (!header) return std::nullopt;
  std::string_view rest = *header;
  while (!rest.empty()) {
    size_t end = rest.find(';');
    std::string_view pair = rest.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      std::string_view value = pair.substr(eq + 1);
      while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      return value;
    }
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return std::nullopt;
}

std::string SetCookieValue(std::string_view name, std::string_view value,
                           std::chrono::seconds max_age, SameSite same_site) {
  std::string out;
  out.reserve(name.size() + value.size() + 64);
  out.append(name).append("=").append(value).append("; Path=/; Secure; HttpOnly; SameSite=");
  out.append(same_site == SameSite::kLax ? "Lax" : "Strict");
  if (max_age.count() > 0) out.append("; Max-Age=").append(std::to_string(max_age.count()));
  return out;
}

std::string ClearCookieValue(std::string_view name) {
  std::string out(name);
  out.append("=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0");
  return out;
}

}  // namespace dancu::web
