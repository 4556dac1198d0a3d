#include "hub/webhook_dispatcher.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

#include "core/admin_units.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "hub/feed_disclosure.h"

namespace dancu::hub {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

constexpr std::string_view kStateName = "webhooks";
constexpr auto kPoll = std::chrono::milliseconds(100);
constexpr auto kTick = std::chrono::milliseconds(50);
constexpr size_t kResponseLimit = 1 << 20;

int64_t Micros(Timestamp t) { return t.time_since_epoch().count(); }
Timestamp FromMicros(int64_t v) { return Timestamp{std::chrono::microseconds{v}}; }

bool Contains(std::string_view list, std::string_view item) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    if (list.substr(0, comma) == item) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

std::string_view ToString(DeliveryState s) {
  switch (s) {
    case DeliveryState::kPending: return "pending";
    case DeliveryState::kDelivered: return "delivered";
    case DeliveryState::kDead: return "dead";
  }
  return "pending";
}

std::optional<DeliveryState> ParseDeliveryState(std::string_view text) {
  if (text == "pending") return DeliveryState::kPending;
  if (text == "delivered") return DeliveryState::kDelivered;
  if (text == "dead") return DeliveryState::kDead;
  return std::nullopt;
}

std::string WebhookSignature(std::string_view secret, int64_t unix_seconds,
                             std::string_view body) {
  std::string signed_text = std::to_string(unix_seconds);
  signed_text += '.';
  signed_text += body;
  return "v1=" + crypto::HexEncode(crypto::AsBytes(crypto::HmacSha256(secret, signed_text)));
}

// ---------------------------------------------------------------------------
// The delivery engine: one io_context, driven either by the delivery thread
// (Run) or by RunDue on the caller's thread. Everything but Wake/Stop runs on
// that one thread, so it needs no locks.

class WebhookDispatcher::Sender {
 public:
  Sender(std::unique_ptr<storage::Connection> conn, const Clock& clock, Random& random,
         const WebhookDispatcherOptions& options)
      : conn_(std::move(conn)), clock_(clock), random_(random), options_(options) {
    tls_.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                     asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                     asio::ssl::context::no_tlsv1_1);
    tls_.set_verify_mode(asio::ssl::verify_peer);
    beast::error_code ec;
    if (options_.ca_file.empty()) {
      tls_.set_default_verify_paths(ec);
    } else {
      tls_.load_verify_file(options_.ca_file, ec);
    }
    if (ec) spdlog::warn("webhooks: cannot load trusted CAs: {}", ec.message());
  }

  ~Sender() {
    // Handlers (and the attempts they own) go with the io_context, first.
    ioc_.stop();
  }

  // The delivery thread's body; returns after Stop().
  void Run() {
    continuous_ = true;
    ioc_.restart();
    auto guard = asio::make_work_guard(ioc_);
    asio::steady_timer timer(ioc_);
    std::function<void()> tick = [&] {
      Flush();
      Fill();
      timer.expires_after(kTick);
      timer.async_wait([&](beast::error_code ec) {
        if (!ec) tick();
      });
    };
    tick();
    ioc_.run();
    timer.cancel();
    Flush();  // attempts that finished; those in flight stay pending
    continuous_ = false;
  }
  void Stop() { ioc_.stop(); }
  void Wake() {
    asio::post(ioc_, [this] {
      if (continuous_) Fill();
    });
  }

  Result<int> RunDue() {
    int total = 0;
    ioc_.restart();
    for (;;) {
      int started = Fill();
      if (!fill_status_) return std::unexpected(fill_status_.error());
      if (started == 0) break;
      total += started;
      while (active_ > 0) ioc_.run_one();
      Flush();
      if (!flush_status_) return std::unexpected(flush_status_.error());
    }
    return total;
  }

 private:
  struct Outcome {
    int64_t id;
    bool ok;
    std::string error;
    int attempts;                 // before this attempt
    std::optional<int64_t> first;  // first_attempt_at before this attempt
    int64_t started;
  };

