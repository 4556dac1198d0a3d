// Officers and the level-2 upgrade: validation, officer tokens, the area
// rule, sealed templates, TOTP enrolment.
#include <gtest/gtest.h>

#include "accounts_fixture.h"
#include "crypto/encoding.h"

namespace dancu::identity {
namespace {

using testing::kPassword;

class OfficersTest : public testing::AccountsTest {};

TEST_F(OfficersTest, AddValidates) {
  struct Case {
    NewOfficer o;
    std::string code;
  } cases[] = {
      {{"Bad Name", "A", "police", "01", "officer password 1"}, "officer.bad_username"},
      {{"ab", "A", "police", "01", "officer password 1"}, "officer.bad_username"},
      {{"ok.user", "", "police", "01", "officer password 1"}, "officer.bad_name"},
      {{"ok.user", "A", "army", "01", "officer password 1"}, "officer.bad_role"},
      {{"ok.user", "A", "police", "99", "officer password 1"}, "officer.bad_area"},
      {{"ok.user", "A", "police", "0000", "officer password 1"}, "officer.bad_area"},
      {{"ok.user", "A", "police", "01", "short"}, "identity.password_too_short"},
  };
  for (const Case& c : cases) {
    auto r = officers_->Add(c.o);
    ASSERT_FALSE(r) << c.code;
    EXPECT_EQ(r.error().code, c.code);
  }
  AddOfficer("00004", "commune.officer");
  auto dup = officers_->Add({"commune.officer", "B", "civil_status", "01", "officer password 1"});
  EXPECT_EQ(dup.error().code, "officer.exists");
  auto list = officers_->List().value();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].area_code, "00004");
}

TEST_F(OfficersTest, SignInGivesAnEightHourToken) {
  AddOfficer();
  EXPECT_EQ(officers_->SignIn("officer.ha", "wrong").error().code, "officer.bad_credentials");
  EXPECT_EQ(officers_->SignIn("nobody", "wrong").error().code, "officer.bad_credentials");
  auto t = officers_->SignIn("officer.ha", "officer password 1");
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->token.starts_with(kOfficerTokenPrefix));
  auto o = officers_->Authenticate(t->token);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->username, "officer.ha");
  EXPECT_FALSE(officers_->Authenticate(t->token + "x"));
  EXPECT_FALSE(officers_->Authenticate("dancu_ak_whatever"));
  clock_.Advance(std::chrono::hours(8));
  EXPECT_FALSE(officers_->Authenticate(t->token));
}

TEST_F(OfficersTest, DisablingEndsTokensAndSignIns) {
  AddOfficer();
  auto t = officers_->SignIn("officer.ha", "officer password 1");
  ASSERT_TRUE(t);
  auto off = officers_->SetDisabled("officer.ha", true);
  ASSERT_TRUE(off) << off.error().code;
  EXPECT_TRUE(off->disabled);
  EXPECT_FALSE(officers_->Authenticate(t->token));
  EXPECT_EQ(officers_->SignIn("officer.ha", "officer password 1").error().code,
            "officer.bad_credentials");
  auto on = officers_->SetDisabled("officer.ha", false);
  ASSERT_TRUE(on);
  EXPECT_FALSE(on->disabled);
  EXPECT_FALSE(officers_->Authenticate(t->token));  // the old token stays ended
  auto again = officers_->SignIn("officer.ha", "officer password 1");
  ASSERT_TRUE(again) << again.error().code;
  EXPECT_TRUE(officers_->Authenticate(again->token));
  EXPECT_EQ(officers_->SetDisabled("nobody", true).error().code, "officer.not_found");
}

TEST_F(OfficersTest, OfficerSignInIsThrottled) {
  AddOfficer();
  for (int i = 0; i < 5; ++i) officers_->SignIn("officer.ha", "wrong");
  EXPECT_EQ(officers_->SignIn("officer.ha", "officer password 1").error().code,
            "identity.throttled");
}

