// The register's CSV interchange format, read by `dancu import` and written
// by `dancu export` (documented in docs/csv-format.md):
//
//   id,old_id,full_name,sex,date_of_birth,status,date_of_death,
//   permanent_commune_code,permanent_address,household_id,relationship_to_head,
//   father_id,mother_id,spouse_id,ethnicity,religion,hometown_commune_code
//
// Errors from CitizenCsvReader (Error.code, Error.field = the column):
//   csv.bad_header, csv.ragged (wrong field count), and the core parse errors
//   of each value (id.*, name.*, date.*, admin.*, ethnicity.*), plus
//   csv.bad_value for values with no richer error.
//
// Thread safety: a reader is used by one thread.
#pragma once

#include <array>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "registry/citizen.h"

namespace dancu::registry {

inline constexpr std::array<std::string_view, 17> kCitizenCsvColumns = {
    "id", "old_id", "full_name", "sex", "date_of_birth", "status", "date_of_death",
    "permanent_commune_code", "permanent_address", "household_id", "relationship_to_head",
    "father_id", "mother_id", "spouse_id", "ethnicity", "religion", "hometown_commune_code"};

// Maps a header row to column positions. Columns may come in any order;
// id, full_name, sex, date_of_birth, ethnicity, permanent_commune_code and
// permanent_address are required; an unknown or repeated column is an error.
class CitizenCsvLayout {
 public:
  static Result<CitizenCsvLayout> FromHeader(const std::vector<std::string>& header);
  // Parses one data row. `today` rejects future dates.
  Result<Citizen> Parse(const std::vector<std::string>& fields,
                        std::chrono::year_month_day today) const;
  size_t width() const { return width_; }

 private:
  std::array<int, kCitizenCsvColumns.size()> pos_{};  // -1 = absent
  size_t width_ = 0;
};

std::string CitizenCsvHeader();
// Appends one CSV line (with '\n') for `c`.
void AppendCitizenCsv(std::string& out, const Citizen& c);

}  // namespace dancu::registry
