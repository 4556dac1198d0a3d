// eKYC consents (hub/ekyc_consents.h): grants from the account page and
// narrowing of the offer's fields, expiry by the injected clock, one-time
// consent codes (forgiving typing, single use, 10 minutes, bound to one
// agency, stored only as an HMAC), revocation by the holder only; and the
// agencies' offers derived from the members' policies (hub/ekyc_offers.h).
#include "hub/ekyc_consents.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/citizen_id.h"
#include "crypto/ec_key.h"
#include "hub/ekyc_offers.h"
#include "hub/hub_db.h"
#include "hub/members.h"
#include "support/temp_dir.h"

namespace dancu::hub {
namespace {

using namespace std::chrono_literals;

CitizenId Id(std::string_view text) { return CitizenId::Parse(text).value(); }

class EkycConsentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = OpenHubDb(dir_.path());
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    auto key = EkycConsents::LoadOrCreateCodeKey(dir_.path());
    ASSERT_TRUE(key) << key.error().message;
    auto store = EkycConsents::Open(*db_, *key, clock_, random_);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }

  static std::vector<std::string> V(std::initializer_list<const char*> l) {
    return {l.begin(), l.end()};
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::Database> db_;
  ManualClock clock_{Timestamp{std::chrono::sys_days{std::chrono::year{2026} / 11 / 23}}};
  SeededRandom random_{42};
  std::unique_ptr<EkycConsents> store_;
  const CitizenId alice_ = Id("001090000017");
  const CitizenId bob_ = Id("079185000025");
  const EkycOffer bank_{"vcb", "Vietcombank", "KYC-ACCOUNT-OPENING",
                        V({"date_of_birth", "full_name", "permanent_residence", "sex"})};
  const EkycOffer telco_{"viettel", "Viettel", "KYC-SIM", V({"date_of_birth", "full_name"})};
};

TEST_F(EkycConsentsTest, GrantTakesTheOffersFieldsOrANarrowerSet) {
  auto all = store_->Grant(alice_, bank_, {}, 90);
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(all->fields, bank_.fields);
  EXPECT_EQ(all->purpose, "KYC-ACCOUNT-OPENING");
  EXPECT_EQ(all->source, "account");
  EXPECT_TRUE(all->id.starts_with("ekc_"));
  EXPECT_EQ(all->expires_at - all->created_at, std::chrono::days{90});

  auto narrow = store_->Grant(alice_, bank_, V({"sex", "full_name", "full_name"}), 30);
  ASSERT_TRUE(narrow);
  EXPECT_EQ(narrow->fields, V({"full_name", "sex"}));
  EXPECT_NE(narrow->id, all->id);
}

TEST_F(EkycConsentsTest, GrantRejectsFieldsOutsideTheOfferAndBadLifetimes) {
  auto outside = store_->Grant(alice_, telco_, V({"permanent_residence"}), 30);
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().code, "ekyc.bad_field");
  auto unknown = store_->Grant(alice_, bank_, V({"salary"}), 30);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, "ekyc.bad_field");
  for (int days : {0, 1, 31, 366, -30}) {
    auto bad = store_->Grant(alice_, bank_, {}, days);
    ASSERT_FALSE(bad) << days;
    EXPECT_EQ(bad.error().code, "ekyc.bad_days");
  }
  auto empty = store_->Grant(alice_, EkycOffer{"x", "", "", {}}, {}, 30);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, "ekyc.bad_offer");
  EXPECT_TRUE(store_->List(alice_)->empty());  // nothing half-applied
}

