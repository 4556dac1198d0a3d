#include "verify/verify_db.h"

namespace dancu::verify {
namespace {

// The temporary agency API keys of issue 3 (unused since hub/members.h);
// key_hash was the lowercase hex SHA-256 of the whole key.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE agencies (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  key_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0
);
)sql";

constexpr std::string_view kV1Postgres = R"sql(
CREATE TABLE agencies (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  key_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0
);
)sql";

// One row per answered query, append-only, no index (it is written a
// billion times a year and read for audits); fields and discrepant are
// bitmasks by verify::Field, status is verify::Outcome (0 MATCH, 1 MISMATCH,
// 2 NOT_FOUND). The totals are kept beside it, in the same transactions, so
// a restart reads a few rows instead of counting the record.
constexpr std::string_view kV2 = R"sql(
CREATE TABLE verifications (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  agency TEXT NOT NULL,
  fields INTEGER NOT NULL,
  status INTEGER NOT NULL,
  discrepant INTEGER NOT NULL
);
CREATE TABLE verification_totals (
  agency TEXT PRIMARY KEY,
  total INTEGER NOT NULL,
  matched INTEGER NOT NULL,
  mismatched INTEGER NOT NULL,
  not_found INTEGER NOT NULL,
  disc_id INTEGER NOT NULL,
  disc_old_id INTEGER NOT NULL,
  disc_full_name INTEGER NOT NULL,
  disc_date_of_birth INTEGER NOT NULL,
  disc_sex INTEGER NOT NULL,
  disc_permanent_address INTEGER NOT NULL
);
)sql";

// PostgreSQL: the same with a generated 64-bit key.
constexpr std::string_view kV2Postgres = R"sql(
CREATE TABLE verifications (
  id BIGSERIAL PRIMARY KEY,
  at TEXT NOT NULL,
  agency TEXT NOT NULL,
  fields INTEGER NOT NULL,
  status INTEGER NOT NULL,
  discrepant INTEGER NOT NULL
);
CREATE TABLE verification_totals (
  agency TEXT PRIMARY KEY,
  total BIGINT NOT NULL,
  matched BIGINT NOT NULL,
  mismatched BIGINT NOT NULL,
  not_found BIGINT NOT NULL,
  disc_id BIGINT NOT NULL,
  disc_old_id BIGINT NOT NULL,
  disc_full_name BIGINT NOT NULL,
  disc_date_of_birth BIGINT NOT NULL,
  disc_sex BIGINT NOT NULL,
  disc_permanent_address BIGINT NOT NULL
);
)sql";

constexpr storage::Migration kMigrations[] = {
    {1, "verification agencies", kV1, kV1Postgres},
    {2, "verification record", kV2, kV2Postgres},
};

}  // namespace

std::span<const storage::Migration> VerifyMigrations() { return kMigrations; }

Result<std::unique_ptr<storage::Database>> OpenVerifyDb(const std::filesystem::path& data_dir) {
  return storage::OpenMigratedSqlite(VerifyDbPath(data_dir), VerifyMigrations());
}

}  // namespace dancu::verify
