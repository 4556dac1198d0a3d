// Numbered schema migrations. Each migration runs once, in order, inside one
// transaction together with its row in schema_migrations, so a failure leaves
// the schema at the previous version.
//
// Errors: storage.migration (a migration failed; the message names it),
// storage.schema_too_new (the database was written by a newer dancu).
#pragma once

#include <filesystem>
#include <memory>
#include <span>
#include <string_view>

#include "core/error.h"
#include "storage/database.h"

namespace dancu::storage {

struct Migration {
  int version;                 // 1, 2, 3, ... without gaps
  std::string_view name;       // "register schema"
  std::string_view sqlite_sql; // DDL for SQLite
  std::string_view postgres_sql;  // DDL for PostgreSQL (may equal sqlite_sql)
};

// Applies every migration newer than the database's version. Returns the
// resulting schema version.
Result<int> Migrate(Connection& conn, std::span<const Migration> migrations);

// Opens (creating if needed) the SQLite database at `file` and applies
// `migrations`: how each service opens its own file in the data directory
// (verify.db, identity.db, oidc.db, audit.db, hub.db).
Result<std::unique_ptr<Database>> OpenMigratedSqlite(const std::filesystem::path& file,
                                                     std::span<const Migration> migrations);

}  // namespace dancu::storage
