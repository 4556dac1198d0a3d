#include "hub/operation.h"

namespace dancu::hub {

std::string_view ToString(Operation op) {
  switch (op) {
    case Operation::kVerify: return "verify";
    case Operation::kMatch: return "match";
    case Operation::kReconcile: return "reconcile";
    case Operation::kEkyc: return "ekyc";
    case Operation::kFeed: return "feed";
    case Operation::kSubmitSectoralData: return "submit-sectoral-data";
  }
  return "?";
}

std::optional<Operation> ParseOperation(std::string_view text) {
  for (Operation op : kOperations) {
    if (ToString(op) == text) return op;
  }
  return std::nullopt;
}

}  // namespace dancu::hub