  struct Attempt : std::enable_shared_from_this<Attempt> {
    Attempt(Sender& s, asio::io_context& ioc) : sender(s), plain(ioc), resolver(ioc) {}
    Sender& sender;
    Outcome outcome{};
    WebhookTarget target;
    beast::tcp_stream plain;  // http
    std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;  // https
    tcp::resolver resolver;
    beast::tcp_stream& stream() { return tls ? tls->next_layer() : plain; }
    bhttp::request<bhttp::string_body> req;
    beast::flat_buffer buffer;
    std::optional<bhttp::response_parser<bhttp::string_body>> parser;
    bool done = false;
    std::string bad_target;

    void Start() {
      if (target.tls) {
        tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(plain.get_executor(),
                                                                     sender.tls_);
        // SNI, and the certificate must name the host.
        if (!SSL_set_tlsext_host_name(tls->native_handle(), target.host.c_str())) {
          return Finish(false, "cannot set the TLS server name");
        }
        tls->set_verify_callback(asio::ssl::host_name_verification(target.host));
      }
      stream().expires_after(sender.options_.request_timeout);
      beast::error_code ec;
      auto address = asio::ip::make_address(target.host, ec);
      if (!ec) {
        tcp::endpoint ep(address, static_cast<unsigned short>(std::stoi(target.port)));
        stream().async_connect(ep, [self = shared_from_this()](beast::error_code e) {
          self->OnConnect(e);
        });
        return;
      }
      resolver.async_resolve(
          target.host, target.port,
          [self = shared_from_this()](beast::error_code e, tcp::resolver::results_type r) {
            if (e) return self->Finish(false, "cannot resolve host: " + e.message());
            self->stream().async_connect(r, [self](beast::error_code e2, const tcp::endpoint&) {
              self->OnConnect(e2);
            });
          });
    }
    void OnConnect(beast::error_code ec) {
      if (ec) return Fail(ec, "connect");
      if (!tls) return Exchange(plain);
      tls->async_handshake(asio::ssl::stream_base::client,
                           [self = shared_from_this()](beast::error_code e) {
                             if (e) return self->Fail(e, "TLS handshake");
                             self->Exchange(*self->tls);
                           });
    }
    template <class Stream>
    void Exchange(Stream& s) {
      bhttp::async_write(s, req, [self = shared_from_this(), &s](beast::error_code e, size_t) {
        if (e) return self->Fail(e, "send");
        self->parser.emplace();
        self->parser->body_limit(kResponseLimit);
        bhttp::async_read(s, self->buffer, *self->parser,
                          [self](beast::error_code e2, size_t) { self->OnRead(e2); });
      });
    }
    void OnRead(beast::error_code ec) {
      if (ec) return Fail(ec, "read");
      unsigned status = parser->get().result_int();
      beast::error_code ignored;
      stream().socket().shutdown(tcp::socket::shutdown_both, ignored);
      if (status >= 200 && status < 300) return Finish(true, "");
      Finish(false, "HTTP " + std::to_string(status));
    }
    void Fail(beast::error_code ec, std::string_view step) {
      if (ec == beast::error::timeout) return Finish(false, "timeout");
      if (ec == asio::error::connection_refused) return Finish(false, "connection refused");
      if (ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
          ec == asio::error::connection_reset || ec == bhttp::error::partial_message) {
        return Finish(false, "connection closed");
      }
      Finish(false, std::string(step) + ": " + ec.message());
    }
    void Finish(bool ok, std::string error) {
      if (done) return;
      done = true;
      outcome.ok = ok;
      outcome.error = std::move(error);
      sender.Done(std::move(outcome));
    }
  };

