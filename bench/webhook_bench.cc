// Webhook delivery throughput (issue 5: at least 5,000 deliveries/s to a
// local receiver). The outbox (DIR/hub.db) is filled with N pending
// deliveries, then a started WebhookDispatcher posts them, up to 64 at a
// time, to the in-test receiver on 127.0.0.1 (tests/support/
// webhook_receiver.h: one thread, one connection per delivery, 200 OK), and
// the benchmark times until the receiver has N requests and every row is
// committed as delivered. The receiver runs in the same process, on the same
// two cores, so the figure is a lower bound for a receiver elsewhere.
//
//   ./webhook_bench --benchmark_min_time=1x   (N = 20,000 by default)
#include <chrono>
#include <filesystem>

#include <benchmark/benchmark.h>

#include "core/clock.h"
#include "core/random.h"
#include "hub/hub_db.h"
#include "hub/webhook_dispatcher.h"
#include "hub/webhook_subscriptions.h"
#include "registry/registry.h"
#include "storage/database.h"
#include "support/temp_dir.h"
#include "support/webhook_receiver.h"

namespace dancu {
namespace {

void BM_WebhookDelivery(benchmark::State& state) {
  const int64_t n = state.range(0);
  for (auto _ : state) {
    state.PauseTiming();
    testing::TempDir dir;
    SystemClock clock;
    SeededRandom random(1);
    auto reg_db = storage::OpenSqlite(dir.path() / "register.db").value();
    auto reg = registry::Registry::Open(*reg_db, clock, random).value();
    auto hub_db = hub::OpenHubDb(dir.path()).value();
    testing::WebhookReceiver rx;
    rx.CountOnly(true);
    auto subs = hub::WebhookSubscriptions::Open(*hub_db, clock).value();
    auto sub = subs->Create({"bench", rx.Url(), {"death"}, {}}).value();
    {
      auto conn = hub_db->Connect().value();
      auto tx = storage::Transaction::Begin(*conn).value();
      std::string body =
          R"({"seq":1,"type":"death","citizen_id":"001085123456","at":"2026-11-23T03:00:00.000000Z",)"
          R"("actor":"officer:1","reason":"","data":{"date_of_death":"2026-11-22"}})";
      for (int64_t i = 0; i < n; ++i) {
        auto& st = conn->Cached(
            "INSERT INTO webhook_deliveries (subscription_id, seq, event_type, body, state, "
            "next_attempt_at) VALUES (?, ?, 'death', ?, 0, 0)");
        st.BindInt(1, sub.id);
        st.BindInt(2, i + 1);
        st.BindText(3, body);
        if (!st.Run()) state.SkipWithError("insert failed");
      }
      if (!tx.Commit()) state.SkipWithError("commit failed");
    }
    hub::WebhookDispatcherOptions options;
    options.encode = [](const registry::FeedEvent&) -> Result<std::string> { return "{}"; };
    auto dispatcher = hub::WebhookDispatcher::Open(*hub_db, *reg, clock, random, options).value();
    state.ResumeTiming();

    dispatcher->Start();
    if (!rx.WaitForCount(n, std::chrono::seconds(120))) state.SkipWithError("receiver timed out");
    // Until every outcome is committed.
    for (int i = 0; i < 12000; ++i) {
      if (dispatcher->List(hub::DeliveryState::kPending, 1)->empty()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    dispatcher->Stop();

    state.PauseTiming();
    if (!dispatcher->List(hub::DeliveryState::kPending, 1)->empty())
      state.SkipWithError("deliveries left pending");
    if (rx.Count() != n) state.SkipWithError("receiver got a different count");
    dispatcher.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.counters["deliveries/s"] =
      benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_WebhookDelivery)->Arg(20000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

}  // namespace
}  // namespace dancu

BENCHMARK_MAIN();
