#include "registry/citizen_csv.h"

#include <charconv>

#include "core/csv.h"
#include "core/ethnicity.h"

namespace dancu::registry {
namespace {

enum Col {
  kId, kOldId, kFullName, kSex, kDob, kStatus, kDod, kPermCommune, kPermAddress, kHousehold,
  kRelationship, kFather, kMother, kSpouse, kEthnicity, kReligion, kHometown
};

constexpr Col kRequired[] = {kId, kFullName, kSex, kDob, kEthnicity, kPermCommune, kPermAddress};

Result<std::optional<CitizenId>> OptionalId(std::string_view text, std::string_view column) {
  if (text.empty()) return std::optional<CitizenId>();
  auto id = CitizenId::Parse(text);
  if (!id) return WithField(id.error(), std::string(column));
  return std::optional<CitizenId>(*id);
}

}  // namespace

Result<CitizenCsvLayout> CitizenCsvLayout::FromHeader(const std::vector<std::string>& header) {
  CitizenCsvLayout layout;
  layout.pos_.fill(-1);
  layout.width_ = header.size();
  for (size_t i = 0; i < header.size(); ++i) {
    std::string_view name = header[i];
    size_t col = 0;
    while (col < kCitizenCsvColumns.size() && kCitizenCsvColumns[col] != name) ++col;
    if (col == kCitizenCsvColumns.size()) {
      return Fail("csv.bad_header", "unknown column \"" + std::string(name) + "\"", std::string(name));
    }
    if (layout.pos_[col] != -1) {
      return Fail("csv.bad_header", "column \"" + std::string(name) + "\" appears twice",
                  std::string(name));
    }
    layout.pos_[col] = static_cast<int>(i);
  }
  for (Col c : kRequired) {
    if (layout.pos_[c] == -1) {
      return Fail("csv.bad_header", "missing column \"" + std::string(kCitizenCsvColumns[c]) + "\"",
                  std::string(kCitizenCsvColumns[c]));
    }
  }
  return layout;
}

Result<Citizen> CitizenCsvLayout::Parse(const std::vector<std::string>& fields,
                                        std::chrono::year_month_day today) const {
  if (fields.size() != width_) {
    return Fail("csv.ragged", "expected " + std::to_string(width_) + " fields, found " +
                                  std::to_string(fields.size()));
  }
  auto get = [&](Col c) -> std::string_view {
    return pos_[c] == -1 ? std::string_view() : std::string_view(fields[pos_[c]]);
  };
  auto column = [](Col c) { return std::string(kCitizenCsvColumns[c]); };
  Citizen out;
  auto id = CitizenId::Parse(get(kId));
  if (!id) return WithField(id.error(), column(kId));
  out.id = *id;
  auto name = PersonName::Parse(get(kFullName));
  if (!name) return WithField(name.error(), column(kFullName));
  out.full_name = std::move(*name);
  auto sex = ParseSex(get(kSex));
  if (!sex) return Fail("csv.bad_value", "sex is male or female", column(kSex));
  out.sex = *sex;
  auto dob = PartialDate::Parse(get(kDob), today);
  if (!dob) return WithField(dob.error(), column(kDob));
  out.date_of_birth = *dob;
  if (auto s = out.id.CheckConsistent(out.sex, dob->year()); !s) {
    return WithField(s.error(), column(kId));
  }
  if (auto old = get(kOldId); !old.empty()) {
    auto parsed = ParseOldId(old);
    if (!parsed) return WithField(parsed.error(), column(kOldId));
    out.old_id = *parsed;
  }
  std::string_view status = get(kStatus);
  if (status.empty() || status == "alive") {
    out.status = LifeStatus::kAlive;
  } else if (status == "deceased") {
    out.status = LifeStatus::kDeceased;
  } else {
    return Fail("csv.bad_value", "status is alive or deceased", column(kStatus));
  }
  if (auto dod = get(kDod); !dod.empty()) {
    auto parsed = PartialDate::Parse(dod, today);
    if (!parsed) return WithField(parsed.error(), column(kDod));
    if (parsed->Latest() < dob->Earliest()) {
      return Fail("event.death_before_birth", "the date of death is before the date of birth",
                  column(kDod));
    }
    out.date_of_death = *parsed;
  }
  if (out.status == LifeStatus::kDeceased && !out.date_of_death) {
    return Fail("csv.bad_value", "a deceased citizen needs date_of_death", column(kDod));
  }
  if (out.status == LifeStatus::kAlive && out.date_of_death) {
    return Fail("csv.bad_value", "a living citizen has no date_of_death", column(kDod));
  }
  const AdminUnits& units = AdminUnits::Get();
  std::string_view perm = get(kPermCommune);
  if (units.FindCommune(perm) == nullptr) {
    return Fail("admin.unknown_commune", "no current commune with code \"" + std::string(perm) + "\"",
                column(kPermCommune));
  }
  std::string_view street = get(kPermAddress);
  if (street.empty() || !IsValidUtf8(street)) {
    return Fail("csv.bad_value", "permanent_address must be non-empty UTF-8", column(kPermAddress));
  }
  out.permanent_residence = Address{std::string(perm), std::string(street)};
  // The interchange format has no birth-registration column: the commune of
  // permanent residence stands in, as it does in the register's own exports.
  out.birth_commune_code = std::string(perm);
  if (auto h = get(kHousehold); !h.empty()) {
    int64_t v = 0;
    auto [p, ec] = std::from_chars(h.data(), h.data() + h.size(), v);
    if (ec != std::errc() || p != h.data() + h.size() || v <= 0) {
      return Fail("csv.bad_value", "household_id is a positive integer", column(kHousehold));
    }
    out.household_id = v;
    auto rel = ParseRelationship(get(kRelationship));
    if (!rel) {
      return Fail("csv.bad_value", "relationship_to_head is head, spouse, child, parent, sibling, "
                  "grandchild, grandparent, child_in_law, other_relative or other",
                  column(kRelationship));
    }
    out.relationship_to_head = *rel;
  } else if (!get(kRelationship).empty()) {
    return Fail("csv.bad_value", "relationship_to_head without household_id", column(kRelationship));
  }
  auto father = OptionalId(get(kFather), "father_id");
  if (!father) return std::unexpected(father.error());
  auto mother = OptionalId(get(kMother), "mother_id");
  if (!mother) return std::unexpected(mother.error());
  auto spouse = OptionalId(get(kSpouse), "spouse_id");
  if (!spouse) return std::unexpected(spouse.error());
  out.father_id = *father;
  out.mother_id = *mother;
  out.spouse_id = *spouse;
  if (out.father_id == out.id || out.mother_id == out.id || out.spouse_id == out.id) {
    return Fail("csv.bad_value", "a citizen cannot be their own parent or spouse", column(kId));
  }
  auto ethnicity = ParseEthnicity(get(kEthnicity));
  if (!ethnicity) return WithField(ethnicity.error(), column(kEthnicity));
  out.ethnicity = *ethnicity;
  std::string_view religion = get(kReligion);
  if (!IsValidUtf8(religion)) return Fail("csv.bad_utf8", "religion is not UTF-8", column(kReligion));
  out.religion = std::string(religion);
  if (auto home = get(kHometown); !home.empty()) {
    if (units.FindCommune(home) == nullptr) {
      return Fail("admin.unknown_commune", "no current commune with code \"" + std::string(home) + "\"",
                  column(kHometown));
    }
    out.hometown_commune_code = std::string(home);
  }
  return out;
}

std::string CitizenCsvHeader() {
  std::string out;
  for (size_t i = 0; i < kCitizenCsvColumns.size(); ++i) {
    if (i > 0) out += ',';
    out += kCitizenCsvColumns[i];
  }
  return out;
}

void AppendCitizenCsv(std::string& out, const Citizen& c) {
  auto id = [](const std::optional<CitizenId>& v) { return v ? v->ToString() : std::string(); };
  AppendCsvField(out, c.id.ToString());
  out += ',';
  AppendCsvField(out, c.old_id);
  out += ',';
  AppendCsvField(out, c.full_name.text());
  out += ',';
  out += ToString(c.sex);
  out += ',';
  out += c.date_of_birth.ToString();
  out += ',';
  out += c.status == LifeStatus::kAlive ? "alive" : "deceased";
  out += ',';
  if (c.date_of_death) out += c.date_of_death->ToString();
  out += ',';
  AppendCsvField(out, c.permanent_residence.commune_code);
  out += ',';
  AppendCsvField(out, c.permanent_residence.street);
  out += ',';
  if (c.household_id) out += std::to_string(*c.household_id);
  out += ',';
  if (c.relationship_to_head) out += ToString(*c.relationship_to_head);
  out += ',';
  out += id(c.father_id);
  out += ',';
  out += id(c.mother_id);
  out += ',';
  out += id(c.spouse_id);
  out += ',';
  out += std::to_string(c.ethnicity);
  out += ',';
  AppendCsvField(out, c.religion);
  out += ',';
  AppendCsvField(out, c.hometown_commune_code);
  out += '\n';
}

}  // namespace dancu::registry
