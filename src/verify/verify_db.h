// verify_db: the verification service's own database, DIR/verify.db, beside
// the register (DIR/register.db). It holds the persisted verification record
// (verification_log.h). It is a separate file so that verification never
// takes the register's write lock: a busy register does not slow the record,
// and the record's writes never delay a life event.
//
// Schema (numbered migrations, storage/migrations.h):
//  1 agencies(id, name UNIQUE, key_hash UNIQUE, created_at, disabled): the
//    temporary API keys of issue 3, unused since the hub's members
//    (hub/members.h) replaced them; kept because migrations are history
//  2 verifications(id, at, agency, fields, status, discrepant) and
//    verification_totals(agency PRIMARY KEY, total, matched, mismatched,
//    not_found, disc_<field> for each Field); neither holds submitted values.
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

namespace dancu::verify {

inline std::filesystem::path VerifyDbPath(const std::filesystem::path& data_dir) {
  return data_dir / "verify.db";
}

std::span<const storage::Migration> VerifyMigrations();

// Opens (creating if needed) DIR/verify.db and applies the migrations.
Result<std::unique_ptr<storage::Database>> OpenVerifyDb(const std::filesystem::path& data_dir);

}  // namespace dancu::verify
