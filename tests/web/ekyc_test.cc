// eKYC with the citizen's consent, end to end through one Router without
// sockets: the citizen's side (GET/POST /v1/me/ekyc-consents*, the page
// /account/ekyc-consents) and the agency's POST /v1/agency/ekyc, on the
// accounts fixture with hub.db (real Members, policies and the minimizing
// filter), the consents store and an access log (no writer thread).
// Covers: no consent, a field outside the policy, a consent narrower than
// the request, revoked and expired consents, the one-time code (once, only
// for its agency), only the requested fields in the answer, a deceased
// citizen, and what the access log records for each.
#include <gtest/gtest.h>

#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/agency_access.h"
#include "api/api.h"
#include "core/metrics.h"
#include "crypto/ec_key.h"
#include "hub/audit_db.h"
#include "hub/audit_keys.h"
#include "hub/audit_log.h"
#include "hub/ekyc_consents.h"
#include "hub/hub_db.h"
#include "hub/members.h"
#include "hub/policy.h"
#include "identity/accounts_fixture.h"
#include "web/csrf.h"
#include "web/web.h"

namespace dancu::web {
namespace {

namespace bhttp = boost::beast::http;
namespace json = boost::json;
using namespace std::chrono_literals;

constexpr std::string_view kBankPolicy = R"({"operations":["ekyc","verify"],
  "fields":["citizen_id","full_name","date_of_birth","sex","permanent_residence"],
  "purpose":"KYC-ACCOUNT-OPENING","rate_limit":1000,"daily_quota":100000})";
constexpr std::string_view kTelcoPolicy = R"({"operations":["ekyc"],
  "fields":["full_name","date_of_birth"],
  "purpose":"KYC-SIM-REGISTRATION","rate_limit":1000,"daily_quota":100000})";

