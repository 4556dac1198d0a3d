// POST /v1/agency/sectoral-records (api/sectoral.cc) on the registry
// fixture's register, driven through the Router without sockets, plus one
// real http::Server for the per-path body limit (413). Covers: the per-record
// report (linked, mismatch, not_found, invalid) with per-field outcomes,
// storage of the linked records only, the {"records":[...]} form, bad
// bodies, too many records, a storage failure that links nothing, the
// access-log entries, and the policy gate (403 for an agency client whose
// policy lacks submit-sectoral-data, 200 once it has it).
#include <gtest/gtest.h>

#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <thread>

#include "api/api.h"
#include "core/metrics.h"
#include "crypto/ec_key.h"
#include "http/authenticator.h"
#include "http/server.h"
#include "hub/audit_db.h"
#include "hub/audit_keys.h"
#include "hub/audit_log.h"
#include "hub/hub_db.h"
#include "hub/linked_documents.h"
#include "hub/members.h"
#include "support/http_client.h"
#include "verify/verifier_fixture.h"

namespace dancu::api {
namespace {

namespace bhttp = boost::beast::http;

class SectoralApiTest : public verify::testing::VerifierTestBase {
 protected:
  void SetUp() override {
    VerifierTestBase::SetUp();
    if (HasFatalFailure()) return;
    auto db = hub::OpenHubDb(dir_.path());
    ASSERT_TRUE(db) << db.error().message;
    hub_db_ = std::move(*db);
    auto docs = hub::LinkedDocuments::Open(*hub_db_, clock_);
    ASSERT_TRUE(docs) << docs.error().message;
    docs_ = std::move(*docs);
    auto adb = hub::OpenAuditDb(dir_.path());
    ASSERT_TRUE(adb) << adb.error().message;
    audit_db_ = std::move(*adb);
    auto keys = hub::LoadOrCreateAuditKeys(dir_.path());
    ASSERT_TRUE(keys) << keys.error().message;
    hub::AuditLogOptions options;
    options.writer_thread = false;
    auto log = hub::AuditLog::Open(*audit_db_, std::move(*keys), clock_, options);
    ASSERT_TRUE(log) << log.error().message;
    log_ = std::move(*log);
    auto members = hub::Members::Open(*hub_db_, dir_.path(), clock_, random_);
    ASSERT_TRUE(members) << members.error().message;
    members_ = std::move(*members);

    deps_.emplace(ApiDeps{*reg_, metrics_, clock_});
    deps_->verifier = verifier_.get();
    deps_->audit_log = log_.get();
    deps_->members = members_.get();
    deps_->linked_documents = docs_.get();
    AddSectoralRoutes(router_, *deps_);
  }
  void TearDown() override {
    log_.reset();
    members_.reset();
    docs_.reset();
    VerifierTestBase::TearDown();
  }

  http::Response Post(std::string body,
                      http::Principal principal = {http::Principal::Kind::kAdmin, "admin", 0}) {
    http::Request req{bhttp::verb::post, "/v1/agency/sectoral-records", 11};
    req.set(bhttp::field::content_type, "application/json");
    req.body() = std::move(body);
    req.prepare_payload();
    auto ctx = http::RequestContext::MakeForTest(std::move(req), "203.0.113.7");
    ctx.principal = std::move(principal);
    return router_.Dispatch(ctx);
  }

  std::string Code(const http::Response& r) {
    return std::string(boost::json::parse(r.body).at("code").as_string());
  }

  size_t DocumentsOf(const registry::Citizen& c) {
    auto list = docs_->ForCitizen(c.id);
    EXPECT_TRUE(list);
    return list ? list->size() : 0;
  }

  // A health-insurance card record for `c` with the given person fields.
  boost::json::object Card(const registry::Citizen& c, std::string name, std::string dob) {
    boost::json::object o{{"type", "health_insurance"},
                          {"number", "DN4010123456789"},
                          {"valid_from", "2026-01-01"},
                          {"valid_to", "2026-12-31"},
                          {"citizen_id", c.id.ToString()}};
    if (!name.empty()) o["full_name"] = name;
    if (!dob.empty()) o["date_of_birth"] = dob;
    return o;
  }

