#include "http/authenticator.h"

#include <openssl/crypto.h>

namespace dancu::http {
namespace {

bool IEqualsAscii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

Authenticator::~Authenticator() = default;

std::optional<std::string_view> BearerToken(const RequestContext& ctx) {
  auto auth = ctx.header("Authorization");
  if (!auth) return std::nullopt;
  std::string_view v = *auth;
  size_t space = v.find(' ');
  if (space == std::string_view::npos ||
      !IEqualsAscii(v.substr(0, space), "Bearer")) {
    return std::nullopt;
  }
  v.remove_prefix(space);
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  if (v.empty()) return std::nullopt;
  return v;
}

AdminTokenAuthenticator::AdminTokenAuthenticator(std::string token)
    : token_(std::move(token)) {}

std::optional<Principal> AdminTokenAuthenticator::Authenticate(
    const RequestContext& ctx) const {
  if (token_.empty()) return std::nullopt;
  auto presented = BearerToken(ctx);
  // The length check leaks only the token's length, which is not secret
  // (tokens are fixed-size); the bytes are compared in constant time.
  if (!presented || presented->size() != token_.size()) return std::nullopt;
  if (CRYPTO_memcmp(presented->data(), token_.data(), token_.size()) != 0) {
    return std::nullopt;
  }
  return Principal{Principal::Kind::kAdmin, "admin"};
}

ApiKeyAuthenticator::ApiKeyAuthenticator(std::string prefix, Lookup lookup)
    : prefix_(std::move(prefix)), lookup_(std::move(lookup)) {}

std::optional<Principal> ApiKeyAuthenticator::Authenticate(
    const RequestContext& ctx) const {
  auto presented = BearerToken(ctx);
  if (!presented || !presented->starts_with(prefix_)) return std::nullopt;
  return lookup_(*presented);
}

ChainAuthenticator::ChainAuthenticator(
    std::vector<std::unique_ptr<Authenticator>> members)
    : members_(std::move(members)) {}

void ChainAuthenticator::Add(std::unique_ptr<Authenticator> member) {
  members_.push_back(std::move(member));
}

std::optional<Principal> ChainAuthenticator::Authenticate(
    const RequestContext& ctx) const {
  for (const auto& m : members_) {
    if (auto p = m->Authenticate(ctx)) return p;
  }
  return std::nullopt;
}

}  // namespace dancu::http
