// In-process register reads: GetCitizen by random id (the work behind
// GET /v1/citizens/{id} without HTTP) and FindByName, on a generated
// register of 200,000 citizens in a temporary directory.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>

#include "core/clock.h"
#include "registry/bulk_loader.h"
#include "registry/registry.h"
#include "storage/database.h"
#include "synth/population_generator.h"

namespace {

using namespace std::chrono;

struct Register {
  dancu::SystemClock clock;
  dancu::SeededRandom random{1};
  std::filesystem::path dir;
  std::unique_ptr<dancu::storage::Database> db;
  std::unique_ptr<dancu::registry::Registry> registry;
  std::vector<dancu::CitizenId> ids;
  std::vector<std::string> names;

  Register() {
    dir = std::filesystem::temp_directory_path() / ("dancu-bench-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir);
    db = dancu::storage::OpenSqlite(dir / "register.db").value();
    registry = dancu::registry::Registry::Open(*db, clock, random).value();
    auto loader = registry->BeginBulkLoad({"bench", "", {}, {}}).value();
    dancu::synth::PopulationGenerator gen({.count = 200000, .seed = 1, .today = clock.Today()});
    (void)gen.Generate([&](const dancu::registry::Citizen& c) -> dancu::Status {
      ids.push_back(c.id);
      if (names.size() < 10000) names.push_back(c.full_name.text());
      return loader->Add(c);
    });
    std::vector<dancu::registry::BulkProblem> problems;
    (void)loader->Finish(problems, "bench").value();
  }
  ~Register() {
    registry.reset();
    db.reset();
    std::filesystem::remove_all(dir);
  }
};

Register& Shared() {
  static Register r;
  return r;
}

void BM_GetCitizen(benchmark::State& state) {
  Register& r = Shared();
  std::mt19937_64 rng(state.thread_index());
  for (auto _ : state) {
    auto c = r.registry->GetCitizen(r.ids[rng() % r.ids.size()]);
    benchmark::DoNotOptimize(c);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GetCitizen)->Threads(1)->Threads(2)->UseRealTime();

void BM_FindByName(benchmark::State& state) {
  Register& r = Shared();
  std::mt19937_64 rng(1);
  for (auto _ : state) {
    auto found = r.registry->FindByName({r.names[rng() % r.names.size()], {}, {}, 50});
    benchmark::DoNotOptimize(found);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FindByName);

}  // namespace

BENCHMARK_MAIN();
