// Webhook delivery (hub/webhook_subscriptions.h, hub/webhook_dispatcher.h):
// subscriptions and their validation, the filter by event type and
// province, the signature, and at-least-once delivery to an in-test
// receiver on 127.0.0.1 (500, closed connection, a hang, 24 h of failures to
// a dead letter and back, restarts), over plain http and over TLS with a
// self-signed certificate made here. Retries are driven by advancing the
// fixture's ManualClock and calling RunDue; nothing sleeps.
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <fstream>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "crypto/encoding.h"
#include "hub/hub_db.h"
#include "hub/webhook_dispatcher.h"
#include "hub/webhook_subscriptions.h"
#include "registry/registry_fixture.h"
#include "support/webhook_receiver.h"

namespace dancu::hub {
namespace {

using dancu::testing::WebhookReceiver;
using registry::testing::Date;
using namespace std::chrono_literals;

Result<std::string> Encode(const registry::FeedEvent& e) {
  boost::json::object o;
  o["seq"] = e.seq;
  o["type"] = e.type;
  o["citizen_id"] = e.citizen_id ? boost::json::value(e.citizen_id->ToString()) : nullptr;
  return boost::json::serialize(o);
}

class WebhookTest : public registry::testing::RegistryTest {
 protected:
  void SetUp() override {
    RegistryTest::SetUp();
    if (HasFatalFailure()) return;
    auto db = OpenHubDb(dir_.path());
    ASSERT_TRUE(db) << db.error().message;
    hub_db_ = std::move(*db);
    auto subs = WebhookSubscriptions::Open(*hub_db_, clock_, [](std::string_view name) -> Result<bool> {
      return name != "nobody";
    });
    ASSERT_TRUE(subs);
    subs_ = std::move(*subs);
    options_.encode = Encode;
    options_.request_timeout = 300ms;
    OpenDispatcher();
  }
  void TearDown() override { dispatcher_.reset(); }

  void OpenDispatcher() {
    dispatcher_.reset();
    auto d = WebhookDispatcher::Open(*hub_db_, *reg_, clock_, random_, options_);
    ASSERT_TRUE(d) << d.error().message;
    dispatcher_ = std::move(*d);
  }
  WebhookSubscription Subscribe(const std::string& url, std::vector<std::string> events = {"death"},
                                std::vector<std::string> provinces = {}) {
    auto s = subs_->Create({"bhxh", url, std::move(events), std::move(provinces)});
    EXPECT_TRUE(s) << s.error().code << " " << s.error().message;
    return s.value_or(WebhookSubscription{});
  }
  void Die(const registry::Citizen& c) {
    auto r = reg_->RegisterDeath({c.id, Date(2026, 11, 22)}, Officer());
    ASSERT_TRUE(r) << r.error().message;
  }
  std::vector<WebhookDelivery> All() { return dispatcher_->List(std::nullopt, 1000).value(); }
  int Run() {
    auto n = dispatcher_->RunDue();
    EXPECT_TRUE(n) << n.error().message;
    return n.value_or(-1);
  }

  std::unique_ptr<storage::Database> hub_db_;
  std::unique_ptr<WebhookSubscriptions> subs_;
  WebhookDispatcherOptions options_;
  std::unique_ptr<WebhookDispatcher> dispatcher_;
};

// A self-signed P-256 certificate for 127.0.0.1 and localhost (its own CA).
WebhookReceiver::Tls MakeCertificate() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x), 10L * 365 * 86400);
  X509_set_pubkey(x, key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("dancu test receiver"), -1, -1,
                             0);
  X509_set_issuer_name(x, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  for (auto [nid, value] : {std::pair{NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1"},
                            std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
  }
  X509_sign(x, key, EVP_sha256());
  auto pem = [](auto write) {
    BIO* bio = BIO_new(BIO_s_mem());
    write(bio);
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<size_t>(n));
    BIO_free(bio);
    return out;
  };
  WebhookReceiver::Tls tls;
  tls.cert_pem = pem([&](BIO* b) { PEM_write_bio_X509(b, x); });
  tls.key_pem = pem([&](BIO* b) { PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr); });
  X509_free(x);
  EVP_PKEY_free(key);
  return tls;
}