  // Starts attempts for due rows, up to the free slots; returns how many.
  int Fill() {
    int free_slots = options_.max_in_flight - active_;
    if (free_slots <= 0) return 0;
    int64_t now = Micros(clock_.Now());
    auto& st = conn_->Cached(
        "SELECT d.id, d.body, d.attempts, d.first_attempt_at, s.url, s.secret "
        "FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id "
        "WHERE d.state = 0 AND d.next_attempt_at <= ? AND s.disabled = 0 "
        "ORDER BY d.next_attempt_at, d.id LIMIT ?");
    st.BindInt(1, now);
    st.BindInt(2, free_slots + static_cast<int64_t>(busy_.size()));
    std::vector<std::shared_ptr<Attempt>> started;
    fill_status_ = st.ForEachRow([&] {
      if (static_cast<int>(started.size()) >= free_slots) return;
      int64_t id = st.Int(0);
      if (busy_.contains(id)) return;
      auto target = ParseWebhookUrl(st.Text(4));
      auto a = std::make_shared<Attempt>(*this, ioc_);
      a->outcome.id = id;
      a->outcome.attempts = static_cast<int>(st.Int(2));
      a->outcome.first = st.OptionalInt(3);
      a->outcome.started = now;
      int64_t ts = now / 1000000;
      std::string_view body = st.Text(1);
      a->req.method(bhttp::verb::post);
      a->req.version(11);
      if (target) {
        a->target = *target;
        a->req.target(target->target);
        a->req.set(bhttp::field::host, target->host.find(':') != std::string::npos
                                           ? "[" + target->host + "]:" + target->port
                                           : target->host + ":" + target->port);
      }
      a->req.set(bhttp::field::user_agent, "dancu-webhooks/1");
      a->req.set(bhttp::field::content_type, "application/json");
      a->req.set("Dancu-Webhook-Id", std::to_string(id));
      a->req.set("Dancu-Webhook-Timestamp", std::to_string(ts));
      a->req.set("Dancu-Webhook-Signature", WebhookSignature(st.Text(5), ts, body));
      a->req.body() = std::string(body);
      a->req.prepare_payload();
      a->req.keep_alive(false);
      busy_.insert(id);
      ++active_;
      if (!target) a->bad_target = target.error().message;  // checked at creation
      started.push_back(std::move(a));
    });
    if (!fill_status_) {
      spdlog::warn("webhooks: reading due deliveries failed: {} ({})", fill_status_.error().message,
                   fill_status_.error().code);
    }
    for (auto& a : started) {
      if (a->bad_target.empty()) {
        a->Start();
      } else {
        a->Finish(false, a->bad_target);
      }
    }
    return static_cast<int>(started.size());
  }

  void Done(Outcome o) {
    --active_;
    results_.push_back(std::move(o));
    if (!continuous_) return;
    if (static_cast<int>(results_.size()) >= options_.max_in_flight) Flush();
    if (active_ <= options_.max_in_flight * 3 / 4) Fill();
  }

  std::chrono::microseconds Backoff(int failures) {
    double base = static_cast<double>(options_.first_backoff.count()) *
                  std::pow(2.0, std::min(failures - 1, 40));
    base = std::min(base, static_cast<double>(options_.max_backoff.count()));
    double jitter = 0.8 + 0.4 * random_.UniformReal();
    return std::chrono::microseconds(static_cast<int64_t>(base * jitter));
  }

  // Commits the finished attempts in one transaction.
  void Flush() {
    flush_status_ = {};
    if (results_.empty()) return;
    int64_t now = Micros(clock_.Now());
    auto tx = storage::Transaction::Begin(*conn_);
    if (!tx) {
      flush_status_ = std::unexpected(tx.error());
    } else {
      for (const Outcome& o : results_) {
        int64_t first = o.first.value_or(o.started);
        if (o.ok) {
          auto& st = conn_->Cached(
              "UPDATE webhook_deliveries SET state = 1, attempts = ?, first_attempt_at = ?, "
              "delivered_at = ?, last_error = '' WHERE id = ? AND state = 0");
          st.BindInt(1, o.attempts + 1);
          st.BindInt(2, first);
          st.BindInt(3, now);
          st.BindInt(4, o.id);
          flush_status_ = st.Run();
        } else {
          int64_t deadline = first + options_.give_up_after.count();
          bool dead = now >= deadline;
          int64_t next = std::min(now + Backoff(o.attempts + 1).count(), deadline);
          auto& st = conn_->Cached(
              "UPDATE webhook_deliveries SET state = ?, attempts = ?, first_attempt_at = ?, "
              "next_attempt_at = ?, last_error = ? WHERE id = ? AND state = 0");
          st.BindInt(1, dead ? 2 : 0);
          st.BindInt(2, o.attempts + 1);
          st.BindInt(3, first);
          st.BindInt(4, dead ? now : next);
          st.BindText(5, o.error);
          st.BindInt(6, o.id);
          flush_status_ = st.Run();
          if (dead) {
            spdlog::warn("webhooks: delivery {} is a dead letter after {} attempts ({})", o.id,
                         o.attempts + 1, o.error);
          }
        }
        if (!flush_status_) break;
      }
      if (flush_status_) flush_status_ = tx->Commit();
    }
    if (!flush_status_) {
      // Rolled back: the rows stay pending and are attempted again.
      spdlog::warn("webhooks: recording delivery results failed: {} ({})",
                   flush_status_.error().message, flush_status_.error().code);
    }
    for (const Outcome& o : results_) busy_.erase(o.id);
    results_.clear();
  }

