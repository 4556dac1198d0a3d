// RecordTable: the records of one linkage input, stored by column: for each
// linked field an arena of normalised values (field.h Normalize), and the
// record ids. Comparisons read string_views into the arenas, so scoring a
// pair allocates nothing.
//
// CSV input (ReadCsv): a header row, then one record per row. The separator
// is ',' or ';' (chosen from the header line), leading spaces of fields are
// dropped so Febrl's ", " separator works as is, UTF-8 with or without BOM
// (core/csv.h). The id column is --id-column, else the record's line number.
//
// Errors (Error.code):
//   linkage.unknown_column  a --fields or --id-column name not in the header
//                           (the message lists the header)
//   linkage.empty_input     no header row
//   linkage.too_large       a column holds more than 4 GiB of text
//   csv.*                   a broken header row
// A broken data row (csv.bad_quote, csv.bad_utf8, csv.line_too_long, or
// csv.ragged: a field count other than the header's) is not an error of the
// whole read: it is listed in rejected() with its line number and skipped.
//
// Thread safety: immutable after reading; concurrent reads are safe.
#pragma once

#include <cstdint>
#include <istream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "linkage/field.h"

namespace dancu::linkage {

struct RejectedRow {
  int64_t line = 0;
  Error error;
};

class RecordTable {
 public:
  explicit RecordTable(std::vector<FieldSpec> fields);

  static Result<RecordTable> ReadCsv(std::istream& in, const std::vector<FieldSpec>& fields,
                                     std::string_view id_column);
  // ReadCsv of a file; linkage.io if it cannot be opened or read.
  static Result<RecordTable> ReadCsvFile(const std::string& path,
                                         const std::vector<FieldSpec>& fields,
                                         std::string_view id_column);

  // Appends a record; `raw` holds one raw value per field, in field order.
  Status Add(std::string_view id, std::span<const std::string_view> raw);

  size_t size() const { return ids_.ends.size(); }
  const std::vector<FieldSpec>& fields() const { return fields_; }
  std::string_view id(size_t row) const { return ids_.Get(row); }
  std::string_view value(size_t field, size_t row) const { return columns_[field].Get(row); }
  const std::vector<RejectedRow>& rejected() const { return rejected_; }

 private:
  struct Column {
    std::string arena;
    std::vector<uint32_t> ends;  // ends[row] = end offset of the row's value
    std::string_view Get(size_t row) const {
      uint32_t begin = row == 0 ? 0 : ends[row - 1];
      return std::string_view(arena).substr(begin, ends[row] - begin);
    }
    Status Push(std::string_view value);
  };

  std::vector<FieldSpec> fields_;
  std::vector<Column> columns_;
  Column ids_;
  std::vector<RejectedRow> rejected_;
  std::string scratch_;
};

}  // namespace dancu::linkage
