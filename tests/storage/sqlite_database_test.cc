#include <vector>

#include <gtest/gtest.h>

#include "storage/database.h"
#include "storage/migrations.h"
#include "support/temp_dir.h"

namespace dancu::storage {
namespace {

class SqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = OpenSqlite(dir_.path() / "t.db");
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    auto c = db_->Connect();
    ASSERT_TRUE(c);
    conn_ = std::move(*c);
  }
  int64_t Scalar(std::string_view sql) {
    auto& st = conn_->Cached(sql);
    auto row = st.Step();
    EXPECT_TRUE(row && *row);
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
  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Connection> conn_;
};

TEST_F(SqliteTest, DurabilitySettingsAreWalAndSynchronousFull) {
  EXPECT_EQ(Text("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(Scalar("PRAGMA synchronous"), 2);  // 2 = FULL
}

TEST_F(SqliteTest, TransactionRollsBackUnlessCommitted) {
  ASSERT_TRUE(conn_->Exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)"));
  {
    auto tx = Transaction::Begin(*conn_);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(conn_->Exec("INSERT INTO t VALUES (1, 'a')"));
  }  // destroyed without Commit
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM t"), 0);
  {
    auto tx = Transaction::Begin(*conn_);
    ASSERT_TRUE(conn_->Exec("INSERT INTO t VALUES (1, 'a')"));
    ASSERT_TRUE(tx->Commit());
  }
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM t"), 1);
}

TEST_F(SqliteTest, ConstraintViolationHasItsOwnCode) {
  ASSERT_TRUE(conn_->Exec("CREATE TABLE t (k INTEGER PRIMARY KEY)"));
  auto& st = conn_->Cached("INSERT INTO t VALUES (?)");
  st.BindInt(1, 7);
  ASSERT_TRUE(st.Run());
  st.Reset();
  st.BindInt(1, 7);
  auto s = st.Run();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "storage.constraint");
}

TEST_F(SqliteTest, BadSqlIsAnError) {
  auto s = conn_->Exec("CREATE TABLE (");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "storage.sql");
  EXPECT_FALSE(conn_->Prepare("SELEC 1"));
}

TEST_F(SqliteTest, TextAndNullRoundTrip) {
  ASSERT_TRUE(conn_->Exec("CREATE TABLE t (k INTEGER, v TEXT)"));
  auto& ins = conn_->Cached("INSERT INTO t VALUES (?, ?) RETURNING k");
  std::string v = "Nguyễn Văn An";
  ins.BindInt(1, 1);
  ins.BindText(2, v);
  auto row = ins.Step();
  ASSERT_TRUE(row && *row);
  EXPECT_EQ(ins.Int(0), 1);
  ins.Reset();
  ins.BindInt(1, 2);
  ins.BindTextOrNull(2, "");
  ASSERT_TRUE(ins.Run());
  auto& sel = conn_->Cached("SELECT v FROM t ORDER BY k");
  ASSERT_TRUE(*sel.Step());
  EXPECT_EQ(sel.Text(0), v);
  ASSERT_TRUE(*sel.Step());
  EXPECT_TRUE(sel.IsNull(0));
}

TEST_F(SqliteTest, ForEachRowVisitsEveryRowAndResets) {
  ASSERT_TRUE(conn_->Exec("CREATE TABLE t (k INTEGER); INSERT INTO t VALUES (1), (2), (3)"));
  auto& sel = conn_->Cached("SELECT k FROM t WHERE k >= ? ORDER BY k");
  std::vector<int64_t> seen;
  sel.BindInt(1, 2);
  ASSERT_TRUE(sel.ForEachRow([&] { seen.push_back(sel.Int(0)); }));
  EXPECT_EQ(seen, (std::vector<int64_t>{2, 3}));
  // Reset: the bindings are cleared and the statement runs again from the top.
  seen.clear();
  sel.BindInt(1, 3);
  ASSERT_TRUE(sel.ForEachRow([&] { seen.push_back(sel.Int(0)); }));
  EXPECT_EQ(seen, (std::vector<int64_t>{3}));
}

TEST_F(SqliteTest, ForEachRowReturnsAStepErrorAndResets) {
  // abs() of the smallest integer overflows when the row is computed.
  auto& bad = conn_->Cached("SELECT abs(-9223372036854775807 - 1)");
  int rows = 0;
  auto s = bad.ForEachRow([&] { ++rows; });
  ASSERT_FALSE(s);
  EXPECT_EQ(rows, 0);
  EXPECT_FALSE(s.error().message.empty());
  // The connection is usable afterwards.
  EXPECT_EQ(Scalar("SELECT 7"), 7);
}

constexpr Migration kMigrations[] = {
    {1, "one", "CREATE TABLE a (x INTEGER)", "CREATE TABLE a (x INTEGER)"},
    {2, "two", "CREATE TABLE b (y INTEGER)", "CREATE TABLE b (y INTEGER)"},
};

TEST_F(SqliteTest, MigrationsApplyOnceInOrder) {
  auto v = Migrate(*conn_, std::span(kMigrations).first(1));
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, 1);
  v = Migrate(*conn_, kMigrations);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(*v, 2);
  v = Migrate(*conn_, kMigrations);  // nothing left to do
  ASSERT_TRUE(v);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM schema_migrations"), 2);
}

TEST_F(SqliteTest, FailedMigrationLeavesThePreviousVersion) {
  constexpr Migration bad[] = {
      {1, "one", "CREATE TABLE a (x INTEGER)", ""},
      {2, "broken", "CREATE TABLE c (z INTEGER); CREATE TABLE a (x INTEGER)", ""},
  };
  auto v = Migrate(*conn_, bad);
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, "storage.migration");
  EXPECT_EQ(Scalar("SELECT MAX(version) FROM schema_migrations"), 1);
  // The half-run migration's first table was rolled back too.
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'c'"), 0);
}

TEST_F(SqliteTest, NewerSchemaIsRefused) {
  ASSERT_TRUE(Migrate(*conn_, kMigrations));
  auto v = Migrate(*conn_, std::span(kMigrations).first(1));
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, "storage.schema_too_new");
}

TEST_F(SqliteTest, NewDatabasesGetTheConfiguredPageSize) {
  EXPECT_EQ(Scalar("PRAGMA page_size"), SqliteOptions{}.page_size);
}

TEST(SqliteOpen, AnExistingDatabaseKeepsItsPageSize) {
  testing::TempDir dir;
  {
    auto db = OpenSqlite(dir.path() / "t.db", SqliteOptions{.page_size = 4096}).value();
    auto c = db->Connect().value();
    ASSERT_TRUE(c->Exec("CREATE TABLE t (k INTEGER PRIMARY KEY)"));
  }
  auto db = OpenSqlite(dir.path() / "t.db", SqliteOptions{.page_size = 65536}).value();
  auto c = db->Connect().value();
  auto& st = c->Cached("PRAGMA page_size");
  ASSERT_TRUE(*st.Step());
  EXPECT_EQ(st.Int(0), 4096);
}

TEST(SqliteOpen, UnwritablePathFails) {
  auto db = OpenSqlite("/proc/dancu-cannot-exist/x.db");
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, "storage.open");
}

}  // namespace
}  // namespace dancu::storage
