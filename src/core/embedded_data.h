// Reference data from data/, compiled into the binary by
// cmake/EmbedData.cmake. Each constant is the file's exact bytes.
#pragma once

#include <string_view>

namespace dancu::embedded {

extern const std::string_view kProvinces2025;        // admin-units/provinces_2025.csv
extern const std::string_view kWards2025;            // admin-units/wards_2025.csv
extern const std::string_view kPre2025Provinces;     // admin-units/pre2025_provinces.csv
extern const std::string_view kPre2025Districts;     // admin-units/pre2025_districts.csv
extern const std::string_view kPre2025Wards;         // admin-units/pre2025_wards.csv
extern const std::string_view kMappingWards;         // admin-units/mapping_wards_pre2025_to_2025.csv
extern const std::string_view kMappingProvinces;     // admin-units/mapping_provinces_pre2025_to_2025.csv
extern const std::string_view kIdProvinceCodes;      // id-codes/province_codes_crosswalk.csv
extern const std::string_view kSurnames;             // names/surnames.csv
extern const std::string_view kMiddleNames;          // names/middle_names_by_gender.csv
extern const std::string_view kGivenNames;           // names/given_names_by_gender.csv
extern const std::string_view kCommonPasswords;      // passwords/common_passwords.txt

}  // namespace dancu::embedded
