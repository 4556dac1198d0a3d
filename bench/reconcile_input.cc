// reconcile_input: writes the agency file for bench/reconcile.sh from a
// register, as issue 3's reconcile benchmark describes it: every citizen
// once, in the register's scan order; 89% exact copies, 10% with
// discrepancies and 1% without an id, both made by synth::RecordCorruptor
// (diacritics dropped, typos, day/month swapped, moved, given name first,
// wrong ids). Half the full dates are written dd/mm/yyyy, the way agency
// files have them.
//
//   reconcile_input DATA_DIR OUT.csv [SEED]
//
// Prints how many rows of each kind it wrote.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/clock.h"
#include "core/csv.h"
#include "core/random.h"
#include "registry/registry.h"
#include "storage/database.h"
#include "synth/record_corruptor.h"

namespace {

void AppendRow(std::string& out, const dancu::synth::CorruptedRecord& r, bool slashed_date) {
  out += r.id;
  out += ',';
  dancu::AppendCsvField(out, r.full_name);
  out += ',';
  const std::string& d = r.date_of_birth;
  if (slashed_date && d.size() == 10) {
    out.append(d, 8, 2);
    out += '/';
    out.append(d, 5, 2);
    out += '/';
    out.append(d, 0, 4);
  } else {
    out += d;
  }
  out += ',';
  out += r.sex;
  out += ',';
  out += r.commune_code;
  out += ',';
  dancu::AppendCsvField(out, r.address);
  out += '\n';
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: reconcile_input DATA_DIR OUT.csv [SEED]\n");
    return 2;
  }
  const std::string dir = argv[1];
  const uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1;
  auto db = dancu::storage::OpenSqlite(dir + "/register.db");
  if (!db) {
    std::fprintf(stderr, "reconcile_input: %s\n", db.error().message.c_str());
    return 1;
  }
  dancu::SystemClock clock;
  dancu::SeededRandom random(seed);
  auto reg = dancu::registry::Registry::Open(**db, clock, random);
  if (!reg) {
    std::fprintf(stderr, "reconcile_input: %s\n", reg.error().message.c_str());
    return 1;
  }
  std::FILE* out = std::fopen(argv[2], "wb");
  if (out == nullptr) {
    std::fprintf(stderr, "reconcile_input: cannot write %s\n", argv[2]);
    return 1;
  }

  dancu::synth::RecordCorruptor exact(dancu::synth::CorruptionRates{0, 0, 0, 0, 0, 0, 0}, seed);
  // Discrepancies: each row gets some of these (diacritics alone still match).
  dancu::synth::RecordCorruptor discrepant(dancu::synth::CorruptionRates{.diacritics_dropped = 0.3,
                                                                         .typo = 0.4,
                                                                         .day_month_swapped = 0.3,
                                                                         .id_missing = 0,
                                                                         .wrong_id = 0.05,
                                                                         .moved = 0.3,
                                                                         .given_name_first = 0.2},
                                           seed + 1);
  dancu::synth::RecordCorruptor no_id(dancu::synth::CorruptionRates{.diacritics_dropped = 0.3,
                                                                    .typo = 0.1,
                                                                    .day_month_swapped = 0,
                                                                    .id_missing = 1,
                                                                    .wrong_id = 0,
                                                                    .moved = 0.1,
                                                                    .given_name_first = 0.1},
                                      seed + 2);

  std::string buf = "id,full_name,date_of_birth,sex,commune_code,address\n";
  int64_t n = 0, n_exact = 0, n_discrepant = 0, n_no_id = 0;
  auto s = (*reg)->ScanCitizens([&](const dancu::registry::Citizen& c) -> dancu::Status {
    const uint64_t pick = random.Uniform(100);
    dancu::synth::CorruptedRecord r;
    if (pick == 0) {
      r = no_id.Corrupt(c);
      ++n_no_id;
    } else if (pick <= 10) {
      r = discrepant.Corrupt(c);
      ++n_discrepant;
    } else {
      r = exact.Corrupt(c);
      ++n_exact;
    }
    AppendRow(buf, r, (n++ & 1) == 0);
    if (buf.size() > (4 << 20)) {
      if (std::fwrite(buf.data(), 1, buf.size(), out) != buf.size()) {
        return dancu::Fail("io.write", "write failed");
      }
      buf.clear();
    }
    return {};
  });
  if (s && std::fwrite(buf.data(), 1, buf.size(), out) != buf.size()) {
    s = dancu::Fail("io.write", "write failed");
  }
  if (std::fclose(out) != 0 && s) s = dancu::Fail("io.write", "close failed");
  if (!s) {
    std::fprintf(stderr, "reconcile_input: %s\n", s.error().message.c_str());
    return 1;
  }
  std::printf("rows %lld: exact %lld, with discrepancies %lld, without id %lld\n",
              static_cast<long long>(n), static_cast<long long>(n_exact),
              static_cast<long long>(n_discrepant), static_cast<long long>(n_no_id));
  return 0;
}
