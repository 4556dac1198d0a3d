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
// judge: Record carries the fields it found. Blank lines are skipped (they
// still count for line numbers). Line numbers count physical lines, so a
// quoted field with embedded newlines advances them.
//
// Thread safety: one reader per thread.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
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
  // Input bytes consumed so far (records returned, and what was skipped).
  int64_t offset() const { return consumed_before_buffer_ + static_cast<int64_t>(pos_); }

 private:
  // Refills the buffer; false at end of input.
  bool Fill();
  // The next byte (0..255) without consuming it, or -1 at end of input.
  int Peek() {
    if (pos_ == end_ && !Fill()) return -1;
    return static_cast<unsigned char>(buf_[pos_]);
  }
  // Consumes input up to and including the next line break (resynchronising
  // after a bad record).
  void SkipRestOfLine();
  // Consumes one line break (LF, CRLF or a lone CR) at the current position.
  void ConsumeLineBreak(int c);
  // Appends the buffered bytes up to the next byte in `stops` (or the end of
  // the buffer) to `field`, counting them in `bytes`; false once the record
  // is longer than max_record_bytes.
  bool AppendRun(const bool* stops, std::string& field, size_t& bytes);
  bool TooLong(CsvRecord& record, std::optional<Error>& error);
  bool Reject(CsvRecord& record, std::optional<Error>& error, const char* code,
              const std::string& what, bool skip_line);

  std::istream& in_;
  CsvOptions options_;
  int64_t line_ = 1;
  bool first_ = true;
  std::unique_ptr<char[]> buf_;
  size_t pos_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  int64_t consumed_before_buffer_ = 0;  // input bytes before buf_[0]
  // Bytes that end an unquoted run: the separator, '"', CR, LF.
  bool stops_[256] = {};
};

// Parses a whole in-memory CSV text (for embedded reference data), header row
// included; aborts on a malformed record since the data is compiled in.
std::vector<std::vector<std::string>> ParseCsvText(std::string_view text);

// Writes one CSV field, quoting when needed.
void AppendCsvField(std::string& out, std::string_view field);

}  // namespace dancu
