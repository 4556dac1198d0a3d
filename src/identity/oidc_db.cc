#include "identity/oidc_db.h"

namespace dancu::identity {
namespace {

// Times are integer Unix seconds (they are compared, not shown), except
// consents.granted_at (microseconds, a Timestamp shown on /account). Lists
// (redirect URIs, scopes, amr) are single-space separated: none of their
// items may contain a space (checked on the way in).
constexpr std::string_view kV1 = R"sql(
CREATE TABLE oidc_settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE clients (
  client_id TEXT PRIMARY KEY,
  secret_hash TEXT NOT NULL,
  name TEXT NOT NULL,
  logo_uri TEXT NOT NULL,
  redirect_uris TEXT NOT NULL,
  post_logout_redirect_uris TEXT NOT NULL,
  scopes TEXT NOT NULL,
  min_level INTEGER NOT NULL,
  auth_method TEXT NOT NULL,
  jwks TEXT NOT NULL,
  created_at TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE signing_keys (
  kid TEXT PRIMARY KEY,
  private_sealed TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  retired_at INTEGER,
  publish_until INTEGER
);
CREATE TABLE consents (
  account_id INTEGER NOT NULL,
  client_id TEXT NOT NULL,
  scopes TEXT NOT NULL,
  granted_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, client_id)
);
CREATE TABLE refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  family TEXT NOT NULL,
  client_id TEXT NOT NULL,
  account_id INTEGER NOT NULL,
  citizen_id TEXT NOT NULL,
  scopes TEXT NOT NULL,
  acr_level INTEGER NOT NULL,
  amr TEXT NOT NULL,
  auth_time INTEGER NOT NULL,
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used INTEGER NOT NULL DEFAULT 0,
  revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX refresh_tokens_family ON refresh_tokens(family);
CREATE INDEX refresh_tokens_account ON refresh_tokens(account_id, client_id);
CREATE TABLE revoked_tokens (
  jti TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
CREATE TABLE used_assertions (
  client_id TEXT NOT NULL,
  jti TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (client_id, jti)
);
)sql";

// PostgreSQL: the same with 64-bit integers (its INTEGER is 32-bit; account
// ids are citizen numbers and times are Unix seconds and microseconds).
constexpr std::string_view kV1Postgres = R"sql(
CREATE TABLE oidc_settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE clients (
  client_id TEXT PRIMARY KEY,
  secret_hash TEXT NOT NULL,
  name TEXT NOT NULL,
  logo_uri TEXT NOT NULL,
  redirect_uris TEXT NOT NULL,
  post_logout_redirect_uris TEXT NOT NULL,
  scopes TEXT NOT NULL,
  min_level INTEGER NOT NULL,
  auth_method TEXT NOT NULL,
  jwks TEXT NOT NULL,
  created_at TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE signing_keys (
  kid TEXT PRIMARY KEY,
  private_sealed TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  retired_at BIGINT,
  publish_until BIGINT
);
CREATE TABLE consents (
  account_id BIGINT NOT NULL,
  client_id TEXT NOT NULL,
  scopes TEXT NOT NULL,
  granted_at BIGINT NOT NULL,
  PRIMARY KEY (account_id, client_id)
);
CREATE TABLE refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  family TEXT NOT NULL,
  client_id TEXT NOT NULL,
  account_id BIGINT NOT NULL,
  citizen_id TEXT NOT NULL,
  scopes TEXT NOT NULL,
  acr_level INTEGER NOT NULL,
  amr TEXT NOT NULL,
  auth_time BIGINT NOT NULL,
  issued_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used INTEGER NOT NULL DEFAULT 0,
  revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX refresh_tokens_family ON refresh_tokens(family);
CREATE INDEX refresh_tokens_account ON refresh_tokens(account_id, client_id);
CREATE TABLE revoked_tokens (
  jti TEXT PRIMARY KEY,
  expires_at BIGINT NOT NULL
);
CREATE TABLE used_assertions (
  client_id TEXT NOT NULL,
  jti TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (client_id, jti)
);
)sql";

constexpr storage::Migration kMigrations[] = {
    {1, "oidc provider", kV1, kV1Postgres},
};

}  // namespace

std::span<const storage::Migration> OidcMigrations() { return kMigrations; }

Result<std::unique_ptr<storage::Database>> OpenOidcDb(const std::filesystem::path& data_dir) {
  return storage::OpenMigratedSqlite(OidcDbPath(data_dir), OidcMigrations());
}

}  // namespace dancu::identity