  // The TLS context outlives the io_context, whose handlers own the streams.
  asio::ssl::context tls_{asio::ssl::context::tls_client};
  asio::io_context ioc_{1};
  std::unique_ptr<storage::Connection> conn_;
  const Clock& clock_;
  Random& random_;
  const WebhookDispatcherOptions& options_;
  int active_ = 0;
  std::unordered_set<int64_t> busy_;  // in flight or finished but not yet flushed
  std::vector<Outcome> results_;
  bool continuous_ = false;
  Status fill_status_;
  Status flush_status_;
};

// ---------------------------------------------------------------------------

WebhookDispatcher::WebhookDispatcher(storage::Database&,
                                     std::unique_ptr<storage::Connection> feed_conn,
                                     std::unique_ptr<storage::Connection> read_conn,
                                     const registry::Registry& registry, const Clock& clock,
                                     WebhookDispatcherOptions options, int64_t seq)
    : registry_(registry),
      clock_(clock),
      options_(std::move(options)),
      feed_conn_(std::move(feed_conn)),
      read_conn_(std::move(read_conn)),
      enqueued_seq_(seq) {}

WebhookDispatcher::~WebhookDispatcher() {
  Stop();
  sender_.reset();
}

Result<std::unique_ptr<WebhookDispatcher>> WebhookDispatcher::Open(
    storage::Database& hub_db, const registry::Registry& registry, const Clock& clock,
    Random& random, WebhookDispatcherOptions options) {
  if (!options.encode) return Fail("internal.config", "the webhook dispatcher needs an encoder");
  options.max_in_flight = std::max(1, options.max_in_flight);
  options.feed_page = std::max(1, options.feed_page);
  auto feed_conn = hub_db.Connect();
  if (!feed_conn) return std::unexpected(feed_conn.error());
  auto read_conn = hub_db.Connect();
  if (!read_conn) return std::unexpected(read_conn.error());
  auto send_conn = hub_db.Connect();
  if (!send_conn) return std::unexpected(send_conn.error());

  // The stored position; on the first start, the register's newest event:
  // subscriptions get the events that happen from then on, not the history.
  std::optional<int64_t> seq;
  auto& st = (*feed_conn)->Cached("SELECT seq FROM hub_feed_state WHERE name = ?");
  st.BindText(1, kStateName);
  if (auto s = st.ForEachRow([&] { seq = st.Int(0); }); !s) return std::unexpected(s.error());
  if (!seq) {
    auto last = registry.LastSeq();
    if (!last) return std::unexpected(last.error());
    auto& ins = (*feed_conn)->Cached("INSERT INTO hub_feed_state (name, seq) VALUES (?, ?)");
    ins.BindText(1, kStateName);
    ins.BindInt(2, *last);
    if (auto s = ins.Run(); !s) return std::unexpected(s.error());
    seq = *last;
  }
  std::unique_ptr<WebhookDispatcher> d(new WebhookDispatcher(
      hub_db, std::move(*feed_conn), std::move(*read_conn), registry, clock, std::move(options),
      *seq));
  d->sender_ = std::make_unique<Sender>(std::move(*send_conn), clock, random, d->options_);
  return d;
}

