#include "core/ethnicity.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/person_name.h"

namespace dancu {
namespace {

TEST(EthnicityTest, FiftyFourGroupsCodedOneToFiftyFour) {
  const auto all = AllEthnicities();
  ASSERT_EQ(all.size(), 54u);
  std::set<std::string> folded;
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].code, static_cast<int>(i + 1));
    EXPECT_FALSE(all[i].name.empty());
    EXPECT_TRUE(IsValidUtf8(all[i].name));
    folded.insert(FoldName(all[i].name));
  }
  EXPECT_EQ(folded.size(), 54u) << "two names fold to the same key";
}

TEST(EthnicityTest, CodesOfDecision121) {
  struct Case {
    int code;
    std::string_view name;
  };
  const Case cases[] = {{1, "Kinh"},  {2, "Tày"},     {3, "Thái"},  {4, "Hoa"},    {5, "Khmer"},
                        {6, "Mường"}, {7, "Nùng"},    {8, "Mông"},  {9, "Dao"},    {10, "Gia Rai"},
                        {11, "Ngái"}, {12, "Ê Đê"},   {17, "Chăm"}, {20, "Mnông"}, {21, "Ra Glai"},
                        {24, "Thổ"},  {47, "Cờ Lao"}, {52, "Brâu"}, {53, "Ơ Đu"},  {54, "Rơ Măm"}};
  const auto all = AllEthnicities();
  for (const Case& c : cases) EXPECT_EQ(all[c.code - 1].name, c.name) << c.code;
}

TEST(EthnicityTest, EveryNameParsesToItsCode) {
  for (const Ethnicity& e : AllEthnicities()) {
    EXPECT_EQ(ParseEthnicity(e.name).value_or(-1), e.code) << e.name;
    EXPECT_EQ(ParseEthnicity(FoldName(e.name)).value_or(-1), e.code) << e.name;
    EXPECT_EQ(ParseEthnicity(std::to_string(e.code)).value_or(-1), e.code);
  }
}

TEST(EthnicityTest, ParsesCodesAndSpellings) {
  struct Case {
    std::string text;
    int want;
  };
  const Case cases[] = {
      {"1", 1},           {"01", 1},          {"001", 1},
      {"54", 54},         {" 12 ", 12},       {"kinh", 1},
      {"KINH", 1},        {"Kinh", 1},        {"Việt", 1},
      {"Khơ-me", 5},      {"Khmer", 5},       {"H'Mông", 8},
      {"Hmông", 8},       {"Mong", 8},        {"Ê-đê", 12},
      {"Ede", 12},        {"Gia-rai", 10},    {"Bru-Vân Kiều", 23},
      {"Vân Kiều", 23},   {"X'Tiêng", 22},    {"Stiêng", 22},
      {"M'Nông", 20},     {"Raglai", 21},     {"Ra-glai", 21},
      {"Gié Triêng", 27}, {"Giẻ-Triêng", 27}, {"Cơ Lao", 47},
      {"Co Lao", 47},     {"Ơ-đu", 53},       {"O Du", 53},
      {"Rơ-măm", 54},     {"Tà-ôi", 31},      {"ta oi", 31},
  };
  for (const Case& c : cases) {
    auto r = ParseEthnicity(c.text);
    ASSERT_TRUE(r.has_value()) << c.text;
    EXPECT_EQ(*r, c.want) << c.text;
  }
}

TEST(EthnicityTest, Unknown) {
  for (const char* text : {"", " ", "0", "00", "55", "99", "100", "-1", "Kinhh", "Người nước ngoài",
                           "Viet Nam", "1a", "+1"}) {
    auto r = ParseEthnicity(text);
    ASSERT_FALSE(r.has_value()) << text;
    EXPECT_EQ(r.error().code, "ethnicity.unknown") << text;
  }
}

}  // namespace
}  // namespace dancu