  Metrics metrics_;
  std::unique_ptr<storage::Database> hub_db_, audit_db_;
  std::unique_ptr<hub::LinkedDocuments> docs_;
  std::unique_ptr<hub::AuditLog> log_;
  std::unique_ptr<hub::Members> members_;
  std::optional<ApiDeps> deps_;
  http::Router router_;
};

TEST_F(SectoralApiTest, ReportsEachRecordAndLinksOnlyTheMatchingOnes) {
  boost::json::array records;
  records.push_back(Card(husband_, "Nguyễn Văn An", "1985-03-14"));  // linked
  records.push_back(Card(wife_, "Trần Thị Bích", "1988-07-02"));     // mismatch: name
  boost::json::object nobody = Card(husband_, "", "");
  nobody["citizen_id"] = CitizenId::Make(1, Sex::kMale, 1985, 999999).value().ToString();
  records.push_back(nobody);  // not_found
  boost::json::object bad = Card(son_, "", "");
  bad["number"] = "DN40101234";
  records.push_back(bad);  // invalid
  records.push_back(boost::json::object{{"type", "driver_licence"},
                                        {"number", "790123456789"},
                                        {"class", "B1"},
                                        {"citizen_id", single_.id.ToString()},
                                        {"date_of_birth", "1950"}});  // linked
  records.push_back(boost::json::object{{"type", "tax_code"}, {"numbr", "8012345678"}});

  auto r = Post(boost::json::serialize(records));
  ASSERT_EQ(r.status, 200u) << r.body;
  auto answer = boost::json::parse(r.body).as_object();
  EXPECT_EQ(answer.at("accepted").as_int64(), 2);
  const auto& results = answer.at("results").as_array();
  ASSERT_EQ(results.size(), 6u);
  auto status = [&](size_t i) {
    return std::string(results[i].as_object().at("status").as_string());
  };
  EXPECT_EQ(status(0), "linked");
  EXPECT_EQ(status(1), "mismatch");
  EXPECT_EQ(status(2), "not_found");
  EXPECT_EQ(status(3), "invalid");
  EXPECT_EQ(status(4), "linked");
  EXPECT_EQ(status(5), "invalid");
  for (size_t i = 0; i < results.size(); ++i) {
    EXPECT_EQ(results[i].as_object().at("index").as_int64(), static_cast<int64_t>(i));
  }

  // The mismatch goes back with per-field outcomes, no register value.
  const auto& fields = results[1].as_object().at("fields").as_object();
  EXPECT_EQ(fields.at("citizen_id").at("result").as_string(), "match");
  EXPECT_EQ(fields.at("full_name").at("result").as_string(), "partial");
  EXPECT_EQ(fields.at("full_name").at("level").as_string(), "typo");
  EXPECT_EQ(fields.at("date_of_birth").at("result").as_string(), "match");
  EXPECT_EQ(r.body.find("Bình"), std::string::npos);
  const auto& error = results[3].as_object().at("error").as_object();
  EXPECT_EQ(error.at("code").as_string(), "sectoral.bad_card_number");
  EXPECT_EQ(error.at("field").as_string(), "number");
  EXPECT_EQ(results[5].as_object().at("error").at("code").as_string(), "request.unknown_field");

  EXPECT_EQ(DocumentsOf(husband_), 1u);
  EXPECT_EQ(DocumentsOf(wife_), 0u);
  EXPECT_EQ(DocumentsOf(son_), 0u);
  auto single = docs_->ForCitizen(single_.id).value();
  ASSERT_EQ(single.size(), 1u);
  EXPECT_EQ(single[0].type, hub::DocumentType::kDriverLicence);
  EXPECT_EQ(single[0].agency, "admin");  // staff submit under their principal

  // One access-log entry per record checked against the register (not the
  // two invalid ones), with field names and the outcome, never values.
  ASSERT_TRUE(log_->Flush());
  ASSERT_EQ(log_->size(), 4u);
  auto first = log_->Entry(0).value();
  EXPECT_EQ(first.operation, "submit-sectoral-data");
  EXPECT_EQ(first.fields, "citizen_id,full_name,date_of_birth");
  EXPECT_EQ(first.outcome, "MATCH");
  EXPECT_EQ(first.subject, log_->Subject(husband_.id.ToString()));
  EXPECT_EQ(log_->Entry(1).value().outcome, "MISMATCH");
  EXPECT_EQ(log_->Entry(2).value().outcome, "NOT_FOUND");
}

TEST_F(SectoralApiTest, AcceptsARecordsObjectAndRefusesBadBodies) {
  boost::json::object body{{"records", boost::json::array{Card(husband_, "", "")}}};
  auto r = Post(boost::json::serialize(body));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(boost::json::parse(r.body).at("accepted").as_int64(), 1);

  r = Post("[{\"type\":");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(Code(r), "request.malformed_json");
  r = Post("\"records\"");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(Code(r), "request.wrong_type");
  r = Post("{\"rows\": []}");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(Code(r), "request.unknown_field");
  r = Post("{}");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(Code(r), "request.missing_field");
  r = Post("[]");
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(boost::json::parse(r.body).at("accepted").as_int64(), 0);
}

TEST_F(SectoralApiTest, TooManyRecordsAreRefusedWhole) {
  boost::json::array records;
  for (size_t i = 0; i <= kSectoralMaxRecords; ++i) records.push_back(Card(husband_, "", ""));
  auto r = Post(boost::json::serialize(records));
  EXPECT_EQ(r.status, 413u);
  EXPECT_EQ(Code(r), "sectoral.too_many_records");
  EXPECT_EQ(DocumentsOf(husband_), 0u);
  records.pop_back();
  r = Post(boost::json::serialize(records));
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(boost::json::parse(r.body).at("accepted").as_int64(),
            static_cast<int64_t>(kSectoralMaxRecords));
  EXPECT_EQ(DocumentsOf(husband_), 1u);  // one card, replaced 999 times
}

TEST_F(SectoralApiTest, AStorageFailureLinksNothing) {
  auto conn = hub_db_->Connect();
  ASSERT_TRUE(conn);
  ASSERT_TRUE((*conn)->Exec(
      "CREATE TRIGGER fail_licences BEFORE INSERT ON linked_documents "
      "WHEN NEW.type = 'driver_licence' BEGIN SELECT RAISE(ABORT, 'disk full'); END;"));
  boost::json::array records;
  records.push_back(Card(husband_, "", ""));
  records.push_back(boost::json::object{{"type", "driver_licence"},
                                        {"number", "790123456789"},
                                        {"class", "A1"},
                                        {"citizen_id", single_.id.ToString()}});
  auto r = Post(boost::json::serialize(records));
  EXPECT_EQ(r.status, 500u) << r.body;
  EXPECT_EQ(DocumentsOf(husband_), 0u);  // the first record went too
  EXPECT_EQ(DocumentsOf(single_), 0u);
}

TEST_F(SectoralApiTest, AnAgencyNeedsSubmitSectoralDataInItsPolicy) {
  ASSERT_TRUE(members_->AddAgency({"bhxh-hanoi", "ministry", "Bảo hiểm xã hội Hà Nội", {}, false}));
  auto key = crypto::EcKey::Generate();
  boost::json::object jwks{{"keys", boost::json::array{key.PublicJwk("k1")}}};
  auto client = members_->AddClient("bhxh-hanoi", boost::json::serialize(jwks));
  ASSERT_TRUE(client) << client.error().code << " " << client.error().message;
  hub::Policy policy;
  policy.operations = hub::Bit(hub::Operation::kVerify);
  policy.purpose = "HEALTH-INSURANCE";
  policy.rate_limit = 100;
  policy.daily_quota = 1000;
  {
    auto valid = hub::ParsePolicy(hub::PolicyToJson(policy));
    ASSERT_TRUE(valid) << valid.error().field << ": " << valid.error().message;
  }
  ASSERT_TRUE(members_->SetPolicy(client->client_id, policy));
  const http::Principal agency{
      http::Principal::Kind::kAgency, client->client_id,
      hub::Bit(hub::Operation::kVerify) | hub::Bit(hub::Operation::kSubmitSectoralData)};
  const std::string body = boost::json::serialize(boost::json::array{Card(husband_, "", "")});

  auto r = Post(body, agency);
  EXPECT_EQ(r.status, 403u) << r.body;
  EXPECT_EQ(Code(r), "auth.forbidden");
  EXPECT_EQ(DocumentsOf(husband_), 0u);

  // The same client, once its policy allows the operation (at once): so the
  // 403 above was the policy's.
  policy.operations |= hub::Bit(hub::Operation::kSubmitSectoralData);
  ASSERT_TRUE(members_->SetPolicy(client->client_id, policy));
  r = Post(body, agency);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto docs = docs_->ForCitizen(husband_.id).value();
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].agency, "bhxh-hanoi");
  ASSERT_TRUE(log_->Flush());
  auto entry = log_->Entry(log_->size() - 1).value();
  EXPECT_EQ(entry.actor, "bhxh-hanoi");
  EXPECT_EQ(entry.purpose, "HEALTH-INSURANCE");
}

