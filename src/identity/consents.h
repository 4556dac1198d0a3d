// Consents: what each citizen has agreed to share with each relying party
// (issue 4, "Consent is remembered per client and can be revoked by the
// citizen"), kept in DIR/oidc.db.
//
// Contract:
//  - Grant(account, client, scopes) records the union of the scopes already
//    granted and `scopes`; Covers(...) is true when every scope asked for is
//    granted, so the authorization endpoint skips the consent page (unless
//    prompt=consent).
//  - Revoke(account, client) forgets the consent AND revokes every refresh
//    token that client holds for that account, in one transaction: the
//    client then needs the citizen again. Access tokens already issued
//    expire on their own (at most 10 minutes). Revoking what does not exist
//    is not an error (the /account page may be submitted twice).
//  - List(account) returns the consents with the client's id; the caller
//    (the /account page) looks the client's name up with Clients::Find.
//
// Cache: Covers runs on every authorization request, so the granted scopes
// of each (account, client) looked up are kept in memory (also "none"), and
// Grant/Revoke update the copy with the database. Consents change only
// through this object (the consent page and the account page of the same
// server process); the copy is dropped whole when it reaches kCacheLimit
// entries, which bounds its memory.
//
// Errors: storage.*.
// Thread safety: every method may be called from any thread (one connection
// behind a mutex; the cache behind a shared mutex).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "storage/database.h"

namespace dancu::identity {

struct Consent {
  std::string client_id;
  std::vector<std::string> scopes;
  Timestamp granted_at;
};

class Consents {
 public:
  // `db` is oidc.db; it must outlive this.
  static Result<std::unique_ptr<Consents>> Open(storage::Database& db, const Clock& clock);
  ~Consents();

  Status Grant(int64_t account_id, std::string_view client_id,
               const std::vector<std::string>& scopes);
  Result<bool> Covers(int64_t account_id, std::string_view client_id,
                      const std::vector<std::string>& scopes) const;
  Result<std::vector<Consent>> List(int64_t account_id) const;
  Status Revoke(int64_t account_id, std::string_view client_id);

 private:
  Consents(std::unique_ptr<storage::Connection> conn, const Clock& clock);
  Result<std::vector<std::string>> GrantedLocked(int64_t account_id,
                                                 std::string_view client_id) const;

  static std::string CacheKey(int64_t account_id, std::string_view client_id);
  void Remember(std::string key, std::vector<std::string> scopes) const;

  static constexpr size_t kCacheLimit = 100'000;
  const Clock& clock_;
  mutable std::mutex mu_;
  std::unique_ptr<storage::Connection> conn_;
  mutable std::shared_mutex cache_mu_;
  mutable std::unordered_map<std::string, std::vector<std::string>> cache_;  // cache_mu_
};

}  // namespace dancu::identity
