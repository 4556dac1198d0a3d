// identity_db: the identity accounts' own database, DIR/identity.db, beside
// the register (DIR/register.db) and the verification service's verify.db.
// A separate file so that sign-ins (one write per attempt: history and
// throttle counters) never take the register's write lock.
//
// Schema (numbered migrations, storage/migrations.h), version 1:
//  accounts(id = the citizen id's number, phone, level, password_hash,
//    locked, disabled, disabled_reason, created_at_us, totp_secret (sealed,
//    base64), totp_last_step)
//  registrations(ticket_hash, ...): pending sign-ups (registration.cc)
//  pending_sign_ins(token_hash, ...): a correct password waiting for TOTP
//  sessions(id_hash, ...): sessions.h; only SHA-256 of the session id
//  sign_ins(account_id, at_us, ip, outcome, method, client): history
//  throttle(key, ...): throttle.h
//  officers(username, ...), officer_tokens(token_hash, ...): officers.h
//  upgrades(account_id, officer, place, at_us, face, fingerprint): level-2
//    upgrades; the templates sealed (crypto/secret_box.h)
//  watcher_state(name, seq): where account_watcher.h is in the change feed
// Every key that is a secret (session ids, tickets, tokens) is stored as
// its SHA-256 (hex); every timestamp as microseconds since the epoch
// (INTEGER) so that expiry is an integer comparison.
//
// Errors: storage.open, storage.migration, storage.schema_too_new.
// Thread safety: as storage::Database.
#pragma once

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/error.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace dancu::identity {

inline std::filesystem::path IdentityDbPath(const std::filesystem::path& data_dir) {
  return data_dir / "identity.db";
}
// The SecretBox key (crypto/secret_box.h) that seals TOTP secrets and
// biometric templates; created on first use, mode 0600.
inline std::filesystem::path IdentityKeyPath(const std::filesystem::path& data_dir) {
  return data_dir / "identity.key";
}

std::span<const storage::Migration> IdentityMigrations();

// Opens (creating if needed) DIR/identity.db and applies the migrations.
Result<std::unique_ptr<storage::Database>> OpenIdentityDb(const std::filesystem::path& data_dir);

// Microseconds since the epoch, the stored form of a Timestamp.
inline int64_t Micros(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp FromMicros(int64_t us) { return Timestamp{std::chrono::microseconds{us}}; }

// Lowercase hex SHA-256 of a secret token (session id, ticket, officer
// token): what the tables store instead of the token.
std::string TokenHash(std::string_view token);

}  // namespace dancu::identity
