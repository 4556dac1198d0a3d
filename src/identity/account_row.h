// Internal to identity/accounts*.cc: an accounts row with its secrets, and
// the SQL that reads one. Not part of the front door.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "identity/account.h"
#include "identity/accounts.h"
#include "storage/database.h"

namespace dancu::identity {

struct AccountRow {
  Account account;
  std::string password_hash;
  std::string totp_secret_sealed;  // base64 of the sealed secret; empty before level 2
  int64_t totp_last_step = -1;
};

inline constexpr std::string_view kAccountColumns =
    "id, phone, level, locked, disabled, disabled_reason, created_at_us, password_hash, "
    "totp_secret, totp_last_step";

// Reads the current row of a statement selecting kAccountColumns.
AccountRow ReadAccountRow(const storage::Statement& st);

// The citizen id of an account id, 12 digits, for logs.
inline std::string AccountIdText(int64_t account_id) {
  auto id = CitizenId::FromNumber(account_id);
  return id ? id->ToString() : std::to_string(account_id);
}

// The associated data that binds a sealed value to its account and purpose.
inline std::string SealContext(std::string_view purpose, int64_t account_id) {
  return std::string(purpose) + ":" + std::to_string(account_id);
}

}  // namespace dancu::identity