Status WebhookDispatcher::EnqueuePage(const std::vector<registry::FeedEvent>& events,
                                      int64_t last) {
  struct Sub {
    int64_t id;
    std::string agency, types, provinces;
  };
  auto tx = storage::Transaction::Begin(*feed_conn_);
  if (!tx) return std::unexpected(tx.error());
  std::vector<Sub> subs;
  auto& sel = feed_conn_->Cached(
      "SELECT id, agency, event_types, provinces FROM webhook_subscriptions WHERE disabled = 0");
  if (auto s = sel.ForEachRow([&] {
        subs.push_back({sel.Int(0), std::string(sel.Text(1)), std::string(sel.Text(2)),
                        std::string(sel.Text(3))});
      });
      !s) {
    return s;
  }
  int64_t now = Micros(clock_.Now());
  for (const registry::FeedEvent& e : events) {
    std::optional<std::string> body;
    std::optional<std::string> province;
    bool province_read = false;
    for (const Sub& sub : subs) {
      if (!Contains(sub.types, e.type)) continue;
      if (!sub.provinces.empty() || options_.admit) {
        if (!province_read) {
          province_read = true;
          auto p = EventProvince(registry_, e);
          if (!p) return std::unexpected(p.error());
          if (!p->empty()) province = std::move(*p);
        }
        if (!sub.provinces.empty() && (!province || !Contains(sub.provinces, *province))) continue;
      }
      if (!body) {
        auto b = options_.encode(e);
        if (!b) return std::unexpected(b.error());
        body = std::move(*b);
      }
      std::optional<std::string> admitted;
      if (options_.admit) {
        admitted = options_.admit(e, sub.agency, province.value_or(""), *body);
        if (!admitted) continue;  // the agency's policy does not cover this event
      }
      auto& ins = feed_conn_->Cached(
          "INSERT INTO webhook_deliveries (subscription_id, seq, event_type, body, state, "
          "next_attempt_at) VALUES (?, ?, ?, ?, 0, ?)");
      ins.BindInt(1, sub.id);
      ins.BindInt(2, e.seq);
      ins.BindText(3, e.type);
      ins.BindText(4, admitted ? *admitted : *body);
      ins.BindInt(5, now);
      if (auto s = ins.Run(); !s) return s;
    }
  }
  auto& up = feed_conn_->Cached("UPDATE hub_feed_state SET seq = ? WHERE name = ?");
  up.BindInt(1, last);
  up.BindText(2, kStateName);
  if (auto s = up.Run(); !s) return s;
  return tx->Commit();
}

Status WebhookDispatcher::CatchUp() {
  std::lock_guard guard(catch_up_mu_);
  for (;;) {
    auto page = registry_.Feed(enqueued_seq(), options_.feed_page);
    if (!page) return std::unexpected(page.error());
    if (page->events.empty()) return {};
    int64_t last = page->events.back().seq;
    if (auto s = EnqueuePage(page->events, last); !s) return s;
    {
      std::lock_guard lock(enqueued_mu_);
      enqueued_seq_.store(last, std::memory_order_release);
    }
    enqueued_cv_.notify_all();
    if (sender_thread_.joinable()) sender_->Wake();
  }
}

bool WebhookDispatcher::WaitUntilEnqueued(int64_t seq, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(enqueued_mu_);
  return enqueued_cv_.wait_for(lock, timeout, [&] { return enqueued_seq() >= seq; });
}

Result<int> WebhookDispatcher::RunDue() { return sender_->RunDue(); }

void WebhookDispatcher::Start() {
  if (follower_.joinable()) return;
  stop_ = false;
  sender_thread_ = std::thread([this] { sender_->Run(); });
  follower_ = std::thread([this] { Follow(); });
}

