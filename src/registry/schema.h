// The register's schema, as numbered migrations (storage/migrations.h).
#pragma once

#include <span>

#include "storage/migrations.h"

namespace dancu::registry {

std::span<const storage::Migration> RegisterMigrations();

}  // namespace dancu::registry

namespace dancu::registry {
// The secondary-index DDL (idempotent: CREATE INDEX IF NOT EXISTS) and the
// index names, so bulk loading can drop and rebuild them.
std::string_view SecondaryIndexDdl();
inline constexpr std::string_view kSecondaryIndexes[] = {
    "citizens_id", "citizens_old_id", "citizens_name", "citizens_household"};
}  // namespace dancu::registry
