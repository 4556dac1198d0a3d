// The report and summary of a bulk reconciliation (issue 3, "Each row of the
// report holds ..."): one CSV row per input record and a JSON summary.
//
// Report columns (kReportHeader), one row per input record in input order:
//   line            the record's first physical line in the input
//   status          MATCH, MISMATCH, NOT_FOUND (no citizen has the id or
//                   old_id), NO_ID (neither given: only linkage applies) or
//                   ERROR (the record could not be read or a value is invalid)
//   flags           '|'-separated: DECEASED, DUPLICATE_ID (the id was used on
//                   an earlier line for another person), DUPLICATE_PERSON (the
//                   same person appeared on an earlier line under another id),
//                   NEEDS_REVIEW (the suggested id is in the review band)
//   id, old_id, full_name, date_of_birth, sex, permanent_address
//                   match / partial / mismatch, empty when the row did not
//                   give the field or was not verified
//   full_name_level exact / same_after_folding / token_reordered / typo / different
//   full_name_score 0-100
//   suggested_id    the citizen that record linkage (Verifier::Match) finds
//                   when the id is missing, unknown or names someone else
//                   (a different name; without a name, a different date of
//                   birth); the best candidate above the review threshold,
//                   never the given id
//   suggested_score 0-100
//   reason          why, in words; for ERROR the error code and message
// The report never holds register values: only outcomes, the suggested id and
// (in ERROR reasons) the agency's own cell values.
//
// Thread safety: value types and pure functions; ReconcileSummary::Add is not
// synchronised.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/error.h"
#include "verify/reconcile_duplicates.h"
#include "verify/verifier.h"

namespace dancu::verify {

enum class RowStatus { kMatch, kMismatch, kNotFound, kNoId, kError };
inline constexpr size_t kRowStatusCount = 5;
std::string_view ToString(RowStatus s);  // "MATCH", ..., "NO_ID", "ERROR"

inline constexpr std::string_view kReportHeader =
    "line,status,flags,id,old_id,full_name,date_of_birth,sex,permanent_address,"
    "full_name_level,full_name_score,suggested_id,suggested_score,reason\n";

// What the engine learned about one record.
struct RowOutcome {
  int64_t line = 0;
  RowStatus status = RowStatus::kError;
  bool deceased = false;
  bool id_given = false;      // the row gave an id
  bool old_id_given = false;  // the row gave an old_id
  // Per verify::Field, -1 when not given, else a FieldResult.
  std::array<int8_t, kFieldCount> fields{-1, -1, -1, -1, -1, -1};
  std::optional<NameLevel> name_level;
  int name_score = -1;
  bool linked = false;  // record linkage was asked
  std::optional<MatchCandidate> suggestion;
  std::optional<Error> error;  // status kError
  RowKeys keys;
};

// Counts by status and by field (issue 3: "counts per status and per field").
struct FieldCounts {
  int64_t given = 0, match = 0, partial = 0, mismatch = 0;
};

struct ReconcileSummary {
  int64_t rows = 0;
  std::array<int64_t, kRowStatusCount> by_status{};
  std::array<FieldCounts, kFieldCount> fields{};
  std::map<std::string, int64_t> errors;  // by Error.code
  int64_t duplicate_ids = 0;              // rows flagged DUPLICATE_ID
  int64_t duplicate_persons = 0;          // rows flagged DUPLICATE_PERSON
  int64_t repeated_rows = 0;              // same id, same person as an earlier row
  int64_t deceased = 0;
  int64_t rows_with_id = 0;
  int64_t linkage_rows = 0;  // rows that record linkage was asked about
  int64_t suggested = 0;     // rows with a suggested_id
  int64_t needs_review = 0;
  double seconds = 0;          // wall time of the whole run
  double linkage_seconds = 0;  // time spent in Verifier::Match, summed over workers
  size_t duplicate_memory_bytes = 0;

  void Add(const RowOutcome& row, const DuplicateFinding& dup);
};

// Appends one report row (with its line break) to `out`.
void AppendReportRow(std::string& out, const RowOutcome& row, const DuplicateFinding& dup);

// The summary as a JSON object text (docs/api.md "Reconciliation summary").
std::string SummaryJson(const ReconcileSummary& s);
// A few human lines for the CLI.
std::string SummaryText(const ReconcileSummary& s);

}  // namespace dancu::verify
