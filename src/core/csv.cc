#include "core/csv.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <streambuf>

#include "core/utf8.h"

namespace dancu {
namespace {

// Large enough that the per-refill istream call is noise next to the scan.
constexpr size_t kBufferBytes = 256 * 1024;

// Bytes that end a run inside a quoted field.
constexpr auto kQuotedStops = [] {
  std::array<bool, 256> t{};
  t['"'] = t['\n'] = t['\r'] = true;
  return t;
}();

}  // namespace

CsvReader::CsvReader(std::istream& in, CsvOptions options)
    : in_(in), options_(options), buf_(new char[kBufferBytes]) {
  stops_[static_cast<unsigned char>(options_.separator)] = true;
  stops_[static_cast<unsigned char>('"')] = true;
  stops_[static_cast<unsigned char>('\n')] = true;
  stops_[static_cast<unsigned char>('\r')] = true;
}

bool CsvReader::Fill() {
  if (eof_) return false;
  consumed_before_buffer_ += static_cast<int64_t>(end_);
  in_.read(buf_.get(), static_cast<std::streamsize>(kBufferBytes));
  pos_ = 0;
  end_ = static_cast<size_t>(in_.gcount());
  if (end_ == 0) eof_ = true;
  return end_ != 0;
}

void CsvReader::ConsumeLineBreak(int c) {
  ++pos_;
  if (c == '\r' && Peek() == '\n') ++pos_;
  ++line_;
}

void CsvReader::SkipRestOfLine() {
  for (;;) {
    if (pos_ == end_ && !Fill()) return;
    const char* p = buf_.get() + pos_;
    const char* e = buf_.get() + end_;
    while (p < e && *p != '\n' && *p != '\r') ++p;
    pos_ = static_cast<size_t>(p - buf_.get());
    if (p < e) {
      ConsumeLineBreak(static_cast<unsigned char>(*p));
      return;
    }
  }
}

bool CsvReader::Reject(CsvRecord& record, std::optional<Error>& error, const char* code,
                       const std::string& what, bool skip_line) {
  std::string message = "line " + std::to_string(line_) + ": " + what;
  if (line_ != record.line) {
    message += " (record starts at line " + std::to_string(record.line) + ")";
  }
  error = Error{code, std::move(message), {}};
  if (skip_line) SkipRestOfLine();
  return true;
}

bool CsvReader::AppendRun(const bool* stops, std::string& field, size_t& bytes) {
  const char* p = buf_.get() + pos_;
  const char* e = buf_.get() + end_;
  const char* s = p;
  while (p < e && !stops[static_cast<unsigned char>(*p)]) ++p;
  field.append(s, static_cast<size_t>(p - s));
  bytes += static_cast<size_t>(p - s);
  pos_ = static_cast<size_t>(p - buf_.get());
  return bytes <= options_.max_record_bytes;
}

bool CsvReader::TooLong(CsvRecord& record, std::optional<Error>& error) {
  return Reject(record, error, "csv.line_too_long",
                "record longer than " + std::to_string(options_.max_record_bytes) + " bytes", true);
}

bool CsvReader::Next(CsvRecord& record, std::optional<Error>& error) {
  error.reset();
  if (first_) {
    first_ = false;
    // A fresh stream's first read returns min(buffer, input) bytes, so a
    // BOM is either entirely in the buffer or not there.
    if (Peek() == 0xEF && end_ - pos_ >= 3 &&
        std::memcmp(buf_.get() + pos_, "\xEF\xBB\xBF", 3) == 0) {
      pos_ += 3;
    }
  }
  for (;;) {  // blank lines
    const int c = Peek();
    if (c < 0) return false;
    if (c != '\n' && c != '\r') break;
    ConsumeLineBreak(c);
  }

  record.line = line_;
  std::vector<std::string>& fields = record.fields;
  const char sep = options_.separator;
  size_t nfields = 0;
  size_t bytes = 0;  // raw bytes of this record, line break excluded
  for (;;) {
    // Field strings are reused across records so their capacity is kept.
    if (nfields == fields.size()) fields.emplace_back();
    std::string& field = fields[nfields++];
    field.clear();
    if (options_.trim_leading_spaces) {
      while (Peek() == ' ') {
        ++pos_;
        ++bytes;
      }
    }
    int c = Peek();
    if (c == '"') {
      ++pos_;
      ++bytes;
      for (;;) {
        if (pos_ == end_ && !Fill()) {
          return Reject(record, error, "csv.bad_quote", "quoted field still open at end of input",
                        false);
        }
        if (!AppendRun(kQuotedStops.data(), field, bytes)) return TooLong(record, error);
        if (pos_ == end_) continue;
        const char ch = buf_[pos_];
        ++pos_;
        ++bytes;
        if (ch == '"') {
          const int next = Peek();
          if (next == '"') {  // "" is an escaped quote
            field.push_back('"');
            ++pos_;
            ++bytes;
            continue;
          }
          c = next;
          break;
        }
        // A line break inside quotes is data, but still a physical line.
        field.push_back(ch);
        if (ch == '\r' && Peek() == '\n') {
          field.push_back('\n');
          ++pos_;
          ++bytes;
        }
        ++line_;
      }
      if (c >= 0 && c != sep && c != '\n' && c != '\r') {
        return Reject(record, error, "csv.bad_quote",
                      "text after the closing quote of field " + std::to_string(nfields), true);
      }
    } else {
      for (;;) {
        if (pos_ == end_ && !Fill()) {
          c = -1;
          break;
        }
        if (!AppendRun(stops_, field, bytes)) return TooLong(record, error);
        if (pos_ == end_) continue;
        c = static_cast<unsigned char>(buf_[pos_]);
        if (c == '"') {
          return Reject(record, error, "csv.bad_quote",
                        "quote inside unquoted field " + std::to_string(nfields), true);
        }
        break;
      }
    }
    if (c == static_cast<unsigned char>(sep)) {
      ++pos_;
      ++bytes;
      continue;
    }
    if (c >= 0) ConsumeLineBreak(c);
    break;
  }
  fields.resize(nfields);
  for (size_t i = 0; i < nfields; ++i) {
    if (!utf8::IsValid(fields[i])) {
      // The whole record has been read, so the reader is already in step.
      error = Error{"csv.bad_utf8",
                    "line " + std::to_string(record.line) + ": field " + std::to_string(i + 1) +
                        " is not valid UTF-8",
                    {}};
      return true;
    }
  }
  return true;
}

namespace {

// Reads an in-memory text through the streaming reader without copying it.
class ViewStreambuf : public std::streambuf {
 public:
  explicit ViewStreambuf(std::string_view text) {
    char* p = const_cast<char*>(text.data());  // read-only get area
    setg(p, p, p + text.size());
  }
};

}  // namespace

std::vector<std::vector<std::string>> ParseCsvText(std::string_view text) {
  ViewStreambuf buf(text);
  std::istream in(&buf);
  CsvReader reader(in);
  std::vector<std::vector<std::string>> rows;
  CsvRecord record;
  std::optional<Error> error;
  while (reader.Next(record, error)) {
    if (error) {
      // Embedded data is part of the build; a bad record is a build defect.
      std::fprintf(stderr, "dancu: malformed embedded CSV: %s\n", error->message.c_str());
      std::abort();
    }
    rows.push_back(record.fields);
  }
  return rows;
}

void AppendCsvField(std::string& out, std::string_view field) {
  if (field.find_first_of(",;\"\r\n") == std::string_view::npos) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace dancu
