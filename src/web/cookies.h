// cookies: reading the Cookie header and writing Set-Cookie values.
//
// Every cookie dancu sets is `Secure; HttpOnly; Path=/` with a SameSite
// attribute (Lax by default: the OIDC redirect back from a relying party is a
// top-level GET that must carry the session; Strict would drop it). Browsers
// accept Secure cookies from http://localhost and http://127.0.0.1, so the
// development server works without TLS; production runs behind TLS.
//
// Thread safety: pure functions.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "http/request_context.h"

namespace dancu::web {

inline constexpr std::string_view kSessionCookie = "dancu_session";
inline constexpr std::string_view kCsrfCookie = "dancu_csrf";
inline constexpr std::string_view kLangCookie = "dancu_lang";

enum class SameSite { kLax, kStrict };

// The value of cookie `name` in the request's Cookie header (the first one
// when repeated), or nullopt.
std::optional<std::string_view> GetCookie(const http::RequestContext& ctx,
                                          std::string_view name);

// A Set-Cookie header value. `value` must be cookie-safe (base64url, digits);
// max_age 0 means a session cookie (no Max-Age).
std::string SetCookieValue(std::string_view name, std::string_view value,
                           std::chrono::seconds max_age = std::chrono::seconds{0},
                           SameSite same_site = SameSite::kLax);
// A Set-Cookie value that deletes the cookie (Max-Age=0).
std::string ClearCookieValue(std::string_view name);

}  // namespace dancu::web
