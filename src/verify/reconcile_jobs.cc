#include "verify/reconcile_jobs.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <sstream>

namespace dancu::verify {
namespace {

constexpr std::string_view kInput = "input.csv";
constexpr std::string_view kReport = "report.csv";
constexpr std::string_view kSummary = "summary.json";
constexpr std::string_view kState = "state.json";

std::optional<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Writes `text` to `path` through a temporary file and a rename.
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view text) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out.flush()) return Fail("io.write", "cannot write " + tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Fail("io.write", "cannot rename " + tmp.string() + ": " + ec.message());
  return {};
}

std::optional<JobState> StateFrom(std::string_view s) {
  for (JobState st : {JobState::kQueued, JobState::kRunning, JobState::kDone, JobState::kFailed}) {
    if (ToString(st) == s) return st;
  }
  return std::nullopt;
}

std::string StringOf(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

int64_t IntOf(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v != nullptr && v->is_int64() ? v->as_int64() : 0;
}

}  // namespace

std::string_view ToString(JobState s) {
  switch (s) {
    case JobState::kQueued:
      return "queued";
    case JobState::kRunning:
      return "running";
    case JobState::kDone:
      return "done";
    case JobState::kFailed:
      return "failed";
  }
  return "failed";
}

bool IsJobId(std::string_view id) {
  return id.size() == 16 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::optional<double> JobInfo::eta_seconds() const {
  if (state == JobState::kDone || state == JobState::kFailed) return 0.0;
  if (state != JobState::kRunning || bytes <= 0 || seconds <= 0 || total_bytes <= 0) {
    return std::nullopt;
  }
  const double rate = bytes / seconds;
  return std::max(0.0, static_cast<double>(total_bytes - bytes) / rate);
}

ReconcileJobs::ReconcileJobs(std::filesystem::path dir, const Verifier& verifier,
                             const Clock& clock, Random& random, ReconcileOptions options)
    : dir_(std::move(dir)),
      verifier_(verifier),
      clock_(clock),
      random_(random),
      options_(std::move(options)) {}

ReconcileJobs::~ReconcileJobs() { Stop(); }

Result<std::unique_ptr<ReconcileJobs>> ReconcileJobs::Open(std::filesystem::path dir,
                                                           const Verifier& verifier,
                                                           const Clock& clock, Random& random,
                                                           ReconcileOptions options) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Fail("io.write", "cannot create " + dir.string() + ": " + ec.message());
  std::unique_ptr<ReconcileJobs> jobs(
      new ReconcileJobs(std::move(dir), verifier, clock, random, std::move(options)));
  jobs->Load();
  jobs->worker_ = std::thread([j = jobs.get()] { j->Run(); });
  return jobs;
}

void ReconcileJobs::Load() {
  std::vector<JobInfo> found;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_directory() || !IsJobId(name)) continue;
    auto text = ReadFile(entry.path() / kState);
    boost::system::error_code json_ec;
    boost::json::value v = text ? boost::json::parse(*text, json_ec) : boost::json::value();
    if (!text || json_ec || !v.is_object()) {
      spdlog::warn("reconcile: skipping {}: no readable {}", entry.path().string(), kState);
      continue;
    }
    const boost::json::object& o = v.as_object();
    auto state = StateFrom(StringOf(o, "state"));
    if (!state || StringOf(o, "id") != name) {
      spdlog::warn("reconcile: skipping {}: bad {}", entry.path().string(), kState);
      continue;
    }
    JobInfo j;
    j.id = name;
    j.owner = StringOf(o, "owner");
    j.state = *state;
    j.map = StringOf(o, "map");
    j.created = StringOf(o, "created");
    j.started = StringOf(o, "started");
    j.finished = StringOf(o, "finished");
    j.rows = IntOf(o, "rows");
    j.total_bytes = IntOf(o, "total_bytes");
    j.bytes = IntOf(o, "bytes");
    if (const auto* d = o.if_contains("seconds"); d != nullptr && d->is_number()) {
      j.seconds = d->to_number<double>();
    }
    if (const auto* e = o.if_contains("error"); e != nullptr && e->is_object()) {
      j.error = Error{StringOf(e->as_object(), "code"), StringOf(e->as_object(), "message"),
                      StringOf(e->as_object(), "field")};
    }
    if (j.state == JobState::kDone) {
      j.summary_json = ReadFile(entry.path() / kSummary).value_or("{}");
    }
    if (j.state == JobState::kQueued || j.state == JobState::kRunning) {
      // Interrupted by a stop: run it again from the start.
      j.state = JobState::kQueued;
      j.started.clear();
      j.rows = j.bytes = 0;
      j.seconds = 0;
    }
    found.push_back(std::move(j));
  }
  std::sort(found.begin(), found.end(), [](const JobInfo& a, const JobInfo& b) {
    return std::tie(a.created, a.id) < std::tie(b.created, b.id);
  });
  std::lock_guard lock(mu_);
  for (JobInfo& j : found) {
    order_.push_back(j.id);
    if (j.state == JobState::kQueued) queue_.push_back(j.id);
    jobs_.emplace(j.id, std::move(j));
  }
}

