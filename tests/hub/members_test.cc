// Members (hub/members.h) with an injected clock: agencies and clients,
// policies (hub/policy.h: parsing, default deny), client credentials
// (assertion checks, jti replay across a reopen, token expiry and scope),
// the policy gate (operation, scope, rate limit and daily quota with
// Retry-After, immediate effect of a policy change, disabling) and
// per-agency pseudonyms.
#include "hub/members.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "crypto/ec_key.h"
#include "crypto/jwt.h"
#include "hub/hub_db.h"
#include "hub/rate_limiter.h"
#include "support/temp_dir.h"

namespace dancu::hub {
namespace {

using namespace std::chrono_literals;

constexpr char kEndpoint[] = "https://hub.example/v1/agency/token";
constexpr char kIssuer[] = "https://hub.example";

Policy ParseOrDie(std::string_view json) {
  auto p = ParsePolicy(boost::json::parse(json));
  EXPECT_TRUE(p) << (p ? "" : p.error().message);
  return p ? *p : Policy{};
}

class MembersTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }
  void Reopen() {
    members_.reset();
    db_.reset();
    auto db = OpenHubDb(dir_.path());
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    auto m = Members::Open(*db_, dir_.path(), clock_, random_);
    ASSERT_TRUE(m) << m.error().message;
    members_ = std::move(*m);
  }
  // An agency with one client holding `key` and `policy`.
  std::string AddClient(const std::string& agency, const crypto::EcKey& key,
                        std::string_view policy) {
    if (!members_->GetAgency(agency)) {
      EXPECT_TRUE(members_->AddAgency({agency, "enterprise", "Agency " + agency, "", false}));
    }
    boost::json::object jwks{{"keys", boost::json::array{key.PublicJwk(key.Thumbprint())}}};
    auto c = members_->AddClient(agency, boost::json::serialize(jwks), "", ParseOrDie(policy));
    EXPECT_TRUE(c) << (c ? "" : c.error().message);
    return c ? c->client_id : "";
  }
  int64_t Now() const {
    return std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch())
        .count();
  }
  std::string Assertion(const std::string& client, const crypto::EcKey& key, int64_t iat_offset = 0,
                        std::string jti = "", std::string aud = kEndpoint) {
    static int n = 0;
    if (jti.empty()) jti = "jti-" + std::to_string(++n);
    boost::json::object claims{{"iss", client}, {"sub", client}, {"aud", aud},
                               {"iat", Now() + iat_offset}, {"exp", Now() + iat_offset + 120},
                               {"jti", jti}};
    return crypto::SignJwt(key, key.Thumbprint(), claims);
  }
  std::expected<IssuedToken, OAuthError> Issue(const std::string& assertion,
                                               std::string scope = "") {
    TokenRequest r{"client_credentials",
                   "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                   assertion,
                   std::move(scope),
                   kEndpoint,
                   kIssuer,
                   ""};
    return members_->IssueToken(r);
  }

  dancu::testing::TempDir dir_;
  ManualClock clock_{Timestamp{std::chrono::seconds{1'790'000'000}}};
  SeededRandom random_{7};
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<Members> members_;
  crypto::EcKey key_ = crypto::EcKey::Generate();
};

TEST(PolicyTest, ParsesAndRefusesWithTheMemberAtFault) {
  Policy p = ParseOrDie(
      R"({"operations":["verify","ekyc","feed"],"fields":["full_name","date_of_birth"],
          "purpose":"KYC-ACCOUNT-OPENING","rate_limit":50,"daily_quota":1000,
          "feed":{"event_types":["death"],"provinces":["01"]}})");
  EXPECT_TRUE(p.Allows(Operation::kVerify));
  EXPECT_FALSE(p.Allows(Operation::kMatch));
  EXPECT_TRUE(p.AllowsField("full_name"));
  EXPECT_FALSE(p.AllowsField("citizen_id"));
  EXPECT_TRUE(p.FeedAllows("death", "01"));
  EXPECT_FALSE(p.FeedAllows("death", "79"));
  EXPECT_FALSE(p.FeedAllows("birth", "01"));
  // Round trip through its JSON form.
  auto again = ParsePolicy(PolicyToJson(p));
  ASSERT_TRUE(again);
  EXPECT_EQ(boost::json::serialize(PolicyToJson(*again)), boost::json::serialize(PolicyToJson(p)));
  // The default denies everything.
  Policy none = ParseOrDie("{}");
  for (Operation op : kOperations) EXPECT_FALSE(none.Allows(op));

  for (auto [json, field] : {std::pair{R"({"operations":["delete"]})", "operations"},
                             std::pair{R"({"fields":["password"]})", "fields"},
                             std::pair{R"({"operations":["ekyc"]})", "purpose"},
                             std::pair{R"({"purpose":"lower case"})", "purpose"},
                             std::pair{R"({"rate_limit":-1})", "rate_limit"},
                             std::pair{R"({"daily_quota":1.5})", "daily_quota"},
                             std::pair{R"({"feed":{"event_types":["party"]}})", "feed.event_types"},
                             std::pair{R"({"feed":{"provinces":["99"]}})", "feed.provinces"},
                             std::pair{R"({"fields":"full_name"})", "fields"},
                             std::pair{R"({"surprise":1})", "surprise"}}) {
    auto bad = ParsePolicy(boost::json::parse(json));
    ASSERT_FALSE(bad) << json;
    EXPECT_EQ(bad.error().code, "policy.invalid");
    EXPECT_EQ(bad.error().field, field) << json;
  }
}

TEST(RateLimiterTest, BucketRefillsAndQuotaResetsAtMidnightUtc) {
  ManualClock clock{Timestamp{std::chrono::seconds{1'790'035'200}}};  // 00:00 UTC
  RateLimiter limiter(clock);
  // 2 per second, burst 2.
  EXPECT_EQ(limiter.Take("a", 2, 100).verdict, RateLimiter::Verdict::kAllowed);
  EXPECT_EQ(limiter.Take("a", 2, 100).verdict, RateLimiter::Verdict::kAllowed);
  auto d = limiter.Take("a", 2, 100);
  EXPECT_EQ(d.verdict, RateLimiter::Verdict::kRateLimited);
  EXPECT_EQ(d.retry_after_seconds, 1);
  clock.Advance(500ms);
  EXPECT_EQ(limiter.Take("a", 2, 100).verdict, RateLimiter::Verdict::kAllowed);
  // Keys are independent; a zero rate allows nothing.
  EXPECT_EQ(limiter.Take("b", 2, 100).verdict, RateLimiter::Verdict::kAllowed);
  EXPECT_EQ(limiter.Take("c", 0, 100).verdict, RateLimiter::Verdict::kRateLimited);
  // Quota of 2 a day: spent, then back the next UTC day.
  EXPECT_EQ(limiter.Take("q", 100, 2).verdict, RateLimiter::Verdict::kAllowed);
  EXPECT_EQ(limiter.Take("q", 100, 2).verdict, RateLimiter::Verdict::kAllowed);
  clock.Advance(std::chrono::hours(20));
  auto q = limiter.Take("q", 100, 2);
  EXPECT_EQ(q.verdict, RateLimiter::Verdict::kQuotaExhausted);
  EXPECT_EQ(q.retry_after_seconds, 4 * 3600);
  clock.Advance(std::chrono::hours(4));
  EXPECT_EQ(limiter.Take("q", 100, 2).verdict, RateLimiter::Verdict::kAllowed);
}

TEST_F(MembersTest, AgenciesAndClientsAreValidated) {
  EXPECT_EQ(members_->AddAgency({"Bad Name", "enterprise", "x", "", false}).error().code,
            "agency.bad_name");
  EXPECT_EQ(members_->AddAgency({"admin", "enterprise", "x", "", false}).error().code,
            "agency.bad_name");
  EXPECT_EQ(members_->AddAgency({"ok", "club", "x", "", false}).error().code, "agency.bad_kind");
  ASSERT_TRUE(members_->AddAgency({"ok", "ministry", "Bộ Y tế", "", false}));
  EXPECT_EQ(members_->AddAgency({"ok", "ministry", "again", "", false}).error().code,
            "agency.exists");
  EXPECT_EQ(members_->AddClient("ok", R"({"keys":[]})").error().code, "client.bad_jwks");
  EXPECT_EQ(members_->AddClient("nobody", R"({"keys":[]})").error().code, "agency.not_found");
  boost::json::object jwks{{"keys", boost::json::array{key_.PublicJwk("k1")}}};
  EXPECT_EQ(members_->AddClient("ok", boost::json::serialize(jwks), "not-hex").error().code,
            "client.bad_thumbprint");
  auto c = members_->AddClient("ok", boost::json::serialize(jwks));
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->client_id.starts_with("ok."));
  // Default deny.
  EXPECT_EQ(c->policy->operations, 0u);
  EXPECT_EQ(members_->SetPolicy("ok.nothing", Policy{}).error().code, "client.not_found");
}

TEST_F(MembersTest, ClientCredentialsCheckTheAssertion) {
  std::string id = AddClient("bank", key_, R"({"operations":["verify","match"],"rate_limit":10,
                                              "daily_quota":100})");
  auto ok = Issue(Assertion(id, key_), "verify");
  ASSERT_TRUE(ok) << ok.error().description;
  EXPECT_EQ(ok->scope, "verify");
  EXPECT_EQ(ok->expires_in, 300);
  auto who = members_->AuthenticateToken(ok->access_token);
  ASSERT_TRUE(who);
  EXPECT_EQ(who->client_id, id);
  EXPECT_EQ(who->scope, Bit(Operation::kVerify));
  // No scope asked: every operation of the policy.
  auto all = Issue(Assertion(id, key_));
  ASSERT_TRUE(all);
  EXPECT_EQ(all->scope, "verify match");

  auto expect_error = [&](const std::string& assertion, std::string_view error,
                          std::string scope = "") {
    auto r = Issue(assertion, std::move(scope));
    ASSERT_FALSE(r) << assertion;
    EXPECT_EQ(r.error().error, error) << r.error().description;
  };
  // Forged, expired, from the future, addressed elsewhere, replayed.
  expect_error(Assertion(id, crypto::EcKey::Generate()), "invalid_client");
  expect_error(Assertion(id, key_, -600), "invalid_client");
  expect_error(Assertion(id, key_, +300), "invalid_client");
  expect_error(Assertion(id, key_, 0, "", "https://other.example/token"), "invalid_client");
  EXPECT_TRUE(Issue(Assertion(id, key_, 0, "once")));
  expect_error(Assertion(id, key_, 0, "once"), "invalid_client");
  // Within the ±60 s skew.
  EXPECT_TRUE(Issue(Assertion(id, key_, 50)));
  EXPECT_TRUE(Issue(Assertion(id, key_, -50)));
  // The issuer is also an accepted audience.
  EXPECT_TRUE(Issue(Assertion(id, key_, 0, "", kIssuer)));
  // Scope outside the policy.
  expect_error(Assertion(id, key_), "invalid_scope", "verify ekyc");
  // The replay store outlives a restart.
  Reopen();
  expect_error(Assertion(id, key_, 0, "once"), "invalid_client");

  // Tokens expire after 5 minutes; altered tokens are refused.
  auto later = Issue(Assertion(id, key_));
  ASSERT_TRUE(later);
  std::string altered = later->access_token;
  altered[altered.size() - 3] ^= 1;
  EXPECT_FALSE(members_->AuthenticateToken(altered));
  EXPECT_FALSE(members_->AuthenticateToken("dancu_at_x.y"));
  clock_.Advance(299s);
  EXPECT_TRUE(members_->AuthenticateToken(later->access_token));
  clock_.Advance(2s);
  EXPECT_FALSE(members_->AuthenticateToken(later->access_token));
}

TEST_F(MembersTest, GateAppliesPolicyScopeLimitsAndChangesAtOnce) {
  std::string id = AddClient("bank", key_, R"({"operations":["verify"],"rate_limit":1000,
                                              "daily_quota":3})");
  auto grant = members_->Admit(id, Bit(Operation::kVerify), Operation::kVerify);
  ASSERT_TRUE(grant);
  EXPECT_EQ(grant->agency, "bank");
  EXPECT_FALSE(grant->unrestricted);
  // Not in the policy; in the policy but not in the token's scope.
  EXPECT_EQ(members_->Admit(id, Bit(Operation::kMatch), Operation::kMatch).error().error.code,
            "auth.forbidden");
  EXPECT_EQ(members_->Admit(id, 0, Operation::kVerify).error().error.code, "auth.forbidden");
  EXPECT_TRUE(members_->Admit(id, Bit(Operation::kVerify), Operation::kVerify));
  EXPECT_TRUE(members_->Admit(id, Bit(Operation::kVerify), Operation::kVerify));
  auto quota = members_->Admit(id, Bit(Operation::kVerify), Operation::kVerify);
  ASSERT_FALSE(quota);
  EXPECT_EQ(quota.error().error.code, "policy.quota_exhausted");
  EXPECT_GT(quota.error().retry_after_seconds, 0);

  // A policy change applies to the next request, without a reload delay.
  ASSERT_TRUE(members_->SetPolicy(
      id, ParseOrDie(R"({"operations":["match"],"rate_limit":1000,"daily_quota":10})")));
  EXPECT_FALSE(members_->Admit(id, Bit(Operation::kVerify), Operation::kVerify));
  EXPECT_TRUE(members_->Admit(id, Bit(Operation::kMatch), Operation::kMatch));
  // Disabling the agency stops its clients and tokens.
  auto token = Issue(Assertion(id, key_));
  ASSERT_TRUE(token);
  ASSERT_TRUE(members_->DisableAgency("bank"));
  EXPECT_FALSE(members_->AuthenticateToken(token->access_token));
  EXPECT_FALSE(members_->Admit(id, Bit(Operation::kMatch), Operation::kMatch));
  EXPECT_FALSE(Issue(Assertion(id, key_)));
}

TEST_F(MembersTest, ChangesByAnotherProcessApplyWithinASecond) {
  std::string id = AddClient("bank", key_, R"({"operations":["verify"],"rate_limit":1000,
                                              "daily_quota":1000})");
  // Another process (the CLI) on the same files.
  auto other_db = OpenHubDb(dir_.path());
  ASSERT_TRUE(other_db);
  ManualClock other_clock{clock_.Now()};
  auto other = Members::Open(**other_db, dir_.path(), other_clock, random_);
  ASSERT_TRUE(other);
  ASSERT_TRUE((*other)->DisableClient(id));
  clock_.Advance(999ms);
  EXPECT_TRUE(members_->Admit(id, Bit(Operation::kVerify), Operation::kVerify));
  clock_.Advance(2ms);
  EXPECT_FALSE(members_->Admit(id, Bit(Operation::kVerify), Operation::kVerify));
}

TEST_F(MembersTest, PseudonymsAreStablePerAgencyAndDifferAcrossAgencies) {
  ASSERT_TRUE(members_->AddAgency({"a", "enterprise", "A", "", false}));
  ASSERT_TRUE(members_->AddAgency({"b", "enterprise", "B", "", false}));
  CitizenId id = CitizenId::Parse("001085123456").value();
  CitizenId other = CitizenId::Parse("001188234567").value();
  std::string a1 = members_->AgencyToken("a", id);
  EXPECT_TRUE(a1.starts_with("pt_"));
  EXPECT_EQ(a1.find("001085123456"), std::string::npos);
  EXPECT_EQ(members_->AgencyToken("a", id), a1);
  EXPECT_NE(members_->AgencyToken("b", id), a1);
  EXPECT_NE(members_->AgencyToken("a", other), a1);
  // The hub key persists: the same pseudonym after a restart.
  Reopen();
  EXPECT_EQ(members_->AgencyToken("a", id), a1);
}

}  // namespace
}  // namespace dancu::hub
