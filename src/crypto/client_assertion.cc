#include "crypto/client_assertion.h"

#include <algorithm>

#include "crypto/jwt.h"

namespace dancu::crypto {
namespace {

std::unexpected<Error> Reject(std::string why) {
  return Fail("client.assertion", std::move(why), "client_assertion");
}

std::string_view StringOf(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->as_string()) : std::string_view{};
}

}  // namespace

Result<ClientAssertion> VerifyClientAssertion(std::string_view jwt, const KeysForClient& keys_for,
                                              const std::vector<std::string>& audiences,
                                              Timestamp now, std::chrono::seconds leeway,
                                              std::chrono::seconds max_ahead) {
  auto unverified = UnverifiedClaims(jwt);
  if (!unverified) return Reject("malformed client assertion");
  std::string iss(StringOf(*unverified, "iss"));
  if (iss.empty()) return Reject("the assertion names no client (iss)");
  const JwkSet* keys = keys_for(iss);
  if (keys == nullptr) return Fail("client.unknown", "client authentication failed", "client_id");
  auto verified = VerifyJwt(jwt, [keys](std::string_view kid) { return keys->KeyFor(kid); });
  if (!verified) return Reject("client assertion rejected: " + verified.error().code);
  const boost::json::object& c = *verified;
  if (StringOf(c, "sub") != iss) return Reject("the assertion's sub must equal its iss");
  if (auto t = CheckTimeClaims(c, now, leeway); !t) {
    return Reject("client assertion rejected: " + t.error().code);
  }
  const auto* exp_value = c.if_contains("exp");
  boost::system::error_code ec;
  const int64_t exp_seconds = exp_value ? exp_value->to_number<int64_t>(ec) : 0;
  if (!exp_value || ec) return Reject("the assertion needs an exp");
  const int64_t* exp = &exp_seconds;
  int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  if (*exp > now_s + max_ahead.count()) {
    return Reject("the assertion's exp is more than " + std::to_string(max_ahead.count() / 60) +
                  " minutes ahead");
  }
  std::vector<std::string_view> auds;
  if (const auto* a = c.if_contains("aud"); a && a->is_string()) {
    auds.emplace_back(a->as_string());
  } else if (a && a->is_array()) {
    for (const auto& e : a->as_array()) {
      if (e.is_string()) auds.emplace_back(e.as_string());
    }
  }
  bool aud_ok = std::any_of(auds.begin(), auds.end(), [&](std::string_view x) {
    return std::find(audiences.begin(), audiences.end(), x) != audiences.end();
  });
  if (!aud_ok) return Reject("the assertion's aud must be the issuer or the endpoint");
  std::string_view jti = StringOf(c, "jti");
  if (jti.empty() || jti.size() > 256) return Reject("the assertion needs a jti");
  return ClientAssertion{std::move(iss), std::string(jti), *exp};
}

}  // namespace dancu::crypto
