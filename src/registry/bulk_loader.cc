#include "registry/bulk_loader.h"

#include <unistd.h>

#include <algorithm>
#include <boost/json/object.hpp>
#include <limits>
#include <thread>

#include "registry/bulk_checks.h"
#include "registry/registry_impl.h"
#include "registry/schema.h"

namespace dancu::registry {

Result<std::unique_ptr<BulkLoader>> Registry::BeginBulkLoad(const WriteContext& ctx) {
  std::unique_ptr<BulkLoader> loader(new BulkLoader(*impl_, ctx));
  if (auto s = loader->Start(); !s) return std::unexpected(s.error());
  return loader;
}

BulkLoader::BulkLoader(Registry::Impl& impl, WriteContext ctx)
    : impl_(impl),
      ctx_(std::move(ctx)),
      lock_(impl.write_mu),
      checks_(std::make_unique<BulkChecks>()) {}

BulkLoader::~BulkLoader() {
  // An unfinished load rolls back with tx_; then the writer gets its own
  // settings back.
  tx_.reset();
  if (!restore_pragmas_.empty()) (void)impl_.writer->Exec(restore_pragmas_);
}

namespace {

// The page cache a bulk load may fill before SQLite spills pages to the WAL
// mid-transaction (after which every index build reads them back from it):
// a quarter of the machine's memory, at most 4 GiB, which holds about 20 M
// citizens. Pages are allocated as they are used, so a small load stays small.
int64_t BulkCacheKib() {
  constexpr int64_t kMaxKib = 4LL << 20;
  constexpr int64_t kFallbackKib = 1LL << 20;
  long pages = sysconf(_SC_PHYS_PAGES);
  long page_size = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) return kFallbackKib;
  int64_t quarter = static_cast<int64_t>(pages) * page_size / 4 / 1024;
  return std::clamp(quarter, int64_t{64 << 10}, kMaxKib);
}

Result<int64_t> ScalarInt(storage::Connection& c, std::string_view sql) {
  auto& st = c.Cached(sql);
  auto row = st.Step();
  if (!row) return std::unexpected(row.error());
  int64_t v = *row ? st.Int(0) : 0;
  st.Reset();
  return v;
}

}  // namespace

Status BulkLoader::Start() {
  storage::Connection& c = *impl_.writer;
  if (c.engine() == "sqlite") {
    auto cache = ScalarInt(c, "PRAGMA cache_size");
    if (!cache) return std::unexpected(cache.error());
    auto threads = ScalarInt(c, "PRAGMA threads");
    if (!threads) return std::unexpected(threads.error());
    auto temp_store = ScalarInt(c, "PRAGMA temp_store");
    if (!temp_store) return std::unexpected(temp_store.error());
    // cache_spill=1 is SQLite's default: spill as soon as the cache is full.
    restore_pragmas_ = "PRAGMA cache_size=" + std::to_string(*cache) +
                       "; PRAGMA cache_spill=1; PRAGMA threads=" + std::to_string(*threads) +
                       "; PRAGMA temp_store=" + std::to_string(*temp_store);
    // The loaded pages stay in the cache for the index builds (BulkCacheKib).
    // cache_spill=-N keeps them there even while Finish shrinks cache_size
    // for the sorter: SQLite spills dirty pages to the WAL mid-transaction
    // only beyond N KiB. With temp_store=FILE and helper threads (one per
    // spare core: more only compete) SQLite's sorter builds an index from
    // sorted runs; with temp_store=MEMORY it sorts all keys as one list on
    // this thread.
    std::string bulk_kib = std::to_string(BulkCacheKib());
    unsigned cores = std::max(2u, std::thread::hardware_concurrency());
    std::string helpers = std::to_string(std::min(cores - 1, 4u));
    if (auto s = c.Exec("PRAGMA cache_size=-" + bulk_kib + "; PRAGMA cache_spill=-" + bulk_kib +
                        "; PRAGMA threads=" + helpers + "; PRAGMA temp_store=FILE");
        !s) {
      return s;
    }
  }
  auto tx = storage::Transaction::Begin(c);
  if (!tx) return std::unexpected(tx.error());
  tx_.emplace(std::move(*tx));
  auto seq = ScalarInt(c, "SELECT COALESCE(MAX(seq), 0) + 1 FROM events");
  if (!seq) return std::unexpected(seq.error());
  seq_ = *seq;
  impl_.pending_seq = seq_;
  auto any = ScalarInt(c, "SELECT COUNT(*) FROM (SELECT 1 FROM citizens LIMIT 1) AS any_citizen");
  if (!any) return std::unexpected(any.error());
  was_empty_ = *any == 0;
  auto households = ScalarInt(c, "SELECT COUNT(*) FROM (SELECT 1 FROM households LIMIT 1) AS any_household");
  if (!households) return std::unexpected(households.error());
  had_no_households_ = *households == 0;
  if (was_empty_) {
    // Loading into an empty table and indexing afterwards is several times
    // faster than maintaining five indexes row by row. Dropping them is part
    // of the transaction, so a failed load leaves them in place.
    for (std::string_view name : kSecondaryIndexes) {
      if (auto s = c.Exec("DROP INDEX IF EXISTS " + std::string(name)); !s) return s;
    }
  }
  // A repeated id or a second head is reported, not fatal. SQLite goes on
  // after a failed statement; PostgreSQL aborts the whole transaction, so
  // there the inserts skip conflicts and say so by returning no row.
  constexpr std::string_view kInsertHousehold =
      "INSERT INTO households (id, head_id, commune, street, updated_seq) VALUES (?, ?, ?, ?, ?)";
  constexpr std::string_view kOrSkip = " ON CONFLICT DO NOTHING RETURNING 1";
  skip_conflicts_ = c.engine() == "postgres";
  if (skip_conflicts_) {
    insert_ = &c.Cached(std::string(kInsertCitizen) + std::string(kOrSkip));
    insert_household_ = &c.Cached(std::string(kInsertHousehold) + std::string(kOrSkip));
  } else {
    insert_ = &c.Cached(kInsertCitizen);
    insert_household_ = &c.Cached(kInsertHousehold);
  }
  return {};
}

