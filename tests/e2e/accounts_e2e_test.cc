// Identity accounts end to end with the real binary: a citizen registers
// through the pages (the code read from the development SMS outbox), signs
// in with the session cookie, an officer created with the admin API upgrades
// the account to level 2, and the citizen's death, registered through the
// API, ends the session within a second (the account watcher). The citizen
// sees who verified them in the access log, with proofs checked offline.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <fstream>
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

std::string HiddenCsrf(const std::string& html) {
  const std::string needle = "name=\"csrf\" value=\"";
  size_t at = html.find(needle);
  if (at == std::string::npos) return {};
  at += needle.size();
  return html.substr(at, html.find('"', at) - at);
}

class AccountsE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = RunDancu({"import", "--data", dir_.path().string(),
                       SourceDir() + "/tests/e2e/testdata/family.csv"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    server_ = std::make_unique<ServerProcess>(dir_.path().string(), kToken);
    client_ = std::make_unique<dancu::test::HttpClient>("127.0.0.1", server_->port());
  }

  // A browser request: the cookies kept so far; Set-Cookie remembered.
  dancu::test::HttpResult Browse(bhttp::verb method, const std::string& path,
                                 const std::string& form = {}) {
    std::vector<std::pair<std::string, std::string>> headers;
    std::string cookie;
    for (const auto& [k, v] : cookies_) cookie += (cookie.empty() ? "" : "; ") + k + "=" + v;
    if (!cookie.empty()) headers.emplace_back("Cookie", cookie);
    if (method == bhttp::verb::post) {
      headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    }
    auto r = client_->Request(method, path, form, headers);
    if (auto it = r.headers.find("set-cookie"); it != r.headers.end()) {
      std::string pair = it->second.substr(0, it->second.find(';'));
      cookies_[pair.substr(0, pair.find('='))] = pair.substr(pair.find('=') + 1);
    }
    if (auto token = HiddenCsrf(r.body); !token.empty()) csrf_ = token;
    return r;
  }
  dancu::test::HttpResult Submit(const std::string& path,
                                 const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string form = "csrf=" + Encode(csrf_);
    for (const auto& [k, v] : fields) form += "&" + k + "=" + Encode(v);
    return Browse(bhttp::verb::post, path, form);
  }
  dancu::test::HttpResult Admin(bhttp::verb method, const std::string& path,
                                const std::string& body, const std::string& token = kToken) {
    return client_->Request(method, path, body,
                            {{"Authorization", "Bearer " + token},
                             {"Content-Type", "application/json"}});
  }
  std::string LastCode() {
    std::ifstream in(dir_.path() / "outbox" / "sms.jsonl");
    std::string line, last;
    while (std::getline(in, line)) last = line;
    return std::string(boost::json::parse(last).as_object().at("code").as_string());
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<dancu::test::HttpClient> client_;
  std::map<std::string, std::string> cookies_;
  std::string csrf_;
};

TEST_F(AccountsE2eTest, RegisterUpgradeAndDeath) {
  ASSERT_EQ(Browse(bhttp::verb::get, "/register").status, 200u);
  auto start = Submit("/register", {{"citizen_id", "001085123456"},
                                    {"full_name", "Nguyễn Văn An"},
                                    {"date_of_birth", "1985-03-14"},
                                    {"phone", "0912345678"}});
  ASSERT_EQ(start.status, 303u) << start.body;
  ASSERT_EQ(Browse(bhttp::verb::get, "/register/code").status, 200u);
  ASSERT_EQ(Submit("/register/code", {{"code", LastCode()}}).status, 303u);
  ASSERT_EQ(Browse(bhttp::verb::get, "/register/password").status, 200u);
  auto done = Submit("/register/password", {{"password", "một câu mật khẩu dài"},
                                            {"password_confirm", "một câu mật khẩu dài"}});
  ASSERT_EQ(done.status, 303u) << done.body;
  ASSERT_TRUE(cookies_.contains("dancu_session"));
  auto me = Browse(bhttp::verb::get, "/v1/me");
  ASSERT_EQ(me.status, 200u) << me.body;
  EXPECT_EQ(boost::json::parse(me.body).as_object().at("level").as_int64(), 1);

  // An officer of Hà Nội (province 01) upgrades the account.
  auto officer = Admin(bhttp::verb::post, "/v1/admin/officers",
                       R"({"username":"officer.hn","name":"Phạm Văn Cán","role":"police",)"
                       R"("area_code":"01","password":"officer password 1"})");
  ASSERT_EQ(officer.status, 201u) << officer.body;
  auto session = client_->Request(bhttp::verb::post, "/v1/officer/sessions",
                                  R"({"username":"officer.hn","password":"officer password 1"})",
                                  {{"Content-Type", "application/json"}});
  ASSERT_EQ(session.status, 201u) << session.body;
  std::string token(boost::json::parse(session.body).as_object().at("token").as_string());
  // The officer's token opens the officer routes only, not the staff API
  // (officers_e2e_test.cc has the register routes opened to officers).
  EXPECT_EQ(Admin(bhttp::verb::get, "/v1/feed", {}, token).status, 403u);
  auto upgrade = Admin(bhttp::verb::post, "/v1/officer/upgrades",
                       R"({"citizen_id":"001085123456","place":"Công an phường Ba Đình",)"
                       R"("face_template":"RkFDRQ==","fingerprint_template":"RklOR0VS"})",
                       token);
  ASSERT_EQ(upgrade.status, 200u) << upgrade.body;

  // Death in the register: the session ends within a second.
  auto death = Admin(bhttp::verb::post, "/v1/events/death",
                     R"({"citizen_id":"001085123456","date_of_death":"2026-11-01"})");
  ASSERT_EQ(death.status, 201u) << death.body;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(1200);
  unsigned status = 0;
  for (;;) {
    status = Browse(bhttp::verb::get, "/v1/me").status;
    if (status == 401 || std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(status, 401u);
}

// The citizen's access log (issue 5): an agency and the admin verify the
// citizen, who sees both accesses (and not his wife's) in GET
// /v1/me/access-log, each with an inclusion proof that `dancu audit verify`
// accepts offline against the signed head of the same answer.
TEST_F(AccountsE2eTest, TheCitizenSeesWhoVerifiedHimWithProofs) {
  // An agency client, added before the server starts.
  server_.reset();
  TestAgencyClient bhxh_client = AddTestAgencyClient(
      dir_.path().string(), "bhxh",
      R"({"operations":["verify"],"rate_limit":100,"daily_quota":1000})");
  server_ = std::make_unique<ServerProcess>(dir_.path().string(), kToken);
  client_ = std::make_unique<dancu::test::HttpClient>("127.0.0.1", server_->port());
  std::string key = AgencyAccessToken(*client_, server_->port(), bhxh_client);

  ASSERT_EQ(Browse(bhttp::verb::get, "/register").status, 200u);
  ASSERT_EQ(Submit("/register", {{"citizen_id", "001085123456"},
                                 {"full_name", "Nguyễn Văn An"},
                                 {"date_of_birth", "1985-03-14"},
                                 {"phone", "0912345678"}})
                .status,
            303u);
  ASSERT_EQ(Browse(bhttp::verb::get, "/register/code").status, 200u);
  ASSERT_EQ(Submit("/register/code", {{"code", LastCode()}}).status, 303u);
  ASSERT_EQ(Browse(bhttp::verb::get, "/register/password").status, 200u);
  ASSERT_EQ(Submit("/register/password", {{"password", "một câu mật khẩu dài"},
                                          {"password_confirm", "một câu mật khẩu dài"}})
                .status,
            303u);
  EXPECT_EQ(client_->Request(bhttp::verb::get, "/v1/me/access-log").status, 401u);

  auto verify = [&](const std::string& token, const std::string& body) {
    auto r = Admin(bhttp::verb::post, "/v1/verify", body, token);
    EXPECT_EQ(r.status, 200u) << r.body;
  };
  verify(key, R"({"id":"001085123456","full_name":"Nguyễn Văn An","date_of_birth":"1985-03-14"})");
  verify(key, R"({"id":"001188234567","full_name":"Trần Thị Bình"})");  // his wife
  verify(kToken, R"({"id":"001085123456","date_of_birth":"1985-03-15"})");
  // A signed head covering all three now, rather than within the second.
  ASSERT_EQ(Admin(bhttp::verb::post, "/v1/audit/tree-head", {}).status, 200u);

  auto log = Browse(bhttp::verb::get, "/v1/me/access-log");
  ASSERT_EQ(log.status, 200u) << log.body;
  auto answer = boost::json::parse(log.body).as_object();
  const auto& entries = answer.at("entries").as_array();
  ASSERT_EQ(entries.size(), 2u) << log.body;  // his two, newest first
  const auto& admin = entries[0].as_object().at("entry").as_object();
  EXPECT_EQ(admin.at("actor").at("kind").as_string(), "staff");
  EXPECT_EQ(admin.at("outcome").as_string(), "MISMATCH");
  const auto& bhxh = entries[1].as_object().at("entry").as_object();
  EXPECT_EQ(bhxh.at("actor").at("kind").as_string(), "agency");
  EXPECT_EQ(bhxh.at("actor").at("id").as_string(), "bhxh");
  EXPECT_EQ(bhxh.at("operation").as_string(), "verify");
  EXPECT_EQ(bhxh.at("outcome").as_string(), "MATCH");
  EXPECT_EQ(boost::json::serialize(bhxh.at("fields")), R"(["id","full_name","date_of_birth"])");
  const uint64_t index = entries[1].as_object().at("index").to_number<uint64_t>();

  auto page = Browse(bhttp::verb::get, "/account/access-log?lang=en");
  ASSERT_EQ(page.status, 200u);
  EXPECT_NE(page.body.find("Agency: bhxh"), std::string::npos);

  // Offline: the head, the public key, the entry and its proof as files.
  TempDir files;
  auto save = [&](const std::string& name, const std::string& body) {
    std::string path = (files.path() / name).string();
    std::ofstream(path) << body;
    return path;
  };
  auto public_key = client_->Request(bhttp::verb::get, "/v1/audit/public-key");
  ASSERT_EQ(public_key.status, 200u);
  std::string head_file = save("head.json", boost::json::serialize(answer.at("tree_head")));
  std::string key_file = save("key.json", public_key.body);
  std::string proof_file =
      save("proof.json", boost::json::serialize(entries[1].as_object().at("proof")));
  std::string entry_file = save("entry.json", boost::json::serialize(entries[1]));
  auto ok = RunDancu({"audit", "verify", "--head", head_file, "--key", key_file, "--proof",
                      proof_file, "--entry", entry_file});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("OK: inclusion of entry " + std::to_string(index)), std::string::npos)
      << ok.out;
  // The other entry is not what that proof proves.
  auto wrong =
      RunDancu({"audit", "verify", "--head", head_file, "--key", key_file, "--proof", proof_file,
                "--entry", save("other.json", boost::json::serialize(entries[0]))});
  EXPECT_EQ(wrong.exit_code, 1) << wrong.out;
}


// The README's hub tour (issue 5, "Done when"): the administrator creates an
// agency and its client with a policy through the admin API; the agency gets
// a token with private_key_jwt, verifies the citizen, receives a death event
// in its pull feed and submits a health-insurance record; the citizen sees
// the verification and the submission in the access log, with proofs that
// `dancu audit verify` accepts, and the card among the linked documents.
TEST_F(AccountsE2eTest, TheHubTourFromAgencyToTheCitizensProofs) {
  auto agency = Admin(bhttp::verb::post, "/v1/admin/agencies",
                      R"({"name":"bhxh-hn","kind":"ministry",
                          "display_name":"Bảo hiểm xã hội Hà Nội"})");
  ASSERT_EQ(agency.status, 201u) << agency.body;
  crypto::EcKey key = crypto::EcKey::Generate();
  boost::json::object client_body{
      {"jwks", {{"keys", boost::json::array{key.PublicJwk(key.Thumbprint())}}}},
      {"policy", boost::json::parse(
                     R"({"operations":["verify","feed","submit-sectoral-data"],
                         "fields":["citizen_id","date_of_death"],"purpose":"BHXH-HN",
                         "rate_limit":50,"daily_quota":10000,
                         "feed":{"event_types":["death"],"provinces":["01"]}})")}};
  auto client = Admin(bhttp::verb::post, "/v1/admin/agencies/bhxh-hn/clients",
                      boost::json::serialize(client_body));
  ASSERT_EQ(client.status, 201u) << client.body;
  TestAgencyClient bhxh{
      std::string(boost::json::parse(client.body).at("client_id").as_string()),
      key.PrivatePem()};
  std::string token = AgencyAccessToken(*client_, server_->port(), bhxh);
  ASSERT_FALSE(token.empty());

  // The citizen has an account.
  ASSERT_EQ(Browse(bhttp::verb::get, "/register").status, 200u);
  ASSERT_EQ(Submit("/register", {{"citizen_id", "001085123456"},
                                 {"full_name", "Nguyễn Văn An"},
                                 {"date_of_birth", "1985-03-14"},
                                 {"phone", "0912345678"}})
                .status,
            303u);
  ASSERT_EQ(Browse(bhttp::verb::get, "/register/code").status, 200u);
  ASSERT_EQ(Submit("/register/code", {{"code", LastCode()}}).status, 303u);
  ASSERT_EQ(Browse(bhttp::verb::get, "/register/password").status, 200u);
  ASSERT_EQ(Submit("/register/password", {{"password", "một câu mật khẩu dài"},
                                          {"password_confirm", "một câu mật khẩu dài"}})
                .status,
            303u);

  // The agency verifies him.
  auto verified = Admin(bhttp::verb::post, "/v1/verify",
                        R"({"id":"001085123456","full_name":"Nguyễn Văn An",
                            "date_of_birth":"1985-03-14"})",
                        token);
  ASSERT_EQ(verified.status, 200u) << verified.body;
  EXPECT_NE(verified.body.find("\"MATCH\""), std::string::npos);
  // A death in Hà Nội reaches its pull feed.
  auto death = Admin(bhttp::verb::post, "/v1/events/death",
                     R"({"citizen_id":"001215345678","date_of_death":"2026-11-20"})");
  ASSERT_EQ(death.status, 201u) << death.body;
  auto feed = Admin(bhttp::verb::get, "/v1/agency/feed?after=0", {}, token);
  ASSERT_EQ(feed.status, 200u) << feed.body;
  auto events = boost::json::parse(feed.body).at("events").as_array();
  ASSERT_EQ(events.size(), 1u) << feed.body;
  EXPECT_EQ(events[0].at("citizen_id").as_string(), "001215345678");
  EXPECT_EQ(events[0].at("data").at("date_of_death").as_string(), "2026-11-20");
  // It submits his health-insurance card.
  auto submitted = Admin(bhttp::verb::post, "/v1/agency/sectoral-records",
                         R"([{"type":"health_insurance","number":"DN4010123456789",
                              "valid_from":"2026-01-01","valid_to":"2026-12-31",
                              "citizen_id":"001085123456","full_name":"Nguyễn Văn An",
                              "date_of_birth":"1985-03-14"}])",
                         token);
  ASSERT_EQ(submitted.status, 200u) << submitted.body;
  EXPECT_EQ(boost::json::parse(submitted.body).at("accepted").as_int64(), 1) << submitted.body;
  ASSERT_EQ(Admin(bhttp::verb::post, "/v1/audit/tree-head", {}).status, 200u);

  // The citizen's access log: the submission and the verification, newest
  // first, by the agency, with its purpose.
  auto log = Browse(bhttp::verb::get, "/v1/me/access-log");
  ASSERT_EQ(log.status, 200u) << log.body;
  auto answer = boost::json::parse(log.body).as_object();
  const auto& entries = answer.at("entries").as_array();
  ASSERT_EQ(entries.size(), 2u) << log.body;
  const auto& submission = entries[0].as_object().at("entry").as_object();
  EXPECT_EQ(submission.at("operation").as_string(), "submit-sectoral-data");
  EXPECT_EQ(submission.at("actor").at("id").as_string(), "bhxh-hn");
  EXPECT_EQ(submission.at("purpose").as_string(), "BHXH-HN");
  const auto& verification = entries[1].as_object().at("entry").as_object();
  EXPECT_EQ(verification.at("operation").as_string(), "verify");
  EXPECT_EQ(verification.at("outcome").as_string(), "MATCH");

  // Both proofs check offline against the signed head of the answer.
  TempDir files;
  auto save = [&](const std::string& name, const std::string& body) {
    std::string path = (files.path() / name).string();
    std::ofstream(path) << body;
    return path;
  };
  std::string head_file = save("head.json", boost::json::serialize(answer.at("tree_head")));
  std::string key_file =
      save("key.json", client_->Request(bhttp::verb::get, "/v1/audit/public-key").body);
  for (size_t i = 0; i < 2; ++i) {
    const auto& e = entries[i].as_object();
    auto ok = RunDancu({"audit", "verify", "--head", head_file, "--key", key_file, "--proof",
                        save("proof.json", boost::json::serialize(e.at("proof"))), "--entry",
                        save("entry.json", boost::json::serialize(e))});
    EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  }

  // The card is among his linked documents.
  auto documents = Browse(bhttp::verb::get, "/v1/me/documents");
  ASSERT_EQ(documents.status, 200u) << documents.body;
  EXPECT_NE(documents.body.find("DN4010123456789"), std::string::npos) << documents.body;
}

}  // namespace
}  // namespace dancu::testing
