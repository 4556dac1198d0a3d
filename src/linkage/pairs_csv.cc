#include "linkage/pairs_csv.h"

#include <cstdio>

#include "core/csv.h"

namespace dancu::linkage {

void WritePairsCsv(std::ostream& out, const RecordTable& left, const RecordTable& right,
                   const std::vector<ScoredPair>& pairs) {
  std::string row = "left_id,right_id,score\n";
  char score[32];
  for (const ScoredPair& p : pairs) {
    AppendCsvField(row, left.id(p.left));
    row += ',';
    AppendCsvField(row, right.id(p.right));
    std::snprintf(score, sizeof score, ",%.2f\n", p.score);
    row += score;
    if (row.size() > (1 << 16)) {
      out << row;
      row.clear();
    }
  }
  out << row;
}

}  // namespace dancu::linkage
