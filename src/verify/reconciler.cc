#include "verify/reconciler.h"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/csv.h"
#include "verify/reconcile_input.h"

namespace dancu::verify {
namespace {

using Clock_ = std::chrono::steady_clock;

constexpr size_t kWriteBuffer = 4 << 20;
constexpr uint64_t kOldIdKeyBit = 1ULL << 41;  // above every 12-digit id

// One batch of records on its way through the pipeline. The cells of all
// its rows are copied back to back into one text buffer (read sequentially
// by the worker, and no per-cell string to move between threads); buffers
// keep their capacity across reuse, so steady state allocates nothing.
struct Batch {
  size_t size = 0;
  std::string text;               // every cell's bytes, row after row
  std::vector<size_t> cell_ends;  // size * kInputFieldCount ends in `text`
  std::string_view Cell(size_t row, size_t field) const {
    const size_t k = row * kInputFieldCount + field;
    const size_t begin = k == 0 ? 0 : cell_ends[k - 1];
    return std::string_view(text).substr(begin, cell_ends[k] - begin);
  }
  std::vector<RowOutcome> rows;  // line and read errors from the reader
  int64_t bytes = 0;             // input bytes consumed after the batch
  double linkage_seconds = 0;
  bool done = false;  // guarded by Pipeline::mu
};

struct Pipeline {
  std::mutex mu;
  std::condition_variable work_cv, done_cv, free_cv;
  std::vector<std::unique_ptr<Batch>> owned;
  std::vector<Batch*> free;
  std::deque<Batch*> work;   // read, not yet processed
  std::deque<Batch*> order;  // read, not yet written, in input order
  bool reader_done = false;
  bool stop = false;  // the writer gave up: everyone returns
  std::optional<Error> read_error;
};

bool Cancelled(const ReconcileOptions& o) {
  return o.cancel != nullptr && o.cancel->load(std::memory_order_relaxed);
}

// Verifies one parsed record and asks linkage when the id is missing,
// unknown, or seems to name someone else.
void Process(const Verifier& verifier, const ReconcileOptions& options, const VerifyQuery& q,
             RowOutcome& row, double& linkage_seconds) {
  row.id_given = q.id.has_value();
  row.old_id_given = q.old_id.has_value();
  bool link = false;
  bool name_ok = false, dob_ok = false;
  if (q.id || q.old_id) {
    VerifyResult r = verifier.Verify(q);
    row.deceased = r.deceased;
    for (const FieldOutcome& f : r.fields) {
      row.fields[static_cast<size_t>(f.field)] = static_cast<int8_t>(f.result);
      if (f.field == Field::kFullName) {
        row.name_level = f.level;
        row.name_score = f.score;
        name_ok = f.result != FieldResult::kMismatch;
      } else if (f.field == Field::kDateOfBirth) {
        dob_ok = f.result == FieldResult::kMatch;
      }
    }
    switch (r.status) {
      case Outcome::kMatch:
        row.status = RowStatus::kMatch;
        break;
      case Outcome::kMismatch:
        row.status = RowStatus::kMismatch;
        // A different name (or, without a name, a different birth date): the
        // id probably names someone else. A right name with a wrong date is
        // more likely a wrong date than a wrong id, so it is not linked.
        link = q.full_name
                   ? !name_ok
                   : q.date_of_birth && row.fields[static_cast<size_t>(Field::kDateOfBirth)] ==
                                            static_cast<int8_t>(FieldResult::kMismatch);
        break;
      case Outcome::kNotFound:
        row.status = RowStatus::kNotFound;
        link = true;
        break;
    }
  } else {
    row.status = RowStatus::kNoId;
    link = true;
  }
  if (link && options.linkage && (q.full_name || q.date_of_birth)) {
    row.linked = true;
    MatchQuery m{q.full_name, q.date_of_birth, q.sex, q.commune_code, q.address};
    auto t0 = Clock_::now();
    std::vector<MatchCandidate> candidates = verifier.Match(m, options.match);
    linkage_seconds += std::chrono::duration<double>(Clock_::now() - t0).count();
    for (const MatchCandidate& c : candidates) {
      if (q.id && c.id == *q.id) continue;  // never suggest the id given
      row.suggestion = c;
      break;
    }
  }

  // Duplicate keys.
  RowKeys& k = row.keys;
  if (q.id) {
    k.id_key = static_cast<uint64_t>(q.id->number());
  } else if (q.old_id) {
    k.id_key = kOldIdKeyBit | static_cast<uint64_t>(std::stoll(*q.old_id));
  }
  const int32_t dob = q.date_of_birth ? q.date_of_birth->Packed() : 0;
  uint64_t name_hash = 0;
  if (q.full_name) {
    const std::string& folded = q.full_name->folded();
    name_hash = HashBytes(folded.data(), folded.size(), 1);
  }
  if (q.full_name || q.date_of_birth) {
    k.person_check = static_cast<uint32_t>(HashBytes(&dob, sizeof dob, name_hash)) | 1u;
  }
  if (q.full_name && q.date_of_birth && q.date_of_birth->IsFull() && k.id_key != 0) {
    const int32_t sex = q.sex ? static_cast<int32_t>(*q.sex) + 1 : 0;
    const int32_t parts[2] = {dob, sex};
    k.person_key = HashBytes(parts, sizeof parts, name_hash ^ 0x5bd1e995) | 1u;
    k.confirmed = (row.status == RowStatus::kMatch || row.status == RowStatus::kMismatch) &&
                  name_ok && dob_ok;
  }
}

void Worker(Pipeline& p, const Verifier& verifier, const ReconcileOptions& options,
            std::chrono::year_month_day today) {
  VerifyQuery query;  // reused row after row: its strings keep their capacity
  for (;;) {
    Batch* b;
    {
      std::unique_lock lock(p.mu);
      p.work_cv.wait(lock, [&] { return p.stop || !p.work.empty() || p.reader_done; });
      if (p.stop || p.work.empty()) return;
      b = p.work.front();
      p.work.pop_front();
    }
    b->linkage_seconds = 0;
    std::array<std::string_view, kInputFieldCount> cells;
    for (size_t i = 0; i < b->size; ++i) {
      RowOutcome& row = b->rows[i];
      if (row.error) continue;  // the reader already judged it
      for (size_t f = 0; f < kInputFieldCount; ++f) cells[f] = b->Cell(i, f);
      if (auto s = ParseRow(cells, today, query); !s) {
        row.status = RowStatus::kError;
        row.error = std::move(s.error());
        continue;
      }
      Process(verifier, options, query, row, b->linkage_seconds);
    }
    {
      std::lock_guard lock(p.mu);
      b->done = true;
    }
    p.done_cv.notify_all();
  }
}

void Reader(Pipeline& p, CsvReader& reader, std::istream& in, const ColumnMap& map,
            const ReconcileOptions& options) {
  CsvRecord record;
  std::optional<Error> error;
  bool more = true;
  while (more) {
    if (Cancelled(options)) break;
    Batch* b;
    {
      std::unique_lock lock(p.mu);
      p.free_cv.wait(lock, [&] { return p.stop || !p.free.empty(); });
      if (p.stop) return;
      b = p.free.back();
      p.free.pop_back();
    }
    b->size = 0;
    b->done = false;
    b->text.clear();
    b->cell_ends.clear();
    while (b->size < options.batch_rows) {
      if (!reader.Next(record, error)) {
        more = false;
        break;
      }
      const size_t i = b->size++;
      if (b->rows.size() < b->size) b->rows.resize(b->size);
      RowOutcome& row = b->rows[i];
      row = RowOutcome{};
      row.line = record.line;
      if (error) {
        row.error = std::move(*error);
        error.reset();
      } else if (record.fields.size() != map.header_width) {
        row.error = Error{"csv.ragged",
                          "line " + std::to_string(record.line) + ": expected " +
                              std::to_string(map.header_width) + " fields, found " +
                              std::to_string(record.fields.size()),
                          {}};
      }
      // Every row has its kInputFieldCount cells (empty for a bad row, which
      // the worker skips), so cells are found by position.
      for (size_t f = 0; f < kInputFieldCount; ++f) {
        const int column = map.column[f];
        if (column >= 0 && !row.error) b->text.append(record.fields[static_cast<size_t>(column)]);
        b->cell_ends.push_back(b->text.size());
      }
    }
    for (size_t i = 0; i < b->size; ++i) {
      if (b->rows[i].error) b->rows[i].status = RowStatus::kError;
    }
    b->bytes = reader.offset();
    {
      std::lock_guard lock(p.mu);
      if (in.bad()) p.read_error = Error{"io.read", "reading the input failed", {}};
      p.work.push_back(b);
      p.order.push_back(b);
    }
    p.work_cv.notify_one();
    p.done_cv.notify_all();
  }
  {
    std::lock_guard lock(p.mu);
    p.reader_done = true;
  }
  p.work_cv.notify_all();
  p.done_cv.notify_all();
}

// Writes `out` when it has grown large (or when `flush`); false on error.
bool Drain(std::FILE* f, std::string& out, bool flush) {
  if (out.size() < kWriteBuffer && !flush) return true;
  bool ok = out.empty() || std::fwrite(out.data(), 1, out.size(), f) == out.size();
  out.clear();
  return ok;
}

// The input opened at its first record, its columns known.
struct OpenedInput {
  std::ifstream in;
  std::unique_ptr<CsvReader> reader;
  ColumnMap map;
};

Status OpenInput(const std::filesystem::path& input, std::string_view map_spec,
                 size_t max_record_bytes, OpenedInput& o) {
  o.in.open(input, std::ios::binary);
  if (!o.in) return Fail("io.read", "cannot read " + input.string());
  // The separator, from the header line (a BOM is no separator either way).
  std::string head(64 * 1024, '\0');
  o.in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(o.in.gcount()));
  const char separator = SniffSeparator(head);
  o.in.clear();
  o.in.seekg(0);