class EkycTest : public identity::testing::AccountsTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    if (HasFatalFailure()) return;
    auto hub_db = hub::OpenHubDb(dir_.path());
    ASSERT_TRUE(hub_db) << hub_db.error().message;
    hub_db_ = std::move(*hub_db);
    auto members = hub::Members::Open(*hub_db_, dir_.path(), clock_, random_);
    ASSERT_TRUE(members) << members.error().message;
    members_ = std::move(*members);
    auto key = hub::EkycConsents::LoadOrCreateCodeKey(dir_.path());
    ASSERT_TRUE(key);
    auto consents = hub::EkycConsents::Open(*hub_db_, *key, clock_, random_);
    ASSERT_TRUE(consents) << consents.error().message;
    consents_ = std::move(*consents);

    auto audit_db = hub::OpenAuditDb(dir_.path());
    ASSERT_TRUE(audit_db);
    audit_db_ = std::move(*audit_db);
    auto keys = hub::LoadOrCreateAuditKeys(dir_.path());
    ASSERT_TRUE(keys);
    hub::AuditLogOptions options;
    options.writer_thread = false;
    auto log = hub::AuditLog::Open(*audit_db_, std::move(*keys), clock_, options);
    ASSERT_TRUE(log) << log.error().message;
    log_ = std::move(*log);

    bank_client_ = AddAgency("vcb", "Vietcombank", kBankPolicy);
    telco_client_ = AddAgency("viettel", "Viettel", kTelcoPolicy);
    if (HasFatalFailure()) return;

    api::ApiDeps api_deps{*reg_, metrics_, clock_};
    api_deps.audit_log = log_.get();
    api_deps.members = members_.get();
    api_deps.ekyc_consents = consents_.get();
    api::AddEkycRoutes(router_, api_deps);
    router_.SetAgencyResponseFilter(api::MinimizingFilter(*members_));
    deps_.emplace(
        WebDeps{*reg_, clock_, csrf_, accounts_.get(), sessions_.get(), officers_.get(), nullptr});
    deps_->audit_log = log_.get();
    deps_->members = members_.get();
    deps_->ekyc_consents = consents_.get();
    AddEkycConsentPages(router_, *deps_);
  }
  void TearDown() override {
    log_.reset();
    consents_.reset();
    members_.reset();
    AccountsTest::TearDown();
  }

  std::string AddAgency(std::string name, std::string display, std::string_view policy_json) {
    hub::AgencyInfo a;
    a.name = name;
    a.kind = "enterprise";
    a.display_name = std::move(display);
    auto added = members_->AddAgency(a);
    EXPECT_TRUE(added) << added.error().message;
    json::object jwks;
    jwks["keys"] = json::array{crypto::EcKey::Generate().PublicJwk("k1")};
    auto client = members_->AddClient(name, json::serialize(jwks));
    EXPECT_TRUE(client) << client.error().message;
    if (!client) return {};
    auto policy = hub::ParsePolicy(json::parse(policy_json));
    EXPECT_TRUE(policy) << policy.error().message;
    auto set = members_->SetPolicy(client->client_id, *policy);
    EXPECT_TRUE(set) << set.error().message;
    return client->client_id;
  }

  void SignInAs(const registry::Citizen& c) {
    identity::Account a = Register(c);
    auto s = sessions_->Create(a, identity::Level::kOne, {"pwd"});
    ASSERT_TRUE(s) << s.error().message;
    cookie_ = "dancu_session=" + s->id;
  }

  http::Response Send(bhttp::verb method, std::string target, std::string body = {},
                      std::string content_type = "application/json",
                      std::optional<http::Principal> principal = std::nullopt) {
    http::Request req{method, target, 11};
    if (!cookie_.empty()) req.set(bhttp::field::cookie, cookie_);
    if (!body.empty() || method == bhttp::verb::post) {
      req.set(bhttp::field::content_type, content_type);
      req.body() = std::move(body);
      req.prepare_payload();
    }
    auto ctx = http::RequestContext::MakeForTest(std::move(req), "203.0.113.7");
    if (principal) ctx.principal = *principal;
    return router_.Dispatch(ctx);
  }

  // An eKYC request by an agency client.
  http::Response Ekyc(const std::string& client, json::object body) {
    http::Principal p{http::Principal::Kind::kAgency, client,
                      hub::Bit(hub::Operation::kEkyc) | hub::Bit(hub::Operation::kVerify)};
    return Send(bhttp::verb::post, "/v1/agency/ekyc", json::serialize(body), "application/json", p);
  }
  http::Response EkycFor(const registry::Citizen& c, json::array fields,
                         const std::string* client = nullptr) {
    json::object b;
    b["citizen_id"] = c.id.ToString();
    b["fields"] = std::move(fields);
    return Ekyc(client ? *client : bank_client_, std::move(b));
  }

  // The citizen grants through the JSON API.
  json::object Grant(std::string body) {
    auto r = Send(bhttp::verb::post, "/v1/me/ekyc-consents", std::move(body));
    EXPECT_EQ(r.status, 201u) << r.body;
    return r.status == 201 ? json::parse(r.body).as_object() : json::object{};
  }

  static std::string Code(const http::Response& r) { return Str(json::parse(r.body), "code"); }
  static std::string Str(const json::value& v, std::string_view key) {
    const auto* s = v.as_object().if_contains(key);
    return s && s->is_string() ? std::string(s->as_string()) : std::string();
  }

  // The access-log entries about `c`, oldest first.
  std::vector<hub::AuditEntry> LogFor(const registry::Citizen& c) {
    EXPECT_TRUE(log_->Flush());
    auto entries = log_->EntriesForCitizen(c.id.ToString(), log_->size(), 100);
    EXPECT_TRUE(entries);
    std::vector<hub::AuditEntry> out(entries->rbegin(), entries->rend());
    return out;
  }

  Metrics metrics_;
  Csrf csrf_{std::string(32, 'c')};
  std::unique_ptr<storage::Database> hub_db_, audit_db_;
  std::unique_ptr<hub::Members> members_;
  std::unique_ptr<hub::EkycConsents> consents_;
  std::unique_ptr<hub::AuditLog> log_;
  std::optional<WebDeps> deps_;
  http::Router router_;
  std::string cookie_;
  std::string bank_client_, telco_client_;
};

TEST_F(EkycTest, WithoutConsentTheAgencyGets403AndTheRefusalIsLogged) {
  auto r = EkycFor(husband_, {"full_name", "date_of_birth"});
  EXPECT_EQ(r.status, 403u) << r.body;
  EXPECT_EQ(Str(json::parse(r.body), "code"), "ekyc.no_consent");
  EXPECT_EQ(r.body.find(husband_.full_name.text()), std::string::npos);
  auto log = LogFor(husband_);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].operation, "ekyc");
  EXPECT_EQ(log[0].actor, "vcb");
  EXPECT_EQ(log[0].purpose, "KYC-ACCOUNT-OPENING");
  EXPECT_EQ(log[0].fields, "date_of_birth,full_name");
  EXPECT_EQ(log[0].outcome, "NO_CONSENT");
}

