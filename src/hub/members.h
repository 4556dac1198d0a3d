// Members: the data-sharing hub's front door for agencies, their API
// clients, the clients' policies, client-credential access tokens and the
// policy gate (issue 5, "Members and credentials", "Policies").
//
// Agencies: ministries, provinces, communes and enterprises (banks,
// telecoms, social insurance). Name: 1-64 of [a-z0-9._-] starting with a
// letter or digit ("admin" reserved); kind: ministry | province | commune |
// enterprise; a display name shown to citizens (access log, consents).
//
// Clients: an agency has one or more API clients. A client authenticates
// with OAuth 2.0 client credentials and private_key_jwt (RFC 7523): the
// agency keeps its private key, the hub stores the public JWKS (ES256, P-256,
// 1-10 keys). POST /v1/agency/token with grant_type=client_credentials,
// client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer
// and client_assertion = an ES256 JWT {iss = sub = client_id, aud = the token
// endpoint URL or the issuer, exp, iat, jti}: exp at most 10 min ahead, iat
// and exp checked with ±60 s clock skew, jti never seen before for that
// client (kept until the assertion's expiry, in hub.db, so a replay is
// refused after a restart too). Optionally a client is bound to a TLS client
// certificate (mutual TLS): its SHA-256 thumbprint must then match the one
// the TLS terminator reports.
//
// Access tokens: "dancu_at_" + base64url(payload) + "." + base64url(HMAC-SHA256
// under the hub key), payload = client id, scope (operations), expiry; they
// live 5 minutes and carry the requested operations that the policy allows
// (scope), so a stolen token is short-lived and narrow. They are checked
// without a database read; disabling the client or the agency stops them at
// once on this server (within a second on others).
//
// Policies (hub/policy.h) are per client; default deny. Every change made
// through this object (admin API, CLI) applies to the next request at once;
// a running server sees changes made by another process (the CLI) within a
// second: its in-memory copy of the agencies and clients is re-read from
// hub.db on the first request after it is a second old (a few rows).
//
// Pseudonyms: AgencyToken(agency, id) = "pt_" + base64url(HMAC-SHA256(K_a,
// id)) with K_a = HMAC-SHA256(K_p, agency), K_p derived from the hub key: stable per
// agency, unlinkable across agencies without the hub key (like Aadhaar's UID
// token). The hub key is DIR/hub.key (32 random bytes, mode 0600); keep it
// with the backups, or pseudonyms change.
//
// Errors: agency.bad_name, agency.bad_kind, agency.exists, agency.not_found,
// client.bad_jwks, client.not_found, policy.invalid, storage.* (management);
// token errors are OAuth errors (invalid_client, invalid_request,
// invalid_scope, unsupported_grant_type); Admit denials are
// auth.forbidden (403), policy.rate_limited and policy.quota_exhausted (429).
// Thread safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/citizen_id.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/random.h"
#include "hub/grant.h"
#include "hub/operation.h"
#include "hub/policy.h"
#include "storage/database.h"

namespace dancu::hub {

inline constexpr std::string_view kAgencyTokenPrefix = "dancu_at_";
inline constexpr std::chrono::seconds kAgencyTokenLifetime{300};

struct AgencyInfo {
  std::string name;
  std::string kind;  // ministry | province | commune | enterprise
  std::string display_name;
  std::string created_at;  // ISO 8601 UTC
  bool disabled = false;
};

struct AgencyClientInfo {
  std::string client_id;  // "<agency>.<8 base32 chars>"
  std::string agency;
  std::string jwks;             // the public keys, JSON text
  std::string mtls_thumbprint;  // hex SHA-256 of the client certificate, or ""
  std::shared_ptr<const Policy> policy;
  std::string created_at;
  bool disabled = false;
};

struct TokenRequest {
  std::string grant_type, client_assertion_type, client_assertion, scope;
  std::string endpoint;         // the absolute URL that was called
  std::string issuer;           // the server's public base URL (also accepted as aud)
  std::string tls_thumbprint;   // from the TLS terminator, "" when none
};

struct IssuedToken {
  std::string access_token;
  int64_t expires_in = 0;
  std::string scope;  // space-separated operations
};

struct OAuthError {
  int status = 400;
  std::string error;  // RFC 6749 §5.2 code
  std::string description;
};

// What an access token proves.
struct TokenIdentity {
  std::string client_id;
  OperationSet scope = 0;
};

// Why the gate said no: the error, and for 429 the seconds to wait.
struct Denial {
  Error error;
  int64_t retry_after_seconds = 0;
};

class Members {
 public:
  // `db` is hub.db (hub_db.h); `data_dir` holds hub.key (created if missing).
  static Result<std::unique_ptr<Members>> Open(storage::Database& db,
                                               const std::filesystem::path& data_dir,
                                               const Clock& clock, Random& random);
  ~Members();

  // Agencies.
  Status AddAgency(const AgencyInfo& agency);
  Result<std::vector<AgencyInfo>> ListAgencies() const;
  Result<AgencyInfo> GetAgency(std::string_view name) const;
  Status DisableAgency(std::string_view name);

  // Clients of an agency, and their policies.
  // A new client with its policy (default: deny everything), in one step.
  Result<AgencyClientInfo> AddClient(std::string_view agency, std::string_view jwks,
                                     std::string_view mtls_thumbprint = {},
                                     const Policy& policy = {});
  Result<std::vector<AgencyClientInfo>> ListClients(std::string_view agency = {}) const;
  Result<AgencyClientInfo> GetClient(std::string_view client_id) const;
  Status DisableClient(std::string_view client_id);
  Status SetPolicy(std::string_view client_id, const Policy& policy);

  // The token endpoint (client credentials with private_key_jwt).
  std::expected<IssuedToken, OAuthError> IssueToken(const TokenRequest& request);
  // The client and scope of a valid, unexpired token of an enabled client.
  std::optional<TokenIdentity> AuthenticateToken(std::string_view token) const;

  // The policy gate: the client's current policy if it allows `op` within the
  // token's scope, its rate limit and its daily quota (counted here).
  std::expected<Grant, Denial> Admit(std::string_view client_id, OperationSet scope,
                                     Operation op);
  // The current grant of a client without counting a request (webhook
  // delivery filters, feed filters); nullopt when the client or its agency
  // is disabled or unknown.
  std::optional<Grant> CurrentGrant(std::string_view client_id) const;
  // Clients of an agency that are enabled, with their grants.
  std::vector<Grant> AgencyGrants(std::string_view agency) const;

  // The stable per-agency pseudonym of a citizen.
  std::string AgencyToken(std::string_view agency, const CitizenId& id) const;

 private:
  struct Impl;
  explicit Members(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dancu::hub
