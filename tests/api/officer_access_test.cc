// Officers on the register routes (issue 5, "Officers"), through the Router
// without sockets: the role table (identity/officer_roles.h), the area rule
// of each event and of reads, refusals that write nothing, the event's actor,
// and the access-log entries of officers' reads and writes.
//
// The fixture's register: Nguyễn Văn An (husband), Trần Thị Bình (wife) and
// their son in Hà Nội commune 00004 (province 01), household 1; Lê Thị Dung
// in Hồ Chí Minh City commune 25747 (province 79), household 2.
#include <gtest/gtest.h>

#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>

#include "api/api.h"
#include "core/metrics.h"
#include "hub/audit_db.h"
#include "hub/audit_keys.h"
#include "hub/audit_log.h"
#include "identity/accounts_fixture.h"
#include "identity/officer_roles.h"

namespace dancu::api {
namespace {

namespace bhttp = boost::beast::http;
using K = http::Principal::Kind;

class OfficerAccessTest : public identity::testing::AccountsTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    if (HasFatalFailure()) return;
    auto audit_db = hub::OpenAuditDb(dir_.path());
    ASSERT_TRUE(audit_db) << audit_db.error().message;
    audit_db_ = std::move(*audit_db);
    auto keys = hub::LoadOrCreateAuditKeys(dir_.path());
    ASSERT_TRUE(keys) << keys.error().message;
    hub::AuditLogOptions options;
    options.writer_thread = false;
    auto log = hub::AuditLog::Open(*audit_db_, std::move(*keys), clock_, options);
    ASSERT_TRUE(log) << log.error().message;
    log_ = std::move(*log);

    for (auto [user, role, area] : {std::tuple{"civil.bd", "civil_status", "00004"},
                                    std::tuple{"civil.hcm", "civil_status", "79"},
                                    std::tuple{"police.hn", "police", "01"}}) {
      auto o = officers_->Add(
          identity::NewOfficer{user, "Cán Bộ", role, area, "officer password 1"});
      ASSERT_TRUE(o) << o.error().code;
    }
    deps_.emplace(ApiDeps{*reg_, metrics_, clock_});
    deps_->audit_log = log_.get();
    deps_->officers = officers_.get();
    AddCitizenRoutes(router_, *deps_);
    AddHouseholdRoutes(router_, *deps_);
    AddEventRoutes(router_, *deps_);
  }
  void TearDown() override {
    log_.reset();
    AccountsTest::TearDown();
  }

  http::Response Send(bhttp::verb method, std::string target, std::string body,
                      http::Principal principal) {
    http::Request req{method, target, 11};
    if (!body.empty()) req.set(bhttp::field::content_type, "application/json");
    req.body() = std::move(body);
    req.prepare_payload();
    auto ctx = http::RequestContext::MakeForTest(std::move(req));
    ctx.principal = std::move(principal);
    return router_.Dispatch(ctx);
  }
  static http::Principal Officer(std::string username) { return {K::kOfficer, username}; }
  http::Response Death(const registry::Citizen& c, http::Principal who) {
    return Send(bhttp::verb::post, "/v1/events/death",
                R"({"citizen_id":")" + c.id.ToString() + R"(","date_of_death":"2026-11-01"})",
                std::move(who));
  }
  http::Response Read(std::string target, std::string officer) {
    return Send(bhttp::verb::get, std::move(target), {}, Officer(std::move(officer)));
  }
  static std::string Code(const http::Response& r) {
    return std::string(boost::json::parse(r.body).as_object().at("code").as_string());
  }
  std::vector<hub::AuditEntry> LogOf(const registry::Citizen& c) {
    EXPECT_TRUE(log_->Flush());
    auto entries = log_->EntriesForCitizen(c.id.ToString(), log_->size(), 100);
    EXPECT_TRUE(entries) << entries.error().message;
    return entries.value_or(std::vector<hub::AuditEntry>{});
  }

  http::Principal admin_{K::kAdmin, "admin"};
  Metrics metrics_;
  std::unique_ptr<storage::Database> audit_db_;
  std::unique_ptr<hub::AuditLog> log_;
  std::optional<ApiDeps> deps_;
  http::Router router_;
};

TEST(OfficerRolesTest, TheTable) {
  using identity::RoleRegisters;
  for (const char* e : {"birth", "death", "marriage", "divorce", "correction"}) {
    EXPECT_TRUE(RoleRegisters("civil_status", e)) << e;
    EXPECT_FALSE(RoleRegisters("police", e)) << e;
  }
  for (const char* e : {"residence", "household"}) {
    EXPECT_TRUE(RoleRegisters("police", e)) << e;
    EXPECT_FALSE(RoleRegisters("civil_status", e)) << e;
  }
  EXPECT_FALSE(RoleRegisters("army", "birth"));
  EXPECT_FALSE(RoleRegisters("police", "feed"));
  EXPECT_TRUE(identity::EventsOfRole("nobody").empty());
}

