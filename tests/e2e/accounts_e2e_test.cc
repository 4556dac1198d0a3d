// Identity accounts end to end with the real binary: a citizen registers
// through the pages (the code read from the development SMS outbox), signs
// in with the session cookie, an officer created with the admin API upgrades
// the account to level 2, and the citizen's death, registered through the
// API, ends the session within a second (the account watcher).
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

}  // namespace
}  // namespace dancu::testing
