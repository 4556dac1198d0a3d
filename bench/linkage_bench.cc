// Record linkage speed (issue 3: at least 1,000,000 candidate comparisons/s
// per core) and the register blocking index's memory.
//
//   build/bench/linkage_bench                       # register of 1 M
//   DANCU_BENCH_COUNT=10000000 build/bench/linkage_bench
//
// BM_FebrlScore: the generic CSV scorer (linkage/linker.h, the engine of
//   `dancu dedupe`) over every candidate pair blocking yields on Febrl 3
//   (data/febrl), 10 fields per comparison. items/s = comparisons/s.
// BM_RegisterScore: ScoreCandidates (the scoring loop of MatchRegister) over
//   the candidates the blocking index yields for corrupted copies of
//   register citizens (synth/record_corruptor.h, default mix).
//   items/s = comparisons/s.
// BM_RegisterMatch: whole MatchRegister queries (blocking look-ups, scoring,
//   ranking). items/s = queries/s; counter candidates = per query.
// The register fixture (generated in memory, no database) reports the bytes
// per citizen of the VerificationIndex and of the BlockingIndex.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <fstream>

#include "linkage/linker.h"
#include "synth/population_generator.h"
#include "synth/record_corruptor.h"
#include "verify/blocking_index.h"
#include "verify/register_matcher.h"
#include "verify/verification_index.h"

namespace {

using namespace dancu;

struct FebrlFixture {
  std::vector<linkage::FieldSpec> fields =
      linkage::ParseFieldSpecs(
          "given_name:name,surname:name,street_number:exact,address_1:text,address_2:text,"
          "suburb:text,postcode:postcode,state:exact,date_of_birth:date,soc_sec_id:id")
          .value();
  std::optional<linkage::RecordTable> table;
  std::optional<linkage::Linker> linker;
  std::vector<uint64_t> pairs;

  FebrlFixture() {
    auto t = linkage::RecordTable::ReadCsvFile(
        std::string(DANCU_SOURCE_DIR) + "/data/febrl/febrl_dataset3.csv", fields, "rec_id");
    if (!t) {
      std::fprintf(stderr, "%s\n", t.error().message.c_str());
      std::abort();
    }
    table = std::move(*t);
    linker.emplace(fields, linkage::LinkOptions{});
    linker->Prepare(*table, *table, true);
    pairs = linker->Candidates(*table, *table, true, nullptr);
  }
};

void BM_FebrlScore(benchmark::State& state) {
  static FebrlFixture f;
  double sum = 0;
  for (auto _ : state) {
    for (uint64_t p : f.pairs) {
      sum += f.linker->Score(*f.table, p >> 32, *f.table, static_cast<uint32_t>(p));
    }
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * f.pairs.size()));
  state.counters["pairs"] = static_cast<double>(f.pairs.size());
}
BENCHMARK(BM_FebrlScore)->Unit(benchmark::kMillisecond);

struct RegisterFixture {
  verify::VerificationIndex index;
  verify::BlockingIndex blocking;
  std::vector<verify::MatchQuery> queries;
  std::vector<std::vector<uint32_t>> candidates;
  double build_seconds = 0;

  RegisterFixture() {
    int64_t count = 1000000;
    if (const char* c = std::getenv("DANCU_BENCH_COUNT")) count = std::atoll(c);
    const std::chrono::year_month_day today{std::chrono::year{2026}, std::chrono::month{11},
                                            std::chrono::day{23}};
    index = verify::VerificationIndex(static_cast<size_t>(count));
    std::vector<registry::Citizen> sample;
    synth::PopulationGenerator gen({.count = count, .seed = 11, .today = today});
    int64_t n = 0;
    int64_t every = std::max<int64_t>(1, count / 4096);
    auto s = gen.Generate([&](const registry::Citizen& c) -> Status {
      index.Upsert(c);
      if (n++ % every == 0) sample.push_back(c);
      return {};
    });
    if (!s) std::abort();
    index.ShrinkToFit();
    auto start = std::chrono::steady_clock::now();
    blocking = verify::BlockingIndex(index);
    build_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    synth::RecordCorruptor corruptor({}, 5);
    for (const auto& c : sample) {
      synth::CorruptedRecord r = corruptor.Corrupt(c);
      verify::MatchQuery q;
      q.full_name = PersonName::Parse(r.full_name).value();
      q.date_of_birth = PartialDate::ParseLenient(r.date_of_birth, today).value();
      q.sex = r.sex == "female" ? Sex::kFemale : Sex::kMale;
      q.commune_code = r.commune_code;
      q.address = r.address;
      queries.push_back(std::move(q));
    }
    candidates.resize(queries.size());
    for (size_t i = 0; i < queries.size(); ++i) {
      verify::PreparedMatchQuery p(queries[i]);
      verify::CollectCandidates(blocking, p, candidates[i]);
    }
  }
  void Report(benchmark::State& state) const {
    double citizens = static_cast<double>(index.size());
    state.counters["citizens"] = citizens;
    state.counters["index_B_per_citizen"] = static_cast<double>(index.MemoryBytes()) / citizens;
    state.counters["blocking_B_per_citizen"] =
        static_cast<double>(blocking.MemoryBytes()) / citizens;
    state.counters["blocking_build_s"] = build_seconds;
  }
};

RegisterFixture& Register() {
  static RegisterFixture f;
  return f;
}

void BM_RegisterScore(benchmark::State& state) {
  RegisterFixture& f = Register();
  std::vector<verify::PreparedMatchQuery> prepared;
  prepared.reserve(f.queries.size());
  size_t total = 0;
  for (size_t i = 0; i < f.queries.size(); ++i) {
    prepared.emplace_back(f.queries[i]);
    total += f.candidates[i].size();
  }
  std::vector<double> weights;
  double sum = 0;
  for (auto _ : state) {
    for (size_t i = 0; i < prepared.size(); ++i) {
      verify::ScoreCandidates(f.index, prepared[i], f.candidates[i], weights);
      if (!weights.empty()) sum += weights[0];
    }
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * total));
  state.counters["candidates_per_query"] = static_cast<double>(total) / f.queries.size();
  f.Report(state);
}
BENCHMARK(BM_RegisterScore)->Unit(benchmark::kMillisecond);

void BM_RegisterMatch(benchmark::State& state) {
  RegisterFixture& f = Register();
  size_t i = 0;
  verify::MatchStats stats;
  for (auto _ : state) {
    auto c = verify::MatchRegister(f.index, f.blocking, f.queries[i], {}, &stats);
    benchmark::DoNotOptimize(c);
    if (++i == f.queries.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["candidates"] =
      static_cast<double>(stats.candidates) / static_cast<double>(state.iterations());
  state.counters["comparisons_per_s"] =
      benchmark::Counter(static_cast<double>(stats.candidates), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RegisterMatch);

}  // namespace

BENCHMARK_MAIN();