TEST(OfficerRolesTest, AreaCovers) {
  using identity::AreaCovers;
  EXPECT_TRUE(AreaCovers("00004", "00004"));   // the commune itself
  EXPECT_FALSE(AreaCovers("00004", "00001"));  // another commune of the province
  EXPECT_TRUE(AreaCovers("01", "00004"));      // a commune of the province
  EXPECT_FALSE(AreaCovers("79", "00004"));
  EXPECT_TRUE(AreaCovers("79", "25747"));
  EXPECT_FALSE(AreaCovers("01", ""));
  EXPECT_FALSE(AreaCovers("01", "99999"));  // unknown commune
  EXPECT_FALSE(AreaCovers("", "00004"));
}

TEST_F(OfficerAccessTest, AnOfficerRegistersADeathInTheirCommuneAsThemselves) {
  auto r = Death(husband_, Officer("civil.bd"));
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(Get(husband_.id).status, registry::LifeStatus::kDeceased);
  auto history = reg_->History(husband_.id);
  ASSERT_TRUE(history);
  ASSERT_FALSE(history->empty());
  EXPECT_EQ(history->back().type, "death");
  EXPECT_EQ(history->back().actor, "officer:civil.bd");

  // The write is in the deceased's access log: the officer, the field names, OK.
  auto log = LogOf(husband_);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].actor_kind, hub::ActorKind::kOfficer);
  EXPECT_EQ(log[0].actor, "civil.bd");
  EXPECT_EQ(log[0].operation, "register-death");
  EXPECT_EQ(log[0].fields, "citizen_id,date_of_death");
  EXPECT_EQ(log[0].outcome, "OK");
  EXPECT_EQ(log[0].fields.find("2026"), std::string::npos);  // names, never values
}

TEST_F(OfficerAccessTest, OutOfAreaWritesAreRefusedWritingNothingButTheLog) {
  const int64_t before = Seq();
  auto r = Death(husband_, Officer("civil.hcm"));  // a Hà Nội citizen, an HCMC officer
  ASSERT_EQ(r.status, 403u) << r.body;
  EXPECT_EQ(Code(r), "officer.out_of_area");
  EXPECT_EQ(Seq(), before);
  EXPECT_EQ(Get(husband_.id).status, registry::LifeStatus::kAlive);
  auto log = LogOf(husband_);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].actor, "civil.hcm");
  EXPECT_EQ(log[0].outcome, "officer.out_of_area");

  // The HCMC officer may register Lê Thị Dung's death.
  EXPECT_EQ(Death(single_, Officer("civil.hcm")).status, 201u);
  // A commune officer: only that commune, not the rest of the province.
  EXPECT_EQ(Code(Death(single_, Officer("civil.bd"))), "officer.out_of_area");
}

TEST_F(OfficerAccessTest, TheRoleDecidesTheEventTypes) {
  const int64_t before = Seq();
  const std::string birth = R"({"full_name":"Nguyễn Thị Hoa","sex":"female",)"
                            R"("date_of_birth":"2026-11-20","birth_commune_code":"00004",)"
                            R"("mother_id":")" + wife_.id.ToString() + R"("})";
  auto police = Send(bhttp::verb::post, "/v1/events/birth", birth, Officer("police.hn"));
  ASSERT_EQ(police.status, 403u) << police.body;
  EXPECT_EQ(Code(police), "officer.role_forbids");
  EXPECT_EQ(Seq(), before);
  auto civil = Send(bhttp::verb::post, "/v1/events/birth", birth, Officer("civil.bd"));
  ASSERT_EQ(civil.status, 201u) << civil.body;
  // The birth is in the mother's and the child's access logs.
  std::string child(boost::json::parse(civil.body).as_object().at("id").as_string());
  EXPECT_EQ(LogOf(wife_).size(), 1u);
  EXPECT_EQ(LogOf(Get(CitizenId::Parse(child).value())).size(), 1u);

  // A civil-status officer does not register residence.
  const std::string move = R"({"citizen_id":")" + single_.id.ToString() +
                           R"(","kind":"permanent","address":{"commune_code":"00004",)"
                           R"("address":"Số 7 phố Kim Mã"}})";
  auto civil_move = Send(bhttp::verb::post, "/v1/events/residence", move, Officer("civil.bd"));
  EXPECT_EQ(Code(civil_move), "officer.role_forbids");
  // The police of the destination does, although she lives in HCMC today.
  auto police_move = Send(bhttp::verb::post, "/v1/events/residence", move, Officer("police.hn"));
  EXPECT_EQ(police_move.status, 201u) << police_move.body;
  EXPECT_EQ(Get(single_.id).permanent_residence.commune_code, "00004");
}