TEST_F(EkycTest, AFieldOutsideThePolicyIs403NamingTheField) {
  SignInAs(husband_);
  Grant(R"({"agency":"vcb"})");
  auto r = EkycFor(husband_, {"full_name", "religion"});
  EXPECT_EQ(r.status, 403u) << r.body;
  auto problem = json::parse(r.body);
  EXPECT_EQ(Str(problem, "code"), "policy.field_not_allowed");
  EXPECT_EQ(Str(problem, "field"), "religion");
  auto log = LogFor(husband_);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].outcome, "FIELD_NOT_ALLOWED");
}

TEST_F(EkycTest, WithConsentTheAnswerHasOnlyTheRequestedFields) {
  SignInAs(husband_);
  json::object consent = Grant(R"({"agency":"vcb","days":30})");
  EXPECT_EQ(Str(consent, "status"), "valid");
  EXPECT_EQ(Str(consent, "agency_name"), "Vietcombank");
  EXPECT_EQ(Str(consent, "purpose"), "KYC-ACCOUNT-OPENING");
  EXPECT_EQ(consent.at("fields").as_array().size(), 5u);

  auto r = EkycFor(husband_, {"full_name", "date_of_birth", "citizen_id"});
  ASSERT_EQ(r.status, 200u) << r.body;
  auto body = json::parse(r.body).as_object();
  const json::object& c = body.at("citizen").as_object();
  EXPECT_EQ(c.size(), 3u) << r.body;
  EXPECT_EQ(Str(c, "full_name"), husband_.full_name.text());
  EXPECT_EQ(Str(c, "date_of_birth"), husband_.date_of_birth.ToString());
  EXPECT_EQ(Str(c, "citizen_id"), husband_.id.ToString());
  EXPECT_FALSE(c.contains("sex"));
  EXPECT_FALSE(c.contains("permanent_residence"));
  EXPECT_EQ(Str(body, "purpose"), "KYC-ACCOUNT-OPENING");
  EXPECT_EQ(Str(body.at("consent"), "id"), Str(consent, "id"));
  EXPECT_EQ(Str(body.at("consent"), "expires_at"), Str(consent, "expires_at"));

  auto log = LogFor(husband_);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].outcome, "OK");
  EXPECT_EQ(log[0].fields, "citizen_id,date_of_birth,full_name");
  EXPECT_EQ(log[0].actor, "vcb");
}

TEST_F(EkycTest, AConsentNarrowerThanTheRequestIsNoConsent) {
  SignInAs(husband_);
  Grant(R"({"agency":"vcb","fields":["full_name"]})");
  EXPECT_EQ(EkycFor(husband_, {"full_name"}).status, 200u);
  auto r = EkycFor(husband_, {"full_name", "sex"});
  EXPECT_EQ(r.status, 403u);
  EXPECT_EQ(Str(json::parse(r.body), "code"), "ekyc.no_consent");
  // A consent to the bank is no consent to the telecom.
  auto other = EkycFor(husband_, {"full_name"}, &telco_client_);
  EXPECT_EQ(Str(json::parse(other.body), "code"), "ekyc.no_consent");
}

TEST_F(EkycTest, RevokedConsentIs403) {
  SignInAs(husband_);
  json::object consent = Grant(R"({"agency":"vcb"})");
  ASSERT_EQ(EkycFor(husband_, {"sex"}).status, 200u);
  auto revoked = Send(bhttp::verb::post, "/v1/me/ekyc-consents/" + Str(consent, "id") + "/revoke");
  ASSERT_EQ(revoked.status, 200u) << revoked.body;
  EXPECT_EQ(Str(json::parse(revoked.body), "status"), "revoked");
  auto r = EkycFor(husband_, {"sex"});
  EXPECT_EQ(r.status, 403u);
  EXPECT_EQ(Str(json::parse(r.body), "code"), "ekyc.no_consent");
}

