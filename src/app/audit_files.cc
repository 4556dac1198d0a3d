#include "app/audit_files.h"

#include "hub/audit_db.h"
#include "hub/audit_keys.h"

namespace dancu::app {

Result<OpenAuditLog> OpenAuditLogIn(const std::filesystem::path& dir, const Clock& clock,
                                    hub::AuditLogOptions options) {
  OpenAuditLog out;
  auto db = hub::OpenAuditDb(dir);
  if (!db) return std::unexpected(db.error());
  out.db = std::move(*db);
  auto keys = hub::LoadOrCreateAuditKeys(dir);
  if (!keys) return std::unexpected(keys.error());
  auto log = hub::AuditLog::Open(*out.db, std::move(*keys), clock, options);
  if (!log) return std::unexpected(log.error());
  out.log = std::move(*log);
  return out;
}

}  // namespace dancu::app
