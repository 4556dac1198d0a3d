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
  // The officer's token opens the officer routes only, not the staff API.
  EXPECT_EQ(Admin(bhttp::verb::get, "/v1/citizens/001085123456", {}, token).status, 401u);
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
  // An agency key, added before the server starts.
  server_.reset();
  auto agency = RunDancu({"agencies", "add", "--data", dir_.path().string(), "--name", "bhxh"});
  ASSERT_EQ(agency.exit_code, 0) << agency.err;
  std::string key = agency.out.substr(0, agency.out.find_first_of("\r\n"));
  server_ = std::make_unique<ServerProcess>(dir_.path().string(), kToken);
  client_ = std::make_unique<dancu::test::HttpClient>("127.0.0.1", server_->port());

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

}  // namespace
}  // namespace dancu::testing
