#include "linkage/record_table.h"

#include <fstream>
#include <limits>

#include "core/csv.h"

namespace dancu::linkage {

RecordTable::RecordTable(std::vector<FieldSpec> fields)
    : fields_(std::move(fields)), columns_(fields_.size()) {}

Status RecordTable::Column::Push(std::string_view value) {
  if (arena.size() + value.size() > std::numeric_limits<uint32_t>::max()) {
    return Fail("linkage.too_large", "a column holds more than 4 GiB of text");
  }
  arena += value;
  ends.push_back(static_cast<uint32_t>(arena.size()));
  return {};
}

Status RecordTable::Add(std::string_view id, std::span<const std::string_view> raw) {
  for (size_t f = 0; f < fields_.size(); ++f) {
    Normalize(fields_[f].type, raw[f], scratch_);
    if (auto s = columns_[f].Push(scratch_); !s) return s;
  }
  return ids_.Push(id);
}

Result<RecordTable> RecordTable::ReadCsv(std::istream& in, const std::vector<FieldSpec>& fields,
                                         std::string_view id_column) {
  // The separator from the header line: ';' when it has semicolons and no
  // commas (agency exports in Vietnamese locales), else ','.
  std::string header_line;
  std::getline(in, header_line);
  bool semicolon =
      header_line.find(';') != std::string::npos && header_line.find(',') == std::string::npos;
  in.clear();
  in.seekg(0);
  CsvOptions options{.separator = semicolon ? ';' : ',', .trim_leading_spaces = true};
  CsvReader reader(in, options);
  CsvRecord record;
  std::optional<Error> error;
  if (!reader.Next(record, error)) {
    return Fail("linkage.empty_input", "the file is empty (no header row)");
  }
  if (error) return std::unexpected(*error);
  const std::vector<std::string> header = record.fields;
  auto find = [&header](std::string_view name) -> Result<size_t> {
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return i;
    }
    std::string names;
    for (const auto& h : header) names += (names.empty() ? "" : ", ") + h;
    return Fail("linkage.unknown_column",
                "no column \"" + std::string(name) + "\" in the header (columns: " + names + ")",
                std::string(name));
  };
  std::vector<size_t> index;
  for (const FieldSpec& f : fields) {
    auto i = find(f.column);
    if (!i) return std::unexpected(i.error());
    index.push_back(*i);
  }
  std::optional<size_t> id_index;
  if (!id_column.empty()) {
    auto i = find(id_column);
    if (!i) return std::unexpected(i.error());
    id_index = *i;
  }

  RecordTable table(fields);
  std::vector<std::string_view> raw(fields.size());
  std::string line_id;
  while (reader.Next(record, error)) {
    if (error) {
      table.rejected_.push_back({record.line, std::move(*error)});
      error.reset();
      continue;
    }
    if (record.fields.size() != header.size()) {
      table.rejected_.push_back(
          {record.line, Error{"csv.ragged",
                              std::to_string(record.fields.size()) + " fields, the header has " +
                                  std::to_string(header.size()),
                              ""}});
      continue;
    }
    for (size_t f = 0; f < fields.size(); ++f) raw[f] = record.fields[index[f]];
    std::string_view id;
    if (id_index) {
      id = record.fields[*id_index];
    } else {
      line_id = std::to_string(record.line);
      id = line_id;
    }
    if (auto s = table.Add(id, raw); !s) return std::unexpected(s.error());
  }
  if (in.bad()) return Fail("linkage.io", "read error");
  return table;
}

Result<RecordTable> RecordTable::ReadCsvFile(const std::string& path,
                                             const std::vector<FieldSpec>& fields,
                                             std::string_view id_column) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail("linkage.io", "cannot read " + path);
  return ReadCsv(in, fields, id_column);
}

}  // namespace dancu::linkage
