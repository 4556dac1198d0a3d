// SectoralRecord: a record an agency holds about a citizen and submits to
// the register (issue 5, "Sectoral data sync (làm giàu)"), validated before
// it is checked against the register and linked to the citizen's account.
//
// Four types (the wire names of DocumentType):
//  - health_insurance: a BHYT card number, 15 characters: a 2-letter object
//    code (upper case; lower case is accepted and upper-cased), a 1-digit
//    benefit level 1-5, a 2-digit province code 01-99 and the holder's
//    10-digit social-insurance number; and its validity: valid_from and
//    valid_to, both full dates, valid_from <= valid_to (both required).
//  - driver_licence: a 12-digit licence number and its class, from the
//    classes in force: the pre-2025 classes A1 A2 A3 A4 B1 B2 C D E FB2 FC FD
//    FE and the classes of the 2024 Road Traffic Order and Safety Law (in
//    force 2025-01-01) A1 A B1 B C1 C D1 D2 D BE C1E CE D1E D2E DE. Classes
//    without expiry (A1, A2, A3, A) must not carry one; B1 may (pre-2025 B1
//    ran to retirement age, 2025 B1 has none); every other class needs one.
//  - tax_code: a personal tax code, 10 digits, or since 2025-07-01 the
//    12-digit personal identification number, which must then be the
//    person's own citizen_id. No check digit is verified.
//  - social_insurance: a 10-digit social-insurance number (mã số BHXH).
// Surrounding blanks are trimmed; a number keeps no inner spaces.
//
// Each record carries the person it is about, as the agency holds them:
// citizen_id (required), full_name, date_of_birth, sex (optional). They are
// read by verify::ParseRow (verify/reconcile_input.h), the reconciliation
// reader, so the API and the bulk file accept the same values (dates as
// yyyy-mm-dd, dd/mm/yyyy, mm/yyyy, yyyy; sex male/female/m/f/nam/nữ), and
// become the verify::VerifyQuery the record is checked with (sectoral_sync.h).
// Document dates (valid_from, valid_to, expiry) take the same shapes, may lie
// in the future and must be full dates.
//
// Errors (Error.field names the input field):
//   sectoral.bad_type          unknown type
//   sectoral.missing_field     a required field is empty or absent
//   sectoral.unexpected_field  a field the type does not have (e.g. a class
//                              on a tax code, an expiry for class A1)
//   sectoral.bad_card_number   not a BHYT card number (the message says which part)
//   sectoral.bad_validity      valid_from after valid_to
//   sectoral.partial_date      a document date without day or month
//   sectoral.bad_licence_number, sectoral.bad_licence_class,
//   sectoral.missing_expiry    a class that expires without an expiry date
//   sectoral.bad_tax_code      not 10 digits nor the person's own 12-digit id
//   sectoral.bad_social_insurance_number
//   id.*, name.*, date.*, sex.invalid  (the person fields, from verify::ParseRow;
//                                      Error.field "citizen_id" for id.*)
//
// Thread safety: value types and pure functions.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/citizen_id.h"
#include "core/error.h"
#include "core/partial_date.h"
#include "verify/verifier.h"

namespace dancu::hub {

enum class DocumentType { kHealthInsurance, kDriverLicence, kTaxCode, kSocialInsurance };
inline constexpr DocumentType kDocumentTypes[] = {
    DocumentType::kHealthInsurance, DocumentType::kDriverLicence, DocumentType::kTaxCode,
    DocumentType::kSocialInsurance};
// "health_insurance", "driver_licence", "tax_code", "social_insurance".
std::string_view ToString(DocumentType t);
std::optional<DocumentType> ParseDocumentType(std::string_view text);

// The record as it arrives (JSON strings or CSV cells); empty = not given.
struct SectoralInput {
  std::string_view type;
  std::string_view number;
  std::string_view licence_class;         // driver_licence: "class"
  std::string_view valid_from, valid_to;  // health_insurance
  std::string_view expiry;                // driver_licence
  std::string_view citizen_id, full_name, date_of_birth, sex;
};

struct SectoralRecord {
  DocumentType type = DocumentType::kHealthInsurance;
  std::string number;                               // canonical: trimmed, a card number upper-cased
  std::string licence_class;                        // driver_licence only
  std::optional<PartialDate> valid_from, valid_to;  // health_insurance only
  std::optional<PartialDate> expiry;                // driver_licence, when it expires
  CitizenId citizen_id;
  verify::VerifyQuery person;  // id = citizen_id, plus the optional person fields
};

// Validates `in`; `today` bounds date_of_birth (never in the future).
Result<SectoralRecord> ValidateSectoralRecord(const SectoralInput& in,
                                              std::chrono::year_month_day today);

// The document's attributes as a JSON object text, members in a fixed order
// and only those that apply: {"class","valid_from","valid_to","expiry"}
// (dates yyyy-mm-dd); "{}" for a tax code or social-insurance number.
std::string AttributesJson(const SectoralRecord& r);

// The person fields the record gives, comma-separated wire names
// ("citizen_id,full_name,date_of_birth,sex"), for the access log.
std::string CheckedFieldNames(const SectoralRecord& r);

}  // namespace dancu::hub
