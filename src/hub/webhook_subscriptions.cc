#include "hub/webhook_subscriptions.h"

#include <algorithm>
#include <charconv>

#include "core/admin_units.h"
#include "crypto/random_token.h"
#include "hub/comma_list.h"

namespace dancu::hub {
namespace {

constexpr size_t kMaxUrl = 2048;

bool ValidAgencyName(std::string_view n) {
  if (n.empty() || n.size() > 64) return false;
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (!alnum(n[0])) return false;
  return std::all_of(n.begin(), n.end(),
                     [&](char c) { return alnum(c) || c == '.' || c == '_' || c == '-'; });
}

bool IsLoopbackV4(std::string_view host) {
  // Four decimal octets, the first 127.
  int parts = 0;
  int first = -1;
  while (true) {
    size_t dot = host.find('.');
    std::string_view p = host.substr(0, dot);
    int v = 0;
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), v);
    if (p.empty() || p.size() > 3 || ec != std::errc() || end != p.data() + p.size() || v > 255)
      return false;
    if (parts == 0) first = v;
    ++parts;
    if (dot == std::string_view::npos) break;
    host.remove_prefix(dot + 1);
  }
  return parts == 4 && first == 127;
}

}  // namespace

Result<WebhookTarget> ParseWebhookUrl(std::string_view url) {
  auto bad = [&](std::string why) { return Fail("webhook.bad_url", std::move(why), "url"); };
  if (url.size() > kMaxUrl) return bad("the URL is longer than 2048 characters");
  WebhookTarget t;
  std::string_view rest;
  if (url.starts_with("https://")) {
    t.tls = true;
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    return bad("the URL must start with https:// (or http:// to a loopback host)");
  }
  for (char c : rest) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f || c == '#')
      return bad("the URL may not contain spaces, control characters, non-ASCII or a fragment");
  }
  size_t slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  t.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (t.target[0] == '?') t.target.insert(0, "/");
  if (authority.find('@') != std::string_view::npos) return bad("the URL may not carry user info");
  std::string_view host, port;
  if (authority.starts_with("[")) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("unclosed [ in the host");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return bad("junk after the host");
      port = after.substr(1);
    }
  } else {
    size_t colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (host.empty()) return bad("the URL has no host");
  bool bracketed = authority.starts_with("[");
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || (bracketed && c == ':');
    if (!ok) return bad("the host may contain only letters, digits, '.' and '-'");
  }
  bool loopback = host == "localhost" || host == "::1" || IsLoopbackV4(host);
  if (!t.tls && !loopback) {
    return bad("plain http is allowed only to a loopback host (127.0.0.0/8, [::1], localhost); "
               "use https://");
  }
  if (port.empty()) {
    t.port = t.tls ? "443" : "80";
  } else {
    int v = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
    if (ec != std::errc() || end != port.data() + port.size() || v < 1 || v > 65535)
      return bad("the port must be 1-65535");
    t.port = std::to_string(v);
  }
  t.host = std::string(host);
  return t;
}

WebhookSubscriptions::WebhookSubscriptions(std::unique_ptr<storage::Connection> conn,
                                           const Clock& clock, AgencyCheck agency_exists)
    : conn_(std::move(conn)), clock_(clock), agency_exists_(std::move(agency_exists)) {}

Result<std::unique_ptr<WebhookSubscriptions>> WebhookSubscriptions::Open(storage::Database& hub_db,
                                                                         const Clock& clock,
                                                                         AgencyCheck agency_exists) {
  auto conn = hub_db.Connect();
  if (!conn) return std::unexpected(conn.error());
  return std::unique_ptr<WebhookSubscriptions>(
      new WebhookSubscriptions(std::move(*conn), clock, std::move(agency_exists)));
}

