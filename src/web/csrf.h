// csrf: protection of every HTML form post against cross-site request
// forgery, by the signed double-submit pattern (OWASP CSRF cheat sheet).
//
// The browser holds a random cookie `dancu_csrf` (HttpOnly, SameSite=Lax);
// each form carries a hidden field `csrf` = base64url(HMAC-SHA256(server key,
// cookie)). A post is accepted only when the field matches the cookie's MAC
// (constant-time compare). Another site can make the browser send the cookie
// but can neither read it nor compute the MAC, and SameSite=Lax already keeps
// the cookie off cross-site POSTs in current browsers (defence in depth).
// The token does not depend on the session, so the sign-in and registration
// forms (before any session) are protected the same way.
//
// The key is per server process unless given (a restart makes open forms
// stale: the user sees "the form expired, please try again").
//
// Thread safety: const methods, callable from any thread.
#pragma once

#include <optional>
#include <string>

#include "http/request_context.h"
#include "http/response.h"
#include "web/form.h"

namespace dancu::web {

inline constexpr std::string_view kCsrfField = "csrf";

class Csrf {
 public:
  // A fresh random key (32 bytes from libsodium).
  Csrf();
  explicit Csrf(std::string key);

  struct Token {
    std::string value;                     // the hidden field's value
    std::optional<std::string> set_cookie; // a new cookie to set, if the browser had none
  };
  // The token for this browser; creates the cookie when absent.
  Token Issue(const http::RequestContext& ctx) const;
  // The hidden <input> for a form.
  static std::string HiddenField(const Token& token);
  // Adds the Set-Cookie of a new token to a response.
  static void Apply(const Token& token, http::Response& response);
  // Whether the form's `csrf` field matches the browser's cookie.
  bool Valid(const http::RequestContext& ctx, const Form& form) const;

 private:
  std::string Mac(std::string_view cookie) const;
  std::string key_;
};

}  // namespace dancu::web
