#include "hub/linked_documents.h"

namespace dancu::hub {

Result<std::unique_ptr<LinkedDocuments>> LinkedDocuments::Open(storage::Database& hub_db,
                                                               const Clock& clock) {
  auto conn = hub_db.Connect();
  if (!conn) return std::unexpected(conn.error());
  return std::unique_ptr<LinkedDocuments>(new LinkedDocuments(std::move(*conn), clock));
}

Status LinkedDocuments::Link(std::string_view agency, std::span<const SectoralRecord> records) {
  if (records.empty()) return {};
  const std::string now = FormatTimestamp(clock_.Now());
  std::lock_guard lock(mu_);
  auto tx = storage::Transaction::Begin(*conn_);
  if (!tx) return std::unexpected(tx.error());
  // ON CONFLICT ... DO UPDATE runs on SQLite (>= 3.24) and PostgreSQL alike.
  auto& st = conn_->Cached(
      "INSERT INTO linked_documents (citizen_id, type, number, attributes, agency, submitted_at) "
      "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (citizen_id, type, agency) DO UPDATE SET "
      "number = excluded.number, attributes = excluded.attributes, "
      "submitted_at = excluded.submitted_at");
  for (const SectoralRecord& r : records) {
    const std::string id = r.citizen_id.ToString();
    const std::string attributes = AttributesJson(r);
    st.BindText(1, id);
    st.BindText(2, ToString(r.type));
    st.BindText(3, r.number);
    st.BindText(4, attributes);
    st.BindText(5, agency);
    st.BindText(6, now);
    auto s = st.Run();
    st.Reset();
    if (!s) return s;  // the transaction rolls back
  }
  return tx->Commit();
}

Result<std::vector<LinkedDocument>> LinkedDocuments::ForCitizen(const CitizenId& id) const {
  std::vector<LinkedDocument> out;
  const std::string key = id.ToString();
  std::lock_guard lock(mu_);
  auto& st = conn_->Cached(
      "SELECT type, number, attributes, agency, submitted_at FROM linked_documents "
      "WHERE citizen_id = ? ORDER BY type, agency");
  st.BindText(1, key);
  auto s = st.ForEachRow([&] {
    LinkedDocument d;
    d.citizen_id = key;
    // Rows hold only the wire names Link writes.
    d.type = ParseDocumentType(st.Text(0)).value_or(DocumentType::kHealthInsurance);
    d.number = std::string(st.Text(1));
    d.attributes = std::string(st.Text(2));
    d.agency = std::string(st.Text(3));
    d.submitted_at = std::string(st.Text(4));
    out.push_back(std::move(d));
  });
  if (!s) return std::unexpected(s.error());
  return out;
}

}  // namespace dancu::hub
