// The database an engine-neutral test runs on: SQLite at a given file by
// default, or a fresh database on the test PostgreSQL server when
// DANCU_TEST_ENGINE is "postgres" (support/postgres_server.h; ctest's
// *_postgres entries). Open() may be called again to reopen the same
// database (persistence tests). Binaries that use it link
// support/postgres_server.cc and libpq.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "storage/database.h"
#include "support/postgres_server.h"

namespace dancu::testing {

class TestDatabase {
 public:
  explicit TestDatabase(std::filesystem::path sqlite_file) : sqlite_file_(std::move(sqlite_file)) {
    if (!TestEngineIsPostgres()) return;
    auto pg = NewPostgresDatabase(&error_);
    if (pg) conninfo_ = pg->conninfo;
  }
  Result<std::unique_ptr<storage::Database>> Open() const {
    if (!TestEngineIsPostgres()) return storage::OpenSqlite(sqlite_file_);
    if (conninfo_.empty()) return Fail("storage.open", "PostgreSQL test server: " + error_);
    return storage::OpenPostgres(conninfo_);
  }

 private:
  std::filesystem::path sqlite_file_;
  std::string conninfo_;
  std::string error_;
};

}  // namespace dancu::testing
