// Bulk reconciliation end to end with the real binary: `dancu reconcile`
// (report, summary, exit codes, --map errors that write nothing, bad rows),
// and the HTTP job flow (POST /v1/reconcile streamed upload, 202 + Location,
// GET the job until done, GET the report), jobs kept across a restart, and
// an agency seeing only its own jobs.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "support/http_client.h"
#include "support/agency_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace dancu::testing {
namespace {

namespace bhttp = boost::beast::http;
constexpr char kToken[] = "e2e-admin-token";

// An agency's file about the family of testdata/family.csv, semicolons and
// dd/mm/yyyy as agencies write them.
const std::string kAgencyFile =
    "\xEF\xBB\xBF"
    "CCCD;Họ và tên;Ngày sinh;Giới tính\n"
    "001085123456;Nguyễn Văn An;14/03/1985;Nam\n"     // 2 MATCH
    "001188234567;Tran Thi Binh;02/07/1988;Nữ\n"      // 3 MATCH (folding)
    "001215345678;Nguyễn Văn Cường;20/02/2015;Nam\n"  // 4 MISMATCH (date)
    "001085999999;Nguyễn Văn An;14/03/1985;Nam\n"     // 5 NOT_FOUND
    ";Lê Thị Dung;1950;Nữ\n"                          // 6 NO_ID
    "001188234567;Trần Thị Bình;31/02/1988;Nữ\n"      // 7 ERROR impossible date
    "001188234567;Trần Thị Bình;02/07/1988\n";        // 8 ERROR ragged

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class ReconcileE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = RunDancu({"import", "--data", Dir(), SourceDir() + "/tests/e2e/testdata/family.csv"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  std::string Dir() const { return (dir_.path() / "data").string(); }
  std::string Write(const std::string& name, const std::string& text) {
    auto path = (dir_.path() / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  void StartServer() {
    client_.reset();
    server_.reset();
    server_ = std::make_unique<ServerProcess>(Dir(), kToken);
    client_ = std::make_unique<dancu::test::HttpClient>("127.0.0.1", server_->port());
  }
  dancu::test::HttpResult Call(bhttp::verb method, const std::string& path,
                               const std::string& key = kToken, const std::string& body = {}) {
    std::vector<std::pair<std::string, std::string>> headers = {{"Authorization", "Bearer " + key}};
    if (!body.empty()) headers.emplace_back("Content-Type", "text/csv");
    return client_->Request(method, path, body, headers);
  }
  // Polls the job until it is done or failed (each poll is a request; the
  // job itself takes milliseconds).
  boost::json::object WaitDone(const std::string& location, const std::string& key = kToken) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (;;) {
      auto r = Call(bhttp::verb::get, location, key);
      EXPECT_EQ(r.status, 200u) << r.body;
      if (r.status != 200) return {};
      auto o = boost::json::parse(r.body).as_object();
      std::string state(o.at("state").as_string());
      if (state == "done" || state == "failed") return o;
      if (std::chrono::steady_clock::now() > deadline) {
        ADD_FAILURE() << "job still " << state;
        return o;
      }
    }
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<dancu::test::HttpClient> client_;
};

TEST_F(ReconcileE2eTest, CliWritesReportAndSummary) {
  auto input = Write("agency.csv", kAgencyFile);
  auto report = (dir_.path() / "report.csv").string();
  auto r = RunDancu({"reconcile", "--data", Dir(), input, "--out", report});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("7 rows"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("MATCH 2, MISMATCH 1, NOT_FOUND 1, NO_ID 1, ERROR 2"), std::string::npos)
      << r.out;

  std::string text = ReadAll(report);
  EXPECT_TRUE(text.starts_with("line,status,flags,id,old_id,full_name,date_of_birth,sex,")) << text;
  EXPECT_NE(text.find("\n2,MATCH,"), std::string::npos) << text;
  EXPECT_NE(text.find("\n4,MISMATCH,"), std::string::npos) << text;
  EXPECT_NE(text.find("\n5,NOT_FOUND,"), std::string::npos) << text;
  EXPECT_NE(text.find("\n6,NO_ID,"), std::string::npos) << text;
  EXPECT_NE(text.find("\n7,ERROR,"), std::string::npos) << text;
  EXPECT_NE(text.find("date.impossible"), std::string::npos) << text;
  EXPECT_NE(text.find("\n8,ERROR,"), std::string::npos) << text;
  EXPECT_NE(text.find("csv.ragged"), std::string::npos) << text;
  EXPECT_EQ(text.find("Nguyễn"), std::string::npos);  // never register values

  auto summary = boost::json::parse(ReadAll(report + ".summary.json")).as_object();
  EXPECT_EQ(summary.at("rows").as_int64(), 7);
  EXPECT_EQ(summary.at("status").at("ERROR").as_int64(), 2);
  EXPECT_EQ(summary.at("errors").at("date.impossible").as_int64(), 1);
  EXPECT_EQ(summary.at("fields").at("date_of_birth").at("mismatch").as_int64(), 1);

  // --summary puts the summary elsewhere.
  auto other = (dir_.path() / "s.json").string();
  r = RunDancu({"reconcile", "--data", Dir(), input, "--out", report, "--summary", other});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(other));
}

TEST_F(ReconcileE2eTest, CliMapErrorsExit2AndWriteNothing) {
  auto input = Write("agency.csv", kAgencyFile);
  auto report = (dir_.path() / "report.csv").string();
  struct Case {
    std::string map, code;
  } cases[] = {{"SoCCCD=id", "reconcile.unknown_column"},
               {"CCCD=cccd_number", "reconcile.unknown_field"},
               {"CCCD", "reconcile.bad_map"}};
  for (const Case& c : cases) {
    auto r = RunDancu({"reconcile", "--data", Dir(), input, "--out", report, "--map", c.map});
    EXPECT_EQ(r.exit_code, 2) << c.map << ": " << r.err;
    EXPECT_NE(r.err.find(c.code), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(report));
    EXPECT_FALSE(std::filesystem::exists(report + ".summary.json"));
  }
  // A map that fits: the agency's header names, mapped explicitly.
  auto mapped = Write("mapped.csv", "so;ten\n001085123456;Nguyen Van An\n");
  auto r = RunDancu(
      {"reconcile", "--data", Dir(), mapped, "--out", report, "--map", "so=id,ten=full_name"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(ReadAll(report).find("\n2,MATCH,"), std::string::npos) << ReadAll(report);
  // An empty input has no header to reconcile on (usage, 2); a missing one is 1.
  r = RunDancu({"reconcile", "--data", Dir(), Write("empty.csv", ""), "--out", report});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  r = RunDancu(
      {"reconcile", "--data", Dir(), (dir_.path() / "nope.csv").string(), "--out", report});
  EXPECT_EQ(r.exit_code, 1) << r.err;
}

TEST_F(ReconcileE2eTest, HttpJobFlowSurvivesARestart) {
  StartServer();
  auto posted = Call(bhttp::verb::post, "/v1/reconcile", kToken, kAgencyFile);
  ASSERT_EQ(posted.status, 202u) << posted.body;
  std::string location = posted.headers["location"];
  ASSERT_TRUE(location.starts_with("/v1/reconcile/")) << location;
  auto job = boost::json::parse(posted.body).as_object();
  EXPECT_EQ("/v1/reconcile/" + std::string(job.at("id").as_string()), location);

  auto done = WaitDone(location);
  ASSERT_EQ(done.at("state").as_string(), "done") << boost::json::serialize(done);
  EXPECT_EQ(done.at("rows_done").as_int64(), 7);
  EXPECT_EQ(done.at("eta_seconds").to_number<double>(), 0.0);
  EXPECT_EQ(done.at("summary").at("status").at("MATCH").as_int64(), 2);
  EXPECT_EQ(done.at("report").as_string(), location + "/report");

  auto report = Call(bhttp::verb::get, location + "/report");
  ASSERT_EQ(report.status, 200u) << report.body;
  EXPECT_TRUE(report.headers["content-type"].starts_with("text/csv"));
  EXPECT_NE(report.body.find("\n4,MISMATCH,"), std::string::npos) << report.body;
  EXPECT_EQ(report.body, ReadAll(dir_.path() / "data" / "reconcile" /
                                 std::string(job.at("id").as_string()) / "report.csv"));

  // The job, its summary and its report are still there after a restart.
  StartServer();
  auto list = Call(bhttp::verb::get, "/v1/reconcile");
  ASSERT_EQ(list.status, 200u) << list.body;
  auto jobs = boost::json::parse(list.body).at("jobs").as_array();
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].at("state").as_string(), "done");
  EXPECT_EQ(Call(bhttp::verb::get, location + "/report").body, report.body);
}

TEST_F(ReconcileE2eTest, HttpBadInputAndUnknownJobs) {
  StartServer();
  auto bad = Call(bhttp::verb::post, "/v1/reconcile?map=nope%3Did", kToken, kAgencyFile);
  EXPECT_EQ(bad.status, 400u) << bad.body;
  EXPECT_NE(bad.body.find("reconcile.unknown_column"), std::string::npos) << bad.body;
  auto empty = Call(bhttp::verb::post, "/v1/reconcile", kToken, "");
  EXPECT_EQ(empty.status, 400u) << empty.body;
  EXPECT_NE(empty.body.find("reconcile.empty"), std::string::npos) << empty.body;
  auto missing = Call(bhttp::verb::get, "/v1/reconcile/0123456789abcdef");
  EXPECT_EQ(missing.status, 404u) << missing.body;
  EXPECT_NE(missing.body.find("reconcile.not_found"), std::string::npos) << missing.body;
  EXPECT_EQ(Call(bhttp::verb::get, "/v1/reconcile/..%2F..%2Fetc/report").status, 404u);
  // Nothing accepted, nothing listed.
  auto list = Call(bhttp::verb::get, "/v1/reconcile");
  EXPECT_EQ(boost::json::parse(list.body).at("jobs").as_array().size(), 0u) << list.body;
  // The map is a query parameter.
  auto mapped =
      Call(bhttp::verb::post, "/v1/reconcile?map=so%3Did", kToken, "so;x\n001085123456;1\n");
  ASSERT_EQ(mapped.status, 202u) << mapped.body;
  auto done = WaitDone(mapped.headers["location"]);
  EXPECT_EQ(done.at("summary").at("status").at("MATCH").as_int64(), 1);
  EXPECT_EQ(done.at("map").as_string(), "so=id");
}

TEST_F(ReconcileE2eTest, AnAgencySeesOnlyItsOwnJobs) {
  // Limits that the status polling of WaitDone never reaches.
  const char* policy =
      R"({"operations":["reconcile"],"rate_limit":100000,"daily_quota":10000000})";
  TestAgencyClient bhxh_client = AddTestAgencyClient(Dir(), "bhxh", policy);
  TestAgencyClient bank_client = AddTestAgencyClient(Dir(), "bank", policy);
  StartServer();
  std::string bhxh = AgencyAccessToken(*client_, server_->port(), bhxh_client);
  std::string bank = AgencyAccessToken(*client_, server_->port(), bank_client);
  auto posted = Call(bhttp::verb::post, "/v1/reconcile", bhxh, kAgencyFile);
  ASSERT_EQ(posted.status, 202u) << posted.body;
  std::string location = posted.headers["location"];
  auto done = WaitDone(location, bhxh);
  EXPECT_EQ(done.at("state").as_string(), "done");
  EXPECT_EQ(Call(bhttp::verb::get, location + "/report", bhxh).status, 200u);

  EXPECT_EQ(Call(bhttp::verb::get, location, bank).status, 404u);
  EXPECT_EQ(Call(bhttp::verb::get, location + "/report", bank).status, 404u);
  auto list = Call(bhttp::verb::get, "/v1/reconcile", bank);
  EXPECT_EQ(boost::json::parse(list.body).at("jobs").as_array().size(), 0u);
  // Staff see every job.
  EXPECT_EQ(Call(bhttp::verb::get, location).status, 200u);
  EXPECT_EQ(Call(bhttp::verb::get, "/v1/reconcile", "wrong-token").status, 401u);
}

}  // namespace
}  // namespace dancu::testing
