// dancu reconcile: bulk reconciliation of an agency's CSV file against the
// register (verify/reconciler.h). Builds the verification index from the
// register (read only; or loads its snapshot), reconciles, writes REPORT.csv and the summary JSON
// (default REPORT.csv.summary.json), and prints the summary.
//
// Exit codes: 0 done (rows with errors are in the report, not a failure),
// 1 the register, input or report cannot be used, 2 a usage error: a bad
// --map or a header that names no usable column (nothing is written).
#include <sys/resource.h>

#include <cstdio>
#include <fstream>

#include "app/commands.h"
#include "app/progress.h"
#include "app/register_files.h"
#include "verify/reconciler.h"
#include "verify/verifier.h"

namespace dancu::app {
namespace {

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int Reconcile(const ReconcileOptions& o) {
  if (o.input.empty() || o.out.empty()) {
    std::fprintf(stderr, "dancu: reconcile needs INPUT.csv and --out REPORT.csv\n");
    return 2;
  }
  auto reg = OpenRegisterIn(o.data_dir, /*create=*/false);
  if (!reg) return 1;
  // The index snapshot that `serve` keeps makes start-up a load instead of
  // a scan when it is current.
  auto [verifier, index_seconds, origin] = OpenVerifierIn(o.data_dir, *reg->registry);
  if (!verifier) return 1;
  std::fprintf(stderr, "verification index: %zu citizens in %.1f s (%s)\n", verifier->size(),
               index_seconds, std::string(origin).c_str());

  verify::ReconcileOptions options;
  options.map = o.map;
  options.threads = o.threads;
  options.linkage = !o.no_linkage;
  if (o.threshold) options.match.threshold = *o.threshold;
  if (o.review_threshold) options.match.review_threshold = *o.review_threshold;
  Progress progress("reconcile", 0);
  options.progress = [&progress](const verify::ReconcileProgress& p) { progress.Update(p.rows); };

  auto cpu_before = CpuSeconds();
  auto summary = verify::Reconcile(*verifier, o.input, o.out, options, reg->clock);
  if (!summary) {
    const Error& e = summary.error();
    std::fprintf(stderr, "dancu: %s: %s%s%s (%s)\n", o.input.c_str(),
                 e.field.empty() ? "" : e.field.c_str(), e.field.empty() ? "" : ": ",
                 e.message.c_str(), e.code.c_str());
    return e.code.starts_with("reconcile.") && e.code != "reconcile.cancelled" ? 2 : 1;
  }
  progress.Finish(summary->rows);
  // CPU time next to wall time: on a shared machine the rate per CPU-second
  // says more about the code than the wall-clock rate.
  const double cpu = CpuSeconds() - cpu_before;

  std::string summary_path = o.summary.empty() ? o.out + ".summary.json" : o.summary;
  std::string json = verify::SummaryJson(*summary);
  std::string tmp = summary_path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << json << '\n';
    if (!f.flush()) {
      std::fprintf(stderr, "dancu: cannot write %s\n", tmp.c_str());
      return 1;
    }
  }
  if (std::rename(tmp.c_str(), summary_path.c_str()) != 0) {
    std::fprintf(stderr, "dancu: cannot rename %s to %s\n", tmp.c_str(), summary_path.c_str());
    return 1;
  }
  std::printf("%s", verify::SummaryText(*summary).c_str());
  std::printf("cpu %.2f s (%.0f rows per cpu-second), duplicate tables %zu MiB\n", cpu,
              cpu > 0 ? summary->rows / cpu : 0.0, summary->duplicate_memory_bytes >> 20);
  std::printf("report %s, summary %s\n", o.out.c_str(), summary_path.c_str());
  return 0;
}

}  // namespace dancu::app
