#include "hub/minimizer.h"

#include <set>
#include <sstream>
#include <vector>

#include "core/csv.h"
#include "hub/comma_list.h"
#include "hub/personal_fields.h"

namespace dancu::hub {
namespace {

bool IsOutcome(const boost::json::value& v) {
  if (!v.is_object()) return false;
  const auto& o = v.as_object();
  const auto* result = o.if_contains("result");
  if (result == nullptr || !result->is_string()) return false;
  for (const auto& m : o) {
    std::string_view k = m.key();
    if (k == "result") continue;
    if (k == "level") {
      if (!m.value().is_string()) return false;
    } else if (k == "score") {
      if (!m.value().is_number()) return false;
    } else if (k == "commune_code" || k == "address") {
      if (!IsOutcome(m.value())) return false;
    } else {
      return false;
    }
  }
  return true;
}

size_t Walk(const Grant& grant, const PseudonymFn& pseudonym, boost::json::value& v) {
  size_t changed = 0;
  if (v.is_array()) {
    for (auto& e : v.as_array()) changed += Walk(grant, pseudonym, e);
    return changed;
  }
  if (!v.is_object()) return 0;
  auto& o = v.as_object();
  std::vector<std::string> remove;
  for (auto& m : o) {
    std::string_view key = m.key();
    boost::json::value& value = m.value();
    if (!IsPersonalField(key)) {
      changed += Walk(grant, pseudonym, value);
      continue;
    }
    if (grant.AllowsField(key) || value.is_null() || IsOutcome(value)) continue;
    if (key == "citizen_id" && value.is_string()) {
      if (value.as_string().starts_with("pt_")) continue;  // already a pseudonym
      if (auto id = CitizenId::Parse(value.as_string()); id) {
        value = pseudonym(*id);
        ++changed;
        continue;
      }
    }
    remove.emplace_back(key);
  }
  for (const auto& k : remove) o.erase(k);
  return changed + remove.size();
}

void Collect(const boost::json::value& v, std::set<std::string_view>& out) {
  if (v.is_array()) {
    for (const auto& e : v.as_array()) Collect(e, out);
  } else if (v.is_object()) {
    for (const auto& m : v.as_object()) {
      if (IsPersonalField(m.key()) && !m.value().is_null() && !IsOutcome(m.value())) {
        out.insert(m.key());
      }
      Collect(m.value(), out);
    }
  }
}

}  // namespace

std::string DisclosedFields(const boost::json::value& body) {
  std::set<std::string_view> fields;
  Collect(body, fields);
  return JoinCommaList(std::vector<std::string>(fields.begin(), fields.end()));
}

Result<std::string> MinimizeCsvIds(const Grant& grant, const PseudonymFn& pseudonym,
                                   std::string_view csv, std::string_view id_column) {
  if (grant.AllowsField("citizen_id")) return std::string(csv);
  std::istringstream in{std::string(csv)};
  CsvReader reader(in);
  CsvRecord record;
  std::optional<Error> error;
  std::string out;
  out.reserve(csv.size());
  std::optional<size_t> column;
  bool header = true;
  while (reader.Next(record, error)) {
    if (error) return std::unexpected(*error);
    if (header) {
      for (size_t i = 0; i < record.fields.size(); ++i) {
        if (record.fields[i] == id_column) column = i;
      }
      header = false;
    } else if (column && *column < record.fields.size()) {
      std::string& value = record.fields[*column];
      if (auto id = CitizenId::Parse(value); id) value = pseudonym(*id);
    }
    for (size_t i = 0; i < record.fields.size(); ++i) {
      if (i > 0) out += ',';
      AppendCsvField(out, record.fields[i]);
    }
    out += '\n';
  }
  return out;
}

size_t Minimize(const Grant& grant, const PseudonymFn& pseudonym, boost::json::value& body) {
  if (grant.unrestricted) return 0;
  return Walk(grant, pseudonym, body);
}

}  // namespace dancu::hub
