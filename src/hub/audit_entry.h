// AuditEntry: one access to a citizen's data, as the access log records it
// (issue 5, "Tamper-evident access log"): who (actor kind and id), whose data
// (the citizen, as a pseudonym), what (operation and field names), why
// (purpose code), when and with what outcome. Never a value: a field list
// says "full_name,date_of_birth", never the name or the date.
//
// The citizen is not stored in clear. Entries, their leaf data and proofs are
// served to whoever audits the log, and a 12-digit id has far too little
// entropy to hide behind a plain hash, so the log stores subject =
// base64url(HMAC-SHA256(K, citizen id)) with K a secret of the deployment
// (DIR/audit-subject.key). The register can compute it for a citizen who
// signs in (to list their own entries); an outside auditor sees only that the
// same person was accessed several times.
//
// LeafData is the exact byte string hashed into the tree (LeafHash of
// merkle.h): canonical JSON, members in a fixed order, no whitespace,
// {"v":1,"index":I,"time":"...Z","actor":{"kind":K,"id":A},"subject":S,
//  "operation":O,"fields":[...],"purpose":P,"outcome":R}
// (fields split on ','; an empty list when none). The index is inside the
// leaf, so an entry cannot be replayed at another position. The same
// function serializes at append and when an entry is served, so a served
// entry hashes to its stored leaf.
//
// Thread safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dancu::hub {

enum class ActorKind { kStaff, kAgency, kOfficer, kCitizen, kSystem };
std::string_view ToString(ActorKind k);  // "staff", "agency", "officer", "citizen", "system"
std::optional<ActorKind> ParseActorKind(std::string_view s);

// What a caller reports (AuditLog::Append); the log adds index, time and the
// subject pseudonym.
struct AccessRecord {
  ActorKind actor_kind = ActorKind::kStaff;
  std::string actor;      // agency name, officer id, "admin", ...
  std::string citizen;    // the accessed citizen's id ("" when no one was found)
  std::string operation;  // "verify", "match", "read", ...
  std::string fields;     // field names, comma-separated
  std::string purpose;    // purpose code ("" when none was given)
  std::string outcome;    // "MATCH", "NOT_FOUND", "candidate", "ok", ...
};

struct AuditEntry {
  uint64_t index = 0;
  std::string time;  // ISO 8601 UTC with microseconds (FormatTimestamp)
  ActorKind actor_kind = ActorKind::kStaff;
  std::string actor;
  std::string subject;  // base64url HMAC of the citizen id; "" when none
  std::string operation;
  std::string fields;
  std::string purpose;
  std::string outcome;
};

std::string LeafData(const AuditEntry& e);

}  // namespace dancu::hub
