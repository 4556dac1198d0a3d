// dancu events: the change feed as NDJSON, optionally following it.
#include <boost/json/serialize.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

#include "api/event_json.h"
#include "app/commands.h"
#include "app/register_files.h"

namespace dancu::app {

int Events(const EventsOptions& o) {
  auto reg = OpenRegisterIn(o.data_dir, /*create=*/false);
  if (!reg) return 1;
  int64_t after = o.after;
  while (true) {
    auto page = reg->registry->Feed(after, 1000);
    if (!page) {
      std::fprintf(stderr, "dancu: %s\n", page.error().message.c_str());
      return 1;
    }
    for (const auto& e : page->events) {
      std::printf("%s\n", boost::json::serialize(api::FeedEventToJson(e)).c_str());
    }
    std::fflush(stdout);
    after = page->next;
    if (!page->events.empty()) continue;
    if (!o.follow) return 0;
    // Another process (the server) writes the feed; SQLite has no
    // cross-process notification, so poll.
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

}  // namespace dancu::app
