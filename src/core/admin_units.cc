#include "core/admin_units.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "core/csv.h"
#include "core/embedded_data.h"

namespace dancu {
namespace {

using Rows = std::vector<std::vector<std::string>>;

// Embedded data is part of the build: a missing column is a build defect,
// not an input error, so it stops the process at start-up.
[[noreturn]] void DataDefect(const char* file, size_t row, const char* what) {
  std::fprintf(stderr, "dancu: %s row %zu: %s\n", file, row, what);
  std::abort();
}

// Returns the data rows (header dropped) after checking the header names the
// expected leading columns.
Rows Load(std::string_view text, const char* file, std::initializer_list<const char*> columns) {
  Rows rows = ParseCsvText(text);
  if (rows.empty()) DataDefect(file, 0, "empty file");
  size_t i = 0;
  for (const char* c : columns) {
    if (i >= rows[0].size() || rows[0][i] != c) DataDefect(file, 0, "unexpected header");
    ++i;
  }
  for (size_t r = 1; r < rows.size(); ++r) {
    if (rows[r].size() < columns.size()) DataDefect(file, r, "too few fields");
  }
  rows.erase(rows.begin());
  return rows;
}

template <class T>
const T* Find(const std::vector<T>& items, const std::unordered_map<std::string, size_t>& index,
              std::string_view code) {
  const auto it = index.find(std::string(code));
  return it == index.end() ? nullptr : &items[it->second];
}

}  // namespace

const AdminUnits& AdminUnits::Get() {
  static const AdminUnits* units = new AdminUnits();  // never destroyed: used until exit
  return *units;
}

AdminUnits::AdminUnits() {
  for (auto& r :
       Load(embedded::kProvinces2025, "provinces_2025.csv", {"code", "name", "full_name"})) {
    province_index_.emplace(r[0], provinces_.size());
    provinces_.push_back(Province{r[0], r[1], r[2]});
  }
  for (auto& r : Load(embedded::kWards2025, "wards_2025.csv",
                      {"code", "province_code", "name", "full_name"})) {
    commune_index_.emplace(r[0], communes_.size());
    communes_.push_back(Commune{r[0], r[1], r[2], r[3]});
  }
  for (auto& r :
       Load(embedded::kPre2025Provinces, "pre2025_provinces.csv", {"code", "name", "full_name"})) {
    old_province_index_.emplace(r[0], old_provinces_.size());
    old_provinces_.push_back(Province{r[0], r[1], r[2]});
  }
  for (auto& r : Load(embedded::kMappingProvinces, "mapping_provinces_pre2025_to_2025.csv",
                      {"old_province_code", "old_province_name", "new_province_code"})) {
    old_province_to_current_.emplace(r[0], r[2]);
  }
  for (auto& r : Load(embedded::kPre2025Wards, "pre2025_wards.csv",
                      {"code", "district_code", "province_code", "name", "full_name"})) {
    old_commune_index_.emplace(r[0], old_communes_.size());
    old_communes_.push_back(OldCommune{r[0], r[1], r[2], r[4], {}});
  }
  // One row per (old unit, new commune) pair. Rows for the five island
  // districts (old_level=district) have no old commune to attach to: those
  // districts had no communes, so no old address can name one.
  for (auto& r : Load(embedded::kMappingWards, "mapping_wards_pre2025_to_2025.csv",
                      {"old_province_code", "old_district_code", "old_code", "old_full_name",
                       "old_level", "new_province_code", "new_ward_code"})) {
    if (r[4] != "ward") continue;
    auto [it, inserted] = old_commune_index_.emplace(r[2], old_communes_.size());
    if (inserted) {
      // Twelve old codes appear only in the mapping (merged shortly before
      // the reform); they are still found on old records, so keep them, with
      // no district since the mapping does not give one.
      old_communes_.push_back(OldCommune{r[2], r[1], r[0], r[3], {}});
    }
    old_communes_[it->second].current_codes.push_back(r[6]);
  }
  for (OldCommune& c : old_communes_) {
    std::sort(c.current_codes.begin(), c.current_codes.end());
    c.current_codes.erase(std::unique(c.current_codes.begin(), c.current_codes.end()),
                          c.current_codes.end());
  }
}

const Province* AdminUnits::FindProvince(std::string_view code) const {
  return Find(provinces_, province_index_, code);
}

const Commune* AdminUnits::FindCommune(std::string_view code) const {
  return Find(communes_, commune_index_, code);
}

Result<const Commune*> AdminUnits::RequireCommune(std::string_view code) const {
  if (const Commune* c = FindCommune(code)) return c;
  return Fail("admin.unknown_commune", "no current commune has code '" + std::string(code) + "'");
}

const OldCommune* AdminUnits::FindOldCommune(std::string_view code) const {
  return Find(old_communes_, old_commune_index_, code);
}

const Province* AdminUnits::FindOldProvince(std::string_view code) const {
  return Find(old_provinces_, old_province_index_, code);
}

std::string_view AdminUnits::OldProvinceToCurrent(std::string_view old_code) const {
  const auto it = old_province_to_current_.find(std::string(old_code));
  return it == old_province_to_current_.end() ? std::string_view() : std::string_view(it->second);
}

Result<Address> AdminUnits::ConvertOldAddress(std::string_view old_commune_code,
                                              std::string_view street) const {
  const OldCommune* old = FindOldCommune(old_commune_code);
  if (old == nullptr || old->current_codes.empty()) {
    return Fail("admin.unknown_commune",
                "no pre-2025 commune has code '" + std::string(old_commune_code) + "'");
  }
  if (old->current_codes.size() > 1) {
    std::string list;
    for (const std::string& code : old->current_codes) {
      if (!list.empty()) list += ", ";
      list += code;
      if (const Commune* c = FindCommune(code)) list += " (" + c->full_name + ")";
    }
    return Fail("admin.ambiguous", "pre-2025 commune " + old->code + " (" + old->full_name +
                                       ") was split; choose one of: " + list);
  }
  return Address{old->current_codes.front(), std::string(street)};
}

}  // namespace dancu
