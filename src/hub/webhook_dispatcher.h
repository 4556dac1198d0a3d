// WebhookDispatcher: pushes register events to agencies' webhooks (issue 5,
// "Live feeds to agencies": signed, at least once, retried with exponential
// backoff for up to 24 h, then a dead letter that can be redelivered; the
// delivery state survives a restart).
//
// Enqueuing (the outbox). A follower pages through Registry::Feed after the
// stored position and wakes on Registry::WaitForFeed, like the verifier and
// the account watcher. For each page, in ONE hub.db transaction, it inserts
// a delivery row for every (event, enabled subscription) that matches — the
// event type is one of the subscription's, and if the subscription names
// provinces, the citizen's province of permanent residence (read from the
// register when the event is enqueued) is one of them — and stores the new
// feed position (hub_feed_state "webhooks"). A crash or an error anywhere in
// the page rolls both back, so an event is enqueued once, never zero times,
// never twice. The body, the event's JSON (the same shape as GET /v1/feed,
// api/event_json.h, produced by the injected `encode`), is stored in the row.
//
// Delivery. Due pending rows (next_attempt_at <= Clock::Now()) are POSTed
// with Boost.Beast on an io_context, up to `max_in_flight` at a time, each
// with its own connection and `request_timeout`, so a receiver that hangs
// holds one slot for at most the timeout and never blocks the others.
// Headers: Content-Type: application/json, Dancu-Webhook-Id (the delivery
// id; the same on every retry, for the receiver to drop duplicates),
// Dancu-Webhook-Timestamp (Unix seconds of this attempt) and
// Dancu-Webhook-Signature: v1=<lower-case hex HMAC-SHA256(secret,
// timestamp + "." + body)>. A 2xx answer marks the row delivered; anything
// else (connection refused or closed, timeout, 3xx, 4xx, 5xx) is a failure:
// the n-th failure schedules the next attempt after about first_backoff ·
// 2^(n-1), at most max_backoff, times a jitter factor in [0.8, 1.2) from
// the injected Random, and never later than give_up_after past the first
// attempt; a failure at or after that moves the row to the dead letters.
// Results are written in batches. https URLs are posted over TLS (Boost.Beast
// ssl_stream, OpenSSL, TLS 1.2 or later) with the server's certificate
// checked against the system's trusted CAs (or `ca_file`) and the URL's host
// name (SNI sent); a certificate that does not verify is a failed attempt
// like any other. Plain http goes only to loopback hosts.
//
// At least once: a row stays pending until its 2xx is committed, so a
// server killed mid-delivery re-sends it after restart (Start picks up every
// pending row). Receivers must therefore drop duplicates by Dancu-Webhook-Id.
//
// Two ways to run it:
//  - Start()/Stop(): a follower thread and a delivery thread (production);
//  - CatchUp() and RunDue() on the caller's thread (tests, the CLI): RunDue
//    sends every due row, waits for all of them to finish and commits the
//    results. Do not call RunDue while started.
//
// Errors: CatchUp returns storage.* and the register's errors (the thread
// logs them and retries after 100 ms); Redeliver: webhook.delivery_not_found
// (404), webhook.not_dead (409); List: storage.*.
// Thread safety: List, Redeliver, enqueued_seq and WaitUntilEnqueued from
// any thread; CatchUp from one thread at a time; Start/Stop/RunDue from one
// owner thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/random.h"
#include "hub/webhook_subscriptions.h"
#include "registry/registry.h"
#include "storage/database.h"

