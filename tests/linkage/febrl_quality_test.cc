// Linkage quality on the Febrl benchmark sets (data/febrl, read from the
// source tree): precision, recall and F1 of Dedupe against the true matches,
// with the field list a user would pass to `dancu dedupe`. Printed, and
// asserted at the level reached (issue 3 target: F1 >= 0.99).
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <string>

#include "core/csv.h"
#include "linkage/linker.h"

namespace dancu::linkage {
namespace {

const char kFebrlFields[] =
    "given_name:name,surname:name,street_number:exact,address_1:text,address_2:text,"
    "suburb:text,postcode:postcode,state:exact,date_of_birth:date,soc_sec_id:id";

std::string Path(const std::string& name) {
  return std::string(DANCU_SOURCE_DIR) + "/data/febrl/" + name;
}

struct Quality {
  double precision, recall, f1;
};

Quality Evaluate(int set, double threshold) {
  auto fields = ParseFieldSpecs(kFebrlFields).value();
  std::ifstream in(Path("febrl_dataset" + std::to_string(set) + ".csv"), std::ios::binary);
  EXPECT_TRUE(in) << "data/febrl missing";
  auto table = RecordTable::ReadCsv(in, fields, "rec_id");
  EXPECT_TRUE(table) << table.error().message;
  EXPECT_TRUE(table->rejected().empty());

  std::set<std::pair<std::string, std::string>> truth;
  std::ifstream t(Path("febrl" + std::to_string(set) + "_true_matches.csv"), std::ios::binary);
  CsvReader reader(t);
  CsvRecord r;
  std::optional<Error> e;
  reader.Next(r, e);  // header
  while (reader.Next(r, e)) {
    auto a = r.fields.at(0), b = r.fields.at(1);
    truth.insert({std::min(a, b), std::max(a, b)});
  }

  LinkOptions options;
  options.threshold = threshold;
  Linker linker(fields, options);
  LinkStats stats;
  auto pairs = linker.Dedupe(*table, &stats);
  size_t tp = 0;
  for (const ScoredPair& p : pairs) {
    std::string a(table->id(p.left)), b(table->id(p.right));
    if (truth.count({std::min(a, b), std::max(a, b)})) ++tp;
  }
  Quality q;
  q.precision = pairs.empty() ? 0 : double(tp) / pairs.size();
  q.recall = double(tp) / truth.size();
  q.f1 = q.precision + q.recall == 0 ? 0 : 2 * q.precision * q.recall / (q.precision + q.recall);
  std::printf(
      "febrl%d: %zu records, %llu candidates, %zu pairs >= %.1f: precision %.4f recall "
      "%.4f F1 %.4f\n",
      set, table->size(), static_cast<unsigned long long>(stats.candidates), pairs.size(),
      threshold, q.precision, q.recall, q.f1);
  return q;
}

TEST(FebrlQualityTest, Febrl1) { EXPECT_GE(Evaluate(1, LinkOptions{}.threshold).f1, 0.99); }
TEST(FebrlQualityTest, Febrl2) { EXPECT_GE(Evaluate(2, LinkOptions{}.threshold).f1, 0.99); }
TEST(FebrlQualityTest, Febrl3) { EXPECT_GE(Evaluate(3, LinkOptions{}.threshold).f1, 0.99); }

}  // namespace
}  // namespace dancu::linkage