std::string OpenSslHmacHex(const std::string& key, const std::string& data) {
  unsigned char out[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return crypto::HexEncode(std::string_view(reinterpret_cast<const char*>(out), len));
}

TEST(WebhookSignatureTest, IsHmacSha256OfTimestampDotBody) {
  std::string body = R"({"seq":7,"type":"death"})";
  EXPECT_EQ(WebhookSignature("whsec_abc", 1795000000, body),
            "v1=" + OpenSslHmacHex("whsec_abc", "1795000000." + body));
  EXPECT_NE(WebhookSignature("whsec_abd", 1795000000, body),
            WebhookSignature("whsec_abc", 1795000000, body));
  EXPECT_NE(WebhookSignature("whsec_abc", 1795000001, body),
            WebhookSignature("whsec_abc", 1795000000, body));
}

TEST(WebhookUrlTest, HttpsAnywhereAndPlainHttpOnlyToLoopback) {
  auto t = ParseWebhookUrl("http://127.0.0.1:8081/hooks/death?x=1");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->host, "127.0.0.1");
  EXPECT_EQ(t->port, "8081");
  EXPECT_EQ(t->target, "/hooks/death?x=1");
  auto d = ParseWebhookUrl("http://localhost");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->port, "80");
  EXPECT_EQ(d->target, "/");
  EXPECT_EQ(ParseWebhookUrl("http://[::1]:9/h")->host, "::1");
  EXPECT_FALSE(d->tls);
  auto s = ParseWebhookUrl("https://hooks.bhxh.gov.vn/dancu");
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->tls);
  EXPECT_EQ(s->host, "hooks.bhxh.gov.vn");
  EXPECT_EQ(s->port, "443");
  EXPECT_EQ(ParseWebhookUrl("https://10.0.0.1:8443/h")->port, "8443");
  for (const char* bad : {"https://bad_host/h", "https://a b/", "http://10.0.0.1/hook",
                          "http://hooks.bhxh.gov.vn/hook", "ftp://127.0.0.1/",
                          "http://127.0.0.1:0/", "http://127.0.0.1:70000/", "http://:80/",
                          "http://user@127.0.0.1/", "http://127.0.0.1/a b", "127.0.0.1/hook",
                          "http://127.0.0.1.evil.example/", "http://[::1/"}) {
    auto r = ParseWebhookUrl(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, "webhook.bad_url") << bad;
  }
}

TEST_F(WebhookTest, CreateValidatesAndShowsTheSecretOnce) {
  auto ok = subs_->Create({"bhxh", "http://127.0.0.1:9/h", {"death", "birth", "death"}, {"79"}});
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_TRUE(ok->secret.starts_with("whsec_"));
  EXPECT_EQ(ok->secret.size(), 6u + 43u);
  EXPECT_EQ(ok->event_types, (std::vector<std::string>{"death", "birth"}));
  auto list = subs_->List().value();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_TRUE(list[0].secret.empty());
  EXPECT_EQ(list[0].provinces, std::vector<std::string>{"79"});

  auto code = [&](NewWebhookSubscription s) {
    auto r = subs_->Create(s);
    return r ? std::string("ok") : r.error().code;
  };
  EXPECT_EQ(code({"nobody", "http://127.0.0.1/h", {"death"}, {}}), "webhook.unknown_agency");
  EXPECT_EQ(code({"bad name", "http://127.0.0.1/h", {"death"}, {}}), "webhook.bad_agency");
  EXPECT_EQ(code({"bhxh", "http://example.org/h", {"death"}, {}}), "webhook.bad_url");
  EXPECT_EQ(code({"bhxh", "http://127.0.0.1/h", {}, {}}), "webhook.bad_event_type");
  EXPECT_EQ(code({"bhxh", "http://127.0.0.1/h", {"import"}, {}}), "webhook.bad_event_type");
  EXPECT_EQ(code({"bhxh", "http://127.0.0.1/h", {"death"}, {"99"}}), "webhook.bad_province");
  EXPECT_EQ(code({"bhxh", "http://127.0.0.1/h", {"death"}, {"1"}}), "webhook.bad_province");
  EXPECT_EQ(subs_->List()->size(), 1u);  // nothing half-applied

  ASSERT_TRUE(subs_->Remove(ok->id));
  EXPECT_TRUE(subs_->List().value()[0].disabled);
  EXPECT_EQ(subs_->Remove(ok->id).error().code, "webhook.not_found");
  EXPECT_EQ(subs_->Remove(999).error().code, "webhook.not_found");
}