namespace dancu::hub {

enum class DeliveryState { kPending = 0, kDelivered = 1, kDead = 2 };
std::string_view ToString(DeliveryState s);  // "pending", "delivered", "dead"
std::optional<DeliveryState> ParseDeliveryState(std::string_view text);

struct WebhookDelivery {
  int64_t id = 0;
  int64_t subscription_id = 0;
  std::string agency;
  std::string url;
  int64_t seq = 0;
  std::string event_type;
  DeliveryState state = DeliveryState::kPending;
  int attempts = 0;
  std::optional<Timestamp> first_attempt_at;
  Timestamp next_attempt_at;
  std::optional<Timestamp> delivered_at;
  std::string last_error;  // "", "HTTP 500", "timeout", "connection refused", ...
};

// The signature header value for one attempt: "v1=" + hex HMAC-SHA256(secret,
// timestamp + "." + body).
std::string WebhookSignature(std::string_view secret, int64_t unix_seconds, std::string_view body);

struct WebhookDispatcherOptions {
  // The request body for an event; an error stops the page (nothing of it
  // is enqueued, the position does not move).
  std::function<Result<std::string>(const registry::FeedEvent&)> encode;
  // The agency's policy (issue 5: subscriptions are limited by policy): the
  // body this agency may receive for the event (minimized, hub/minimizer.h),
  // or nullopt when its policy does not let the event reach it (event type,
  // province = the citizen's province of permanent residence, "" when
  // unknown). Called at enqueue time; unset = every subscribed event, as
  // encoded.
  std::function<std::optional<std::string>(const registry::FeedEvent&, std::string_view agency,
                                           std::string_view province, const std::string& body)>
      admit;
  std::chrono::milliseconds request_timeout{10000};
  std::chrono::microseconds first_backoff = std::chrono::seconds(10);
  std::chrono::microseconds max_backoff = std::chrono::hours(1);
  std::chrono::microseconds give_up_after = std::chrono::hours(24);
  int max_in_flight = 64;
  int feed_page = 1000;
  // PEM file of the CAs trusted for https receivers; empty: the system's.
  std::string ca_file;
};

class WebhookDispatcher {
 public:
  // All references must outlive the dispatcher. `random` is used only on
  // the delivery thread (or RunDue's caller).
  static Result<std::unique_ptr<WebhookDispatcher>> Open(storage::Database& hub_db,
                                                         const registry::Registry& registry,
                                                         const Clock& clock, Random& random,
                                                         WebhookDispatcherOptions options);
  ~WebhookDispatcher();  // stops

  void Start();
  void Stop();  // attempts in flight are abandoned: still pending, sent again later

  // Enqueues every feed event after enqueued_seq() now.
  Status CatchUp();
  // Attempts every due pending delivery and waits for the outcomes;
  // returns how many attempts were made.
  Result<int> RunDue();

  int64_t enqueued_seq() const { return enqueued_seq_.load(std::memory_order_acquire); }
  bool WaitUntilEnqueued(int64_t seq, std::chrono::milliseconds timeout) const;

  // Deliveries in `state` (all if nullopt), newest first, at most `limit`.
  Result<std::vector<WebhookDelivery>> List(std::optional<DeliveryState> state, int limit) const;
  Result<WebhookDelivery> Get(int64_t id) const;
  // A dead letter becomes pending again, due now, with a fresh 24 h.
  Status Redeliver(int64_t id);

  class Sender;  // the delivery engine (webhook_dispatcher.cc)

 private:
  WebhookDispatcher(storage::Database& hub_db, std::unique_ptr<storage::Connection> feed_conn,
                    std::unique_ptr<storage::Connection> read_conn,
                    const registry::Registry& registry, const Clock& clock,
                    WebhookDispatcherOptions options, int64_t seq);
  Status EnqueuePage(const std::vector<registry::FeedEvent>& events, int64_t last);
  void Follow();

  const registry::Registry& registry_;
  const Clock& clock_;
  WebhookDispatcherOptions options_;
  std::unique_ptr<storage::Connection> feed_conn_;  // CatchUp's
  mutable std::mutex read_mu_;
  std::unique_ptr<storage::Connection> read_conn_;  // List/Get/Redeliver, guarded by read_mu_
  std::unique_ptr<Sender> sender_;
  std::mutex catch_up_mu_;
  std::atomic<int64_t> enqueued_seq_;
  mutable std::mutex enqueued_mu_;
  mutable std::condition_variable enqueued_cv_;
  std::atomic<bool> stop_{false};
  std::thread follower_;
  std::thread sender_thread_;
};

}  // namespace dancu::hub
