// storage: the one engine-neutral interface to the register's database.
//
// Engines: SQLite (embedded default, sqlite/) and PostgreSQL (production,
// added later). Portable SQL rules, so the same statements run on both:
//   - placeholders are `?`; the PostgreSQL engine rewrites them to $1..$n;
//   - types are INTEGER (64-bit), TEXT and REAL only; dates are packed
//     integers (YYYYMMDD) and timestamps ISO-8601 TEXT;
//   - generated keys come back with `RETURNING`, never last_insert_rowid();
//   - no engine-specific functions in registry SQL; engine-specific DDL goes in
//     per-engine migration text (see migrations.h).
//
// Errors: every failure is an Error with code "storage.<what>"
// (storage.open, storage.sql, storage.constraint, storage.busy, storage.io).
// A constraint violation (duplicate key, NOT NULL) is storage.constraint so
// callers can turn it into a domain error.
//
// Thread safety: a Database may be shared; a Connection and its Statements
// belong to one thread at a time. Text bound with BindText must stay alive
// until the next Step() or Reset() of that statement (engines do not copy it).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.h"

namespace dancu::storage {

class Statement {
 public:
  virtual ~Statement() = default;
  // Parameters are 1-based, as in SQL.
  virtual void BindNull(int index) = 0;
  virtual void BindInt(int index, int64_t value) = 0;
  virtual void BindText(int index, std::string_view value) = 0;
  virtual void BindDouble(int index, double value) = 0;
  void BindOptionalInt(int index, const std::optional<int64_t>& v) {
    v ? BindInt(index, *v) : BindNull(index);
  }
  // Binds NULL for an empty string.
  void BindTextOrNull(int index, std::string_view v) {
    v.empty() ? BindNull(index) : BindText(index, v);
  }

  // Advances; true when a row is available, false when done.
  virtual Result<bool> Step() = 0;
  // Steps to completion, for statements that return no rows.
  Status Run();
  // Steps through every row, calling `row()` while the statement is on it,
  // then resets the statement (also after an error, which it returns).
  Status ForEachRow(const std::function<void()>& row);
  // Clears bindings and rewinds, so the statement can be reused.
  virtual void Reset() = 0;

  // Columns are 0-based.
  virtual bool IsNull(int column) const = 0;
  virtual int64_t Int(int column) const = 0;
  virtual std::string_view Text(int column) const = 0;  // valid until next Step
  virtual double Double(int column) const = 0;
  std::optional<int64_t> OptionalInt(int column) const {
    return IsNull(column) ? std::nullopt : std::optional<int64_t>(Int(column));
  }
};

class Connection;

// The per-connection cache behind Connection::Cached, shared by the engines:
// statements keyed by their SQL text, prepared on first use. A statement that
// does not compile aborts (cached SQL is program text). Clear() before the
// engine closes its handle.
class StatementCache {
 public:
  Statement& Get(Connection& conn, std::string_view sql);
  void Clear() { statements_.clear(); }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::unique_ptr<Statement>, Hash, std::equal_to<>> statements_;
};

class Connection {
 public:
  virtual ~Connection() = default;
  // Runs one or more statements without parameters.
  virtual Status Exec(std::string_view sql) = 0;
  // A prepared statement owned by the caller.
  virtual Result<std::unique_ptr<Statement>> Prepare(std::string_view sql) = 0;
  // A prepared statement cached on this connection, reset and ready to bind.
  // Aborts if the SQL does not compile: cached SQL is program text.
  virtual Statement& Cached(std::string_view sql) = 0;

  virtual Status Begin() = 0;  // a write transaction (IMMEDIATE on SQLite)
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;
  virtual std::string_view engine() const = 0;  // "sqlite" or "postgres"
};

// Runs a cached query that returns one integer (COUNT, MAX, ...); 0 when it
// returns no row.
Result<int64_t> QueryInt(Connection& c, std::string_view sql);

// Rolls back on destruction unless committed, so an early return or a failed
// step never leaves a half-applied change.
class Transaction {
 public:
  static Result<Transaction> Begin(Connection& c);
  Transaction(Transaction&& o) noexcept : conn_(o.conn_) { o.conn_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Status Commit();

 private:
  explicit Transaction(Connection& c) : conn_(&c) {}
  Connection* conn_;
};

struct SqliteOptions {
  // synchronous=FULL keeps an acknowledged commit across power loss in WAL
  // mode. It is not configurable: speed never buys durability here.
  int64_t cache_kib = 64 * 1024;
  // Page size of a new database file; an existing one keeps its own (WAL
  // fixes it). 16 KiB: a bulk load of 1 M citizens commits in 0.8 s instead
  // of 1.1 s with SQLite's 4 KiB (a quarter of the WAL frames to write and
  // checkpoint), while random point reads on a 10 M register cost ~10% more
  // (64 KiB pages: commit 0.6 s, point reads 2.6x slower).
  int page_size = 16384;
  int64_t mmap_bytes = 1LL << 30;
  int busy_timeout_ms = 10000;
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Result<std::unique_ptr<Connection>> Connect() = 0;
  virtual std::string_view engine() const = 0;
  virtual std::string Describe() const = 0;  // for logs: engine and location
};

// Opens (creating if needed) the SQLite database at `file`, in WAL mode with
// synchronous=FULL. Errors: storage.open.
Result<std::unique_ptr<Database>> OpenSqlite(const std::filesystem::path& file,
                                             SqliteOptions options = {});

// Connects to PostgreSQL with a libpq connection string ("host=/run/pg
// dbname=dancu" or "postgresql://user@host/dancu"), once now so that a bad
// one fails here. Write transactions are serialised per database by an
// advisory lock (postgres/postgres_database.cc). Errors: storage.open.
Result<std::unique_ptr<Database>> OpenPostgres(std::string_view conninfo);

}  // namespace dancu::storage
