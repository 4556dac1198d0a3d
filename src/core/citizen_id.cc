#include "core/citizen_id.h"

#include <array>
#include <cstdio>
#include <cstdlib>

#include "core/csv.h"
#include "core/embedded_data.h"
#include "core/random.h"

namespace dancu {
namespace {

constexpr int64_t kMaxNumber = 999'999'999'999;  // 12 digits
constexpr int kFirstYear = 1900;
constexpr int kLastYear = 2399;

// 2025 province code for each 3-digit ID province code; empty = not a code
// of Circular 07/2016/TT-BCA.
using ProvinceTable = std::array<std::string, 1000>;

const ProvinceTable& Provinces() {
  static const ProvinceTable* table = [] {
    auto* t = new ProvinceTable();
    const auto rows = ParseCsvText(embedded::kIdProvinceCodes);
    // code,province_name,gso_code_pre2025,gso_full_name_pre2025,
    // province_2025_code,province_2025_full_name
    for (size_t i = 1; i < rows.size(); ++i) {
      const auto& row = rows[i];
      if (row.size() < 6 || row[0].size() != 3 || row[4].empty()) {
        std::fprintf(stderr, "dancu: bad row %zu in province_codes_crosswalk.csv\n", i);
        std::abort();
      }
      (*t)[std::stoi(row[0])] = row[4];
    }
    return t;
  }();
  return *table;
}

// The century/sex digit G for a birth year already checked to be in range.
int CenturySexDigit(Sex sex, int birth_year) {
  return (birth_year - kFirstYear) / 100 * 2 + (sex == Sex::kFemale ? 1 : 0);
}

std::string Pad3(int code) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%03d", code);
  return buf;
}

}  // namespace

bool IsKnownIdProvinceCode(int code) {
  return code >= 0 && code < 1000 && !Provinces()[code].empty();
}

std::string_view IdProvinceTo2025(int code) {
  if (code < 0 || code >= 1000) return {};
  return Provinces()[code];
}

Result<CitizenId> CitizenId::Parse(std::string_view text) {
  if (text.size() != 12) {
    return Fail("id.length", "a personal ID number has 12 digits, got " +
                                 std::to_string(text.size()) + " characters");
  }
  int64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9')
      return Fail("id.not_digits", "a personal ID number has only digits 0-9");
    n = n * 10 + (c - '0');
  }
  const CitizenId id(n);
  if (!IsKnownIdProvinceCode(id.province_code())) {
    return Fail("id.bad_province",
                "unknown province code " + Pad3(id.province_code()) + " in personal ID number");
  }
  return id;
}

Result<CitizenId> CitizenId::FromNumber(int64_t number) {
  if (number < 0 || number > kMaxNumber) {
    return Fail("id.length", "a personal ID number has 12 digits, got " + std::to_string(number));
  }
  const CitizenId id(number);
  if (!IsKnownIdProvinceCode(id.province_code())) {
    return Fail("id.bad_province",
                "unknown province code " + Pad3(id.province_code()) + " in personal ID number");
  }
  return id;
}

Result<CitizenId> CitizenId::Make(int province_code, Sex sex, int birth_year, uint32_t serial) {
  if (!IsKnownIdProvinceCode(province_code)) {
    return Fail("id.bad_province", "unknown ID province code " + std::to_string(province_code));
  }
  if (birth_year < kFirstYear || birth_year > kLastYear) {
    return Fail("id.year_out_of_range",
                "birth year " + std::to_string(birth_year) + " cannot be encoded (1900-2399)");
  }
  if (serial > 999'999) {
    return Fail("id.bad_serial", "serial " + std::to_string(serial) + " is above 999999");
  }
  const int64_t n = int64_t{province_code} * 1'000'000'000 +
                    int64_t{CenturySexDigit(sex, birth_year)} * 100'000'000 +
                    int64_t{birth_year % 100} * 1'000'000 + serial;
  return CitizenId(n);
}

Result<CitizenId> CitizenId::Allocate(int province_code, Sex sex, int birth_year, Random& random) {
  return Make(province_code, sex, birth_year, static_cast<uint32_t>(random.Uniform(1'000'000)));
}

Status CitizenId::CheckConsistent(Sex sex, int birth_year) const {
  if (this->sex() != sex) {
    return Fail("id.sex_mismatch", "personal ID number " + ToString() + " encodes sex " +
                                       std::string(dancu::ToString(this->sex())) + ", not " +
                                       std::string(dancu::ToString(sex)));
  }
  if (this->birth_year() != birth_year) {
    return Fail("id.year_mismatch", "personal ID number " + ToString() + " encodes birth year " +
                                        std::to_string(this->birth_year()) + ", not " +
                                        std::to_string(birth_year));
  }
  return {};
}

std::string CitizenId::ToString() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%012lld", static_cast<long long>(number_));
  return buf;
}

Sex CitizenId::sex() const { return (number_ / 100'000'000) % 2 == 0 ? Sex::kMale : Sex::kFemale; }

int CitizenId::birth_year() const {
  const int g = static_cast<int>((number_ / 100'000'000) % 10);
  const int yy = static_cast<int>((number_ / 1'000'000) % 100);
  return kFirstYear + g / 2 * 100 + yy;
}

Result<std::string> ParseOldId(std::string_view text) {
  if (text.size() != 9) {
    return Fail("old_id.length", "an old identity card number (CMND) has 9 digits, got " +
                                     std::to_string(text.size()) + " characters");
  }
  for (char c : text) {
    if (c < '0' || c > '9') {
      return Fail("old_id.not_digits", "an old identity card number (CMND) has only digits 0-9");
    }
  }
  return std::string(text);
}

}  // namespace dancu
