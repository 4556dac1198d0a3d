// CsvReader: RFC 4180 CSV, streamed, with line numbers for error reports.
//
// Accepts a UTF-8 BOM, CRLF or LF line endings, quoted fields with "" escapes
// and embedded newlines, and a configurable single-byte separator (',' or ';').
// Febrl-style ", " separators are handled with trim_leading_spaces.
//
// Errors for a record (Error.code), after which reading continues at the
// next line:
//   csv.bad_quote    a quote inside an unquoted field, text after a closing
//                    quote, or a quoted field still open at end of input
//   csv.bad_utf8     a field that is not valid UTF-8
//   csv.line_too_long a record longer than max_record_bytes
// Ragged rows (a field count other than the header's) are for the caller to
// judge: Record carries the fields it found.
//
// Thread safety: one reader per thread.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace dancu {

struct CsvOptions {
  char separator = ',';
  bool trim_leading_spaces = false;
  size_t max_record_bytes = 1 << 20;  // 1 MiB
};

struct CsvRecord {
  int64_t line = 0;  // 1-based line number where the record starts
  std::vector<std::string> fields;
};

class CsvReader {
 public:
  CsvReader(std::istream& in, CsvOptions options = {});
  // Reads the next record. Returns false at end of input. On a bad record,
  // returns true and sets `error` (the record's fields are then unusable).
  bool Next(CsvRecord& record, std::optional<Error>& error);

 private:
  std::istream& in_;
  CsvOptions options_;
  int64_t line_ = 1;
  bool first_ = true;
};

// Parses a whole in-memory CSV text (for embedded reference data); aborts on
// a malformed record since the data is compiled in.
std::vector<std::vector<std::string>> ParseCsvText(std::string_view text);

// Writes one CSV field, quoting when needed.
void AppendCsvField(std::string& out, std::string_view field);

}  // namespace dancu
