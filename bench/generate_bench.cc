// Throughput of the synthetic population generator alone (no database):
// citizens per second on one core. `dancu generate` adds SQLite insertion on
// the other core (synth::GenerateInto).
#include <benchmark/benchmark.h>

#include <chrono>

#include "synth/population_generator.h"

namespace {

using namespace std::chrono;

void BM_Generate(benchmark::State& state) {
  const int64_t count = state.range(0);
  const year_month_day today{year{2026}, month{11}, day{23}};
  uint64_t seed = 1;
  int64_t checksum = 0;
  // Build the shared reference tables (names, communes) outside the timing.
  (void)dancu::synth::PopulationGenerator({.count = 1, .seed = 0, .today = today})
      .Generate([](const dancu::registry::Citizen&) -> dancu::Status { return {}; });
  for (auto _ : state) {
    dancu::synth::PopulationGenerator generator(
        dancu::synth::GeneratorOptions{.count = count, .seed = seed++, .today = today});
    auto s = generator.Generate([&](const dancu::registry::Citizen& c) -> dancu::Status {
      checksum += c.id.number();
      return {};
    });
    if (!s) state.SkipWithError(s.error().message.c_str());
  }
  benchmark::DoNotOptimize(checksum);
  state.SetItemsProcessed(state.iterations() * count);
}
BENCHMARK(BM_Generate)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
