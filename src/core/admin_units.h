// AdminUnits: Vietnam's administrative units, current and pre-2025, from
// data/admin-units (compiled in; see data/admin-units/README.md).
//
//   current (since 1 July 2025): 34 provinces -> 3,321 communes (two levels)
//   pre-2025: 63 provinces -> 696 districts -> 10,035 communes
//   mapping: old commune -> one or more current communes
//
// Codes are strings with leading zeros: province "01", district "001",
// commune "00004". Old and current commune codes share one number space (many
// current communes reuse an old code), so callers say which structure a code
// is in.
//
// Errors (Error.code):
//   admin.unknown_commune    no such commune code (in the structure asked)
//   admin.unknown_province   no such province code
//   admin.ambiguous          an old commune split across several current ones;
//                            the message lists the candidate codes
//
// Thread safety: AdminUnits::Get() builds the tables once; all methods are const.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"

namespace dancu {

struct Province {
  std::string code;       // "01"
  std::string name;       // "Hà Nội"
  std::string full_name;  // "Thành phố Hà Nội"
};

struct Commune {
  std::string code;           // "00004"
  std::string province_code;  // "01"
  std::string name;
  std::string full_name;      // "Phường Ba Đình"
};

struct OldCommune {
  std::string code;
  std::string district_code;
  std::string province_code;
  std::string full_name;
  std::vector<std::string> current_codes;  // 1 = clean mapping, >1 = split
};

// A residence address: a current commune plus a free street line.
struct Address {
  std::string commune_code;
  std::string street;  // "Số 12 ngõ 34 phố Đội Cấn"
};

class AdminUnits {
 public:
  static const AdminUnits& Get();

  const std::vector<Province>& provinces() const { return provinces_; }
  const std::vector<Commune>& communes() const { return communes_; }
  const Province* FindProvince(std::string_view code) const;
  const Commune* FindCommune(std::string_view code) const;
  Result<const Commune*> RequireCommune(std::string_view code) const;

  const std::vector<OldCommune>& old_communes() const { return old_communes_; }
  const OldCommune* FindOldCommune(std::string_view code) const;
  const Province* FindOldProvince(std::string_view code) const;
  // The current province an old province code maps to ("02" -> "08").
  std::string_view OldProvinceToCurrent(std::string_view old_code) const;

  // Converts an address written in pre-2025 units to current units. Fails with
  // admin.ambiguous if the old commune was split.
  Result<Address> ConvertOldAddress(std::string_view old_commune_code,
                                    std::string_view street) const;

 private:
  AdminUnits();
  std::vector<Province> provinces_;
  std::vector<Commune> communes_;
  std::vector<Province> old_provinces_;
  std::vector<OldCommune> old_communes_;
  std::unordered_map<std::string, size_t> province_index_, commune_index_,
      old_province_index_, old_commune_index_;
  std::unordered_map<std::string, std::string> old_province_to_current_;
};

}  // namespace dancu
