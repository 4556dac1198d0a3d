// Agencies end to end with the real binary (issue 5, "Members and
// credentials", "Policies"): `dancu agencies add` / `add-client` with a
// policy, client credentials with private_key_jwt at POST /v1/agency/token
// (forged, expired, replayed and mis-addressed assertions refused), the
// policy gate (default deny, scope, immediate effect of a change, rate limit
// and daily quota answered 429 with Retry-After), the verification record
// naming the agency across restarts, minimization with per-agency
// pseudonyms, the pull feed filtered by policy, and disabling within a
// second.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "support/agency_client.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace dancu::testing {
namespace {

namespace bhttp = boost::beast::http;
constexpr char kToken[] = "e2e-admin-token";
constexpr char kVerify[] =
    R"({"id":"001085123456","full_name":"Nguyen Van An","date_of_birth":"1985-03-14"})";
constexpr char kVerifyPolicy[] = R"({"operations":["verify"],"rate_limit":1000,"daily_quota":1000})";

class AgencyE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = RunDancu({"import", "--data", Dir(), SourceDir() + "/tests/e2e/testdata/family.csv"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  std::string Dir() const { return dir_.path().string(); }
  void StartServer() {
    server_.reset();
    server_ = std::make_unique<ServerProcess>(Dir(), kToken);
    client_ = std::make_unique<dancu::test::HttpClient>("127.0.0.1", server_->port());
  }
  dancu::test::HttpResult Call(bhttp::verb method, const std::string& path, const std::string& key,
                               const std::string& body = {}) {
    std::vector<std::pair<std::string, std::string>> headers = {{"Authorization", "Bearer " + key}};
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    return client_->Request(method, path, body, headers);
  }
  std::string Token(const TestAgencyClient& c, const std::string& scope = {}) {
    return AgencyAccessToken(*client_, server_->port(), c, scope);
  }
  dancu::test::HttpResult TokenRequest(const std::string& assertion, const std::string& scope = {}) {
    return RequestAgencyToken(*client_, assertion, scope);
  }
  boost::json::object Stats() {
    auto r = Call(bhttp::verb::get, "/v1/stats/verification", kToken);
    EXPECT_EQ(r.status, 200u) << r.body;
    return boost::json::parse(r.body).as_object();
  }
  static std::string ErrorOf(const dancu::test::HttpResult& r) {
    boost::system::error_code ec;
    auto v = boost::json::parse(r.body, ec);
    if (ec || !v.is_object() || !v.as_object().contains("error")) return r.body;
    return std::string(v.as_object().at("error").as_string());
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<dancu::test::HttpClient> client_;
};

TEST_F(AgencyE2eTest, ClientVerifiesOnlyAndIsRecordedAcrossRestarts) {
  TestAgencyClient bhxh = AddTestAgencyClient(Dir(), "bhxh", kVerifyPolicy);
  ASSERT_TRUE(bhxh.client_id.starts_with("bhxh.")) << bhxh.client_id;
  StartServer();
  std::string token = Token(bhxh);
  ASSERT_TRUE(token.starts_with("dancu_at_")) << token;

  auto ok = Call(bhttp::verb::post, "/v1/verify", token, kVerify);
  EXPECT_EQ(ok.status, 200u) << ok.body;
  EXPECT_NE(ok.body.find("\"MATCH\""), std::string::npos) << ok.body;
  auto batch = Call(bhttp::verb::post, "/v1/verify/batch", token, std::string("[") + kVerify + "]");
  EXPECT_EQ(batch.status, 200u) << batch.body;

  // Register reads and writes, the ministry's statistics and the admin API
  // are staff only; match and the feed are not in this policy.
  for (auto [method, path] : {std::pair{bhttp::verb::get, "/v1/citizens/001085123456"},
                              std::pair{bhttp::verb::get, "/v1/stats/verification"},
                              std::pair{bhttp::verb::get, "/v1/feed?after=0"},
                              std::pair{bhttp::verb::get, "/v1/admin/agencies"},
                              std::pair{bhttp::verb::post, "/v1/events/death"},
                              std::pair{bhttp::verb::post, "/v1/match"},
                              std::pair{bhttp::verb::get, "/v1/agency/feed?after=0"}}) {
    auto r = Call(method, path, token, method == bhttp::verb::post ? "{}" : "");
    EXPECT_EQ(r.status, 403u) << path << " " << r.body;
    EXPECT_NE(r.body.find("auth.forbidden"), std::string::npos) << r.body;
  }
  // A made-up or altered token is no token.
  EXPECT_EQ(Call(bhttp::verb::post, "/v1/verify", "dancu_at_AAAA.BBBB", kVerify).status, 401u);
  std::string altered = token;
  altered[12] = altered[12] == 'A' ? 'B' : 'A';
  EXPECT_EQ(Call(bhttp::verb::post, "/v1/verify", altered, kVerify).status, 401u);
  // The admin token still verifies, recorded as "admin".
  EXPECT_EQ(Call(bhttp::verb::post, "/v1/verify", kToken, kVerify).status, 200u);

  auto stats = Stats();
  EXPECT_EQ(stats.at("total").as_int64(), 3);
  EXPECT_EQ(stats.at("by_agency").at("bhxh").at("total").as_int64(), 2);
  EXPECT_EQ(stats.at("by_agency").at("admin").at("total").as_int64(), 1);

  // A clean restart: the record's totals come back, the index loads from
  // its snapshot, and an unexpired token still works (hub.key persists).
  ASSERT_EQ(server_->Stop(), 0);
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "verify-index.snap"));
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "hub.key"));
  StartServer();
  stats = Stats();
  EXPECT_EQ(stats.at("total").as_int64(), 3);
  EXPECT_EQ(stats.at("by_agency").at("bhxh").at("matched").as_int64(), 2);
  EXPECT_EQ(Call(bhttp::verb::post, "/v1/verify", token, kVerify).status, 200u);
}