TEST_F(EkycTest, ExpiredConsentIs403) {
  SignInAs(husband_);
  Grant(R"({"agency":"vcb","days":30})");
  clock_.Advance(std::chrono::days{30} - 1s);
  EXPECT_EQ(EkycFor(husband_, {"sex"}).status, 200u);
  clock_.Advance(1s);
  auto r = EkycFor(husband_, {"sex"});
  EXPECT_EQ(r.status, 403u);
  EXPECT_EQ(Str(json::parse(r.body), "code"), "ekyc.no_consent");
}

TEST_F(EkycTest, AOneTimeCodeWorksOnceAndOnlyForItsAgency) {
  SignInAs(wife_);
  auto made = Send(bhttp::verb::post, "/v1/me/ekyc-consent-codes",
                   R"({"agency":"vcb","fields":["full_name","date_of_birth"],"days":90})");
  ASSERT_EQ(made.status, 201u) << made.body;
  const std::string code = Code(made);
  ASSERT_EQ(code.size(), 9u);
  cookie_.clear();  // the agency has no session

  json::object by_code;
  by_code["consent_code"] = code;
  by_code["fields"] = json::array{"full_name"};
  auto telco = Ekyc(telco_client_, by_code);
  EXPECT_EQ(telco.status, 403u);
  EXPECT_EQ(Str(json::parse(telco.body), "code"), "ekyc.bad_consent_code");

  auto first = Ekyc(bank_client_, by_code);
  ASSERT_EQ(first.status, 200u) << first.body;
  auto body = json::parse(first.body).as_object();
  EXPECT_EQ(Str(body.at("citizen"), "full_name"), wife_.full_name.text());
  EXPECT_EQ(body.at("citizen").as_object().size(), 1u);

  auto second = Ekyc(bank_client_, by_code);
  EXPECT_EQ(second.status, 403u);
  EXPECT_EQ(Str(json::parse(second.body), "code"), "ekyc.bad_consent_code");

  // The redeemed code became a consent: the bank may now ask by id.
  EXPECT_EQ(EkycFor(wife_, {"date_of_birth"}).status, 200u);
  auto log = LogFor(wife_);
  ASSERT_EQ(log.size(), 2u);  // the redeemed code and the request by id
  EXPECT_EQ(log[0].outcome, "OK");

  json::object wrong;
  wrong["consent_code"] = "0000-0000";
  wrong["fields"] = json::array{"full_name"};
  EXPECT_EQ(Str(json::parse(Ekyc(bank_client_, wrong).body), "code"), "ekyc.bad_consent_code");
}

TEST_F(EkycTest, ACodeExpiresAfterTenMinutes) {
  SignInAs(wife_);
  auto made = Send(bhttp::verb::post, "/v1/me/ekyc-consent-codes", R"({"agency":"viettel"})");
  ASSERT_EQ(made.status, 201u) << made.body;
  clock_.Advance(10min);
  json::object by_code;
  by_code["consent_code"] = Code(made);
  by_code["fields"] = json::array{"full_name"};
  EXPECT_EQ(Str(json::parse(Ekyc(telco_client_, by_code).body), "code"), "ekyc.bad_consent_code");
}

TEST_F(EkycTest, ADeceasedCitizenIs410) {
  SignInAs(single_);
  Grant(R"({"agency":"vcb"})");
  ASSERT_TRUE(reg_->RegisterDeath({single_.id, registry::testing::Date(2026, 11, 22)}, Officer()));
  auto r = EkycFor(single_, {"full_name"});
  EXPECT_EQ(r.status, 410u) << r.body;
  EXPECT_EQ(Str(json::parse(r.body), "code"), "ekyc.citizen_deceased");
}

