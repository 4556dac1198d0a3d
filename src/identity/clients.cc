#include "identity/clients.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/jwks.h"
#include "crypto/random_token.h"

namespace dancu::identity {
namespace {

constexpr int64_t kRefreshUs = 1'000'000;  // one second
constexpr size_t kMaxUri = 2000;
constexpr size_t kMaxRedirectUris = 10;

bool HasControlOrSpace(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f;
  });
}

// The host of an "http://" or "https://" URI (after the scheme), or "" if
// there is none. "[::1]" keeps its brackets.
std::string_view HostOf(std::string_view rest) {
  size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  if (authority.find('@') != std::string_view::npos) return {};  // no userinfo
  if (authority.starts_with('[')) {
    size_t close = authority.find(']');
    return close == std::string_view::npos ? std::string_view{} : authority.substr(0, close + 1);
  }
  return authority.substr(0, authority.find(':'));
}

Status CheckUri(std::string_view uri, std::string_view code, bool allow_loopback_http) {
  if (uri.empty() || uri.size() > kMaxUri || HasControlOrSpace(uri) ||
      uri.find('#') != std::string_view::npos) {
    return Fail(std::string(code), "a URI must be absolute, at most 2000 characters, "
                                   "without spaces or a fragment: " + std::string(uri.substr(0, 200)));
  }
  std::string_view rest;
  bool https = uri.starts_with("https://");
  if (https) {
    rest = uri.substr(8);
  } else if (uri.starts_with("http://")) {
    rest = uri.substr(7);
  } else {
    return Fail(std::string(code), "the URI must use https: " + std::string(uri.substr(0, 200)));
  }
  std::string_view host = HostOf(rest);
  if (host.empty()) return Fail(std::string(code), "the URI has no host: " + std::string(uri));
  if (!https) {
    bool loopback = host == "localhost" || host == "127.0.0.1" || host == "[::1]";
    if (!allow_loopback_http || !loopback) {
      return Fail(std::string(code),
                  "http is allowed only on a loopback host (development): " + std::string(uri));
    }
  }
  return {};
}

Status CheckName(std::string_view name) {
  if (name.empty() || name.size() > 400) {
    return Fail("client.bad_name", "a client name has 1-100 characters", "name");
  }
  size_t code_points = 0;
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) return Fail("client.bad_name", "control character in the name", "name");
    if ((c & 0xC0) != 0x80) ++code_points;
  }
  if (code_points > 100) return Fail("client.bad_name", "a client name has 1-100 characters", "name");
  return {};
}

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

std::string_view ToString(ClientAuthMethod m) {
  switch (m) {
    case ClientAuthMethod::kSecretBasic: return "client_secret_basic";
    case ClientAuthMethod::kSecretPost: return "client_secret_post";
    case ClientAuthMethod::kPrivateKeyJwt: return "private_key_jwt";
  }
  return "client_secret_basic";
}

std::optional<ClientAuthMethod> ParseClientAuthMethod(std::string_view text) {
  if (text == "client_secret_basic") return ClientAuthMethod::kSecretBasic;
  if (text == "client_secret_post") return ClientAuthMethod::kSecretPost;
  if (text == "private_key_jwt") return ClientAuthMethod::kPrivateKeyJwt;
  return std::nullopt;
}

bool IsKnownScope(std::string_view scope) {
  return std::find(std::begin(kKnownScopes), std::end(kKnownScopes), scope) !=
         std::end(kKnownScopes);
}

