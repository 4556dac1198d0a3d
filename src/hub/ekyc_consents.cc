#include "hub/ekyc_consents.h"

#include <algorithm>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/random_token.h"
#include "hub/key_file.h"
#include "hub/personal_fields.h"
#include "hub/comma_list.h"

namespace dancu::hub {
namespace {

// Crockford's base32 alphabet: no I, L, O, U (easily confused or rude).
constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr size_t kCodeLength = 8;
constexpr size_t kConsentIdLength = 20;

constexpr std::string_view kColumns =
    "id, citizen_id, agency, purpose, fields, created_at, expires_at, revoked_at, source";

int64_t Micros(Timestamp t) { return t.time_since_epoch().count(); }
Timestamp FromMicros(int64_t v) { return Timestamp{std::chrono::microseconds{v}}; }

EkycConsent ReadConsent(const storage::Statement& st) {
  EkycConsent c;
  c.id = std::string(st.Text(0));
  c.citizen_id = std::string(st.Text(1));
  c.agency = std::string(st.Text(2));
  c.purpose = std::string(st.Text(3));
  c.fields = SplitCommaList(st.Text(4));
  c.created_at = FromMicros(st.Int(5));
  c.expires_at = FromMicros(st.Int(6));
  if (auto r = st.OptionalInt(7)) c.revoked_at = FromMicros(*r);
  c.source = std::string(st.Text(8));
  return c;
}

std::string Sql(std::string_view head, std::string_view tail) {
  return std::string(head) + std::string(kColumns) + std::string(tail);
}

}  // namespace

bool EkycConsent::Covers(std::span<const std::string> requested) const {
  return std::all_of(requested.begin(), requested.end(), [&](const std::string& f) {
    return std::binary_search(fields.begin(), fields.end(), f);
  });
}

EkycConsents::EkycConsents(std::unique_ptr<storage::Connection> conn, std::string code_key,
                           const Clock& clock, Random& random)
    : conn_(std::move(conn)), code_key_(std::move(code_key)), clock_(clock), random_(random) {}

Result<std::unique_ptr<EkycConsents>> EkycConsents::Open(storage::Database& hub_db,
                                                         std::string code_key, const Clock& clock,
                                                         Random& random) {
  if (code_key.size() < 16) {
    return Fail("ekyc.bad_key", "the consent-code key must have at least 16 bytes");
  }
  auto conn = hub_db.Connect();
  if (!conn) return std::unexpected(conn.error());
  return std::unique_ptr<EkycConsents>(
      new EkycConsents(std::move(*conn), std::move(code_key), clock, random));
}

Result<std::string> EkycConsents::LoadOrCreateCodeKey(const std::filesystem::path& data_dir) {
  return LoadOrCreateKeyFile(data_dir / "ekyc-code.key", [] { return crypto::RandomBytes(32); });
}

std::optional<std::string> EkycConsents::NormalizeCode(std::string_view typed) {
  if (typed.size() > 32) return std::nullopt;
  std::string out;
  for (char c : typed) {
    if (c == '-' || c == ' ') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'I' || c == 'L') c = '1';
    if (c == 'O') c = '0';
    if (kCrockford.find(c) == std::string_view::npos) return std::nullopt;
    out += c;
  }
  if (out.size() != kCodeLength) return std::nullopt;
  return out;
}

std::string EkycConsents::CodeHash(std::string_view agency, std::string_view code) const {
  std::string data(agency);
  data += '\n';
  data += code;
  return crypto::HexEncode(crypto::AsBytes(crypto::HmacSha256(code_key_, data)));
}

std::string EkycConsents::NewConsentId() {
  std::string id = "ekc_";
  for (size_t i = 0; i < kConsentIdLength; ++i) id += kCrockford[random_.Uniform(32)];
  return id;
}