TEST_F(WebhookTest, FiltersByEventTypeAndProvince) {
  WebhookReceiver rx;
  auto all_deaths = Subscribe(rx.Url("/all"));
  auto hcm_deaths = Subscribe(rx.Url("/hcm"), {"death"}, {"79"});
  auto births = Subscribe(rx.Url("/births"), {"birth"});
  auto removed = Subscribe(rx.Url("/removed"));
  ASSERT_TRUE(subs_->Remove(removed.id));
  Die(husband_);  // Hà Nội (01)
  Die(single_);   // Hồ Chí Minh City (79)
  ASSERT_TRUE(dispatcher_->CatchUp());
  EXPECT_EQ(dispatcher_->enqueued_seq(), Seq());
  auto rows = All();
  ASSERT_EQ(rows.size(), 3u);
  int to_all = 0, to_hcm = 0;
  for (const auto& d : rows) {
    EXPECT_EQ(d.event_type, "death");
    EXPECT_EQ(d.state, DeliveryState::kPending);
    if (d.subscription_id == all_deaths.id) ++to_all;
    if (d.subscription_id == hcm_deaths.id) ++to_hcm;
    EXPECT_NE(d.subscription_id, births.id);
  }
  EXPECT_EQ(to_all, 2);
  EXPECT_EQ(to_hcm, 1);
  EXPECT_EQ(Run(), 3);
  auto got = rx.Requests();
  ASSERT_EQ(got.size(), 3u);
  for (const auto& r : got) {
    auto body = boost::json::parse(r.body).as_object();
    if (r.target == "/hcm") EXPECT_EQ(body.at("citizen_id").as_string(), single_.id.ToString());
    EXPECT_EQ(body.at("type").as_string(), "death");
  }
  for (const auto& d : All()) EXPECT_EQ(d.state, DeliveryState::kDelivered);
}

TEST_F(WebhookTest, PostCarriesAVerifiableSignature) {
  WebhookReceiver rx;
  auto sub = Subscribe(rx.Url());
  Die(husband_);
  ASSERT_TRUE(dispatcher_->CatchUp());
  EXPECT_EQ(Run(), 1);
  auto got = rx.Requests();
  ASSERT_EQ(got.size(), 1u);
  const auto& r = got[0];
  EXPECT_EQ(r.target, "/hook");
  EXPECT_EQ(r.headers.at("content-type"), "application/json");
  EXPECT_EQ(r.headers.at("dancu-webhook-id"), std::to_string(All()[0].id));
  const std::string& ts = r.headers.at("dancu-webhook-timestamp");
  auto now_s = clock_.Now().time_since_epoch().count() / 1000000;
  EXPECT_EQ(ts, std::to_string(now_s));
  EXPECT_EQ(r.headers.at("dancu-webhook-signature"), "v1=" + OpenSslHmacHex(sub.secret, ts + "." + r.body));
  EXPECT_NE(r.headers.at("dancu-webhook-signature"), "v1=" + OpenSslHmacHex("whsec_wrong", ts + "." + r.body));
  auto body = boost::json::parse(r.body).as_object();
  EXPECT_EQ(body.at("seq").as_int64(), Seq());
  EXPECT_EQ(body.at("citizen_id").as_string(), husband_.id.ToString());
}

TEST_F(WebhookTest, Error500IsRetriedAfterBackoffThenDeliveredOnce) {
  WebhookReceiver rx;
  rx.Script({{WebhookReceiver::kStatus, 500}});
  Subscribe(rx.Url());
  Die(husband_);
  ASSERT_TRUE(dispatcher_->CatchUp());
  EXPECT_EQ(Run(), 1);
  auto d = All()[0];
  EXPECT_EQ(d.state, DeliveryState::kPending);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.last_error, "HTTP 500");
  auto wait = d.next_attempt_at - clock_.Now();
  EXPECT_GE(wait, 8s);  // 10 s with jitter in [0.8, 1.2)
  EXPECT_LT(wait, 12s);
  EXPECT_EQ(Run(), 0);  // not due yet
  clock_.Advance(12s);
  EXPECT_EQ(Run(), 1);
  d = All()[0];
  EXPECT_EQ(d.state, DeliveryState::kDelivered);
  EXPECT_EQ(d.attempts, 2);
  clock_.Advance(1h);
  EXPECT_EQ(Run(), 0);  // done: never sent again
  auto got = rx.Requests();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].headers.at("dancu-webhook-id"), got[1].headers.at("dancu-webhook-id"));
  EXPECT_EQ(got[0].body, got[1].body);
}

