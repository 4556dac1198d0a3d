// CitizenId: the 12-digit personal identification number (số định danh cá
// nhân), `PPP G YY NNNNNN` (Decree 137/2015/NĐ-CP art. 13):
//   PPP     province of birth registration, one of the 63 codes of Circular
//           07/2016/TT-BCA (data/id-codes); numbers keep them after the 2025 merger
//   G       century and sex: 0/1 = 1900s male/female, 2/3 = 2000s, ... 8/9 = 2300s
//   YY      last two digits of the birth year
//   NNNNNN  random serial; there is no check digit
//
// Errors from Parse (Error.code):
//   id.length       not exactly 12 characters
//   id.not_digits   a character that is not 0-9
//   id.bad_province PPP is not a known province code
// Errors from FromNumber: id.length (not 0..999999999999), id.bad_province.
// Errors from Make/Allocate:
//   id.bad_province       not a known PPP code
//   id.year_out_of_range  birth year outside 1900-2399
//   id.bad_serial         serial above 999999
// Errors from CheckConsistent:
//   id.sex_mismatch   G does not fit the stated sex
//   id.year_mismatch  G/YY do not fit the stated birth year
//
// A CitizenId is a value type, stored as its 12-digit number in an int64.
// Thread safety: immutable; the province table is built once, thread-safely.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/sex.h"

namespace dancu {

class Random;

class CitizenId {
 public:
  CitizenId() = default;

  static Result<CitizenId> Parse(std::string_view text);
  // From the stored number. Fails like Parse if the number is not a valid id.
  static Result<CitizenId> FromNumber(int64_t number);
  // Builds the id for a birth: province_code is the 3-digit PPP ("001"),
  // birth_year in [1900, 2399], serial in [0, 999999].
  static Result<CitizenId> Make(int province_code, Sex sex, int birth_year,
                                uint32_t serial);
  // A random serial for the given prefix. Uniqueness is the caller's job
  // (registry/ checks the register and retries).
  static Result<CitizenId> Allocate(int province_code, Sex sex, int birth_year,
                                    Random& random);

  Status CheckConsistent(Sex sex, int birth_year) const;

  int64_t number() const { return number_; }
  std::string ToString() const;  // always 12 digits, leading zeros kept
  int province_code() const { return static_cast<int>(number_ / 1000000000LL); }
  Sex sex() const;
  int birth_year() const;
  uint32_t serial() const { return static_cast<uint32_t>(number_ % 1000000); }

  auto operator<=>(const CitizenId&) const = default;

 private:
  explicit CitizenId(int64_t n) : number_(n) {}
  int64_t number_ = 0;
};

// True if PPP is one of the 63 codes of Circular 07/2016/TT-BCA.
bool IsKnownIdProvinceCode(int code);
// The 2025 province (2-digit GSO code, e.g. "08") that an ID province code
// belongs to today; empty if unknown.
std::string_view IdProvinceTo2025(int code);

// Old 9-digit identity-card number (CMND). Parse checks 9 digits only
// (errors old_id.length, old_id.not_digits).
Result<std::string> ParseOldId(std::string_view text);

}  // namespace dancu