Result<std::vector<std::string>> EkycConsents::CheckRequest(const EkycOffer& offer,
                                                            std::span<const std::string> fields,
                                                            int days) const {
  if (offer.agency.empty() || offer.purpose.empty() || offer.fields.empty()) {
    return Fail("ekyc.bad_offer", "the agency asks for no eKYC purpose or fields", "agency");
  }
  if (std::find(std::begin(kConsentDays), std::end(kConsentDays), days) == std::end(kConsentDays)) {
    return Fail("ekyc.bad_days", "a consent lasts 30, 90 or 365 days", "days");
  }
  std::vector<std::string> out;
  if (fields.empty()) {
    out = offer.fields;
  } else {
    for (const std::string& f : fields) {
      if (!IsPersonalField(f)) {
        return Fail("ekyc.bad_field", "\"" + f + "\" is not a personal field", "fields");
      }
      if (std::find(offer.fields.begin(), offer.fields.end(), f) == offer.fields.end()) {
        return Fail("ekyc.bad_field", "agency " + offer.agency + " does not ask for \"" + f + "\"",
                    "fields");
      }
      out.push_back(f);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Status EkycConsents::Insert(const EkycConsent& c) {
  auto& st =
      conn_->Cached(Sql("INSERT INTO ekyc_consents (", ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  std::string fields = JoinCommaList(c.fields);
  st.BindText(1, c.id);
  st.BindText(2, c.citizen_id);
  st.BindText(3, c.agency);
  st.BindText(4, c.purpose);
  st.BindText(5, fields);
  st.BindInt(6, Micros(c.created_at));
  st.BindInt(7, Micros(c.expires_at));
  if (c.revoked_at) {
    st.BindInt(8, Micros(*c.revoked_at));
  } else {
    st.BindNull(8);
  }
  st.BindText(9, c.source);
  return st.Run();
}

Result<EkycConsent> EkycConsents::Grant(const CitizenId& citizen, const EkycOffer& offer,
                                        std::span<const std::string> fields, int days) {
  auto checked = CheckRequest(offer, fields, days);
  if (!checked) return std::unexpected(checked.error());
  EkycConsent c;
  c.citizen_id = citizen.ToString();
  c.agency = offer.agency;
  c.purpose = offer.purpose;
  c.fields = std::move(*checked);
  c.created_at = clock_.Now();
  c.expires_at = c.created_at + std::chrono::days{days};
  c.source = "account";
  std::lock_guard lock(mu_);
  c.id = NewConsentId();
  if (auto s = Insert(c); !s) return std::unexpected(s.error());
  return c;
}

Result<ConsentCode> EkycConsents::CreateCode(const CitizenId& citizen, const EkycOffer& offer,
                                             std::span<const std::string> fields, int days) {
  auto checked = CheckRequest(offer, fields, days);
  if (!checked) return std::unexpected(checked.error());
  const Timestamp now = clock_.Now();
  ConsentCode out;
  out.expires_at = now + kConsentCodeLifetime;
  const std::string id = citizen.ToString(), field_text = JoinCommaList(*checked);
  std::lock_guard lock(mu_);
  // Codes past their 10 minutes are of no use to anyone: forget them, so
  // that only live codes can collide with a new one.
  auto& purge = conn_->Cached("DELETE FROM ekyc_consent_codes WHERE expires_at <= ?");
  purge.BindInt(1, Micros(now));
  if (auto s = purge.Run(); !s) return std::unexpected(s.error());
  for (int attempt = 0;; ++attempt) {
    std::string code;
    for (size_t i = 0; i < kCodeLength; ++i) code += kCrockford[random_.Uniform(32)];
    auto& st = conn_->Cached(
        "INSERT INTO ekyc_consent_codes (code_hash, citizen_id, agency, purpose, fields, days, "
        "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    std::string hash = CodeHash(offer.agency, code);
    st.BindText(1, hash);
    st.BindText(2, id);
    st.BindText(3, offer.agency);
    st.BindText(4, offer.purpose);
    st.BindText(5, field_text);
    st.BindInt(6, days);
    st.BindInt(7, Micros(now));
    st.BindInt(8, Micros(out.expires_at));
    auto s = st.Run();
    if (s) {
      out.code = code.substr(0, 4) + "-" + code.substr(4);
      return out;
    }
    // A live code of the same agency with the same value (one in 2^40):
    // draw another.
    if (s.error().code != "storage.constraint" || attempt == 2) return std::unexpected(s.error());
  }
}

Result<EkycConsent> EkycConsents::Redeem(std::string_view typed, std::string_view agency) {
  auto bad = [] {
    return Fail("ekyc.bad_consent_code",
                "the consent code is wrong, expired, already used or for another agency",
                "consent_code");
  };
  auto code = NormalizeCode(typed);
  if (!code) return bad();
  const Timestamp now = clock_.Now();
  std::string hash = CodeHash(agency, *code);
  std::lock_guard lock(mu_);
  auto tx = storage::Transaction::Begin(*conn_);
  if (!tx) return std::unexpected(tx.error());
  // The code is bound to the agency through its hash, and single use through
  // redeemed_at, set in the same transaction as the consent is written.
  auto& st = conn_->Cached(
      "UPDATE ekyc_consent_codes SET redeemed_at = ? WHERE code_hash = ? AND agency = ? "
      "AND redeemed_at IS NULL AND expires_at > ? "
      "RETURNING citizen_id, purpose, fields, days");
  st.BindInt(1, Micros(now));
  st.BindText(2, hash);
  st.BindText(3, agency);
  st.BindInt(4, Micros(now));
  std::optional<EkycConsent> found;
  auto s = st.ForEachRow([&] {
    EkycConsent c;
    c.citizen_id = std::string(st.Text(0));
    c.purpose = std::string(st.Text(1));
    c.fields = SplitCommaList(st.Text(2));
    c.expires_at = now + std::chrono::days{st.Int(3)};
    found = std::move(c);
  });
  if (!s) return std::unexpected(s.error());
  if (!found) return bad();
  found->id = NewConsentId();
  found->agency = std::string(agency);
  found->created_at = now;
  found->source = "code";
  if (auto ins = Insert(*found); !ins) return std::unexpected(ins.error());
  auto& link = conn_->Cached("UPDATE ekyc_consent_codes SET consent_id = ? WHERE code_hash = ?");
  link.BindText(1, found->id);
  link.BindText(2, hash);
  if (auto r = link.Run(); !r) return std::unexpected(r.error());
  if (auto c = tx->Commit(); !c) return std::unexpected(c.error());
  return std::move(*found);
}

Result<std::optional<EkycConsent>> EkycConsents::FindValid(
    std::string_view citizen_id, std::string_view agency, std::string_view purpose,
    std::span<const std::string> fields) const {
  const Timestamp now = clock_.Now();
  std::lock_guard lock(mu_);
  auto& st = conn_->Cached(Sql("SELECT ",
                               " FROM ekyc_consents WHERE citizen_id = ? AND agency = ? "
                               "AND purpose = ? AND revoked_at IS NULL AND expires_at > ? "
                               "ORDER BY expires_at DESC"));
  st.BindText(1, citizen_id);
  st.BindText(2, agency);
  st.BindText(3, purpose);
  st.BindInt(4, Micros(now));
  std::optional<EkycConsent> out;
  auto s = st.ForEachRow([&] {
    if (out) return;
    EkycConsent c = ReadConsent(st);
    if (c.Covers(fields)) out = std::move(c);
  });
  if (!s) return std::unexpected(s.error());
  return out;
}

Result<std::vector<EkycConsent>> EkycConsents::List(const CitizenId& citizen) const {
  std::string id = citizen.ToString();
  std::lock_guard lock(mu_);
  auto& st = conn_->Cached(
      Sql("SELECT ", " FROM ekyc_consents WHERE citizen_id = ? ORDER BY created_at DESC, id"));
  st.BindText(1, id);
  std::vector<EkycConsent> out;
  auto s = st.ForEachRow([&] { out.push_back(ReadConsent(st)); });
  if (!s) return std::unexpected(s.error());
  return out;
}

Result<EkycConsent> EkycConsents::Revoke(const CitizenId& citizen, std::string_view consent_id) {
  std::string id = citizen.ToString();
  const Timestamp now = clock_.Now();
  std::lock_guard lock(mu_);
  // COALESCE keeps the first revocation time when revoked twice.
  auto& st =
      conn_->Cached(Sql("UPDATE ekyc_consents SET revoked_at = COALESCE(revoked_at, ?) "
                        "WHERE id = ? AND citizen_id = ? RETURNING ",
                        ""));
  st.BindInt(1, Micros(now));
  st.BindText(2, consent_id);
  st.BindText(3, id);
  std::optional<EkycConsent> out;
  auto s = st.ForEachRow([&] { out = ReadConsent(st); });
  if (!s) return std::unexpected(s.error());
  if (!out) {
    return Fail("ekyc.consent_not_found", "you have no consent " + std::string(consent_id), "id");
  }
  return std::move(*out);
}

}  // namespace dancu::hub
