#include "verify/reconcile_input.h"

#include <algorithm>

#include "core/admin_units.h"
#include "core/person_name.h"

namespace dancu::verify {
namespace {

constexpr std::array<std::string_view, kInputFieldCount> kNames = {"id",
                                                                   "old_id",
                                                                   "full_name",
                                                                   "date_of_birth",
                                                                   "sex",
                                                                   "permanent_address.commune_code",
                                                                   "permanent_address.address"};

struct Alias {
  std::string_view name;  // normalised header name
  InputField field;
};

// Header names recognised without a map, normalised (see Normalise). The
// register's export columns are here so an export reconciles as it is.
constexpr Alias kAliases[] = {
    {"id", InputField::kId},
    {"cccd", InputField::kId},
    {"so_cccd", InputField::kId},
    {"so_dinh_danh", InputField::kId},
    {"ma_dinh_danh", InputField::kId},
    {"personal_id", InputField::kId},
    {"citizen_id", InputField::kId},
    {"old_id", InputField::kOldId},
    {"cmnd", InputField::kOldId},
    {"so_cmnd", InputField::kOldId},
    {"full_name", InputField::kFullName},
    {"name", InputField::kFullName},
    {"ho_ten", InputField::kFullName},
    {"ho_va_ten", InputField::kFullName},
    {"date_of_birth", InputField::kDateOfBirth},
    {"dob", InputField::kDateOfBirth},
    {"birth_date", InputField::kDateOfBirth},
    {"ngay_sinh", InputField::kDateOfBirth},
    {"sex", InputField::kSex},
    {"gender", InputField::kSex},
    {"gioi_tinh", InputField::kSex},
    {"permanent_address.commune_code", InputField::kCommuneCode},
    {"commune_code", InputField::kCommuneCode},
    {"permanent_commune_code", InputField::kCommuneCode},
    {"ma_xa", InputField::kCommuneCode},
    {"permanent_address.address", InputField::kAddress},
    {"address", InputField::kAddress},
    {"permanent_address", InputField::kAddress},
    {"dia_chi", InputField::kAddress},
    {"dia_chi_thuong_tru", InputField::kAddress},
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Folded (lower case, no diacritics), with spaces and '-' as '_'.
std::string Normalise(std::string_view header) {
  std::string s = FoldName(Trim(header));
  std::replace(s.begin(), s.end(), ' ', '_');
  std::replace(s.begin(), s.end(), '-', '_');
  return s;
}

bool FieldByName(std::string_view name, InputField& out) {
  for (size_t i = 0; i < kInputFieldCount; ++i) {
    if (kNames[i] == name) {
      out = static_cast<InputField>(i);
      return true;
    }
  }
  if (name == "commune_code") {
    out = InputField::kCommuneCode;
    return true;
  }
  if (name == "address") {
    out = InputField::kAddress;
    return true;
  }
  return false;
}

std::string FieldList() {
  std::string s;
  for (std::string_view n : kNames) {
    if (!s.empty()) s += ", ";
    s += n;
  }
  return s;
}

// The current communes' codes as a bitmap over their 5-digit numbers, so a
// row's commune is checked without building a string key.
bool IsCurrentCommune(std::string_view code) {
  static const std::vector<bool> known = [] {
    std::vector<bool> bits(100000, false);
    for (const Commune& c : AdminUnits::Get().communes()) {
      if (c.code.size() == 5) bits[static_cast<size_t>(std::stoi(c.code))] = true;
    }
    return bits;
  }();
  if (code.size() != 5) return false;
  size_t n = 0;
  for (char ch : code) {
    if (ch < '0' || ch > '9') return false;
    n = n * 10 + static_cast<size_t>(ch - '0');
  }
  return known[n];
}

std::unexpected<Error> FieldError(Error e, InputField f) {
  return WithField(std::move(e), std::string(ToString(f)));
}

}  // namespace

std::string_view ToString(InputField f) { return kNames[static_cast<size_t>(f)]; }

Result<ColumnMap> ColumnMap::FromHeader(const std::vector<std::string>& header,
                                        std::string_view map) {
  ColumnMap m;
  m.header_width = header.size();
  std::vector<std::string> normalised;
  normalised.reserve(header.size());
  for (const std::string& h : header) normalised.push_back(Normalise(h));
  std::vector<bool> taken(header.size(), false);

  auto assign = [&](InputField f, size_t column, std::string_view what) -> Status {
    int& slot = m.column[static_cast<size_t>(f)];
    if (slot >= 0) {
      return Fail("reconcile.duplicate_field",
                  std::string(ToString(f)) + " is mapped twice (" + std::string(what) + ")", "map");
    }
    slot = static_cast<int>(column);
    taken[column] = true;
    return {};
  };

  // Explicit entries first.
  while (!Trim(map).empty()) {
    size_t comma = map.find(',');
    std::string_view entry = Trim(map.substr(0, comma));
    map = comma == std::string_view::npos ? std::string_view() : map.substr(comma + 1);
    if (entry.empty()) continue;
    size_t eq = entry.rfind('=');
    if (eq == std::string_view::npos || Trim(entry.substr(0, eq)).empty() ||
        Trim(entry.substr(eq + 1)).empty()) {
      return Fail("reconcile.bad_map",
                  "map entry \"" + std::string(entry) + "\" is not input_col=field", "map");
    }
    std::string_view column = Trim(entry.substr(0, eq));
    std::string_view field_name = Trim(entry.substr(eq + 1));
    InputField field;
    if (!FieldByName(field_name, field)) {
      return Fail(
          "reconcile.unknown_field",
          "\"" + std::string(field_name) + "\" is not a field; the fields are " + FieldList(),
          "map");
    }
    auto it = std::find_if(header.begin(), header.end(),
                           [&](const std::string& h) { return Trim(h) == column; });
    if (it == header.end()) {
      std::string key = Normalise(column);
      auto nit = std::find(normalised.begin(), normalised.end(), key);
      if (nit == normalised.end()) {
        return Fail("reconcile.unknown_column",
                    "the header has no column \"" + std::string(column) + "\"", "map");
      }
      it = header.begin() + (nit - normalised.begin());
    }
    if (auto s = assign(field, static_cast<size_t>(it - header.begin()), entry); !s) {
      return std::unexpected(s.error());
    }
  }

  // Then header names and aliases, for fields the map left open; the first
  // column that fits wins, a later one is ignored.
  for (size_t c = 0; c < header.size(); ++c) {
    if (taken[c]) continue;
    for (const Alias& a : kAliases) {
      if (a.name != normalised[c]) continue;
      if (m.column[static_cast<size_t>(a.field)] < 0) {
        m.column[static_cast<size_t>(a.field)] = static_cast<int>(c);
        taken[c] = true;
      }
      break;
    }
  }

  if (!m.has(InputField::kId) && !m.has(InputField::kOldId) && !m.has(InputField::kFullName) &&
      !m.has(InputField::kDateOfBirth)) {
    return Fail("reconcile.no_key",
                "no column for id, old_id, full_name or date_of_birth (name them with --map "
                "input_col=field)",
                "map");
  }
  return m;
}

char SniffSeparator(std::string_view text) {
  size_t commas = 0, semicolons = 0;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') {
      quoted = !quoted;
    } else if (!quoted) {
      if (c == '\n' || c == '\r') break;
      if (c == ',') ++commas;
      if (c == ';') ++semicolons;
    }
  }
  return semicolons > commas ? ';' : ',';
}

