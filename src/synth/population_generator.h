// PopulationGenerator: a deterministic synthetic population that "looks real",
// for `dancu generate`, benchmarks and tests. Never use it for real people.
//
// What it emits (household by household, the head first; household ids are
// sequential from 1):
//   - households of 1-7 people: singles, couples with children, single
//     parents, three generations with the head's parent(s) (relationship
//     "parent"; the head's father_id/mother_id point at them) and three
//     generations with a married child, the child-in-law and grandchildren;
//   - every father_id/mother_id/spouse_id points at a member of the same
//     household; spouses are mutual, of opposite sex and of legal marriage age
//     (men >= 20, women >= 18); a mother is 18-45 at each child's birth;
//     children take the father's surname (the mother's when no father is in
//     the household);
//   - names drawn by sex from data/names frequencies (Nguyễn reweighted to its
//     national share of ~38%); a roughly 2019-census-shaped age pyramid;
//     ethnicity, religion and addresses weighted by province; all members
//     share the head's permanent residence (a current commune, population
//     weighted, wards favoured) and street line;
//   - CitizenIds consistent with the birth commune's province, sex and birth
//     year, unique by construction (a per-prefix counter mapped through a
//     bijection of [0, 10^6)); unique 9-digit old CMND numbers for ~90% of
//     people born before 2005; partial dates of birth for some people born
//     before 1950; ~0.5% deceased elderly parents (never a head).
//
// Determinism: the output is a pure function of (count, seed, today): the same
// options give byte-identical citizens, on every call of Generate.
//
// Errors (Error.code):
//   synth.bad_options          count < 0 or an invalid `today`
//   synth.id_space_exhausted   more than 10^6 people for one (PPP, G, YY)
//                              prefix, or more than 10^9 old CMND numbers
//   anything the sink returns (generation stops at the first sink error)
//   synth.internal             an exception on GenerateInto's worker thread
//
// Thread safety: a PopulationGenerator is used by one thread at a time; the
// reference tables it shares between instances are built once, thread-safely.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "core/error.h"
#include "registry/citizen.h"

namespace dancu::registry {
class BulkLoader;
}

namespace dancu::synth {

struct GeneratorOptions {
  int64_t count = 0;  // exactly this many citizens are emitted
  uint64_t seed = 1;
  std::chrono::year_month_day today;  // dates of birth/death are relative to it, never after it
};

class PopulationGenerator {
 public:
  explicit PopulationGenerator(const GeneratorOptions& options);
  ~PopulationGenerator();
  PopulationGenerator(const PopulationGenerator&) = delete;
  PopulationGenerator& operator=(const PopulationGenerator&) = delete;

  // Emits exactly options.count citizens, household by household (head
  // first), to `sink`; stops and returns the first error the sink returns.
  // The Citizen passed to the sink is reused after the sink returns: copy it
  // to keep it.
  Status Generate(const std::function<Status(const registry::Citizen&)>& sink);

 private:
  GeneratorOptions options_;
};

// Runs the generator on a worker thread that feeds loader.Add on the calling
// thread (BulkLoader::AddFrom), so generation and insertion use both cores.
// `progress(done)` (may be empty) is called on the calling thread every
// 65,536 rows and once at the end. The first error of loader.Add stops the
// worker; the worker is joined on every path. Does not call loader.Finish.
Status GenerateInto(registry::BulkLoader& loader, const GeneratorOptions& options,
                    const std::function<void(int64_t)>& progress);

}  // namespace dancu::synth
