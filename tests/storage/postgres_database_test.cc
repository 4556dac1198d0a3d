// The PostgreSQL engine against a real server (support/postgres_server.h):
// the same contract as the SQLite engine's tests, plus what is particular to
// it (placeholder rewriting, failed commits, write serialisation).
#include <vector>

#include <gtest/gtest.h>

#include "storage/database.h"
#include "storage/migrations.h"
#include "support/postgres_server.h"

namespace dancu::storage {
namespace {

class PostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    auto pg = testing::NewPostgresDatabase(&error);
    ASSERT_TRUE(pg) << "PostgreSQL test server: " << error;
    auto db = OpenPostgres(pg->conninfo);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    auto c = db_->Connect();
    ASSERT_TRUE(c);
    conn_ = std::move(*c);
  }
  int64_t Scalar(std::string_view sql) {
    auto& st = conn_->Cached(sql);
    auto row = st.Step();
    EXPECT_TRUE(row && *row) << (row ? "" : row.error().message);
    int64_t v = st.Int(0);
    st.Reset();
    return v;
  }
  std::string Text(std::string_view sql) {
    auto& st = conn_->Cached(sql);
    auto row = st.Step();
    EXPECT_TRUE(row && *row);
    std::string v(st.Text(0));
    st.Reset();
    return v;
  }
  std::unique_ptr<Database> db_;
  std::unique_ptr<Connection> conn_;
};

TEST_F(PostgresTest, DurabilityIsPostgresDefault) {
  EXPECT_EQ(Text("SHOW fsync"), "on");
  EXPECT_EQ(Text("SHOW synchronous_commit"), "on");
  EXPECT_EQ(conn_->engine(), "postgres");
  EXPECT_NE(db_->Describe().find("dbname="), std::string::npos);
}

TEST_F(PostgresTest, TransactionRollsBackUnlessCommitted) {
  ASSERT_TRUE(conn_->Exec("CREATE TABLE t (k BIGINT PRIMARY KEY, v TEXT)"));
  {
    auto tx = Transaction::Begin(*conn_);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(conn_->Exec("INSERT INTO t VALUES (1, 'a')"));
  }
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM t"), 0);
  {
    auto tx = Transaction::Begin(*conn_);
    ASSERT_TRUE(conn_->Exec("INSERT INTO t VALUES (1, 'a')"));
    ASSERT_TRUE(tx->Commit());
  }
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM t"), 1);
}

TEST_F(PostgresTest, CommitOfAFailedTransactionIsAnError) {
  ASSERT_TRUE(conn_->Exec("CREATE TABLE t (k BIGINT PRIMARY KEY)"));
  auto tx = Transaction::Begin(*conn_);
  ASSERT_TRUE(tx);
  ASSERT_TRUE(conn_->Exec("INSERT INTO t VALUES (1)"));
  EXPECT_FALSE(conn_->Exec("INSERT INTO t VALUES (1)"));  // aborts the transaction
  auto s = tx->Commit();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "storage.sql");
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM t"), 0);  // nothing half-applied
}

TEST_F(PostgresTest, ConstraintViolationHasItsOwnCode) {
  ASSERT_TRUE(conn_->Exec("CREATE TABLE t (k BIGINT PRIMARY KEY)"));
  auto& st = conn_->Cached("INSERT INTO t VALUES (?)");
  st.BindInt(1, 7);
  ASSERT_TRUE(st.Run());
  st.Reset();
  st.BindInt(1, 7);
  auto s = st.Run();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "storage.constraint");
}

TEST_F(PostgresTest, BadSqlIsAnError) {
  auto s = conn_->Exec("CREATE TABLE (");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "storage.sql");
  EXPECT_FALSE(conn_->Prepare("SELEC 1"));
}

TEST_F(PostgresTest, PlaceholdersAreRewrittenOutsideQuotesOnly) {
  auto& st = conn_->Cached("SELECT '?' || ? || \"x?\" -- a comment?\n FROM (SELECT 'q' AS \"x?\") s WHERE ? = 1");
  st.BindText(1, "a");
  st.BindInt(2, 1);
  ASSERT_TRUE(*st.Step());
  EXPECT_EQ(st.Text(0), "?aq");
}

