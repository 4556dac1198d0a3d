// dancu import: a CSV file (registry/citizen_csv.h) into the register, whole
// or not at all. Every row is validated; each rejected row is reported with
// its line number and reason, and if any row is rejected nothing is imported.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "app/commands.h"
#include "app/progress.h"
#include "app/register_files.h"
#include "core/csv.h"
#include "registry/bulk_loader.h"
#include "registry/citizen_csv.h"

namespace dancu::app {
namespace {

struct Rejection {
  int64_t line;
  Error error;
};

// Line numbers of the rows handed to the loader, by their index. Rows are
// mostly one line each, so only the places where `line - index` changes
// (blank lines, multi-line records, rejected rows) are kept.
class LineMap {
 public:
  void Note(int64_t index, int64_t line) {
    if (marks_.empty() || line - index != marks_.back().second - marks_.back().first) {
      marks_.emplace_back(index, line);
    }
  }
  int64_t Line(int64_t index) const {
    auto it = std::upper_bound(marks_.begin(), marks_.end(), std::pair{index, INT64_MAX});
    if (it == marks_.begin()) return 0;
    --it;
    return it->second + (index - it->first);
  }

 private:
  std::vector<std::pair<int64_t, int64_t>> marks_;  // (index, line)
};

std::string Describe(const Rejection& r) {
  std::string s = "line " + std::to_string(r.line) + ": ";
  if (!r.error.field.empty()) s += r.error.field + ": ";
  s += r.error.message + " (" + r.error.code + ")";
  return s;
}

}  // namespace

int Import(const ImportOptions& o) {
  std::ifstream in(o.file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "dancu: cannot read %s\n", o.file.c_str());
    return 1;
  }
  auto reg = OpenRegisterIn(o.data_dir, /*create=*/true);
  if (!reg) return 1;
  auto start = std::chrono::steady_clock::now();
  auto today = reg->clock.Today();

  CsvReader reader(in);
  CsvRecord record;
  std::optional<Error> error;
  std::vector<Rejection> rejected;
  if (!reader.Next(record, error) || error) {
    std::fprintf(stderr, "dancu: %s: line 1: %s\n", o.file.c_str(),
                 error ? error->message.c_str() : "the file is empty (no header)");
    return 1;
  }
  auto layout = registry::CitizenCsvLayout::FromHeader(record.fields);
  if (!layout) {
    std::fprintf(stderr, "dancu: %s: line 1: %s\n", o.file.c_str(), layout.error().message.c_str());
    return 1;
  }
  auto loader = reg->registry->BeginBulkLoad(registry::WriteContext{"cli:import", o.file, {}, {}});
  if (!loader) {
    std::fprintf(stderr, "dancu: %s\n", loader.error().message.c_str());
    return 1;
  }
  // The worker reads and parses; this thread inserts. `rejected` and `lines`
  // belong to the worker until AddFrom returns.
  LineMap lines;
  int64_t rows = 0;
  auto produce = [&](registry::BulkFeed& feed) -> Status {
    while (reader.Next(record, error)) {
      ++rows;
      if (error) {
        rejected.push_back({record.line, *error});
        error.reset();
        continue;
      }
      auto citizen = layout->Parse(record.fields, today);
      if (!citizen) {
        rejected.push_back({record.line, citizen.error()});
        continue;
      }
      lines.Note(feed.pushed(), record.line);
      if (!feed.Push(std::move(*citizen))) break;
    }
    return {};
  };
  Progress progress("import", 0);
  std::vector<std::pair<int64_t, Error>> refused;  // by the loader: (index, error)
  registry::BulkFeedOptions options;
  options.progress = [&](int64_t done) { progress.Update(done); };
  options.reject = [&](int64_t index, const Error& e) { refused.emplace_back(index, e); };
  // Rows of an export average 136 bytes; a generous guess costs only address
  // space (BulkLoader::ExpectRows).
  std::error_code size_error;
  auto bytes = std::filesystem::file_size(o.file, size_error);
  if (!size_error) (*loader)->ExpectRows(static_cast<int64_t>(bytes / 64));
  auto added = (*loader)->AddFrom(produce, options);
  progress.Finish(rows);
  if (!added) {
    std::fprintf(stderr, "dancu: import failed: %s\n", added.error().message.c_str());
    return 1;
  }
  if (in.bad()) {
    std::fprintf(stderr, "dancu: read error on %s\n", o.file.c_str());
    return 1;
  }
  for (auto& [index, e] : refused) rejected.push_back({lines.Line(index), std::move(e)});
  auto loaded = std::chrono::steady_clock::now();

  std::optional<registry::EventResult> done;
  if (rejected.empty()) {
    std::vector<registry::BulkProblem> problems;
    auto r = (*loader)->Finish(problems, o.file);
    if (r) {
      done = *r;
    } else if (problems.empty()) {
      std::fprintf(stderr, "dancu: import failed: %s\n", r.error().message.c_str());
      return 1;
    } else {
      for (auto& p : problems) {
        rejected.push_back({p.row >= 0 ? lines.Line(p.row) : 0, std::move(p.error)});
      }
    }
  }
  loader->reset();  // rolls back unless finished

  if (!rejected.empty()) {
    std::stable_sort(rejected.begin(), rejected.end(),
              [](const Rejection& a, const Rejection& b) { return a.line < b.line; });
    constexpr size_t kShown = 1000;
    for (size_t i = 0; i < rejected.size() && i < kShown; ++i) {
      std::fprintf(stderr, "%s: %s\n", o.file.c_str(), Describe(rejected[i]).c_str());
    }
    if (rejected.size() > kShown) {
      std::fprintf(stderr, "... and %zu more\n", rejected.size() - kShown);
    }
    if (!o.report.empty()) {
      std::ofstream report(o.report, std::ios::trunc);
      report << "line,field,code,message\n";
      for (const Rejection& r : rejected) {
        std::string row = std::to_string(r.line) + ",";
        AppendCsvField(row, r.error.field);
        row += ',';
        AppendCsvField(row, r.error.code);
        row += ',';
        AppendCsvField(row, r.error.message);
        report << row << '\n';
      }
    }
    std::fprintf(stderr, "dancu: %zu of %lld rows rejected; nothing was imported\n",
                 rejected.size(), static_cast<long long>(rows));
    return 1;
  }
  auto end = std::chrono::steady_clock::now();
  double secs = std::chrono::duration<double>(end - start).count();
  double load_secs = std::chrono::duration<double>(loaded - start).count();
  std::printf("imported %lld citizens in %.1f s (%.0f citizens/s; rows %.1f s, checks and "
              "indexes %.1f s), feed seq %lld\n",
              static_cast<long long>(rows), secs, rows / secs, load_secs, secs - load_secs,
              static_cast<long long>(done->seq));
  return 0;
}

}  // namespace dancu::app
