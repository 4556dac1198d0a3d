#include "synth/tables.h"

#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <numeric>
#include <utility>

#include "core/admin_units.h"
#include "core/csv.h"
#include "core/embedded_data.h"
#include "core/person_name.h"

namespace dancu::synth::internal {

AliasTable::AliasTable(std::span<const double> weights) : n_(weights.size()) {
  threshold_.assign(n_, 0);
  alias_.assign(n_, 0);
  if (n_ == 0) return;
  double sum = 0;
  for (double w : weights) sum += w > 0 ? w : 0;
  if (sum <= 0) {
    std::fputs("dancu: synth alias table with no positive weight\n", stderr);
    std::abort();
  }
  // Vose's method: columns with scaled weight < 1 are topped up by one
  // column with weight > 1.
  std::vector<double> scaled(n_);
  std::vector<uint32_t> small, large;
  for (size_t i = 0; i < n_; ++i) {
    scaled[i] = (weights[i] > 0 ? weights[i] : 0) * static_cast<double>(n_) / sum;
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<uint32_t>(i));
  }
  constexpr double kOne = 4294967296.0;  // 2^32
  while (!small.empty() && !large.empty()) {
    const uint32_t s = small.back();
    small.pop_back();
    const uint32_t l = large.back();
    threshold_[s] = static_cast<uint64_t>(scaled[s] * kOne);
    alias_[s] = l;
    scaled[l] -= 1.0 - scaled[s];
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // What is left has weight 1 up to rounding: always itself.
  for (uint32_t i : large) threshold_[i] = 1ull << 32, alias_[i] = i;
  for (uint32_t i : small) threshold_[i] = 1ull << 32, alias_[i] = i;
}

namespace {

[[noreturn]] void DataDefect(const char* what) {
  std::fprintf(stderr, "dancu: synth reference data: %s\n", what);
  std::abort();
}

// One token (surname, given name) or space-separated tokens (middle name)
// that PersonName accepts as written.
bool UsableNamePart(const std::string& part, bool single_token) {
  if (part.empty()) return !single_token;
  auto parsed = PersonName::Parse("X " + part + " Y");
  if (!parsed || parsed->text() != "X " + part + " Y") return false;
  return !single_token || parsed->tokens().size() == 3;
}

std::string_view FirstToken(std::string_view s) { return s.substr(0, s.find(' ')); }

void LoadNames(Tables& t) {
  // surname,count_total,share,count_locle1011,count_uit
  {
    auto rows = ParseCsvText(embedded::kSurnames);
    std::vector<double> w;
    size_t nguyen = SIZE_MAX;
    for (size_t r = 1; r < rows.size(); ++r) {
      if (rows[r].size() < 2) DataDefect("surnames.csv: short row");
      const double count = std::atof(rows[r][1].c_str());
      if (count < 2 || !UsableNamePart(rows[r][0], true)) continue;
      if (rows[r][0] == "Nguyễn") nguyen = t.surnames.size();
      t.surnames.push_back(rows[r][0]);
      w.push_back(count);
    }
    if (t.surnames.empty()) DataDefect("surnames.csv: no usable row");
    // The source lists are school and forum rolls where Nguyễn has 21%; its
    // national share is about 38% (data/names/README.md).
    if (nguyen != SIZE_MAX) {
      const double rest = std::accumulate(w.begin(), w.end(), 0.0) - w[nguyen];
      w[nguyen] = rest * 0.38 / 0.62;
    }
    t.surname = AliasTable(w);
  }
  // middle_name,male_count,female_count. The empty middle name is a value.
  // Drop the few obviously mislabelled rows ("Thị" for men, "Văn" for women).
  {
    auto rows = ParseCsvText(embedded::kMiddleNames);
    std::array<std::vector<double>, 2> w;
    for (size_t r = 1; r < rows.size(); ++r) {
      if (rows[r].size() < 3) DataDefect("middle_names_by_gender.csv: short row");
      const std::string& m = rows[r][0];
      if (!UsableNamePart(m, false)) continue;
      for (int sex = 0; sex < 2; ++sex) {
        const double count = std::atof(rows[r][1 + sex].c_str());
        if (count < 2) continue;
        if (sex == 0 && FirstToken(m) == "Thị") continue;
        if (sex == 1 && FirstToken(m) == "Văn") continue;
        t.middles[sex].push_back(m);
        w[sex].push_back(count);
      }
    }
    for (int sex = 0; sex < 2; ++sex) {
      if (w[sex].empty()) DataDefect("middle_names_by_gender.csv: no usable row");
      t.middle[sex] = AliasTable(w[sex]);
    }
  }
  // given_name,male_count,female_count,unlabeled_count_uit
  {
    auto rows = ParseCsvText(embedded::kGivenNames);
    std::array<std::vector<double>, 2> w;
    for (size_t r = 1; r < rows.size(); ++r) {
      if (rows[r].size() < 3) DataDefect("given_names_by_gender.csv: short row");
      const std::string& g = rows[r][0];
      if (!UsableNamePart(g, true)) continue;
      for (int sex = 0; sex < 2; ++sex) {
        const double count = std::atof(rows[r][1 + sex].c_str());
        if (count < 2) continue;
        t.givens[sex].push_back(g);
        w[sex].push_back(count);
      }
    }
    for (int sex = 0; sex < 2; ++sex) {
      if (w[sex].empty()) DataDefect("given_names_by_gender.csv: no usable row");
      t.given[sex] = AliasTable(w[sex]);
    }
  }
}

// Population of the 34 current provinces in millions (sums of the merged
// provinces, about 2024). Only relative sizes matter.
constexpr std::pair<std::string_view, double> kProvincePopulation[] = {
    {"01", 8.6}, {"04", 0.54}, {"08", 1.7},  {"11", 0.63}, {"12", 0.48}, {"14", 1.3},  {"15", 1.6},
    {"19", 1.6}, {"20", 0.8},  {"22", 1.35}, {"24", 3.4},  {"25", 3.6},  {"31", 4.05}, {"33", 3.2},
    {"37", 3.8}, {"38", 3.7},  {"40", 3.4},  {"42", 1.3},  {"44", 1.55}, {"46", 1.16}, {"48", 2.7},
    {"51", 1.8}, {"52", 3.1},  {"56", 1.85}, {"66", 2.8},  {"68", 3.2},  {"75", 4.2},  {"79", 13.4},
    {"80", 2.9}, {"82", 3.4},  {"86", 3.3},  {"91", 3.6},  {"92", 3.2},  {"96", 2.1}};

constexpr std::string_view kSouth[] = {"75", "79", "80", "82", "86", "91", "92", "96"};
constexpr std::string_view kUplands[] = {"04", "08", "11", "12", "14", "15", "20"};

// Population of each ethnic group in thousands (2019 census), by code - 1.
constexpr double kNationalEthnicity[54] = {
    82085, 1846, 1820, 750,  1320, 1452, 1083, 1394, 891,  513,  1.6,  399,  287,  213,
    201,   200,  179,  184,  149,  127,  147,  100,  94.6, 91.4, 67.9, 74.2, 63.3, 50.3,
    90.6,  40.4, 52.4, 29.5, 16.2, 29.5, 25.5, 23.2, 17.5, 15.1, 10.2, 12.5, 12.1, 6.8,
    4.8,   7.5,  4.7,  8.2,  4.0,  2.7,  3.2,  0.9,  0.9,  0.5,  0.4,  0.6};

struct ProvinceEthnicity {
  std::string_view province;
  double kinh_share;
  std::initializer_list<std::pair<int, double>> minorities;  // code, weight
};

// Where the ethnic minorities live (2019 census, rounded; merged provinces).
// clang-format off
const ProvinceEthnicity kProvinceEthnicity[] = {
    {"04", 0.06, {{2, 40}, {7, 30}, {8, 10}, {9, 10}}},
    {"08", 0.25, {{8, 30}, {2, 25}, {9, 15}, {7, 5}, {15, 5}, {25, 2}, {38, 2}, {46, 1}, {43, 1}, {49, 1}, {51, 0.5}, {47, 0.5}}},
    {"11", 0.18, {{3, 38}, {8, 35}, {29, 3}, {9, 2}, {35, 1.3}, {37, 1}, {48, 0.4}, {50, 0.1}}},
    {"12", 0.15, {{3, 32}, {8, 25}, {9, 13}, {35, 5}, {25, 5}, {41, 3}, {42, 1.5}, {45, 1}, {48, 0.3}}},
    {"14", 0.17, {{3, 53}, {8, 17}, {6, 8}, {34, 2}, {9, 2}, {29, 1.5}, {33, 1}, {39, 1}, {37, 0.5}}},
    {"15", 0.45, {{8, 20}, {2, 12}, {9, 12}, {3, 4}, {25, 2}, {7, 2}, {40, 1}, {6, 1}, {35, 0.5}, {29, 0.5}}},
    {"19", 0.65, {{2, 20}, {7, 7}, {9, 4}, {15, 2}, {18, 1.5}, {8, 1.5}}},
    {"20", 0.16, {{7, 43}, {2, 35}, {9, 4}, {15, 1}, {8, 0.5}}},
    {"22", 0.88, {{9, 5}, {2, 2.5}, {18, 2}, {15, 1.5}, {4, 0.5}, {7, 0.5}}},
    {"24", 0.88, {{7, 5}, {2, 3}, {15, 2}, {18, 1.5}, {4, 1}, {9, 0.5}}},
    {"25", 0.75, {{6, 20}, {9, 1.5}, {3, 1.5}, {18, 1}, {2, 0.5}, {8, 0.5}}},
    {"38", 0.83, {{6, 9}, {3, 6}, {8, 0.5}, {9, 0.2}, {29, 0.1}}},
    {"40", 0.86, {{3, 9}, {29, 1.3}, {8, 1}, {53, 0.01}}},
    {"44", 0.95, {{23, 4}, {31, 0.5}, {44, 0.3}}},
    {"46", 0.97, {{31, 2}, {26, 0.8}, {23, 0.3}}},
    {"48", 0.93, {{26, 3}, {14, 2}, {27, 1.5}, {30, 0.5}}},
    {"51", 0.75, {{14, 10}, {19, 7}, {13, 4}, {30, 1.5}, {27, 1.5}, {52, 0.02}, {54, 0.02}}},
    {"52", 0.70, {{10, 18}, {13, 11}, {17, 0.3}, {19, 0.3}}},
    {"56", 0.88, {{21, 6}, {17, 5}, {16, 0.5}}},
    {"66", 0.75, {{12, 14}, {7, 2.5}, {2, 2}, {20, 2}, {10, 0.8}, {3, 0.7}, {8, 0.5}, {17, 0.3}}},
    {"68", 0.80, {{16, 6}, {20, 4}, {7, 2}, {28, 1.5}, {2, 1.5}, {17, 1}, {21, 1}, {8, 1}, {36, 0.6}, {4, 0.5}}},
    {"75", 0.88, {{22, 4}, {4, 3}, {7, 1.5}, {5, 1}, {2, 1}, {32, 0.5}, {28, 0.3}}},
    {"79", 0.94, {{4, 4.5}, {5, 0.5}, {17, 0.1}}},
    {"86", 0.89, {{5, 10.5}, {4, 0.5}}},
    {"91", 0.90, {{5, 9}, {4, 1}, {17, 0.3}}},
    {"92", 0.80, {{5, 17}, {4, 3}}},
    {"96", 0.93, {{5, 5.5}, {4, 1.5}}},
};
// clang-format on

std::vector<double> EthnicityWeights(std::string_view province) {
  const double minority_national =
      std::accumulate(std::begin(kNationalEthnicity) + 1, std::end(kNationalEthnicity), 0.0);
  std::vector<double> w(54, 0.0);
  const ProvinceEthnicity* local = nullptr;
  for (const auto& p : kProvinceEthnicity) {
    if (p.province == province) local = &p;
  }
  const double kinh = local ? local->kinh_share : 0.985;
  // Local groups take most of the minority share; a tenth follows the
  // national mix (people move).
  const double local_part = local ? 0.9 : 0.0;
  w[0] = kinh;
  for (int i = 1; i < 54; ++i) {
    w[i] = (1 - kinh) * (1 - local_part) * kNationalEthnicity[i] / minority_national;
  }
  if (local) {
    double sum = 0;
    for (const auto& [code, weight] : local->minorities) sum += weight;
    for (const auto& [code, weight] : local->minorities) {
      w[code - 1] += (1 - kinh) * local_part * weight / sum;
    }
  }
  return w;
}

// Shares in percent; "none" takes the rest. National totals (2019 census):
// Buddhism 4.8%, Catholicism 6.1%, Cao Đài 0.6%, Protestantism 1.0%,
// Hòa Hảo 1.1%, concentrated in a few regions.
std::vector<double> ReligionWeights(std::string_view p) {
  auto pick = [&](std::initializer_list<std::pair<std::string_view, double>> local, double other) {
    for (const auto& [code, share] : local) {
      if (code == p) return share;
    }
    return other;
  };
  const double buddhist = pick({{"46", 15}, {"79", 10}, {"92", 6}, {"86", 6}}, 4);
  const double catholic = pick(
      {{"37", 15}, {"75", 20}, {"79", 9}, {"68", 15}, {"40", 6}, {"42", 6}, {"44", 5}, {"33", 5}},
      3);
  const double cao_dai = pick({{"80", 15}, {"86", 3}, {"79", 1}, {"82", 1}, {"75", 0.5}}, 0.05);
  const double protestant = pick({{"52", 8},
                                  {"66", 10},
                                  {"68", 8},
                                  {"51", 4},
                                  {"08", 6},
                                  {"11", 6},
                                  {"12", 6},
                                  {"15", 4},
                                  {"79", 1}},
                                 0.3);
  const double hoa_hao = pick({{"91", 20}, {"92", 4}, {"82", 4}, {"86", 1}}, 0.03);
  const double none = 100 - buddhist - catholic - cao_dai - protestant - hoa_hao;
  return {none, buddhist, catholic, cao_dai, protestant, hoa_hao};
}

bool In(std::string_view code, std::span<const std::string_view> list) {
  for (auto c : list) {
    if (c == code) return true;
  }
  return false;
}

void LoadPlaces(Tables& t) {
  const AdminUnits& units = AdminUnits::Get();
  for (const Province& p : units.provinces()) {
    ProvinceInfo info;
    info.code = p.code;
    info.id_code = std::atoi(p.code.c_str());
    info.south = In(p.code, kSouth);
    info.uplands = In(p.code, kUplands);
    t.provinces.push_back(std::move(info));
  }
  if (t.provinces.empty() || t.provinces.size() > 255) DataDefect("unexpected province count");
  auto province_index = [&](std::string_view code) -> size_t {
    for (size_t i = 0; i < t.provinces.size(); ++i) {
      if (t.provinces[i].code == code) return i;
    }
    DataDefect("commune in an unknown province");
  };
  std::vector<double> commune_weight;
  for (const Commune& c : units.communes()) {
    const size_t p = province_index(c.province_code);
    const auto idx = static_cast<uint32_t>(t.commune_codes.size());
    t.commune_codes.push_back(c.code);
    t.commune_province.push_back(static_cast<uint8_t>(p));
    CommuneKind kind = CommuneKind::kCommune;
    if (c.full_name.starts_with("Phường")) kind = CommuneKind::kWard;
    if (c.full_name.starts_with("Đặc khu")) kind = CommuneKind::kSpecialZone;
    t.commune_kind.push_back(kind);
    commune_weight.push_back(kind == CommuneKind::kWard          ? 2.5
                             : kind == CommuneKind::kSpecialZone ? 0.5
                                                                 : 1.0);
    t.provinces[p].communes.push_back(idx);
  }
  if (t.commune_codes.empty()) DataDefect("no communes");
  std::vector<double> global(t.commune_codes.size(), 0.0);
  for (ProvinceInfo& info : t.provinces) {
    if (info.communes.empty()) DataDefect("a province without communes");
    std::vector<double> w;
    double sum = 0;
    for (uint32_t c : info.communes) {
      w.push_back(commune_weight[c]);
      sum += commune_weight[c];
    }
    info.commune = AliasTable(w);
    double population = 1.5;
    for (const auto& [code, millions] : kProvincePopulation) {
      if (code == info.code) population = millions;
    }
    for (uint32_t c : info.communes) global[c] = population * commune_weight[c] / sum;
    info.ethnicity = AliasTable(EthnicityWeights(info.code));
    info.religion = AliasTable(ReligionWeights(info.code));
  }
  t.commune = AliasTable(global);
}

}  // namespace

const Tables& GetTables() {
  static const Tables* tables = [] {
    auto* t = new Tables();  // never destroyed: shared until exit
    LoadNames(*t);
    LoadPlaces(*t);
    t->street_names = {"Lê Lợi",
                       "Trần Hưng Đạo",
                       "Nguyễn Huệ",
                       "Hai Bà Trưng",
                       "Lý Thường Kiệt",
                       "Quang Trung",
                       "Hùng Vương",
                       "Nguyễn Trãi",
                       "Lê Duẩn",
                       "Điện Biên Phủ",
                       "Trần Phú",
                       "Nguyễn Du",
                       "Lê Lai",
                       "Phan Chu Trinh",
                       "Phan Bội Châu",
                       "Võ Thị Sáu",
                       "Lê Thánh Tông",
                       "Bà Triệu",
                       "Nguyễn Văn Cừ",
                       "Lạc Long Quân",
                       "Âu Cơ",
                       "Hoàng Văn Thụ",
                       "Nguyễn Chí Thanh",
                       "Trường Chinh",
                       "Ngô Quyền",
                       "Lê Hồng Phong",
                       "Tôn Đức Thắng",
                       "Nguyễn Văn Linh",
                       "Võ Văn Kiệt",
                       "Cách Mạng Tháng Tám",
                       "Nguyễn Thị Minh Khai",
                       "Lý Thái Tổ",
                       "Trần Quang Khải",
                       "Đinh Tiên Hoàng",
                       "Lê Quý Đôn",
                       "Chu Văn An",
                       "Phạm Văn Đồng",
                       "Nguyễn Tất Thành",
                       "Hoàng Diệu",
                       "Ba Tháng Hai"};
    return t;
  }();
  return *tables;
}

}  // namespace dancu::synth::internal
