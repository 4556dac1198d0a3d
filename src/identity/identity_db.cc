#include "identity/identity_db.h"

#include <string>

#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace dancu::identity {
namespace {

// No generated keys: an account's id is its citizen id's number (one account
// per citizen), history rows are ordered by time, and secrets are keyed by
// their hash. So the same DDL runs on both engines once INTEGER means 64
// bits (BIGINT on PostgreSQL).
constexpr std::string_view kV1 = R"sql(
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  phone TEXT NOT NULL,
  level INTEGER NOT NULL,
  password_hash TEXT NOT NULL,
  locked INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  disabled_reason TEXT,
  created_at_us INTEGER NOT NULL,
  totp_secret TEXT,
  totp_last_step INTEGER NOT NULL DEFAULT -1
);
CREATE TABLE registrations (
  ticket_hash TEXT PRIMARY KEY,
  citizen_id INTEGER NOT NULL,
  phone TEXT NOT NULL,
  code_mac TEXT NOT NULL,
  code_expires_us INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  confirmed INTEGER NOT NULL DEFAULT 0,
  expires_us INTEGER NOT NULL
);
CREATE TABLE pending_sign_ins (
  token_hash TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL,
  ip TEXT NOT NULL,
  client TEXT NOT NULL,
  method TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  expires_us INTEGER NOT NULL
);
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL,
  level INTEGER NOT NULL,
  amr TEXT NOT NULL,
  auth_time_us INTEGER NOT NULL,
  created_us INTEGER NOT NULL,
  last_seen_us INTEGER NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_created ON sessions (created_us);
CREATE TABLE sign_ins (
  account_id INTEGER NOT NULL,
  at_us INTEGER NOT NULL,
  ip TEXT NOT NULL,
  outcome TEXT NOT NULL,
  method TEXT NOT NULL,
  client TEXT NOT NULL
);
CREATE INDEX sign_ins_account ON sign_ins (account_id, at_us);
CREATE TABLE throttle (
  key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  hour_start_us INTEGER NOT NULL,
  hour_failures INTEGER NOT NULL,
  blocked_until_us INTEGER NOT NULL
);
CREATE INDEX throttle_hour ON throttle (hour_start_us);
CREATE TABLE officers (
  username TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  area_code TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at_us INTEGER NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE officer_tokens (
  token_hash TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  expires_us INTEGER NOT NULL
);
CREATE TABLE upgrades (
  account_id INTEGER NOT NULL,
  officer TEXT NOT NULL,
  place TEXT NOT NULL,
  at_us INTEGER NOT NULL,
  face TEXT NOT NULL,
  fingerprint TEXT NOT NULL
);
CREATE INDEX upgrades_account ON upgrades (account_id);
CREATE TABLE watcher_state (
  name TEXT PRIMARY KEY,
  seq INTEGER NOT NULL
);
)sql";

std::string ForPostgres(std::string_view sql) {
  std::string out(sql);
  for (size_t at = 0; (at = out.find("INTEGER", at)) != std::string::npos;) {
    out.replace(at, 7, "BIGINT");
    at += 6;
  }
  return out;
}

const std::string& V1Postgres() {
  static const std::string sql = ForPostgres(kV1);
  return sql;
}

}  // namespace

std::span<const storage::Migration> IdentityMigrations() {
  static const storage::Migration migrations[] = {
      {1, "identity accounts", kV1, V1Postgres()},
  };
  return migrations;
}

Result<std::unique_ptr<storage::Database>> OpenIdentityDb(const std::filesystem::path& data_dir) {
  return storage::OpenMigratedSqlite(IdentityDbPath(data_dir), IdentityMigrations());
}

std::string TokenHash(std::string_view token) {
  return crypto::HexEncode(crypto::AsBytes(crypto::Sha256(token)));
}

}  // namespace dancu::identity
