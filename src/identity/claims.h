// Claims: what a relying party learns about a citizen, by scope (issue 4,
// "Scopes and claims"), and the pairwise subject identifier.
//
// Scopes -> claims (userinfo; docs/identity.md):
//   openid      sub: pairwise (below); with the citizen_id scope also
//               citizen_id (the 12-digit personal ID), only for clients
//               registered with that scope
//   profile     name, family_name, given_name, middle_name (when the name
//               has one), gender ("male"/"female"), birthdate: "YYYY-MM-DD",
//               or "YYYY-MM" / "YYYY" when the register knows only the month
//               or the year (OIDC allows "YYYY"; "YYYY-MM" is our extension,
//               documented)
//   address     address: {formatted, street_address, locality (commune),
//               region (province), country "Việt Nam"}: the permanent
//               residence, with the current administrative unit names
//   phone       phone_number (E.164), phone_number_verified (true: the
//               account's phone was proved with a one-time code)
//   offline_access  no claim: a refresh token
//
// Pairwise sub (OIDC Core §8.1): base64url(HMAC-SHA256(secret,
// client_id "|" citizen_id)), 43 characters, where the secret is 32 random
// bytes per deployment (kept sealed in oidc.db). Two relying parties
// cannot link their users by sub, and a sub does not reveal the citizen id.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/citizen_id.h"
#include "identity/account.h"
#include "registry/citizen.h"

namespace dancu::identity {

std::string PairwiseSubject(std::string_view secret, std::string_view client_id, CitizenId id);

// The userinfo claims for the granted scopes (sub included).
boost::json::object UserClaims(const registry::Citizen& citizen, const Account& account,
                               const std::vector<std::string>& scopes, std::string_view sub);

// The claim names a scope releases, for the consent page (empty for openid
// and offline_access: the consent page words those itself).
std::vector<std::string_view> ClaimsOfScope(std::string_view scope);

}  // namespace dancu::identity
