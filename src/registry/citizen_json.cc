#include "registry/citizen_json.h"

#include "core/admin_units.h"

namespace dancu::registry {
namespace {

boost::json::value OptionalId(const std::optional<CitizenId>& id) {
  if (!id) return nullptr;
  return boost::json::string(id->ToString());
}

}  // namespace

boost::json::object AddressToJson(const Address& a) {
  boost::json::object o;
  o["commune_code"] = a.commune_code;
  const Commune* c = AdminUnits::Get().FindCommune(a.commune_code);
  o["province_code"] = c != nullptr ? c->province_code : "";
  o["address"] = a.street;
  return o;
}

boost::json::object CitizenToJson(const Citizen& c) {
  boost::json::object o;
  o["id"] = c.id.ToString();
  o["full_name"] = c.full_name.text();
  o["sex"] = ToString(c.sex);
  o["date_of_birth"] = c.date_of_birth.ToString();
  o["status"] = c.status == LifeStatus::kAlive ? "alive" : "deceased";
  if (c.date_of_death) {
    o["date_of_death"] = c.date_of_death->ToString();
  } else {
    o["date_of_death"] = nullptr;
  }
  if (c.old_id.empty()) {
    o["old_id"] = nullptr;
  } else {
    o["old_id"] = c.old_id;
  }
  o["birth_commune_code"] = c.birth_commune_code;
  if (c.hometown_commune_code.empty()) {
    o["hometown_commune_code"] = nullptr;
  } else {
    o["hometown_commune_code"] = c.hometown_commune_code;
  }
  o["ethnicity"] = c.ethnicity;
  if (c.religion.empty()) {
    o["religion"] = nullptr;
  } else {
    o["religion"] = c.religion;
  }
  o["nationality"] = c.nationality;
  o["permanent_residence"] = AddressToJson(c.permanent_residence);
  if (c.temporary_residence) {
    boost::json::object t = AddressToJson(c.temporary_residence->address);
    t["until"] = c.temporary_residence->until.ToString();
    o["temporary_residence"] = std::move(t);
  } else {
    o["temporary_residence"] = nullptr;
  }
  if (c.current_residence) {
    o["current_residence"] = AddressToJson(*c.current_residence);
  } else {
    o["current_residence"] = nullptr;
  }
  if (c.household_id) {
    o["household_id"] = *c.household_id;
    o["relationship_to_head"] = ToString(*c.relationship_to_head);
  } else {
    o["household_id"] = nullptr;
    o["relationship_to_head"] = nullptr;
  }
  o["father_id"] = OptionalId(c.father_id);
  o["mother_id"] = OptionalId(c.mother_id);
  o["spouse_id"] = OptionalId(c.spouse_id);
  return o;
}

boost::json::object HouseholdToJson(const Household& h) {
  boost::json::object o;
  o["id"] = h.id;
  o["head_id"] = h.head_id.ToString();
  o["address"] = AddressToJson(h.address);
  boost::json::array members;
  for (const HouseholdMember& m : h.members) {
    boost::json::object mo;
    mo["id"] = m.id.ToString();
    mo["relationship_to_head"] = ToString(m.relationship);
    members.push_back(std::move(mo));
  }
  o["members"] = std::move(members);
  return o;
}

}  // namespace dancu::registry
