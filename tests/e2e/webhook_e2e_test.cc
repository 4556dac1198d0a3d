// Webhooks end to end with the real binary: `dancu agencies add` and
// `dancu webhooks add` against the served data directory, a death posted to
// /v1/events/death, and the in-test receiver (127.0.0.1, port 0) gets one
// POST whose signature verifies with the secret the CLI printed; then the
// admin API over the same subscription and delivery.
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "family_server.h"
#include "support/agency_client.h"
#include "support/webhook_receiver.h"

namespace dancu::testing {
namespace {

namespace bhttp = boost::beast::http;

class WebhookE2eTest : public FamilyServerTest {};

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

TEST_F(WebhookE2eTest, DeathReachesTheSubscribedReceiverSigned) {
  WebhookReceiver rx;
  const std::string data = dir_->path().string();
  // Social insurance's policy: deaths in Hà Nội, with the citizen id and
  // the date of death.
  TestAgencyClient bhxh = AddTestAgencyClient(
      data, "bhxh",
      R"({"operations":["feed","verify"],"fields":["citizen_id","date_of_death"],"rate_limit":10,
          "daily_quota":100,"feed":{"event_types":["death"],"provinces":["01"]}})");
  auto added = RunDancu({"webhooks", "add", "--data", data, "--agency", "bhxh", "--url",
                         rx.Url("/dancu"), "--events", "death", "--provinces", "01"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  const std::string secret = Trim(added.out);
  ASSERT_TRUE(secret.starts_with("whsec_")) << secret;
  auto listed = RunDancu({"webhooks", "list", "--data", data});
  EXPECT_NE(listed.out.find(rx.Url("/dancu")), std::string::npos) << listed.out;

  // The running server sees a client added by the CLI within a second; its
  // first access token shows it has (policies decide at enqueue time).
  std::string agency_token = AgencyAccessToken(*client_, server_->port(), bhxh);
  auto death = Call(bhttp::verb::post, "/v1/events/death",
                    R"({"citizen_id":"001085123456","date_of_death":"2026-11-01"})");
  ASSERT_EQ(death.status, 201u) << death.body;
  ASSERT_TRUE(rx.WaitForCount(1, std::chrono::seconds(10)));

  auto got = rx.Requests();
  ASSERT_EQ(got.size(), 1u);
  const auto& r = got[0];
  EXPECT_EQ(r.target, "/dancu");
  const std::string& ts = r.headers.at("dancu-webhook-timestamp");
  std::string expected = "v1=" + crypto::HexEncode(crypto::AsBytes(
                                     crypto::HmacSha256(secret, ts + "." + r.body)));
  EXPECT_EQ(r.headers.at("dancu-webhook-signature"), expected);
  auto event = boost::json::parse(r.body).as_object();
  EXPECT_EQ(event.at("type").as_string(), "death");
  EXPECT_EQ(event.at("citizen_id").as_string(), "001085123456");
  EXPECT_EQ(event.at("seq").as_int64(), Json(death).at("seq").as_int64());
  EXPECT_EQ(event.at("data").as_object().at("date_of_death").as_string(), "2026-11-01");
  const std::string delivery_id = r.headers.at("dancu-webhook-id");

  // The admin API sees the subscription (without its secret) and, once the
  // outcome is committed, the delivered delivery.
  auto subs = Call(bhttp::verb::get, "/v1/webhooks");
  ASSERT_EQ(subs.status, 200u) << subs.body;
  auto list = Json(subs).at("subscriptions").as_array();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_FALSE(list[0].as_object().contains("secret"));
  std::string state;
  for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
       std::chrono::steady_clock::now() < deadline;
       std::this_thread::sleep_for(std::chrono::milliseconds(20))) {
    auto d = Call(bhttp::verb::get, "/v1/webhooks/deliveries?state=delivered");
    ASSERT_EQ(d.status, 200u) << d.body;
    auto arr = Json(d).at("deliveries").as_array();
    if (!arr.empty()) {
      EXPECT_EQ(std::to_string(arr[0].as_object().at("id").as_int64()), delivery_id);
      state = std::string(arr[0].as_object().at("state").as_string());
      break;
    }
  }
  EXPECT_EQ(state, "delivered");
  auto again = Call(bhttp::verb::post, "/v1/webhooks/deliveries/" + delivery_id + "/redeliver");
  EXPECT_EQ(again.status, 409u) << again.body;
  EXPECT_EQ(Call(bhttp::verb::post, "/v1/webhooks/deliveries/99999/redeliver").status, 404u);
  EXPECT_EQ(Call(bhttp::verb::get, "/v1/webhooks/deliveries?state=lost").status, 400u);

  // Creating over the API: the secret comes back once; bad input is refused.
  auto created = Call(bhttp::verb::post, "/v1/webhooks",
                      R"({"agency":"bhxh","url":"http://127.0.0.1:9/x","events":["birth"]})");
  ASSERT_EQ(created.status, 201u) << created.body;
  EXPECT_TRUE(Json(created).at("secret").as_string().starts_with("whsec_"));
  auto bad = Call(bhttp::verb::post, "/v1/webhooks",
                  R"({"agency":"bhxh","url":"http://bhxh.example/x","events":["death"]})");
  EXPECT_EQ(bad.status, 400u);
  EXPECT_NE(bad.body.find("webhook.bad_url"), std::string::npos) << bad.body;
  auto id = std::to_string(Json(created).at("id").as_int64());
  EXPECT_EQ(Call(bhttp::verb::delete_, "/v1/webhooks/" + id).status, 204u);
  EXPECT_EQ(Call(bhttp::verb::delete_, "/v1/webhooks/" + id).status, 404u);

  // Agencies may not manage webhooks.
  EXPECT_EQ(client_
                ->Request(bhttp::verb::get, "/v1/webhooks", "",
                          {{"Authorization", "Bearer " + agency_token}})
                .status,
            403u);
}

}  // namespace
}  // namespace dancu::testing
