// The output of `dancu dedupe` and `dancu link`: a CSV with the header
// `left_id,right_id,score` and one row per pair, the score (the
// Fellegi-Sunter weight) with two decimals.
//
// Thread safety: pure function of its arguments.
#pragma once

#include <ostream>
#include <vector>

#include "linkage/linker.h"
#include "linkage/record_table.h"

namespace dancu::linkage {

void WritePairsCsv(std::ostream& out, const RecordTable& left, const RecordTable& right,
                   const std::vector<ScoredPair>& pairs);

}  // namespace dancu::linkage
