#include "app/identity_services.h"

#include <cstdio>

#include "identity/identity_db.h"
#include "identity/oidc_db.h"

namespace dancu::app {
namespace {

template <class T>
bool Take(Result<T> r, T& out) {
  if (!r) {
    std::fprintf(stderr, "dancu: %s\n", r.error().message.c_str());
    return false;
  }
  out = std::move(*r);
  return true;
}

}  // namespace

std::unique_ptr<IdentityServices> OpenIdentityIn(const std::filesystem::path& dir,
                                                 const registry::Registry& registry,
                                                 const Clock& clock, Random& random,
                                                 std::string issuer) {
  auto s = std::make_unique<IdentityServices>();
  if (!Take(identity::OpenIdentityDb(dir), s->identity_db)) return nullptr;
  if (!Take(identity::OpenOidcDb(dir), s->oidc_db)) return nullptr;
  auto box = crypto::SecretBox::OpenKeyFile(identity::IdentityKeyPath(dir));
  if (!box) {
    std::fprintf(stderr, "dancu: %s\n", box.error().message.c_str());
    return nullptr;
  }
  s->box.emplace(std::move(*box));
  // The development sender: one JSON line per message in DIR/outbox/sms.jsonl
  // (identity/sms_sender.h). A deployment plugs its SMS gateway in here.
  s->sms = std::make_unique<identity::DevSmsSender>(identity::DevSmsOutboxPath(dir), clock);
  if (!Take(identity::Sessions::Open(*s->identity_db, clock), s->sessions)) return nullptr;
  if (!Take(identity::Officers::Open(*s->identity_db, clock), s->officers)) return nullptr;
  if (!Take(identity::Accounts::Open(*s->identity_db, registry, *s->sessions, *s->sms, *s->box,
                                     clock, random),
            s->accounts)) {
    return nullptr;
  }
  identity::Accounts* accounts = s->accounts.get();
  if (!Take(identity::OidcProvider::Open(
                *s->oidc_db, *s->box, registry,
                [accounts](int64_t id) { return accounts->Get(id); }, clock, std::move(issuer)),
            s->oidc)) {
    return nullptr;
  }
  // A locked or dead citizen's tokens stop working at once.
  s->accounts->OnDisabled([oidc = s->oidc.get()](int64_t id) { oidc->RevokeAccount(id); });
  if (!Take(identity::AccountWatcher::Open(*s->identity_db, registry, *s->accounts), s->watcher)) {
    return nullptr;
  }
  if (auto caught = s->watcher->CatchUp(); !caught) {
    std::fprintf(stderr, "dancu: %s\n", caught.error().message.c_str());
    return nullptr;
  }
  s->watcher->Start();
  return s;
}

}  // namespace dancu::app