TEST_F(WebhookTest, ClosedConnectionAndRefusedAreRetried) {
  WebhookReceiver rx;
  rx.Script({{WebhookReceiver::kClose, 0}, {WebhookReceiver::kStatus, 404}});
  Subscribe(rx.Url());
  std::string refused_url;
  {
    WebhookReceiver gone;
    refused_url = gone.Url();
  }
  Subscribe(refused_url);
  Die(husband_);
  ASSERT_TRUE(dispatcher_->CatchUp());
  EXPECT_EQ(Run(), 2);
  for (const auto& d : All()) {
    EXPECT_EQ(d.state, DeliveryState::kPending);
    EXPECT_TRUE(d.last_error == "connection closed" || d.last_error == "connection refused")
        << d.last_error;
  }
  clock_.Advance(15s);
  EXPECT_EQ(Run(), 2);  // the 404 and the refused one again
  clock_.Advance(30s);
  EXPECT_EQ(Run(), 2);
  int delivered = 0;
  for (const auto& d : All()) delivered += d.state == DeliveryState::kDelivered;
  EXPECT_EQ(delivered, 1);
  EXPECT_EQ(rx.Count(), 3);
}

TEST_F(WebhookTest, HangingReceiverTimesOutWithoutBlockingOthers) {
  WebhookReceiver hang, fine;
  hang.Script({{WebhookReceiver::kHang, 0}});
  Subscribe(hang.Url());
  Subscribe(fine.Url());
  Die(husband_);
  ASSERT_TRUE(dispatcher_->CatchUp());
  EXPECT_EQ(Run(), 2);  // returns once the hung one's 300 ms timeout fires
  for (const auto& d : All()) {
    if (d.url == fine.Url()) {
      EXPECT_EQ(d.state, DeliveryState::kDelivered);
    } else {
      EXPECT_EQ(d.state, DeliveryState::kPending);
      EXPECT_EQ(d.last_error, "timeout");
    }
  }
  clock_.Advance(15s);
  EXPECT_EQ(Run(), 1);
  for (const auto& d : All()) EXPECT_EQ(d.state, DeliveryState::kDelivered);
  EXPECT_EQ(hang.Count(), 2);
  EXPECT_EQ(fine.Count(), 1);
}

TEST_F(WebhookTest, AfterTwentyFourHoursADeadLetterThatCanBeRedelivered) {
  WebhookReceiver rx;
  rx.Script(std::vector<WebhookReceiver::Behaviour>(40, {WebhookReceiver::kStatus, 503}));
  Subscribe(rx.Url());
  Die(husband_);
  ASSERT_TRUE(dispatcher_->CatchUp());
  auto start = clock_.Now();
  int attempts = 0;
  while (All()[0].state == DeliveryState::kPending && attempts < 100) {
    attempts += Run();
    clock_.Set(All()[0].next_attempt_at);
  }
  auto d = All()[0];
  ASSERT_EQ(d.state, DeliveryState::kDead);
  EXPECT_EQ(d.last_error, "HTTP 503");
  EXPECT_EQ(d.attempts, attempts);
  // 10 s, 20 s, ... capped at one hour: about 31 attempts in 24 h.
  EXPECT_GE(attempts, 25);
  EXPECT_LE(attempts, 40);
  EXPECT_GE(clock_.Now() - start, 24h);
  EXPECT_LT(clock_.Now() - start, 24h + 1min);
  clock_.Advance(48h);
  EXPECT_EQ(Run(), 0);  // a dead letter is never retried by itself
  auto dead = dispatcher_->List(DeliveryState::kDead, 10).value();
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dispatcher_->List(DeliveryState::kPending, 10)->size(), 0u);

  rx.Script({});
  int before = static_cast<int>(rx.Count());
  ASSERT_TRUE(dispatcher_->Redeliver(d.id));
  EXPECT_EQ(dispatcher_->Get(d.id)->state, DeliveryState::kPending);
  // The receiver's script still holds 503s: drain them so the next is 200.
  while (rx.Count() < 40) {
    Run();
    clock_.Set(All()[0].next_attempt_at);
  }
  EXPECT_GT(rx.Count(), before);
  Run();
  EXPECT_EQ(dispatcher_->Get(d.id)->state, DeliveryState::kDelivered);
  EXPECT_EQ(dispatcher_->Redeliver(d.id).error().code, "webhook.not_dead");
  EXPECT_EQ(dispatcher_->Redeliver(12345).error().code, "webhook.delivery_not_found");
}

TEST_F(WebhookTest, PendingDeliveriesSurviveARestart) {
  WebhookReceiver rx;
  Subscribe(rx.Url());
  Die(husband_);
  ASSERT_TRUE(dispatcher_->CatchUp());
  OpenDispatcher();  // "restart" before any attempt
  EXPECT_EQ(dispatcher_->enqueued_seq(), Seq());
  ASSERT_TRUE(dispatcher_->CatchUp());
  EXPECT_EQ(All().size(), 1u);  // not enqueued twice
  EXPECT_EQ(Run(), 1);
  EXPECT_EQ(rx.Count(), 1);
  EXPECT_EQ(All()[0].state, DeliveryState::kDelivered);
}

