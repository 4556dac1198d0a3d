#include "verify/agency_keys.h"

#include <openssl/crypto.h>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <array>
#include <cstring>
#include <unordered_map>

#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace dancu::verify {
namespace {

using crypto::Digest;
using crypto::Sha256;

constexpr int64_t kRefreshUs = 1'000'000;  // one second
constexpr size_t kRandomBytes = 32;

std::optional<Digest> FromHex(std::string_view s) {
  Digest d{};
  if (s.size() != 64) return std::nullopt;
  size_t bin_len = 0;
  if (sodium_hex2bin(d.data(), d.size(), s.data(), s.size(), nullptr, &bin_len, nullptr) != 0 ||
      bin_len != d.size()) {
    return std::nullopt;
  }
  return d;
}

uint64_t Bucket(const Digest& d) {
  uint64_t b;
  std::memcpy(&b, d.data(), sizeof b);
  return b;
}

Status CheckName(std::string_view name) {
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  bool ok = !name.empty() && name.size() <= 64 && alnum(name.front());
  for (char c : name) ok = ok && (alnum(c) || c == '.' || c == '_' || c == '-');
  if (!ok) {
    return Fail("agency.bad_name",
                "an agency name is 1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter "
                "or digit",
                "name");
  }
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "admin") return Fail("agency.bad_name", "\"admin\" is reserved", "name");
  return {};
}

}  // namespace

struct AgencyKeys::Table {
  struct Item {
    Digest hash;
    std::string name;
  };
  std::unordered_map<uint64_t, std::vector<Item>> by_bucket;
};

std::string HashAgencyKey(std::string_view key) {
  return crypto::HexEncode(crypto::AsBytes(Sha256(key)));
}

AgencyKeys::AgencyKeys(std::unique_ptr<storage::Connection> conn, const Clock& clock)
    : clock_(clock), conn_(std::move(conn)), table_(std::make_shared<Table>()) {}

AgencyKeys::~AgencyKeys() = default;

Result<std::unique_ptr<AgencyKeys>> AgencyKeys::Open(storage::Database& db, const Clock& clock) {
  auto conn = db.Connect();
  if (!conn) return std::unexpected(conn.error());
  std::unique_ptr<AgencyKeys> keys(new AgencyKeys(std::move(*conn), clock));
  if (auto s = keys->Reload(); !s) return std::unexpected(s.error());
  return keys;
}

Status AgencyKeys::Reload() const {
  std::lock_guard lock(conn_mu_);
  return ReloadLocked();
}

Status AgencyKeys::ReloadLocked() const {
  loaded_at_us_ = clock_.Now().time_since_epoch().count();
  auto table = std::make_shared<Table>();
  auto& q = conn_->Cached("SELECT name, key_hash FROM agencies WHERE disabled = 0");
  auto s = q.ForEachRow([&] {
    auto hash = FromHex(q.Text(1));
    if (!hash) std::abort();  // written by Add: the table is corrupt
    table->by_bucket[Bucket(*hash)].push_back({*hash, std::string(q.Text(0))});
  });
  if (!s) return s;
  std::unique_lock lock(table_mu_);
  table_ = std::move(table);
  return {};
}

Result<std::string> AgencyKeys::Add(std::string_view name, Random& random) {
  if (auto s = CheckName(name); !s) return std::unexpected(s.error());
  unsigned char bytes[kRandomBytes];
  for (size_t i = 0; i < kRandomBytes; i += 8) {
    uint64_t r = random.Next();
    std::memcpy(bytes + i, &r, 8);
  }
  char b64[sodium_base64_ENCODED_LEN(kRandomBytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(b64, sizeof b64, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(bytes, sizeof bytes);
  std::string key = std::string(kAgencyKeyPrefix) + b64;
  {
    std::lock_guard lock(conn_mu_);
    auto& ins = conn_->Cached(
        "INSERT INTO agencies (name, key_hash, created_at, disabled) VALUES (?, ?, ?, 0)");
    std::string hash = HashAgencyKey(key);
    std::string at = FormatTimestamp(clock_.Now());
    ins.BindText(1, name);
    ins.BindText(2, hash);
    ins.BindText(3, at);
    auto s = ins.Run();
    ins.Reset();
    if (!s) {
      if (s.error().code == "storage.constraint") {
        return Fail("agency.exists", "an agency named \"" + std::string(name) + "\" exists",
                    "name");
      }
      return std::unexpected(s.error());
    }
  }
  if (auto s = Reload(); !s) return std::unexpected(s.error());
  return key;
}

Result<std::vector<Agency>> AgencyKeys::List() const {
  std::lock_guard lock(conn_mu_);
  auto& q = conn_->Cached("SELECT id, name, created_at, disabled FROM agencies ORDER BY name");
  std::vector<Agency> out;
  auto s = q.ForEachRow([&] {
    out.push_back(Agency{q.Int(0), std::string(q.Text(1)), std::string(q.Text(2)), q.Int(3) != 0});
  });
  if (!s) return std::unexpected(s.error());
  return out;
}

Status AgencyKeys::Disable(std::string_view name) {
  {
    std::lock_guard lock(conn_mu_);
    auto& q = conn_->Cached("UPDATE agencies SET disabled = 1 WHERE name = ? RETURNING id");
    q.BindText(1, name);
    auto row = q.Step();
    bool found = row && *row;
    if (found) row = q.Step();  // run the statement to completion
    q.Reset();
    if (!row) return std::unexpected(row.error());
    if (!found) {
      return Fail("agency.not_found", "no agency named \"" + std::string(name) + "\"", "name");
    }
  }
  return Reload();
}

std::optional<std::string> AgencyKeys::Authenticate(std::string_view key) const {
  if (!key.starts_with(kAgencyKeyPrefix)) return std::nullopt;
  int64_t now = clock_.Now().time_since_epoch().count();
  if (now - loaded_at_us_.load(std::memory_order_relaxed) >= kRefreshUs) {
    // One request reloads; the others go on with the current copy meanwhile
    // (for the length of one small SELECT) instead of queueing behind it.
    std::unique_lock lock(conn_mu_, std::try_to_lock);
    if (lock.owns_lock() && now - loaded_at_us_.load(std::memory_order_relaxed) >= kRefreshUs) {
      if (auto s = ReloadLocked(); !s) {
        spdlog::warn("agencies: reloading keys failed, using the previous copy: {} ({})",
                     s.error().message, s.error().code);
      }
    }
  }
  Digest hash = Sha256(key);
  std::shared_ptr<const Table> table;
  {
    std::shared_lock lock(table_mu_);
    table = table_;
  }
  auto it = table->by_bucket.find(Bucket(hash));
  if (it == table->by_bucket.end()) return std::nullopt;
  for (const auto& item : it->second) {
    if (CRYPTO_memcmp(item.hash.data(), hash.data(), hash.size()) == 0) return item.name;
  }
  return std::nullopt;
}

}  // namespace dancu::verify
