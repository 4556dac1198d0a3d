#include "registry/bulk_loader.h"

#include <boost/json/object.hpp>

#include "registry/registry_impl.h"
#include "registry/schema.h"

namespace dancu::registry {

Result<std::unique_ptr<BulkLoader>> Registry::BeginBulkLoad(const WriteContext& ctx) {
  std::unique_ptr<BulkLoader> loader(new BulkLoader(*impl_, ctx));
  if (auto s = loader->Start(); !s) return std::unexpected(s.error());
  return loader;
}

BulkLoader::BulkLoader(Registry::Impl& impl, WriteContext ctx)
    : impl_(impl), ctx_(std::move(ctx)), lock_(impl.write_mu) {}

BulkLoader::~BulkLoader() {
  // An unfinished load rolls back with tx_; restore the writer's cache size.
  tx_.reset();
  (void)impl_.writer->Exec("PRAGMA cache_size=-65536; PRAGMA threads=0");
}

namespace {

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
  // A bigger page cache keeps index pages resident while 10 M rows arrive.
  // threads=2 lets SQLite sort in parallel when it builds the indexes.
  if (auto s = c.Exec("PRAGMA cache_size=-1048576; PRAGMA threads=2"); !s) return s;
  auto tx = storage::Transaction::Begin(c);
  if (!tx) return std::unexpected(tx.error());
  tx_.emplace(std::move(*tx));
  auto seq = ScalarInt(c, "SELECT COALESCE(MAX(seq), 0) + 1 FROM events");
  if (!seq) return std::unexpected(seq.error());
  seq_ = *seq;
  impl_.pending_seq = seq_;
  auto any = ScalarInt(c, "SELECT COUNT(*) FROM (SELECT 1 FROM citizens LIMIT 1)");
  if (!any) return std::unexpected(any.error());
  was_empty_ = *any == 0;
  if (was_empty_) {
    // Loading into an empty table and indexing afterwards is several times
    // faster than maintaining five indexes row by row. Dropping them is part
    // of the transaction, so a failed load leaves them in place.
    for (std::string_view name : kSecondaryIndexes) {
      if (auto s = c.Exec("DROP INDEX IF EXISTS " + std::string(name)); !s) return s;
    }
  }
  insert_ = &c.Cached(kInsertCitizen);
  return {};
}

Status BulkLoader::Add(const Citizen& citizen) {
  storage::Statement& st = *insert_;
  BindCitizen(st, citizen, seq_);
  auto s = st.Step();
  st.Reset();
  if (!s) {
    if (s.error().code == "storage.constraint") {
      return Fail("conflict.citizen_exists",
                  "citizen " + citizen.id.ToString() + " appears more than once", "id");
    }
    return std::unexpected(s.error());
  }
  ++added_;
  return {};
}

Status BulkLoader::CheckReferences(std::vector<BulkProblem>& problems) {
  storage::Connection& c = *impl_.writer;
  auto collect = [&](std::string_view sql, std::string code, std::string message,
                     std::string field) -> Status {
    auto& st = c.Cached(sql);
    st.BindInt(1, seq_);
    while (true) {
      auto row = st.Step();
      if (!row) return std::unexpected(row.error());
      if (!*row) break;
      auto id = CitizenId::FromNumber(st.Int(0));
      if (!id) std::abort();
      problems.push_back(BulkProblem{*id, Error{code, message, field}});
      if (problems.size() >= 10000) break;  // enough to report
    }
    st.Reset();
    return {};
  };
  // Households with more than one head.
  if (auto s = collect(
          "SELECT id FROM citizens WHERE updated_seq = ? AND relationship = 'head' AND "
          "household_id IN (SELECT household_id FROM citizens WHERE relationship = 'head' "
          "GROUP BY household_id HAVING COUNT(*) > 1)",
          "import.two_heads", "the household has more than one head", "relationship_to_head");
      !s) return s;
  if (!problems.empty()) return {};
  // Households are founded by their heads.
  {
    auto& st = c.Cached(
        "INSERT INTO households (id, head_id, commune, street, updated_seq) "
        "SELECT household_id, id, perm_commune, perm_street, updated_seq FROM citizens "
        "WHERE updated_seq = ? AND relationship = 'head'");
    st.BindInt(1, seq_);
    auto s = st.Run();
    st.Reset();
    if (!s) {
      if (s.error().code != "storage.constraint") return s;
      if (auto s2 = collect(
              "SELECT c.id FROM citizens c JOIN households h ON h.id = c.household_id "
              "WHERE c.updated_seq = ? AND c.relationship = 'head' AND h.updated_seq <> c.updated_seq",
              "import.household_exists", "the household id is already in the register",
              "household_id");
          !s2) return s2;
      return {};
    }
  }
  // One scan over the loaded rows for every per-row reference. The
  // subquery keeps the flags addressable by name on both engines.
  auto& st = c.Cached(
      "SELECT id, no_head, no_rel, no_father, no_mother, no_spouse FROM ("
      " SELECT c.id,"
      "  (c.household_id IS NOT NULL AND NOT EXISTS"
      "    (SELECT 1 FROM households h WHERE h.id = c.household_id)) AS no_head,"
      "  (c.household_id IS NOT NULL AND c.relationship IS NULL) AS no_rel,"
      "  (c.father_id IS NOT NULL AND NOT EXISTS"
      "    (SELECT 1 FROM citizens p WHERE p.id = c.father_id)) AS no_father,"
      "  (c.mother_id IS NOT NULL AND NOT EXISTS"
      "    (SELECT 1 FROM citizens p WHERE p.id = c.mother_id)) AS no_mother,"
      "  (c.spouse_id IS NOT NULL AND NOT EXISTS"
      "    (SELECT 1 FROM citizens p WHERE p.id = c.spouse_id)) AS no_spouse"
      " FROM citizens c WHERE c.updated_seq = ?) x "
      "WHERE no_head OR no_rel OR no_father OR no_mother OR no_spouse");
  st.BindInt(1, seq_);
  while (problems.size() < 10000) {
    auto row = st.Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    auto id = CitizenId::FromNumber(st.Int(0));
    if (!id) std::abort();
    if (st.Int(1)) {
      problems.push_back({*id, Error{"import.household_without_head",
                                     "the household has no head in the register", "household_id"}});
    }
    if (st.Int(2)) {
      problems.push_back({*id, Error{"import.missing_relationship",
                                     "a household member needs relationship_to_head",
                                     "relationship_to_head"}});
    }
    const char* refs[] = {"father_id", "mother_id", "spouse_id"};
    for (int i = 0; i < 3; ++i) {
      if (st.Int(3 + i)) {
        problems.push_back({*id, Error{"import.unknown_reference",
                                       std::string(refs[i]) + " is not in the register", refs[i]}});
      }
    }
  }
  st.Reset();
  return {};
}

Result<EventResult> BulkLoader::Finish(std::vector<BulkProblem>& problems,
                                       std::string_view source) {
  storage::Connection& c = *impl_.writer;
  if (was_empty_) {
    // The unique id index comes first: the reference checks look citizens
    // up by id, and building it is where duplicate ids surface.
    if (auto s = c.Exec(IdIndexDdl()); !s) {
      if (s.error().code != "storage.constraint") return std::unexpected(s.error());
      auto& st = c.Cached("SELECT id FROM citizens GROUP BY id HAVING COUNT(*) > 1");
      while (problems.size() < 10000) {
        auto row = st.Step();
        if (!row) return std::unexpected(row.error());
        if (!*row) break;
        auto id = CitizenId::FromNumber(st.Int(0));
        if (!id) std::abort();
        problems.push_back({*id, Error{"conflict.citizen_exists",
                                       "citizen " + id->ToString() + " appears more than once",
                                       "id"}});
      }
      st.Reset();
      tx_.reset();
      return Fail("import.invalid_rows", std::to_string(problems.size()) +
                                             " ids appear more than once; nothing was imported");
    }
  }
  if (auto s = CheckReferences(problems); !s) return std::unexpected(s.error());
  if (!problems.empty()) {
    tx_.reset();
    return Fail("import.invalid_rows",
                std::to_string(problems.size()) + " rows break register rules; nothing was imported");
  }
  if (was_empty_) {
    if (auto s = c.Exec(SecondaryIndexDdl()); !s) return std::unexpected(s.error());
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