TEST_F(EkycConsentsTest, FindValidNeedsSameAgencyPurposeAndCoveredFields) {
  ASSERT_TRUE(store_->Grant(alice_, bank_, V({"full_name", "date_of_birth"}), 30));
  const std::string a = alice_.ToString();
  auto found = store_->FindValid(a, "vcb", "KYC-ACCOUNT-OPENING", V({"full_name"}));
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->citizen_id, a);

  EXPECT_FALSE(
      store_->FindValid(a, "vcb", "KYC-ACCOUNT-OPENING", V({"full_name", "sex"}))->has_value());
  EXPECT_FALSE(
      store_->FindValid(a, "viettel", "KYC-ACCOUNT-OPENING", V({"full_name"}))->has_value());
  EXPECT_FALSE(store_->FindValid(a, "vcb", "OTHER-PURPOSE", V({"full_name"}))->has_value());
  EXPECT_FALSE(store_->FindValid(bob_.ToString(), "vcb", "KYC-ACCOUNT-OPENING", V({"full_name"}))
                   ->has_value());
}

TEST_F(EkycConsentsTest, ConsentExpiresByTheClock) {
  ASSERT_TRUE(store_->Grant(alice_, bank_, {}, 30));
  const std::string a = alice_.ToString();
  clock_.Advance(std::chrono::days{30} - 1s);
  EXPECT_TRUE(store_->FindValid(a, "vcb", "KYC-ACCOUNT-OPENING", V({"sex"}))->has_value());
  clock_.Advance(1s);
  EXPECT_FALSE(store_->FindValid(a, "vcb", "KYC-ACCOUNT-OPENING", V({"sex"}))->has_value());
  auto list = store_->List(alice_);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);  // still listed, no longer valid
  EXPECT_FALSE((*list)[0].ValidAt(clock_.Now()));
}

TEST_F(EkycConsentsTest, RevokeOnlyByTheHolder) {
  auto c = store_->Grant(alice_, bank_, {}, 365);
  ASSERT_TRUE(c);
  auto by_bob = store_->Revoke(bob_, c->id);
  ASSERT_FALSE(by_bob);
  EXPECT_EQ(by_bob.error().code, "ekyc.consent_not_found");
  EXPECT_TRUE(
      store_->FindValid(alice_.ToString(), "vcb", "KYC-ACCOUNT-OPENING", V({"sex"}))->has_value());

  auto unknown = store_->Revoke(alice_, "ekc_NOSUCHCONSENT000000");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, "ekyc.consent_not_found");

  const Timestamp revoked_at = clock_.Now();
  auto revoked = store_->Revoke(alice_, c->id);
  ASSERT_TRUE(revoked) << revoked.error().message;
  ASSERT_TRUE(revoked->revoked_at);
  EXPECT_EQ(*revoked->revoked_at, revoked_at);
  EXPECT_FALSE(
      store_->FindValid(alice_.ToString(), "vcb", "KYC-ACCOUNT-OPENING", V({"sex"}))->has_value());
  clock_.Advance(1h);
  auto again = store_->Revoke(alice_, c->id);  // idempotent, first time kept
  ASSERT_TRUE(again);
  EXPECT_EQ(*again->revoked_at, revoked_at);
}

TEST_F(EkycConsentsTest, ListIsTheHoldersOwnNewestFirst) {
  auto first = store_->Grant(alice_, bank_, {}, 30);
  clock_.Advance(1min);
  auto second = store_->Grant(alice_, telco_, {}, 90);
  ASSERT_TRUE(store_->Grant(bob_, bank_, {}, 30));
  auto list = store_->List(alice_);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, second->id);
  EXPECT_EQ((*list)[1].id, first->id);
  EXPECT_EQ((*list)[0].agency, "viettel");
}

