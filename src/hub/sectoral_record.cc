#include "hub/sectoral_record.h"

#include <algorithm>
#include <array>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "verify/reconcile_input.h"

namespace dancu::hub {
namespace {

constexpr std::string_view kTypeNames[] = {"health_insurance", "driver_licence", "tax_code",
                                           "social_insurance"};

// Licence classes and whether they expire. Pre-2025 (Law on Road Traffic
// 2008, Circular 12/2017): A1, A2, A3 never expire; B1 runs to retirement
// age; the rest expire. 2025 (Law on Road Traffic Order and Safety 2024,
// art. 57): A1, A, B1 never expire; the rest expire. A class in both lists
// (A1, B1, C, D) is one entry.
enum class Expiry { kNever, kOptional, kRequired };
struct LicenceClass {
  std::string_view name;
  Expiry expiry;
};
constexpr LicenceClass kLicenceClasses[] = {
    {"A1", Expiry::kNever},     {"A2", Expiry::kNever},    {"A3", Expiry::kNever},
    {"A", Expiry::kNever},      {"B1", Expiry::kOptional}, {"A4", Expiry::kRequired},
    {"B2", Expiry::kRequired},  {"B", Expiry::kRequired},  {"C1", Expiry::kRequired},
    {"C", Expiry::kRequired},   {"D1", Expiry::kRequired}, {"D2", Expiry::kRequired},
    {"D", Expiry::kRequired},   {"E", Expiry::kRequired},  {"BE", Expiry::kRequired},
    {"C1E", Expiry::kRequired}, {"CE", Expiry::kRequired}, {"D1E", Expiry::kRequired},
    {"D2E", Expiry::kRequired}, {"DE", Expiry::kRequired}, {"FB2", Expiry::kRequired},
    {"FC", Expiry::kRequired},  {"FD", Expiry::kRequired}, {"FE", Expiry::kRequired},
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::unexpected<Error> Missing(std::string_view field, std::string_view type) {
  return Fail("sectoral.missing_field",
              "a " + std::string(type) + " record needs " + std::string(field), std::string(field));
}

std::unexpected<Error> Unexpected(std::string_view field, std::string_view why) {
  return Fail("sectoral.unexpected_field", std::string(why), std::string(field));
}

// A document date: the agency-file shapes, any year up to 9999, full.
Result<std::optional<PartialDate>> DocumentDate(std::string_view text, std::string_view field) {
  text = Trim(text);
  if (text.empty()) return std::optional<PartialDate>();
  constexpr std::chrono::year_month_day kNoLimit{std::chrono::year{9999}, std::chrono::December,
                                                 std::chrono::day{31}};
  auto d = PartialDate::ParseLenient(text, kNoLimit);
  if (!d) return WithField(d.error(), std::string(field));
  if (!d->IsFull()) {
    return Fail("sectoral.partial_date",
                std::string(field) + " must be a full date (day, month and year), not \"" +
                    std::string(text) + "\"",
                std::string(field));
  }
  return std::optional<PartialDate>(*d);
}

Status HealthInsurance(const SectoralInput& in, SectoralRecord& r) {
  auto bad = [](std::string why) {
    return Fail("sectoral.bad_card_number",
                "a health-insurance card number is 15 characters: object code (2 letters), "
                "benefit level (1 digit), province code (2 digits), social-insurance number "
                "(10 digits); " +
                    std::move(why),
                "number");
  };
  const std::string& n = r.number;
  if (n.size() != 15) return bad("this one has " + std::to_string(n.size()) + " characters");
  if (!std::all_of(n.begin(), n.begin() + 2, [](char c) { return c >= 'A' && c <= 'Z'; }))
    return bad("the object code \"" + n.substr(0, 2) + "\" is not two letters");
  if (n[2] < '1' || n[2] > '5') return bad("the benefit level must be 1-5");
  if (!AllDigits(std::string_view(n).substr(3, 2)) || n.substr(3, 2) == "00")
    return bad("the province code must be 01-99");
  if (!AllDigits(std::string_view(n).substr(5)))
    return bad("the last 10 characters (the social-insurance number) must be digits");
  if (!Trim(in.licence_class).empty())
    return Unexpected("class", "a health-insurance card has no class");
  if (!Trim(in.expiry).empty())
    return Unexpected("expiry", "a health-insurance card has valid_from and valid_to, not expiry");
  auto from = DocumentDate(in.valid_from, "valid_from");
  if (!from) return std::unexpected(from.error());
  auto to = DocumentDate(in.valid_to, "valid_to");
  if (!to) return std::unexpected(to.error());
  if (!*from) return Missing("valid_from", "health_insurance");
  if (!*to) return Missing("valid_to", "health_insurance");
  if (**from > **to) {
    return Fail("sectoral.bad_validity",
                "valid_from " + (*from)->ToString() + " is after valid_to " + (*to)->ToString(),
                "valid_to");
  }
  r.valid_from = *from;
  r.valid_to = *to;
  return {};
}

Status DriverLicence(const SectoralInput& in, SectoralRecord& r) {
  if (r.number.size() != 12 || !AllDigits(r.number)) {
    return Fail("sectoral.bad_licence_number", "a driver's licence number is 12 digits", "number");
  }
  if (!Trim(in.valid_from).empty() || !Trim(in.valid_to).empty()) {
    return Unexpected(Trim(in.valid_from).empty() ? "valid_to" : "valid_from",
                      "a driver's licence has an expiry, not valid_from / valid_to");
  }
  std::string cls = Upper(Trim(in.licence_class));
  if (cls.empty()) return Missing("class", "driver_licence");
  const LicenceClass* found = nullptr;
  for (const LicenceClass& c : kLicenceClasses) {
    if (c.name == cls) found = &c;
  }
  if (found == nullptr) {
    return Fail("sectoral.bad_licence_class",
                "\"" + cls +
                    "\" is not a licence class in force (A1 A2 A3 A4 B1 B2 C D E FB2 FC FD FE, "
                    "or since 2025 A1 A B1 B C1 C D1 D2 D BE C1E CE D1E D2E DE)",
                "class");
  }
  auto expiry = DocumentDate(in.expiry, "expiry");
  if (!expiry) return std::unexpected(expiry.error());
  if (*expiry && found->expiry == Expiry::kNever) {
    return Unexpected("expiry", "a class " + cls + " licence does not expire");
  }
  if (!*expiry && found->expiry == Expiry::kRequired) {
    return Fail("sectoral.missing_expiry", "a class " + cls + " licence needs its expiry date",
                "expiry");
  }
  r.licence_class = std::move(cls);
  r.expiry = *expiry;
  return {};
}

// No validity dates, class or expiry on a bare number.
Status NumberOnly(const SectoralInput& in, std::string_view type) {
  const std::pair<std::string_view, std::string_view> extra[] = {{"class", in.licence_class},
                                                                 {"valid_from", in.valid_from},
                                                                 {"valid_to", in.valid_to},
                                                                 {"expiry", in.expiry}};
  for (const auto& [name, value] : extra) {
    if (!Trim(value).empty()) {
      return Unexpected(name, "a " + std::string(type) + " record has no " + std::string(name));
    }
  }
  return {};
}

}  // namespace

std::string_view ToString(DocumentType t) { return kTypeNames[static_cast<size_t>(t)]; }

std::optional<DocumentType> ParseDocumentType(std::string_view text) {
  for (DocumentType t : kDocumentTypes) {
    if (ToString(t) == text) return t;
  }
  return std::nullopt;
}

Result<SectoralRecord> ValidateSectoralRecord(const SectoralInput& in,
                                              std::chrono::year_month_day today) {
  SectoralRecord r;
  std::string_view type_text = Trim(in.type);
  if (type_text.empty()) return Fail("sectoral.missing_field", "a record needs a type", "type");
  auto type = ParseDocumentType(type_text);
  if (!type) {
    return Fail("sectoral.bad_type",
                "unknown type \"" + std::string(type_text) +
                    "\" (health_insurance, driver_licence, tax_code, social_insurance)",
                "type");
  }
  r.type = *type;

  // The person first: a tax code may be the person's own id.
  std::array<std::string_view, verify::kInputFieldCount> cells{};
  cells[static_cast<size_t>(verify::InputField::kId)] = in.citizen_id;
  cells[static_cast<size_t>(verify::InputField::kFullName)] = in.full_name;
  cells[static_cast<size_t>(verify::InputField::kDateOfBirth)] = in.date_of_birth;
  cells[static_cast<size_t>(verify::InputField::kSex)] = in.sex;
  if (Trim(in.citizen_id).empty()) return Missing("citizen_id", ToString(r.type));
  if (auto s = verify::ParseRow(cells, today, r.person); !s) {
    Error e = std::move(s.error());
    if (e.field == verify::ToString(verify::InputField::kId)) e.field = "citizen_id";
    return std::unexpected(std::move(e));
  }
  r.citizen_id = *r.person.id;

  std::string_view number = Trim(in.number);
  if (number.empty()) return Missing("number", ToString(r.type));
  r.number = r.type == DocumentType::kHealthInsurance ? Upper(number) : std::string(number);

  switch (r.type) {
    case DocumentType::kHealthInsurance:
      if (auto s = HealthInsurance(in, r); !s) return std::unexpected(s.error());
      break;
    case DocumentType::kDriverLicence:
      if (auto s = DriverLicence(in, r); !s) return std::unexpected(s.error());
      break;
    case DocumentType::kTaxCode:
      if (auto s = NumberOnly(in, "tax_code"); !s) return std::unexpected(s.error());
      if (r.number.size() == 12 && AllDigits(r.number)) {
        if (r.number != r.citizen_id.ToString()) {
          return Fail("sectoral.bad_tax_code",
                      "a 12-digit tax code is the person's own identification number, and this "
                      "one is not the record's citizen_id",
                      "number");
        }
      } else if (r.number.size() != 10 || !AllDigits(r.number)) {
        return Fail("sectoral.bad_tax_code",
                    "a personal tax code is 10 digits (or, since 2025-07-01, the 12-digit "
                    "personal identification number)",
                    "number");
      }
      break;
    case DocumentType::kSocialInsurance:
      if (auto s = NumberOnly(in, "social_insurance"); !s) return std::unexpected(s.error());
      if (r.number.size() != 10 || !AllDigits(r.number)) {
        return Fail("sectoral.bad_social_insurance_number",
                    "a social-insurance number is 10 digits", "number");
      }
      break;
  }
  return r;
}

std::string AttributesJson(const SectoralRecord& r) {
  boost::json::object o;
  if (!r.licence_class.empty()) o["class"] = r.licence_class;
  if (r.valid_from) o["valid_from"] = r.valid_from->ToString();
  if (r.valid_to) o["valid_to"] = r.valid_to->ToString();
  if (r.expiry) o["expiry"] = r.expiry->ToString();
  return boost::json::serialize(o);
}

std::string CheckedFieldNames(const SectoralRecord& r) {
  std::string out = "citizen_id";
  if (r.person.full_name) out += ",full_name";
  if (r.person.date_of_birth) out += ",date_of_birth";
  if (r.person.sex) out += ",sex";
  return out;
}

}  // namespace dancu::hub
