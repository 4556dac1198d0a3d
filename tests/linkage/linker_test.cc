#include "linkage/linker.h"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

namespace dancu::linkage {
namespace {

std::vector<FieldSpec> Fields() { return ParseFieldSpecs("name:name,dob:date,ssn:id").value(); }

TEST(RecordTableTest, ReadsFebrlSeparatorAndReportsBrokenRows) {
  std::istringstream in(
      "rec_id, name, dob, ssn, other\n"
      "a, Nguyễn Văn An, 19850304, 123, x\n"
      "b, nguyen van an, 1985-03-04\n"    // ragged
      "c, \"broken\"quote, 1985, 1, x\n"  // bad quote
      "d, Tran Thi Binh, 04/03/1985, 456, y\n");
  auto t = RecordTable::ReadCsv(in, Fields(), "rec_id");
  ASSERT_TRUE(t) << t.error().message;
  ASSERT_EQ(t->size(), 2u);
  EXPECT_EQ(t->id(1), "d");
  EXPECT_EQ(t->value(0, 0), "nguyen van an");
  EXPECT_EQ(t->value(1, 1), "19850304");
  ASSERT_EQ(t->rejected().size(), 2u);
  EXPECT_EQ(t->rejected()[0].line, 3);
  EXPECT_EQ(t->rejected()[0].error.code, "csv.ragged");
  EXPECT_EQ(t->rejected()[1].line, 4);
  EXPECT_EQ(t->rejected()[1].error.code, "csv.bad_quote");
}

TEST(RecordTableTest, SemicolonsAndLineIds) {
  std::istringstream in("name;dob;ssn\nAn;1985;1\nBinh;1986;2\n");
  auto t = RecordTable::ReadCsv(in, Fields(), "");
  ASSERT_TRUE(t) << t.error().message;
  ASSERT_EQ(t->size(), 2u);
  EXPECT_EQ(t->id(0), "2");  // line numbers
  EXPECT_EQ(t->value(1, 1), "19860000");
}

TEST(RecordTableTest, UnknownColumn) {
  std::istringstream in("name,dob\nAn,1985\n");
  auto t = RecordTable::ReadCsv(in, Fields(), "");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, "linkage.unknown_column");
  EXPECT_EQ(t.error().field, "ssn");
  std::istringstream in2("name,dob,ssn\nAn,1985,1\n");
  auto t2 = RecordTable::ReadCsv(in2, Fields(), "rec_id");
  ASSERT_FALSE(t2);
  EXPECT_EQ(t2.error().field, "rec_id");
}

TEST(LinkerTest, DedupeFindsVietnameseVariantsAndNotStrangers) {
  RecordTable t(Fields());
  auto add = [&t](std::string_view id, std::string_view name, std::string_view dob,
                  std::string_view ssn) {
    std::string_view raw[] = {name, dob, ssn};
    ASSERT_TRUE(t.Add(id, raw));
  };
  add("1", "Nguyễn Văn An", "1985-03-04", "123456");
  add("2", "An Nguyen Van", "04/03/1985", "");         // given name first, no diacritics
  add("3", "Nguyễn Văn Anh", "1985-04-03", "123456");  // typo, day/month swapped
  add("4", "Trần Thị Bình", "1990-01-01", "999999");
  add("5", "Nguyễn Văn An", "1962-07-21", "555555");  // same name, another person
  LinkOptions options;
  options.threshold = 10;
  options.u_samples = 0;  // defaults: five records say nothing about u
  Linker linker(Fields(), options);
  LinkStats stats;
  auto pairs = linker.Dedupe(t, &stats);
  std::set<std::pair<std::string, std::string>> found;
  for (const auto& p : pairs) found.insert({std::string(t.id(p.left)), std::string(t.id(p.right))});
  EXPECT_TRUE(found.count({"1", "2"}));
  EXPECT_TRUE(found.count({"1", "3"}));
  // 2 and 3 share no normalised value (name typo, swapped date, no ssn), so
  // blocking never pairs them: they are linked through 1.
  EXPECT_FALSE(found.count({"2", "3"}));
  EXPECT_FALSE(found.count({"1", "5"}));
  EXPECT_EQ(found.size(), 2u);
  EXPECT_LE(stats.candidates, 10u);  // blocked: never more than all pairs
}

TEST(LinkerTest, LinkAcrossFilesAndReviewBand) {
  RecordTable left(Fields()), right(Fields());
  std::string_view a[] = {"Nguyễn Văn An", "1985-03-04", "123456"};
  std::string_view b[] = {"Nguyen Van An", "1985-03-04", "123456"};
  std::string_view c[] = {"Nguyen Van An", "1999-12-30", ""};
  ASSERT_TRUE(left.Add("L1", a));
  ASSERT_TRUE(right.Add("R1", b));
  ASSERT_TRUE(right.Add("R2", c));
  LinkOptions options;
  options.threshold = 20;
  options.review = -100;
  options.u_samples = 0;
  Linker linker(Fields(), options);
  auto pairs = linker.Link(left, right);
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_EQ(right.id(pairs[0].right), "R1");
  EXPECT_FALSE(pairs[0].needs_review);
  EXPECT_EQ(right.id(pairs[1].right), "R2");
  EXPECT_TRUE(pairs[1].needs_review);
  EXPECT_GT(pairs[0].score, pairs[1].score);
}

}  // namespace
}  // namespace dancu::linkage
