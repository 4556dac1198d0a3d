#include "core/csv.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace dancu {
namespace {

// One result of CsvReader::Next: the record, or the error code it raised.
struct Row {
  int64_t line;
  std::vector<std::string> fields;  // empty when `error` is set
  std::string error;
};

std::vector<Row> ReadAll(const std::string& text, CsvOptions options = {}) {
  std::istringstream in(text);
  CsvReader reader(in, options);
  std::vector<Row> rows;
  CsvRecord record;
  std::optional<Error> error;
  while (reader.Next(record, error)) {
    if (error) {
      EXPECT_FALSE(error->message.empty());
      rows.push_back(Row{record.line, {}, error->code});
    } else {
      rows.push_back(Row{record.line, record.fields, ""});
    }
    if (rows.size() > 1000000) break;  // a reader that never ends fails, not hangs
  }
  return rows;
}

using Fields = std::vector<std::string>;

void ExpectRows(const std::vector<Row>& got, const std::vector<Row>& want,
                const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].line, want[i].line) << what << " row " << i;
    EXPECT_EQ(got[i].error, want[i].error) << what << " row " << i;
    if (want[i].error.empty()) {
      EXPECT_EQ(got[i].fields, want[i].fields) << what << " row " << i;
    }
  }
}

TEST(CsvReaderTest, WellFormedInputs) {
  struct Case {
    std::string name, text;
    std::vector<Row> want;
  };
  const Case cases[] = {
      {"simple", "a,b,c\n1,2,3\n", {{1, {"a", "b", "c"}, ""}, {2, {"1", "2", "3"}, ""}}},
      {"no final newline", "a,b\n1,2", {{1, {"a", "b"}, ""}, {2, {"1", "2"}, ""}}},
      {"empty input", "", {}},
      {"only newlines", "\n\r\n\n", {}},
      {"bom",
       "\xEF\xBB\xBFname,dob\nAn,1985\n",
       {{1, {"name", "dob"}, ""}, {2, {"An", "1985"}, ""}}},
      {"bom only", "\xEF\xBB\xBF", {}},
      {"bom later is data",
       "a\n\xEF\xBB\xBF"
       "b\n",
       {{1, {"a"}, ""},
        {2,
         {"\xEF\xBB\xBF"
          "b"},
         ""}}},
      {"crlf", "a,b\r\n1,2\r\n", {{1, {"a", "b"}, ""}, {2, {"1", "2"}, ""}}},
      {"lone cr", "a\rb\n", {{1, {"a"}, ""}, {2, {"b"}, ""}}},
      {"blank lines keep numbering",
       "a\n\n\nb\r\n\r\nc",
       {{1, {"a"}, ""}, {4, {"b"}, ""}, {6, {"c"}, ""}}},
      {"empty fields", ",,\n\"\"\n", {{1, {"", "", ""}, ""}, {2, {""}, ""}}},
      {"trailing separator", "a,\n", {{1, {"a", ""}, ""}}},
      {"quoted separator", "\"a,b\",c\n", {{1, {"a,b", "c"}, ""}}},
      {"escaped quotes", "\"say \"\"hi\"\"\",\"\"\"\"\n", {{1, {"say \"hi\"", "\""}, ""}}},
      {"quoted newline",
       "id,addr\n1,\"Số 12\nngõ 34\"\n2,x\n",
       {{1, {"id", "addr"}, ""}, {2, {"1", "Số 12\nngõ 34"}, ""}, {4, {"2", "x"}, ""}}},
      {"quoted crlf kept", "\"a\r\nb\"\r\nc\r\n", {{1, {"a\r\nb"}, ""}, {3, {"c"}, ""}}},
      {"quoted blank lines", "\"\n\n\"\nz\n", {{1, {"\n\n"}, ""}, {4, {"z"}, ""}}},
      {"quoted at eof", "\"a\"", {{1, {"a"}, ""}}},
      {"utf8", "Nguyễn Văn An,Hà Nội\n", {{1, {"Nguyễn Văn An", "Hà Nội"}, ""}}},
      {"ragged rows",
       "a,b,c\n1,2\n1,2,3,4\nx\n",
       {{1, {"a", "b", "c"}, ""},
        {2, {"1", "2"}, ""},
        {3, {"1", "2", "3", "4"}, ""},
        {4, {"x"}, ""}}},
      {"spaces kept without trim", "a, b ,c \n", {{1, {"a", " b ", "c "}, ""}}},
  };
  for (const Case& c : cases) ExpectRows(ReadAll(c.text), c.want, c.name);
}

