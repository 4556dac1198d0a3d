// The citizen's access log (GET /v1/me/access-log and /account/access-log),
// driven through the Router without sockets on the accounts fixture with an
// access log in the same directory (no writer thread: the test commits and
// signs). A citizen sees only their own entries, each with an inclusion
// proof that verifies against the returned signed head; paging, bad
// parameters, and signed-out visitors.
#include <gtest/gtest.h>

#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>

#include "crypto/encoding.h"
#include "hub/audit_db.h"
#include "hub/audit_json.h"
#include "hub/audit_keys.h"
#include "hub/audit_log.h"
#include "hub/merkle.h"
#include "hub/tree_head.h"
#include "identity/accounts_fixture.h"
#include "web/csrf.h"
#include "web/web.h"

namespace dancu::web {
namespace {

namespace bhttp = boost::beast::http;

class AccessLogPageTest : public identity::testing::AccountsTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    if (HasFatalFailure()) return;
    auto db = hub::OpenAuditDb(dir_.path());
    ASSERT_TRUE(db) << db.error().message;
    audit_db_ = std::move(*db);
    auto keys = hub::LoadOrCreateAuditKeys(dir_.path());
    ASSERT_TRUE(keys) << keys.error().message;
    hub::AuditLogOptions options;
    options.writer_thread = false;
    options.cached_level = 2;  // proofs read both cached levels and stored nodes
    auto log = hub::AuditLog::Open(*audit_db_, std::move(*keys), clock_, options);
    ASSERT_TRUE(log) << log.error().message;
    log_ = std::move(*log);
    deps_.emplace(WebDeps{*reg_, clock_, csrf_, accounts_.get(), sessions_.get(),
                          officers_.get(), nullptr});
    deps_->audit_log = log_.get();
    AddWebRoutes(router_, *deps_);
  }
  void TearDown() override {
    log_.reset();
    audit_db_.reset();
    AccountsTest::TearDown();
  }

  // Registers `c` and makes the next requests carry their session cookie.
  void SignInAs(const registry::Citizen& c) {
    identity::Account a = Register(c);
    auto s = sessions_->Create(a, identity::Level::kOne, {"pwd"});
    ASSERT_TRUE(s) << s.error().message;
    cookie_ = "dancu_session=" + s->id;
  }

  void Access(const registry::Citizen& c, std::string actor, std::string outcome,
              std::string purpose = {}) {
    hub::AccessRecord r;
    r.actor_kind = hub::ActorKind::kAgency;
    r.actor = std::move(actor);
    r.citizen = c.id.ToString();
    r.operation = "verify";
    r.fields = "id,full_name,date_of_birth";
    r.purpose = std::move(purpose);
    r.outcome = std::move(outcome);
    log_->Append(std::move(r));
  }

  http::Response Get(std::string target) {
    http::Request req{bhttp::verb::get, target, 11};
    if (!cookie_.empty()) req.set(bhttp::field::cookie, cookie_);
    auto ctx = http::RequestContext::MakeForTest(std::move(req), "203.0.113.7");
    return router_.Dispatch(ctx);
  }

  boost::json::object GetJson(std::string target) {
    auto r = Get(std::move(target));
    EXPECT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.content_type, "application/json");
    return boost::json::parse(r.body).as_object();
  }

  // Every entry's proof verifies against the answer's head (whose signature
  // verifies with the log's key), and its leaf is the hash of its data.
  void ExpectProvable(const boost::json::object& answer) {
    auto head = hub::TreeHeadFromJson(answer.at("tree_head"));
    ASSERT_TRUE(head) << head.error().message;
    EXPECT_TRUE(hub::VerifyTreeHead(*head, log_->public_key()));
    for (const auto& v : answer.at("entries").as_array()) {
      auto entry = hub::EntryFromJson(v);
      ASSERT_TRUE(entry) << entry.error().message;
      auto proof = hub::InclusionProofFromJson(v.as_object().at("proof"));
      ASSERT_TRUE(proof) << proof.error().message;
      EXPECT_EQ(proof->leaf_index, entry->index);
      EXPECT_EQ(proof->tree_size, head->size);
      EXPECT_EQ(proof->leaf_hash, hub::LeafHash(entry->leaf_data));
      EXPECT_TRUE(hub::VerifyInclusion(proof->leaf_index, proof->tree_size, proof->leaf_hash,
                                       proof->audit_path, head->root_hash))
          << "entry " << entry->index;
      // A neighbour's index does not verify with the same path.
      EXPECT_FALSE(hub::VerifyInclusion(proof->leaf_index ^ 1, proof->tree_size, proof->leaf_hash,
                                        proof->audit_path, head->root_hash));
    }
  }

  static std::vector<uint64_t> Indexes(const boost::json::object& answer) {
    std::vector<uint64_t> out;
    for (const auto& v : answer.at("entries").as_array()) {
      out.push_back(v.as_object().at("index").to_number<uint64_t>());
    }
    return out;
  }

  Csrf csrf_{std::string(32, 'c')};
  std::string issuer_ = "https://id.test";
  std::unique_ptr<storage::Database> audit_db_;
  std::unique_ptr<hub::AuditLog> log_;
  std::optional<WebDeps> deps_;
  http::Router router_;
  std::string cookie_;
};