void WebhookDispatcher::Stop() {
  stop_ = true;
  if (follower_.joinable()) follower_.join();
  if (sender_thread_.joinable()) {
    sender_->Stop();
    sender_thread_.join();
  }
}

void WebhookDispatcher::Follow() {
  while (!stop_) {
    if (auto s = CatchUp(); !s) {
      spdlog::warn("webhooks: following the register's feed failed: {} ({})", s.error().message,
                   s.error().code);
      std::this_thread::sleep_for(kPoll);
      continue;
    }
    registry_.WaitForFeed(enqueued_seq(), kPoll);
  }
}

namespace {

constexpr std::string_view kDeliveryColumns =
    "SELECT d.id, d.subscription_id, s.agency, s.url, d.seq, d.event_type, d.state, d.attempts, "
    "d.first_attempt_at, d.next_attempt_at, d.delivered_at, d.last_error "
    "FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id ";

WebhookDelivery ReadDelivery(const storage::Statement& st) {
  WebhookDelivery d;
  d.id = st.Int(0);
  d.subscription_id = st.Int(1);
  d.agency = std::string(st.Text(2));
  d.url = std::string(st.Text(3));
  d.seq = st.Int(4);
  d.event_type = std::string(st.Text(5));
  d.state = static_cast<DeliveryState>(st.Int(6));
  d.attempts = static_cast<int>(st.Int(7));
  if (auto v = st.OptionalInt(8)) d.first_attempt_at = FromMicros(*v);
  d.next_attempt_at = FromMicros(st.Int(9));
  if (auto v = st.OptionalInt(10)) d.delivered_at = FromMicros(*v);
  d.last_error = std::string(st.Text(11));
  return d;
}

}  // namespace

Result<std::vector<WebhookDelivery>> WebhookDispatcher::List(std::optional<DeliveryState> state,
                                                             int limit) const {
  std::lock_guard lock(read_mu_);
  static const std::string kByState =
      std::string(kDeliveryColumns) + "WHERE d.state = ? ORDER BY d.id DESC LIMIT ?";
  static const std::string kAll = std::string(kDeliveryColumns) + "ORDER BY d.id DESC LIMIT ?";
  std::vector<WebhookDelivery> out;
  auto& st = read_conn_->Cached(state ? kByState : kAll);
  int n = 1;
  if (state) st.BindInt(n++, static_cast<int>(*state));
  st.BindInt(n, limit);
  if (auto s = st.ForEachRow([&] { out.push_back(ReadDelivery(st)); }); !s)
    return std::unexpected(s.error());
  return out;
}

Result<WebhookDelivery> WebhookDispatcher::Get(int64_t id) const {
  std::lock_guard lock(read_mu_);
  static const std::string kById = std::string(kDeliveryColumns) + "WHERE d.id = ?";
  auto& st = read_conn_->Cached(kById);
  st.BindInt(1, id);
  std::optional<WebhookDelivery> d;
  if (auto s = st.ForEachRow([&] { d = ReadDelivery(st); }); !s) return std::unexpected(s.error());
  if (!d) {
    return Fail("webhook.delivery_not_found", "no webhook delivery " + std::to_string(id), "id");
  }
  return *d;
}

Status WebhookDispatcher::Redeliver(int64_t id) {
  auto d = Get(id);
  if (!d) return std::unexpected(d.error());
  std::lock_guard lock(read_mu_);
  auto& st = read_conn_->Cached(
      "UPDATE webhook_deliveries SET state = 0, attempts = 0, first_attempt_at = NULL, "
      "next_attempt_at = ?, last_error = '' WHERE id = ? AND state = 2 RETURNING id");
  st.BindInt(1, Micros(clock_.Now()));
  st.BindInt(2, id);
  bool changed = false;
  if (auto s = st.ForEachRow([&] { changed = true; }); !s) return s;
  if (!changed) {
    return Fail("webhook.not_dead",
                "webhook delivery " + std::to_string(id) + " is " +
                    std::string(ToString(d->state)) + ", not a dead letter",
                "id");
  }
  if (sender_thread_.joinable()) sender_->Wake();
  return {};
}

}  // namespace dancu::hub
