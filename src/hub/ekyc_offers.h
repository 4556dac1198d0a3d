// ekyc_offers: what each agency asks citizens to consent to for eKYC, read
// from the members' policies (hub/members.h): one EkycOffer per agency and
// purpose code, over the enabled clients of enabled agencies whose policy
// allows the ekyc operation, with the union of those clients' fields
// (citizens see the fields an agency's policy lets it receive, so a consent
// never names a field the agency could not get anyway). The account page
// (web/ekyc_consents_page.cc) lists them; a consent grant names one.
//
// Errors: storage.* from Members.
// Thread safety: as Members (any thread).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "hub/ekyc_consents.h"
#include "hub/members.h"

namespace dancu::hub {

// Every offer, by agency name then purpose.
Result<std::vector<EkycOffer>> EkycOffers(const Members& members);
// The offer of `agency` for `purpose`; "" purpose = the agency's only offer
// (nullopt when it has none or several).
Result<std::optional<EkycOffer>> FindEkycOffer(const Members& members, std::string_view agency,
                                               std::string_view purpose);

}  // namespace dancu::hub