TEST_F(EkycConsentsTest, CodeBecomesAConsentForItsAgencyOnce) {
  auto code = store_->CreateCode(alice_, bank_, V({"full_name"}), 90);
  ASSERT_TRUE(code) << code.error().message;
  ASSERT_EQ(code->code.size(), 9u);
  EXPECT_EQ(code->code[4], '-');
  EXPECT_EQ(code->expires_at, clock_.Now() + kConsentCodeLifetime);
  // No consent until the agency redeems it.
  EXPECT_TRUE(store_->List(alice_)->empty());

  // Another agency cannot use it (and does not spend it).
  auto other = store_->Redeem(code->code, "viettel");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, "ekyc.bad_consent_code");

  clock_.Advance(5min);
  auto consent = store_->Redeem(code->code, "vcb");
  ASSERT_TRUE(consent) << consent.error().message;
  EXPECT_EQ(consent->citizen_id, alice_.ToString());
  EXPECT_EQ(consent->agency, "vcb");
  EXPECT_EQ(consent->purpose, "KYC-ACCOUNT-OPENING");
  EXPECT_EQ(consent->fields, V({"full_name"}));
  EXPECT_EQ(consent->source, "code");
  EXPECT_EQ(consent->expires_at, clock_.Now() + std::chrono::days{90});
  EXPECT_TRUE(store_->FindValid(alice_.ToString(), "vcb", "KYC-ACCOUNT-OPENING", V({"full_name"}))
                  ->has_value());

  auto twice = store_->Redeem(code->code, "vcb");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, "ekyc.bad_consent_code");
  EXPECT_EQ(store_->List(alice_)->size(), 1u);
}

TEST_F(EkycConsentsTest, CodeExpiresAfterTenMinutes) {
  auto code = store_->CreateCode(alice_, bank_, {}, 30);
  ASSERT_TRUE(code);
  clock_.Advance(kConsentCodeLifetime);
  auto late = store_->Redeem(code->code, "vcb");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, "ekyc.bad_consent_code");
  EXPECT_TRUE(store_->List(alice_)->empty());
}

