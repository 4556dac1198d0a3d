#include "storage/database.h"

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
