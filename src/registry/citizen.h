// The register's records: Citizen and Household, as the registry returns
// them and as bulk loading (generate, import) writes them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/admin_units.h"
#include "core/citizen_id.h"
#include "core/partial_date.h"
#include "core/person_name.h"
#include "core/sex.h"

namespace dancu::registry {

enum class LifeStatus { kAlive, kDeceased };

// Relationship of a household member to the head ("chủ hộ").
enum class Relationship {
  kHead, kSpouse, kChild, kParent, kSibling, kGrandchild, kGrandparent,
  kChildInLaw, kOtherRelative, kOther
};
std::string_view ToString(Relationship r);  // "head", "spouse", ...
std::optional<Relationship> ParseRelationship(std::string_view text);

struct TemporaryResidence {
  Address address;
  PartialDate until;  // a full date: tạm trú always expires
};

struct Citizen {
  CitizenId id;
  PersonName full_name;
  Sex sex = Sex::kMale;
  PartialDate date_of_birth;
  std::string birth_commune_code;     // place of birth registration (current commune)
  std::string hometown_commune_code;  // quê quán (current commune), may be empty
  int ethnicity = 1;                  // 1..54, core/ethnicity.h
  std::string religion;               // free text, empty = none
  std::string nationality = "VN";     // ISO 3166-1 alpha-2
  Address permanent_residence;        // thường trú
  std::optional<TemporaryResidence> temporary_residence;  // tạm trú
  std::optional<Address> current_residence;  // nơi ở hiện tại, if not the permanent one
  std::optional<CitizenId> father_id, mother_id, spouse_id;
  std::string old_id;                 // 9-digit CMND, empty if none
  LifeStatus status = LifeStatus::kAlive;
  std::optional<PartialDate> date_of_death;
  std::optional<int64_t> household_id;
  std::optional<Relationship> relationship_to_head;
};

struct HouseholdMember {
  CitizenId id;
  Relationship relationship;
};

struct Household {
  int64_t id = 0;
  CitizenId head_id;
  Address address;  // the household's permanent residence
  std::vector<HouseholdMember> members;  // filled by Registry::GetHousehold
};

}  // namespace dancu::registry
