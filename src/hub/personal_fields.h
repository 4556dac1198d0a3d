// Personal fields: the names of the register's data about a person, as they
// appear as JSON members in anything the hub discloses (eKYC answers, feed
// events, webhook bodies, match candidates). The one vocabulary for
// policies (Policy::fields), eKYC consents and the minimizer
// (hub/minimizer.h), which removes every member with one of these names that
// the caller's policy does not allow, wherever it appears in a response.
//
// Life status is disclosed as date_of_death (null while alive); "status" is
// not a personal field, because answers use it for their own outcome
// (POST /v1/verify's "status": "MATCH").
//
// citizen_id is special: an agency whose policy does not allow it receives a
// stable pseudonym in its place (Members::AgencyToken), never the id.
//
// Thread safety: constants and a pure function.
#pragma once

#include <string_view>

namespace dancu::hub {

inline constexpr std::string_view kPersonalFields[] = {
    "citizen_id",          "full_name",         "sex",
    "date_of_birth",       "ethnicity",         "religion",
    "nationality",         "permanent_residence", "temporary_residence",
    "current_residence",   "hometown_commune_code", "birth_commune_code",
    "old_id",              "date_of_death",
    "father_id",           "mother_id",         "spouse_id",
    "household_id",        "relationship_to_head", "phone"};

bool IsPersonalField(std::string_view name);

}  // namespace dancu::hub
