// Reading an agency's file for bulk reconciliation (issue 3, "Bulk
// reconciliation"): which column holds which verification field, the
// separator, and turning one row's cells into a validated VerifyQuery.
//
// Columns (ColumnMap::FromHeader):
//  - the fields are those of POST /v1/verify: id, old_id, full_name,
//    date_of_birth, sex, permanent_address.commune_code,
//    permanent_address.address;
//  - `map` ("input_col=field,...") names columns explicitly. A column is
//    matched against the header as written, else after normalising both
//    (folded: lower case, no diacritics; spaces and '-' as '_'). The short
//    field names "commune_code" and "address" are accepted;
//  - every field the map does not name is then looked up in the header by
//    its name or an alias (kAliases in reconcile_input.cc: e.g. cccd and
//    so_dinh_danh for id, cmnd for old_id, ho_ten for full_name, ngay_sinh
//    and dob for date_of_birth, gioi_tinh for sex, and the register's own
//    export columns permanent_commune_code / permanent_address), so a file
//    from `dancu export` reconciles without a map. Other columns are ignored.
// Errors (all before any row is read; nothing is written):
//   reconcile.bad_map         an entry that is not input_col=field
//   reconcile.unknown_column  a map column not in the header
//   reconcile.unknown_field   a map field that is not one of the seven
//   reconcile.duplicate_field two columns for one field
//   reconcile.no_key          no column for id, old_id, full_name or
//                             date_of_birth: nothing to reconcile on
//
// Row values (ParseRow) are validated with the same core parsers as the
// verification API (CitizenId::Parse, ParseOldId, PersonName::Parse,
// AdminUnits::RequireCommune), plus the lenient date shapes agency files use
// (PartialDate::ParseLenient: yyyy-mm-dd, dd/mm/yyyy, mm/yyyy, yyyy,
// yyyymmdd) and sex as male/female/m/f/nam/nữ. Empty cells (after trimming
// blanks) are fields not given. Errors carry the core codes (id.*, old_id.*,
// name.*, date.*, admin.*) with Error.field set to the field name, and
// sex.invalid for an unknown sex.
//
// Thread safety: ColumnMap is an immutable value; ParseRow is reentrant.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "verify/verifier.h"

namespace dancu::verify {

enum class InputField { kId, kOldId, kFullName, kDateOfBirth, kSex, kCommuneCode, kAddress };
inline constexpr size_t kInputFieldCount = 7;
// "id", "old_id", ..., "permanent_address.commune_code", "permanent_address.address".
std::string_view ToString(InputField f);

struct ColumnMap {
  // The input column of each field, -1 when the file has none.
  std::array<int, kInputFieldCount> column{-1, -1, -1, -1, -1, -1, -1};
  size_t header_width = 0;  // fields in the header row

  static Result<ColumnMap> FromHeader(const std::vector<std::string>& header, std::string_view map);
  bool has(InputField f) const { return column[static_cast<size_t>(f)] >= 0; }
};

// ',' or ';': whichever occurs more often outside quotes in the header line
// (',' on a tie). `first_line` may hold more than the first line.
char SniffSeparator(std::string_view first_line);

// The query for one row; `cells` has one entry per input field (empty when
// the file has no such column or the cell is blank), in InputField order.
Result<VerifyQuery> ParseRow(const std::array<std::string_view, kInputFieldCount>& cells,
                             std::chrono::year_month_day today);
// The same into `q`, reusing its buffers when the fields it held are given
// again (the reconciler parses millions of rows into one query per worker).
// On error `q` is left unspecified.
Status ParseRow(const std::array<std::string_view, kInputFieldCount>& cells,
                std::chrono::year_month_day today, VerifyQuery& q);

}  // namespace dancu::verify
