// The CLI, run as the real binary: generate, import (all or nothing, with
// line-numbered rejections), export, get, events.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/process.h"
#include "support/temp_dir.h"

namespace dancu::testing {
namespace {

const std::string kHeader =
    "id,old_id,full_name,sex,date_of_birth,status,date_of_death,permanent_commune_code,"
    "permanent_address,household_id,relationship_to_head,father_id,mother_id,spouse_id,"
    "ethnicity,religion,hometown_commune_code\n";

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

std::string Data(const TempDir& dir) { return (dir.path() / "data").string(); }

TEST(Cli, ImportRejectsBrokenRowsWithLineNumbersAndImportsNothing) {
  TempDir dir;
  std::string csv = kHeader +
      "001085123456,,Nguyễn Văn An,male,1985-03-14,alive,,00004,Số 1,1,head,,,,1,,\n"   // 2 ok
      "001188234567,,Trần Thị Bình,female,1988-07-02,alive,,00004\n"                    // 3 ragged
      "001215345678,,\"Nguyễn \"Văn\" Cường\",male,2015-01-20,alive,,00004,Số 1,1,child,,,,1,,\n"  // 4 bad quote
      "079150456789,,L\xC3\xA8 Th\xFF Dung,female,1950,alive,,25747,Số 9,2,head,,,,1,,\n"  // 5 bad utf-8
      "001040111111,,Phạm Văn Em,male,1940-02-30,alive,,00004,Số 5,3,head,,,,1,,\n"     // 6 impossible
      "001040111112,,Phạm Văn Út,male,1940-02-03,alive,,00004,Số 5,4,head,,,,1,,\n";    // 7 ok
  auto path = Write(dir, "bad.csv", csv);
  auto report = (dir.path() / "rejected.csv").string();
  auto r = RunDancu({"import", "--data", Data(dir), path, "--report", report});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("line 3:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("csv.ragged"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 4:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("csv.bad_quote"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 5:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("bad_utf8"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 6:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("date.impossible"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("line 2:"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("line 7:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nothing was imported"), std::string::npos);
  EXPECT_NE(Read(report).find("6,date_of_birth,date.impossible"), std::string::npos) << Read(report);
  // The good rows were not imported either.
  auto get = RunDancu({"get", "--data", Data(dir), "001085123456"});
  EXPECT_NE(get.exit_code, 0);
}

TEST(Cli, ImportReportsCrossRowProblemsByLine) {
  TempDir dir;
  std::string csv = kHeader +
      "001085123456,,Nguyễn Văn An,male,1985-03-14,alive,,00004,Số 1,1,head,,,,1,,\n"
      "001215345678,,Nguyễn Văn Cường,male,2015-01-20,alive,,00004,Số 1,1,child,001085999999,,,1,,\n"
      "001085123456,,Nguyễn Văn An,male,1985-03-14,alive,,00004,Số 1,1,head,,,,1,,\n";
  auto r = RunDancu({"import", "--data", Data(dir), Write(dir, "x.csv", csv)});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("line 4: id:"), std::string::npos) << r.err;  // duplicate id
  EXPECT_NE(r.err.find("conflict.citizen_exists"), std::string::npos) << r.err;
}

TEST(Cli, ImportNamesCrossRowProblemsByLineAfterBlankAndMultiLineRecords) {
  TempDir dir;
  std::string csv = kHeader +
      "001085123456,,Nguyễn Văn An,male,1985-03-14,alive,,00004,\"Số 1\nngõ 2\",1,head,,,,1,,\n"  // 2-3
      "\n"                                                                                       // 4
      "001215345678,,Nguyễn Văn Cường,male,2015-01-20,alive,,00004,Số 1,1,child,001085999999,,,1,,\n"  // 5
      "001216345679,,Nguyễn Văn Dũng,male,2016-01-20,alive,,00004,Số 1,9,child,,,,1,,\n";         // 6
  auto report = (dir.path() / "rejected.csv").string();
  auto r = RunDancu({"import", "--data", Data(dir), Write(dir, "x.csv", csv), "--report", report});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("line 5: father_id:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("import.unknown_reference"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 6: household_id:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("import.household_without_head"), std::string::npos) << r.err;
  EXPECT_NE(Read(report).find("5,father_id,import.unknown_reference"), std::string::npos)
      << Read(report);
}

TEST(Cli, ImportIntoAFilledRegisterNamesExistingIdsByLine) {
  TempDir dir;
  std::string first = kHeader +
      "001085123456,,Nguyễn Văn An,male,1985-03-14,alive,,00004,Số 1,1,head,,,,1,,\n";
  ASSERT_EQ(RunDancu({"import", "--data", Data(dir), Write(dir, "a.csv", first)}).exit_code, 0);
  std::string second = kHeader +
      "001040111112,,Phạm Văn Út,male,1940-02-03,alive,,00004,Số 5,4,head,,,,1,,\n"  // 2
      "\n"                                                                            // 3
      "001085123456,,Nguyễn Văn An,male,1985-03-14,alive,,00004,Số 1,1,head,,,,1,,\n";  // 4
  auto r = RunDancu({"import", "--data", Data(dir), Write(dir, "b.csv", second)});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("line 4: id:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("conflict.citizen_exists"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("line 2:"), std::string::npos) << r.err;
}

TEST(Cli, ImportRejectsABadHeader) {
  TempDir dir;
  auto r = RunDancu({"import", "--data", Data(dir), Write(dir, "h.csv", "id,name\n1,2\n")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("line 1"), std::string::npos) << r.err;
}

TEST(Cli, GenerateExportImportRoundTrip) {
  TempDir dir;
  auto gen = RunDancu({"generate", "--data", Data(dir), "--count", "3000", "--seed", "7"});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  auto out = (dir.path() / "export.csv").string();
  auto exp = RunDancu({"export", "--data", Data(dir), "--out", out});
  ASSERT_EQ(exp.exit_code, 0) << exp.err;
  std::string first = Read(out);
  EXPECT_EQ(first.rfind(kHeader, 0), 0u);
  EXPECT_EQ(std::count(first.begin(), first.end(), '\n'), 3001);

  auto imp = RunDancu({"import", "--data", (dir.path() / "copy").string(), out});
  ASSERT_EQ(imp.exit_code, 0) << imp.err;
  auto out2 = (dir.path() / "export2.csv").string();
  ASSERT_EQ(RunDancu({"export", "--data", (dir.path() / "copy").string(), "--out", out2}).exit_code, 0);
  EXPECT_EQ(Read(out2), first);

  // Same seed, same population.
  TempDir dir2;
  ASSERT_EQ(RunDancu({"generate", "--data", Data(dir2), "--count", "3000", "--seed", "7"}).exit_code, 0);
  auto out3 = (dir2.path() / "e.csv").string();
  ASSERT_EQ(RunDancu({"export", "--data", Data(dir2), "--out", out3}).exit_code, 0);
  EXPECT_EQ(Read(out3), first);
}

TEST(Cli, GetAndEvents) {
  TempDir dir;
  std::string csv = kHeader +
      "001085123456,,Nguyễn Văn An,male,1985-03-14,alive,,00004,Số 1,1,head,,,,1,,\n";
  ASSERT_EQ(RunDancu({"import", "--data", Data(dir), Write(dir, "a.csv", csv)}).exit_code, 0);
  auto get = RunDancu({"get", "--data", Data(dir), "001085123456"});
  ASSERT_EQ(get.exit_code, 0) << get.err;
  EXPECT_NE(get.out.find("\"full_name\":\"Nguyễn Văn An\""), std::string::npos) << get.out;
  auto bad = RunDancu({"get", "--data", Data(dir), "12"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("id.length"), std::string::npos);
  auto events = RunDancu({"events", "--data", Data(dir)});
  ASSERT_EQ(events.exit_code, 0);
  EXPECT_NE(events.out.find("\"type\":\"import\""), std::string::npos) << events.out;
  EXPECT_EQ(std::count(events.out.begin(), events.out.end(), '\n'), 1);
}

TEST(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(RunDancu({}).exit_code, 2);
  EXPECT_EQ(RunDancu({"generate", "--data", "/tmp/x"}).exit_code, 2);  // --count missing
  EXPECT_EQ(RunDancu({"serve", "--data", "/tmp/x", "--listen", "nope"}).exit_code, 2);
}

}  // namespace
}  // namespace dancu::testing