TEST_F(EkycTest, BadRequestsAreRefusedWithSpecificErrors) {
  auto bad = [&](std::string body) {
    http::Principal p{http::Principal::Kind::kAgency, bank_client_,
                      hub::Bit(hub::Operation::kEkyc)};
    auto r = Send(bhttp::verb::post, "/v1/agency/ekyc", std::move(body), "application/json", p);
    EXPECT_EQ(r.status, 400u) << r.body;
    return Str(json::parse(r.body), "code");
  };
  const std::string id = husband_.id.ToString();
  EXPECT_EQ(bad(R"({"fields":["full_name"]})"), "request.missing_field");
  EXPECT_EQ(bad(R"({"citizen_id":")" + id + R"(","consent_code":"ABCD-EFGH","fields":["sex"]})"),
            "request.missing_field");
  EXPECT_EQ(bad(R"({"citizen_id":")" + id + R"("})"), "request.missing_field");
  EXPECT_EQ(bad(R"({"citizen_id":")" + id + R"(","fields":[]})"), "request.missing_field");
  EXPECT_EQ(bad(R"({"citizen_id":")" + id + R"(","fields":["salary"]})"), "ekyc.bad_field");
  EXPECT_EQ(bad(R"({"citizen_id":")" + id + R"(","fields":[1]})"), "request.wrong_type");
  EXPECT_EQ(bad(R"({"citizen_id":"12","fields":["sex"]})"), "id.length");
  EXPECT_EQ(bad(R"({"citizen_id":")" + id + R"(","fields":["sex"],"x":1})"),
            "request.unknown_field");
  EXPECT_EQ(bad("not json"), "request.malformed_json");
}

TEST_F(EkycTest, AClientWithoutTheEkycOperationIsForbidden) {
  std::string verify_only = AddAgency("tax", "Tax office",
                                      R"({"operations":["verify"],"fields":["full_name"],
      "purpose":"TAX","rate_limit":10,"daily_quota":10})");
  http::Principal p{http::Principal::Kind::kAgency, verify_only, hub::Bit(hub::Operation::kVerify)};
  auto r = Send(bhttp::verb::post, "/v1/agency/ekyc",
                R"({"citizen_id":")" + husband_.id.ToString() + R"(","fields":["full_name"]})",
                "application/json", p);
  EXPECT_EQ(r.status, 403u);
  EXPECT_EQ(Str(json::parse(r.body), "code"), "auth.forbidden");
}

TEST_F(EkycTest, CitizenEndpointsNeedASessionAndTheirOwnConsents) {
  EXPECT_EQ(Send(bhttp::verb::get, "/v1/me/ekyc-consents").status, 401u);
  EXPECT_EQ(Send(bhttp::verb::post, "/v1/me/ekyc-consent-codes", R"({"agency":"vcb"})").status,
            401u);

  SignInAs(husband_);
  json::object his = Grant(R"({"agency":"vcb","fields":["sex"]})");
  auto offers = Send(bhttp::verb::get, "/v1/me/ekyc-offers");
  ASSERT_EQ(offers.status, 200u);
  EXPECT_EQ(json::parse(offers.body).at("offers").as_array().size(), 2u);

  SignInAs(wife_);
  auto theirs = Send(bhttp::verb::post, "/v1/me/ekyc-consents/" + Str(his, "id") + "/revoke");
  EXPECT_EQ(theirs.status, 404u);
  EXPECT_EQ(Str(json::parse(theirs.body), "code"), "ekyc.consent_not_found");
  auto list = Send(bhttp::verb::get, "/v1/me/ekyc-consents");
  ASSERT_EQ(list.status, 200u);
  EXPECT_TRUE(json::parse(list.body).at("consents").as_array().empty());

  auto code_of = [&](std::string body, std::string type = "application/json") {
    auto r = Send(bhttp::verb::post, "/v1/me/ekyc-consents", std::move(body), std::move(type));
    return std::pair(r.status, Str(json::parse(r.body), "code"));
  };
  EXPECT_EQ(code_of(R"({"agency":"vcb"})", "text/plain"),
            std::pair(415u, std::string("request.unsupported_media_type")));
  EXPECT_EQ(code_of(R"({"agency":"nobody"})"), std::pair(400u, std::string("ekyc.unknown_agency")));
  EXPECT_EQ(code_of(R"({"agency":"vcb","days":7})"), std::pair(400u, std::string("ekyc.bad_days")));
  EXPECT_EQ(code_of(R"({"agency":"viettel","fields":["sex"]})"),
            std::pair(400u, std::string("ekyc.bad_field")));
  EXPECT_EQ(code_of(R"({"agency":"vcb","fields":[]})"),
            std::pair(400u, std::string("ekyc.bad_field")));
  EXPECT_EQ(code_of(R"({"agency":"vcb","purpose":"OTHER"})"),
            std::pair(400u, std::string("ekyc.unknown_agency")));
  // Nothing was half-applied.
  list = Send(bhttp::verb::get, "/v1/me/ekyc-consents");
  EXPECT_TRUE(json::parse(list.body).at("consents").as_array().empty());
}

