#include "api/request_fields.h"

#include <sodium.h>

#include <charconv>

namespace dancu::api {

Result<CitizenId> IdField(http::JsonFields& f, std::string_view key) {
  auto text = f.RequireString(key);
  if (!text) return std::unexpected(text.error());
  auto id = CitizenId::Parse(*text);
  if (!id) return WithField(id.error(), std::string(key));
  return *id;
}

Result<std::optional<CitizenId>> OptionalIdField(http::JsonFields& f, std::string_view key) {
  auto text = f.OptionalString(key);
  if (!text) return std::unexpected(text.error());
  if (!*text) return std::optional<CitizenId>();
  auto id = CitizenId::Parse(**text);
  if (!id) return WithField(id.error(), std::string(key));
  return std::optional<CitizenId>(*id);
}

Result<PartialDate> DateField(http::JsonFields& f, std::string_view key, const Clock& clock) {
  auto text = f.RequireString(key);
  if (!text) return std::unexpected(text.error());
  auto d = PartialDate::Parse(*text, clock.Today());
  if (!d) return WithField(d.error(), std::string(key));
  return *d;
}

Result<std::optional<PartialDate>> OptionalDateField(http::JsonFields& f, std::string_view key,
                                                     const Clock& clock) {
  auto text = f.OptionalString(key);
  if (!text) return std::unexpected(text.error());
  if (!*text) return std::optional<PartialDate>();
  auto d = PartialDate::Parse(**text, clock.Today());
  if (!d) return WithField(d.error(), std::string(key));
  return std::optional<PartialDate>(*d);
}

Result<std::optional<PartialDate>> OptionalEndDateField(http::JsonFields& f, std::string_view key) {
  auto text = f.OptionalString(key);
  if (!text) return std::unexpected(text.error());
  if (!*text) return std::optional<PartialDate>();
  constexpr std::chrono::year_month_day kNoLimit{std::chrono::year{9999}, std::chrono::December,
                                                 std::chrono::day{31}};
  auto d = PartialDate::Parse(**text, kNoLimit);
  if (!d) return WithField(d.error(), std::string(key));
  return std::optional<PartialDate>(*d);
}

Result<PersonName> NameField(http::JsonFields& f, std::string_view key) {
  auto text = f.RequireString(key);
  if (!text) return std::unexpected(text.error());
  auto n = PersonName::Parse(*text);
  if (!n) return WithField(n.error(), std::string(key));
  return *n;
}

Result<Sex> SexField(http::JsonFields& f, std::string_view key) {
  auto text = f.RequireString(key);
  if (!text) return std::unexpected(text.error());
  if (*text == "male") return Sex::kMale;
  if (*text == "female") return Sex::kFemale;
  return Fail("request.bad_parameter", "sex is \"male\" or \"female\"", std::string(key));
}

Result<registry::Relationship> RelationshipValue(std::string_view text, std::string_view field) {
  auto r = registry::ParseRelationship(text);
  if (!r) {
    return Fail("request.bad_parameter",
                "unknown relationship \"" + std::string(text) +
                    "\" (head, spouse, child, parent, sibling, grandchild, grandparent, "
                    "child_in_law, other_relative, other)",
                std::string(field));
  }
  return *r;
}

Result<Address> AddressValue(const boost::json::object& o, std::string_view field) {
  http::JsonFields f(o);
  auto street = f.RequireString("address");
  if (!street) return WithField(street.error(), std::string(field) + ".address");
  if (street->empty() || !IsValidUtf8(*street) || street->size() > 500) {
    return Fail("request.bad_parameter", "the street line must be 1-500 bytes of UTF-8",
                std::string(field) + ".address");
  }
  auto code = f.OptionalString("commune_code");
  if (!code) return WithField(code.error(), std::string(field) + ".commune_code");
  auto old_code = f.OptionalString("old_commune_code");
  if (!old_code) return WithField(old_code.error(), std::string(field) + ".old_commune_code");
  if (auto s = f.Finish(); !s) {
    Error e = s.error();
    e.field = std::string(field) + "." + e.field;
    return std::unexpected(e);
  }
  const AdminUnits& units = AdminUnits::Get();
  if (*code && !*old_code) {
    if (units.FindCommune(**code) == nullptr) {
      return Fail("admin.unknown_commune", "no current commune with code " + **code,
                  std::string(field) + ".commune_code");
    }
    return Address{**code, *street};
  }
  if (*old_code && !*code) {
    auto a = units.ConvertOldAddress(**old_code, *street);
    if (!a) return WithField(a.error(), std::string(field) + ".old_commune_code");
    return *a;
  }
  return Fail("request.missing_field", "give exactly one of commune_code or old_commune_code",
              std::string(field) + ".commune_code");
}

Result<std::optional<Address>> OptionalAddressField(http::JsonFields& f, std::string_view key) {
  auto o = f.OptionalObject(key);
  if (!o) return std::unexpected(o.error());
  if (*o == nullptr) return std::optional<Address>();
  auto a = AddressValue(**o, key);
  if (!a) return std::unexpected(a.error());
  return std::optional<Address>(*a);
}

Result<registry::WriteContext> WriteContextFor(const http::RequestContext& ctx) {
  registry::WriteContext w;
  w.actor = ctx.principal.id.empty() ? "anonymous" : ctx.principal.id;
  if (auto key = ctx.header("Idempotency-Key")) {
    bool ok = !key->empty() && key->size() <= 255;
    for (char ch : *key) ok = ok && ch > 0x20 && ch < 0x7f;
    if (!ok) {
      return Fail("request.bad_parameter",
                  "Idempotency-Key must be 1-255 visible ASCII characters", "Idempotency-Key");
    }
    w.idempotency_key = std::string(*key);
    // The key is bound to the exact request: method, path and body.
    std::string material = std::string(boost::beast::http::to_string(ctx.method()));
    material += ' ';
    material += ctx.path();
    material += '\n';
    material += ctx.body();
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(material.data()),
                       material.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    w.request_hash = hex;
  }
  return w;
}

Result<int64_t> IntQuery(const http::RequestContext& ctx, std::string_view key, int64_t fallback,
                         int64_t min, int64_t max) {
  auto text = ctx.query(key);
  if (!text) return fallback;
  int64_t v = 0;
  auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || p != text->data() + text->size() || v < min || v > max) {
    return Fail("request.bad_parameter",
                std::string(key) + " must be an integer in [" + std::to_string(min) + ", " +
                    std::to_string(max) + "]",
                std::string(key));
  }
  return v;
}

}  // namespace dancu::api
