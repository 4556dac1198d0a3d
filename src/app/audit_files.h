// The access log of a data directory: DIR/audit.db and its keys
// (hub/audit_keys.h), opened together so their lifetimes nest (the log is
// destroyed, committing its queue, before the database).
#pragma once

#include <filesystem>
#include <memory>

#include "core/clock.h"
#include "core/error.h"
#include "hub/audit_log.h"
#include "storage/database.h"

namespace dancu::app {

struct OpenAuditLog {
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<hub::AuditLog> log;
};

// Opens (creating if needed) the access log in `dir`. Errors: storage.*,
// hub.key_file, audit.key_file, crypto.* (a damaged signing key).
Result<OpenAuditLog> OpenAuditLogIn(const std::filesystem::path& dir, const Clock& clock,
                                    hub::AuditLogOptions options = {});

}  // namespace dancu::app
