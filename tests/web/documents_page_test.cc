// The citizen's linked documents (GET /v1/me/documents and
// /account/documents, web/documents_page.cc), driven through the Router
// without sockets on the accounts fixture with hub.db in the same directory:
// a citizen sees only their own documents, with the agency's display name;
// signed-out visitors get 401 / a redirect to sign in; the account page links
// to the page.
#include <gtest/gtest.h>

#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>

#include "crypto/ec_key.h"
#include "hub/hub_db.h"
#include "hub/linked_documents.h"
#include "hub/members.h"
#include "hub/sectoral_record.h"
#include "identity/accounts_fixture.h"
#include "web/csrf.h"
#include "web/web.h"

namespace dancu::web {
namespace {

namespace bhttp = boost::beast::http;

class DocumentsPageTest : public identity::testing::AccountsTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    if (HasFatalFailure()) return;
    auto db = hub::OpenHubDb(dir_.path());
    ASSERT_TRUE(db) << db.error().message;
    hub_db_ = std::move(*db);
    auto docs = hub::LinkedDocuments::Open(*hub_db_, clock_);
    ASSERT_TRUE(docs) << docs.error().message;
    docs_ = std::move(*docs);
    auto members = hub::Members::Open(*hub_db_, dir_.path(), clock_, random_);
    ASSERT_TRUE(members) << members.error().message;
    members_ = std::move(*members);
    deps_.emplace(
        WebDeps{*reg_, clock_, csrf_, accounts_.get(), sessions_.get(), officers_.get(), nullptr});
    deps_->linked_documents = docs_.get();
    deps_->members = members_.get();
    AddWebRoutes(router_, *deps_);
  }
  void TearDown() override {
    docs_.reset();
    members_.reset();
    AccountsTest::TearDown();
  }

  void SignInAs(const registry::Citizen& c) {
    identity::Account a = Register(c);
    auto s = sessions_->Create(a, identity::Level::kOne, {"pwd"});
    ASSERT_TRUE(s) << s.error().message;
    cookie_ = "dancu_session=" + s->id;
  }

  void Link(std::string agency, hub::SectoralInput in) {
    auto r = hub::ValidateSectoralRecord(in, clock_.Today());
    ASSERT_TRUE(r) << r.error().code;
    ASSERT_TRUE(docs_->Link(agency, std::vector{*r}));
  }

  http::Response Get(std::string target) {
    http::Request req{bhttp::verb::get, target, 11};
    if (!cookie_.empty()) req.set(bhttp::field::cookie, cookie_);
    auto ctx = http::RequestContext::MakeForTest(std::move(req), "203.0.113.7");
    return router_.Dispatch(ctx);
  }

  Csrf csrf_{std::string(32, 'c')};
  std::unique_ptr<storage::Database> hub_db_;
  std::unique_ptr<hub::LinkedDocuments> docs_;
  std::unique_ptr<hub::Members> members_;
  std::optional<WebDeps> deps_;
  http::Router router_;
  std::string cookie_;
};

TEST_F(DocumentsPageTest, ACitizenSeesTheirOwnLinkedDocuments) {
  ASSERT_TRUE(members_->AddAgency({"bhxh-hanoi", "ministry", "Bảo hiểm xã hội Hà Nội", {}, false}));
  const std::string an = husband_.id.ToString();
  hub::SectoralInput card;
  card.type = "health_insurance";
  card.number = "DN4010123456789";
  card.valid_from = "2026-01-01";
  card.valid_to = "2026-12-31";
  card.citizen_id = an;
  Link("bhxh-hanoi", card);
  hub::SectoralInput licence;
  licence.type = "driver_licence";
  licence.number = "010123456789";
  licence.licence_class = "B";
  licence.expiry = "2035-02-01";
  licence.citizen_id = an;
  Link("so-gtvt-hanoi", licence);
  hub::SectoralInput hers;
  hers.type = "tax_code";
  hers.number = "8012345678";
  const std::string binh = wife_.id.ToString();  // SectoralInput holds views
  hers.citizen_id = binh;
  Link("cuc-thue", hers);

  SignInAs(husband_);
  auto r = Get("/v1/me/documents");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.content_type, "application/json");
  auto docs = boost::json::parse(r.body).at("documents").as_array();
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0].at("type").as_string(), "driver_licence");
  EXPECT_EQ(docs[0].at("attributes").at("class").as_string(), "B");
  EXPECT_EQ(docs[0].at("agency_name").as_string(), "so-gtvt-hanoi");  // unknown to Members
  EXPECT_EQ(docs[1].at("type").as_string(), "health_insurance");
  EXPECT_EQ(docs[1].at("number").as_string(), "DN4010123456789");
  EXPECT_EQ(docs[1].at("attributes").at("valid_to").as_string(), "2026-12-31");
  EXPECT_EQ(docs[1].at("agency_name").as_string(), "Bảo hiểm xã hội Hà Nội");
  EXPECT_EQ(r.body.find("8012345678"), std::string::npos);  // not his

  auto page = Get("/account/documents?lang=en");
  ASSERT_EQ(page.status, 200u) << page.body;
  EXPECT_NE(page.body.find("Health-insurance card"), std::string::npos);
  EXPECT_NE(page.body.find("DN4010123456789"), std::string::npos);
  EXPECT_NE(page.body.find("Valid from 2026-01-01 to 2026-12-31"), std::string::npos);
  EXPECT_NE(page.body.find("Class B; Expires 2035-02-01"), std::string::npos);
  EXPECT_NE(page.body.find("<th scope=\"col\">"), std::string::npos);
  EXPECT_EQ(page.body.find("8012345678"), std::string::npos);
  auto vi = Get("/account/documents");
  EXPECT_NE(vi.body.find("Thẻ bảo hiểm y tế"), std::string::npos);

  auto account = Get("/account");
  ASSERT_EQ(account.status, 200u);
  EXPECT_NE(account.body.find("href=\"/account/documents\""), std::string::npos);
}

TEST_F(DocumentsPageTest, NoDocumentsYetAndSignedOutVisitors) {
  SignInAs(single_);
  auto r = Get("/v1/me/documents");
  ASSERT_EQ(r.status, 200u);
  EXPECT_TRUE(boost::json::parse(r.body).at("documents").as_array().empty());
  EXPECT_NE(Get("/account/documents?lang=en").body.find("No documents are linked yet."),
            std::string::npos);

  cookie_.clear();
  r = Get("/v1/me/documents");
  EXPECT_EQ(r.status, 401u);
  auto page = Get("/account/documents");
  EXPECT_EQ(page.status, 303u);
}

}  // namespace
}  // namespace dancu::web