// --- The page ---------------------------------------------------------------

class EkycPageTest : public EkycTest {
 protected:
  // The CSRF token for the browser (cookie added to cookie_).
  std::string CsrfField() {
    auto r = Send(bhttp::verb::get, "/account/ekyc-consents?lang=en");
    EXPECT_EQ(r.status, 200u);
    for (const auto& [name, value] : r.headers) {
      if (name == "Set-Cookie" && value.starts_with("dancu_csrf=")) {
        cookie_ += "; " + value.substr(0, value.find(';'));
      }
    }
    size_t at = r.body.find("name=\"csrf\" value=\"");
    EXPECT_NE(at, std::string::npos);
    at += 19;
    return r.body.substr(at, r.body.find('"', at) - at);
  }
  http::Response PostForm(std::string target, std::string form) {
    return Send(bhttp::verb::post, std::move(target), std::move(form),
                "application/x-www-form-urlencoded");
  }
};

TEST_F(EkycPageTest, SignedOutVisitorsAreSentToSignIn) {
  auto r = Send(bhttp::verb::get, "/account/ekyc-consents");
  EXPECT_EQ(r.status, 303u);
}

TEST_F(EkycPageTest, ThePageGrantsRevokesAndMakesCodes) {
  SignInAs(husband_);
  auto page = Send(bhttp::verb::get, "/account/ekyc-consents");
  ASSERT_EQ(page.status, 200u);
  EXPECT_NE(page.body.find("Vietcombank"), std::string::npos);
  EXPECT_NE(page.body.find("KYC-ACCOUNT-OPENING"), std::string::npos);
  EXPECT_NE(page.body.find("Họ và tên"), std::string::npos);  // Vietnamese by default
  EXPECT_NE(page.body.find("<legend>"), std::string::npos);

  const std::string csrf = CsrfField();
  // Without the CSRF token: refused, nothing granted.
  auto forged = PostForm("/account/ekyc-consents",
                         "action=grant&agency=vcb&purpose=KYC-ACCOUNT-OPENING&fields=sex&days=30");
  EXPECT_EQ(forged.status, 403u);
  EXPECT_TRUE(consents_->List(husband_.id)->empty());

  auto granted =
      PostForm("/account/ekyc-consents", "csrf=" + csrf +
                                             "&action=grant&agency=vcb&purpose=KYC-ACCOUNT-OPENING"
                                             "&fields=sex&fields=full_name&days=365");
  EXPECT_EQ(granted.status, 303u) << granted.body;
  auto list = consents_->List(husband_.id);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].fields, (std::vector<std::string>{"full_name", "sex"}));
  EXPECT_EQ((*list)[0].expires_at - (*list)[0].created_at, std::chrono::days{365});

  page = Send(bhttp::verb::get, "/account/ekyc-consents?lang=en&done=granted");
  EXPECT_NE(page.body.find("Consent given."), std::string::npos);
  EXPECT_NE(page.body.find((*list)[0].id), std::string::npos);  // its revoke button

  auto none =
      PostForm("/account/ekyc-consents",
               "csrf=" + csrf + "&action=grant&agency=vcb&purpose=KYC-ACCOUNT-OPENING&days=30");
  EXPECT_EQ(none.status, 400u);  // nothing ticked is no consent

  auto code = PostForm("/account/ekyc-consents",
                       "csrf=" + csrf +
                           "&action=code&agency=viettel&purpose=KYC-SIM-REGISTRATION"
                           "&fields=full_name&days=30");
  EXPECT_EQ(code.status, 201u);
  size_t at = code.body.find("<strong>", code.body.find("letter-spacing"));
  ASSERT_NE(at, std::string::npos);
  std::string shown = code.body.substr(at + 8, 9);
  EXPECT_TRUE(consents_->Redeem(shown, "viettel")) << shown;

  auto revoke =
      PostForm("/account/ekyc-consents/revoke", "csrf=" + csrf + "&consent_id=" + (*list)[0].id);
  EXPECT_EQ(revoke.status, 303u);
  list = consents_->List(husband_.id);
  for (const hub::EkycConsent& c : *list) {
    if (c.agency == "vcb") EXPECT_TRUE(c.revoked_at.has_value());
  }
}

}  // namespace
}  // namespace dancu::web
