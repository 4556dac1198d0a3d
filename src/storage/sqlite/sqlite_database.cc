// The SQLite engine: WAL journal, synchronous=FULL, one sqlite3* per
// Connection (SQLITE_OPEN_NOMUTEX: a connection belongs to one thread).
#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "storage/database.h"

namespace dancu::storage {
namespace {

Error SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string code = "storage.sql";
  int primary = rc & 0xff;
  if (primary == SQLITE_CONSTRAINT) code = "storage.constraint";
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) code = "storage.busy";
  if (primary == SQLITE_IOERR || primary == SQLITE_FULL) code = "storage.io";
  std::string msg(what);
  msg += ": ";
  msg += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return Error{std::move(code), std::move(msg), {}};
}

class SqliteStatement final : public Statement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }

  void BindNull(int i) override { sqlite3_bind_null(stmt_, i); }
  void BindInt(int i, int64_t v) override { sqlite3_bind_int64(stmt_, i, v); }
  void BindText(int i, std::string_view v) override {
    // SQLITE_STATIC: the caller keeps the text alive until the next step
    // (database.h), which saves a copy per bound value on bulk loads.
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }
  void BindDouble(int i, double v) override { sqlite3_bind_double(stmt_, i, v); }

  Result<bool> Step() override {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    Error e = SqliteError(db_, rc, "step");
    sqlite3_reset(stmt_);
    return std::unexpected(std::move(e));
  }
  void Reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  bool IsNull(int c) const override { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
  int64_t Int(int c) const override { return sqlite3_column_int64(stmt_, c); }
  std::string_view Text(int c) const override {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, c));
    if (p == nullptr) return {};
    return {p, static_cast<size_t>(sqlite3_column_bytes(stmt_, c))};
  }
  double Double(int c) const override { return sqlite3_column_double(stmt_, c); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    cache_.Clear();
    sqlite3_close_v2(db_);
  }

  Status Exec(std::string_view sql) override {
    std::string text(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err != nullptr ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      Error e = SqliteError(db_, rc, "exec");
      e.message = "exec: " + msg;
      return std::unexpected(std::move(e));
    }
    return {};
  }

  Result<std::unique_ptr<Statement>> Prepare(std::string_view sql) override {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return std::unexpected(SqliteError(db_, rc, "prepare"));
    return std::make_unique<SqliteStatement>(db_, stmt);
  }

  Statement& Cached(std::string_view sql) override { return cache_.Get(*this, sql); }

  Status Begin() override { return Exec("BEGIN IMMEDIATE"); }
  Status Commit() override { return Exec("COMMIT"); }
  Status Rollback() override {
    if (sqlite3_get_autocommit(db_)) return {};
    return Exec("ROLLBACK");
  }
  std::string_view engine() const override { return "sqlite"; }

 private:
  sqlite3* db_;
  StatementCache cache_;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::filesystem::path file, SqliteOptions options)
      : file_(std::move(file)), options_(options) {}

  Result<std::unique_ptr<Connection>> Connect() override {
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(file_.c_str(), &db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             nullptr);
    if (rc != SQLITE_OK) {
      Error e = SqliteError(db, rc, "open " + file_.string());
      e.code = "storage.open";
      sqlite3_close_v2(db);
      return std::unexpected(std::move(e));
    }
    auto conn = std::make_unique<SqliteConnection>(db);
    sqlite3_busy_timeout(db, options_.busy_timeout_ms);
    // page_size only takes effect while the file is still empty: it must
    // precede the switch to WAL, after which SQLite cannot change it.
    std::string pragmas =
        "PRAGMA page_size=" + std::to_string(options_.page_size) + ";"
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=FULL;"
        "PRAGMA foreign_keys=OFF;"
        "PRAGMA temp_store=MEMORY;"
        "PRAGMA cache_size=-" + std::to_string(options_.cache_kib) + ";"
        "PRAGMA mmap_size=" + std::to_string(options_.mmap_bytes) + ";";
    if (auto s = conn->Exec(pragmas); !s) {
      Error e = s.error();
      e.code = "storage.open";
      return std::unexpected(std::move(e));
    }
    return std::unique_ptr<Connection>(std::move(conn));
  }
  std::string_view engine() const override { return "sqlite"; }
  std::string Describe() const override { return "sqlite:" + file_.string(); }

 private:
  std::filesystem::path file_;
  SqliteOptions options_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(const std::filesystem::path& file,
                                             SqliteOptions options) {
  std::error_code ec;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
  if (ec) return Fail("storage.open", "cannot create " + file.parent_path().string() + ": " + ec.message());
  auto db = std::make_unique<SqliteDatabase>(file, options);
  // Open once now so a bad path fails here rather than at first use.
  auto conn = db->Connect();
  if (!conn) return std::unexpected(conn.error());
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace dancu::storage