TEST_F(AccessLogPageTest, ACitizenSeesOnlyTheirOwnEntriesEachWithAProof) {
  SignInAs(husband_);
  Access(husband_, "bank-a", "MATCH", "open-account");  // 0
  Access(wife_, "bank-a", "MATCH");                     // 1: not his
  Access(husband_, "telecom-b", "MISMATCH");            // 2
  Access(single_, "telecom-b", "NOT_FOUND");            // 3: not his
  Access(husband_, "insurer-c", "MATCH");               // 4
  ASSERT_TRUE(log_->SignHead());

  auto answer = GetJson("/v1/me/access-log");
  EXPECT_EQ(answer.at("tree_head").as_object().at("size").as_int64(), 5);
  EXPECT_EQ(Indexes(answer), (std::vector<uint64_t>{4, 2, 0}));  // newest first
  EXPECT_FALSE(answer.contains("next_before"));
  const auto& newest = answer.at("entries").as_array()[0].as_object().at("entry").as_object();
  EXPECT_EQ(newest.at("actor").as_object().at("kind").as_string(), "agency");
  EXPECT_EQ(newest.at("actor").as_object().at("id").as_string(), "insurer-c");
  EXPECT_EQ(newest.at("operation").as_string(), "verify");
  EXPECT_EQ(newest.at("fields").as_array().size(), 3u);
  EXPECT_EQ(newest.at("outcome").as_string(), "MATCH");
  const auto& oldest = answer.at("entries").as_array()[2].as_object().at("entry").as_object();
  EXPECT_EQ(oldest.at("purpose").as_string(), "open-account");
  ExpectProvable(answer);

  // His wife sees hers only.
  SignInAs(wife_);
  auto hers = GetJson("/v1/me/access-log");
  EXPECT_EQ(Indexes(hers), (std::vector<uint64_t>{1}));
  ExpectProvable(hers);
}

TEST_F(AccessLogPageTest, EntriesAppearOnceASignedHeadCoversThem) {
  SignInAs(husband_);
  Access(husband_, "bank-a", "MATCH");
  ASSERT_TRUE(log_->SignHead());
  Access(husband_, "bank-b", "MATCH");
  ASSERT_TRUE(log_->Flush());  // committed, but no head covers it yet
  EXPECT_EQ(log_->size(), 2u);
  auto answer = GetJson("/v1/me/access-log");
  EXPECT_EQ(Indexes(answer), (std::vector<uint64_t>{0}));
  ExpectProvable(answer);
  ASSERT_TRUE(log_->SignHead());
  answer = GetJson("/v1/me/access-log");
  EXPECT_EQ(Indexes(answer), (std::vector<uint64_t>{1, 0}));
  ExpectProvable(answer);
}

TEST_F(AccessLogPageTest, PagesWithBeforeAndLimit) {
  SignInAs(husband_);
  for (int i = 0; i < 7; ++i) {
    Access(husband_, "bank-" + std::to_string(i), "MATCH");
    Access(wife_, "bank-" + std::to_string(i), "MATCH");
  }
  ASSERT_TRUE(log_->SignHead());  // his entries: 0, 2, ..., 12
  auto first = GetJson("/v1/me/access-log?limit=3");
  EXPECT_EQ(Indexes(first), (std::vector<uint64_t>{12, 10, 8}));
  ASSERT_EQ(first.at("next_before").as_int64(), 8);
  ExpectProvable(first);
  auto second = GetJson("/v1/me/access-log?limit=3&before=8");
  EXPECT_EQ(Indexes(second), (std::vector<uint64_t>{6, 4, 2}));
  ASSERT_EQ(second.at("next_before").as_int64(), 2);
  ExpectProvable(second);
  auto last = GetJson("/v1/me/access-log?limit=3&before=2");
  EXPECT_EQ(Indexes(last), (std::vector<uint64_t>{0}));
  EXPECT_FALSE(last.contains("next_before"));
  ExpectProvable(last);
  // Exactly a page left: no next page announced.
  auto exact = GetJson("/v1/me/access-log?limit=2&before=4");
  EXPECT_EQ(Indexes(exact), (std::vector<uint64_t>{2, 0}));
  EXPECT_FALSE(exact.contains("next_before"));
  // before beyond the head is the head.
  EXPECT_EQ(Indexes(GetJson("/v1/me/access-log?before=1000&limit=1")), (std::vector<uint64_t>{12}));
  EXPECT_TRUE(Indexes(GetJson("/v1/me/access-log?before=0")).empty());

  // The page pages the same way (50 a page): 7 entries fit on one.
  auto page = Get("/account/access-log?before=5");
  ASSERT_EQ(page.status, 200u);
  EXPECT_NE(page.body.find("bank-2"), std::string::npos);
  EXPECT_EQ(page.body.find("bank-3"), std::string::npos);
}

