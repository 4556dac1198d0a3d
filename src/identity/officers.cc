#include "identity/officers.h"

#include "core/admin_units.h"
#include "crypto/password_hasher.h"
#include "crypto/password_policy.h"
#include "crypto/random_token.h"
#include "identity/identity_db.h"
#include "identity/officer_roles.h"

namespace dancu::identity {
namespace {

bool ValidUsername(std::string_view u) {
  if (u.size() < 3 || u.size() > 64) return false;
  for (size_t i = 0; i < u.size(); ++i) {
    char c = u[i];
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) return false;
  }
  return true;
}

bool ValidName(std::string_view n) {
  if (n.empty() || n.size() > 200) return false;
  for (unsigned char c : n) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

bool InArea(const Officer& officer, const registry::Citizen& citizen) {
  return AreaCovers(officer.area_code, citizen.permanent_residence.commune_code);
}

Result<std::unique_ptr<Officers>> Officers::Open(storage::Database& db, const Clock& clock) {
  auto conn = db.Connect();
  if (!conn) return std::unexpected(conn.error());
  auto throttle = Throttle::Open(db, clock);
  if (!throttle) return std::unexpected(throttle.error());
  return std::unique_ptr<Officers>(new Officers(std::move(*conn), std::move(*throttle), clock));
}

Result<Officer> Officers::Add(const NewOfficer& o) {
  if (!ValidUsername(o.username)) {
    return Fail("officer.bad_username",
                "a username is 3-64 characters of a-z 0-9 . _ -, starting with a letter or digit",
                "username");
  }
  if (!ValidName(o.name)) {
    return Fail("officer.bad_name", "the officer's name is 1-200 printable characters", "name");
  }
  if (o.role != "police" && o.role != "civil_status") {
    return Fail("officer.bad_role", "the role is police or civil_status", "role");
  }
  const AdminUnits& units = AdminUnits::Get();
  bool area_ok = (o.area_code.size() == 2 && units.FindProvince(o.area_code) != nullptr) ||
                 (o.area_code.size() == 5 && units.FindCommune(o.area_code) != nullptr);
  if (!area_ok) {
    return Fail("officer.bad_area",
                "the area is a current 2-digit province code or 5-digit commune code",
                "area_code");
  }
  if (auto s = crypto::CheckNewPassword(o.password); !s) return std::unexpected(s.error());
  Officer out{o.username, o.name, o.role, o.area_code, clock_.Now(), false};
  const std::string hash = crypto::HashPassword(o.password);
  std::lock_guard lock(mu_);
  auto& st = conn_->Cached(
      "INSERT INTO officers (username, name, role, area_code, password_hash, created_at_us) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  st.BindText(1, out.username);
  st.BindText(2, out.name);
  st.BindText(3, out.role);
  st.BindText(4, out.area_code);
  st.BindText(5, hash);
  st.BindInt(6, Micros(out.created_at));
  if (auto r = st.Run(); !r) {
    if (r.error().code == "storage.constraint") {
      return Fail("officer.exists", "an officer named " + o.username + " exists", "username");
    }
    return std::unexpected(r.error());
  }
  return out;
}

Result<std::vector<Officer>> Officers::List() {
  std::lock_guard lock(mu_);
  auto& st = conn_->Cached(
      "SELECT username, name, role, area_code, created_at_us, disabled FROM officers "
      "ORDER BY username");
  std::vector<Officer> out;
  auto s = st.ForEachRow([&] {
    out.push_back(Officer{std::string(st.Text(0)), std::string(st.Text(1)),
                          std::string(st.Text(2)), std::string(st.Text(3)),
                          FromMicros(st.Int(4)), st.Int(5) != 0});
  });
  if (!s) return std::unexpected(s.error());
  return out;
}

Result<std::optional<std::pair<Officer, std::string>>> Officers::Load(std::string_view username) {
  std::lock_guard lock(mu_);
  auto& st = conn_->Cached(
      "SELECT username, name, role, area_code, created_at_us, disabled, password_hash "
      "FROM officers WHERE username = ?");
  st.BindText(1, username);
  std::optional<std::pair<Officer, std::string>> out;
  auto s = st.ForEachRow([&] {
    out.emplace(Officer{std::string(st.Text(0)), std::string(st.Text(1)),
                        std::string(st.Text(2)), std::string(st.Text(3)),
                        FromMicros(st.Int(4)), st.Int(5) != 0},
                std::string(st.Text(6)));
  });
  if (!s) return std::unexpected(s.error());
  return out;
}

Result<Officer> Officers::Get(std::string_view username) {
  auto o = Load(username);
  if (!o) return std::unexpected(o.error());
  if (!*o) return Fail("officer.not_found", "no officer named " + std::string(username));
  return (*o)->first;
}

Result<Officer> Officers::SetDisabled(std::string_view username, bool disabled) {
  {
    std::lock_guard lock(mu_);
    auto& st = conn_->Cached("UPDATE officers SET disabled = ? WHERE username = ?");
    st.BindInt(1, disabled ? 1 : 0);
    st.BindText(2, username);
    if (auto r = st.Run(); !r) return std::unexpected(r.error());
    if (disabled) {
      auto& del = conn_->Cached("DELETE FROM officer_tokens WHERE username = ?");
      del.BindText(1, username);
      if (auto r = del.Run(); !r) return std::unexpected(r.error());
    }
  }
  return Get(username);
}

Result<OfficerToken> Officers::SignIn(std::string_view username, std::string_view password) {
  auto bad = [] {
    return Fail("officer.bad_credentials", "the username or the password is wrong");
  };
  if (username.size() > 64 || password.size() > 1024) return bad();
  const std::string key = "officer:" + std::string(username);
  if (auto s = throttle_->Check(key, kAccountThrottle); !s) return std::unexpected(s.error());
  auto o = Load(username);
  if (!o) return std::unexpected(o.error());
  bool ok = false;
  if (*o) {
    ok = crypto::VerifyPassword((*o)->second, password) && !(*o)->first.disabled;
  } else {
    crypto::BurnPasswordCheck(password);
  }
  if (!ok) {
    if (auto s = throttle_->RecordFailure(key, kAccountThrottle); !s) {
      return std::unexpected(s.error());
    }
    return bad();
  }
  (void)throttle_->RecordSuccess(key);
  OfficerToken t{std::string(kOfficerTokenPrefix) + crypto::RandomToken(32),
                 clock_.Now() + std::chrono::microseconds(kOfficerTokenLifetime)};
  const std::string hash = TokenHash(t.token);
  std::lock_guard lock(mu_);
  auto& del = conn_->Cached("DELETE FROM officer_tokens WHERE expires_us <= ?");
  del.BindInt(1, Micros(clock_.Now()));
  if (auto r = del.Run(); !r) return std::unexpected(r.error());
  auto& st = conn_->Cached(
      "INSERT INTO officer_tokens (token_hash, username, expires_us) VALUES (?, ?, ?)");
  st.BindText(1, hash);
  st.BindText(2, (*o)->first.username);
  st.BindInt(3, Micros(t.expires_at));
  if (auto r = st.Run(); !r) return std::unexpected(r.error());
  return t;
}

std::optional<Officer> Officers::Authenticate(std::string_view token) {
  if (!token.starts_with(kOfficerTokenPrefix) || token.size() > 128) return std::nullopt;
  const std::string hash = TokenHash(token);
  std::string username;
  {
    std::lock_guard lock(mu_);
    auto& st = conn_->Cached(
        "SELECT username FROM officer_tokens WHERE token_hash = ? AND expires_us > ?");
    st.BindText(1, hash);
    st.BindInt(2, Micros(clock_.Now()));
    if (!st.ForEachRow([&] { username = std::string(st.Text(0)); })) return std::nullopt;
  }
  if (username.empty()) return std::nullopt;
  auto o = Get(username);
  if (!o || o->disabled) return std::nullopt;
  return *o;
}

}  // namespace dancu::identity
