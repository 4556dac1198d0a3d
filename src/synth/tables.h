// Internal to synth/: the weighted reference tables the population generator
// draws from (names, communes, ethnic groups, religions, ages), built once
// from the compiled-in data/ and shared read-only by all generators.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dancu::synth::internal {

// Walker/Vose alias table: O(1) weighted sampling from one 64-bit draw (the
// high half picks a column, the low half tosses the column's coin).
class AliasTable {
 public:
  AliasTable() = default;
  explicit AliasTable(std::span<const double> weights);

  uint32_t Sample(uint64_t r) const {
    const auto i = static_cast<uint32_t>(((r >> 32) * n_) >> 32);
    return (r & 0xFFFFFFFFu) < threshold_[i] ? i : alias_[i];
  }
  size_t size() const { return n_; }

 private:
  uint64_t n_ = 0;
  std::vector<uint64_t> threshold_;  // coin threshold in [0, 2^32]
  std::vector<uint32_t> alias_;
};

enum class CommuneKind : uint8_t { kWard, kCommune, kSpecialZone };

struct ProvinceInfo {
  std::string code;                // "79"
  int id_code = 0;                 // 79 -> PPP "079"
  bool south = false;              // uses ấp / khu phố / hẻm
  bool uplands = false;            // uses bản
  std::vector<uint32_t> communes;  // indices into Tables::communes
  AliasTable commune;              // wards weighted above rural communes
  AliasTable ethnicity;            // index + 1 = ethnicity code
  AliasTable religion;             // index into kReligions
};

inline constexpr std::array<std::string_view, 6> kReligions = {"",        "Phật giáo", "Công giáo",
                                                               "Cao Đài", "Tin lành",  "Hòa Hảo"};

struct Tables {
  // Names (index 0 = male, 1 = female for the per-sex tables).
  std::vector<std::string> surnames;
  AliasTable surname;
  std::array<std::vector<std::string>, 2> middles, givens;
  std::array<AliasTable, 2> middle, given;

  // Current communes (AdminUnits order) and provinces.
  std::vector<std::string> commune_codes;
  std::vector<uint8_t> commune_province;  // index into provinces
  std::vector<CommuneKind> commune_kind;
  std::vector<ProvinceInfo> provinces;
  AliasTable commune;  // any commune, population weighted

  std::vector<std::string> street_names;
};

const Tables& GetTables();

}  // namespace dancu::synth::internal
