// A real PostgreSQL server for tests: one throw-away cluster per test
// process, started on first use (initdb + pg_ctl from Debian's postgresql
// package) in a temporary directory, listening on a Unix socket only
// (listen_addresses is empty: no TCP port to collide on), stopped at exit.
// Each call to NewDatabase() creates a fresh, empty database and returns its
// libpq connection string, so tests never see each other's rows.
//
// When the process runs as root (CI), the cluster runs as the `postgres`
// user (PostgreSQL refuses root). Failure to start is fatal for the test
// (it returns nullopt with the reason; the test should FAIL, not skip: the
// production store must be tested).
//
// Thread safety: call from the test's main thread.
#pragma once

#include <optional>
#include <string>

namespace dancu::testing {

struct PostgresDatabase {
  std::string conninfo;  // "host=/tmp/... dbname=t3 user=postgres"
};

// The reason the server could not start, or a new database.
std::optional<PostgresDatabase> NewPostgresDatabase(std::string* error = nullptr);

// Whether tests should use PostgreSQL instead of SQLite: the environment
// variable DANCU_TEST_ENGINE is "postgres" (ctest sets it for the
// *_postgres copies of engine-neutral suites).
bool TestEngineIsPostgres();

}  // namespace dancu::testing
