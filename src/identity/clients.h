// Clients: the relying parties registered with the OpenID Connect provider
// (issue 4, "Relying parties"), kept in DIR/oidc.db (oidc_db.h).
//
// A client has an exact-match list of redirect URIs (and of post-logout
// redirect URIs), the scopes it may ask for, a minimum assurance level (1 or
// 2), a name and logo shown on the consent page, and one token-endpoint
// authentication method:
//  - client_secret_basic / client_secret_post: Add returns a secret once
//    ("dancu_cs_" + 43 base64url characters = 32 random bytes); only its
//    SHA-256 (hex) is stored. A fast hash is right here: the secret is 256
//    bits of randomness, not a password, so nobody can guess it from a
//    stolen table, and a slow password hash (Argon2id) would only cost
//    ~50 ms on every token request. The check compares digests in constant
//    time.
//  - private_key_jwt (RFC 7523): no secret; the client's public keys are
//    registered as a JWKS ({"keys":[EC P-256 JWKs]}), and the token endpoint
//    verifies its ES256 client assertions with them.
//
// Validation (Add):
//  - name: 1-100 characters, no control characters;
//  - redirect URIs: 1-10 of them, each at most 2000 characters, absolute,
//    https, or http only on a loopback host (localhost, 127.0.0.1, [::1]) for
//    development; no fragment, no spaces or control characters;
//  - logo URI: empty or https (at most 2000 characters);
//  - scopes: a subset of openid profile address phone citizen_id
//    offline_access, and openid is required;
//  - min level 1 or 2.
// Errors: client.bad_name, client.bad_redirect_uri, client.bad_logo_uri,
// client.bad_scope, client.bad_level, client.bad_auth_method,
// client.bad_jwks, client.not_found (Disable), storage.*.
//
// Freshness: Find reads an in-memory copy of the clients, reloaded from
// oidc.db when it is at least one second old (by the injected Clock) on the
// next call, and at once after Add/Disable on this instance; `dancu clients
// add` in another process is seen by a running server within a second.
//
// Thread safety: every method may be called from any thread. A Client
// returned by Find is immutable and stays valid while the caller holds it.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "crypto/jwks.h"
#include "storage/database.h"

namespace dancu::identity {

enum class ClientAuthMethod { kSecretBasic, kSecretPost, kPrivateKeyJwt };
std::string_view ToString(ClientAuthMethod m);  // "client_secret_basic", ...
std::optional<ClientAuthMethod> ParseClientAuthMethod(std::string_view text);

// The scopes the provider knows, in display order.
inline constexpr std::string_view kKnownScopes[] = {"openid", "profile", "address",
                                                    "phone", "citizen_id", "offline_access"};
bool IsKnownScope(std::string_view scope);

struct ClientSpec {
  std::string name;
  std::string logo_uri;  // may be empty
  std::vector<std::string> redirect_uris;
  std::vector<std::string> post_logout_redirect_uris;
  std::vector<std::string> scopes;
  int min_level = 1;
  ClientAuthMethod auth_method = ClientAuthMethod::kSecretBasic;
  std::string jwks;  // JSON text, private_key_jwt only
};

struct Client {
  std::string client_id;
  std::string name;
  std::string logo_uri;
  std::vector<std::string> redirect_uris;
  std::vector<std::string> post_logout_redirect_uris;
  std::vector<std::string> scopes;
  int min_level = 1;
  ClientAuthMethod auth_method = ClientAuthMethod::kSecretBasic;
  std::string secret_hash;  // hex SHA-256; empty for private_key_jwt
  crypto::JwkSet keys;  // private_key_jwt only
  std::string created_at;
  bool disabled = false;

  bool HasRedirectUri(std::string_view uri) const;
  bool HasPostLogoutRedirectUri(std::string_view uri) const;
  bool AllowsScope(std::string_view scope) const;
};

struct NewClient {
  std::string client_id;
  std::string client_secret;  // empty for private_key_jwt
};

// Lowercase hex SHA-256 of a client secret, as stored.
std::string HashClientSecret(std::string_view secret);

class Clients {
 public:
  // `db` is oidc.db; it must outlive this.
  static Result<std::unique_ptr<Clients>> Open(storage::Database& db, const Clock& clock);
  ~Clients();

  Result<NewClient> Add(const ClientSpec& spec);
  Result<std::vector<Client>> List() const;  // every client, by creation
  Status Disable(std::string_view client_id);

  // The enabled client, or nullptr.
  std::shared_ptr<const Client> Find(std::string_view client_id) const;
  // True if `secret` is the client's secret (constant time in the secret).
  static bool CheckSecret(const Client& client, std::string_view secret);

 private:
  using Table = std::unordered_map<std::string, std::shared_ptr<const Client>>;
  Clients(std::unique_ptr<storage::Connection> conn, const Clock& clock);
  Status Reload() const;
  Status Reload(bool only_if_stale) const;
  Result<std::vector<Client>> LoadLocked() const;  // conn_mu_ held

  const Clock& clock_;
  mutable std::mutex conn_mu_;
  std::unique_ptr<storage::Connection> conn_;
  mutable std::shared_mutex table_mu_;
  mutable std::shared_ptr<const Table> table_;
  mutable std::atomic<int64_t> loaded_at_us_{0};
};

// Splits a space-separated list, dropping empty items.
std::vector<std::string> SplitSpaces(std::string_view text);
std::string JoinSpaces(const std::vector<std::string>& items);

}  // namespace dancu::identity