TEST_F(OfficerAccessTest, MarriageNeedsEitherSpouseInTheArea) {
  const std::string body = R"({"first_id":")" + husband_.id.ToString() + R"(","second_id":")" +
                           single_.id.ToString() + R"(","date":"2026-11-01"})";
  // Divorce of a couple that is not married fails on the register's rule,
  // after the area check passed (either spouse suffices).
  auto hcm = Send(bhttp::verb::post, "/v1/events/divorce", body, Officer("civil.hcm"));
  EXPECT_NE(hcm.status, 403u) << hcm.body;
  const std::string other = R"({"first_id":")" + single_.id.ToString() + R"(","second_id":")" +
                            single_.id.ToString() + R"(","date":"2026-11-01"})";
  auto hn = Send(bhttp::verb::post, "/v1/events/divorce", other, Officer("civil.bd"));
  EXPECT_EQ(Code(hn), "officer.out_of_area");
}

TEST_F(OfficerAccessTest, ReadsOnlyInTheAreaAndAllLogged) {
  const std::string husband = "/v1/citizens/" + husband_.id.ToString();
  auto in = Read(husband, "police.hn");
  ASSERT_EQ(in.status, 200u) << in.body;
  auto out = Read(husband, "civil.hcm");
  ASSERT_EQ(out.status, 403u) << out.body;
  EXPECT_EQ(Code(out), "officer.out_of_area");
  EXPECT_EQ(out.body.find("Nguyễn"), std::string::npos);
  EXPECT_EQ(Read(husband + "/history", "police.hn").status, 200u);
  EXPECT_EQ(Code(Read(husband + "/history", "civil.hcm")), "officer.out_of_area");
  EXPECT_EQ(Read("/v1/citizens/" + single_.id.ToString(), "civil.hcm").status, 200u);

  auto log = LogOf(husband_);  // newest first
  ASSERT_EQ(log.size(), 4u);
  EXPECT_EQ(log[3].actor, "police.hn");
  EXPECT_EQ(log[3].operation, "read");
  EXPECT_EQ(log[3].outcome, "OK");
  EXPECT_EQ(log[2].actor, "civil.hcm");
  EXPECT_EQ(log[2].outcome, "officer.out_of_area");
  EXPECT_EQ(log[0].operation, "history");
  EXPECT_EQ(log[0].outcome, "officer.out_of_area");

  // Households: by the household's address; each member's log has the read.
  EXPECT_EQ(Read("/v1/households/1", "police.hn").status, 200u);
  EXPECT_EQ(Code(Read("/v1/households/1", "civil.hcm")), "officer.out_of_area");
  EXPECT_EQ(Read("/v1/households/2", "civil.hcm").status, 200u);
  auto son = LogOf(son_);
  ASSERT_EQ(son.size(), 2u);
  EXPECT_EQ(son[0].operation, "read-household");
  EXPECT_EQ(son[0].outcome, "officer.out_of_area");
  EXPECT_EQ(son[1].outcome, "OK");

  // Searches stay staff-only.
  auto search = Read("/v1/citizens?name=An", "police.hn");
  EXPECT_EQ(search.status, 403u);
  EXPECT_EQ(Code(search), "auth.forbidden");
}

TEST_F(OfficerAccessTest, ADisabledOrUnknownOfficerIsRefused) {
  ASSERT_TRUE(officers_->SetDisabled("civil.bd", true));
  auto r = Death(husband_, Officer("civil.bd"));  // a token checked before the change
  EXPECT_EQ(r.status, 403u);
  EXPECT_EQ(Code(r), "auth.forbidden");
  EXPECT_EQ(Code(Death(husband_, Officer("nobody"))), "auth.forbidden");
  EXPECT_EQ(Code(Read("/v1/citizens/" + husband_.id.ToString(), "nobody")), "auth.forbidden");
  EXPECT_EQ(Get(husband_.id).status, registry::LifeStatus::kAlive);
}

TEST_F(OfficerAccessTest, StaffAreUnrestrictedAndTheirWritesLoggedToo) {
  EXPECT_EQ(Death(single_, admin_).status, 201u);
  auto history = reg_->History(single_.id);
  ASSERT_TRUE(history);
  EXPECT_EQ(history->back().actor, "admin");
  auto log = LogOf(single_);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].actor_kind, hub::ActorKind::kStaff);
  EXPECT_EQ(log[0].operation, "register-death");
  // Agencies and citizens reach none of these routes.
  EXPECT_EQ(Death(husband_, {K::kAgency, "bhxh"}).status, 403u);
  EXPECT_EQ(Send(bhttp::verb::get, "/v1/households/1", {}, {K::kCitizen, "x"}).status, 403u);
}

}  // namespace
}  // namespace dancu::api