TEST_F(OfficersTest, UpgradeEnrolsTotpAndSealsTemplates) {
  Account a = Register(husband_);
  auto e = accounts_->UpgradeToLevel2(
      AddOfficer("01"), UpgradeRequest{husband_.id.ToString(), "Công an phường Ba Đình",
                                       "FACE-TEMPLATE-BYTES", "FINGER-TEMPLATE-BYTES"});
  ASSERT_TRUE(e) << e.error().code;
  EXPECT_EQ(e->account.level, Level::kTwo);
  EXPECT_EQ(accounts_->Get(a.id)->level, Level::kTwo);
  EXPECT_TRUE(e->otpauth_uri.starts_with("otpauth://totp/dancu:" + husband_.id.ToString()))
      << e->otpauth_uri;
  EXPECT_NE(e->otpauth_uri.find("secret=" + e->secret_base32), std::string::npos);
  EXPECT_TRUE(e->qr_svg.starts_with("<svg"));

  // The upgrade is recorded; the templates are not stored in the clear.
  auto conn = idb_->Connect().value();
  auto& st = conn->Cached("SELECT officer, place, face, fingerprint FROM upgrades");
  ASSERT_TRUE(st.Step().value());
  EXPECT_EQ(st.Text(0), "officer.ha");
  EXPECT_EQ(st.Text(1), "Công an phường Ba Đình");
  auto face = crypto::Base64Decode(st.Text(2)).value();
  EXPECT_EQ(face.find("FACE-TEMPLATE"), std::string::npos);
  EXPECT_EQ(box_->Open(face, "face:" + std::to_string(a.id)).value(), "FACE-TEMPLATE-BYTES");
  EXPECT_FALSE(box_->Open(face, "fingerprint:" + std::to_string(a.id)));
  st.Reset();
}

TEST_F(OfficersTest, OfficerOnlyUpgradesInTheirArea) {
  Register(husband_);  // Hà Nội (province 01, commune 00004)
  Register(single_);   // Hồ Chí Minh City
  identity::Officer hanoi = AddOfficer("01");
  identity::Officer commune = AddOfficer("00004", "commune.officer");
  UpgradeRequest r{single_.id.ToString(), "Hà Nội", "F", "P"};
  EXPECT_EQ(accounts_->UpgradeToLevel2(hanoi, r).error().code, "identity.out_of_area");
  EXPECT_EQ(accounts_->UpgradeToLevel2(commune, r).error().code, "identity.out_of_area");
  r.citizen_id = husband_.id.ToString();
  EXPECT_TRUE(accounts_->UpgradeToLevel2(commune, r));
}

TEST_F(OfficersTest, UpgradeBadInput) {
  Register(husband_);
  identity::Officer o = AddOfficer("01");
  UpgradeRequest r{husband_.id.ToString(), "", "F", "P"};
  EXPECT_EQ(accounts_->UpgradeToLevel2(o, r).error().field, "place");
  r.place = "Hà Nội";
  r.face.clear();
  EXPECT_EQ(accounts_->UpgradeToLevel2(o, r).error().field, "face_template");
  r.face = "F";
  r.fingerprint = std::string(kMaxTemplateBytes + 1, 'x');
  EXPECT_EQ(accounts_->UpgradeToLevel2(o, r).error().field, "fingerprint_template");
  r.fingerprint = "P";
  r.citizen_id = wife_.id.ToString();  // no account
  EXPECT_EQ(accounts_->UpgradeToLevel2(o, r).error().code, "identity.not_found");
  EXPECT_EQ(accounts_->Get(husband_.id.number())->level, Level::kOne);
}

TEST_F(OfficersTest, WardsAreTheChildrenUnderFourteen) {
  Account father = Register(husband_);
  auto wards = accounts_->Wards(father).value();
  ASSERT_EQ(wards.size(), 1u);
  EXPECT_EQ(wards[0].id, son_.id);
  EXPECT_EQ(accounts_->Ward(father, son_.id)->id, son_.id);
  EXPECT_EQ(accounts_->Ward(father, single_.id).error().code, "identity.not_guardian");
  EXPECT_EQ(accounts_->Ward(father, husband_.id).error().code, "identity.not_guardian");
  Account mother = Register(wife_);
  EXPECT_EQ(accounts_->Wards(mother).value().size(), 1u);
  Account other = Register(single_);
  EXPECT_TRUE(accounts_->Wards(other).value().empty());
  EXPECT_EQ(accounts_->Ward(other, son_.id).error().code, "identity.not_guardian");
  // At 14 the son is no longer a ward (born 2015-01-20).
  clock_.Set(registry::testing::At(2029, 1, 20));
  EXPECT_TRUE(accounts_->Wards(father).value().empty());
}

}  // namespace
}  // namespace dancu::identity
