// Officers on the register, end to end with the real binary (issue 5,
// "Officers"): the administrator creates officers with the admin API, a
// civil-status officer of commune 00004 signs in and registers a death there
// (201) but not in Hồ Chí Minh City (403 officer.out_of_area); a police
// officer may not register a birth (403 officer.role_forbids); reads out of
// the area are refused; officer tokens open no staff or agency route; the
// access log holds the officer's reads and writes; disabling the officer
// ends the token at once.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>

#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace dancu::testing {
namespace {

namespace bhttp = boost::beast::http;
using dancu::test::HttpResult;
constexpr char kToken[] = "e2e-admin-token";
// tests/e2e/testdata/family.csv: An (head of household 1) and his wife Bình
// in commune 00004 of Hà Nội (province 01), Dung in commune 25747 of Hồ Chí
// Minh City.
constexpr char kAn[] = "001085123456";
constexpr char kBinh[] = "001188234567";
constexpr char kDung[] = "079150456789";

class OfficersE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = RunDancu({"import", "--data", dir_.path().string(),
                       SourceDir() + "/tests/e2e/testdata/family.csv"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    server_ = std::make_unique<ServerProcess>(dir_.path().string(), kToken);
    client_ = std::make_unique<dancu::test::HttpClient>("127.0.0.1", server_->port());
  }
  HttpResult Call(bhttp::verb method, const std::string& path, const std::string& body = {},
                  const std::string& token = kToken) {
    std::vector<std::pair<std::string, std::string>> headers{{"Authorization", "Bearer " + token}};
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    return client_->Request(method, path, body, headers);
  }
  // Creates an officer with the admin API and signs them in; their token.
  std::string Officer(const std::string& username, const std::string& role,
                      const std::string& area) {
    auto add = Call(bhttp::verb::post, "/v1/admin/officers",
                    R"({"username":")" + username + R"(","name":"Cán Bộ","role":")" + role +
                        R"(","area_code":")" + area + R"(","password":"officer password 1"})");
    EXPECT_EQ(add.status, 201u) << add.body;
    auto session = client_->Request(
        bhttp::verb::post, "/v1/officer/sessions",
        R"({"username":")" + username + R"(","password":"officer password 1"})",
        {{"Content-Type", "application/json"}});
    EXPECT_EQ(session.status, 201u) << session.body;
    return std::string(boost::json::parse(session.body).at("token").as_string());
  }
  static std::string Code(const HttpResult& r) {
    auto v = boost::json::parse(r.body);
    return v.is_object() && v.as_object().contains("code")
               ? std::string(v.at("code").as_string())
               : std::string();
  }
  static std::string Death(const char* id) {
    return std::string(R"({"citizen_id":")") + id + R"(","date_of_death":"2026-11-01"})";
  }
  // Every access-log entry so far (a fresh head commits the queue first).
  std::vector<boost::json::object> LogEntries() {
    auto head = Call(bhttp::verb::post, "/v1/audit/tree-head");
    EXPECT_EQ(head.status, 200u) << head.body;
    const int64_t size = boost::json::parse(head.body).at("size").as_int64();
    std::vector<boost::json::object> out;
    for (int64_t i = 0; i < size; ++i) {
      auto e = Call(bhttp::verb::get, "/v1/audit/entries/" + std::to_string(i));
      EXPECT_EQ(e.status, 200u) << e.body;
      out.push_back(boost::json::parse(e.body).at("entry").as_object());
    }
    return out;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<dancu::test::HttpClient> client_;
};

TEST_F(OfficersE2eTest, OfficersRegisterAndReadOnlyInTheirAreaAndAreLogged) {
  const std::string civil = Officer("civil.bd", "civil_status", "00004");
  const std::string police = Officer("police.hn", "police", "01");

  // A death in the officer's commune: registered, with the officer as actor.
  auto death = Call(bhttp::verb::post, "/v1/events/death", Death(kAn), civil);
  ASSERT_EQ(death.status, 201u) << death.body;
  auto history = Call(bhttp::verb::get, std::string("/v1/citizens/") + kAn + "/history");
  ASSERT_EQ(history.status, 200u) << history.body;
  const boost::json::value parsed = boost::json::parse(history.body);
  const auto& events = parsed.at("events").as_array();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().at("actor").as_string(), "officer:civil.bd");

  // In another province: refused, nothing written.
  auto far = Call(bhttp::verb::post, "/v1/events/death", Death(kDung), civil);
  EXPECT_EQ(far.status, 403u) << far.body;
  EXPECT_EQ(Code(far), "officer.out_of_area");
  auto dung = Call(bhttp::verb::get, std::string("/v1/citizens/") + kDung);
  EXPECT_EQ(boost::json::parse(dung.body).at("status").as_string(), "alive");

  // A police officer does not register births.
  auto birth = Call(bhttp::verb::post, "/v1/events/birth",
                    std::string(R"({"full_name":"Nguyễn Thị Hoa","sex":"female",)") +
                        R"("date_of_birth":"2026-11-20","birth_commune_code":"00004",)" +
                        R"("mother_id":")" + kBinh + R"("})",
                    police);
  EXPECT_EQ(birth.status, 403u) << birth.body;
  EXPECT_EQ(Code(birth), "officer.role_forbids");

  // Reads: in the area yes, out of it no.
  EXPECT_EQ(Call(bhttp::verb::get, std::string("/v1/citizens/") + kBinh, {}, civil).status, 200u);
  auto out = Call(bhttp::verb::get, std::string("/v1/citizens/") + kDung, {}, civil);
  EXPECT_EQ(out.status, 403u);
  EXPECT_EQ(Code(out), "officer.out_of_area");
  EXPECT_EQ(Call(bhttp::verb::get, "/v1/households/1", {}, police).status, 200u);

  // Officer tokens open no staff or agency route.
  for (const char* path : {"/v1/feed", "/v1/admin/officers", "/v1/citizens?name=An"}) {
    auto r = Call(bhttp::verb::get, path, {}, civil);
    EXPECT_EQ(r.status, 403u) << path << " " << r.body;
    EXPECT_EQ(Code(r), "auth.forbidden") << path;
  }
  auto verify = Call(bhttp::verb::post, "/v1/verify",
                     std::string(R"({"id":")") + kAn + R"(","full_name":"Nguyễn Văn An"})",
                     civil);
  EXPECT_EQ(verify.status, 403u) << verify.body;

  // The access log: the officer's write, refused write, read and refused read.
  struct Want {
    std::string operation, outcome;
    bool found = false;
  } wants[] = {{"register-death", "OK"},
               {"register-death", "officer.out_of_area"},
               {"read", "OK"},
               {"read", "officer.out_of_area"}};
  for (const boost::json::object& e : LogEntries()) {
    if (e.at("actor").at("kind").as_string() != "officer" ||
        e.at("actor").at("id").as_string() != "civil.bd") {
      continue;
    }
    for (Want& w : wants) {
      if (e.at("operation").as_string() == w.operation &&
          e.at("outcome").as_string() == w.outcome) {
        w.found = true;
      }
    }
    EXPECT_EQ(boost::json::serialize(e).find(kAn), std::string::npos);  // a pseudonym only
  }
  for (const Want& w : wants) EXPECT_TRUE(w.found) << w.operation << " " << w.outcome;

  // Disabling the officer ends the token at once.
  ASSERT_EQ(Call(bhttp::verb::post, "/v1/admin/officers/civil.bd/disable").status, 200u);
  auto after = Call(bhttp::verb::get, std::string("/v1/citizens/") + kAn, {}, civil);
  EXPECT_EQ(after.status, 401u) << after.body;
}

}  // namespace
}  // namespace dancu::testing
