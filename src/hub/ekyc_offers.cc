#include "hub/ekyc_offers.h"

#include <algorithm>
#include <map>
#include <utility>

namespace dancu::hub {

Result<std::vector<EkycOffer>> EkycOffers(const Members& members) {
  auto agencies = members.ListAgencies();
  if (!agencies) return std::unexpected(agencies.error());
  auto clients = members.ListClients();
  if (!clients) return std::unexpected(clients.error());
  std::map<std::pair<std::string, std::string>, EkycOffer> by_key;
  for (const AgencyClientInfo& client : *clients) {
    if (client.disabled || !client.policy) continue;
    const Policy& p = *client.policy;
    if (!p.Allows(Operation::kEkyc) || p.purpose.empty() || p.fields.empty()) continue;
    auto agency = std::find_if(agencies->begin(), agencies->end(),
                               [&](const AgencyInfo& a) { return a.name == client.agency; });
    if (agency == agencies->end() || agency->disabled) continue;
    EkycOffer& offer = by_key[{client.agency, p.purpose}];
    offer.agency = client.agency;
    offer.display_name = agency->display_name.empty() ? agency->name : agency->display_name;
    offer.purpose = p.purpose;
    offer.fields.insert(offer.fields.end(), p.fields.begin(), p.fields.end());
  }
  std::vector<EkycOffer> out;
  for (auto& [key, offer] : by_key) {
    std::sort(offer.fields.begin(), offer.fields.end());
    offer.fields.erase(std::unique(offer.fields.begin(), offer.fields.end()), offer.fields.end());
    out.push_back(std::move(offer));
  }
  return out;
}

Result<std::optional<EkycOffer>> FindEkycOffer(const Members& members, std::string_view agency,
                                               std::string_view purpose) {
  auto offers = EkycOffers(members);
  if (!offers) return std::unexpected(offers.error());
  std::optional<EkycOffer> found;
  for (EkycOffer& o : *offers) {
    if (o.agency != agency) continue;
    if (!purpose.empty() && o.purpose != purpose) continue;
    if (found) return std::optional<EkycOffer>();  // several: the caller must name the purpose
    found = std::move(o);
  }
  return found;
}

}  // namespace dancu::hub
