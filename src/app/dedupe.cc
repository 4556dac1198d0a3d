// dancu dedupe FILE.csv --fields col:type,...: pairs of records in one CSV
// file that are the same person (linkage/linker.h), written as
// left_id,right_id,score. dancu link (link.cc) does the same across two
// files; both share RunLinkage below.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "app/commands.h"
#include "linkage/linker.h"
#include "linkage/pairs_csv.h"

namespace dancu::app {

namespace {

// Prints the rows a file's reader rejected; true if there were any.
bool ReportRejected(const std::string& file, const linkage::RecordTable& t) {
  constexpr size_t kShown = 1000;
  const auto& rejected = t.rejected();
  for (size_t i = 0; i < rejected.size() && i < kShown; ++i) {
    std::fprintf(stderr, "%s: line %lld: %s (%s)\n", file.c_str(),
                 static_cast<long long>(rejected[i].line), rejected[i].error.message.c_str(),
                 rejected[i].error.code.c_str());
  }
  if (rejected.size() > kShown)
    std::fprintf(stderr, "... and %zu more\n", rejected.size() - kShown);
  return !rejected.empty();
}

}  // namespace

int RunLinkage(const LinkageOptions& o) {
  const bool dedupe = o.files.size() == 1;
  const char* name = dedupe ? "dedupe" : "link";
  auto fields = linkage::ParseFieldSpecs(o.fields);
  if (!fields) {
    std::fprintf(stderr, "dancu %s: --fields: %s (%s)\n", name, fields.error().message.c_str(),
                 fields.error().code.c_str());
    return 2;
  }
  auto start = std::chrono::steady_clock::now();
  std::vector<linkage::RecordTable> tables;
  bool rejected = false;
  for (const std::string& file : o.files) {
    auto t = linkage::RecordTable::ReadCsvFile(file, *fields, o.id_column);
    if (!t) {
      std::fprintf(stderr, "dancu %s: %s: %s (%s)\n", name, file.c_str(), t.error().message.c_str(),
                   t.error().code.c_str());
      // A column the file does not have is a usage error, like a bad flag.
      return t.error().code == "linkage.unknown_column" ? 2 : 1;
    }
    rejected |= ReportRejected(file, *t);
    tables.push_back(std::move(*t));
  }

  linkage::LinkOptions options;
  if (o.threshold) options.threshold = *o.threshold;
  options.review = o.review;
  linkage::Linker linker(*fields, options);
  linkage::LinkStats stats;
  std::vector<linkage::ScoredPair> pairs =
      dedupe ? linker.Dedupe(tables[0], &stats) : linker.Link(tables[0], tables[1], &stats);

  const linkage::RecordTable& right = dedupe ? tables[0] : tables[1];
  if (o.out.empty()) {
    linkage::WritePairsCsv(std::cout, tables[0], right, pairs);
    std::cout.flush();
  } else {
    std::string tmp = o.out + ".tmp";
    {
      std::ofstream out(tmp, std::ios::trunc | std::ios::binary);
      if (!out) {
        std::fprintf(stderr, "dancu %s: cannot write %s\n", name, tmp.c_str());
        return 1;
      }
      linkage::WritePairsCsv(out, tables[0], right, pairs);
      out.close();
      if (!out) {
        std::fprintf(stderr, "dancu %s: write error on %s\n", name, tmp.c_str());
        return 1;
      }
    }
    if (std::rename(tmp.c_str(), o.out.c_str()) != 0) {
      std::fprintf(stderr, "dancu %s: cannot rename %s to %s\n", name, tmp.c_str(), o.out.c_str());
      return 1;
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  size_t records = tables[0].size() + (dedupe ? 0 : tables[1].size());
  std::fprintf(stderr,
               "%s: %zu records, %llu candidate pairs compared, %llu matches (>= %.1f)%s, "
               "%.2f s\n",
               name, records, static_cast<unsigned long long>(stats.candidates),
               static_cast<unsigned long long>(stats.matches), options.threshold,
               o.review ? (", " + std::to_string(stats.reviews) + " for review").c_str() : "",
               secs);
  return rejected ? 1 : 0;
}

int Dedupe(const LinkageOptions& o) { return RunLinkage(o); }

}  // namespace dancu::app
