// Reconciliation jobs: queued and run in the background, state and summary
// kept on disk, finished jobs listed again after a restart, queued ones run.
#include "verify/reconcile_jobs.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <fstream>

#include "verify/verifier_fixture.h"

namespace dancu::verify {
namespace {

constexpr auto kWait = std::chrono::seconds(30);

class ReconcileJobsTest : public testing::VerifierTestBase {
 protected:

  std::filesystem::path Jobs() const { return dir_.path() / "reconcile"; }
  std::filesystem::path Upload(const std::string& name, const std::string& text) {
    auto path = dir_.path() / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::unique_ptr<ReconcileJobs> OpenJobs() {
    auto j = ReconcileJobs::Open(Jobs(), *verifier_, clock_, random_);
    EXPECT_TRUE(j) << j.error().message;
    return j ? std::move(*j) : nullptr;
  }

};

TEST_F(ReconcileJobsTest, RunsAJobAndKeepsItAcrossARestart) {
  auto jobs = OpenJobs();
  ASSERT_TRUE(jobs);
  auto upload = Upload("u1", "cccd;ho_ten\n001085123456;Nguyễn Văn An\n001085123456;Lê Văn Tám\n");
  auto job = jobs->Submit(upload, "", "agency:bhxh");
  ASSERT_TRUE(job) << job.error().message;
  EXPECT_TRUE(IsJobId(job->id));
  EXPECT_FALSE(std::filesystem::exists(upload));  // moved into the job
  EXPECT_TRUE(std::filesystem::exists(Jobs() / job->id / "input.csv"));
  ASSERT_TRUE(jobs->WaitFor(job->id, kWait));

  auto done = jobs->Get(job->id);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->state, JobState::kDone);
  EXPECT_EQ(done->owner, "agency:bhxh");
  EXPECT_EQ(done->rows, 2);
  EXPECT_EQ(done->eta_seconds(), 0.0);
  EXPECT_FALSE(done->finished.empty());
  auto summary = boost::json::parse(done->summary_json).as_object();
  EXPECT_EQ(summary["status"].as_object()["MATCH"].as_int64(), 1);
  EXPECT_EQ(summary["status"].as_object()["MISMATCH"].as_int64(), 1);
  auto report = jobs->ReportPath(job->id);
  ASSERT_FALSE(report.empty());
  EXPECT_TRUE(std::filesystem::exists(report));

  // A restart lists the finished job as it was.
  jobs.reset();
  auto again = OpenJobs();
  ASSERT_TRUE(again);
  auto listed = again->List();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id, job->id);
  EXPECT_EQ(listed[0].state, JobState::kDone);
  EXPECT_EQ(listed[0].rows, 2);
  EXPECT_EQ(listed[0].summary_json, done->summary_json);
  EXPECT_EQ(again->ReportPath(job->id), report);
}

TEST_F(ReconcileJobsTest, BadMapIsRefusedAtSubmitAndNothingIsKept) {
  auto jobs = OpenJobs();
  ASSERT_TRUE(jobs);
  auto upload = Upload("u2", "id,full_name\n001085123456,Nguyễn Văn An\n");
  auto job = jobs->Submit(upload, "so=id", "admin");
  ASSERT_FALSE(job);
  EXPECT_EQ(job.error().code, "reconcile.unknown_column");
  EXPECT_TRUE(jobs->List().empty());
  EXPECT_TRUE(std::filesystem::exists(upload));  // still the caller's
}

TEST_F(ReconcileJobsTest, JobsInterruptedBeforeTheyRanAreQueuedAgain) {
  // A job directory left by a stopped server: state "running", no report.
  auto dir = Jobs() / "00000000000000aa";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "input.csv") << "id\n001085123456\n079150456789\n";
  std::ofstream(dir / "state.json")
      << R"({"id":"00000000000000aa","owner":"admin","state":"running","map":"",)"
      << R"("created":"2026-11-23T00:00:00.000000Z","rows":1})";
  // Junk next to it is skipped.
  std::filesystem::create_directories(Jobs() / "not-a-job");
  std::filesystem::create_directories(Jobs() / "00000000000000bb");

  auto jobs = OpenJobs();
  ASSERT_TRUE(jobs);
  ASSERT_TRUE(jobs->WaitFor("00000000000000aa", kWait));
  auto j = jobs->Get("00000000000000aa");
  ASSERT_TRUE(j);
  EXPECT_EQ(j->state, JobState::kDone);
  EXPECT_EQ(j->rows, 2);
  EXPECT_EQ(jobs->List().size(), 1u);
  EXPECT_FALSE(jobs->Get("00000000000000bb"));
}

TEST_F(ReconcileJobsTest, QueuedJobsRunInOrder) {
  auto jobs = OpenJobs();
  ASSERT_TRUE(jobs);
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    auto job = jobs->Submit(Upload("q" + std::to_string(i), "id\n001085123456\n"), "", "admin");
    ASSERT_TRUE(job);
    ids.push_back(job->id);
  }
  for (const auto& id : ids) ASSERT_TRUE(jobs->WaitFor(id, kWait));
  auto listed = jobs->List();
  ASSERT_EQ(listed.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(listed[i].id, ids[i]);
    EXPECT_EQ(listed[i].state, JobState::kDone);
    EXPECT_LE(listed[i].started, listed[i].finished);
  }
  EXPECT_FALSE(jobs->Get("ffffffffffffffff"));
  EXPECT_TRUE(jobs->ReportPath("ffffffffffffffff").empty());
}

}  // namespace
}  // namespace dancu::verify