TEST_F(EkycConsentsTest, CodeTypingIsForgiving) {
  auto code = store_->CreateCode(alice_, bank_, {}, 30);
  ASSERT_TRUE(code);
  std::string typed;
  for (char c : code->code) {
    if (c == '-') {
      typed += "  ";
    } else if (c == '1') {
      typed += 'l';
    } else if (c == '0') {
      typed += 'o';
    } else {
      typed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  auto consent = store_->Redeem(typed, "vcb");
  ASSERT_TRUE(consent) << typed << ": " << consent.error().message;
}

TEST_F(EkycConsentsTest, MalformedCodesAreRefused) {
  EXPECT_EQ(EkycConsents::NormalizeCode("abcd-efgh"), "ABCDEFGH");
  EXPECT_EQ(EkycConsents::NormalizeCode("ILO0 1234"), "11001234");
  for (std::string_view bad :
       {"", "ABCD-EFG", "ABCD-EFGHJ", "ABCD-EFGU", "ABCD_EFGH", "ÀBCD-EFGH", "ABCDEFGH\n"}) {
    EXPECT_FALSE(EkycConsents::NormalizeCode(bad).has_value()) << bad;
    auto r = store_->Redeem(bad, "vcb");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "ekyc.bad_consent_code");
  }
}

TEST_F(EkycConsentsTest, CodesAreStoredOnlyAsHashes) {
  auto code = store_->CreateCode(alice_, bank_, {}, 30);
  ASSERT_TRUE(code);
  std::string plain = *EkycConsents::NormalizeCode(code->code);
  auto conn = db_->Connect();
  ASSERT_TRUE(conn);
  auto& st = (*conn)->Cached("SELECT code_hash FROM ekyc_consent_codes");
  int rows = 0;
  ASSERT_TRUE(st.ForEachRow([&] {
    ++rows;
    EXPECT_EQ(st.Text(0).size(), 64u);
    EXPECT_EQ(st.Text(0).find(plain), std::string_view::npos);
  }));
  EXPECT_EQ(rows, 1);
}

TEST_F(EkycConsentsTest, CodesSurviveReopeningWithTheSameKey) {
  auto code = store_->CreateCode(alice_, bank_, {}, 30);
  ASSERT_TRUE(code);
  store_.reset();
  auto key = EkycConsents::LoadOrCreateCodeKey(dir_.path());
  ASSERT_TRUE(key);
  auto reopened = EkycConsents::Open(*db_, *key, clock_, random_);
  ASSERT_TRUE(reopened);
  EXPECT_TRUE((*reopened)->Redeem(code->code, "vcb"));
}

// What agencies may ask citizens to consent to, from the members' policies.
class EkycOffersTest : public EkycConsentsTest {
 protected:
  void SetUp() override {
    EkycConsentsTest::SetUp();
    if (HasFatalFailure()) return;
    auto m = Members::Open(*db_, dir_.path(), clock_, random_);
    ASSERT_TRUE(m) << m.error().message;
    members_ = std::move(*m);
  }
  std::string Client(const std::string& agency, std::string_view policy) {
    boost::json::object jwks;
    jwks["keys"] = boost::json::array{crypto::EcKey::Generate().PublicJwk("k")};
    auto c = members_->AddClient(agency, boost::json::serialize(jwks));
    EXPECT_TRUE(c) << c.error().message;
    auto p = ParsePolicy(boost::json::parse(policy));
    EXPECT_TRUE(p) << p.error().message;
    EXPECT_TRUE(members_->SetPolicy(c->client_id, *p));
    return c->client_id;
  }
  void Agency(const std::string& name, const std::string& display) {
    ASSERT_TRUE(members_->AddAgency(AgencyInfo{name, "enterprise", display, "", false}));
  }
  std::unique_ptr<Members> members_;
};

TEST_F(EkycOffersTest, OnePerAgencyAndPurposeWithTheClientsFieldsMerged) {
  Agency("vcb", "Vietcombank");
  Agency("tax", "Tax office");
  Agency("old", "Closed bank");
  Client("vcb", R"({"operations":["ekyc"],"fields":["full_name"],"purpose":"KYC-A"})");
  Client("vcb", R"({"operations":["ekyc"],"fields":["sex","full_name"],"purpose":"KYC-A"})");
  Client("vcb", R"({"operations":["ekyc"],"fields":["phone"],"purpose":"KYC-B"})");
  Client("tax", R"({"operations":["verify"],"fields":["full_name"],"purpose":"TAX"})");
  std::string disabled =
      Client("vcb", R"({"operations":["ekyc"],"fields":["religion"],"purpose":"KYC-A"})");
  ASSERT_TRUE(members_->DisableClient(disabled));
  Client("old", R"({"operations":["ekyc"],"fields":["full_name"],"purpose":"KYC-OLD"})");
  ASSERT_TRUE(members_->DisableAgency("old"));

  auto offers = EkycOffers(*members_);
  ASSERT_TRUE(offers) << offers.error().message;
  ASSERT_EQ(offers->size(), 2u);
  EXPECT_EQ((*offers)[0].agency, "vcb");
  EXPECT_EQ((*offers)[0].display_name, "Vietcombank");
  EXPECT_EQ((*offers)[0].purpose, "KYC-A");
  EXPECT_EQ((*offers)[0].fields, V({"full_name", "sex"}));  // merged; the disabled one left out
  EXPECT_EQ((*offers)[1].purpose, "KYC-B");

  // Two purposes: the citizen must name one.
  EXPECT_FALSE(FindEkycOffer(*members_, "vcb", "")->has_value());
  auto b = FindEkycOffer(*members_, "vcb", "KYC-B");
  ASSERT_TRUE(b && b->has_value());
  EXPECT_EQ((*b)->fields, V({"phone"}));
  EXPECT_FALSE(FindEkycOffer(*members_, "tax", "")->has_value());
  EXPECT_FALSE(FindEkycOffer(*members_, "old", "")->has_value());
  EXPECT_FALSE(FindEkycOffer(*members_, "nobody", "")->has_value());
}

}  // namespace
}  // namespace dancu::hub
