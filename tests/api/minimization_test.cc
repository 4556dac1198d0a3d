// Data minimization in one place, tested by trying (issue 5): a handler on an
// agency route that tries to send every personal field it can, at every
// depth, and the router's agency filter (api/agency_access.h
// MinimizingFilter) lets through only what the client's policy allows, with
// the citizen id as the agency's pseudonym; staff get the handler's answer
// untouched; a client disabled meanwhile gets nothing personal.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/agency_access.h"
#include "crypto/ec_key.h"
#include "http/response.h"
#include "hub/hub_db.h"
#include "hub/members.h"
#include "hub/personal_fields.h"
#include "support/temp_dir.h"

namespace dancu::api {
namespace {

namespace bhttp = boost::beast::http;

// What a careless (or malicious) handler tries to send.
boost::json::object Everything() {
  boost::json::object citizen;
  for (std::string_view f : hub::kPersonalFields) citizen[f] = "value of " + std::string(f);
  citizen["citizen_id"] = "001085123456";
  return {{"citizen", citizen},
          {"full_name", "Nguyễn Văn An"},
          {"events", boost::json::array{{{"citizen_id", "001085123456"},
                                         {"data", {{"date_of_birth", "1985-03-14"},
                                                   {"mother_id", "001188234567"}}}}}},
          {"ok", true}};
}

class MinimizationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = hub::OpenHubDb(dir_.path());
    ASSERT_TRUE(db);
    db_ = std::move(*db);
    auto m = hub::Members::Open(*db_, dir_.path(), clock_, random_);
    ASSERT_TRUE(m);
    members_ = std::move(*m);
    ASSERT_TRUE(members_->AddAgency({"bank", "enterprise", "Bank", "", false}));
    auto key = crypto::EcKey::Generate();
    boost::json::object jwks{{"keys", boost::json::array{key.PublicJwk("k")}}};
    auto policy = hub::ParsePolicy(boost::json::parse(
        R"({"operations":["ekyc"],"fields":["full_name","date_of_birth"],"purpose":"KYC",
            "rate_limit":100,"daily_quota":100})"));
    ASSERT_TRUE(policy);
    auto c = members_->AddClient("bank", boost::json::serialize(jwks), "", *policy);
    ASSERT_TRUE(c);
    client_id_ = c->client_id;
    router_.Add(
        bhttp::verb::get, "/leaky",
        [](http::RequestContext&) { return http::JsonResponse(200, Everything()); },
        http::Access::kAgency);
    router_.SetAgencyResponseFilter(MinimizingFilter(*members_));
  }
  boost::json::object Get(http::Principal principal) {
    http::Request req{bhttp::verb::get, "/leaky", 11};
    auto ctx = http::RequestContext::MakeForTest(std::move(req), "203.0.113.7");
    ctx.principal = std::move(principal);
    http::Response r = router_.Dispatch(ctx);
    last_status_ = r.status;
    return boost::json::parse(r.body).as_object();
  }

  dancu::testing::TempDir dir_;
  ManualClock clock_{Timestamp{std::chrono::seconds{1'790'000'000}}};
  SeededRandom random_{1};
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<hub::Members> members_;
  std::string client_id_;
  http::Router router_;
  unsigned last_status_ = 0;
};

TEST_F(MinimizationTest, AnAgencyGetsOnlyItsPolicysFields) {
  auto o = Get({http::Principal::Kind::kAgency, client_id_, hub::Bit(hub::Operation::kEkyc)});
  ASSERT_EQ(last_status_, 200u);
  const auto& citizen = o.at("citizen").as_object();
  for (std::string_view f : hub::kPersonalFields) {
    if (f == "full_name" || f == "date_of_birth" || f == "citizen_id") continue;
    EXPECT_FALSE(citizen.contains(f)) << f;
  }
  EXPECT_EQ(citizen.at("full_name").as_string(), "value of full_name");
  EXPECT_EQ(citizen.at("date_of_birth").as_string(), "value of date_of_birth");
  // The id is the bank's pseudonym, the same everywhere in the answer.
  std::string pseudonym(citizen.at("citizen_id").as_string());
  EXPECT_EQ(pseudonym, members_->AgencyToken("bank", CitizenId::Parse("001085123456").value()));
  const auto& event = o.at("events").as_array()[0].as_object();
  EXPECT_EQ(event.at("citizen_id").as_string(), pseudonym);
  EXPECT_EQ(event.at("data").as_object().size(), 1u);  // date_of_birth; no mother_id
  EXPECT_EQ(o.at("full_name").as_string(), "Nguyễn Văn An");
  EXPECT_TRUE(o.at("ok").as_bool());
}

TEST_F(MinimizationTest, StaffGetTheAnswerUntouched) {
  auto o = Get({http::Principal::Kind::kAdmin, "admin", 0});
  EXPECT_EQ(o, Everything());
}

TEST_F(MinimizationTest, AClientDisabledMeanwhileGetsNothingPersonal) {
  ASSERT_TRUE(members_->DisableClient(client_id_));
  auto o = Get({http::Principal::Kind::kAgency, client_id_, hub::Bit(hub::Operation::kEkyc)});
  EXPECT_EQ(last_status_, 403u);
  EXPECT_FALSE(o.contains("citizen"));
}

}  // namespace
}  // namespace dancu::api
