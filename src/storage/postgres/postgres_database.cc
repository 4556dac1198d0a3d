// The PostgreSQL engine (libpq): the production store. One PGconn per
// Connection; statements are server-side prepared (PQprepare) once per
// connection and executed with text parameters.
//
// Portable SQL (database.h) is rewritten on the way in: each `?` placeholder
// outside quotes and comments becomes $1..$n. Results are read in text
// format and converted (Int/Double parse the text), which keeps the engine
// free of per-type binary decoding.
//
// Transactions: Begin() is "BEGIN" followed by a transaction-scoped advisory
// lock (kWriterLock), so write transactions are serialised per database as
// SQLite's BEGIN IMMEDIATE serialises them. The registry's rules (read,
// check, write, then append to the feed in order) were written for one
// writer at a time; readers are never blocked (MVCC).
//
// Durability is PostgreSQL's own (fsync=on, synchronous_commit=on by
// default); this engine never changes either.
#include <libpq-fe.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "storage/database.h"

namespace dancu::storage {
namespace {

// Any fixed number: the key of the advisory lock that serialises writers.
constexpr int64_t kWriterLock = 0x64616e6375;  // "dancu"

Error PgError(std::string_view what, PGconn* conn, const PGresult* res) {
  std::string code = "storage.sql";
  std::string state;
  if (res != nullptr) {
    const char* s = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    if (s != nullptr) state = s;
  }
  if (state.starts_with("23")) code = "storage.constraint";            // integrity
  else if (state == "40001" || state == "40P01" || state == "55P03") code = "storage.busy";
  else if (state.starts_with("53") || state.starts_with("58") || state.starts_with("08")) {
    code = "storage.io";  // resources, system errors, connection failures
  } else if (res == nullptr && conn != nullptr && PQstatus(conn) != CONNECTION_OK) {
    code = "storage.io";
  }
  std::string msg(what);
  msg += ": ";
  const char* text = res != nullptr ? PQresultErrorMessage(res) : nullptr;
  if (text == nullptr || *text == '\0') text = conn != nullptr ? PQerrorMessage(conn) : "";
  msg += text;
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  return Error{std::move(code), std::move(msg), {}};
}

// "?" → "$n" outside string literals, quoted identifiers and comments.
// Returns the rewritten text and the number of parameters.
std::pair<std::string, int> RewritePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (c == '\'' || c == '"') {
      size_t end = sql.find(c, i + 1);
      // A doubled quote ('it''s') is two adjacent literals to this scanner,
      // which copies both unchanged: the result is the same.
      if (end == std::string_view::npos) end = sql.size() - 1;
      out.append(sql.substr(i, end - i + 1));
      i = end;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      size_t end = sql.find('\n', i);
      if (end == std::string_view::npos) end = sql.size() - 1;
      out.append(sql.substr(i, end - i + 1));
      i = end;
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return {std::move(out), n};
}

class PostgresStatement final : public Statement {
 public:
  PostgresStatement(PGconn* conn, std::string name, int params)
      : conn_(conn), name_(std::move(name)), values_(params), is_null_(params, true) {}
  ~PostgresStatement() override { Clear(); }

  void BindNull(int i) override { Set(i, nullptr); }
  void BindInt(int i, int64_t v) override {
    std::string s = std::to_string(v);
    Set(i, &s);
  }
  void BindText(int i, std::string_view v) override {
    // libpq's text format wants NUL-terminated values, so the text is
    // copied (database.h allows engines to copy).
    std::string s(v);
    Set(i, &s);
  }
  void BindDouble(int i, double v) override {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    std::string s(buf);
    Set(i, &s);
  }

  Result<bool> Step() override {
    if (result_ == nullptr) {
      std::vector<const char*> values(values_.size());
      for (size_t i = 0; i < values_.size(); ++i) {
        values[i] = is_null_[i] ? nullptr : values_[i].c_str();
      }
      result_ = PQexecPrepared(conn_, name_.c_str(), static_cast<int>(values.size()),
                               values.data(), nullptr, nullptr, 0);
      auto status = PQresultStatus(result_);
      if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        Error e = PgError("step", conn_, result_);
        Clear();
        return std::unexpected(std::move(e));
      }
      rows_ = PQntuples(result_);
      row_ = -1;
    }
    ++row_;
    return row_ < rows_;
  }
  void Reset() override {
    Clear();
    std::fill(is_null_.begin(), is_null_.end(), true);
  }
  bool IsNull(int c) const override { return PQgetisnull(result_, row_, c) != 0; }
  int64_t Int(int c) const override {
    const char* v = PQgetvalue(result_, row_, c);
    if (v[0] == 't' && v[1] == '\0') return 1;  // a boolean expression
    if (v[0] == 'f' && v[1] == '\0') return 0;
    return std::strtoll(v, nullptr, 10);
  }
  std::string_view Text(int c) const override {
    return {PQgetvalue(result_, row_, c), static_cast<size_t>(PQgetlength(result_, row_, c))};
  }
  double Double(int c) const override { return std::strtod(PQgetvalue(result_, row_, c), nullptr); }