void BulkLoader::ExpectRows(int64_t rows) {
  if (rows > 0) checks_->Reserve(static_cast<size_t>(rows));
}

Status BulkLoader::Add(const Citizen& citizen) {
  return Add(citizen, FoldedKeyHash(citizen.full_name.folded()));
}

Status BulkLoader::Add(const Citizen& citizen, int64_t name_hash) {
  int64_t call = calls_++;
  if (checks_->rows() == std::numeric_limits<uint32_t>::max()) {
    failed_calls_.push_back(call);
    return Fail("import.too_large", "a bulk load takes at most 4,294,967,295 citizens");
  }
  storage::Statement& st = *insert_;
  BindCitizen(st, citizen, seq_, name_hash);
  auto s = st.Step();
  st.Reset();
  bool conflict = s ? skip_conflicts_ && !*s : s.error().code == "storage.constraint";
  if (!s && !conflict) {
    failed_calls_.push_back(call);
    return std::unexpected(s.error());
  }
  // Into an empty register the in-memory checks report repeated ids at
  // Finish (SQLite has no id index during such a load; PostgreSQL skipped
  // the row), so only a clash with a citizen already there is said here.
  if (conflict && !was_empty_) {
    failed_calls_.push_back(call);
    return Fail("conflict.citizen_exists",
                "citizen " + citizen.id.ToString() + " appears more than once", "id");
  }
  auto row = static_cast<uint32_t>(checks_->rows());
  checks_->Record(citizen);
  ++added_;
  if (citizen.household_id && citizen.relationship_to_head == Relationship::kHead) {
    // The head founds the household now, so Finish need not scan for heads.
    storage::Statement& h = *insert_household_;
    h.BindInt(1, *citizen.household_id);
    h.BindInt(2, citizen.id.number());
    h.BindText(3, citizen.permanent_residence.commune_code);
    h.BindText(4, citizen.permanent_residence.street);
    h.BindInt(5, seq_);
    auto hs = h.Step();
    h.Reset();
    if (!hs || (skip_conflicts_ && !*hs)) {
      if (!hs && hs.error().code != "storage.constraint") return std::unexpected(hs.error());
      // A second head, or a household already in the register: Finish says which.
      checks_->RecordHouseholdConflict(*citizen.household_id, row);
    }
  }
  return {};
}