TEST_F(WebhookTest, AServerStoppedMidDeliverySendsItAgainAfterRestart) {
  WebhookReceiver rx;
  rx.Script({{WebhookReceiver::kHang, 0}});
  options_.request_timeout = 60s;
  OpenDispatcher();
  Subscribe(rx.Url());
  dispatcher_->Start();
  Die(husband_);
  ASSERT_TRUE(rx.WaitForCount(1, 10s));  // the attempt is in flight, unanswered
  dispatcher_->Stop();
  EXPECT_EQ(All()[0].state, DeliveryState::kPending);
  OpenDispatcher();
  dispatcher_->Start();
  ASSERT_TRUE(rx.WaitForCount(2, 10s));
  dispatcher_->Stop();
  auto d = All()[0];
  EXPECT_EQ(d.state, DeliveryState::kDelivered);
  auto got = rx.Requests();
  EXPECT_EQ(got[0].headers.at("dancu-webhook-id"), got[1].headers.at("dancu-webhook-id"));
}

TEST_F(WebhookTest, StartedDispatcherDeliversNewEvents) {
  WebhookReceiver rx;
  Subscribe(rx.Url(), {"death", "residence"});
  dispatcher_->Start();
  Die(husband_);
  Die(single_);
  ASSERT_TRUE(rx.WaitForCount(2, 10s));
  ASSERT_TRUE(dispatcher_->WaitUntilEnqueued(Seq(), 10s));
  dispatcher_->Stop();
  for (const auto& d : All()) EXPECT_EQ(d.state, DeliveryState::kDelivered);
}

TEST_F(WebhookTest, FeedPositionDoesNotPassAnEventThatWasNotEnqueued) {
  WebhookReceiver rx;
  Subscribe(rx.Url());
  int64_t start = dispatcher_->enqueued_seq();
  Die(husband_);
  Die(single_);
  bool fail = true;
  options_.encode = [&](const registry::FeedEvent& e) -> Result<std::string> {
    if (fail && e.citizen_id == single_.id) return Fail("storage.io", "disk full");
    return Encode(e);
  };
  OpenDispatcher();
  auto s = dispatcher_->CatchUp();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "storage.io");
  EXPECT_EQ(dispatcher_->enqueued_seq(), start);
  EXPECT_TRUE(All().empty());  // the page's first event is rolled back too
  OpenDispatcher();            // the stored position did not move either
  EXPECT_EQ(dispatcher_->enqueued_seq(), start);
  fail = false;
  ASSERT_TRUE(dispatcher_->CatchUp());
  EXPECT_EQ(dispatcher_->enqueued_seq(), Seq());
  EXPECT_EQ(All().size(), 2u);  // each once
  EXPECT_EQ(Run(), 2);
  EXPECT_EQ(rx.Count(), 2);
}

TEST_F(WebhookTest, HttpsDeliveryVerifiesTheReceiversCertificate) {
  auto cert = MakeCertificate();
  WebhookReceiver rx(cert);
  auto ca = dir_.path() / "receiver-ca.pem";
  std::ofstream(ca) << cert.cert_pem;
  options_.ca_file = ca.string();
  OpenDispatcher();
  auto sub = Subscribe(rx.Url());
  ASSERT_TRUE(sub.url.starts_with("https://"));
  Die(husband_);
  ASSERT_TRUE(dispatcher_->CatchUp());
  EXPECT_EQ(Run(), 1);
  ASSERT_EQ(rx.Count(), 1);
  auto r = rx.Requests()[0];
  EXPECT_EQ(r.headers.at("dancu-webhook-signature"),
            "v1=" + OpenSslHmacHex(sub.secret, r.headers.at("dancu-webhook-timestamp") + "." + r.body));
  EXPECT_EQ(All()[0].state, DeliveryState::kDelivered);
}

TEST_F(WebhookTest, HttpsToAnUntrustedCertificateFailsAndIsRetried) {
  WebhookReceiver rx(MakeCertificate());  // not in the trusted CAs
  Subscribe(rx.Url());
  Die(husband_);
  ASSERT_TRUE(dispatcher_->CatchUp());
  EXPECT_EQ(Run(), 1);
  EXPECT_EQ(rx.Count(), 0);  // nothing was sent
  auto d = All()[0];
  EXPECT_EQ(d.state, DeliveryState::kPending);
  EXPECT_NE(d.last_error.find("TLS handshake"), std::string::npos) << d.last_error;
}

}  // namespace
}  // namespace dancu::hub