TEST(CsvReaderTest, BrokenQuotingResynchronisesAtTheNextLine) {
  struct Case {
    std::string name, text;
    std::vector<Row> want;
  };
  const Case cases[] = {
      {"quote inside unquoted field",
       "a,b\n1,x\"y\n2,z\n",
       {{1, {"a", "b"}, ""}, {2, {}, "csv.bad_quote"}, {3, {"2", "z"}, ""}}},
      {"quote inside first field", "ab\"c\nok\n", {{1, {}, "csv.bad_quote"}, {2, {"ok"}, ""}}},
      {"text after closing quote", "\"ab\"c,d\nok\n", {{1, {}, "csv.bad_quote"}, {2, {"ok"}, ""}}},
      {"space after closing quote", "\"ab\" ,d\nok\n", {{1, {}, "csv.bad_quote"}, {2, {"ok"}, ""}}},
      {"error after a multi-line field",
       "h\n\"a\nb\"x\nnext\n",
       {{1, {"h"}, ""}, {2, {}, "csv.bad_quote"}, {4, {"next"}, ""}}},
      {"open quote at end of input",
       "h\n\"abc\nmore\n",
       {{1, {"h"}, ""}, {2, {}, "csv.bad_quote"}}},
      {"several errors in a row",
       "a\"\nb\"\n\"c\"d\ne\n",
       {{1, {}, "csv.bad_quote"},
        {2, {}, "csv.bad_quote"},
        {3, {}, "csv.bad_quote"},
        {4, {"e"}, ""}}},
      {"crlf after error", "x\"y\r\nok\r\n", {{1, {}, "csv.bad_quote"}, {2, {"ok"}, ""}}},
      {"error on last line without newline",
       "ok\nx\"y",
       {{1, {"ok"}, ""}, {2, {}, "csv.bad_quote"}}},
  };
  for (const Case& c : cases) ExpectRows(ReadAll(c.text), c.want, c.name);
}

TEST(CsvReaderTest, ErrorMessageNamesTheLine) {
  std::istringstream in("h\n\"a\nb\"x\n");
  CsvReader reader(in);
  CsvRecord record;
  std::optional<Error> error;
  ASSERT_TRUE(reader.Next(record, error));
  ASSERT_TRUE(reader.Next(record, error));
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(record.line, 2);
  EXPECT_NE(error->message.find("line 3"), std::string::npos) << error->message;
  EXPECT_NE(error->message.find("starts at line 2"), std::string::npos) << error->message;
  EXPECT_FALSE(reader.Next(record, error));
  EXPECT_FALSE(error.has_value());
}

TEST(CsvReaderTest, InvalidUtf8) {
  struct Case {
    std::string name, text;
    std::vector<Row> want;
  };
  const Case cases[] = {
      {"bad byte", "a,\xFF\nb\n", {{1, {}, "csv.bad_utf8"}, {2, {"b"}, ""}}},
      {"truncated sequence",
       "Nguy\xE1\xBB\n\xE1\xBB\x85\n",
       {{1, {}, "csv.bad_utf8"}, {2, {"\xE1\xBB\x85"}, ""}}},
      {"overlong", "\xC0\xAF\nok", {{1, {}, "csv.bad_utf8"}, {2, {"ok"}, ""}}},
      {"in a multi-line quoted field",
       "\"a\n\xFF\"\nok\n",
       {{1, {}, "csv.bad_utf8"}, {3, {"ok"}, ""}}},
      {"at end without newline", "ok\n\xFF", {{1, {"ok"}, ""}, {2, {}, "csv.bad_utf8"}}},
  };
  for (const Case& c : cases) ExpectRows(ReadAll(c.text), c.want, c.name);
}

