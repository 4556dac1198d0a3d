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

// Members (hub/members.h): agencies, their clients (public JWKS, optional
// mTLS thumbprint, policy JSON) and the client assertions already used.
constexpr std::string_view kV2 = R"sql(
CREATE TABLE agencies (
  name TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  display_name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE agency_clients (
  client_id TEXT PRIMARY KEY,
  agency TEXT NOT NULL REFERENCES agencies(name),
  jwks TEXT NOT NULL,
  mtls_thumbprint TEXT NOT NULL DEFAULT '',
  policy TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE agency_assertions (
  client_id TEXT NOT NULL,
  jti TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (client_id, jti)
);
)sql";
constexpr std::string_view kV2Postgres = kV2;

// eKYC consents (hub/ekyc_consents.h): the citizens' consents, and the
// one-time consent codes, stored only as an HMAC (code_hash). Times are Unix
// microseconds by the injected Clock; fields are comma-separated names.
constexpr std::string_view kV3 = R"sql(
CREATE TABLE ekyc_consents (
  id TEXT PRIMARY KEY,
  citizen_id TEXT NOT NULL,
  agency TEXT NOT NULL,
  purpose TEXT NOT NULL,
  fields TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT,
  source TEXT NOT NULL
);
CREATE INDEX ekyc_consents_citizen ON ekyc_consents (citizen_id, agency);
CREATE TABLE ekyc_consent_codes (
  code_hash TEXT PRIMARY KEY,
  citizen_id TEXT NOT NULL,
  agency TEXT NOT NULL,
  purpose TEXT NOT NULL,
  fields TEXT NOT NULL,
  days INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  redeemed_at BIGINT,
  consent_id TEXT
);
CREATE INDEX ekyc_consent_codes_expiry ON ekyc_consent_codes (expires_at);
)sql";
constexpr std::string_view kV3Postgres = kV3;

// Linked documents from sectoral data sync (hub/linked_documents.h): one
// document per (citizen, type, agency), the latest submission wins; listed
// per citizen.
constexpr std::string_view kV4 = R"sql(
CREATE TABLE linked_documents (
  id INTEGER PRIMARY KEY,
  citizen_id TEXT NOT NULL,
  type TEXT NOT NULL,
  number TEXT NOT NULL,
  attributes TEXT NOT NULL,
  agency TEXT NOT NULL,
  submitted_at TEXT NOT NULL,
  UNIQUE (citizen_id, type, agency)
);
)sql";
constexpr std::string_view kV4Postgres = R"sql(
CREATE TABLE linked_documents (
  id BIGSERIAL PRIMARY KEY,
  citizen_id TEXT NOT NULL,
  type TEXT NOT NULL,
  number TEXT NOT NULL,
  attributes TEXT NOT NULL,
  agency TEXT NOT NULL,
  submitted_at TEXT NOT NULL,
  UNIQUE (citizen_id, type, agency)
);
)sql";

constexpr storage::Migration kMigrations[] = {
    {1, "webhooks", kV1, kV1Postgres},
    {2, "members", kV2, kV2Postgres},
    {3, "ekyc consents", kV3, kV3Postgres},
    {4, "linked documents", kV4, kV4Postgres},
};

}  // namespace

std::span<const storage::Migration> HubMigrations() { return kMigrations; }

Result<std::unique_ptr<storage::Database>> OpenHubDb(const std::filesystem::path& data_dir) {
  return storage::OpenMigratedSqlite(HubDbPath(data_dir), HubMigrations());
}

}  // namespace dancu::hub
