// Access log (issue 5) benchmarks: append throughput (batched, durable:
// synchronous=FULL commits, never relaxed) and inclusion-proof latency
// served from stored nodes at large tree sizes.
//
//   audit_bench --benchmark_filter=Append
//   AUDIT_BENCH_LEAVES=100000000 AUDIT_BENCH_DIR=/path audit_bench --benchmark_filter=Proof
//
// The proof benchmarks need a tree of AUDIT_BENCH_LEAVES leaves (default
// 10 M). Appending 100 M real entries would take ~10 minutes and ~25 GB, so
// the tree is built synthetically: the stored nodes of AUDIT_BENCH_LEAVES
// leaves (leaf i = LeafHash of "synthetic entry i"), written in post-order
// exactly as AuditLog writes them, plus the one entry row that tells
// AuditLog::Open the size. Proofs then go through AuditLog::ProveInclusion,
// the code the HTTP API runs. The directory is kept, so later runs reuse it.
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "core/clock.h"
#include "core/random.h"
#include "hub/audit_db.h"
#include "hub/audit_log.h"
#include "storage/database.h"

namespace dancu::hub {
namespace {

std::filesystem::path BenchDir(const std::string& name) {
  const char* base = std::getenv("AUDIT_BENCH_DIR");
  std::filesystem::path dir = std::filesystem::path(base ? base : "/tmp") / name;
  std::filesystem::create_directories(dir);
  return dir;
}

uint64_t ProofLeaves() {
  const char* v = std::getenv("AUDIT_BENCH_LEAVES");
  return v ? std::strtoull(v, nullptr, 10) : 10'000'000;
}

AccessRecord Sample(uint64_t i) {
  AccessRecord r;
  r.actor_kind = ActorKind::kAgency;
  r.actor = "bank-a";
  r.citizen = "0010900" + std::to_string(10000 + i % 90000);
  r.operation = "verify";
  r.fields = "id,full_name,date_of_birth";
  r.outcome = i % 5 == 0 ? "MISMATCH" : "MATCH";
  return r;
}

// Append throughput: `threads` producers append state.range(0) entries in
// total; the time includes the final Flush, so every entry counted is
// committed (with its tree nodes) to disk.
void BM_Append(benchmark::State& state) {
  const auto total = static_cast<uint64_t>(state.range(0));
  const int threads = static_cast<int>(state.range(1));
  SystemClock clock;
  for (auto _ : state) {
    state.PauseTiming();
    std::filesystem::path dir = BenchDir("dancu-audit-append");
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    auto db = OpenAuditDb(dir);
    if (!db) std::abort();
    auto keys = LoadOrCreateAuditKeys(dir);
    if (!keys) std::abort();
    auto log = AuditLog::Open(**db, std::move(*keys), clock);
    if (!log) std::abort();
    state.ResumeTiming();
    std::vector<std::thread> producers;
    for (int t = 0; t < threads; ++t) {
      producers.emplace_back([&, t] {
        for (uint64_t i = static_cast<uint64_t>(t); i < total;
             i += static_cast<uint64_t>(threads)) {
          (*log)->Append(Sample(i));
        }
      });
    }
    for (auto& p : producers) p.join();
    if (!(*log)->Flush()) std::abort();
    state.PauseTiming();
    if ((*log)->size() != total) std::abort();
    log->reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * total));
}
BENCHMARK(BM_Append)
    ->Args({1'000'000, 1})
    ->Args({1'000'000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

// The writer alone: a million entries queued first (no writer thread),
// then one Flush on this thread commits them in batches of batch_max. On a
// loaded machine the CPU time (this thread's) is the better figure: entries
// per writer-CPU-second is the throughput an idle core gives.
void BM_WriterOnly(benchmark::State& state) {
  const auto total = static_cast<uint64_t>(state.range(0));
  SystemClock clock;
  for (auto _ : state) {
    state.PauseTiming();
    std::filesystem::path dir = BenchDir("dancu-audit-writer");
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    auto db = OpenAuditDb(dir);
    auto keys = LoadOrCreateAuditKeys(dir);
    AuditLogOptions o;
    o.writer_thread = false;
    o.queue_capacity = total;
    auto log = AuditLog::Open(**db, std::move(*keys), clock, o);
    if (!log) std::abort();
    for (uint64_t i = 0; i < total; ++i) (*log)->Append(Sample(i));
    state.ResumeTiming();
    if (!(*log)->Flush()) std::abort();
    state.PauseTiming();
    log->reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * total));
}
BENCHMARK(BM_WriterOnly)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(1);

// The enqueue alone (what a request handler pays): no commit waited for.
void BM_AppendEnqueue(benchmark::State& state) {
  SystemClock clock;
  std::filesystem::path dir = BenchDir("dancu-audit-enqueue");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto db = OpenAuditDb(dir);
  auto keys = LoadOrCreateAuditKeys(dir);
  auto log = AuditLog::Open(**db, std::move(*keys), clock);
  uint64_t i = 0;
  for (auto _ : state) (*log)->Append(Sample(i++));
  state.SetItemsProcessed(state.iterations());
  log->reset();
}
BENCHMARK(BM_AppendEnqueue)->Iterations(200'000);

// Writes `leaves` synthetic entries (empty texts, leaf i = LeafHash of
// "synthetic entry i") and the stored nodes above them, in creation order
// as AuditLog::Write does, in transactions of about a million rows.
void BuildSyntheticTree(const std::filesystem::path& dir, uint64_t leaves) {
  auto db = OpenAuditDb(dir);
  if (!db) std::abort();
  auto conn = (*db)->Connect();
  if (!conn) std::abort();
  storage::Connection& c = **conn;
  if (!c.Exec("BEGIN")) std::abort();
  auto& ins_entry = c.Cached(
      "INSERT INTO audit_entries (idx, at, actor_kind, actor, subject, operation, fields, "
      "purpose, outcome, h0, h1, h2, h3) VALUES (?, '', 'system', '', '', '', '', '', '', ?, ?, "
      "?, ?)");
  auto& ins_node = c.Cached("INSERT INTO audit_nodes (id, h0, h1, h2, h3) VALUES (?, ?, ?, ?, ?)");
  auto& ins_top =
      c.Cached("INSERT INTO audit_top_nodes (id, h0, h1, h2, h3) VALUES (?, ?, ?, ?, ?)");
  auto put = [&](storage::Statement& st, int64_t key, const Hash& h) {
    st.BindInt(1, key);
    for (int w = 0; w < 4; ++w) {
      uint64_t v = 0;
      for (int b = 0; b < 8; ++b) v = (v << 8) | h[static_cast<size_t>(w * 8 + b)];
      st.BindInt(2 + w, static_cast<int64_t>(v));
    }
    if (!st.Run()) std::abort();
    st.Reset();
  };
  std::vector<Hash> frontier;
  uint64_t rows = 0;
  for (uint64_t n = 0; n < leaves; ++n) {
    Hash h = LeafHash("synthetic entry " + std::to_string(n));
    put(ins_entry, static_cast<int64_t>(n), h);
    unsigned level = 0;
    uint64_t index = n;
    while (index & 1) {
      h = NodeHash(frontier.back(), h);
      frontier.pop_back();
      ++level;
      index >>= 1;
      put(ins_node, AuditNodeId(level, index), h);
      if (level >= kAuditTopLevel) put(ins_top, AuditTopNodeId(level, index), h);
      ++rows;
    }
    frontier.push_back(h);
    if (++rows >= 1'000'000) {
      rows = 0;
      if (!c.Exec("COMMIT") || !c.Exec("BEGIN")) std::abort();
    }
  }
  if (!c.Exec("COMMIT")) std::abort();
}

struct ProofTree {
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<AuditLog> log;
};

ProofTree& OpenProofTree() {
  static ProofTree* tree = [] {
    const uint64_t leaves = ProofLeaves();
    std::filesystem::path dir = BenchDir("dancu-audit-proof-" + std::to_string(leaves));
    if (!std::filesystem::exists(dir / "built")) {
      std::filesystem::remove(AuditDbPath(dir));
      auto t0 = std::chrono::steady_clock::now();
      BuildSyntheticTree(dir, leaves);
      std::chrono::duration<double> took = std::chrono::steady_clock::now() - t0;
      std::fprintf(stderr, "built %llu leaves in %.0f s (%.2f GB)\n",
                   static_cast<unsigned long long>(leaves), took.count(),
                   std::filesystem::file_size(AuditDbPath(dir)) / 1e9);
      std::FILE* f = std::fopen((dir / "built").c_str(), "w");
      if (f) std::fclose(f);
    }
    static SystemClock clock;
    auto* t = new ProofTree;
    auto db = OpenAuditDb(dir);
    if (!db) std::abort();
    t->db = std::move(*db);
    auto keys = LoadOrCreateAuditKeys(dir);
    auto t0 = std::chrono::steady_clock::now();
    auto log = AuditLog::Open(*t->db, std::move(*keys), clock);
    if (!log) {
      std::fprintf(stderr, "%s\n", log.error().message.c_str());
      std::abort();
    }
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - t0;
    std::fprintf(stderr, "opened %llu leaves in %.2f s\n",
                 static_cast<unsigned long long>((*log)->size()), took.count());
    t->log = std::move(*log);
    // Sanity: a proof verifies against the signed head.
    TreeHead head = t->log->LatestHead();
    auto p = t->log->ProveInclusion(head.size / 3, head.size);
    if (!p || !VerifyInclusion(p->leaf_index, p->tree_size, p->leaf_hash, p->audit_path,
                               head.root_hash)) {
      std::abort();
    }
    return t;
  }();
  return *tree;
}

// A random leaf's inclusion proof in the whole tree.
void BM_InclusionProof(benchmark::State& state) {
  ProofTree& t = OpenProofTree();
  const uint64_t size = t.log->size();
  SeededRandom random(42);
  size_t path = 0;
  for (auto _ : state) {
    auto p = t.log->ProveInclusion(random.Uniform(size), size);
    if (!p) std::abort();
    path += p->audit_path.size();
    benchmark::DoNotOptimize(p);
  }
  state.counters["leaves"] = static_cast<double>(size);
  state.counters["path_len"] = static_cast<double>(path) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_InclusionProof)->Unit(benchmark::kMicrosecond);

// The same for a past size (any size up to the log's): the right edge is
// assembled from stored nodes too.
void BM_InclusionProofPastSize(benchmark::State& state) {
  ProofTree& t = OpenProofTree();
  const uint64_t size = t.log->size();
  SeededRandom random(7);
  for (auto _ : state) {
    uint64_t n = 1 + random.Uniform(size);
    auto p = t.log->ProveInclusion(random.Uniform(n), n);
    if (!p) std::abort();
    benchmark::DoNotOptimize(p);
  }
}
BENCHMARK(BM_InclusionProofPastSize)->Unit(benchmark::kMicrosecond);

// A consistency proof between two random sizes.
void BM_ConsistencyProof(benchmark::State& state) {
  ProofTree& t = OpenProofTree();
  const uint64_t size = t.log->size();
  SeededRandom random(9);
  for (auto _ : state) {
    uint64_t second = 1 + random.Uniform(size);
    auto p = t.log->ProveConsistency(1 + random.Uniform(second), second);
    if (!p) std::abort();
    benchmark::DoNotOptimize(p);
  }
}
BENCHMARK(BM_ConsistencyProof)->Unit(benchmark::kMicrosecond);

// Verifying an inclusion proof (what `dancu audit verify` does).
void BM_VerifyInclusion(benchmark::State& state) {
  ProofTree& t = OpenProofTree();
  TreeHead head = t.log->LatestHead();
  auto p = t.log->ProveInclusion(head.size / 2, head.size);
  for (auto _ : state) {
    bool ok =
        VerifyInclusion(p->leaf_index, p->tree_size, p->leaf_hash, p->audit_path, head.root_hash);
    if (!ok) std::abort();
  }
}
BENCHMARK(BM_VerifyInclusion)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace dancu::hub

BENCHMARK_MAIN();
