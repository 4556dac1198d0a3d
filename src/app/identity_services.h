// The identity side of a data directory, opened together for `dancu serve`:
// DIR/identity.db (accounts, sessions, officers), DIR/oidc.db (the OpenID
// Connect provider's clients, keys, codes, tokens, consents), the sealing key
// DIR/identity.key, the development SMS outbox DIR/outbox/sms.jsonl, and the
// account watcher that disables the account of a citizen whose death is
// registered. Members are declared in dependency order, so destruction
// (reverse order) stops the watcher before what it uses goes away.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/random.h"
#include "crypto/secret_box.h"
#include "identity/account_watcher.h"
#include "identity/accounts.h"
#include "identity/officers.h"
#include "identity/oidc_provider.h"
#include "identity/sessions.h"
#include "identity/sms_sender.h"
#include "registry/registry.h"
#include "storage/database.h"

namespace dancu::app {

struct IdentityServices {
  std::unique_ptr<storage::Database> identity_db;
  std::unique_ptr<storage::Database> oidc_db;
  std::optional<crypto::SecretBox> box;
  std::unique_ptr<identity::SmsSender> sms;
  std::unique_ptr<identity::Sessions> sessions;
  std::unique_ptr<identity::Officers> officers;
  std::unique_ptr<identity::Accounts> accounts;
  std::unique_ptr<identity::OidcProvider> oidc;
  std::unique_ptr<identity::AccountWatcher> watcher;  // started by OpenIdentityIn
};

// Opens everything, registers the provider's token revocation as the
// accounts' OnDisabled hook, catches the watcher up on the feed and starts
// it. `issuer` may be empty and set later (OidcProvider::set_issuer). Prints
// the error and returns nullptr on failure.
std::unique_ptr<IdentityServices> OpenIdentityIn(const std::filesystem::path& dir,
                                                 const registry::Registry& registry,
                                                 const Clock& clock, Random& random,
                                                 std::string issuer);

}  // namespace dancu::app
