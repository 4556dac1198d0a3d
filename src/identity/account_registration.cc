// Accounts: level-1 registration (accounts.h, "Registration").
#include <cstdio>

#include <spdlog/spdlog.h>

#include "core/person_name.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/password_hasher.h"
#include "crypto/password_policy.h"
#include "crypto/random_token.h"
#include "identity/account_row.h"
#include "identity/accounts.h"
#include "identity/identity_db.h"
#include "identity/phone_number.h"
#include "verify/matching.h"

namespace dancu::identity {
namespace {

std::string CodeMac(std::string_view ticket, std::string_view code) {
  return crypto::HexEncode(crypto::AsBytes(crypto::HmacSha256(ticket, code)));
}

Error Mismatch() {
  return Error{"identity.registration_mismatch",
               "the details do not match the population register, or this person cannot "
               "register an account",
               {}};
}

Error TicketUnknown() {
  return Error{"identity.ticket_unknown",
               "this registration is unknown or has expired; please start again", {}};
}

bool SixDigits(std::string_view code) {
  if (code.size() != 6) return false;
  for (char c : code) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

struct Ticket {
  int64_t citizen_id = 0;
  std::string phone, code_mac;
  int64_t code_expires_us = 0, attempts = 0, expires_us = 0;
  bool confirmed = false;
};

}  // namespace

Result<std::string> Accounts::StartRegistration(const RegistrationRequest& r,
                                                const AttemptContext& attempt) {
  // Shape errors name their field: they say nothing about the register.
  auto id = CitizenId::Parse(r.citizen_id);
  if (!id) return WithField(id.error(), "citizen_id");
  auto name = PersonName::Parse(r.full_name);
  if (!name) return WithField(name.error(), "full_name");
  auto dob = PartialDate::Parse(r.date_of_birth, clock_.Today());
  if (!dob) return WithField(dob.error(), "date_of_birth");
  auto phone = NormalizeVietnamMobile(r.phone);
  if (!phone) return std::unexpected(phone.error());

  const std::string id_key = "register:" + id->ToString();
  const std::string ip_key = "ip:" + attempt.ip;
  if (auto s = throttle_->Check(id_key, kAccountThrottle); !s) return std::unexpected(s.error());
  if (auto s = throttle_->Check(ip_key, kIpThrottle); !s) return std::unexpected(s.error());

  auto citizen = registry_.GetCitizen(*id);
  bool matches = false;
  if (citizen) {
    matches = citizen->status == registry::LifeStatus::kAlive &&
              citizen->full_name.folded() == name->folded() &&
              verify::CompareDates(citizen->date_of_birth, *dob) == verify::FieldResult::kMatch &&
              CertainlyAtLeast14(citizen->date_of_birth);
  } else if (citizen.error().code != "citizen.not_found") {
    return std::unexpected(citizen.error());
  }
  if (!matches) {
    if (auto s = throttle_->RecordFailure(id_key, kAccountThrottle); !s) {
      return std::unexpected(s.error());
    }
    if (auto s = throttle_->RecordFailure(ip_key, kIpThrottle); !s) {
      return std::unexpected(s.error());
    }
    return std::unexpected(Mismatch());
  }

  std::string code;
  {
    std::lock_guard lock(random_mu_);
    char buf[8];
    std::snprintf(buf, sizeof buf, "%06u", static_cast<unsigned>(random_.Uniform(1000000)));
    code = buf;
  }
  const std::string ticket = crypto::RandomToken(32);
  const Timestamp now = clock_.Now();
  {
    std::lock_guard lock(mu_);
    auto& purge = conn_->Cached("DELETE FROM registrations WHERE expires_us <= ?");
    purge.BindInt(1, Micros(now));
    if (auto s = purge.Run(); !s) return std::unexpected(s.error());
    auto& st = conn_->Cached(
        "INSERT INTO registrations (ticket_hash, citizen_id, phone, code_mac, code_expires_us, "
        "expires_us) VALUES (?, ?, ?, ?, ?, ?)");
    const std::string ticket_hash = TokenHash(ticket), code_mac = CodeMac(ticket, code);
    st.BindText(1, ticket_hash);
    st.BindInt(2, id->number());
    st.BindText(3, *phone);
    st.BindText(4, code_mac);
    st.BindInt(5, Micros(now + std::chrono::microseconds(kCodeLifetime)));
    st.BindInt(6, Micros(now + std::chrono::microseconds(kTicketLifetime)));
    if (auto s = st.Run(); !s) return std::unexpected(s.error());
  }
  SmsMessage sms{*phone,
                 "Ma xac thuc dancu: " + code + ". Het han sau 10 phut. Khong chia se ma nay. / "
                 "dancu verification code: " + code + " (valid 10 minutes). Do not share it.",
                 code};
  if (auto s = sms_.Send(sms); !s) {
    std::lock_guard lock(mu_);
    auto& del = conn_->Cached("DELETE FROM registrations WHERE ticket_hash = ?");
    const std::string ticket_hash = TokenHash(ticket);
    del.BindText(1, ticket_hash);
    (void)del.Run();
    return std::unexpected(s.error());
  }
  return ticket;
}

namespace {

// Reads the live ticket (nullopt when unknown or past its 30 minutes).
Result<std::optional<Ticket>> LoadTicket(storage::Connection& conn, std::string_view ticket,
                                         Timestamp now) {
  if (ticket.empty() || ticket.size() > 128) return std::optional<Ticket>();
  auto& st = conn.Cached(
      "SELECT citizen_id, phone, code_mac, code_expires_us, attempts, confirmed, expires_us "
      "FROM registrations WHERE ticket_hash = ?");
  const std::string ticket_hash = TokenHash(ticket);
  st.BindText(1, ticket_hash);
  Ticket t;
  bool found = false;
  auto s = st.ForEachRow([&] {
    found = true;
    t.citizen_id = st.Int(0);
    t.phone = std::string(st.Text(1));
    t.code_mac = std::string(st.Text(2));
    t.code_expires_us = st.Int(3);
    t.attempts = st.Int(4);
    t.confirmed = st.Int(5) != 0;
    t.expires_us = st.Int(6);
  });
  if (!s) return std::unexpected(s.error());
  if (!found || t.expires_us <= Micros(now)) return std::optional<Ticket>();
  return std::optional<Ticket>(std::move(t));
}

Status DeleteTicket(storage::Connection& conn, std::string_view ticket) {
  auto& del = conn.Cached("DELETE FROM registrations WHERE ticket_hash = ?");
  const std::string ticket_hash = TokenHash(ticket);
  del.BindText(1, ticket_hash);
  return del.Run();
}

}  // namespace

Accounts::TicketState Accounts::GetTicketState(std::string_view ticket) {
  std::lock_guard lock(mu_);
  auto t = LoadTicket(*conn_, ticket, clock_.Now());
  if (!t || !*t) return TicketState::kUnknown;
  return (*t)->confirmed ? TicketState::kConfirmed : TicketState::kCodeSent;
}

Status Accounts::ConfirmCode(std::string_view ticket, std::string_view code) {
  const Timestamp now = clock_.Now();
  int64_t citizen_id = 0;
  {
    std::lock_guard lock(mu_);
    auto t = LoadTicket(*conn_, ticket, now);
    if (!t) return std::unexpected(t.error());
    if (!*t) return std::unexpected(TicketUnknown());
    if ((*t)->confirmed) return {};
    if ((*t)->attempts >= kCodeAttempts) {
      return Fail("identity.code_attempts",
                  "too many wrong codes; please start the registration again", "code");
    }
    if ((*t)->code_expires_us <= Micros(now)) {
      return Fail("identity.code_expired",
                  "the code has expired (it is valid for 10 minutes); please start again", "code");
    }
    const bool right = SixDigits(code) && crypto::ConstantTimeEqual(CodeMac(ticket, code),
                                                                     (*t)->code_mac);
    if (!right) {
      const int64_t attempts = (*t)->attempts + 1;
      if (attempts >= kCodeAttempts) {
        // The ticket is spent: a new code needs a new registration (and a
        // new register check), so codes cannot be guessed ticket by ticket.
        if (auto s = DeleteTicket(*conn_, ticket); !s) return s;
        return Fail("identity.code_attempts",
                    "too many wrong codes; please start the registration again", "code");
      }
      auto& st = conn_->Cached("UPDATE registrations SET attempts = ? WHERE ticket_hash = ?");
      const std::string ticket_hash = TokenHash(ticket);
      st.BindInt(1, attempts);
      st.BindText(2, ticket_hash);
      if (auto s = st.Run(); !s) return s;
      return Fail("identity.code_wrong",
                  "the code is wrong; " + std::to_string(kCodeAttempts - attempts) +
                      " tries left",
                  "code");
    }
    citizen_id = (*t)->citizen_id;
  }
  // The phone is proven: now (and only now) may we say an account exists.
  auto existing = LoadRow(citizen_id);
  if (!existing) return std::unexpected(existing.error());
  std::lock_guard lock(mu_);
  if (*existing) {
    if (auto s = DeleteTicket(*conn_, ticket); !s) return s;
    return Fail("identity.already_registered",
                "this citizen already has an account: sign in, or unlock it if it is locked");
  }
  auto& st = conn_->Cached("UPDATE registrations SET confirmed = 1 WHERE ticket_hash = ?");
  const std::string ticket_hash = TokenHash(ticket);
  st.BindText(1, ticket_hash);
  return st.Run();
}

Result<Account> Accounts::CompleteRegistration(std::string_view ticket,
                                               std::string_view password) {
  Ticket t;
  {
    std::lock_guard lock(mu_);
    auto loaded = LoadTicket(*conn_, ticket, clock_.Now());
    if (!loaded) return std::unexpected(loaded.error());
    if (!*loaded) return std::unexpected(TicketUnknown());
    t = **loaded;
  }
  if (!t.confirmed) {
    return Fail("identity.code_required", "confirm the code sent to your phone first", "code");
  }
  if (auto s = crypto::CheckNewPassword(password); !s) return std::unexpected(s.error());
  // The register may have changed since step 1 (a death): check again.
  auto id = CitizenId::FromNumber(t.citizen_id);
  if (!id) return std::unexpected(id.error());
  auto citizen = registry_.GetCitizen(*id);
  if (!citizen) {
    if (citizen.error().code == "citizen.not_found") return std::unexpected(Mismatch());
    return std::unexpected(citizen.error());
  }
  if (citizen->status != registry::LifeStatus::kAlive) return std::unexpected(Mismatch());

  const std::string hash = crypto::HashPassword(password);
  Account a;
  a.id = t.citizen_id;
  a.citizen_id = *id;
  a.phone = t.phone;
  a.level = Level::kOne;
  a.created_at = clock_.Now();

  std::lock_guard lock(mu_);
  auto tx = storage::Transaction::Begin(*conn_);
  if (!tx) return std::unexpected(tx.error());
  // Still there? (Two tabs may finish the same ticket.)
  auto again = LoadTicket(*conn_, ticket, clock_.Now());
  if (!again) return std::unexpected(again.error());
  if (!*again) return std::unexpected(TicketUnknown());
  auto& st = conn_->Cached(
      "INSERT INTO accounts (id, phone, level, password_hash, created_at_us) "
      "VALUES (?, ?, 1, ?, ?)");
  st.BindInt(1, a.id);
  st.BindText(2, a.phone);
  st.BindText(3, hash);
  st.BindInt(4, Micros(a.created_at));
  if (auto s = st.Run(); !s) {
    if (s.error().code == "storage.constraint") {
      return Fail("identity.already_registered", "this citizen already has an account");
    }
    return std::unexpected(s.error());
  }
  if (auto s = DeleteTicket(*conn_, ticket); !s) return std::unexpected(s.error());
  if (auto s = tx->Commit(); !s) return std::unexpected(s.error());
  spdlog::info("identity: account {} registered (level 1)", a.citizen_id.ToString());
  return a;
}

}  // namespace dancu::identity

