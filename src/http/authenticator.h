// Authenticator: turns request credentials into a Principal.
//
// Contract: Authenticate returns the principal the request proves, or
// nullopt when it carries no credentials this authenticator accepts (missing,
// malformed or wrong all look the same to the client: 401). It must not
// throw for bad input, and must not authorize: whether a principal may do
// something is the handler's decision (403 auth.forbidden).
//
// The server runs its one Authenticator for every routed request, so public
// routes also see a principal when one is presented; routes with
// Access::kAuthenticated and no principal get 401 auth.unauthenticated with
// "WWW-Authenticate: Bearer". To support more credential kinds (agency keys,
// officer sessions, citizen tokens), add Authenticators and combine them with
// ChainAuthenticator (serve chains the admin token and agency API keys).
//
// Thread safety: Authenticate is const and called concurrently from every io
// thread; implementations must be thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request_context.h"

namespace dancu::http {

class Authenticator {
 public:
  virtual ~Authenticator();
  virtual std::optional<Principal> Authenticate(
      const RequestContext& ctx) const = 0;
};

// The token of "Authorization: Bearer <token>" (scheme case-insensitive), or
// nullopt when the header is absent or has another scheme.
std::optional<std::string_view> BearerToken(const RequestContext& ctx);

// "Authorization: Bearer <token>" against one configured admin token, in
// constant time. An empty configured token authenticates nobody (so a
// missing config value cannot open the admin API). Principal: kAdmin, "admin".
class AdminTokenAuthenticator final : public Authenticator {
 public:
  explicit AdminTokenAuthenticator(std::string token);
  std::optional<Principal> Authenticate(
      const RequestContext& ctx) const override;

 private:
  std::string token_;
};

// "Authorization: Bearer <key>" where the key starts with `prefix` (agency
// API keys: "dancu_ak_..."). The key is handed to `lookup`, supplied by the
// composition root (agency access tokens: hub/members.h; officer tokens),
// so http depends on no key store. A bearer token without the prefix is not
// this authenticator's: nullopt, and a chain asks the next member. The same
// header as the admin token keeps clients simple; the prefix tells them apart.
// `lookup` must be thread-safe.
class ApiKeyAuthenticator final : public Authenticator {
 public:
  using Lookup = std::function<std::optional<Principal>(std::string_view key)>;
  ApiKeyAuthenticator(std::string prefix, Lookup lookup);
  std::optional<Principal> Authenticate(
      const RequestContext& ctx) const override;

 private:
  std::string prefix_;
  Lookup lookup_;
};

// Asks each authenticator in order; the first principal wins. An empty chain
// authenticates nobody.
class ChainAuthenticator final : public Authenticator {
 public:
  ChainAuthenticator() = default;
  explicit ChainAuthenticator(
      std::vector<std::unique_ptr<Authenticator>> members);
  void Add(std::unique_ptr<Authenticator> member);
  std::optional<Principal> Authenticate(
      const RequestContext& ctx) const override;

 private:
  std::vector<std::unique_ptr<Authenticator>> members_;
};

}  // namespace dancu::http
