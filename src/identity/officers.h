// Officers: the police and civil-status staff who upgrade accounts to level
// 2 after checking the person face to face (issue 4, "Level 2") and who
// register life events and read citizens in their own area on the register
// API (issue 5; roles and area rules in officer_roles.h). Officers are
// managed by the administrator (`dancu officers add|list|disable|enable`,
// /v1/admin/officers).
//
// An officer has a username (3-64 of [a-z0-9._-], starting with a letter or
// digit), a display name, a role ("police" or "civil_status") and an area:
// a 2-digit province code or a 5-digit commune code of the current
// administrative units (core/admin_units.h). An officer may upgrade only
// citizens whose permanent residence lies in that area (InArea).
// Passwords follow the citizens' policy (crypto/password_policy.h) and are
// stored as Argon2id hashes.
//
// Officer sign-in (SignIn) returns a bearer token "dancu_ot_" + 43
// base64url characters (256 random bits), valid for 8 hours; only its
// SHA-256 is stored (like agency access tokens and webhook secrets: a random
// 256-bit token needs no slow hash). Failed sign-ins are throttled per
// username with the account policy (throttle.h); an unknown username gets
// the same answer and the same Argon2id work as a wrong password.
//
// SetDisabled(username, true) disables an officer at once: their tokens are
// deleted, Authenticate and SignIn refuse them; false enables them again
// (they sign in anew).
//
// Errors: officer.bad_username, officer.bad_name, officer.bad_role,
// officer.bad_area, officer.exists (Add); identity.password_* (Add, the
// policy); officer.bad_credentials, identity.throttled (SignIn);
// officer.not_found (Get, SetDisabled); storage.* from identity.db.
// Thread safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "identity/throttle.h"
#include "registry/citizen.h"
#include "storage/database.h"

namespace dancu::identity {

inline constexpr std::string_view kOfficerTokenPrefix = "dancu_ot_";
inline constexpr std::chrono::hours kOfficerTokenLifetime{8};

struct Officer {
  std::string username;
  std::string name;
  std::string role;       // "police" or "civil_status"
  std::string area_code;  // "01" (a province) or "00004" (a commune)
  Timestamp created_at;
  bool disabled = false;
};

struct NewOfficer {
  std::string username, name, role, area_code, password;
};

struct OfficerToken {
  std::string token;  // shown once
  Timestamp expires_at;
};

// True if the citizen's permanent residence lies in the officer's area
// (officer_roles.h AreaCovers).
bool InArea(const Officer& officer, const registry::Citizen& citizen);

class Officers {
 public:
  static Result<std::unique_ptr<Officers>> Open(storage::Database& db, const Clock& clock);

  Result<Officer> Add(const NewOfficer& officer);
  Result<std::vector<Officer>> List();
  Result<Officer> Get(std::string_view username);
  // The officer after the change.
  Result<Officer> SetDisabled(std::string_view username, bool disabled);

  Result<OfficerToken> SignIn(std::string_view username, std::string_view password);
  // The enabled officer holding an unexpired token, or nullopt.
  std::optional<Officer> Authenticate(std::string_view token);

 private:
  Officers(std::unique_ptr<storage::Connection> conn, std::unique_ptr<Throttle> throttle,
           const Clock& clock)
      : conn_(std::move(conn)), throttle_(std::move(throttle)), clock_(clock) {}
  Result<std::optional<std::pair<Officer, std::string>>> Load(std::string_view username);

  std::mutex mu_;
  std::unique_ptr<storage::Connection> conn_;  // guarded by mu_
  std::unique_ptr<Throttle> throttle_;
  const Clock& clock_;
};

}  // namespace dancu::identity
