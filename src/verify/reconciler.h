// Reconcile: bulk reconciliation of an agency's CSV file against the
// register (issue 3, "Bulk reconciliation"), in process, through the
// Verifier (Verify for rows with an id or old_id, Match for record linkage).
//
// The input is read as CSV (core/csv.h) with the separator sniffed from the
// header line (',' or ';'), a UTF-8 BOM skipped, the columns chosen by
// ColumnMap (reconcile_input.h). Every record gets one report row
// (reconcile_report.h), in input order; a record that cannot be read
// (csv.bad_quote, csv.bad_utf8, csv.line_too_long beyond max_record_bytes,
// csv.ragged: another field count than the header's) or holds an invalid
// value (id.*, date.impossible, ...) gets an ERROR row with its line number
// and the run goes on. Duplicates inside the input are found in order by a
// DuplicateTracker (reconcile_duplicates.h). The register is only read.
//
// Pipeline: a reader thread parses records into batches, `threads` workers
// validate and verify them, and the calling thread puts the batches back in
// order, tracks duplicates, counts, and writes the report with large
// buffered writes to REPORT.tmp, renamed to REPORT at the end (a failed run
// leaves no report).
//
// Errors (nothing is written for the first four):
//   reconcile.empty          the input has no header line
//   reconcile.bad_header     the header line itself cannot be read
//   reconcile.bad_map, reconcile.unknown_column, reconcile.unknown_field,
//   reconcile.duplicate_field, reconcile.no_key   (ColumnMap)
//   io.read                  the input cannot be opened or read
//   io.write                 the report cannot be written
//   reconcile.cancelled      `cancel` was set (the partial report is removed)
//
// Thread safety: Reconcile may run concurrently with anything the Verifier
// allows (it only calls Verify and Match); the progress callback runs on the
// calling thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/error.h"
#include "verify/reconcile_report.h"
#include "verify/verifier.h"

namespace dancu::verify {

struct ReconcileProgress {
  int64_t rows = 0;         // records reported so far
  int64_t bytes = 0;        // input bytes read so far (approximate: read-ahead)
  int64_t total_bytes = 0;  // input size
  double seconds = 0;       // since the start
};

struct ReconcileOptions {
  std::string map;  // "input_col=field,..." (reconcile_input.h)
  MatchOptions match;
  bool linkage = true;  // false: never call Match (no suggested_id)
  int threads = 0;  // worker threads; 0 = one per core
  size_t max_record_bytes = 1 << 20;
  size_t batch_rows = 4096;
  // Called on the calling thread after each batch is written.
  std::function<void(const ReconcileProgress&)> progress;
  const std::atomic<bool>* cancel = nullptr;
};

// Reads only the header of `input` and checks the map against it: the same
// errors as Reconcile's first steps (reconcile.empty, reconcile.bad_header,
// the ColumnMap errors, io.read). For accepting a job before queueing it.
Status CheckReconcileInput(const std::filesystem::path& input, std::string_view map);

Result<ReconcileSummary> Reconcile(const Verifier& verifier, const std::filesystem::path& input,
                                   const std::filesystem::path& report,
                                   const ReconcileOptions& options, const Clock& clock);

}  // namespace dancu::verify