Result<VerifyQuery> ParseRow(const std::array<std::string_view, kInputFieldCount>& cells,
                             std::chrono::year_month_day today) {
  VerifyQuery q;
  if (auto s = ParseRow(cells, today, q); !s) return std::unexpected(std::move(s.error()));
  return q;
}

Status ParseRow(const std::array<std::string_view, kInputFieldCount>& raw,
                std::chrono::year_month_day today, VerifyQuery& q) {
  std::array<std::string_view, kInputFieldCount> cells;
  for (size_t i = 0; i < kInputFieldCount; ++i) cells[i] = Trim(raw[i]);
  auto cell = [&cells](InputField f) { return cells[static_cast<size_t>(f)]; };
  // A field given again is assigned into the string the query already holds
  // (keeping its capacity); a field not given is reset.
  auto assign = [](std::optional<std::string>& field, std::string_view value) {
    if (field) {
      field->assign(value);
    } else {
      field.emplace(value);
    }
  };

  q.id.reset();
  if (auto s = cell(InputField::kId); !s.empty()) {
    auto id = CitizenId::Parse(s);
    if (!id) return FieldError(id.error(), InputField::kId);
    q.id = *id;
  }
  if (auto s = cell(InputField::kOldId); !s.empty()) {
    auto old = ParseOldId(s);
    if (!old) return FieldError(old.error(), InputField::kOldId);
    q.old_id = std::move(*old);
  } else {
    q.old_id.reset();
  }
  if (auto s = cell(InputField::kFullName); !s.empty()) {
    if (!q.full_name) q.full_name.emplace();
    if (auto name = PersonName::Parse(s, *q.full_name); !name) {
      return FieldError(name.error(), InputField::kFullName);
    }
  } else {
    q.full_name.reset();
  }
  q.date_of_birth.reset();
  if (auto s = cell(InputField::kDateOfBirth); !s.empty()) {
    auto date = PartialDate::ParseLenient(s, today);
    if (!date) return FieldError(date.error(), InputField::kDateOfBirth);
    q.date_of_birth = *date;
  }
  q.sex.reset();
  if (auto s = cell(InputField::kSex); !s.empty()) {
    // The common spellings first: ParseSex folds, which costs more than the
    // rest of the row's checks.
    if (s == "male") {
      q.sex = Sex::kMale;
    } else if (s == "female") {
      q.sex = Sex::kFemale;
    } else if (auto sex = ParseSex(s)) {
      q.sex = *sex;
    } else {
      return Fail("sex.invalid",
                  "sex is male or female (also m/f, nam/nữ), not \"" + std::string(s) + "\"",
                  std::string(ToString(InputField::kSex)));
    }
  }
  if (auto s = cell(InputField::kCommuneCode); !s.empty()) {
    if (!IsCurrentCommune(s)) {
      auto commune = AdminUnits::Get().RequireCommune(s);  // the same error as the API
      if (!commune) return FieldError(commune.error(), InputField::kCommuneCode);
    }
    assign(q.commune_code, s);
  } else {
    q.commune_code.reset();
  }
  if (auto s = cell(InputField::kAddress); !s.empty()) {
    assign(q.address, s);
  } else {
    q.address.reset();
  }
  return {};
}

}  // namespace dancu::verify