TEST_F(AccessLogPageTest, BadParametersAre400) {
  SignInAs(husband_);
  for (std::string_view q : {"limit=0", "limit=101", "limit=abc", "limit=", "limit=-1", "before=-1",
                             "before=x", "before=1e3"}) {
    auto r = Get("/v1/me/access-log?" + std::string(q));
    EXPECT_EQ(r.status, 400u) << q;
    EXPECT_EQ(r.content_type, "application/problem+json") << q;
    auto problem = boost::json::parse(r.body).as_object();
    EXPECT_EQ(problem.at("code").as_string(), "request.bad_parameter") << q << r.body;
  }
  auto page = Get("/account/access-log?limit=500");
  EXPECT_EQ(page.status, 400u);
  EXPECT_TRUE(page.content_type.starts_with("text/html"));
  EXPECT_EQ(Get("/v1/me/access-log?limit=100").status, 200u);
  EXPECT_EQ(Get("/v1/me/access-log?limit=1").status, 200u);
}

TEST_F(AccessLogPageTest, SignedOutVisitors) {
  auto json = Get("/v1/me/access-log");
  EXPECT_EQ(json.status, 401u);
  EXPECT_EQ(json.content_type, "application/problem+json");
  auto page = Get("/account/access-log?before=3");
  EXPECT_EQ(page.status, 303u);
  std::string location;
  for (const auto& [k, v] : page.headers) {
    if (k == "Location") location = v;
  }
  EXPECT_EQ(location, "/signin?return_to=%2Faccount%2Faccess-log%3Fbefore%3D3");
  cookie_ = "dancu_session=not-a-session";
  EXPECT_EQ(Get("/v1/me/access-log").status, 401u);
}

TEST_F(AccessLogPageTest, ThePageInBothLanguages) {
  SignInAs(husband_);
  Access(husband_, "bank-a", "MATCH");  // no purpose yet: shown as a dash
  Access(husband_, "telecom-b", "MISMATCH", "open-account");
  ASSERT_TRUE(log_->SignHead());

  auto vi = Get("/account/access-log");
  ASSERT_EQ(vi.status, 200u);
  EXPECT_NE(vi.body.find("<html lang=\"vi\""), std::string::npos);
  EXPECT_NE(vi.body.find("Ai đã truy cập dữ liệu của bạn"), std::string::npos);
  EXPECT_NE(vi.body.find("<caption"), std::string::npos);
  EXPECT_NE(vi.body.find("<th scope=\"col\">Mục đích</th>"), std::string::npos);
  EXPECT_NE(vi.body.find("<td>Cơ quan, tổ chức: bank-a</td>"), std::string::npos);
  EXPECT_NE(vi.body.find("<td>Số định danh, Họ và tên, Ngày sinh</td>"), std::string::npos);
  EXPECT_NE(vi.body.find("<td>—</td>"), std::string::npos);
  EXPECT_NE(vi.body.find("<td>open-account</td>"), std::string::npos);
  EXPECT_NE(vi.body.find("<td>Không khớp</td>"), std::string::npos);
  EXPECT_NE(vi.body.find("href=\"/v1/me/access-log\""), std::string::npos);
  EXPECT_NE(vi.body.find("dancu audit verify"), std::string::npos);
  EXPECT_NE(vi.body.find(hub::HashToBase64(log_->LatestHead().root_hash)), std::string::npos);
  EXPECT_EQ(vi.body.find("<script"), std::string::npos);
  // Newest first.
  EXPECT_LT(vi.body.find("telecom-b"), vi.body.find("bank-a"));

  auto en = Get("/account/access-log?lang=en");
  ASSERT_EQ(en.status, 200u);
  EXPECT_NE(en.body.find("<html lang=\"en\""), std::string::npos);
  EXPECT_NE(en.body.find("Who accessed your data"), std::string::npos);
  EXPECT_NE(en.body.find("<td>Agency: telecom-b</td>"), std::string::npos);
  EXPECT_NE(en.body.find("<td>Mismatch</td>"), std::string::npos);

  // The account page links to it.
  auto account = Get("/account");
  ASSERT_EQ(account.status, 200u);
  EXPECT_NE(account.body.find("href=\"/account/access-log\""), std::string::npos);
}

TEST_F(AccessLogPageTest, NoAccessesYet) {
  SignInAs(single_);
  auto answer = GetJson("/v1/me/access-log");
  EXPECT_TRUE(answer.at("entries").as_array().empty());
  EXPECT_EQ(answer.at("tree_head").as_object().at("size").as_int64(), 0);
  auto page = Get("/account/access-log?lang=en");
  ASSERT_EQ(page.status, 200u);
  EXPECT_NE(page.body.find("No accesses yet."), std::string::npos);
}

TEST_F(AccessLogPageTest, AbsentWithoutAnAccessLog) {
  SignInAs(husband_);
  http::Router without;
  WebDeps deps = *deps_;
  deps.audit_log = nullptr;
  AddWebRoutes(without, deps);
  http::Request req{bhttp::verb::get, "/v1/me/access-log", 11};
  req.set(bhttp::field::cookie, cookie_);
  auto ctx = http::RequestContext::MakeForTest(std::move(req), "203.0.113.7");
  EXPECT_EQ(without.Dispatch(ctx).status, 404u);
}

}  // namespace
}  // namespace dancu::web
