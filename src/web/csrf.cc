#include "web/csrf.h"

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/random_token.h"
#include "web/cookies.h"
#include "web/html.h"

namespace dancu::web {

Csrf::Csrf() : key_(crypto::RandomBytes(32)) {}
Csrf::Csrf(std::string key) : key_(std::move(key)) {}

std::string Csrf::Mac(std::string_view cookie) const {
  return crypto::Base64UrlEncode(crypto::AsBytes(crypto::HmacSha256(key_, cookie)));
}

Csrf::Token Csrf::Issue(const http::RequestContext& ctx) const {
  auto cookie = GetCookie(ctx, kCsrfCookie);
  // A cookie of the right shape is reused, so that several open tabs keep
  // working; anything else is replaced.
  if (cookie && cookie->size() >= 32 && cookie->size() <= 64) {
    return Token{Mac(*cookie), std::nullopt};
  }
  std::string fresh = crypto::RandomToken(32);
  return Token{Mac(fresh), SetCookieValue(kCsrfCookie, fresh)};
}

std::string Csrf::HiddenField(const Token& token) {
  return "<input type=\"hidden\" name=\"csrf\" value=\"" + Escape(token.value) + "\">";
}

void Csrf::Apply(const Token& token, http::Response& response) {
  if (token.set_cookie) response.headers.emplace_back("Set-Cookie", *token.set_cookie);
}

bool Csrf::Valid(const http::RequestContext& ctx, const Form& form) const {
  auto cookie = GetCookie(ctx, kCsrfCookie);
  auto field = form.Get(kCsrfField);
  if (!cookie || !field || cookie->empty()) return false;
  return crypto::ConstantTimeEqual(Mac(*cookie), *field);
}

}  // namespace dancu::web
