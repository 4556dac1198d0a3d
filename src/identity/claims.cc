#include "identity/claims.h"

#include <algorithm>

#include "core/admin_units.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace dancu::identity {
namespace {

bool Has(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

boost::json::object AddressClaim(const Address& a) {
  const AdminUnits& units = AdminUnits::Get();
  const Commune* commune = units.FindCommune(a.commune_code);
  const Province* province = commune ? units.FindProvince(commune->province_code) : nullptr;
  const std::string locality = commune ? commune->full_name : std::string();
  const std::string region = province ? province->full_name : std::string();
  std::string formatted;
  for (const std::string* part : {&a.street, &locality, &region}) {
    if (part->empty()) continue;
    if (!formatted.empty()) formatted += ", ";
    formatted += *part;
  }
  formatted += formatted.empty() ? "Việt Nam" : ", Việt Nam";
  boost::json::object o;
  o["formatted"] = formatted;
  if (!a.street.empty()) o["street_address"] = a.street;
  if (!locality.empty()) o["locality"] = locality;
  if (!region.empty()) o["region"] = region;
  o["country"] = "Việt Nam";
  return o;
}

}  // namespace

std::string PairwiseSubject(std::string_view secret, std::string_view client_id, CitizenId id) {
  std::string data(client_id);
  data += '|';
  data += id.ToString();
  return crypto::Base64UrlEncode(crypto::AsBytes(crypto::HmacSha256(secret, data)));
}

boost::json::object UserClaims(const registry::Citizen& citizen, const Account& account,
                               const std::vector<std::string>& scopes, std::string_view sub) {
  boost::json::object o;
  o["sub"] = sub;
  if (Has(scopes, "citizen_id")) o["citizen_id"] = citizen.id.ToString();
  if (Has(scopes, "profile")) {
    const PersonName& n = citizen.full_name;
    o["name"] = n.text();
    if (!n.family().empty()) o["family_name"] = n.family();
    if (!n.given().empty()) o["given_name"] = n.given();
    if (!n.middle().empty()) o["middle_name"] = n.middle();
    o["gender"] = ToString(citizen.sex);
    o["birthdate"] = citizen.date_of_birth.ToString();
  }
  if (Has(scopes, "address")) o["address"] = AddressClaim(citizen.permanent_residence);
  if (Has(scopes, "phone") && !account.phone.empty()) {
    o["phone_number"] = account.phone;
    o["phone_number_verified"] = true;
  }
  return o;
}

std::vector<std::string_view> ClaimsOfScope(std::string_view scope) {
  if (scope == "profile") {
    return {"name", "family_name", "given_name", "middle_name", "gender", "birthdate"};
  }
  if (scope == "address") return {"address"};
  if (scope == "phone") return {"phone_number", "phone_number_verified"};
  if (scope == "citizen_id") return {"citizen_id"};
  return {};
}

}  // namespace dancu::identity
