#include "core/admin_units.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace dancu {
namespace {

const AdminUnits& Units() { return AdminUnits::Get(); }

TEST(AdminUnitsTest, Counts) {
  EXPECT_EQ(Units().provinces().size(), 34u);
  EXPECT_EQ(Units().communes().size(), 3321u);
  // 10,035 communes of pre2025_wards.csv plus the 12 codes that appear only
  // in the mapping file.
  EXPECT_EQ(Units().old_communes().size(), 10047u);
}

TEST(AdminUnitsTest, GetReturnsOneInstance) { EXPECT_EQ(&AdminUnits::Get(), &AdminUnits::Get()); }

TEST(AdminUnitsTest, CurrentProvincesAndCommunes) {
  const Province* hn = Units().FindProvince("01");
  ASSERT_NE(hn, nullptr);
  EXPECT_EQ(hn->name, "Hà Nội");
  EXPECT_EQ(hn->full_name, "Thành phố Hà Nội");
  EXPECT_EQ(Units().FindProvince("02"), nullptr);  // Hà Giang merged into Tuyên Quang
  EXPECT_EQ(Units().FindProvince("1"), nullptr);   // codes keep their zeros
  EXPECT_EQ(Units().FindProvince(""), nullptr);

  const Commune* ba_dinh = Units().FindCommune("00004");
  ASSERT_NE(ba_dinh, nullptr);
  EXPECT_EQ(ba_dinh->province_code, "01");
  EXPECT_EQ(ba_dinh->name, "Ba Đình");
  EXPECT_EQ(ba_dinh->full_name, "Phường Ba Đình");
  EXPECT_EQ(Units().FindCommune("00001"), nullptr);  // an old-only code
  EXPECT_EQ(Units().FindCommune("4"), nullptr);
}

TEST(AdminUnitsTest, EveryCommuneIsInAKnownProvinceAndUnique) {
  std::set<std::string> codes;
  for (const Commune& c : Units().communes()) {
    EXPECT_EQ(c.code.size(), 5u) << c.code;
    EXPECT_NE(Units().FindProvince(c.province_code), nullptr) << c.code;
    EXPECT_EQ(Units().FindCommune(c.code), &c);
    codes.insert(c.code);
  }
  EXPECT_EQ(codes.size(), 3321u);
}

TEST(AdminUnitsTest, RequireCommune) {
  auto ok = Units().RequireCommune("00004");
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ((*ok)->code, "00004");
  for (const char* bad : {"", "00001", "99999", "0004", "000040", "abcde"}) {
    auto r = Units().RequireCommune(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code, "admin.unknown_commune") << bad;
  }
}

TEST(AdminUnitsTest, OldProvinces) {
  int found = 0;
  for (int code = 0; code < 100; ++code) {
    char text[3];
    std::snprintf(text, sizeof text, "%02d", code);
    if (const Province* p = Units().FindOldProvince(text)) {
      ++found;
      EXPECT_EQ(p->code, text);
      EXPECT_FALSE(Units().OldProvinceToCurrent(text).empty()) << text;
      EXPECT_NE(Units().FindProvince(Units().OldProvinceToCurrent(text)), nullptr) << text;
    }
  }
  EXPECT_EQ(found, 63);
  EXPECT_EQ(Units().FindOldProvince("02")->full_name, "Tỉnh Hà Giang");
  EXPECT_EQ(Units().FindOldProvince("03"), nullptr);
  EXPECT_EQ(Units().OldProvinceToCurrent("02"), "08");
  EXPECT_EQ(Units().OldProvinceToCurrent("77"), "79");
  EXPECT_EQ(Units().OldProvinceToCurrent("01"), "01");
  EXPECT_EQ(Units().OldProvinceToCurrent("03"), "");
}

TEST(AdminUnitsTest, OldCommunesMapToExistingCurrentCommunes) {
  size_t split = 0;
  for (const OldCommune& old : Units().old_communes()) {
    ASSERT_FALSE(old.current_codes.empty()) << old.code;
    EXPECT_TRUE(std::is_sorted(old.current_codes.begin(), old.current_codes.end())) << old.code;
    EXPECT_EQ(std::set<std::string>(old.current_codes.begin(), old.current_codes.end()).size(),
              old.current_codes.size())
        << old.code;
    for (const std::string& code : old.current_codes) {
      EXPECT_NE(Units().FindCommune(code), nullptr) << old.code << " -> " << code;
    }
    EXPECT_NE(Units().FindOldProvince(old.province_code), nullptr) << old.code;
    if (old.current_codes.size() > 1) ++split;
  }
  EXPECT_EQ(split, 460u);  // data/admin-units/README.md
}

TEST(AdminUnitsTest, OldCommuneDetails) {
  const OldCommune* phuc_xa = Units().FindOldCommune("00001");
  ASSERT_NE(phuc_xa, nullptr);
  EXPECT_EQ(phuc_xa->district_code, "001");
  EXPECT_EQ(phuc_xa->province_code, "01");
  EXPECT_EQ(phuc_xa->full_name, "Phường Phúc Xá");
  EXPECT_EQ(phuc_xa->current_codes, std::vector<std::string>{"00097"});

  // Only in the mapping file: kept, without a district.
  const OldCommune* mapping_only = Units().FindOldCommune("07693");
  ASSERT_NE(mapping_only, nullptr);
  EXPECT_EQ(mapping_only->district_code, "");
  EXPECT_FALSE(mapping_only->province_code.empty());
  EXPECT_EQ(mapping_only->current_codes.size(), 1u);

  // Island districts are not communes.
  EXPECT_EQ(Units().FindOldCommune("318"), nullptr);
  EXPECT_EQ(Units().FindOldCommune("00318"), nullptr);
}

TEST(AdminUnitsConvertTest, CleanMapping) {
  auto a = Units().ConvertOldAddress("00001", "Số 12 ngõ 34 phố Đội Cấn");
  ASSERT_TRUE(a.has_value()) << a.error().message;
  EXPECT_EQ(a->commune_code, "00097");
  EXPECT_EQ(a->street, "Số 12 ngõ 34 phố Đội Cấn");
  EXPECT_EQ(Units().FindCommune(a->commune_code)->full_name, "Phường Hồng Hà");
}

TEST(AdminUnitsConvertTest, CodeReusedByACurrentCommune) {
  // 00004 is both the old Trúc Bạch and the current Ba Đình.
  auto a = Units().ConvertOldAddress("00004", "");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->commune_code, "00004");
}

TEST(AdminUnitsConvertTest, SplitCommuneIsAmbiguous) {
  const OldCommune* old = Units().FindOldCommune("00019");
  ASSERT_NE(old, nullptr);
  EXPECT_EQ(old->current_codes, (std::vector<std::string>{"00004", "00070", "00190", "00226"}));
  auto a = Units().ConvertOldAddress("00019", "Số 1");
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().code, "admin.ambiguous");
  for (const char* code : {"00004", "00070", "00190", "00226"}) {
    EXPECT_NE(a.error().message.find(code), std::string::npos) << a.error().message;
  }
}

TEST(AdminUnitsConvertTest, UnknownCodes) {
  for (const char* code : {"", "1", "99999", "318", "00002", "abcde"}) {
    auto a = Units().ConvertOldAddress(code, "x");
    ASSERT_FALSE(a.has_value()) << code;
    EXPECT_EQ(a.error().code, "admin.unknown_commune") << code;
  }
}

}  // namespace
}  // namespace dancu
