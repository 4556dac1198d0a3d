#include "hub/hub_db.h"

namespace dancu::hub {
namespace {

// Deliveries are found by (state, next_attempt_at): the dispatcher asks for
// the pending ones that are due, oldest first.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE webhook_subscriptions (
  id INTEGER PRIMARY KEY,
  agency TEXT NOT NULL,
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  event_types TEXT NOT NULL,
  provinces TEXT NOT NULL,
  created_at TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE webhook_deliveries (
  id INTEGER PRIMARY KEY,
  subscription_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  event_type TEXT NOT NULL,
  body TEXT NOT NULL,
  state INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  first_attempt_at INTEGER,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  delivered_at INTEGER
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
CREATE TABLE hub_feed_state (
  name TEXT PRIMARY KEY,
  seq INTEGER NOT NULL
);
)sql";

constexpr std::string_view kV1Postgres = R"sql(
CREATE TABLE webhook_subscriptions (
  id BIGSERIAL PRIMARY KEY,
  agency TEXT NOT NULL,
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  event_types TEXT NOT NULL,
  provinces TEXT NOT NULL,
  created_at TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE webhook_deliveries (
  id BIGSERIAL PRIMARY KEY,
  subscription_id BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  event_type TEXT NOT NULL,
  body TEXT NOT NULL,
  state INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  first_attempt_at BIGINT,
  next_attempt_at BIGINT NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  delivered_at BIGINT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
CREATE TABLE hub_feed_state (
  name TEXT PRIMARY KEY,
  seq BIGINT NOT NULL
);
)sql";

constexpr storage::Migration kMigrations[] = {
    {1, "webhooks", kV1, kV1Postgres},
};

}  // namespace

std::span<const storage::Migration> HubMigrations() { return kMigrations; }

Result<std::unique_ptr<storage::Database>> OpenHubDb(const std::filesystem::path& data_dir) {
  return storage::OpenMigratedSqlite(HubDbPath(data_dir), HubMigrations());
}

}  // namespace dancu::hub
