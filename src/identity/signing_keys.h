// SigningKeys: the provider's ES256 key ring (issue 4, "Discovery and keys"),
// kept in DIR/oidc.db with each private key sealed by crypto::SecretBox
// (DIR/identity.key; associated data "oidc-signing-key:" + kid).
//
// Contract:
//  - Exactly one key is current: it signs every new ID token and access
//    token. Open creates the first one when the ring is empty.
//  - Rotate() makes a new current key and retires the old one at `now`. A
//    retired key stays published (in the JWKS, and accepted when verifying
//    tokens) until publish_until = retired_at + the longest lifetime of a
//    token it may have signed (the constructor's `longest_token_lifetime`,
//    the provider's ID/access token lifetime) + 60 s of clock leeway: every
//    token it signed has expired by then. Rotate also deletes keys whose
//    publish_until has passed.
//  - kid is the key's RFC 7638 thumbprint.
//  - ring() is an immutable snapshot (current key, published keys, the JWKS
//    document). It is reloaded from oidc.db when at least one second old on
//    the next call (a cheap check of the key list; keys are unsealed only
//    when it changed), so `dancu keys rotate` from another process reaches a
//    running server within a second.
//
// Errors: storage.*, crypto.open_failed (a key sealed with another
// identity.key: the deployment's key file was replaced).
// Thread safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "crypto/ec_key.h"
#include "crypto/secret_box.h"
#include "storage/database.h"

namespace dancu::identity {

struct SigningKeyInfo {
  std::string kid;
  int64_t created_at = 0;                // Unix seconds
  std::optional<int64_t> retired_at;     // nullopt for the current key
  std::optional<int64_t> publish_until;  // nullopt for the current key
  bool current = false;
};

struct KeyRing {
  explicit KeyRing(crypto::EcKey key) : current(std::move(key)) {}
  std::string current_kid;
  crypto::EcKey current;
  std::vector<std::pair<std::string, crypto::EcKey>> published;  // current first
  std::string jwks_json;  // {"keys":[...]} of the published public keys

  // A published key by kid, or nullptr.
  const crypto::EcKey* Find(std::string_view kid) const;
};

class SigningKeys {
 public:
  // `db` is oidc.db; it and `box` must outlive this.
  static Result<std::unique_ptr<SigningKeys>> Open(storage::Database& db,
                                                   const crypto::SecretBox& box,
                                                   const Clock& clock,
                                                   std::chrono::seconds longest_token_lifetime);
  ~SigningKeys();

  // Returns the new current kid.
  Result<std::string> Rotate();
  // The current key first, then retired keys, most recently retired first.
  Result<std::vector<SigningKeyInfo>> List() const;
  std::shared_ptr<const KeyRing> ring() const;

 private:
  SigningKeys(std::unique_ptr<storage::Connection> conn, const crypto::SecretBox& box,
              const Clock& clock, std::chrono::seconds lifetime);
  Status EnsureCurrentLocked();             // conn_mu_ held
  Status ReloadLocked(bool force) const;    // conn_mu_ held

  const crypto::SecretBox& box_;
  const Clock& clock_;
  std::chrono::seconds lifetime_;
  mutable std::mutex conn_mu_;
  std::unique_ptr<storage::Connection> conn_;
  mutable std::string fingerprint_;  // the key list at the last load; conn_mu_
  mutable std::shared_mutex ring_mu_;
  mutable std::shared_ptr<const KeyRing> ring_;
  mutable std::atomic<int64_t> checked_at_us_{0};
};

}  // namespace dancu::identity
