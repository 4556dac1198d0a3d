#include "identity/authorization_codes.h"

#include "crypto/hash.h"
#include "crypto/random_token.h"

namespace dancu::identity {
namespace {

std::string Key(std::string_view code) {
  return std::string(crypto::AsBytes(crypto::Sha256(code)));
}

}  // namespace

void AuthorizationCodes::PruneLocked(Timestamp now) {
  while (!expiry_.empty() && expiry_.front().first <= now) {
    entries_.erase(expiry_.front().second);
    expiry_.pop_front();
  }
}

std::string AuthorizationCodes::Issue(CodeRecord record) {
  std::string code = crypto::RandomToken(32);
  std::string key = Key(code);
  Timestamp now = clock_.Now();
  Timestamp expires = now + kAuthorizationCodeLifetime;
  record.issued_at = now;
  std::lock_guard lock(mu_);
  PruneLocked(now);
  entries_.emplace(key, Entry{std::move(record), false, false, std::nullopt, expires});
  expiry_.emplace_back(expires, std::move(key));
  return code;
}

std::variant<std::monostate, CodeRecord, CodeReuse> AuthorizationCodes::Redeem(
    std::string_view code) {
  std::string key = Key(code);
  Timestamp now = clock_.Now();
  std::lock_guard lock(mu_);
  PruneLocked(now);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.expires_at <= now) return std::monostate{};
  Entry& e = it->second;
  if (e.used) {
    e.reused = true;
    return CodeReuse{e.issued};
  }
  e.used = true;
  CodeRecord out = std::move(e.record);
  e.record = CodeRecord{};
  return out;
}

bool AuthorizationCodes::Attach(std::string_view code, IssuedFromCode issued) {
  std::string key = Key(code);
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return true;  // expired meanwhile: nobody can reuse it now
  it->second.issued = std::move(issued);
  return !it->second.reused;
}

size_t AuthorizationCodes::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace dancu::identity