TEST_F(AgencyE2eTest, ForgedExpiredReplayedAndMisaddressedAssertionsAreRefused) {
  TestAgencyClient vcb = AddTestAgencyClient(Dir(), "vcb", kVerifyPolicy);
  StartServer();
  const std::string aud = TokenEndpoint(server_->port());

  // Within the ±60 s clock skew: accepted.
  auto skewed = TokenRequest(ClientAssertion(vcb, aud, /*iat_offset=*/30));
  EXPECT_EQ(skewed.status, 200u) << skewed.body;
  auto good = boost::json::parse(skewed.body).as_object();
  EXPECT_EQ(good.at("token_type").as_string(), "Bearer");
  EXPECT_EQ(good.at("expires_in").as_int64(), 300);
  EXPECT_EQ(good.at("scope").as_string(), "verify");

  // Forged: signed with another key.
  TestAgencyClient forger{vcb.client_id, crypto::EcKey::Generate().PrivatePem()};
  auto forged = TokenRequest(ClientAssertion(forger, aud));
  EXPECT_EQ(forged.status, 401u);
  EXPECT_EQ(ErrorOf(forged), "invalid_client");
  // Expired: issued 10 minutes ago, valid for one.
  auto expired = TokenRequest(ClientAssertion(vcb, aud, -600, 60));
  EXPECT_EQ(expired.status, 401u) << expired.body;
  // Issued in the future beyond the skew.
  auto future = TokenRequest(ClientAssertion(vcb, aud, 300));
  EXPECT_EQ(future.status, 401u) << future.body;
  // Replayed: the same jti twice.
  std::string once = ClientAssertion(vcb, aud, 0, 120, "jti-used-once");
  EXPECT_EQ(TokenRequest(once).status, 200u);
  auto replay = TokenRequest(once);
  EXPECT_EQ(replay.status, 401u);
  EXPECT_NE(replay.body.find("replay"), std::string::npos) << replay.body;
  // Addressed to another server.
  auto wrong_aud = TokenRequest(ClientAssertion(vcb, "https://elsewhere.example/token"));
  EXPECT_EQ(wrong_aud.status, 401u) << wrong_aud.body;
  // An unknown client, a malformed assertion, a scope outside the policy,
  // another grant type.
  TestAgencyClient nobody{"nobody.0000000000", vcb.key_pem};
  EXPECT_EQ(TokenRequest(ClientAssertion(nobody, aud)).status, 401u);
  EXPECT_EQ(TokenRequest("not-a-jwt").status, 401u);
  auto scope = TokenRequest(ClientAssertion(vcb, aud), "verify ekyc");
  EXPECT_EQ(scope.status, 400u);
  EXPECT_EQ(ErrorOf(scope), "invalid_scope");
  auto grant = client_->Request(bhttp::verb::post, "/v1/agency/token",
                                "grant_type=password&username=x&password=y",
                                {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(grant.status, 400u);
  EXPECT_EQ(ErrorOf(grant), "unsupported_grant_type");
}

TEST_F(AgencyE2eTest, PolicyIsDefaultDenyAndAChangeAppliesToTheNextRequest) {
  // No policy: nothing is allowed, so no token can be issued.
  TestAgencyClient empty = AddTestAgencyClient(Dir(), "telco", "{}");
  TestAgencyClient bank = AddTestAgencyClient(Dir(), "bank", kVerifyPolicy);
  StartServer();
  auto none = TokenRequest(ClientAssertion(empty, TokenEndpoint(server_->port())));
  EXPECT_EQ(none.status, 400u);
  EXPECT_EQ(ErrorOf(none), "invalid_scope");

  std::string token = Token(bank);
  ASSERT_EQ(Call(bhttp::verb::post, "/v1/verify", token, kVerify).status, 200u);
  // The administrator takes verify away through the admin API: the very
  // next request with the same token is refused.
  auto put = Call(bhttp::verb::put, "/v1/admin/agency-clients/" + bank.client_id + "/policy",
                  kToken, R"({"operations":["match"],"rate_limit":10,"daily_quota":10})");
  ASSERT_EQ(put.status, 200u) << put.body;
  auto refused = Call(bhttp::verb::post, "/v1/verify", token, kVerify);
  EXPECT_EQ(refused.status, 403u) << refused.body;
  // Match is allowed now, but not in the old token's scope; a new token has it.
  EXPECT_EQ(Call(bhttp::verb::post, "/v1/match", token,
                 R"({"full_name":"Nguyễn Văn An","date_of_birth":"1985-03-14"})")
                .status,
            403u);
  std::string fresh = Token(bank);
  auto match = Call(bhttp::verb::post, "/v1/match", fresh,
                    R"({"full_name":"Nguyễn Văn An","date_of_birth":"1985-03-14"})");
  ASSERT_EQ(match.status, 200u) << match.body;
  // The policy has no citizen_id: the candidate is the bank's pseudonym.
  auto candidates = boost::json::parse(match.body).at("candidates").as_array();
  ASSERT_FALSE(candidates.empty()) << match.body;
  std::string pseudonym(candidates[0].at("citizen_id").as_string());
  EXPECT_TRUE(pseudonym.starts_with("pt_")) << match.body;
  EXPECT_EQ(match.body.find("001085123456"), std::string::npos) << match.body;
  // Stable for the bank.
  auto again = Call(bhttp::verb::post, "/v1/match", fresh,
                    R"({"full_name":"Nguyễn Văn An","date_of_birth":"1985-03-14"})");
  EXPECT_NE(again.body.find(pseudonym), std::string::npos) << again.body;

  // Bad policies are refused with the member at fault.
  auto bad = Call(bhttp::verb::put, "/v1/admin/agency-clients/" + bank.client_id + "/policy",
                  kToken, R"({"operations":["ekyc"],"fields":["full_name"]})");
  EXPECT_EQ(bad.status, 400u);
  EXPECT_NE(bad.body.find("policy.invalid"), std::string::npos) << bad.body;
  EXPECT_NE(bad.body.find("purpose"), std::string::npos) << bad.body;
  auto unknown = Call(bhttp::verb::put, "/v1/admin/agency-clients/" + bank.client_id + "/policy",
                      kToken, R"({"operations":["everything"]})");
  EXPECT_EQ(unknown.status, 400u);
}

TEST_F(AgencyE2eTest, QuotaAndRateLimitAnswer429WithRetryAfter) {
  TestAgencyClient quota = AddTestAgencyClient(
      Dir(), "quota", R"({"operations":["verify"],"rate_limit":1000,"daily_quota":2})");
  // One request per 100 s: the second in a row is over the limit.
  TestAgencyClient slow = AddTestAgencyClient(
      Dir(), "slow", R"({"operations":["verify"],"rate_limit":0.01,"daily_quota":1000})");
  StartServer();
  std::string token = Token(quota);
  EXPECT_EQ(Call(bhttp::verb::post, "/v1/verify", token, kVerify).status, 200u);
  EXPECT_EQ(Call(bhttp::verb::post, "/v1/verify", token, kVerify).status, 200u);
  auto over = Call(bhttp::verb::post, "/v1/verify", token, kVerify);
  EXPECT_EQ(over.status, 429u) << over.body;
  EXPECT_NE(over.body.find("policy.quota_exhausted"), std::string::npos) << over.body;
  ASSERT_TRUE(over.headers.contains("retry-after"));
  int retry = std::stoi(over.headers.at("retry-after"));
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 86400);

  std::string slow_token = Token(slow);
  EXPECT_EQ(Call(bhttp::verb::post, "/v1/verify", slow_token, kVerify).status, 200u);
  auto limited = Call(bhttp::verb::post, "/v1/verify", slow_token, kVerify);
  EXPECT_EQ(limited.status, 429u) << limited.body;
  EXPECT_NE(limited.body.find("policy.rate_limited"), std::string::npos) << limited.body;
  ASSERT_TRUE(limited.headers.contains("retry-after"));
  EXPECT_GE(std::stoi(limited.headers.at("retry-after")), 90);
}

TEST_F(AgencyE2eTest, PullFeedCarriesOnlyThePolicysEventsAndFields) {
  // Social insurance of Hà Nội (province 01): deaths only, with the date of
  // death and no citizen id. A ministry with citizen_id gets the id.
  TestAgencyClient bhxh = AddTestAgencyClient(
      Dir(), "bhxh-hn",
      R"({"operations":["feed"],"fields":["date_of_death"],"rate_limit":100,"daily_quota":1000,
          "feed":{"event_types":["death"],"provinces":["01"]}})");
  TestAgencyClient ministry = AddTestAgencyClient(
      Dir(), "ministry",
      R"({"operations":["feed"],"fields":["citizen_id","date_of_death"],"rate_limit":100,
          "daily_quota":1000,"feed":{"event_types":["death","residence"]}})");
  StartServer();
  // A death in Hà Nội, one in Hồ Chí Minh City (province 79).
  for (const char* body : {R"({"citizen_id":"001085123456","date_of_death":"2026-11-01"})",
                           R"({"citizen_id":"079150456789","date_of_death":"2026-11-02"})"}) {
    auto r = Call(bhttp::verb::post, "/v1/events/death", kToken, body);
    ASSERT_EQ(r.status, 201u) << r.body;
  }
  auto feed = Call(bhttp::verb::get, "/v1/agency/feed?after=0", Token(bhxh));
  ASSERT_EQ(feed.status, 200u) << feed.body;
  auto page = boost::json::parse(feed.body).as_object();
  auto events = page.at("events").as_array();
  ASSERT_EQ(events.size(), 1u) << feed.body;  // the import's events and HCMC's death filtered out
  const auto& e = events[0].as_object();
  EXPECT_EQ(e.at("type").as_string(), "death");
  EXPECT_TRUE(e.at("citizen_id").as_string().starts_with("pt_")) << feed.body;
  EXPECT_EQ(e.at("data").at("date_of_death").as_string(), "2026-11-01");
  EXPECT_EQ(feed.body.find("001085123456"), std::string::npos) << feed.body;
  EXPECT_GT(page.at("next").as_int64(), 0);
  // The cursor: nothing after it.
  auto rest = Call(bhttp::verb::get,
                   "/v1/agency/feed?after=" + std::to_string(page.at("next").as_int64()),
                   Token(bhxh));
  EXPECT_EQ(boost::json::parse(rest.body).at("events").as_array().size(), 0u) << rest.body;

  auto all = Call(bhttp::verb::get, "/v1/agency/feed?after=0", Token(ministry));
  ASSERT_EQ(all.status, 200u) << all.body;
  auto ministry_events = boost::json::parse(all.body).at("events").as_array();
  ASSERT_EQ(ministry_events.size(), 2u) << all.body;
  EXPECT_EQ(ministry_events[0].at("citizen_id").as_string(), "001085123456");
  EXPECT_EQ(ministry_events[1].at("citizen_id").as_string(), "079150456789");
}

