// LinkedDocuments: the documents agencies linked to citizens through
// sectoral data sync (issue 5, "Records that pass are stored as the
// citizen's linked documents, which appear in the citizen's account").
// Stored in DIR/hub.db (hub_db.h, migration 4):
//   linked_documents(id, citizen_id, type, number, attributes, agency,
//                    submitted_at), UNIQUE (citizen_id, type, agency)
// citizen_id is the 12-digit id, type a DocumentType wire name, attributes
// the JSON object of AttributesJson (class, valid_from, valid_to, expiry),
// submitted_at ISO 8601 UTC by the injected Clock.
//
// Replacement rule (kept simple on purpose): a citizen has at most one
// document of a type from one agency. Linking another replaces it (an
// upsert on (citizen_id, type, agency)): the latest submission wins, also
// within one Link call (records are applied in order). The same type from
// two agencies (two insurers' cards) gives two documents.
//
// Link stores all the records it is given in one transaction: all of them
// or, on a storage error, none.
//
// Errors: storage.* (Open, Link, ForCitizen).
// Thread safety: every method may be called from any thread (one
// connection behind a mutex).
#pragma once

#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/citizen_id.h"
#include "core/clock.h"
#include "core/error.h"
#include "hub/sectoral_record.h"
#include "storage/database.h"

namespace dancu::hub {

struct LinkedDocument {
  std::string citizen_id;
  DocumentType type = DocumentType::kHealthInsurance;
  std::string number;
  std::string attributes;  // JSON object text
  std::string agency;
  std::string submitted_at;  // ISO 8601 UTC
};

class LinkedDocuments {
 public:
  // `hub_db` must outlive this.
  static Result<std::unique_ptr<LinkedDocuments>> Open(storage::Database& hub_db,
                                                       const Clock& clock);

  // Links every record to its citizen for `agency`, in one transaction.
  Status Link(std::string_view agency, std::span<const SectoralRecord> records);
  // The citizen's documents, by type then agency.
  Result<std::vector<LinkedDocument>> ForCitizen(const CitizenId& id) const;

 private:
  LinkedDocuments(std::unique_ptr<storage::Connection> conn, const Clock& clock)
      : conn_(std::move(conn)), clock_(clock) {}

  mutable std::mutex mu_;
  std::unique_ptr<storage::Connection> conn_;  // guarded by mu_
  const Clock& clock_;
};

}  // namespace dancu::hub
