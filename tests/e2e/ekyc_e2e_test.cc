// eKYC end to end with the real binary: an administrator registers a bank
// with `dancu agencies add`/`add-client --policy`, the bank gets an access
// token with a client assertion (`dancu agencies assertion`), a citizen
// registers through the pages and creates a one-time consent code
// (POST /v1/me/ekyc-consent-codes), the bank redeems it on
// POST /v1/agency/ekyc and receives exactly the requested fields (without
// the citizen id, which its policy does not allow), a second use of the code
// and a request for a citizen who has not consented are refused, a revoked
// consent stops the bank, and the citizen sees the bank's eKYC requests in
// their access log.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <thread>

#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace dancu::testing {
namespace {

namespace bhttp = boost::beast::http;
namespace json = boost::json;
constexpr char kToken[] = "e2e-admin-token";
constexpr char kPolicy[] = R"({"operations":["ekyc"],
  "fields":["full_name","date_of_birth","sex","permanent_residence"],
  "purpose":"KYC-ACCOUNT-OPENING","rate_limit":100,"daily_quota":1000})";

std::string Encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

class EkycE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = RunDancu({"import", "--data", Dir(), SourceDir() + "/tests/e2e/testdata/family.csv"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto agency = RunDancu({"agencies", "add", "--data", Dir(), "--name", "vcb", "--kind",
                            "enterprise", "--display-name", "Vietcombank"});
    ASSERT_EQ(agency.exit_code, 0) << agency.err;
    { std::ofstream(dir_.path() / "policy.json") << kPolicy; }
    key_ = (dir_.path() / "vcb.pem").string();
    auto client =
        RunDancu({"agencies", "add-client", "--data", Dir(), "--agency", "vcb", "--generate-key",
                  key_, "--policy", (dir_.path() / "policy.json").string()});
    ASSERT_EQ(client.exit_code, 0) << client.err;
    client_id_ = Trim(client.out);
    ASSERT_TRUE(client_id_.starts_with("vcb.")) << client.out;
    server_ = std::make_unique<ServerProcess>(Dir(), kToken);
    http_ = std::make_unique<dancu::test::HttpClient>("127.0.0.1", server_->port());
  }
  std::string Dir() const { return dir_.path().string(); }

  // The bank's access token (client credentials with private_key_jwt).
  std::string BankToken() {
    const std::string endpoint =
        "http://127.0.0.1:" + std::to_string(server_->port()) + "/v1/agency/token";
    auto assertion = RunDancu(
        {"agencies", "assertion", "--client", client_id_, "--key", key_, "--audience", endpoint});
    EXPECT_EQ(assertion.exit_code, 0) << assertion.err;
    std::string form = "grant_type=client_credentials&client_assertion_type=" +
                       Encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") +
                       "&client_assertion=" + Encode(Trim(assertion.out)) + "&scope=ekyc";
    auto r = http_->Request(bhttp::verb::post, "/v1/agency/token", form,
                            {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(r.status, 200u) << r.body;
    if (r.status != 200) return {};
    return std::string(json::parse(r.body).at("access_token").as_string());
  }
  dancu::test::HttpResult Ekyc(const std::string& token, const std::string& body) {
    return http_->Request(
        bhttp::verb::post, "/v1/agency/ekyc", body,
        {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
  }

  // A browser: cookies kept, the last CSRF token remembered.
  dancu::test::HttpResult Browse(bhttp::verb method, const std::string& path,
                                 const std::string& body = {},
                                 const std::string& type = "application/x-www-form-urlencoded") {
    std::vector<std::pair<std::string, std::string>> headers;
    std::string cookie;
    for (const auto& [k, v] : cookies_) cookie += (cookie.empty() ? "" : "; ") + k + "=" + v;
    if (!cookie.empty()) headers.emplace_back("Cookie", cookie);
    if (method == bhttp::verb::post) headers.emplace_back("Content-Type", type);
    auto r = http_->Request(method, path, body, headers);
    if (auto it = r.headers.find("set-cookie"); it != r.headers.end()) {
      std::string pair = it->second.substr(0, it->second.find(';'));
      cookies_[pair.substr(0, pair.find('='))] = pair.substr(pair.find('=') + 1);
    }
    const std::string needle = "name=\"csrf\" value=\"";
    if (size_t at = r.body.find(needle); at != std::string::npos) {
      at += needle.size();
      csrf_ = r.body.substr(at, r.body.find('"', at) - at);
    }
    return r;
  }
  dancu::test::HttpResult Submit(const std::string& path,
                                 const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string form = "csrf=" + Encode(csrf_);
    for (const auto& [k, v] : fields) form += "&" + k + "=" + Encode(v);
    return Browse(bhttp::verb::post, path, form);
  }
  std::string LastSmsCode() {
    std::ifstream in(dir_.path() / "outbox" / "sms.jsonl");
    std::string line, last;
    while (std::getline(in, line)) last = line;
    return std::string(json::parse(last).as_object().at("code").as_string());
  }
  void RegisterCitizen() {
    ASSERT_EQ(Browse(bhttp::verb::get, "/register").status, 200u);
    ASSERT_EQ(Submit("/register", {{"citizen_id", "001085123456"},
                                   {"full_name", "Nguyễn Văn An"},
                                   {"date_of_birth", "1985-03-14"},
                                   {"phone", "0912345678"}})
                  .status,
              303u);
    ASSERT_EQ(Browse(bhttp::verb::get, "/register/code").status, 200u);
    ASSERT_EQ(Submit("/register/code", {{"code", LastSmsCode()}}).status, 303u);
    ASSERT_EQ(Browse(bhttp::verb::get, "/register/password").status, 200u);
    ASSERT_EQ(Submit("/register/password", {{"password", "một câu mật khẩu dài"},
                                            {"password_confirm", "một câu mật khẩu dài"}})
                  .status,
              303u);
    ASSERT_TRUE(cookies_.contains("dancu_session"));
  }

  TempDir dir_;
  std::string key_, client_id_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<dancu::test::HttpClient> http_;
  std::map<std::string, std::string> cookies_;
  std::string csrf_;
};

TEST_F(EkycE2eTest, ConsentCodeRedeemedOnceRevokedAndLogged) {
  const std::string token = BankToken();
  ASSERT_FALSE(token.empty());
  // No consent: refused, and nothing about the citizen is revealed.
  auto none = Ekyc(token, R"({"citizen_id":"001085123456","fields":["full_name"]})");
  EXPECT_EQ(none.status, 403u) << none.body;
  EXPECT_NE(none.body.find("ekyc.no_consent"), std::string::npos) << none.body;
  // A field outside the bank's policy.
  auto outside = Ekyc(token, R"({"citizen_id":"001085123456","fields":["religion"]})");
  EXPECT_EQ(outside.status, 403u);
  EXPECT_NE(outside.body.find("policy.field_not_allowed"), std::string::npos) << outside.body;

  RegisterCitizen();
  // The consent page offers the bank.
  auto page = Browse(bhttp::verb::get, "/account/ekyc-consents?lang=en");
  ASSERT_EQ(page.status, 200u);
  EXPECT_NE(page.body.find("Vietcombank"), std::string::npos);

  auto made = Browse(bhttp::verb::post, "/v1/me/ekyc-consent-codes",
                     R"({"agency":"vcb","fields":["full_name","date_of_birth"],"days":30})",
                     "application/json");
  ASSERT_EQ(made.status, 201u) << made.body;
  const std::string code(json::parse(made.body).at("code").as_string());

  const std::string by_code =
      R"({"consent_code":")" + code + R"(","fields":["full_name","date_of_birth"]})";
  auto first = Ekyc(token, by_code);
  ASSERT_EQ(first.status, 200u) << first.body;
  json::object answer = json::parse(first.body).as_object();
  const json::object& citizen = answer.at("citizen").as_object();
  EXPECT_EQ(citizen.size(), 2u) << first.body;
  EXPECT_EQ(citizen.at("full_name").as_string(), "Nguyễn Văn An");
  EXPECT_EQ(citizen.at("date_of_birth").as_string(), "1985-03-14");
  EXPECT_EQ(first.body.find("001085123456"), std::string::npos) << first.body;
  EXPECT_EQ(answer.at("purpose").as_string(), "KYC-ACCOUNT-OPENING");

  auto second = Ekyc(token, by_code);
  EXPECT_EQ(second.status, 403u);
  EXPECT_NE(second.body.find("ekyc.bad_consent_code"), std::string::npos) << second.body;

  // The citizen revokes the consent the code became; the bank is refused.
  auto list = Browse(bhttp::verb::get, "/v1/me/ekyc-consents");
  ASSERT_EQ(list.status, 200u);
  auto consents = json::parse(list.body).at("consents").as_array();
  ASSERT_EQ(consents.size(), 1u);
  EXPECT_EQ(consents[0].at("source").as_string(), "code");
  const std::string id(consents[0].at("id").as_string());
  auto by_id = R"({"citizen_id":"001085123456","fields":["full_name"]})";
  EXPECT_EQ(Ekyc(token, by_id).status, 200u);
  auto revoked = Browse(bhttp::verb::post, "/v1/me/ekyc-consents/" + id + "/revoke");
  ASSERT_EQ(revoked.status, 200u) << revoked.body;
  auto after = Ekyc(token, by_id);
  EXPECT_EQ(after.status, 403u);
  EXPECT_NE(after.body.find("ekyc.no_consent"), std::string::npos);

  // The citizen's access log shows the bank's eKYC requests (once a signed
  // head covers them, within the log's one-second head interval).
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  std::map<std::string, int> outcomes;
  for (;;) {
    outcomes.clear();
    auto log = Browse(bhttp::verb::get, "/v1/me/access-log");
    ASSERT_EQ(log.status, 200u) << log.body;
    const json::value parsed = json::parse(log.body);  // outlives the loop
    for (const auto& e : parsed.at("entries").as_array()) {
      const auto& entry = e.at("entry").as_object();
      if (entry.at("operation").as_string() == "ekyc") {
        EXPECT_EQ(entry.at("actor").at("id").as_string(), "vcb");
        EXPECT_EQ(entry.at("purpose").as_string(), "KYC-ACCOUNT-OPENING");
        ++outcomes[std::string(entry.at("outcome").as_string())];
      }
    }
    if (outcomes["NO_CONSENT"] >= 2 || std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(outcomes["OK"], 2);
  EXPECT_EQ(outcomes["NO_CONSENT"], 2);
  EXPECT_EQ(outcomes["FIELD_NOT_ALLOWED"], 1);
}

}  // namespace
}  // namespace dancu::testing