Result<bool> BulkLoader::Exists(std::string_view sql, int64_t key, bool bind_seq) {
  auto& st = impl_.writer->Cached(sql);
  st.BindInt(1, key);
  if (bind_seq) st.BindInt(2, seq_);
  auto row = st.Step();
  st.Reset();
  if (!row) return std::unexpected(row.error());
  return *row;
}

Status BulkLoader::FindProblems(std::vector<BulkProblem>& problems) {
  checks_->FindRepeatedIds(problems);
  if (!problems.empty()) return {};
  // Only ids and households the load does not contain are looked up, and
  // only when the register had some before the load (the indexes are then
  // in place).
  auto register_has_head = [&](int64_t household) -> Result<bool> {
    if (was_empty_) return false;
    return Exists(
        "SELECT 1 FROM citizens WHERE household_id = ? AND relationship = 'head' "
        "AND updated_seq <> ? LIMIT 1",
        household, /*bind_seq=*/true);
  };
  if (auto s = checks_->FindHeadProblems(register_has_head, problems); !s) return s;
  if (!problems.empty()) return {};
  auto household_exists = [&](int64_t household) -> Result<bool> {
    if (had_no_households_) return false;
    return Exists("SELECT 1 FROM households WHERE id = ?", household, /*bind_seq=*/false);
  };
  auto citizen_exists = [&](int64_t id) -> Result<bool> {
    if (was_empty_) return false;
    return Exists("SELECT 1 FROM citizens WHERE id = ?", id, /*bind_seq=*/false);
  };
  return checks_->FindBrokenReferences(household_exists, citizen_exists, problems);
}

void BulkLoader::NumberByCall(std::vector<BulkProblem>& problems) const {
  // Row r was loaded by call r + k, k being the number of failed calls
  // before that one: iterate to the fixed point.
  for (BulkProblem& p : problems) {
    int64_t skipped = 0;
    while (true) {
      auto before = std::upper_bound(failed_calls_.begin(), failed_calls_.end(), p.row + skipped) -
                    failed_calls_.begin();
      if (before == skipped) break;
      skipped = before;
    }
    p.row += skipped;
  }
}

Result<EventResult> BulkLoader::Finish(std::vector<BulkProblem>& problems,
                                       std::string_view source) {
  storage::Connection& c = *impl_.writer;
  if (auto s = FindProblems(problems); !s) return std::unexpected(s.error());
  checks_.reset();  // frees its memory before the index builds
  if (!problems.empty()) {
    NumberByCall(problems);
    tx_.reset();
    bool repeats = problems.front().error.code == "conflict.citizen_exists";
    return Fail("import.invalid_rows",
                std::to_string(problems.size()) +
                    (repeats ? " rows repeat an id loaded before" : " rows break register rules") +
                    "; nothing was imported");
  }
  if (was_empty_) {
    if (c.engine() == "sqlite") {
      // SQLite's sorter cuts its input into runs as large as the page cache
      // (at most 512 MiB) and sorts each as a linked list, a cache miss per
      // comparison. Runs of 8 MiB sort in cache, on the helper thread while
      // this one reads the table: at 10 M citizens the four indexes build in
      // 14 s instead of 48 s. The loaded pages stay (cache_spill, Start).
      if (auto s = c.Exec("PRAGMA cache_size=-8192"); !s) return std::unexpected(s.error());
    }
    if (auto s = c.Exec(SecondaryIndexDdl()); !s) return std::unexpected(s.error());
  }
  if (c.engine() == "postgres") {
    // Households were loaded with their own ids; new ones (a move founding
    // a household) take ids from the sequence, which must start above them.
    if (auto s = c.Exec("SELECT setval(pg_get_serial_sequence('households', 'id'), "
                        "GREATEST((SELECT MAX(id) FROM households), 1))");
        !s) {
      return std::unexpected(s.error());
    }
  }
  EventDraft draft;
  draft.type = "import";
  draft.data["count"] = added_;
  draft.data["source"] = std::string(source);
  auto seq = impl_.AppendEvent(c, draft, ctx_);
  if (!seq) return std::unexpected(seq.error());
  if (auto s = tx_->Commit(); !s) return std::unexpected(s.error());
  tx_.reset();
  {
    std::lock_guard feed_lock(impl_.feed_mu);
    impl_.last_seq = *seq;
  }
  impl_.feed_cv.notify_all();
  EventResult r;
  r.seq = *seq;
  return r;
}

}  // namespace dancu::registry