TEST_F(PostgresTest, TextNullDoubleAndBooleanRoundTrip) {
  ASSERT_TRUE(conn_->Exec("CREATE TABLE t (k BIGINT, v TEXT, d DOUBLE PRECISION)"));
  auto& ins = conn_->Cached("INSERT INTO t VALUES (?, ?, ?) RETURNING k");
  std::string v = "Nguyễn Văn An";
  ins.BindInt(1, 1);
  ins.BindText(2, v);
  ins.BindDouble(3, 0.1);
  auto row = ins.Step();
  ASSERT_TRUE(row && *row);
  EXPECT_EQ(ins.Int(0), 1);
  ins.Reset();
  ins.BindInt(1, 2);
  ins.BindTextOrNull(2, "");
  ins.BindNull(3);
  ASSERT_TRUE(ins.Run());
  auto& sel = conn_->Cached("SELECT v, d, k = 1 FROM t ORDER BY k");
  ASSERT_TRUE(*sel.Step());
  EXPECT_EQ(sel.Text(0), v);
  EXPECT_DOUBLE_EQ(sel.Double(1), 0.1);
  EXPECT_EQ(sel.Int(2), 1);
  ASSERT_TRUE(*sel.Step());
  EXPECT_TRUE(sel.IsNull(0));
  EXPECT_TRUE(sel.IsNull(1));
  EXPECT_EQ(sel.Int(2), 0);
  EXPECT_FALSE(*sel.Step());
}

TEST_F(PostgresTest, ForEachRowVisitsEveryRowAndResets) {
  ASSERT_TRUE(conn_->Exec("CREATE TABLE t (k BIGINT); INSERT INTO t VALUES (1), (2), (3)"));
  auto& sel = conn_->Cached("SELECT k FROM t WHERE k >= ? ORDER BY k");
  std::vector<int64_t> seen;
  sel.BindInt(1, 2);
  ASSERT_TRUE(sel.ForEachRow([&] { seen.push_back(sel.Int(0)); }));
  EXPECT_EQ(seen, (std::vector<int64_t>{2, 3}));
  seen.clear();
  sel.BindInt(1, 3);
  ASSERT_TRUE(sel.ForEachRow([&] { seen.push_back(sel.Int(0)); }));
  EXPECT_EQ(seen, (std::vector<int64_t>{3}));
}

TEST_F(PostgresTest, StepErrorIsReportedAndTheConnectionStaysUsable) {
  auto& bad = conn_->Cached("SELECT 1 / (? - 1)");
  bad.BindInt(1, 1);
  auto s = bad.ForEachRow([] {});
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("division by zero"), std::string::npos);
  EXPECT_EQ(Scalar("SELECT 7"), 7);
}

constexpr Migration kMigrations[] = {
    {1, "one", "CREATE TABLE a (x INTEGER)", "CREATE TABLE a (x BIGINT)"},
    {2, "two", "CREATE TABLE b (y INTEGER)", "CREATE TABLE b (y BIGINT)"},
};

TEST_F(PostgresTest, MigrationsUseThePostgresTextAndApplyOnce) {
  auto v = Migrate(*conn_, kMigrations);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(*v, 2);
  EXPECT_EQ(Text("SELECT data_type FROM information_schema.columns WHERE table_name = 'a'"),
            "bigint");
  v = Migrate(*conn_, kMigrations);
  ASSERT_TRUE(v);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM schema_migrations"), 2);
}

TEST_F(PostgresTest, FailedMigrationLeavesThePreviousVersion) {
  constexpr Migration bad[] = {
      {1, "one", "", "CREATE TABLE a (x BIGINT)"},
      {2, "broken", "", "CREATE TABLE c (z BIGINT); CREATE TABLE a (x BIGINT)"},
  };
  auto v = Migrate(*conn_, bad);
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, "storage.migration");
  EXPECT_EQ(Scalar("SELECT MAX(version) FROM schema_migrations"), 1);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'c'"), 0);
}

TEST(PostgresOpen, BadConnectionStringFailsAtOpen) {
  auto db = OpenPostgres("host=/nonexistent-dancu-socket-dir dbname=x connect_timeout=2");
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, "storage.open");
}

}  // namespace
}  // namespace dancu::storage