std::vector<std::string> SplitSpaces(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = text.find(' ', i);
    if (j == std::string_view::npos) j = text.size();
    if (j > i) out.emplace_back(text.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::string JoinSpaces(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& i : items) {
    if (!s.empty()) s += ' ';
    s += i;
  }
  return s;
}

bool Client::HasRedirectUri(std::string_view uri) const { return Contains(redirect_uris, uri); }
bool Client::HasPostLogoutRedirectUri(std::string_view uri) const {
  return Contains(post_logout_redirect_uris, uri);
}
bool Client::AllowsScope(std::string_view scope) const { return Contains(scopes, scope); }

std::string HashClientSecret(std::string_view secret) {
  return crypto::HexEncode(crypto::AsBytes(crypto::Sha256(secret)));
}

bool Clients::CheckSecret(const Client& client, std::string_view secret) {
  if (client.secret_hash.empty()) return false;
  return crypto::ConstantTimeEqual(HashClientSecret(secret), client.secret_hash);
}

Clients::Clients(std::unique_ptr<storage::Connection> conn, const Clock& clock)
    : clock_(clock), conn_(std::move(conn)), table_(std::make_shared<Table>()) {}
Clients::~Clients() = default;

Result<std::unique_ptr<Clients>> Clients::Open(storage::Database& db, const Clock& clock) {
  auto conn = db.Connect();
  if (!conn) return std::unexpected(conn.error());
  std::unique_ptr<Clients> c(new Clients(std::move(*conn), clock));
  if (auto s = c->Reload(); !s) return std::unexpected(s.error());
  return c;
}

Result<NewClient> Clients::Add(const ClientSpec& spec) {
  if (auto s = CheckName(spec.name); !s) return std::unexpected(s.error());
  if (spec.redirect_uris.empty() || spec.redirect_uris.size() > kMaxRedirectUris) {
    return Fail("client.bad_redirect_uri", "a client has 1-10 redirect URIs", "redirect_uri");
  }
  for (const auto& u : spec.redirect_uris) {
    if (auto s = CheckUri(u, "client.bad_redirect_uri", true); !s) {
      return WithField(s.error(), "redirect_uri");
    }
  }
  if (spec.post_logout_redirect_uris.size() > kMaxRedirectUris) {
    return Fail("client.bad_redirect_uri", "at most 10 post-logout redirect URIs",
                "post_logout_redirect_uri");
  }
  for (const auto& u : spec.post_logout_redirect_uris) {
    if (auto s = CheckUri(u, "client.bad_redirect_uri", true); !s) {
      return WithField(s.error(), "post_logout_redirect_uri");
    }
  }
  if (!spec.logo_uri.empty()) {
    if (auto s = CheckUri(spec.logo_uri, "client.bad_logo_uri", false); !s) {
      return WithField(s.error(), "logo_uri");
    }
  }
  std::vector<std::string> scopes;
  for (const auto& s : spec.scopes) {
    if (!IsKnownScope(s)) {
      return Fail("client.bad_scope",
                  "unknown scope '" + s +
                      "' (known: openid profile address phone citizen_id offline_access)",
                  "scopes");
    }
    if (!Contains(scopes, s)) scopes.push_back(s);
  }
  if (!Contains(scopes, "openid")) {
    return Fail("client.bad_scope", "the scopes must include openid", "scopes");
  }
  if (spec.min_level != 1 && spec.min_level != 2) {
    return Fail("client.bad_level", "the minimum level is 1 or 2", "min_level");
  }
  std::string jwks_text;
  NewClient out;
  out.client_id = crypto::RandomToken(16);
  std::string secret_hash;
  if (spec.auth_method == ClientAuthMethod::kPrivateKeyJwt) {
    auto keys = crypto::ParseJwks(spec.jwks);
    if (!keys) return std::unexpected(keys.error());
    jwks_text = spec.jwks;
  } else {
    if (!spec.jwks.empty()) {
      return Fail("client.bad_auth_method", "a JWKS is only for private_key_jwt", "jwks");
    }
    out.client_secret = "dancu_cs_" + crypto::RandomToken(32);
    secret_hash = HashClientSecret(out.client_secret);
  }
  {
    std::lock_guard lock(conn_mu_);
    auto& st = conn_->Cached(
        "INSERT INTO clients (client_id, secret_hash, name, logo_uri, redirect_uris, "
        "post_logout_redirect_uris, scopes, min_level, auth_method, jwks, created_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    std::string redirect = JoinSpaces(spec.redirect_uris);
    std::string post_logout = JoinSpaces(spec.post_logout_redirect_uris);
    std::string scope_text = JoinSpaces(scopes);
    std::string created = FormatTimestamp(clock_.Now());
    st.BindText(1, out.client_id);
    st.BindText(2, secret_hash);
    st.BindText(3, spec.name);
    st.BindText(4, spec.logo_uri);
    st.BindText(5, redirect);
    st.BindText(6, post_logout);
    st.BindText(7, scope_text);
    st.BindInt(8, spec.min_level);
    st.BindText(9, ToString(spec.auth_method));
    st.BindText(10, jwks_text);
    st.BindText(11, created);
    if (auto s = st.Run(); !s) return std::unexpected(s.error());
  }
  if (auto s = Reload(); !s) return std::unexpected(s.error());
  return out;
}

Result<std::vector<Client>> Clients::LoadLocked() const {
  std::vector<Client> out;
  auto& st = conn_->Cached(
      "SELECT client_id, secret_hash, name, logo_uri, redirect_uris, post_logout_redirect_uris, "
      "scopes, min_level, auth_method, jwks, created_at, disabled FROM clients ORDER BY created_at, client_id");
  std::string bad;
  auto s = st.ForEachRow([&] {
    Client c;
    c.client_id = std::string(st.Text(0));
    c.secret_hash = std::string(st.Text(1));
    c.name = std::string(st.Text(2));
    c.logo_uri = std::string(st.Text(3));
    c.redirect_uris = SplitSpaces(st.Text(4));
    c.post_logout_redirect_uris = SplitSpaces(st.Text(5));
    c.scopes = SplitSpaces(st.Text(6));
    c.min_level = static_cast<int>(st.Int(7));
    c.auth_method = ParseClientAuthMethod(st.Text(8)).value_or(ClientAuthMethod::kSecretBasic);
    if (c.auth_method == ClientAuthMethod::kPrivateKeyJwt) {
      auto keys = crypto::ParseJwks(st.Text(9));
      if (keys) {
        c.keys = std::move(*keys);
      } else {
        bad = c.client_id;  // stored by Add, so valid; keep the client keyless
      }
    }
    c.created_at = std::string(st.Text(10));
    c.disabled = st.Int(11) != 0;
    out.push_back(std::move(c));
  });
  if (!s) return std::unexpected(s.error());
  if (!bad.empty()) spdlog::warn("oidc: client {} has an unreadable JWKS", bad);
  return out;
}

Result<std::vector<Client>> Clients::List() const {
  std::lock_guard lock(conn_mu_);
  return LoadLocked();
}

Status Clients::Disable(std::string_view client_id) {
  {
    std::lock_guard lock(conn_mu_);
    auto& st = conn_->Cached("UPDATE clients SET disabled = 1 WHERE client_id = ? RETURNING client_id");
    st.BindText(1, client_id);
    auto row = st.Step();
    st.Reset();
    if (!row) return std::unexpected(row.error());
    if (!*row) return Fail("client.not_found", "no client " + std::string(client_id), "client_id");
  }
  return Reload();
}

Status Clients::Reload() const { return Reload(/*only_if_stale=*/false); }

Status Clients::Reload(bool only_if_stale) const {
  std::lock_guard lock(conn_mu_);
  if (only_if_stale && clock_.Now().time_since_epoch().count() -
                               loaded_at_us_.load(std::memory_order_relaxed) < kRefreshUs) {
    return {};  // another thread reloaded while this one waited
  }
  loaded_at_us_ = clock_.Now().time_since_epoch().count();
  auto list = LoadLocked();
  if (!list) return std::unexpected(list.error());
  auto table = std::make_shared<Table>();
  for (auto& c : *list) {
    if (c.disabled) continue;
    std::string id = c.client_id;
    table->emplace(std::move(id), std::make_shared<const Client>(std::move(c)));
  }
  std::unique_lock w(table_mu_);
  table_ = std::move(table);
  return {};
}

std::shared_ptr<const Client> Clients::Find(std::string_view client_id) const {
  int64_t now = clock_.Now().time_since_epoch().count();
  if (now - loaded_at_us_.load(std::memory_order_relaxed) >= kRefreshUs) {
    if (auto s = Reload(/*only_if_stale=*/true); !s) {
      spdlog::warn("oidc: reloading clients failed, keeping the previous copy: {}",
                   s.error().message);
    }
  }
  std::shared_lock r(table_mu_);
  auto it = table_->find(std::string(client_id));
  return it == table_->end() ? nullptr : it->second;
}

}  // namespace dancu::identity
