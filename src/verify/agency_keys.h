// AgencyKeys: the agencies allowed to call the verification routes, and
// their API keys (issue 3: "an agency calls with an API key from `dancu
// agencies add`"; the data-sharing hub replaces this later).
//
// Keys: "dancu_ak_" followed by 43 base64url characters encoding 32 random
// bytes from the injected Random (SecureRandom in production). Add returns
// the key once; only its SHA-256 is stored (agencies.key_hash, hex). A plain
// hash is enough because the key is 256 bits of randomness, not a password:
// a slow password hash (Argon2) protects low-entropy secrets against guessing
// from a stolen table, and nobody can enumerate 2^256 keys, so it would only
// cost time on every request. Authenticate hashes the presented key, finds
// the row by the hash's first 8 bytes and confirms all 32 with CRYPTO_memcmp
// (constant time). Lookup timing depends only on the hash, which reveals
// nothing usable about a key.
//
// Freshness: Authenticate reads an in-memory copy of the enabled agencies,
// reloaded from verify.db when it is at least one second old (by the injected
// Clock) on the first request after that, and at once after Add/Disable on
// this instance. So `dancu agencies disable` (another process) takes effect
// on a running server within one second of its commit: the first request
// after that reloads before it is checked. The table is tiny (agencies are
// configured, not input), so a reload is one short SELECT. A reload that
// fails (storage busy) keeps the previous copy and is retried on the next
// request after another second, with a warning in the log.
//
// Names: 1-64 characters of [A-Za-z0-9._-], starting with a letter or digit;
// "admin" (any case) is reserved for the admin token's principal. They label
// metrics and the verification record.
//
// Errors: agency.bad_name, agency.exists (Add), agency.not_found (Disable),
// storage.* from verify.db.
// Thread safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/random.h"
#include "storage/database.h"

namespace dancu::verify {

inline constexpr std::string_view kAgencyKeyPrefix = "dancu_ak_";

struct Agency {
  int64_t id = 0;
  std::string name;
  std::string created_at;  // ISO 8601 UTC
  bool disabled = false;
};

// Lowercase hex SHA-256 of `key`, as stored in agencies.key_hash.
std::string HashAgencyKey(std::string_view key);

class AgencyKeys {
 public:
  // `db` is verify.db (verify_db.h: OpenVerifyDb); it must outlive this.
  static Result<std::unique_ptr<AgencyKeys>> Open(storage::Database& db, const Clock& clock);
  ~AgencyKeys();

  // Registers an agency and returns its key, which is not stored anywhere.
  Result<std::string> Add(std::string_view name, Random& random);
  // Every agency, enabled or not, by name.
  Result<std::vector<Agency>> List() const;
  // Its key stops working (at once here, within a second on other servers).
  Status Disable(std::string_view name);

  // The name of the enabled agency that holds `key`, or nullopt.
  std::optional<std::string> Authenticate(std::string_view key) const;

 private:
  struct Table;
  AgencyKeys(std::unique_ptr<storage::Connection> conn, const Clock& clock);
  Status Reload() const;
  Status ReloadLocked() const;  // conn_mu_ held

  const Clock& clock_;
  mutable std::mutex conn_mu_;  // guards conn_ and serializes reloads
  std::unique_ptr<storage::Connection> conn_;
  mutable std::shared_mutex table_mu_;
  mutable std::shared_ptr<const Table> table_;    // guarded by table_mu_
  mutable std::atomic<int64_t> loaded_at_us_{0};  // clock time of the last load attempt
};

}  // namespace dancu::verify