Result<WebhookSubscription> WebhookSubscriptions::Create(const NewWebhookSubscription& s) {
  if (!ValidAgencyName(s.agency)) {
    return Fail("webhook.bad_agency",
                "the agency name must be 1-64 characters of A-Z a-z 0-9 . _ -", "agency");
  }
  if (agency_exists_) {
    auto exists = agency_exists_(s.agency);
    if (!exists) return std::unexpected(exists.error());
    if (!*exists) {
      return Fail("webhook.unknown_agency", "no agency named " + s.agency + " (dancu agencies add)",
                  "agency");
    }
  }
  if (auto t = ParseWebhookUrl(s.url); !t) return std::unexpected(t.error());
  if (s.event_types.empty()) {
    return Fail("webhook.bad_event_type", "name at least one event type", "events");
  }
  std::vector<std::string> types;
  for (const std::string& e : s.event_types) {
    if (std::find(std::begin(kWebhookEventTypes), std::end(kWebhookEventTypes), e) ==
        std::end(kWebhookEventTypes)) {
      return Fail("webhook.bad_event_type",
                  "unknown event type \"" + e +
                      "\" (birth, death, residence, correction, marriage, divorce, "
                      "household_split, household_head_change)",
                  "events");
    }
    if (std::find(types.begin(), types.end(), e) == types.end()) types.push_back(e);
  }
  std::vector<std::string> provinces;
  for (const std::string& p : s.provinces) {
    if (p.size() != 2 || AdminUnits::Get().FindProvince(p) == nullptr) {
      return Fail("webhook.bad_province", "unknown province code \"" + p + "\" (two digits)",
                  "provinces");
    }
    if (std::find(provinces.begin(), provinces.end(), p) == provinces.end()) provinces.push_back(p);
  }
  WebhookSubscription out;
  out.agency = s.agency;
  out.url = s.url;
  out.event_types = std::move(types);
  out.provinces = std::move(provinces);
  out.created_at = FormatTimestamp(clock_.Now());
  out.secret = "whsec_" + crypto::RandomToken(32);
  std::lock_guard lock(mu_);
  auto& st = conn_->Cached(
      "INSERT INTO webhook_subscriptions (agency, url, secret, event_types, provinces, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
  std::string types_text = JoinCommaList(out.event_types);
  std::string provinces_text = JoinCommaList(out.provinces);
  st.BindText(1, out.agency);
  st.BindText(2, out.url);
  st.BindText(3, out.secret);
  st.BindText(4, types_text);
  st.BindText(5, provinces_text);
  st.BindText(6, out.created_at);
  if (auto s2 = st.ForEachRow([&] { out.id = st.Int(0); }); !s2) return std::unexpected(s2.error());
  return out;
}

Result<std::vector<WebhookSubscription>> WebhookSubscriptions::Load(bool active_only,
                                                                    bool secrets) const {
  std::lock_guard lock(mu_);
  auto& st = conn_->Cached(
      active_only ? "SELECT id, agency, url, secret, event_types, provinces, created_at, disabled "
                    "FROM webhook_subscriptions WHERE disabled = 0 ORDER BY id"
                  : "SELECT id, agency, url, secret, event_types, provinces, created_at, disabled "
                    "FROM webhook_subscriptions ORDER BY id");
  std::vector<WebhookSubscription> out;
  auto s = st.ForEachRow([&] {
    WebhookSubscription w;
    w.id = st.Int(0);
    w.agency = std::string(st.Text(1));
    w.url = std::string(st.Text(2));
    if (secrets) w.secret = std::string(st.Text(3));
    w.event_types = SplitCommaList(st.Text(4));
    w.provinces = SplitCommaList(st.Text(5));
    w.created_at = std::string(st.Text(6));
    w.disabled = st.Int(7) != 0;
    out.push_back(std::move(w));
  });
  if (!s) return std::unexpected(s.error());
  return out;
}

Result<std::vector<WebhookSubscription>> WebhookSubscriptions::List() const {
  return Load(false, false);
}

Result<std::vector<WebhookSubscription>> WebhookSubscriptions::ActiveWithSecrets() const {
  return Load(true, true);
}

Status WebhookSubscriptions::Remove(int64_t id) {
  std::lock_guard lock(mu_);
  auto& st = conn_->Cached(
      "UPDATE webhook_subscriptions SET disabled = 1 WHERE id = ? AND disabled = 0 RETURNING id");
  st.BindInt(1, id);
  bool found = false;
  if (auto s = st.ForEachRow([&] { found = true; }); !s) return s;
  if (!found) {
    return Fail("webhook.not_found", "no active webhook subscription " + std::to_string(id), "id");
  }
  return {};
}

}  // namespace dancu::hub
