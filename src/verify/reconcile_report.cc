#include "verify/reconcile_report.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <cstdio>

#include "core/csv.h"

namespace dancu::verify {
namespace {

void AppendInt(std::string& out, int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

void AppendId(std::string& out, int64_t number) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%012lld", static_cast<long long>(number));
  out.append(buf);
}

double Rate(int64_t n, double seconds) { return seconds > 0 ? n / seconds : 0.0; }

}  // namespace

std::string_view ToString(RowStatus s) {
  switch (s) {
    case RowStatus::kMatch:
      return "MATCH";
    case RowStatus::kMismatch:
      return "MISMATCH";
    case RowStatus::kNotFound:
      return "NOT_FOUND";
    case RowStatus::kNoId:
      return "NO_ID";
    case RowStatus::kError:
      return "ERROR";
  }
  return "ERROR";
}

void ReconcileSummary::Add(const RowOutcome& row, const DuplicateFinding& dup) {
  ++rows;
  ++by_status[static_cast<size_t>(row.status)];
  if (row.status == RowStatus::kError) {
    ++errors[row.error ? row.error->code : "internal.error"];
    return;
  }
  for (size_t i = 0; i < kFieldCount; ++i) {
    if (row.fields[i] < 0) continue;
    FieldCounts& c = fields[i];
    ++c.given;
    switch (static_cast<FieldResult>(row.fields[i])) {
      case FieldResult::kMatch:
        ++c.match;
        break;
      case FieldResult::kPartial:
        ++c.partial;
        break;
      case FieldResult::kMismatch:
        ++c.mismatch;
        break;
    }
  }
  if (row.id_given || row.old_id_given) ++rows_with_id;
  if (row.deceased) ++deceased;
  if (row.linked) ++linkage_rows;
  if (row.suggestion) {
    ++suggested;
    if (row.suggestion->needs_review) ++needs_review;
  }
  if (dup.same_id_line != 0) ++duplicate_ids;
  if (dup.same_person_line != 0) ++duplicate_persons;
  if (dup.repeated) ++repeated_rows;
}

void AppendReportRow(std::string& out, const RowOutcome& row, const DuplicateFinding& dup) {
  AppendInt(out, row.line);
  out.push_back(',');
  out.append(ToString(row.status));
  out.push_back(',');
  {
    bool first = true;
    auto flag = [&](std::string_view f) {
      if (!first) out.push_back('|');
      out.append(f);
      first = false;
    };
    if (row.deceased) flag("DECEASED");
    if (dup.same_id_line != 0) flag("DUPLICATE_ID");
    if (dup.same_person_line != 0) flag("DUPLICATE_PERSON");
    if (row.suggestion && row.suggestion->needs_review) flag("NEEDS_REVIEW");
  }
  for (size_t i = 0; i < kFieldCount; ++i) {
    out.push_back(',');
    if (row.fields[i] >= 0) out.append(ToString(static_cast<FieldResult>(row.fields[i])));
  }
  out.push_back(',');
  if (row.name_level) out.append(ToString(*row.name_level));
  out.push_back(',');
  if (row.name_score >= 0) AppendInt(out, row.name_score);
  out.push_back(',');
  if (row.suggestion) AppendId(out, row.suggestion->id.number());
  out.push_back(',');
  if (row.suggestion) AppendInt(out, row.suggestion->score);
  out.push_back(',');

  // The reason, composed from the outcomes (no register values).
  std::string reason;
  auto add = [&reason](std::string_view part) {
    if (!reason.empty()) reason += "; ";
    reason += part;
  };
  switch (row.status) {
    case RowStatus::kError:
      if (row.error) {
        reason = row.error->code + ": ";
        if (!row.error->field.empty()) reason += row.error->field + ": ";
        reason += row.error->message;
      }
      break;
    case RowStatus::kMismatch:
      for (size_t i = 0; i < kFieldCount; ++i) {
        if (row.fields[i] <= static_cast<int8_t>(FieldResult::kMatch)) continue;
        std::string part(ToString(static_cast<Field>(i)));
        part += ' ';
        if (static_cast<Field>(i) == Field::kFullName && row.name_level) {
          part += ToString(*row.name_level);
        } else {
          part += ToString(static_cast<FieldResult>(row.fields[i]));
        }
        add(part);
      }
      break;
    case RowStatus::kNotFound:
      add(row.id_given ? "no citizen has this id" : "no single citizen has this old_id");
      break;
    case RowStatus::kNoId:
      add("no id or old_id given");
      break;
    case RowStatus::kMatch:
      break;
  }
  if (row.linked) {
    if (!row.suggestion) {
      add("linkage found no candidate");
    } else if (row.suggestion->needs_review) {
      add("linkage found a candidate to review");
    } else {
      add("linkage found the person under suggested_id");
    }
  }
  if (dup.same_id_line != 0) {
    add("id also on line " + std::to_string(dup.same_id_line) + " for another person");
  }
  if (dup.same_person_line != 0) {
    add("same person as line " + std::to_string(dup.same_person_line) + " under another id");
  }
  AppendCsvField(out, reason);
  out.push_back('\n');
}

std::string SummaryJson(const ReconcileSummary& s) {
  boost::json::object o;
  o["rows"] = s.rows;
  o["rows_with_id"] = s.rows_with_id;
  boost::json::object status;
  for (size_t i = 0; i < kRowStatusCount; ++i) {
    status[ToString(static_cast<RowStatus>(i))] = s.by_status[i];
  }
  o["status"] = std::move(status);
  boost::json::object fields;
  for (size_t i = 0; i < kFieldCount; ++i) {
    const FieldCounts& c = s.fields[i];
    fields[ToString(static_cast<Field>(i))] = {
        {"given", c.given}, {"match", c.match}, {"partial", c.partial}, {"mismatch", c.mismatch}};
  }
  o["fields"] = std::move(fields);
  boost::json::object errors;
  for (const auto& [code, n] : s.errors) errors[code] = n;
  o["errors"] = std::move(errors);
  o["duplicates"] = {{"same_id_other_person", s.duplicate_ids},
                     {"same_person_other_id", s.duplicate_persons},
                     {"repeated", s.repeated_rows}};
  o["deceased"] = s.deceased;
  o["linkage"] = {{"rows", s.linkage_rows},
                  {"suggested", s.suggested},
                  {"needs_review", s.needs_review},
                  {"seconds", s.linkage_seconds},
                  {"rows_per_second", Rate(s.linkage_rows, s.linkage_seconds)}};
  o["seconds"] = s.seconds;
  o["rows_per_second"] = Rate(s.rows, s.seconds);
  return boost::json::serialize(o);
}

std::string SummaryText(const ReconcileSummary& s) {
  char buf[512];
  std::string out;
  std::snprintf(buf, sizeof buf,
                "%lld rows in %.2f s (%.0f rows/s): ", static_cast<long long>(s.rows), s.seconds,
                Rate(s.rows, s.seconds));
  out += buf;
  for (size_t i = 0; i < kRowStatusCount; ++i) {
    if (i != 0) out += ", ";
    out += ToString(static_cast<RowStatus>(i));
    out += ' ';
    out += std::to_string(s.by_status[i]);
  }
  out += "\ndiscrepancies (partial/mismatch):";
  for (size_t i = 0; i < kFieldCount; ++i) {
    const FieldCounts& c = s.fields[i];
    if (c.given == 0) continue;
    std::snprintf(buf, sizeof buf, " %s %lld/%lld",
                  std::string(ToString(static_cast<Field>(i))).c_str(),
                  static_cast<long long>(c.partial), static_cast<long long>(c.mismatch));
    out += buf;
  }
  std::snprintf(buf, sizeof buf,
                "\nduplicates: %lld ids used for another person, %lld people under another id, "
                "%lld repeated rows\nlinkage: %lld rows, %lld suggested ids (%lld to review), "
                "%.2f s\n",
                static_cast<long long>(s.duplicate_ids),
                static_cast<long long>(s.duplicate_persons),
                static_cast<long long>(s.repeated_rows), static_cast<long long>(s.linkage_rows),
                static_cast<long long>(s.suggested), static_cast<long long>(s.needs_review),
                s.linkage_seconds);
  out += buf;
  if (!s.errors.empty()) {
    out += "errors:";
    for (const auto& [code, n] : s.errors) out += " " + code + " " + std::to_string(n);
    out += '\n';
  }
  return out;
}

}  // namespace dancu::verify
