// Accounts: construction, reads, lock/unlock, history, disabling, profile
// and minors. Registration, sign-in and the level-2 upgrade are in
// account_registration.cc, account_sign_in.cc and account_upgrade.cc.
#include "identity/accounts.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "crypto/password_hasher.h"
#include "identity/account_row.h"
#include "identity/identity_db.h"

namespace dancu::identity {

AccountRow ReadAccountRow(const storage::Statement& st) {
  AccountRow r;
  r.account.id = st.Int(0);
  r.account.citizen_id = CitizenId::FromNumber(r.account.id).value_or(CitizenId{});
  r.account.phone = std::string(st.Text(1));
  r.account.level = st.Int(2) == 2 ? Level::kTwo : Level::kOne;
  r.account.locked = st.Int(3) != 0;
  r.account.disabled = st.Int(4) != 0;
  if (!st.IsNull(5)) r.account.disabled_reason = std::string(st.Text(5));
  r.account.created_at = FromMicros(st.Int(6));
  r.password_hash = std::string(st.Text(7));
  if (!st.IsNull(8)) r.totp_secret_sealed = std::string(st.Text(8));
  r.totp_last_step = st.Int(9);
  return r;
}

Accounts::Accounts(std::unique_ptr<storage::Connection> conn, std::unique_ptr<Throttle> throttle,
                   const registry::Registry& registry, Sessions& sessions, SmsSender& sms,
                   const crypto::SecretBox& box, const Clock& clock, Random& random)
    : conn_(std::move(conn)),
      throttle_(std::move(throttle)),
      registry_(registry),
      sessions_(sessions),
      sms_(sms),
      box_(box),
      clock_(clock),
      random_(random) {}

Accounts::~Accounts() = default;

Result<std::unique_ptr<Accounts>> Accounts::Open(storage::Database& identity_db,
                                                 const registry::Registry& registry,
                                                 Sessions& sessions, SmsSender& sms,
                                                 const crypto::SecretBox& box, const Clock& clock,
                                                 Random& random) {
  auto conn = identity_db.Connect();
  if (!conn) return std::unexpected(conn.error());
  auto throttle = Throttle::Open(identity_db, clock);
  if (!throttle) return std::unexpected(throttle.error());
  return std::unique_ptr<Accounts>(new Accounts(std::move(*conn), std::move(*throttle), registry,
                                                sessions, sms, box, clock, random));
}

Result<std::optional<AccountRow>> Accounts::LoadRow(int64_t id) {
  static const std::string sql =
      "SELECT " + std::string(kAccountColumns) + " FROM accounts WHERE id = ?";
  std::lock_guard lock(mu_);
  auto& st = conn_->Cached(sql);
  st.BindInt(1, id);
  std::optional<AccountRow> out;
  if (auto s = st.ForEachRow([&] { out = ReadAccountRow(st); }); !s) {
    return std::unexpected(s.error());
  }
  return out;
}

Result<Account> Accounts::Get(int64_t id) {
  auto row = LoadRow(id);
  if (!row) return std::unexpected(row.error());
  if (!*row) return Fail("identity.not_found", "no account " + std::to_string(id));
  return (*row)->account;
}

Result<Account> Accounts::FindByCitizenId(CitizenId id) {
  auto row = LoadRow(id.number());
  if (!row) return std::unexpected(row.error());
  if (!*row) return Fail("identity.not_found", "no account for citizen " + id.ToString());
  return (*row)->account;
}

Status Accounts::Record(int64_t account_id, const AttemptContext& attempt,
                        std::string_view outcome, std::string_view method) {
  std::lock_guard lock(mu_);
  auto& st = conn_->Cached(
      "INSERT INTO sign_ins (account_id, at_us, ip, outcome, method, client) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  st.BindInt(1, account_id);
  st.BindInt(2, Micros(clock_.Now()));
  st.BindText(3, attempt.ip);
  st.BindText(4, outcome);
  st.BindText(5, method);
  st.BindText(6, attempt.client);
  return st.Run();
}

Result<std::vector<SignInRecord>> Accounts::History(int64_t account_id, int limit) {
  std::lock_guard lock(mu_);
  auto& st = conn_->Cached(
      "SELECT at_us, ip, outcome, method, client FROM sign_ins WHERE account_id = ? "
      "ORDER BY at_us DESC LIMIT ?");
  st.BindInt(1, account_id);
  st.BindInt(2, std::clamp(limit, 1, 1000));
  std::vector<SignInRecord> out;
  auto s = st.ForEachRow([&] {
    out.push_back(SignInRecord{FromMicros(st.Int(0)), std::string(st.Text(1)),
                               std::string(st.Text(2)), std::string(st.Text(3)),
                               std::string(st.Text(4))});
  });
  if (!s) return std::unexpected(s.error());
  return out;
}

void Accounts::OnDisabled(std::function<void(int64_t)> hook) {
  std::lock_guard lock(hooks_mu_);
  hooks_.push_back(std::move(hook));
}

void Accounts::NotifyDisabled(int64_t account_id) {
  std::vector<std::function<void(int64_t)>> hooks;
  {
    std::lock_guard lock(hooks_mu_);
    hooks = hooks_;
  }
  for (const auto& hook : hooks) hook(account_id);
}

Status Accounts::Lock(int64_t account_id) {
  {
    std::lock_guard lock(mu_);
    auto& st = conn_->Cached("UPDATE accounts SET locked = 1 WHERE id = ? RETURNING id");
    st.BindInt(1, account_id);
    bool found = false;
    if (auto s = st.ForEachRow([&] { found = true; }); !s) return s;
    if (!found) return Fail("identity.not_found", "no account " + std::to_string(account_id));
  }
  if (auto s = sessions_.RevokeAll(account_id); !s) return s;
  (void)Record(account_id, AttemptContext{}, "locked_by_citizen", "");
  NotifyDisabled(account_id);
  return {};
}

Status Accounts::Unlock(std::string_view citizen_id, std::string_view password,
                        const AttemptContext& attempt) {
  // The same checks as a sign-in: a locked account must not become a way
  // around the throttle or a way to test passwords.
  auto id = CitizenId::Parse(citizen_id);
  if (!id) return WithField(id.error(), "citizen_id");
  const std::string account_key = "acct:" + id->ToString();
  const std::string ip_key = "ip:" + attempt.ip;
  if (auto s = throttle_->Check(account_key, kAccountThrottle); !s) return s;
  if (auto s = throttle_->Check(ip_key, kIpThrottle); !s) return s;
  auto row = LoadRow(id->number());
  if (!row) return std::unexpected(row.error());
  bool ok = false;
  if (*row) {
    ok = crypto::VerifyPassword((*row)->password_hash, password);
  } else {
    crypto::BurnPasswordCheck(password);
  }
  if (!ok) {
    (void)throttle_->RecordFailure(account_key, kAccountThrottle);
    (void)throttle_->RecordFailure(ip_key, kIpThrottle);
    (void)Record(id->number(), attempt, "bad_password", "pwd");  // as in SignIn
    return Fail("identity.bad_credentials", "the citizen id or the password is wrong");
  }
  (void)throttle_->RecordSuccess(account_key);
  if ((*row)->account.disabled) {
    return Fail("identity.account_disabled", "this account is disabled");
  }
  {
    std::lock_guard lock(mu_);
    auto& st = conn_->Cached("UPDATE accounts SET locked = 0 WHERE id = ?");
    st.BindInt(1, id->number());
    if (auto s = st.Run(); !s) return s;
  }
  (void)Record(id->number(), attempt, "unlocked", "pwd");
  return {};
}

Result<bool> Accounts::Disable(int64_t account_id, std::string_view reason) {
  bool changed = false;
  {
    std::lock_guard lock(mu_);
    auto& st = conn_->Cached(
        "UPDATE accounts SET disabled = 1, disabled_reason = ? WHERE id = ? AND disabled = 0 "
        "RETURNING id");
    st.BindText(1, reason);
    st.BindInt(2, account_id);
    if (auto s = st.ForEachRow([&] { changed = true; }); !s) return std::unexpected(s.error());
    auto& pending = conn_->Cached("DELETE FROM pending_sign_ins WHERE account_id = ?");
    pending.BindInt(1, account_id);
    if (auto s = pending.Run(); !s) return std::unexpected(s.error());
  }
  // Revoke even when it was already disabled: a crash between the update
  // and the revocation is repaired by the next call.
  if (auto s = sessions_.RevokeAll(account_id); !s) return std::unexpected(s.error());
  if (changed) {
    spdlog::info("identity: account {} disabled ({})", AccountIdText(account_id), reason);
    NotifyDisabled(account_id);
  }
  return changed;
}

Result<registry::Citizen> Accounts::Profile(const Account& account) {
  return registry_.GetCitizen(account.citizen_id);
}

bool Accounts::CertainlyAtLeast14(const PartialDate& dob) const {
  using namespace std::chrono;
  const year_month_day today = clock_.Today();
  // Field-wise comparison with the date 14 years ago (which may be 29
  // February of a common year: still ordered correctly against real dates).
  const year_month_day threshold{today.year() - years(kMinimumAge), today.month(), today.day()};
  return dob.Latest() <= threshold;
}

namespace {

bool IsChildOf(const registry::Citizen& child, CitizenId parent) {
  return child.father_id == parent || child.mother_id == parent;
}

}  // namespace

Result<std::vector<registry::Citizen>> Accounts::Wards(const Account& account) {
  auto holder = registry_.GetCitizen(account.citizen_id);
  if (!holder) return std::unexpected(holder.error());
  std::vector<int64_t> households;
  if (holder->household_id) households.push_back(*holder->household_id);
  if (holder->spouse_id) {
    auto spouse = registry_.GetCitizen(*holder->spouse_id);
    if (spouse && spouse->household_id &&
        std::find(households.begin(), households.end(), *spouse->household_id) ==
            households.end()) {
      households.push_back(*spouse->household_id);
    }
  }
  std::vector<registry::Citizen> out;
  for (int64_t hid : households) {
    auto household = registry_.GetHousehold(hid);
    if (!household) {
      if (household.error().code == "household.not_found") continue;
      return std::unexpected(household.error());
    }
    for (const registry::HouseholdMember& m : household->members) {
      if (m.id == holder->id) continue;
      auto c = registry_.GetCitizen(m.id);
      if (!c) {
        if (c.error().code == "citizen.not_found") continue;
        return std::unexpected(c.error());
      }
      if (c->status != registry::LifeStatus::kAlive || !IsChildOf(*c, holder->id) ||
          CertainlyAtLeast14(c->date_of_birth)) {
        continue;
      }
      if (std::none_of(out.begin(), out.end(), [&](const auto& o) { return o.id == c->id; })) {
        out.push_back(std::move(*c));
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

Result<registry::Citizen> Accounts::Ward(const Account& account, CitizenId child) {
  auto c = registry_.GetCitizen(child);
  if (!c) {
    if (c.error().code != "citizen.not_found") return std::unexpected(c.error());
  } else if (IsChildOf(*c, account.citizen_id) && !CertainlyAtLeast14(c->date_of_birth)) {
    return std::move(*c);
  }
  return Fail("identity.not_guardian", "this person is not a child under 14 of the account holder",
              "id");
}

}  // namespace dancu::identity
