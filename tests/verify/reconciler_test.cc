// Bulk reconciliation against the registry fixture's small register: row
// statuses and field outcomes, every bad-input case (the run goes on),
// duplicates inside the input, map errors (nothing written), summary.
#include "verify/reconciler.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <fstream>
#include <map>
#include <sstream>

#include "core/csv.h"
#include "verify/verifier_fixture.h"

namespace dancu::verify {
namespace {

// The fixture's people (registry_fixture.h).
constexpr char kAn[] = "001085123456";     // Nguyễn Văn An, male, 1985-03-14, 00004
constexpr char kBinh[] = "001188234567";   // Trần Thị Bình, female, 1988-07-02, 00004
constexpr char kCuong[] = "001215345678";  // Nguyễn Văn Cường, male, 2015-01-20, 00004
constexpr char kDung[] = "079150456789";   // Lê Thị Dung, female, 1950, 25747, CMND 023456789

using Row = std::map<std::string, std::string>;

class ReconcilerTest : public testing::VerifierTestBase {
 protected:

  std::filesystem::path Input(const std::string& text) {
    auto path = dir_.path() / "input.csv";
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::filesystem::path ReportPath() const { return dir_.path() / "report.csv"; }

  // Runs a reconciliation and reads the report back, by input line.
  Result<ReconcileSummary> Run(const std::string& text, ReconcileOptions options = {}) {
    rows_.clear();
    if (options.threads == 0) options.threads = 2;
    auto s = Reconcile(*verifier_, Input(text), ReportPath(), options, clock_);
    if (!s) return s;
    std::ifstream in(ReportPath(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    report_text_ = ss.str();
    auto table = ParseCsvText(report_text_);
    EXPECT_FALSE(table.empty());
    header_ = table.front();
    for (size_t r = 1; r < table.size(); ++r) {
      Row row;
      for (size_t c = 0; c < header_.size() && c < table[r].size(); ++c) {
        row[header_[c]] = table[r][c];
      }
      rows_.push_back(row);
    }
    return s;
  }
  const Row& At(const std::string& line) {
    for (const Row& r : rows_) {
      if (r.at("line") == line) return r;
    }
    ADD_FAILURE() << "no report row for line " << line << "\n" << report_text_;
    static Row none;
    return none;
  }

  std::vector<std::string> header_;
  std::vector<Row> rows_;
  std::string report_text_;
};

TEST_F(ReconcilerTest, StatusesAndFieldOutcomesPerRow) {
  std::string csv = "id,full_name,date_of_birth,sex,commune_code,agency_ref\n";
  csv += std::string(kAn) + ",Nguyễn Văn An,14/03/1985,male,00004,a1\n";   // 2 exact
  csv += std::string(kBinh) + ",TRAN THI BINH,1988-07-02,female,,a2\n";    // 3 folding
  csv += std::string(kCuong) + ",Nguyễn Văn Cường,21/01/2015,male,,a3\n";  // 4 dob wrong
  csv += std::string(kAn) + ",Văn An Nguyễn,,,25747,a4\n";                 // 5 reordered, moved
  csv += "001085999999,Nguyễn Văn An,14/03/1985,male,,a5\n";               // 6 unknown id
  csv += ",Nguyễn Văn An,14/03/1985,male,,a6\n";                           // 7 no id
  csv += std::string(kDung) + ",Lê Thị Dung,1950,female,,a7\n";            // 8 year only
  csv += std::string(kDung) + ",Lê Thị Dung,02/04/1950,,,a8\n";            // 9 partial date
  csv += std::string(kBinh) + ",Nguyễn Văn An,14/03/1985,male,,a9\n";      // 10 wrong id
  auto s = Run(csv);
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ(rows_.size(), 9u) << report_text_;
  EXPECT_EQ(header_.front(), "line");

  EXPECT_EQ(At("2").at("status"), "MATCH");
  EXPECT_EQ(At("2").at("full_name"), "match");
  EXPECT_EQ(At("2").at("full_name_level"), "exact");
  EXPECT_EQ(At("2").at("full_name_score"), "100");
  EXPECT_EQ(At("2").at("permanent_address"), "match");
  EXPECT_EQ(At("2").at("reason"), "");
  EXPECT_EQ(At("3").at("status"), "MATCH");
  EXPECT_EQ(At("3").at("full_name_level"), "same_after_folding");
  EXPECT_EQ(At("3").at("permanent_address"), "");  // not given
  EXPECT_EQ(At("4").at("status"), "MISMATCH");
  EXPECT_EQ(At("4").at("date_of_birth"), "mismatch");
  EXPECT_NE(At("4").at("reason").find("date_of_birth mismatch"), std::string::npos);
  EXPECT_EQ(At("5").at("status"), "MISMATCH");
  EXPECT_EQ(At("5").at("full_name"), "partial");
  EXPECT_EQ(At("5").at("full_name_level"), "token_reordered");
  EXPECT_EQ(At("5").at("permanent_address"), "mismatch");
  EXPECT_EQ(At("6").at("status"), "NOT_FOUND");
  EXPECT_NE(At("6").at("reason").find("no citizen has this id"), std::string::npos);
  EXPECT_EQ(At("7").at("status"), "NO_ID");
  EXPECT_EQ(At("8").at("status"), "MATCH");
  EXPECT_EQ(At("9").at("status"), "MISMATCH");
  EXPECT_EQ(At("9").at("date_of_birth"), "partial");
  EXPECT_EQ(At("10").at("status"), "MISMATCH");
  EXPECT_EQ(At("10").at("full_name_level"), "different");
  // Record linkage suggests the person the row describes when the id is
  // unknown, missing or names someone else, never for a right id.
  for (const char* line : {"6", "7", "10"}) {
    EXPECT_EQ(At(line).at("suggested_id"), kAn) << line;
    EXPECT_NE(At(line).at("reason").find("suggested_id"), std::string::npos) << line;
  }
  for (const char* line : {"2", "3", "4", "5", "8", "9"}) {
    EXPECT_EQ(At(line).at("suggested_id"), "") << line;
  }
  // No register value is ever written: only outcomes (the fixture's street
  // and names appear nowhere; the agency's own reference neither).
  EXPECT_EQ(report_text_.find("Đội Cấn"), std::string::npos);
  EXPECT_EQ(report_text_.find("Nguyễn"), std::string::npos);
  EXPECT_EQ(report_text_.find("a1"), std::string::npos);

  EXPECT_EQ(s->rows, 9);
  EXPECT_EQ(s->by_status[static_cast<size_t>(RowStatus::kMatch)], 3);
  EXPECT_EQ(s->by_status[static_cast<size_t>(RowStatus::kMismatch)], 4);
  EXPECT_EQ(s->by_status[static_cast<size_t>(RowStatus::kNotFound)], 1);
  EXPECT_EQ(s->by_status[static_cast<size_t>(RowStatus::kNoId)], 1);
  EXPECT_EQ(s->rows_with_id, 8);
  const FieldCounts& dob = s->fields[static_cast<size_t>(Field::kDateOfBirth)];
  EXPECT_EQ(dob.given, 6);  // rows 2,3,4,8,9,10 were verified with a date
  EXPECT_EQ(dob.mismatch, 2);
  EXPECT_EQ(dob.partial, 1);
  // Linkage is asked for the unknown id, the row without one and the id of
  // someone else; not for a right name with a wrong date (row 4).
  EXPECT_EQ(s->linkage_rows, 3);
  EXPECT_EQ(s->suggested, 3);
  // The summary JSON carries the same counts.
  auto json = boost::json::parse(SummaryJson(*s)).as_object();
  EXPECT_EQ(json["rows"].as_int64(), 9);
  EXPECT_EQ(json["status"].as_object()["MISMATCH"].as_int64(), 4);
  EXPECT_EQ(json["fields"].as_object()["date_of_birth"].as_object()["mismatch"].as_int64(), 2);
  EXPECT_EQ(json["linkage"].as_object()["suggested"].as_int64(), 3);
}

TEST_F(ReconcilerTest, WithoutLinkageNothingIsSuggested) {
  std::string csv = "id,full_name,date_of_birth,sex\n";
  csv += ",Nguyễn Văn An,14/03/1985,male\n";
  csv += std::string(kBinh) + ",Nguyễn Văn An,14/03/1985,male\n";
  ReconcileOptions o;
  o.linkage = false;
  auto s = Run(csv, o);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(At("2").at("status"), "NO_ID");
  EXPECT_EQ(At("2").at("suggested_id"), "");
  EXPECT_EQ(At("3").at("suggested_id"), "");
  EXPECT_EQ(s->linkage_rows, 0);
}

TEST_F(ReconcilerTest, SemicolonsBomCrlfAndOldIds) {
  std::string csv = "\xEF\xBB\xBFso_cmnd;Họ và tên;Ngày sinh\r\n";
  csv += "023456789;Lê Thị Dung;1950\r\n";
  csv += "023456780;Lê Thị Dung;1950\r\n";
  auto s = Run(csv);
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ(rows_.size(), 2u) << report_text_;
  EXPECT_EQ(At("2").at("status"), "MATCH");
  EXPECT_EQ(At("2").at("old_id"), "match");
  EXPECT_EQ(At("3").at("status"), "NOT_FOUND");
  EXPECT_NE(At("3").at("reason").find("old_id"), std::string::npos);
}

TEST_F(ReconcilerTest, UnreadableRowsAreReportedAndTheRunGoesOn) {
  std::string csv = "id,full_name,date_of_birth\n";
  csv += std::string(kAn) + ",Nguyễn Văn An,14/03/1985\n";           // 2 ok
  csv += std::string(kBinh) + ",Trần Thị Bình\n";                    // 3 ragged
  csv += std::string(kBinh) + ",Trần \"Thị\" Bình,1988-07-02\n";     // 4 broken quoting
  csv += std::string(kBinh) + ",Tr\xFF\xFEn Thị Bình,1988-07-02\n";  // 5 invalid UTF-8
  csv += std::string(kBinh) + ",Trần Thị Bình,31/02/2000\n";         // 6 impossible date
  csv += std::string(kBinh) + ",\"" + std::string(100 << 20, 'x') + "\",1988-07-02\n";  // 7 100 MB
  csv += std::string(kCuong) + ",Nguyễn Văn Cường,2015-01-20\n";                        // 8 ok
  csv += "12345,Nguyễn Văn Cường,2015-01-20\n";                                         // 9 bad id
  auto s = Run(csv);
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ(rows_.size(), 8u);
  auto expect_error = [&](const char* line, const char* code) {
    EXPECT_EQ(At(line).at("status"), "ERROR") << line;
    EXPECT_TRUE(At(line).at("reason").starts_with(code)) << line << ": " << At(line).at("reason");
  };
  EXPECT_EQ(At("2").at("status"), "MATCH");
  expect_error("3", "csv.ragged");
  expect_error("4", "csv.bad_quote");
  expect_error("5", "csv.bad_utf8");
  expect_error("6", "date.impossible: date_of_birth");
  expect_error("7", "csv.line_too_long");
  EXPECT_EQ(At("8").at("status"), "MATCH");
  expect_error("9", "id.length: id");
  EXPECT_EQ(s->by_status[static_cast<size_t>(RowStatus::kError)], 6);
  EXPECT_EQ(s->errors.at("csv.ragged"), 1);
  EXPECT_EQ(s->errors.at("date.impossible"), 1);
  // The register was only read.
  EXPECT_EQ(verifier_->size(), 4u);
  EXPECT_EQ(Get(*CitizenId::Parse(kBinh)).date_of_birth.ToString(), "1988-07-02");
}

TEST_F(ReconcilerTest, DuplicatesInsideTheInput) {
  std::string csv = "id,full_name,date_of_birth,sex\n";
  csv += std::string(kAn) + ",Nguyễn Văn An,14/03/1985,male\n";    // 2
  csv += std::string(kAn) + ",Phạm Thị Hoa,01/01/1990,female\n";   // 3 same id, other person
  csv += std::string(kAn) + ",Nguyen Van An,1985-03-14,male\n";    // 4 repeat of 2
  csv += std::string(kBinh) + ",Nguyễn Văn An,14/03/1985,male\n";  // 5 same person as 2, other id
  csv += "001085999999,Nguyễn Văn Cường,2015-01-20,male\n";        // 6 same person as 7
  csv += std::string(kCuong) + ",Nguyễn Văn Cường,2015-01-20,male\n";  // 7
  auto s = Run(csv);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(At("2").at("flags"), "");
  EXPECT_EQ(At("3").at("flags"), "DUPLICATE_ID");
  EXPECT_NE(At("3").at("reason").find("id also on line 2 for another person"), std::string::npos);
  EXPECT_EQ(At("4").at("flags"), "");
  EXPECT_EQ(At("5").at("flags"), "DUPLICATE_PERSON");
  EXPECT_NE(At("5").at("reason").find("same person as line 2 under another id"), std::string::npos);
  EXPECT_EQ(At("7").at("flags"), "DUPLICATE_PERSON");
  EXPECT_EQ(s->duplicate_ids, 1);
  EXPECT_EQ(s->duplicate_persons, 2);
  EXPECT_EQ(s->repeated_rows, 1);
}

TEST(DuplicateTracker, TwoPeopleTheRegisterConfirmedAreNotOnePerson) {
  DuplicateTracker t;
  RowKeys a{.id_key = 1, .person_check = 7, .person_key = 99, .confirmed = true};
  RowKeys b{.id_key = 2, .person_check = 7, .person_key = 99, .confirmed = true};
  EXPECT_EQ(t.Add(a, 2).same_person_line, 0);
  EXPECT_EQ(t.Add(b, 3).same_person_line, 0);  // namesakes born the same day
  RowKeys c{.id_key = 3, .person_check = 7, .person_key = 99, .confirmed = false};
  EXPECT_EQ(t.Add(c, 4).same_person_line, 2);
}

TEST(DuplicateTracker, GrowsAndKeepsEveryKey) {
  DuplicateTracker t;
  for (uint64_t i = 1; i <= 100000; ++i) {
    ASSERT_EQ(t.Add(RowKeys{.id_key = i, .person_check = 1, .person_key = i * 31}, i).same_id_line,
              0);
  }
  EXPECT_EQ(t.Add(RowKeys{.id_key = 5000, .person_check = 2}, 100001).same_id_line, 5000);
  EXPECT_EQ(t.Add(RowKeys{.id_key = 7, .person_key = 6000 * 31}, 100002).same_person_line, 6000);
  EXPECT_LE(t.MemoryBytes(), 2u * 262144 * 16);
}

TEST(DuplicateTracker, ReserveSizesToTheRowsNotToAPowerOfTwo) {
  DuplicateTracker t;
  t.Reserve(300000);
  // Load 0.8 at the hint: 375,000 slots a table (a power of two would be 524,288).
  EXPECT_LE(t.MemoryBytes(), 2u * 376000 * 16);
  EXPECT_GE(t.MemoryBytes(), 2u * 375000 * 16);
  const size_t reserved = t.MemoryBytes();
  for (uint64_t i = 1; i <= 300000; ++i) {
    ASSERT_EQ(
        t.Add(RowKeys{.id_key = i * 7919, .person_check = 1, .person_key = i}, i).same_id_line, 0);
  }
  EXPECT_EQ(t.MemoryBytes(), reserved);  // not rehashed
  EXPECT_EQ(
      t.Add(RowKeys{.id_key = uint64_t{7919} * 299999, .person_check = 2}, 300001).same_id_line,
      299999);
  EXPECT_TRUE(t.Add(RowKeys{.id_key = 7919, .person_check = 1}, 300002).repeated);
}

TEST_F(ReconcilerTest, MapErrorsWriteNothing) {
  ReconcileOptions o;
  o.map = "so=id";
  auto s = Run("id,full_name\n" + std::string(kAn) + ",Nguyễn Văn An\n", o);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "reconcile.unknown_column");
  EXPECT_FALSE(std::filesystem::exists(ReportPath()));
  EXPECT_FALSE(std::filesystem::exists(ReportPath().string() + ".tmp"));

  auto empty = Run("");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, "reconcile.empty");
  auto missing = Reconcile(*verifier_, dir_.path() / "nope.csv", ReportPath(), {}, clock_);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "io.read");
  EXPECT_FALSE(std::filesystem::exists(ReportPath()));
}

TEST_F(ReconcilerTest, ManyRowsKeepInputOrderAcrossBatchesAndWorkers) {
  std::string csv = "id,full_name,date_of_birth\n";
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    if (i % 3 == 0) {
      csv += std::string(kAn) + ",Nguyễn Văn An,14/03/1985\n";
    } else if (i % 3 == 1) {
      csv += std::string(kBinh) + ",Trần Thị Bình,31/02/1988\n";
    } else {
      csv += "\n";  // blank lines count for line numbers only
    }
  }
  ReconcileOptions o;
  o.batch_rows = 97;
  o.threads = 3;
  int64_t last_rows = 0;
  o.progress = [&](const ReconcileProgress& p) {
    EXPECT_GE(p.rows, last_rows);
    last_rows = p.rows;
  };
  auto s = Run(csv, o);
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ(rows_.size(), static_cast<size_t>(n - n / 3));
  int64_t line = 1;
  for (const Row& r : rows_) {
    int64_t at = std::stoll(r.at("line"));
    ASSERT_GT(at, line);
    line = at;
    ASSERT_EQ(r.at("status"), (at - 2) % 3 == 0 ? "MATCH" : "ERROR") << at;
  }
  EXPECT_EQ(last_rows, s->rows);
}

TEST_F(ReconcilerTest, CancelRemovesThePartialReport) {
  std::string csv = "id\n";
  for (int i = 0; i < 5000; ++i) csv += std::string(kAn) + "\n";
  std::atomic<bool> cancel{false};
  ReconcileOptions o;
  o.batch_rows = 100;
  o.cancel = &cancel;
  o.progress = [&](const ReconcileProgress&) { cancel = true; };
  auto s = Run(csv, o);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "reconcile.cancelled");
  EXPECT_FALSE(std::filesystem::exists(ReportPath()));
  EXPECT_FALSE(std::filesystem::exists(ReportPath().string() + ".tmp"));
}

}  // namespace
}  // namespace dancu::verify
