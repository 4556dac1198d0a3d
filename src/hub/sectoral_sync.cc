#include "hub/sectoral_sync.h"

namespace dancu::hub {

std::string_view ToString(SyncStatus s) {
  switch (s) {
    case SyncStatus::kLinked:
      return "linked";
    case SyncStatus::kMismatch:
      return "mismatch";
    case SyncStatus::kNotFound:
      return "not_found";
    case SyncStatus::kInvalid:
      break;
  }
  return "invalid";
}

SyncOutcome CheckRecord(const verify::Verifier& verifier, const SectoralRecord& record) {
  SyncOutcome out;
  out.check = verifier.Verify(record.person);
  switch (out.check.status) {
    case verify::Outcome::kMatch:
      out.status = SyncStatus::kLinked;
      break;
    case verify::Outcome::kMismatch:
      out.status = SyncStatus::kMismatch;
      break;
    case verify::Outcome::kNotFound:
      out.status = SyncStatus::kNotFound;
      break;
  }
  return out;
}

std::string_view SyncFieldName(verify::Field f) {
  return f == verify::Field::kId ? std::string_view("citizen_id") : verify::ToString(f);
}

}  // namespace dancu::hub
