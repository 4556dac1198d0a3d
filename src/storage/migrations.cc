#include "storage/migrations.h"

#include <string>

namespace dancu::storage {

namespace {

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL)";

}  // namespace

Result<int> Migrate(Connection& conn, std::span<const Migration> migrations) {
  if (auto s = conn.Exec(kCreateTable); !s) return std::unexpected(s.error());
  auto version = QueryInt(conn, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!version) return std::unexpected(version.error());
  int current = static_cast<int>(*version);
  int latest = migrations.empty() ? 0 : migrations.back().version;
  if (current > latest) {
    return Fail("storage.schema_too_new",
                "database schema version " + std::to_string(current) +
                    " is newer than this dancu (" + std::to_string(latest) + ")");
  }
  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    auto tx = Transaction::Begin(conn);
    if (!tx) return std::unexpected(tx.error());
    std::string_view sql = conn.engine() == "postgres" ? m.postgres_sql : m.sqlite_sql;
    if (auto s = conn.Exec(sql); !s) {
      return Fail("storage.migration", "migration " + std::to_string(m.version) +
                                           " (" + std::string(m.name) +
                                           ") failed: " + s.error().message);
    }
    auto& ins = conn.Cached("INSERT INTO schema_migrations (version, name) VALUES (?, ?)");
    ins.BindInt(1, m.version);
    ins.BindText(2, m.name);
    if (auto s = ins.Run(); !s) return std::unexpected(s.error());
    ins.Reset();
    if (auto s = tx->Commit(); !s) return std::unexpected(s.error());
    current = m.version;
  }
  return current;
}

Result<std::unique_ptr<Database>> OpenMigratedSqlite(const std::filesystem::path& file,
                                                     std::span<const Migration> migrations) {
  auto db = OpenSqlite(file);
  if (!db) return std::unexpected(db.error());
  auto conn = (*db)->Connect();
  if (!conn) return std::unexpected(conn.error());
  if (auto v = Migrate(**conn, migrations); !v) return std::unexpected(v.error());
  return std::move(*db);
}

}  // namespace dancu::storage