TEST_F(AgencyE2eTest, DisabledClientIsRefusedWithinASecond) {
  TestAgencyClient vcb = AddTestAgencyClient(Dir(), "vcb", kVerifyPolicy);
  StartServer();
  std::string token = Token(vcb);
  ASSERT_EQ(Call(bhttp::verb::post, "/v1/verify", token, kVerify).status, 200u);

  auto list = RunDancu({"agencies", "clients", "--data", Dir()});
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_NE(list.out.find(vcb.client_id), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("enabled"), std::string::npos);

  auto disable = RunDancu({"agencies", "disable", "--data", Dir(), "--name", "vcb"});
  ASSERT_EQ(disable.exit_code, 0) << disable.err;
  // The contract is "within a second" of the commit; poll just past it.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(1200);
  unsigned status = 0;
  for (;;) {
    status = Call(bhttp::verb::post, "/v1/verify", token, kVerify).status;
    if (status == 401 || std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(status, 401u);
  EXPECT_NE(RunDancu({"agencies", "list", "--data", Dir()}).out.find("disabled"),
            std::string::npos);
}

TEST_F(AgencyE2eTest, CommandErrors) {
  auto add = RunDancu({"agencies", "add", "--data", Dir(), "--name", "bhxh", "--kind", "ministry",
                       "--display-name", "Bảo hiểm xã hội"});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  auto again = RunDancu({"agencies", "add", "--data", Dir(), "--name", "bhxh", "--kind",
                         "ministry", "--display-name", "x"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("agency.exists"), std::string::npos) << again.err;
  auto bad = RunDancu({"agencies", "add", "--data", Dir(), "--name", "admin", "--kind",
                       "ministry", "--display-name", "x"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("agency.bad_name"), std::string::npos) << bad.err;
  auto kind = RunDancu({"agencies", "add", "--data", Dir(), "--name", "x", "--kind", "club",
                        "--display-name", "x"});
  EXPECT_NE(kind.err.find("agency.bad_kind"), std::string::npos) << kind.err;
  auto unknown = RunDancu({"agencies", "disable", "--data", Dir(), "--name", "nobody"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("agency.not_found"), std::string::npos) << unknown.err;
  // A client of an unknown agency; a JWKS that is not one; a bad policy file.
  std::ofstream(Dir() + "/bad.json") << R"({"keys":[{"kty":"RSA"}]})";
  auto no_agency = RunDancu({"agencies", "add-client", "--data", Dir(), "--agency", "nobody",
                             "--generate-key", Dir() + "/k1.pem"});
  EXPECT_NE(no_agency.err.find("agency.not_found"), std::string::npos) << no_agency.err;
  EXPECT_FALSE(std::filesystem::exists(Dir() + "/k1.pem"));  // nothing half-done
  auto jwks = RunDancu({"agencies", "add-client", "--data", Dir(), "--agency", "bhxh", "--jwks",
                        Dir() + "/bad.json"});
  EXPECT_NE(jwks.err.find("client.bad_jwks"), std::string::npos) << jwks.err;
  auto policy = RunDancu({"agencies", "add-client", "--data", Dir(), "--agency", "bhxh",
                          "--generate-key", Dir() + "/k2.pem", "--policy", Dir() + "/bad.json"});
  EXPECT_NE(policy.err.find("policy.invalid"), std::string::npos) << policy.err;
  EXPECT_FALSE(std::filesystem::exists(Dir() + "/k2.pem"));
  auto no_dir = RunDancu({"agencies", "list", "--data", Dir() + "/missing"});
  EXPECT_EQ(no_dir.exit_code, 1);
  auto usage = RunDancu({"agencies", "add", "--data", Dir()});  // no --name
  EXPECT_EQ(usage.exit_code, 2);
}

}  // namespace
}  // namespace dancu::testing
