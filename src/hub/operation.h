// Operation: what an agency client may do with the register (issue 5,
// "Policies"). A client's policy names the operations it is allowed; its
// access token is scoped to a subset of them; every agency route admits a
// request for exactly one operation (api/agency_access.h).
//
//   verify                POST /v1/verify, /v1/verify/batch
//   match                 POST /v1/match
//   reconcile             /v1/reconcile jobs
//   ekyc                  POST /v1/agency/ekyc (with the citizen's consent)
//   feed                  GET /v1/agency/feed and webhook subscriptions
//   submit-sectoral-data  /v1/agency/sectoral-records
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace dancu::hub {

enum class Operation : uint8_t { kVerify, kMatch, kReconcile, kEkyc, kFeed, kSubmitSectoralData };
inline constexpr Operation kOperations[] = {Operation::kVerify,   Operation::kMatch,
                                            Operation::kReconcile, Operation::kEkyc,
                                            Operation::kFeed,     Operation::kSubmitSectoralData};

// A set of operations, one bit each.
using OperationSet = uint32_t;
constexpr OperationSet Bit(Operation op) { return OperationSet{1} << static_cast<int>(op); }

std::string_view ToString(Operation op);  // "verify", ..., "submit-sectoral-data"
std::optional<Operation> ParseOperation(std::string_view text);

}  // namespace dancu::hub
