#include "core/ethnicity.h"

#include <array>
#include <string>
#include <unordered_map>

#include "core/person_name.h"

namespace dancu {
namespace {

// Danh mục các thành phần dân tộc Việt Nam, Decision 121-TCTK/PPCĐ
// (2 March 1979), in its code order; the names use today's usual spelling.
// Note: the later GSO list of Decision 1019/QĐ-TCTK (2008) orders the groups
// differently (04 Mường, 05 Khmer, 06 Hoa, ...); the register keeps the 1979
// codes, which civil-status and health-insurance systems use.
constexpr std::array<Ethnicity, 54> kEthnicities = {{
    {1, "Kinh"},     {2, "Tày"},         {3, "Thái"},          {4, "Hoa"},       {5, "Khmer"},
    {6, "Mường"},    {7, "Nùng"},        {8, "Mông"},          {9, "Dao"},       {10, "Gia Rai"},
    {11, "Ngái"},    {12, "Ê Đê"},       {13, "Ba Na"},        {14, "Xơ Đăng"},  {15, "Sán Chay"},
    {16, "Cơ Ho"},   {17, "Chăm"},       {18, "Sán Dìu"},      {19, "Hrê"},      {20, "Mnông"},
    {21, "Ra Glai"}, {22, "Xtiêng"},     {23, "Bru Vân Kiều"}, {24, "Thổ"},      {25, "Giáy"},
    {26, "Cơ Tu"},   {27, "Giẻ Triêng"}, {28, "Mạ"},           {29, "Khơ Mú"},   {30, "Co"},
    {31, "Tà Ôi"},   {32, "Chơ Ro"},     {33, "Kháng"},        {34, "Xinh Mun"}, {35, "Hà Nhì"},
    {36, "Chu Ru"},  {37, "Lào"},        {38, "La Chí"},       {39, "La Ha"},    {40, "Phù Lá"},
    {41, "La Hủ"},   {42, "Lự"},         {43, "Lô Lô"},        {44, "Chứt"},     {45, "Mảng"},
    {46, "Pà Thẻn"}, {47, "Cờ Lao"},     {48, "Cống"},         {49, "Bố Y"},     {50, "Si La"},
    {51, "Pu Péo"},  {52, "Brâu"},       {53, "Ơ Đu"},         {54, "Rơ Măm"},
}};

// Other names found in agency files. Case, diacritics, hyphens, apostrophes
// and spaces do not matter (see Key), so "Khơ-me", "H'Mông", "Ê-đê", "Raglai"
// and "Gié Triêng" need no entry.
constexpr std::array<Ethnicity, 9> kAliases = {{
    {1, "Việt"},
    {4, "Hán"},
    {5, "Khơ Me"},
    {8, "Hmông"},
    {22, "Stiêng"},
    {23, "Vân Kiều"},
    {23, "Bru"},
    {29, "Khmu"},
    {51, "Pu Piéo"},
}};

// The lookup key: folded (case, diacritics, đ) with everything but letters
// and digits removed.
std::string Key(std::string_view text) {
  std::string folded = FoldName(text);
  std::string key;
  key.reserve(folded.size());
  for (char c : folded) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80) {
      key.push_back(c);
    }
  }
  return key;
}

const std::unordered_map<std::string, int>& ByKey() {
  static const auto* map = [] {
    auto* m = new std::unordered_map<std::string, int>();
    for (const Ethnicity& e : kEthnicities) m->emplace(Key(e.name), e.code);
    for (const Ethnicity& e : kAliases) m->emplace(Key(e.name), e.code);
    return m;
  }();
  return *map;
}

}  // namespace

std::span<const Ethnicity> AllEthnicities() { return kEthnicities; }

Result<int> ParseEthnicity(std::string_view text) {
  std::string_view trimmed = text;
  while (!trimmed.empty() && trimmed.front() == ' ') trimmed.remove_prefix(1);
  while (!trimmed.empty() && trimmed.back() == ' ') trimmed.remove_suffix(1);
  bool digits = !trimmed.empty() && trimmed.size() <= 3;
  for (char c : trimmed) digits = digits && c >= '0' && c <= '9';
  if (digits) {
    const int code = std::stoi(std::string(trimmed));
    if (code >= 1 && code <= static_cast<int>(kEthnicities.size())) return code;
    return Fail("ethnicity.unknown", "no ethnic group has code " + std::string(trimmed));
  }
  const std::string key = Key(trimmed);
  if (!key.empty()) {
    const auto& map = ByKey();
    if (auto it = map.find(key); it != map.end()) return it->second;
  }
  return Fail("ethnicity.unknown", "unknown ethnic group '" + std::string(text) + "'");
}

}  // namespace dancu
