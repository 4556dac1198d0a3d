// Accounts: the level-2 upgrade by an officer (accounts.h, "Level 2").
#include <spdlog/spdlog.h>

#include "crypto/encoding.h"
#include "crypto/qr_svg.h"
#include "crypto/totp.h"
#include "identity/account_row.h"
#include "identity/accounts.h"
#include "identity/identity_db.h"

namespace dancu::identity {
namespace {

bool PrintableText(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

Result<TotpEnrollment> Accounts::UpgradeToLevel2(const Officer& officer,
                                                 const UpgradeRequest& r) {
  auto id = CitizenId::Parse(r.citizen_id);
  if (!id) return WithField(id.error(), "citizen_id");
  if (r.place.empty() || r.place.size() > 200 || !PrintableText(r.place)) {
    return Fail("identity.bad_upgrade", "place is 1-200 printable characters", "place");
  }
  if (r.face.empty() || r.face.size() > kMaxTemplateBytes) {
    return Fail("identity.bad_upgrade", "face_template must hold 1 byte to 64 KiB",
                "face_template");
  }
  if (r.fingerprint.empty() || r.fingerprint.size() > kMaxTemplateBytes) {
    return Fail("identity.bad_upgrade", "fingerprint_template must hold 1 byte to 64 KiB",
                "fingerprint_template");
  }
  auto row = LoadRow(id->number());
  if (!row) return std::unexpected(row.error());
  if (!*row) {
    return Fail("identity.not_found",
                "this citizen has no account yet: they register at level 1 first", "citizen_id");
  }
  if ((*row)->account.disabled) {
    return Fail("identity.account_disabled", "this account is disabled", "citizen_id");
  }
  auto citizen = registry_.GetCitizen(*id);
  if (!citizen) return std::unexpected(citizen.error());
  if (citizen->status != registry::LifeStatus::kAlive) {
    return Fail("identity.account_disabled", "the register records this citizen's death",
                "citizen_id");
  }
  if (!InArea(officer, *citizen)) {
    return Fail("identity.out_of_area",
                "the citizen's permanent residence is outside the officer's area " +
                    officer.area_code,
                "citizen_id");
  }

  const int64_t account_id = id->number();
  const std::string secret = crypto::NewTotpSecret();
  // Sealed values are stored as base64 text (TEXT columns on both engines).
  const std::string totp = crypto::Base64Encode(box_.Seal(secret, SealContext("totp", account_id)));
  const std::string face = crypto::Base64Encode(box_.Seal(r.face, SealContext("face", account_id)));
  const std::string finger =
      crypto::Base64Encode(box_.Seal(r.fingerprint, SealContext("fingerprint", account_id)));
  const Timestamp now = clock_.Now();
  {
    std::lock_guard lock(mu_);
    auto tx = storage::Transaction::Begin(*conn_);
    if (!tx) return std::unexpected(tx.error());
    auto& up = conn_->Cached(
        "INSERT INTO upgrades (account_id, officer, place, at_us, face, fingerprint) "
        "VALUES (?, ?, ?, ?, ?, ?)");
    up.BindInt(1, account_id);
    up.BindText(2, officer.username);
    up.BindText(3, r.place);
    up.BindInt(4, Micros(now));
    up.BindText(5, face);
    up.BindText(6, finger);
    if (auto s = up.Run(); !s) return std::unexpected(s.error());
    auto& acc = conn_->Cached(
        "UPDATE accounts SET level = 2, totp_secret = ?, totp_last_step = -1 WHERE id = ?");
    acc.BindText(1, totp);
    acc.BindInt(2, account_id);
    if (auto s = acc.Run(); !s) return std::unexpected(s.error());
    if (auto s = tx->Commit(); !s) return std::unexpected(s.error());
  }
  // No template, secret or code in the log: who, whom, where.
  spdlog::info("identity: account {} upgraded to level 2 by officer {}", id->ToString(),
               officer.username);

  TotpEnrollment out;
  out.account = (*row)->account;
  out.account.level = Level::kTwo;
  out.otpauth_uri = crypto::TotpUri(secret, kTotpIssuer, id->ToString());
  out.secret_base32 = crypto::Base32Encode(secret);
  out.secret = secret;
  auto qr = crypto::QrSvg(out.otpauth_uri, "TOTP QR code");
  if (!qr) return std::unexpected(qr.error());
  out.qr_svg = std::move(*qr);
  return out;
}

}  // namespace dancu::identity
