#include "support/postgres_server.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <glob.h>
#include <memory>
#include <string>

#include <libpq-fe.h>

namespace dancu::testing {
namespace {


// The newest /usr/lib/postgresql/<version>/bin that has initdb.
std::string PostgresBinDir() {
  glob_t g{};
  std::string found;
  if (glob("/usr/lib/postgresql/*/bin/initdb", 0, nullptr, &g) == 0) {
    for (size_t i = 0; i < g.gl_pathc; ++i) found = g.gl_pathv[i];  // sorted: last is newest
  }
  globfree(&g);
  if (found.empty()) return {};
  return std::filesystem::path(found).parent_path().string();
}

class Cluster {
 public:
  ~Cluster() { Stop(); }

  bool Start(std::string& error) {
    std::string bin = PostgresBinDir();
    if (bin.empty()) {
      error = "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); run make deps";
      return false;
    }
    char tmpl[] = "/tmp/dancu-pg-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) {
      error = "mkdtemp failed";
      return false;
    }
    dir_ = tmpl;
    as_root_ = geteuid() == 0;
    if (as_root_) {
      passwd* pw = getpwnam("postgres");
      if (pw == nullptr) {
        error = "running as root but there is no postgres user";
        return false;
      }
      if (chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
        error = "chown " + dir_ + " failed";
        return false;
      }
    }
    std::string data = dir_ + "/data";
    // --no-sync only skips flushing initdb's own files of this throw-away
    // cluster; the server itself runs with PostgreSQL's default fsync=on.
    if (!Run(bin + "/initdb -D " + data + " -A trust -U postgres -E UTF8 --no-locale --no-sync > " +
             dir_ + "/initdb.log 2>&1")) {
      error = "initdb failed, see " + dir_ + "/initdb.log";
      return false;
    }
    stop_command_ = bin + "/pg_ctl -D " + data + " -m immediate stop > /dev/null 2>&1";
    if (!Run(bin + "/pg_ctl -D " + data + " -l " + dir_ + "/server.log -w -o " +
             "\"-k " + dir_ + " -c listen_addresses= -c max_connections=200\"" +
             " start > /dev/null 2>&1")) {
      error = "pg_ctl start failed, see " + dir_ + "/server.log";
      return false;
    }
    started_ = true;
    return true;
  }

  std::optional<PostgresDatabase> NewDatabase(std::string& error) {
    std::string admin = "host=" + dir_ + " dbname=postgres user=postgres";
    PGconn* conn = PQconnectdb(admin.c_str());
    std::string name = "t" + std::to_string(++databases_);
    bool ok = PQstatus(conn) == CONNECTION_OK;
    if (ok) {
      PGresult* r = PQexec(conn, ("CREATE DATABASE " + name).c_str());
      ok = PQresultStatus(r) == PGRES_COMMAND_OK;
      if (!ok) error = PQresultErrorMessage(r);
      PQclear(r);
    } else {
      error = PQerrorMessage(conn);
    }
    PQfinish(conn);
    if (!ok) return std::nullopt;
    return PostgresDatabase{"host=" + dir_ + " dbname=" + name + " user=postgres"};
  }

 private:
  bool Run(const std::string& command) {
    std::string full = as_root_ ? "su postgres -s /bin/sh -c '" + command + "'" : command;
    return std::system(full.c_str()) == 0;
  }
  void Stop() {
    if (started_) Run(stop_command_);
    started_ = false;
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

  std::string dir_;
  std::string stop_command_;
  bool as_root_ = false;
  bool started_ = false;
  int databases_ = 0;
};

}  // namespace

std::optional<PostgresDatabase> NewPostgresDatabase(std::string* error) {
  static std::string start_error;
  static std::unique_ptr<Cluster> cluster = [] {
    auto c = std::make_unique<Cluster>();
    if (!c->Start(start_error)) c.reset();
    return c;
  }();
  std::string ignored;
  std::string& out = error != nullptr ? *error : ignored;
  if (!cluster) {
    out = start_error;
    return std::nullopt;
  }
  return cluster->NewDatabase(out);
}

bool TestEngineIsPostgres() {
  const char* e = std::getenv("DANCU_TEST_ENGINE");
  return e != nullptr && std::string_view(e) == "postgres";
}

}  // namespace dancu::testing