 private:
  void Set(int i, std::string* value) {
    if (i < 1 || i > static_cast<int>(values_.size())) {
      std::fprintf(stderr, "dancu: bind index %d out of range (%zu parameters)\n", i,
                   values_.size());
      std::abort();  // a bind to a parameter the SQL lacks is a program bug
    }
    is_null_[i - 1] = value == nullptr;
    if (value != nullptr) values_[i - 1] = std::move(*value);
  }
  void Clear() {
    if (result_ != nullptr) PQclear(result_);
    result_ = nullptr;
    rows_ = 0;
    row_ = -1;
  }

  PGconn* conn_;
  std::string name_;
  std::vector<std::string> values_;
  std::vector<bool> is_null_;
  PGresult* result_ = nullptr;
  int rows_ = 0;
  int row_ = -1;
};

class PostgresConnection final : public Connection {
 public:
  explicit PostgresConnection(PGconn* conn) : conn_(conn) {}
  ~PostgresConnection() override {
    cache_.Clear();
    PQfinish(conn_);
  }

  Status Exec(std::string_view sql) override {
    std::string text(sql);
    PGresult* res = PQexec(conn_, text.c_str());
    auto status = PQresultStatus(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
      Error e = PgError("exec", conn_, res);
      PQclear(res);
      return std::unexpected(std::move(e));
    }
    // COMMIT of a failed transaction "succeeds" with the tag ROLLBACK.
    bool rolled_back = std::string_view(PQcmdStatus(res)) == "ROLLBACK" && text == "COMMIT";
    PQclear(res);
    if (rolled_back) return Fail("storage.sql", "commit: the transaction had failed and was rolled back");
    return {};
  }

  Result<std::unique_ptr<Statement>> Prepare(std::string_view sql) override {
    auto [text, params] = RewritePlaceholders(sql);
    std::string name = "s" + std::to_string(++statements_);
    PGresult* res = PQprepare(conn_, name.c_str(), text.c_str(), params, nullptr);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
      Error e = PgError("prepare", conn_, res);
      PQclear(res);
      return std::unexpected(std::move(e));
    }
    PQclear(res);
    return std::make_unique<PostgresStatement>(conn_, std::move(name), params);
  }

  Statement& Cached(std::string_view sql) override { return cache_.Get(*this, sql); }

  Status Begin() override {
    return Exec("BEGIN; SELECT pg_advisory_xact_lock(" + std::to_string(kWriterLock) + ")");
  }
  Status Commit() override { return Exec("COMMIT"); }
  Status Rollback() override {
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return {};
    return Exec("ROLLBACK");
  }
  std::string_view engine() const override { return "postgres"; }

 private:
  PGconn* conn_;
  int64_t statements_ = 0;
  StatementCache cache_;
};

class PostgresDatabase final : public Database {
 public:
  explicit PostgresDatabase(std::string conninfo) : conninfo_(std::move(conninfo)) {}

  Result<std::unique_ptr<Connection>> Connect() override {
    PGconn* conn = PQconnectdb(conninfo_.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
      std::string msg = PQerrorMessage(conn);
      while (!msg.empty() && msg.back() == '\n') msg.pop_back();
      PQfinish(conn);
      return Fail("storage.open", "postgres: " + msg);
    }
    auto c = std::make_unique<PostgresConnection>(conn);
    // Quiet NOTICEs (CREATE ... IF NOT EXISTS) and UTC timestamps.
    if (auto s = c->Exec("SET client_min_messages = warning; SET TIME ZONE 'UTC'"); !s) {
      return std::unexpected(s.error());
    }
    return std::unique_ptr<Connection>(std::move(c));
  }
  std::string_view engine() const override { return "postgres"; }
  std::string Describe() const override {
    // Never log a password that may be in the conninfo.
    PQconninfoOption* opts = PQconninfoParse(conninfo_.c_str(), nullptr);
    std::string out = "postgres:";
    for (auto* o = opts; o != nullptr && o->keyword != nullptr; ++o) {
      if (o->val == nullptr || std::string_view(o->keyword) == "password") continue;
      std::string_view k = o->keyword;
      if (k == "host" || k == "port" || k == "dbname" || k == "user") {
        out.append(" ").append(k).append("=").append(o->val);
      }
    }
    PQconninfoFree(opts);
    return out;
  }

 private:
  std::string conninfo_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgres(std::string_view conninfo) {
  auto db = std::make_unique<PostgresDatabase>(std::string(conninfo));
  auto conn = db->Connect();  // fail now, not at first use
  if (!conn) return std::unexpected(conn.error());
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace dancu::storage
