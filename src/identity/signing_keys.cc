#include "identity/signing_keys.h"

#include <spdlog/spdlog.h>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "crypto/encoding.h"

namespace dancu::identity {
namespace {

constexpr int64_t kRefreshUs = 1'000'000;
constexpr int64_t kLeewaySeconds = 60;

int64_t UnixSeconds(Timestamp t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::string SealAd(std::string_view kid) { return "oidc-signing-key:" + std::string(kid); }

}  // namespace

const crypto::EcKey* KeyRing::Find(std::string_view kid) const {
  for (const auto& [k, key] : published) {
    if (k == kid) return &key;
  }
  return nullptr;
}

SigningKeys::SigningKeys(std::unique_ptr<storage::Connection> conn, const crypto::SecretBox& box,
                         const Clock& clock, std::chrono::seconds lifetime)
    : box_(box), clock_(clock), lifetime_(lifetime), conn_(std::move(conn)) {}
SigningKeys::~SigningKeys() = default;

Result<std::unique_ptr<SigningKeys>> SigningKeys::Open(storage::Database& db,
                                                       const crypto::SecretBox& box,
                                                       const Clock& clock,
                                                       std::chrono::seconds lifetime) {
  auto conn = db.Connect();
  if (!conn) return std::unexpected(conn.error());
  std::unique_ptr<SigningKeys> k(new SigningKeys(std::move(*conn), box, clock, lifetime));
  std::lock_guard lock(k->conn_mu_);
  if (auto s = k->EnsureCurrentLocked(); !s) return std::unexpected(s.error());
  if (auto s = k->ReloadLocked(true); !s) return std::unexpected(s.error());
  return k;
}

Status SigningKeys::EnsureCurrentLocked() {
  auto tx = storage::Transaction::Begin(*conn_);
  if (!tx) return std::unexpected(tx.error());
  auto n = storage::QueryInt(*conn_, "SELECT COUNT(*) FROM signing_keys WHERE retired_at IS NULL");
  if (!n) return std::unexpected(n.error());
  if (*n > 0) return tx->Commit();
  crypto::EcKey key = crypto::EcKey::Generate();
  std::string kid = key.Thumbprint();
  auto& st = conn_->Cached(
      "INSERT INTO signing_keys (kid, private_sealed, created_at) VALUES (?,?,?)");
  std::string sealed = crypto::Base64UrlEncode(box_.Seal(key.PrivatePem(), SealAd(kid)));
  st.BindText(1, kid);
  st.BindText(2, sealed);
  st.BindInt(3, UnixSeconds(clock_.Now()));
  if (auto s = st.Run(); !s) return s;
  return tx->Commit();
}

Result<std::string> SigningKeys::Rotate() {
  std::lock_guard lock(conn_mu_);
  int64_t now = UnixSeconds(clock_.Now());
  {
    auto tx = storage::Transaction::Begin(*conn_);
    if (!tx) return std::unexpected(tx.error());
    auto& del = conn_->Cached(
        "DELETE FROM signing_keys WHERE publish_until IS NOT NULL AND publish_until < ?");
    del.BindInt(1, now);
    if (auto s = del.Run(); !s) return std::unexpected(s.error());
    auto& retire = conn_->Cached(
        "UPDATE signing_keys SET retired_at = ?, publish_until = ? WHERE retired_at IS NULL");
    retire.BindInt(1, now);
    retire.BindInt(2, now + lifetime_.count() + kLeewaySeconds);
    if (auto s = retire.Run(); !s) return std::unexpected(s.error());
    if (auto s = tx->Commit(); !s) return std::unexpected(s.error());
  }
  // A crash between the two transactions leaves no current key; the next
  // Open (or this call, below) creates one, so the ring is never empty.
  if (auto s = EnsureCurrentLocked(); !s) return std::unexpected(s.error());
  if (auto s = ReloadLocked(true); !s) return std::unexpected(s.error());
  std::shared_lock r(ring_mu_);
  return ring_->current_kid;
}

Result<std::vector<SigningKeyInfo>> SigningKeys::List() const {
  std::lock_guard lock(conn_mu_);
  std::vector<SigningKeyInfo> out;
  auto& st = conn_->Cached(
      "SELECT kid, created_at, retired_at, publish_until FROM signing_keys "
      "ORDER BY CASE WHEN retired_at IS NULL THEN 0 ELSE 1 END, retired_at DESC, kid");
  auto s = st.ForEachRow([&] {
    SigningKeyInfo i;
    i.kid = std::string(st.Text(0));
    i.created_at = st.Int(1);
    i.retired_at = st.OptionalInt(2);
    i.publish_until = st.OptionalInt(3);
    i.current = !i.retired_at.has_value();
    out.push_back(std::move(i));
  });
  if (!s) return std::unexpected(s.error());
  return out;
}

Status SigningKeys::ReloadLocked(bool force) const {
  int64_t now_us = clock_.Now().time_since_epoch().count();
  checked_at_us_ = now_us;
  int64_t now = now_us / 1'000'000;
  // The cheap check: the list of published kids and their state.
  std::string fingerprint;
  {
    auto& st = conn_->Cached(
        "SELECT kid, coalesce(retired_at, 0) FROM signing_keys "
        "WHERE publish_until IS NULL OR publish_until >= ? ORDER BY kid");
    st.BindInt(1, now);
    auto s = st.ForEachRow([&] {
      fingerprint += st.Text(0);
      fingerprint += ':';
      fingerprint += std::to_string(st.Int(1));
      fingerprint += ';';
    });
    if (!s) return s;
  }
  if (!force && fingerprint == fingerprint_) return {};
  std::optional<std::pair<std::string, crypto::EcKey>> current;
  std::vector<std::pair<std::string, crypto::EcKey>> retired;
  Status failed;
  auto& st = conn_->Cached(
      "SELECT kid, private_sealed, retired_at FROM signing_keys "
      "WHERE publish_until IS NULL OR publish_until >= ? "
      "ORDER BY CASE WHEN retired_at IS NULL THEN 0 ELSE 1 END, retired_at DESC, kid");
  st.BindInt(1, now);
  auto s = st.ForEachRow([&] {
    if (!failed) return;
    std::string kid(st.Text(0));
    auto sealed = crypto::Base64UrlDecode(st.Text(1));
    if (!sealed) {
      failed = Fail("crypto.open_failed", "signing key " + kid + " is not readable");
      return;
    }
    auto pem = box_.Open(*sealed, SealAd(kid));
    if (!pem) {
      failed = Fail("crypto.open_failed",
                    "signing key " + kid + " does not open with DIR/identity.key");
      return;
    }
    auto key = crypto::EcKey::FromPrivatePem(*pem);
    if (!key) {
      failed = std::unexpected(key.error());
      return;
    }
    if (st.IsNull(2) && !current) {
      current.emplace(std::move(kid), std::move(*key));
    } else {
      retired.emplace_back(std::move(kid), std::move(*key));
    }
  });
  if (!s) return s;
  if (!failed) return failed;
  if (!current) return Fail("storage.sql", "the OIDC key ring has no current key");
  auto ring = std::make_shared<KeyRing>(current->second);
  ring->current_kid = current->first;
  ring->published.push_back(std::move(*current));
  for (auto& r : retired) ring->published.push_back(std::move(r));
  boost::json::array keys;
  for (const auto& [kid, key] : ring->published) keys.push_back(key.PublicJwk(kid));
  ring->jwks_json = boost::json::serialize(boost::json::object{{"keys", std::move(keys)}});
  fingerprint_ = std::move(fingerprint);
  std::unique_lock w(ring_mu_);
  ring_ = std::move(ring);
  return {};
}

std::shared_ptr<const KeyRing> SigningKeys::ring() const {
  int64_t now = clock_.Now().time_since_epoch().count();
  if (now - checked_at_us_.load(std::memory_order_relaxed) >= kRefreshUs) {
    std::unique_lock lock(conn_mu_, std::try_to_lock);
    // One thread checks; the others keep using the current ring meanwhile.
    if (lock.owns_lock() && now - checked_at_us_.load() >= kRefreshUs) {
      if (auto s = ReloadLocked(false); !s) {
        spdlog::warn("oidc: reloading the signing keys failed, keeping the previous ring: {}",
                     s.error().message);
      }
    }
  }
  std::shared_lock r(ring_mu_);
  return ring_;
}

}  // namespace dancu::identity
