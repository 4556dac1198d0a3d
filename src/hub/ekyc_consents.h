// EkycConsents: the citizen's consents to eKYC (issue 5, "Policies" → eKYC).
// An agency's eKYC request (POST /v1/agency/ekyc) returns personal fields
// only when a consent of that citizen to that agency, for the purpose of the
// agency's policy, covering every requested field, is valid: created, not
// expired, not revoked. Stored in DIR/hub.db (hub_db.h, migration 3).
//
// A consent names the citizen, the agency (its name), the purpose code, the
// fields (personal-field names, hub/personal_fields.h), its creation and
// expiry time, its revocation time (if revoked) and its source:
//  - "account": the citizen granted it on their account page (Grant);
//  - "code": the citizen created a one-time consent code (CreateCode) and
//    gave it to the agency, which presented it (Redeem).
// What an agency may ask for is its EkycOffer: the purpose and the fields of
// its clients' eKYC policies (hub/ekyc_offers.h). Grant and CreateCode take
// the offer the citizen picked; the citizen may narrow its fields (none
// given = all of the offer's) and picks the lifetime: 30, 90 or 365 days.
//
// Consent codes: 8 characters of Crockford base32 (0-9, A-Z without I L O U;
// 40 bits from the injected Random), shown as "ABCD-EFGH". Typing is
// forgiving: case, '-' and spaces are ignored, I/L read as 1 and O as 0. A
// code is valid for 10 minutes, only for the agency the citizen chose, and
// only once; only HMAC-SHA256(code key, agency + "\n" + code) is stored,
// never the code. A guess can only hit a code that some citizen made for
// this very agency in the last 10 minutes, one in 2^40, and every eKYC
// request passes the agency's rate limit and daily quota first.
//
// Times are the injected Clock's; nothing here sleeps.
//
// Errors:
//   ekyc.bad_field        a field that is not a personal-field name, or
//                         not in the offer (400; field = "fields")
//   ekyc.bad_days         a lifetime other than 30, 90, 365 (400)
//   ekyc.bad_offer        an offer without purpose or fields (400)
//   ekyc.bad_consent_code a code that is malformed, unknown, expired,
//                         already used, or for another agency (403)
//   ekyc.consent_not_found  Revoke of a consent that is not the citizen's
//                         (or does not exist) (404)
//   storage.*
// Thread safety: every method may be called from any thread (one connection
// behind a mutex).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/citizen_id.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/random.h"
#include "storage/database.h"

namespace dancu::hub {

inline constexpr std::chrono::minutes kConsentCodeLifetime{10};
inline constexpr int kConsentDays[] = {30, 90, 365};

// What an agency asks citizens to consent to.
struct EkycOffer {
  std::string agency;               // the agency's name
  std::string display_name;         // shown to citizens ("" = the name)
  std::string purpose;              // the policy's purpose code
  std::vector<std::string> fields;  // sorted personal-field names
};

struct EkycConsent {
  std::string id;  // "ekc_" + 20 base32 characters
  std::string citizen_id;
  std::string agency;
  std::string purpose;
  std::vector<std::string> fields;  // sorted, unique
  Timestamp created_at;
  Timestamp expires_at;
  std::optional<Timestamp> revoked_at;
  std::string source;  // "account" or "code"

  // Not revoked and not expired at `now`.
  bool ValidAt(Timestamp now) const { return !revoked_at && now < expires_at; }
  bool Covers(std::span<const std::string> requested) const;
};

struct ConsentCode {
  std::string code;  // "ABCD-EFGH", shown once to the citizen
  Timestamp expires_at;
};

class EkycConsents {
 public:
  // `hub_db` must outlive this. `code_key` is the HMAC key of stored consent
  // codes (32 random bytes; serve keeps it in DIR/ekyc-code.key, see
  // LoadOrCreateCodeKey).
  static Result<std::unique_ptr<EkycConsents>> Open(storage::Database& hub_db, std::string code_key,
                                                    const Clock& clock, Random& random);
  // DIR/ekyc-code.key, created (32 random bytes, mode 0600) when missing.
  static Result<std::string> LoadOrCreateCodeKey(const std::filesystem::path& data_dir);

  // A consent from the account page. `fields` empty = all of the offer's.
  Result<EkycConsent> Grant(const CitizenId& citizen, const EkycOffer& offer,
                            std::span<const std::string> fields, int days);
  // A one-time code for the agency of `offer`; redeemed, it becomes a consent
  // with these fields, lasting `days` from the redemption.
  Result<ConsentCode> CreateCode(const CitizenId& citizen, const EkycOffer& offer,
                                 std::span<const std::string> fields, int days);
  // The agency presents a code: the consent it becomes (source "code").
  // ekyc.bad_consent_code when malformed, unknown, expired, used, or made
  // for another agency.
  Result<EkycConsent> Redeem(std::string_view code, std::string_view agency);

  // The valid consent of `citizen` to `agency` for `purpose` that covers
  // every requested field (the one expiring last), or nullopt.
  Result<std::optional<EkycConsent>> FindValid(std::string_view citizen_id, std::string_view agency,
                                               std::string_view purpose,
                                               std::span<const std::string> fields) const;
  // The citizen's consents, newest first, revoked and expired ones included.
  Result<std::vector<EkycConsent>> List(const CitizenId& citizen) const;
  // Revokes one of the citizen's consents (revoking twice is fine);
  // ekyc.consent_not_found when it is not theirs.
  Result<EkycConsent> Revoke(const CitizenId& citizen, std::string_view consent_id);

  // Normalizes what a person typed ("abcd efgh", "ABCD-EFGH", "abcd-efgL")
  // to the 8-character canonical code, or nullopt.
  static std::optional<std::string> NormalizeCode(std::string_view typed);

 private:
  EkycConsents(std::unique_ptr<storage::Connection> conn, std::string code_key, const Clock& clock,
               Random& random);
  Result<std::vector<std::string>> CheckRequest(const EkycOffer& offer,
                                                std::span<const std::string> fields,
                                                int days) const;
  std::string CodeHash(std::string_view agency, std::string_view code) const;
  std::string NewConsentId();
  Status Insert(const EkycConsent& c);  // mu_ held

  mutable std::mutex mu_;
  std::unique_ptr<storage::Connection> conn_;  // guarded by mu_
  std::string code_key_;
  const Clock& clock_;
  Random& random_;  // guarded by mu_
};

}  // namespace dancu::hub