TEST(CsvReaderTest, OversizedRecords) {
  CsvOptions small;
  small.max_record_bytes = 10;
  struct Case {
    std::string name, text;
    std::vector<Row> want;
  };
  const Case cases[] = {
      {"exactly the limit", "0123456789\n", {{1, {"0123456789"}, ""}}},
      {"limit counts separators", "01234,6789\n", {{1, {"01234", "6789"}, ""}}},
      {"one byte over", "0123456789A\nnext\n", {{1, {}, "csv.line_too_long"}, {2, {"next"}, ""}}},
      {"long line between good ones",
       "short\n0123456789ABCDEF,x,y,z\r\nnext\n",
       {{1, {"short"}, ""}, {2, {}, "csv.line_too_long"}, {3, {"next"}, ""}}},
      // A runaway quoted field is cut at the limit; the reader resumes at the
      // next physical line, where the stray closing quote is its own error.
      {"long quoted field",
       "\"0123456789abc\nrest\"\nnext\n",
       {{1, {}, "csv.line_too_long"}, {2, {}, "csv.bad_quote"}, {3, {"next"}, ""}}},
  };
  for (const Case& c : cases) ExpectRows(ReadAll(c.text, small), c.want, c.name);
}

TEST(CsvReaderTest, SemicolonSeparator) {
  CsvOptions semi;
  semi.separator = ';';
  ExpectRows(ReadAll("ho_ten;ngay_sinh;ghi_chu\nNguyễn Văn An;12/05/1985;\"a;b\",c\n", semi),
             {{1, {"ho_ten", "ngay_sinh", "ghi_chu"}, ""},
              {2, {"Nguyễn Văn An", "12/05/1985", "a;b\",c"}, "csv.bad_quote"}},
             "semicolon with bad quote");
  ExpectRows(ReadAll("a;b,c;\"d;e\"\n", semi), {{1, {"a", "b,c", "d;e"}, ""}}, "semicolon");
}

TEST(CsvReaderTest, FebrlCommaSpace) {
  const std::string febrl =
      "rec_id, given_name, surname, street_number, address_1\n"
      "rec-1-org, michaela, neumann, 8, stanley street\n"
      "rec-2-dup-0, , neumann, 8, \"stanley street, unit 2\"\n";
  CsvOptions trim;
  trim.trim_leading_spaces = true;
  ExpectRows(ReadAll(febrl, trim),
             {{1, {"rec_id", "given_name", "surname", "street_number", "address_1"}, ""},
              {2, {"rec-1-org", "michaela", "neumann", "8", "stanley street"}, ""},
              {3, {"rec-2-dup-0", "", "neumann", "8", "stanley street, unit 2"}, ""}},
             "febrl trimmed");
  auto untrimmed = ReadAll("a, b\n");
  ASSERT_EQ(untrimmed.size(), 1u);
  EXPECT_EQ(untrimmed[0].fields, (Fields{"a", " b"}));
}

TEST(CsvReaderTest, BufferBoundaries) {
  // The reader's buffer is 256 KiB; put a CRLF, an escaped quote and a BOM
  // neighbour exactly across refills, and a field larger than the buffer.
  constexpr size_t kBuf = 256 * 1024;
  CsvOptions big;
  big.max_record_bytes = 4 << 20;

  std::string crlf(kBuf - 1, 'x');
  crlf += "\r\ny\n";  // '\r' is the buffer's last byte
  auto rows = ReadAll(crlf, big);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields[0].size(), kBuf - 1);
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[1].fields, Fields{"y"});

  std::string quote = "\"" + std::string(kBuf - 2, 'q') + "\"\"z\"\nnext\n";  // "" split
  rows = ReadAll(quote, big);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].error, "");
  EXPECT_EQ(rows[0].fields[0], std::string(kBuf - 2, 'q') + "\"z");
  EXPECT_EQ(rows[1].line, 2);

  std::string huge = "a," + std::string(3 * kBuf, 'h') + ",b\nc\n";
  rows = ReadAll(huge, big);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields.size(), 3u);
  EXPECT_EQ(rows[0].fields[1].size(), 3 * kBuf);
  EXPECT_EQ(rows[1].fields, Fields{"c"});

  // A two-byte UTF-8 letter split by the refill is still valid.
  std::string split(kBuf - 1, 'a');
  split += "\xC3\xA1\n";
  rows = ReadAll(split, big);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].error, "");
}

