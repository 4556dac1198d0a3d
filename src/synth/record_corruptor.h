// RecordCorruptor: turns register citizens into what an agency would hold
// about them (issue 3's "generated Vietnamese set"), for linkage quality
// tests and reconcile benchmarks. Never use it for real people.
//
// Each corruption is applied independently with its configured probability
// (CorruptionRates); the record says which were applied, and keeps the true
// id. The corruptions:
//   kDiacriticsDropped  "Nguyễn Văn Đức" -> "Nguyen Van Duc"
//   kTypo               one letter of one name token substituted, deleted,
//                       doubled or swapped with its neighbour
//   kDayMonthSwapped    11/2/1985 -> 2/11/1985 (only for full dates with
//                       day < month, so the result is an earlier date and
//                       never after today; otherwise not applied)
//   kIdMissing          id empty
//   kWrongId            the id's 6-digit serial replaced (a well-formed id
//                       that is not this person's; ignored if kIdMissing)
//   kMoved              another commune (uniform over current communes) and
//                       another street line
//   kGivenNameFirst     "Nguyễn Văn An" -> "An Nguyễn Văn"
//
// Output strings: id (12 digits or empty), full_name, date_of_birth
// ("YYYY-MM-DD", or "YYYY-MM" / "YYYY" for partial dates), sex ("male" /
// "female"), commune_code (5 digits), address (street line).
//
// Determinism: the output is a function of (rates, seed, the sequence of
// citizens given). Thread safety: one RecordCorruptor per thread.
#pragma once

#include <cstdint>
#include <string>

#include "core/random.h"
#include "registry/citizen.h"

namespace dancu::synth {

enum Corruption : uint32_t {
  kDiacriticsDropped = 1u << 0,
  kTypo = 1u << 1,
  kDayMonthSwapped = 1u << 2,
  kIdMissing = 1u << 3,
  kWrongId = 1u << 4,
  kMoved = 1u << 5,
  kGivenNameFirst = 1u << 6,
};

// "diacritics_dropped;typo" (in bit order); empty for none.
std::string CorruptionNames(uint32_t corruptions);

struct CorruptionRates {
  double diacritics_dropped = 0.3;
  double typo = 0.2;
  double day_month_swapped = 0.1;
  double id_missing = 0.1;
  double wrong_id = 0.05;
  double moved = 0.1;
  double given_name_first = 0.1;
};

struct CorruptedRecord {
  std::string true_id;  // the citizen's real id
  std::string id;
  std::string full_name;
  std::string date_of_birth;
  std::string sex;
  std::string commune_code;
  std::string address;
  uint32_t corruptions = 0;  // Corruption bits actually applied
};

class RecordCorruptor {
 public:
  explicit RecordCorruptor(CorruptionRates rates = {}, uint64_t seed = 1);
  CorruptedRecord Corrupt(const registry::Citizen& citizen);

 private:
  bool Draw(double p) { return p > 0 && random_.UniformReal() < p; }
  std::string Typo(const std::string& name);

  CorruptionRates rates_;
  SeededRandom random_;
};

}  // namespace dancu::synth
