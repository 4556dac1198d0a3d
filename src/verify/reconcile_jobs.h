// ReconcileJobs: bulk reconciliations run as background jobs for the HTTP
// API (POST /v1/reconcile and friends), one at a time on one thread, the
// others queued in submission order.
//
// Each job lives in DIR/{job}/ (DIR is DATA/reconcile in `dancu serve`):
//   input.csv          the uploaded file (moved in by Submit)
//   report.csv         the report (reconcile_report.h), once done
//   summary.json       the summary, once done
//   state.json         id, owner, state, map, timestamps, rows, error
// state.json is rewritten (atomically, by rename) at every state change, so
// jobs survive a restart: Open lists finished (done/failed) jobs as they
// were and queues again the jobs that were queued or running (a running
// job starts over). Job ids are 16 random hex digits.
//
// Errors:
//   Submit: the CheckReconcileInput errors (reconcile.*: a bad header or map,
//   nothing is kept), io.write when the file cannot be moved in.
//   Open: io.write when DIR cannot be created.
//
// Thread safety: every method may be called from any thread. The destructor
// (or Stop) cancels the running job, which is queued again at the next Open,
// and joins the worker. The Verifier, Clock and Random must outlive this.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/random.h"
#include "verify/reconciler.h"
#include "verify/verifier.h"

namespace dancu::verify {

enum class JobState { kQueued, kRunning, kDone, kFailed };
std::string_view ToString(JobState s);  // "queued", "running", "done", "failed"

struct JobInfo {
  std::string id;
  std::string owner;  // who submitted it (a principal id)
  JobState state = JobState::kQueued;
  std::string map;
  std::string created, started, finished;  // ISO-8601 UTC; empty until then
  int64_t rows = 0;                        // records reported so far
  int64_t bytes = 0, total_bytes = 0;      // input read so far / input size
  double seconds = 0;                      // running time so far
  std::optional<Error> error;              // kFailed
  std::string summary_json;                // kDone: SummaryJson

  double rate() const { return seconds > 0 ? rows / seconds : 0; }  // rows/s
  // Seconds left at the current byte rate; empty when unknown.
  std::optional<double> eta_seconds() const;
};

class ReconcileJobs {
 public:
  static Result<std::unique_ptr<ReconcileJobs>> Open(std::filesystem::path dir,
                                                     const Verifier& verifier, const Clock& clock,
                                                     Random& random, ReconcileOptions options = {});
  ~ReconcileJobs();

  // Checks the header and map of `input`, moves it into a new job directory
  // (rename, else copy and delete) and queues the job.
  Result<JobInfo> Submit(const std::filesystem::path& input, std::string map, std::string owner);

  std::optional<JobInfo> Get(std::string_view id) const;
  std::vector<JobInfo> List() const;  // oldest first
  // The finished report of a done job, else empty.
  std::filesystem::path ReportPath(std::string_view id) const;

  // Blocks until the job is done or failed, or `timeout` passes (tests).
  bool WaitFor(std::string_view id, std::chrono::milliseconds timeout) const;

  // Cancels the running job and joins the worker; idempotent.
  void Stop();

 private:
  ReconcileJobs(std::filesystem::path dir, const Verifier& verifier, const Clock& clock,
                Random& random, ReconcileOptions options);
  void Load();
  void Run();
  Status Save(const JobInfo& job) const;  // state.json
  std::filesystem::path JobDir(std::string_view id) const { return dir_ / std::string(id); }

  const std::filesystem::path dir_;
  const Verifier& verifier_;
  const Clock& clock_;
  Random& random_;
  const ReconcileOptions options_;

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;  // queue changes and job completions
  std::map<std::string, JobInfo, std::less<>> jobs_;
  std::vector<std::string> order_;  // ids, oldest first
  std::deque<std::string> queue_;
  bool stopping_ = false;
  std::atomic<bool> cancel_{false};
  std::thread worker_;
};

// A job id is 16 lower-case hex digits.
bool IsJobId(std::string_view id);

}  // namespace dancu::verify
