// dancu sectoral submit|list, run as the real binary on the family register
// (tests/e2e/testdata/family.csv): an agency's file with a BOM, ';'
// separators and Vietnamese headers; the line-numbered reconciliation report
// (linked, mismatch, invalid, broken and unknown rows); the linked document
// listed; usage errors that write nothing.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/clock.h"
#include "core/random.h"
#include "hub/hub_db.h"
#include "hub/members.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace dancu::testing {
namespace {

std::string Write(const TempDir& dir, const std::string& name, const std::string& text) {
  auto path = (dir.path() / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class SectoralCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = (dir_.path() / "data").string();
    auto imported = RunDancu({"import", "--data", data_,
                              std::string(DANCU_SOURCE_DIR) + "/tests/e2e/testdata/family.csv"});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    // The agency, as `dancu agencies add` would store it.
    auto db = hub::OpenHubDb(data_);
    ASSERT_TRUE(db) << db.error().message;
    SystemClock clock;
    SecureRandom random;
    auto members = hub::Members::Open(**db, data_, clock, random);
    ASSERT_TRUE(members) << members.error().message;
    ASSERT_TRUE(
        (*members)->AddAgency({"bhxh-hanoi", "ministry", "Bảo hiểm xã hội Hà Nội", {}, false}));
  }

  TempDir dir_;
  std::string data_;
};

TEST_F(SectoralCliTest, SubmitsAFileAndReportsEveryLine) {
  std::string csv =
      "\xEF\xBB\xBFSố định danh;Họ tên;Ngày sinh;Số thẻ BHYT;Từ ngày;Đến ngày\n"
      "001085123456;Nguyễn Văn An;14/03/1985;DN4010123456789;01/01/2026;31/12/2026\n"  // 2 linked
      "001188234567;Trần Thị Bình;03/07/1988;DN4010987654321;01/01/2026;31/12/2026\n"  // 3 mismatch
      "001215345678;Nguyễn Văn Cường;20/01/2015;TE101;01/01/2026;31/12/2026\n"         // 4 invalid
      "079150456789;Lê Thị Dung\n"                                                     // 5 ragged
      "001085999999;;;DN4010123456780;01/01/2026;31/12/2026\n";                        // 6 unknown
  auto input = Write(dir_, "bhyt.csv", csv);
  auto report = (dir_.path() / "report.csv").string();
  auto r = RunDancu({"sectoral", "submit", "--data", data_, "--agency", "bhxh-hanoi", "--type",
                     "health_insurance", input, "--out", report});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("linked 1 documents"), std::string::npos) << r.out;

  std::string text = Read(report);
  EXPECT_TRUE(text.starts_with("line,status,flags,id,")) << text;
  EXPECT_NE(text.find("\n2,MATCH,,match,,match,match,"), std::string::npos) << text;
  EXPECT_NE(text.find("\n3,MISMATCH,,match,,match,mismatch,"), std::string::npos) << text;
  EXPECT_NE(text.find("date_of_birth mismatch"), std::string::npos) << text;
  EXPECT_NE(text.find("\n4,ERROR,"), std::string::npos) << text;
  EXPECT_NE(text.find("sectoral.bad_card_number: number:"), std::string::npos) << text;
  EXPECT_NE(text.find("\n5,ERROR,"), std::string::npos) << text;
  EXPECT_NE(text.find("csv.ragged"), std::string::npos) << text;
  EXPECT_NE(text.find("\n6,NOT_FOUND,"), std::string::npos) << text;
  EXPECT_NE(Read(report + ".summary.json").find("\"rows\":5"), std::string::npos);

  auto list = RunDancu({"sectoral", "list", "--data", data_, "001085123456"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("\"number\":\"DN4010123456789\""), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("\"valid_to\":\"2026-12-31\""), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("\"agency\":\"bhxh-hanoi\""), std::string::npos) << list.out;
  auto hers = RunDancu({"sectoral", "list", "--data", data_, "001188234567"});
  ASSERT_EQ(hers.exit_code, 0) << hers.err;
  EXPECT_TRUE(hers.out.empty()) << hers.out;
}

TEST_F(SectoralCliTest, UsageErrorsWriteNothing) {
  auto input = Write(dir_, "in.csv", "citizen_id,number\n001085123456,8012345678\n");
  auto report = (dir_.path() / "report.csv").string();
  auto unknown = RunDancu({"sectoral", "submit", "--data", data_, "--agency", "nobody", "--type",
                           "tax_code", input, "--out", report});
  EXPECT_EQ(unknown.exit_code, 2) << unknown.err;
  EXPECT_NE(unknown.err.find("agency.not_found"), std::string::npos) << unknown.err;
  auto no_type = RunDancu(
      {"sectoral", "submit", "--data", data_, "--agency", "bhxh-hanoi", input, "--out", report});
  EXPECT_EQ(no_type.exit_code, 2);
  EXPECT_NE(no_type.err.find("--type"), std::string::npos) << no_type.err;
  auto bad_type = RunDancu({"sectoral", "submit", "--data", data_, "--agency", "bhxh-hanoi",
                            "--type", "passport", input, "--out", report});
  EXPECT_EQ(bad_type.exit_code, 2);
  auto no_number = Write(dir_, "nonum.csv", "citizen_id,full_name\n001085123456,An\n");
  auto missing = RunDancu({"sectoral", "submit", "--data", data_, "--agency", "bhxh-hanoi",
                           "--type", "tax_code", no_number, "--out", report});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_FALSE(std::ifstream(report).good());

  auto ok = RunDancu({"sectoral", "submit", "--data", data_, "--agency", "bhxh-hanoi", "--type",
                      "tax_code", input, "--out", report});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(Read(report).find("\n2,MATCH,"), std::string::npos) << Read(report);
}

}  // namespace
}  // namespace dancu::testing