Status ReconcileJobs::Save(const JobInfo& j) const {
  boost::json::object o;
  o["id"] = j.id;
  o["owner"] = j.owner;
  o["state"] = ToString(j.state);
  o["map"] = j.map;
  o["created"] = j.created;
  o["started"] = j.started;
  o["finished"] = j.finished;
  o["rows"] = j.rows;
  o["bytes"] = j.bytes;
  o["total_bytes"] = j.total_bytes;
  o["seconds"] = j.seconds;
  if (j.error) {
    o["error"] = {
        {"code", j.error->code}, {"message", j.error->message}, {"field", j.error->field}};
  }
  return WriteFileAtomically(JobDir(j.id) / kState, boost::json::serialize(o));
}

Result<JobInfo> ReconcileJobs::Submit(const std::filesystem::path& input, std::string map,
                                      std::string owner) {
  if (auto s = CheckReconcileInput(input, map); !s) return std::unexpected(s.error());
  JobInfo j;
  std::error_code ec;
  {
    std::lock_guard lock(mu_);
    do {
      char hex[17];
      std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(random_.Next()));
      j.id = hex;
    } while (jobs_.contains(j.id) || std::filesystem::exists(JobDir(j.id), ec));
  }
  const std::filesystem::path dir = JobDir(j.id);
  std::filesystem::create_directories(dir, ec);
  if (ec) return Fail("io.write", "cannot create " + dir.string() + ": " + ec.message());
  const std::filesystem::path target = dir / kInput;
  std::filesystem::rename(input, target, ec);
  if (ec) {
    // Another file system: copy, then drop the original.
    ec.clear();
    std::filesystem::copy_file(input, target, ec);
    if (ec) {
      std::filesystem::remove_all(dir, ec);
      return Fail("io.write", "cannot store the input in " + dir.string());
    }
    std::filesystem::remove(input, ec);
  }
  j.owner = std::move(owner);
  j.map = std::move(map);
  j.created = FormatTimestamp(clock_.Now());
  j.total_bytes = static_cast<int64_t>(std::filesystem::file_size(target, ec));
  if (auto s = Save(j); !s) {
    std::filesystem::remove_all(dir, ec);
    return std::unexpected(s.error());
  }
  {
    std::lock_guard lock(mu_);
    jobs_.emplace(j.id, j);
    order_.push_back(j.id);
    queue_.push_back(j.id);
  }
  cv_.notify_all();
  return j;
}

std::optional<JobInfo> ReconcileJobs::Get(std::string_view id) const {
  std::lock_guard lock(mu_);
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::nullopt;
  return it->second;
}

std::vector<JobInfo> ReconcileJobs::List() const {
  std::lock_guard lock(mu_);
  std::vector<JobInfo> out;
  out.reserve(order_.size());
  for (const std::string& id : order_) out.push_back(jobs_.at(id));
  return out;
}

std::filesystem::path ReconcileJobs::ReportPath(std::string_view id) const {
  std::lock_guard lock(mu_);
  auto it = jobs_.find(id);
  if (it == jobs_.end() || it->second.state != JobState::kDone) return {};
  return JobDir(id) / kReport;
}

bool ReconcileJobs::WaitFor(std::string_view id, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] {
    auto it = jobs_.find(id);
    return it == jobs_.end() || it->second.state == JobState::kDone ||
           it->second.state == JobState::kFailed;
  });
}

void ReconcileJobs::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cancel_ = true;
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void ReconcileJobs::Run() {
  for (;;) {
    JobInfo job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      JobInfo& j = jobs_.at(queue_.front());
      queue_.pop_front();
      j.state = JobState::kRunning;
      j.started = FormatTimestamp(clock_.Now());
      job = j;
    }
    if (auto s = Save(job); !s) spdlog::warn("reconcile {}: {}", job.id, s.error().message);

    const std::filesystem::path dir = JobDir(job.id);
    ReconcileOptions options = options_;
    options.map = job.map;
    options.cancel = &cancel_;
    options.progress = [this, id = job.id](const ReconcileProgress& p) {
      std::lock_guard lock(mu_);
      JobInfo& j = jobs_.at(id);
      j.rows = p.rows;
      j.bytes = p.bytes;
      j.total_bytes = p.total_bytes;
      j.seconds = p.seconds;
    };
    auto summary = Reconcile(verifier_, dir / kInput, dir / kReport, options, clock_);

    std::string summary_json;
    std::optional<Error> failure;
    if (summary) {
      summary_json = SummaryJson(*summary);
      if (auto s = WriteFileAtomically(dir / kSummary, summary_json); !s) failure = s.error();
    } else {
      failure = summary.error();
    }
    {
      std::lock_guard lock(mu_);
      JobInfo& j = jobs_.at(job.id);
      if (failure && failure->code == "reconcile.cancelled") {
        // Stopping: the job runs again at the next Open.
        j.state = JobState::kQueued;
        j.started.clear();
        j.rows = j.bytes = 0;
        j.seconds = 0;
      } else if (failure) {
        j.state = JobState::kFailed;
        j.error = failure;
        j.finished = FormatTimestamp(clock_.Now());
      } else {
        j.state = JobState::kDone;
        j.rows = summary->rows;
        j.bytes = j.total_bytes;
        j.seconds = summary->seconds;
        j.summary_json = std::move(summary_json);
        j.finished = FormatTimestamp(clock_.Now());
      }
      job = j;
    }
    if (auto s = Save(job); !s) spdlog::warn("reconcile {}: {}", job.id, s.error().message);
    cv_.notify_all();
  }
}

}  // namespace dancu::verify
