#include "hub/policy.h"

#include <algorithm>
#include <cmath>

#include "core/admin_units.h"
#include "hub/personal_fields.h"
#include "hub/webhook_subscriptions.h"

namespace dancu::hub {
namespace {

constexpr double kMaxRateLimit = 1e6;
constexpr int64_t kMaxDailyQuota = int64_t{1} << 40;

std::unexpected<Error> Invalid(std::string message, std::string field) {
  return Fail("policy.invalid", std::move(message), std::move(field));
}

// A JSON array of strings, each accepted by `valid`, sorted and unique.
Result<std::vector<std::string>> StringSet(const boost::json::value* v, std::string_view field,
                                           const auto& valid, std::string_view what) {
  std::vector<std::string> out;
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_array()) return Invalid(std::string(field) + " must be an array", std::string(field));
  for (const auto& item : v->as_array()) {
    if (!item.is_string() || !valid(std::string_view(item.as_string()))) {
      return Invalid(std::string(field) + ": " + std::string(what), std::string(field));
    }
    out.emplace_back(item.as_string());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool ValidPurpose(std::string_view p) {
  if (p.size() < 2 || p.size() > 64) return false;
  return std::all_of(p.begin(), p.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

bool Contains(const std::vector<std::string>& sorted, std::string_view s) {
  return std::binary_search(sorted.begin(), sorted.end(), s);
}

boost::json::array ToArray(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

}  // namespace

bool Policy::AllowsField(std::string_view field) const { return Contains(fields, field); }

bool Policy::FeedAllows(std::string_view type, std::string_view province_code) const {
  if (!Allows(Operation::kFeed) || !Contains(feed_event_types, type)) return false;
  return feed_provinces.empty() || Contains(feed_provinces, province_code);
}

Result<Policy> ParsePolicy(const boost::json::value& json) {
  if (!json.is_object()) return Invalid("a policy is a JSON object", "");
  const auto& o = json.as_object();
  for (const auto& m : o) {
    static constexpr std::string_view kKnown[] = {"operations", "fields",      "purpose",
                                                  "rate_limit", "daily_quota", "feed"};
    if (std::find(std::begin(kKnown), std::end(kKnown), m.key()) == std::end(kKnown)) {
      return Invalid("unknown member " + std::string(m.key()), std::string(m.key()));
    }
  }
  Policy p;
  auto ops = StringSet(o.if_contains("operations"), "operations",
                       [](std::string_view s) { return ParseOperation(s).has_value(); },
                       "verify, match, reconcile, ekyc, feed or submit-sectoral-data");
  if (!ops) return std::unexpected(ops.error());
  for (const auto& s : *ops) p.operations |= Bit(*ParseOperation(s));
  auto fields = StringSet(o.if_contains("fields"), "fields", IsPersonalField,
                          "each a personal field name (docs/api.md, \"Policies\")");
  if (!fields) return std::unexpected(fields.error());
  p.fields = std::move(*fields);
  if (const auto* v = o.if_contains("purpose");
      v != nullptr && !v->is_null() && !(v->is_string() && v->as_string().empty())) {
    if (!v->is_string() || !ValidPurpose(v->as_string())) {
      return Invalid("purpose is a code of 2-64 characters [A-Z0-9._-]", "purpose");
    }
    p.purpose = v->as_string();
  }
  if (p.Allows(Operation::kEkyc) && p.purpose.empty()) {
    return Invalid("a policy that allows ekyc names its legal purpose", "purpose");
  }
  if (const auto* v = o.if_contains("rate_limit"); v != nullptr && !v->is_null()) {
    boost::system::error_code ec;
    double n = v->is_number() ? v->to_number<double>(ec) : -1;
    if (ec || !std::isfinite(n) || n < 0 || n > kMaxRateLimit) {
      return Invalid("rate_limit is requests per second, 0-1000000", "rate_limit");
    }
    p.rate_limit = n;
  }
  if (const auto* v = o.if_contains("daily_quota"); v != nullptr && !v->is_null()) {
    if (!v->is_int64() || v->as_int64() < 0 || v->as_int64() > kMaxDailyQuota) {
      if (!(v->is_uint64() && v->as_uint64() <= static_cast<uint64_t>(kMaxDailyQuota))) {
        return Invalid("daily_quota is a whole number of requests, 0 or more", "daily_quota");
      }
    }
    p.daily_quota = v->to_number<int64_t>();
  }
  if (const auto* v = o.if_contains("feed"); v != nullptr && !v->is_null()) {
    if (!v->is_object()) return Invalid("feed must be an object", "feed");
    const auto& f = v->as_object();
    for (const auto& m : f) {
      if (m.key() != "event_types" && m.key() != "provinces") {
        return Invalid("unknown member feed." + std::string(m.key()), "feed." + std::string(m.key()));
      }
    }
    auto types = StringSet(
        f.if_contains("event_types"), "feed.event_types",
        [](std::string_view s) {
          return std::find(std::begin(kWebhookEventTypes), std::end(kWebhookEventTypes), s) !=
                 std::end(kWebhookEventTypes);
        },
        "each a register event type (birth, death, residence, ...)");
    if (!types) return std::unexpected(types.error());
    p.feed_event_types = std::move(*types);
    auto provinces = StringSet(
        f.if_contains("provinces"), "feed.provinces",
        [](std::string_view s) { return AdminUnits::Get().FindProvince(s) != nullptr; },
        "each a 2-digit province code of the current administrative units");
    if (!provinces) return std::unexpected(provinces.error());
    p.feed_provinces = std::move(*provinces);
  }
  return p;
}

boost::json::object PolicyToJson(const Policy& p) {
  boost::json::object o;
  boost::json::array ops;
  for (Operation op : kOperations) {
    if (p.Allows(op)) ops.emplace_back(ToString(op));
  }
  o["operations"] = std::move(ops);
  o["fields"] = ToArray(p.fields);
  o["purpose"] = p.purpose;
  o["rate_limit"] = p.rate_limit;
  o["daily_quota"] = p.daily_quota;
  o["feed"] = {{"event_types", ToArray(p.feed_event_types)},
               {"provinces", ToArray(p.feed_provinces)}};
  return o;
}

}  // namespace dancu::hub
