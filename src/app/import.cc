// dancu import: a CSV file (registry/citizen_csv.h) into the register, whole
// or not at all. Every row is validated; each rejected row is reported with
// its line number and reason, and if any row is rejected nothing is imported.
#include <algorithm>
#include <chrono>
#include <cstdio>
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
  // id -> line, to report cross-row problems found at the end by line.
  std::vector<std::pair<int64_t, int64_t>> lines;
  Progress progress("import", 0);
  int64_t rows = 0;
  while (reader.Next(record, error)) {
    ++rows;
    progress.Update(rows);
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
    if (auto s = (*loader)->Add(*citizen); !s) {
      if (s.error().code.starts_with("storage.") && s.error().code != "storage.constraint") {
        std::fprintf(stderr, "dancu: import failed at line %lld: %s\n",
                     static_cast<long long>(record.line), s.error().message.c_str());
        return 1;
      }
      rejected.push_back({record.line, s.error()});
      continue;
    }
    lines.emplace_back(citizen->id.number(), record.line);
  }
  progress.Finish(rows);
  if (in.bad()) {
    std::fprintf(stderr, "dancu: read error on %s\n", o.file.c_str());
    return 1;
  }

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
      std::sort(lines.begin(), lines.end());
      for (const auto& p : problems) {
        auto it = std::lower_bound(lines.begin(), lines.end(), std::pair{p.id.number(), int64_t{0}});
        if (it == lines.end() || it->first != p.id.number()) {
          rejected.push_back({0, p.error});
          continue;
        }
        if (p.error.code == "conflict.citizen_exists") {
          // A repeated id: the first occurrence stands, each later line is
          // the rejected one.
          for (auto dup = it + 1; dup != lines.end() && dup->first == p.id.number(); ++dup) {
            rejected.push_back({dup->second, p.error});
          }
        } else {
          rejected.push_back({it->second, p.error});
        }
      }
    }
  }
  loader->reset();  // rolls back unless finished

  if (!rejected.empty()) {
    std::sort(rejected.begin(), rejected.end(),
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
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("imported %lld citizens in %.1f s (%.0f citizens/s), feed seq %lld\n",
              static_cast<long long>(rows), secs, rows / secs, static_cast<long long>(done->seq));
  return 0;
}

}  // namespace dancu::app
