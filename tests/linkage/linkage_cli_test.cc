// `dancu dedupe` and `dancu link` end to end on the real binary: the Febrl
// files as they are, the output format, and the errors with their exit codes.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/process.h"
#include "support/temp_dir.h"

namespace dancu::testing {
namespace {

const char kFebrlFields[] =
    "given_name:name,surname:name,street_number:exact,address_1:text,address_2:text,"
    "suburb:text,postcode:postcode,state:exact,date_of_birth:date,soc_sec_id:id";

std::string Febrl(const std::string& name) { return SourceDir() + "/data/febrl/" + name; }

std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void Write(const std::filesystem::path& p, const std::string& text) { std::ofstream(p) << text; }

TEST(LinkageCliTest, DedupeFebrl1AsIs) {
  TempDir dir;
  auto out = dir.path() / "pairs.csv";
  auto r = RunDancu({"dedupe", Febrl("febrl_dataset1.csv"), "--fields", kFebrlFields, "--id-column",
                     "rec_id", "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string pairs = Slurp(out);
  EXPECT_TRUE(pairs.starts_with("left_id,right_id,score\n")) << pairs.substr(0, 100);
  EXPECT_EQ(std::count(pairs.begin(), pairs.end(), '\n'), 501);  // 500 true pairs + header
  EXPECT_NE(pairs.find("rec-0-"), std::string::npos);
  EXPECT_NE(r.err.find("500 matches"), std::string::npos) << r.err;
}

TEST(LinkageCliTest, LinkTwoFilesWithReviewBand) {
  TempDir dir;
  Write(dir.path() / "a.csv",
        "id,name,dob\n1,Nguyễn Văn An,1985-03-04\n2,Trần Thị Bình,1990-01-01\n");
  Write(dir.path() / "b.csv", "id;name;dob\nx;NGUYEN VAN AN;04/03/1985\ny;Tran Thi Binh;1990\n");
  auto r = RunDancu({"link", (dir.path() / "a.csv").string(), (dir.path() / "b.csv").string(),
                     "--fields", "name:name,dob:date", "--id-column", "id", "--threshold", "15",
                     "--review", "0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string header, first, second;
  std::getline(lines, header);
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_EQ(header, "left_id,right_id,score");
  EXPECT_TRUE(first.starts_with("1,x,")) << r.out;
  EXPECT_TRUE(second.starts_with("2,y,")) << r.out;
  EXPECT_NE(r.err.find("1 for review"), std::string::npos) << r.err;
}

TEST(LinkageCliTest, UsageErrorsExitTwo) {
  auto r =
      RunDancu({"dedupe", Febrl("febrl_dataset1.csv"), "--fields", "given_name:name,nope:date"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no column \"nope\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("linkage.unknown_column"), std::string::npos) << r.err;
  r = RunDancu({"dedupe", Febrl("febrl_dataset1.csv"), "--fields", "given_name:nom"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("linkage.bad_fields"), std::string::npos) << r.err;
  r = RunDancu({"dedupe", Febrl("febrl_dataset1.csv"), "--fields", "given_name:name", "--id-column",
                "nope"});
  EXPECT_EQ(r.exit_code, 2);
  r = RunDancu({"dedupe", "/nonexistent.csv", "--fields", "a:name"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("linkage.io"), std::string::npos) << r.err;
}

TEST(LinkageCliTest, BrokenRowsAreReportedWithLineNumbersAndTheRestLinked) {
  TempDir dir;
  Write(dir.path() / "in.csv",
        "id,name,dob\n"
        "1,Nguyễn Văn An,1985-03-04\n"
        "2,Nguyen Van An\n"           // ragged
        "3,\"Nguyen\"x,1985-03-04\n"  // broken quoting
        "4,nguyen van an,1985-03-04\n"
        "5,\xff\xfe,1985-03-04\n"  // invalid UTF-8
        "6," +
            std::string(2 << 20, 'a') +
            ",1985-03-04\n"  // a 2 MiB line
            "7,Nguyễn Văn An,04/03/1985\n");
  auto r = RunDancu({"dedupe", (dir.path() / "in.csv").string(), "--fields", "name:name,dob:date",
                     "--id-column", "id"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("line 3: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("csv.ragged"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 4: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("csv.bad_quote"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 6: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("csv.bad_utf8"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 7: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("csv.line_too_long"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("1,4,"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1,7,"), std::string::npos) << r.out;  // after the long line
}

}  // namespace
}  // namespace dancu::testing
