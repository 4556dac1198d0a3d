// SectoralSync: checking sectoral records against the register (issue 5,
// "Each record is checked against the register with the verification
// semantics") and the outcome each record gets, shared by the HTTP route
// (api/sectoral.cc) and the bulk command (app/sectoral.cc).
//
// A validated record (sectoral_record.h) is verified with its person fields
// as a verify::VerifyQuery (id = citizen_id, full_name, date_of_birth, sex)
// by verify::Verifier::Verify, unchanged: the record is
//   linked     when the status is MATCH (every given field matches; a
//              "partial" name or date is not enough),
//   mismatch   when the status is MISMATCH,
//   not_found  when no citizen has the id,
//   invalid    when the record failed validation (never verified).
// Only linked records are stored (LinkedDocuments::Link, by the caller, all
// of a request in one transaction). A deceased person's record is linked
// and flagged (VerifyResult::deceased).
//
// Errors: none (Verify cannot fail).
// Thread safety: pure functions over a thread-safe Verifier.
#pragma once

#include <optional>
#include <string_view>

#include "core/error.h"
#include "hub/sectoral_record.h"
#include "verify/verifier.h"

namespace dancu::hub {

enum class SyncStatus { kLinked, kMismatch, kNotFound, kInvalid };
std::string_view ToString(SyncStatus s);  // "linked", "mismatch", "not_found", "invalid"

struct SyncOutcome {
  SyncStatus status = SyncStatus::kInvalid;
  verify::VerifyResult check;  // empty for kInvalid
};

SyncOutcome CheckRecord(const verify::Verifier& verifier, const SectoralRecord& record);

// The wire name of a verified field in a sectoral answer: the verifier's
// names, except that "id" is "citizen_id" (the personal-field vocabulary).
std::string_view SyncFieldName(verify::Field f);

}  // namespace dancu::hub