  CsvOptions csv_options;
  csv_options.separator = separator;
  csv_options.max_record_bytes = max_record_bytes;
  o.reader = std::make_unique<CsvReader>(o.in, csv_options);
  CsvRecord header;
  std::optional<Error> error;
  if (!o.reader->Next(header, error)) {
    return Fail("reconcile.empty", "the input has no header line");
  }
  if (error) return Fail("reconcile.bad_header", "the header line: " + error->message);
  auto map = ColumnMap::FromHeader(header.fields, map_spec);
  if (!map) return std::unexpected(map.error());
  o.map = *map;
  return {};
}

}  // namespace

Status CheckReconcileInput(const std::filesystem::path& input, std::string_view map) {
  OpenedInput o;
  return OpenInput(input, map, ReconcileOptions{}.max_record_bytes, o);
}

Result<ReconcileSummary> Reconcile(const Verifier& verifier, const std::filesystem::path& input,
                                   const std::filesystem::path& report,
                                   const ReconcileOptions& options, const Clock& clock) {
  const auto start = Clock_::now();
  const auto today = clock.Today();
  OpenedInput opened;
  if (auto s = OpenInput(input, options.map, options.max_record_bytes, opened); !s) {
    return std::unexpected(s.error());
  }
  std::ifstream& in = opened.in;
  CsvReader& reader = *opened.reader;
  const int64_t header_bytes = reader.offset();
  const ColumnMap* map = &opened.map;
  std::error_code size_error;
  const auto total_bytes = std::filesystem::file_size(input, size_error);

  std::filesystem::path tmp = report;
  tmp += ".tmp";
  std::FILE* out_file = std::fopen(tmp.c_str(), "wb");
  if (out_file == nullptr) return Fail("io.write", "cannot write " + tmp.string());
  std::string out;
  out.reserve(kWriteBuffer + 64 * 1024);
  out.append(kReportHeader);

  const int workers = options.threads > 0
                          ? options.threads
                          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  Pipeline p;
  for (int i = 0; i < 2 * workers + 2; ++i) {
    p.owned.push_back(std::make_unique<Batch>());
    p.free.push_back(p.owned.back().get());
  }
  std::vector<std::thread> threads;
  threads.emplace_back(Reader, std::ref(p), std::ref(reader), std::ref(in), std::cref(*map),
                       std::cref(options));
  for (int i = 0; i < workers; ++i) {
    threads.emplace_back(Worker, std::ref(p), std::cref(verifier), std::cref(options), today);
  }

  ReconcileSummary summary;
  DuplicateTracker duplicates;
  bool write_ok = true;
  for (;;) {
    Batch* b;
    {
      std::unique_lock lock(p.mu);
      p.done_cv.wait(lock, [&] {
        return (!p.order.empty() && p.order.front()->done) || (p.order.empty() && p.reader_done);
      });
      if (p.order.empty()) break;
      b = p.order.front();
      p.order.pop_front();
    }
    if (summary.rows == 0 && b->bytes > header_bytes && b->size > 0 && !size_error) {
      // Size the duplicate tables from the first batch's bytes per row, so
      // they are not rehashed while growing through millions of rows.
      const double per_row = static_cast<double>(b->bytes - header_bytes) / b->size;
      duplicates.Reserve(static_cast<size_t>(1.05 * static_cast<double>(total_bytes) / per_row));
    }
    constexpr size_t kAhead = 16;
    for (size_t i = 0; i < b->size && i < kAhead; ++i) duplicates.Prefetch(b->rows[i].keys);
    for (size_t i = 0; i < b->size; ++i) {
      if (i + kAhead < b->size) duplicates.Prefetch(b->rows[i + kAhead].keys);
      const RowOutcome& row = b->rows[i];
      DuplicateFinding dup;
      if (row.status != RowStatus::kError) dup = duplicates.Add(row.keys, row.line);
      summary.Add(row, dup);
      AppendReportRow(out, row, dup);
    }
    summary.linkage_seconds += b->linkage_seconds;
    const int64_t bytes = b->bytes;
    {
      std::lock_guard lock(p.mu);
      p.free.push_back(b);
    }
    p.free_cv.notify_one();
    if (write_ok) write_ok = Drain(out_file, out, false);
    if (!write_ok || Cancelled(options)) {
      std::lock_guard lock(p.mu);
      p.stop = true;
      break;
    }
    if (options.progress) {
      options.progress(
          ReconcileProgress{summary.rows, bytes, size_error ? 0 : static_cast<int64_t>(total_bytes),
                            std::chrono::duration<double>(Clock_::now() - start).count()});
    }
  }
  p.work_cv.notify_all();
  p.free_cv.notify_all();
  for (std::thread& t : threads) t.join();

  if (write_ok) write_ok = Drain(out_file, out, true);
  if (std::fclose(out_file) != 0) write_ok = false;
  std::error_code ignored;
  if (!write_ok) {
    std::filesystem::remove(tmp, ignored);
    return Fail("io.write", "writing " + tmp.string() + " failed");
  }
  if (p.read_error) {
    std::filesystem::remove(tmp, ignored);
    return std::unexpected(*p.read_error);
  }
  if (Cancelled(options)) {
    std::filesystem::remove(tmp, ignored);
    return Fail("reconcile.cancelled", "the reconciliation was cancelled");
  }
  std::filesystem::rename(tmp, report, size_error);
  if (size_error) {
    std::filesystem::remove(tmp, ignored);
    return Fail("io.write", "renaming the report: " + size_error.message());
  }
  summary.duplicate_memory_bytes = duplicates.MemoryBytes();
  summary.seconds = std::chrono::duration<double>(Clock_::now() - start).count();
  return summary;
}

}  // namespace dancu::verify