TEST(CsvReaderTest, ManyRecordsKeepLineNumbers) {
  std::string text = "id,name,note\n";
  int64_t line = 2;
  std::vector<int64_t> want_lines;
  for (int i = 0; i < 50000; ++i) {
    want_lines.push_back(line);
    if (i % 7 == 0) {
      text += std::to_string(i) + ",\"Trần\nThị\",\"x\"\"y\"\n";
      line += 2;
    } else if (i % 11 == 0) {
      text += std::to_string(i) + ",bad\"quote,z\n";
      line += 1;
    } else {
      text += std::to_string(i) + ",Lê Văn " + std::to_string(i) + ",\r\n";
      line += 1;
    }
  }
  const auto rows = ReadAll(text);
  ASSERT_EQ(rows.size(), 50001u);
  for (int i = 0; i < 50000; ++i) {
    const Row& r = rows[i + 1];
    ASSERT_EQ(r.line, want_lines[i]) << i;
    if (i % 7 == 0) {
      ASSERT_EQ(r.fields, (Fields{std::to_string(i), "Trần\nThị", "x\"y"})) << i;
    } else if (i % 11 == 0) {
      ASSERT_EQ(r.error, "csv.bad_quote") << i;
    } else {
      ASSERT_EQ(r.fields.size(), 3u) << i;
      ASSERT_EQ(r.fields[1], "Lê Văn " + std::to_string(i));
    }
  }
}

TEST(CsvWriterTest, QuotesOnlyWhenNeeded) {
  struct Case {
    std::string field, want;
  };
  const Case cases[] = {
      {"", ""},
      {"plain", "plain"},
      {"Nguyễn Văn An", "Nguyễn Văn An"},
      {"a,b", "\"a,b\""},
      {"a;b", "\"a;b\""},
      {"say \"hi\"", "\"say \"\"hi\"\"\""},
      {"line\nbreak", "\"line\nbreak\""},
      {"cr\r", "\"cr\r\""},
      {" spaced ", " spaced "},
  };
  for (const Case& c : cases) {
    std::string out = "x";
    AppendCsvField(out, c.field);
    EXPECT_EQ(out, "x" + c.want) << c.field;
  }
}

TEST(CsvWriterTest, RoundTripsThroughTheReader) {
  const std::vector<Fields> rows = {
      {"id", "name", "address"},
      {"1", "Nguyễn \"Tí\" Văn", "Số 12, ngõ 34\nphố Đội Cấn"},
      {"2", "", "a;b"},
      {"3", "\r\n", "\"\""},
  };
  std::string text;
  for (const Fields& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i > 0) text.push_back(',');
      AppendCsvField(text, row[i]);
    }
    text += "\r\n";
  }
  EXPECT_EQ(ParseCsvText(text), rows);
}

TEST(CsvReaderTest, OffsetCountsConsumedBytesAcrossRefills) {
  // Records longer than the reader's 256 KiB buffer force refills.
  const std::string big(300 * 1024, 'x');
  const std::string text = "\xEF\xBB\xBF" "a,b\r\n" + big + ",1\n\n\"q\"\"\",2\n";
  std::istringstream in(text);
  CsvReader reader(in);
  CsvRecord record;
  std::optional<Error> error;
  EXPECT_EQ(reader.offset(), 0);
  ASSERT_TRUE(reader.Next(record, error));
  EXPECT_EQ(reader.offset(), 3 + 5);  // BOM and "a,b\r\n"
  ASSERT_TRUE(reader.Next(record, error));
  EXPECT_EQ(reader.offset(), static_cast<int64_t>(8 + big.size() + 3));
  ASSERT_TRUE(reader.Next(record, error));
  EXPECT_FALSE(reader.Next(record, error));
  EXPECT_EQ(reader.offset(), static_cast<int64_t>(text.size()));
}

TEST(ParseCsvTextTest, IncludesHeader) {
  const auto rows = ParseCsvText("code,name\n01,Hà Nội\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (Fields{"code", "name"}));
  EXPECT_EQ(rows[1], (Fields{"01", "Hà Nội"}));
}

TEST(ParseCsvTextDeathTest, AbortsOnMalformedData) {
  EXPECT_DEATH(ParseCsvText("a\nb\"c\n"), "malformed embedded CSV");
}

}  // namespace
}  // namespace dancu
