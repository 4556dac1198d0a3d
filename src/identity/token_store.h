// TokenStore: the provider's durable token state in DIR/oidc.db: refresh
// tokens (rotated on every use, in families), revoked access-token ids, and
// the ids of private_key_jwt client assertions already used.
//
// Refresh tokens ("dancu_rt_" + 43 base64url characters, 256 random bits)
// are stored as their SHA-256 (hex) with the grant they carry. A family is
// every token descended from one code exchange; it expires 30 days after
// that exchange (kRefreshLifetime) whatever the rotations. Rotate() marks
// the presented token used and issues its successor in one transaction;
// presenting a used token again is a replay (RFC 9700 §4.14.2): the whole
// family is revoked and token.refresh_reused returned.
//
// Access tokens are self-contained JWTs; only revocations are stored
// (revoked_tokens: jti and the token's expiry) and mirrored in memory, so
// checking a token costs no query. The in-memory set is loaded at Open and
// updated by this process's revocations (revocation happens only through
// this server's endpoints and hooks).
//
// Errors: token.refresh_invalid (unknown, expired, revoked, or another
// client's), token.refresh_reused (see above), storage.*.
// Thread safety: every method may be called from any thread (one connection
// behind a mutex; the revoked set behind a shared mutex).
#pragma once

#include <chrono>
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

#include "core/citizen_id.h"
#include "core/clock.h"
#include "core/error.h"
#include "storage/database.h"

namespace dancu::identity {

inline constexpr std::chrono::hours kRefreshLifetime{24 * 30};

struct RefreshGrant {
  std::string family;  // set by Issue for a new family
  std::string client_id;
  int64_t account_id = 0;
  CitizenId citizen_id;
  std::vector<std::string> scopes;
  int level = 1;
  std::vector<std::string> amr;
  int64_t auth_time = 0;   // Unix seconds
  int64_t expires_at = 0;  // Unix seconds; set by Issue for a new family
};

class TokenStore {
 public:
  // `db` is oidc.db; it must outlive this.
  static Result<std::unique_ptr<TokenStore>> Open(storage::Database& db, const Clock& clock);
  ~TokenStore();

  // A new refresh token starting a family; fills grant.family and expires_at.
  Result<std::string> IssueRefresh(RefreshGrant& grant);
  // Uses `token` (which must belong to `client_id`) and returns its grant
  // and the successor token.
  Result<std::pair<RefreshGrant, std::string>> RotateRefresh(std::string_view token,
                                                             std::string_view client_id);
  // The grant of a live (unused, unrevoked, unexpired) refresh token.
  Result<std::optional<RefreshGrant>> FindRefresh(std::string_view token) const;
  // Revokes the token's family if it belongs to `client_id` (RFC 7009: an
  // unknown token or another client's is not an error; nothing happens).
  Status RevokeRefresh(std::string_view token, std::string_view client_id);
  Status RevokeFamily(std::string_view family);
  // Every refresh token of an account (lock, death).
  Status RevokeAccount(int64_t account_id);

  Status RevokeAccessToken(std::string_view jti, int64_t expires_at);
  bool IsAccessTokenRevoked(std::string_view jti) const;

  // Records a client assertion's jti; false when the client used it before
  // (a replay). Rows are kept until the assertion's expiry.
  Result<bool> UseAssertion(std::string_view client_id, std::string_view jti,
                            int64_t expires_at);

 private:
  TokenStore(std::unique_ptr<storage::Connection> conn, const Clock& clock);
  int64_t NowSeconds() const;
  Result<std::string> InsertLocked(const RefreshGrant& grant);

  const Clock& clock_;
  mutable std::mutex mu_;
  std::unique_ptr<storage::Connection> conn_;
  int assertions_since_prune_ = 0;  // guarded by mu_
  mutable std::shared_mutex revoked_mu_;
  std::unordered_map<std::string, int64_t> revoked_;  // jti -> expires_at
};

}  // namespace dancu::identity
