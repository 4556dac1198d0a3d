#include "storage/database.h"

#include <cstdio>
#include <cstdlib>

namespace dancu::storage {

Status Statement::Run() {
  while (true) {
    auto row = Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return {};
  }
}

Status Statement::ForEachRow(const std::function<void()>& row) {
  for (;;) {
    auto more = Step();
    if (!more) {
      Reset();
      return std::unexpected(more.error());
    }
    if (!*more) break;
    row();
  }
  Reset();
  return {};
}

Statement& StatementCache::Get(Connection& conn, std::string_view sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    auto st = conn.Prepare(sql);
    if (!st) {
      std::fprintf(stderr, "dancu: bad cached SQL: %s\n%.*s\n", st.error().message.c_str(),
                   static_cast<int>(sql.size()), sql.data());
      std::abort();
    }
    it = statements_.emplace(std::string(sql), std::move(*st)).first;
  }
  it->second->Reset();
  return *it->second;
}

Result<int64_t> QueryInt(Connection& c, std::string_view sql) {
  Statement& st = c.Cached(sql);
  auto row = st.Step();
  if (!row) return std::unexpected(row.error());
  int64_t v = *row ? st.Int(0) : 0;
  st.Reset();
  return v;
}

Result<Transaction> Transaction::Begin(Connection& c) {
  if (auto s = c.Begin(); !s) return std::unexpected(s.error());
  return Transaction(c);
}

Transaction::~Transaction() {
  // Best effort: a failed rollback leaves the engine to discard the
  // transaction when the connection closes.
  if (conn_ != nullptr) (void)conn_->Rollback();
}

Status Transaction::Commit() {
  Connection* c = conn_;
  conn_ = nullptr;
  if (auto s = c->Commit(); !s) {
    (void)c->Rollback();
    return s;
  }
  return {};
}

}  // namespace dancu::storage
