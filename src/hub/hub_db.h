// hub_db: the data-sharing hub's own database, DIR/hub.db, beside
// register.db, verify.db and audit.db, so the hub's writes (webhook
// deliveries, thousands a second) never take another service's write lock.
//
// Schema (numbered migrations, storage/migrations.h):
//  1 webhook_subscriptions(id, agency, url, secret, event_types, provinces,
//    created_at, disabled): event_types and provinces are comma-separated
//    lists (provinces empty = every province); secret is the signing key
//    (it must be kept: every delivery is signed with it).
//    webhook_deliveries(id, subscription_id, seq, event_type, body, state,
//    attempts, first_attempt_at, next_attempt_at, last_error, delivered_at):
//    the outbox; state 0 pending, 1 delivered, 2 dead; times are Unix
//    microseconds by the injected Clock; body is the event JSON sent.
//    hub_feed_state(name PRIMARY KEY, seq): how far a follower of the
//    register's change feed has enqueued.
//  2 agencies(name PRIMARY KEY, kind, display_name, created_at, disabled),
//    agency_clients(client_id PRIMARY KEY, agency, jwks, mtls_thumbprint,
//    policy JSON, created_at, disabled) and agency_assertions(client_id,
//    jti, expires_at): the members (members.h) and the client assertions
//    already used, kept until they expire.
//  3 ekyc_consents and ekyc_consent_codes (ekyc_consents.h).
//  4 linked_documents(citizen_id, type, number, attributes, agency,
//    submitted_at), one per (citizen, type, agency) (linked_documents.h).
//
// Errors: storage.open, storage.migration, storage.schema_too_new.
// Thread safety: as storage::Database.
#pragma once

#include <filesystem>
#include <memory>
#include <span>

#include "core/error.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace dancu::hub {

inline std::filesystem::path HubDbPath(const std::filesystem::path& data_dir) {
  return data_dir / "hub.db";
}

std::span<const storage::Migration> HubMigrations();

// Opens (creating if needed) DIR/hub.db and applies the migrations.
Result<std::unique_ptr<storage::Database>> OpenHubDb(const std::filesystem::path& data_dir);

}  // namespace dancu::hub
