// oidc_db: the OpenID Connect provider's own database, DIR/oidc.db, beside
// the register (register.db), the verification side (verify.db) and the
// accounts (identity.db). A separate file keeps the provider's writes
// (refresh tokens, revocations) off the accounts' and the register's write
// locks.
//
// Schema (numbered migrations, storage/migrations.h):
//  1 oidc_settings(name PRIMARY KEY, value)   - the sealed pairwise-sub secret
//    clients(client_id PRIMARY KEY, secret_hash, name, logo_uri,
//            redirect_uris, post_logout_redirect_uris, scopes, min_level,
//            auth_method, jwks, created_at, disabled)   (clients.h)
//    signing_keys(kid PRIMARY KEY, private_sealed, created_at, retired_at,
//                 publish_until)                         (signing_keys.h)
//    consents(account_id, client_id, scopes, granted_at) (consents.h)
//    refresh_tokens(token_hash PRIMARY KEY, family, ...) (refresh_tokens.h)
//    revoked_tokens(jti PRIMARY KEY, expires_at)         (access-token jti)
//    used_assertions(client_id, jti, expires_at)         (private_key_jwt replay)
//
// Authorization codes are not here: they live at most 60 s in the serving
// process's memory (authorization_codes.h), which spares a disk commit per
// sign-in.
//
// Errors: storage.open, storage.migration, storage.schema_too_new.
// Thread safety: as storage::Database.
#pragma once

#include <filesystem>
#include <memory>
#include <span>

#include "core/error.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace dancu::identity {

inline std::filesystem::path OidcDbPath(const std::filesystem::path& data_dir) {
  return data_dir / "oidc.db";
}

std::span<const storage::Migration> OidcMigrations();

// Opens (creating if needed) DIR/oidc.db and applies the migrations.
Result<std::unique_ptr<storage::Database>> OpenOidcDb(const std::filesystem::path& data_dir);

}  // namespace dancu::identity
