// redirect: HTTP redirects and the open-redirect defence.
//
// SeeOther answers 303 with Location (after a form post, the browser GETs the
// next page). Found answers 302 (OAuth authorization responses, RFC 6749
// §4.1.2). IsLocalPath accepts only a path on this server: it starts with a
// single '/', not "//" or "/\" (which browsers treat as another host), and
// holds no control characters or backslashes. Pages that take a return_to
// parameter must check it with IsLocalPath and fall back to "/account".
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "http/response.h"

namespace dancu::web {

http::Response SeeOther(std::string_view location);
http::Response Found(std::string_view location);
bool IsLocalPath(std::string_view path);

}  // namespace dancu::web
