// In-process single verification (issue 3: at least 5,000,000/s per core at
// 10 M citizens): Verifier::Verify on prepared queries, the work behind
// POST /v1/verify without HTTP and JSON.
//
//   DANCU_BENCH_DATA=DIR build/bench/verify_bench   # an existing register
//   build/bench/verify_bench                        # generates 1 M in /tmp
//
// Queries are drawn from the register: 90% give every field exactly as
// registered, 10% carry one discrepancy (a name typo, names without
// diacritics, another date, another commune), the mix of bench/reconcile.sh.
// Each query carries id, full_name, date_of_birth, sex and
// permanent_address (commune_code + address): the full comparison work.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <random>

#include "core/clock.h"
#include "core/random.h"
#include "registry/bulk_loader.h"
#include "registry/registry.h"
#include "storage/database.h"
#include "synth/population_generator.h"
#include "verify/verifier.h"

namespace {

using namespace dancu;

constexpr size_t kQueries = 1 << 17;  // sampled people, reused round-robin

struct Fixture {
  SystemClock clock;
  SeededRandom random{1};
  std::filesystem::path dir;
  bool owned = false;
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<registry::Registry> registry;
  std::unique_ptr<verify::Verifier> verifier;
  std::vector<verify::VerifyQuery> queries;

  Fixture() {
    if (const char* d = std::getenv("DANCU_BENCH_DATA"); d != nullptr && *d != '\0') {
      dir = d;
    } else {
      owned = true;
      dir = std::filesystem::temp_directory_path() / ("dancu-verify-bench-" + std::to_string(getpid()));
      std::filesystem::remove_all(dir);
    }
    db = storage::OpenSqlite(dir / "register.db").value();
    registry = registry::Registry::Open(*db, clock, random).value();
    if (owned) Generate(1000000);
    verifier = verify::Verifier::Create(*registry).value();
    Sample();
  }
  ~Fixture() {
    verifier.reset();
    registry.reset();
    db.reset();
    if (owned) std::filesystem::remove_all(dir);
  }

  void Generate(size_t count) {
    auto loader = registry->BeginBulkLoad({"bench", "", {}, {}}).value();
    synth::PopulationGenerator gen({.count = static_cast<int64_t>(count), .seed = 1, .today = clock.Today()});
    (void)gen.Generate([&](const registry::Citizen& c) { return loader->Add(c); });
    std::vector<registry::BulkProblem> problems;
    (void)loader->Finish(problems, "bench").value();
  }

  // Every k-th citizen becomes a query; one in ten gets a discrepancy.
  void Sample() {
    size_t total = verifier->size();
    size_t step = std::max<size_t>(1, total / kQueries);
    size_t i = 0;
    std::mt19937_64 rng(7);
    (void)registry->ScanCitizens([&](const registry::Citizen& c) -> Status {
      if (i++ % step != 0 || queries.size() >= kQueries) return {};
      verify::VerifyQuery q;
      q.id = c.id;
      std::string name = c.full_name.text();
      PartialDate dob = c.date_of_birth;
      std::string commune = c.permanent_residence.commune_code;
      if (rng() % 10 == 0) {
        switch (rng() % 4) {
          case 0: name += 'h'; break;                                      // typo
          case 1: name = std::string(c.full_name.folded()); break;        // no diacritics
          case 2: dob = PartialDate::Make(dob.year() == 1990 ? 1991 : 1990, 0, 0).value(); break;
          case 3: commune = commune == "00004" ? "00007" : "00004"; break;
        }
      }
      q.full_name = PersonName::Parse(name).value();
      q.date_of_birth = dob;
      q.sex = c.sex;
      q.commune_code = commune;
      q.address = c.permanent_residence.street;
      queries.push_back(std::move(q));
      return {};
    });
    std::shuffle(queries.begin(), queries.end(), rng);
  }
};

Fixture& Shared() {
  static Fixture f;
  return f;
}

void BM_Verify(benchmark::State& state) {
  Fixture& f = Shared();
  size_t i = static_cast<size_t>(state.thread_index()) * 7919;
  size_t matched = 0;
  for (auto _ : state) {
    verify::VerifyResult r = f.verifier->Verify(f.queries[i++ % f.queries.size()]);
    matched += r.status == verify::Outcome::kMatch;
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["citizens"] = static_cast<double>(f.verifier->size());
  state.counters["matched_share"] =
      static_cast<double>(matched) / static_cast<double>(std::max<int64_t>(1, state.iterations()));
}
BENCHMARK(BM_Verify)->Threads(1)->Threads(2)->UseRealTime()->MinTime(3);

// The same with the query's name parsed (NFC + folding) per verification:
// what a caller that has only text pays on top.
void BM_VerifyWithNameParse(benchmark::State& state) {
  Fixture& f = Shared();
  size_t i = static_cast<size_t>(state.thread_index()) * 7919;
  for (auto _ : state) {
    verify::VerifyQuery q = f.queries[i++ % f.queries.size()];
    q.full_name = PersonName::Parse(q.full_name->text()).value();
    benchmark::DoNotOptimize(f.verifier->Verify(q));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyWithNameParse)->Threads(1)->UseRealTime()->MinTime(2);

}  // namespace

BENCHMARK_MAIN();
