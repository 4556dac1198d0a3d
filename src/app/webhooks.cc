// dancu webhooks add|list|remove|dead-letters|redeliver: agencies' webhook
// subscriptions and the dead letters of their deliveries (DIR/hub.db,
// hub/webhook_subscriptions.h, hub/webhook_dispatcher.h). A running server
// sees a new subscription at its next page of the feed and a redelivered
// dead letter within 50 ms.
#include <cstdio>
#include <filesystem>

#include "app/commands.h"
#include "app/register_files.h"
#include "app/hub_services.h"

namespace dancu::app {
namespace {

std::string Join(const std::vector<std::string>& v, std::string_view empty) {
  if (v.empty()) return std::string(empty);
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += ',';
    out += s;
  }
  return out;
}

int Fail(const Error& e) {
  std::fprintf(stderr, "dancu: %s (%s)\n", e.message.c_str(), e.code.c_str());
  return 1;
}

}  // namespace

int Webhooks(const WebhooksOptions& o) {
  std::error_code ec;
  if (!std::filesystem::is_directory(o.data_dir, ec)) {
    std::fprintf(stderr, "dancu: no data directory %s\n", o.data_dir.c_str());
    return 1;
  }
  SystemClock clock;
  SecureRandom random;

  // Deliveries need the dispatcher, which follows the register.
  std::unique_ptr<OpenRegister> reg;
  bool deliveries = o.action == "dead-letters" || o.action == "redeliver";
  if (deliveries) {
    reg = OpenRegisterIn(o.data_dir, /*create=*/false);
    if (!reg) return 1;
  }
  auto services = OpenHubServicesIn(o.data_dir, reg ? reg->registry.get() : nullptr,
                                    /*audit_log=*/nullptr, clock, random);
  if (!services) return Fail(services.error());

  if (o.action == "add") {
    auto s = services->subscriptions->Create({o.agency, o.url, o.events, o.provinces});
    if (!s) return Fail(s.error());
    std::fprintf(stderr,
                 "dancu: webhook %lld for %s added; its signing secret follows. It is shown only "
                 "this once: verify Dancu-Webhook-Signature with it (docs/api.md).\n",
                 static_cast<long long>(s->id), s->agency.c_str());
    std::printf("%s\n", s->secret.c_str());
    return 0;
  }
  if (o.action == "list") {
    auto list = services->subscriptions->List();
    if (!list) return Fail(list.error());
    std::printf("%-6s %-20s %-9s %-24s %-12s %s\n", "ID", "AGENCY", "STATUS", "EVENTS",
                "PROVINCES", "URL");
    for (const auto& s : *list) {
      std::printf("%-6lld %-20s %-9s %-24s %-12s %s\n", static_cast<long long>(s.id),
                  s.agency.c_str(), s.disabled ? "removed" : "active",
                  Join(s.event_types, "-").c_str(), Join(s.provinces, "all").c_str(),
                  s.url.c_str());
    }
    return 0;
  }
  if (o.action == "remove") {
    if (auto s = services->subscriptions->Remove(o.id); !s) return Fail(s.error());
    std::printf("dancu: webhook %lld removed\n", static_cast<long long>(o.id));
    return 0;
  }
  if (o.action == "dead-letters") {
    auto list = services->dispatcher->List(hub::DeliveryState::kDead, 1000);
    if (!list) return Fail(list.error());
    std::printf("%-8s %-20s %-10s %-24s %-8s %s\n", "ID", "AGENCY", "SEQ", "EVENT", "ATTEMPTS",
                "LAST ERROR");
    for (const auto& d : *list) {
      std::printf("%-8lld %-20s %-10lld %-24s %-8d %s\n", static_cast<long long>(d.id),
                  d.agency.c_str(), static_cast<long long>(d.seq), d.event_type.c_str(),
                  d.attempts, d.last_error.c_str());
    }
    return 0;
  }
  if (o.action == "redeliver") {
    if (auto s = services->dispatcher->Redeliver(o.id); !s) return Fail(s.error());
    std::printf("dancu: delivery %lld is pending again\n", static_cast<long long>(o.id));
    return 0;
  }
  return 2;
}

}  // namespace dancu::app