// The per-path body limit, through a real server: a body over
// kSectoralBodyLimit is answered 413 before the handler runs.
TEST_F(SectoralApiTest, AnOversizedBodyIs413) {
  http::AdminTokenAuthenticator auth("test-admin-token");
  http::ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.threads = 1;
  options.handle_signals = false;
  options.body_limit = 64 << 10;  // smaller than the route's own limit
  options.path_body_limits.emplace_back("/v1/agency/sectoral-records", kSectoralBodyLimit);
  http::Server server(options, router_, auth, metrics_);
  auto port = server.Listen();
  ASSERT_TRUE(port) << port.error().message;
  std::thread run([&] { server.Run(); });
  test::HttpClient client("127.0.0.1", *port);
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"Authorization", "Bearer test-admin-token"}, {"Content-Type", "application/json"}};

  // Within the route's limit (above the server's default): answered.
  std::string card = boost::json::serialize(Card(husband_, "", ""));
  std::string ok = "[" + card + "]" + std::string(200 << 10, ' ');
  auto answered = client.Request(bhttp::verb::post, "/v1/agency/sectoral-records", ok, headers);
  EXPECT_EQ(answered.status, 200u) << answered.body;

  std::string big = "[" + card + "]" + std::string(kSectoralBodyLimit, ' ');
  auto refused = client.Request(bhttp::verb::post, "/v1/agency/sectoral-records", big, headers);
  EXPECT_EQ(refused.status, 413u);
  EXPECT_NE(refused.body.find("request.too_large"), std::string::npos) << refused.body;
  server.Stop();
  run.join();
  EXPECT_EQ(DocumentsOf(husband_), 1u);  // only the first request linked
}

}  // namespace
}  // namespace dancu::api
