// Grant: what the caller of one request may do, as the policy gate admitted
// it (hub/members.h Members::Admit, api/agency_access.h Admit). Staff (the
// admin token) get an unrestricted grant; an agency client gets its policy
// as it stands at this instant (a policy change applies to the next request).
//
// Thread safety: value type; the policy is immutable and shared.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "hub/policy.h"

namespace dancu::hub {

struct Grant {
  bool unrestricted = false;  // staff: every operation and field
  std::string agency;         // the agency's name; "" for staff
  std::string client_id;      // the agency client; "" for staff
  std::shared_ptr<const Policy> policy;  // never null for an agency

  bool AllowsField(std::string_view field) const {
    return unrestricted || (policy && policy->AllowsField(field));
  }
  // The purpose code to record in the access log ("" for staff).
  std::string_view purpose() const {
    return policy ? std::string_view(policy->purpose) : std::string_view();
  }
};

}  // namespace dancu::hub
