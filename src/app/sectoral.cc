// dancu sectoral submit|list: sectoral data sync in bulk (issue 5, "Bulk
// submission reuses the reconciliation machinery").
//
// submit: an agency's CSV file of records (hub/sectoral_record.h) is read
// like a reconciliation input: the separator sniffed from the header
// (verify::SniffSeparator), a UTF-8 BOM skipped and line numbers kept
// (core/csv.h), the person columns found by verify::ColumnMap (the same
// names and aliases: citizen_id/cccd/so_dinh_danh, ho_ten, ngay_sinh,
// gioi_tinh, ... and --map input_col=field), a broken row (csv.bad_quote,
// csv.bad_utf8, csv.line_too_long, csv.ragged) reported by line. The
// document columns are found by name (kDocumentColumns below); --type gives
// the type of rows without a type column or cell. Each record is checked by
// the Verifier (hub/sectoral_sync.h) and the report is the reconciliation
// report (verify/reconcile_report.h), one row per record in input order,
// line-numbered: MATCH = linked, MISMATCH / NOT_FOUND = not linked, ERROR =
// invalid (the reason carries the sectoral.* / csv.* code), plus the summary
// JSON (OUT.summary.json). All the file's linked records are stored in one
// transaction after every row was checked: a failure links nothing and
// leaves no report. The run is staff's (no access-log entries, like
// `dancu reconcile`); the agency must exist (dancu agencies).
//
// list: prints a citizen's linked documents as JSON lines.
//
// Exit codes: 0 done (rows with errors are in the report), 1 the register,
// hub.db, input or report cannot be used, 2 a usage error (a bad --type,
// --map or header, an unknown agency; nothing is written).
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <fstream>
#include <optional>

#include "app/commands.h"
#include "app/register_files.h"
#include "core/csv.h"
#include "core/person_name.h"
#include "hub/hub_db.h"
#include "hub/linked_documents.h"
#include "hub/members.h"
#include "hub/sectoral_record.h"
#include "hub/sectoral_sync.h"
#include "verify/reconcile_input.h"
#include "verify/reconcile_report.h"
#include "verify/verifier.h"

namespace dancu::app {
namespace {

enum class DocColumn { kType, kNumber, kClass, kValidFrom, kValidTo, kExpiry };
constexpr size_t kDocColumnCount = 6;

struct DocAlias {
  std::string_view name;  // normalised header name
  DocColumn column;
};
// The document columns, by their API names and common Vietnamese headers.
constexpr DocAlias kDocumentColumns[] = {
    {"type", DocColumn::kType},
    {"loai", DocColumn::kType},
    {"document_type", DocColumn::kType},
    {"number", DocColumn::kNumber},
    {"so", DocColumn::kNumber},
    {"card_number", DocColumn::kNumber},
    {"so_the", DocColumn::kNumber},
    {"so_the_bhyt", DocColumn::kNumber},
    {"ma_the", DocColumn::kNumber},
    {"licence_number", DocColumn::kNumber},
    {"license_number", DocColumn::kNumber},
    {"so_gplx", DocColumn::kNumber},
    {"tax_code", DocColumn::kNumber},
    {"ma_so_thue", DocColumn::kNumber},
    {"mst", DocColumn::kNumber},
    {"social_insurance_number", DocColumn::kNumber},
    {"so_bhxh", DocColumn::kNumber},
    {"ma_so_bhxh", DocColumn::kNumber},
    {"class", DocColumn::kClass},
    {"licence_class", DocColumn::kClass},
    {"license_class", DocColumn::kClass},
    {"hang", DocColumn::kClass},
    {"hang_gplx", DocColumn::kClass},
    {"valid_from", DocColumn::kValidFrom},
    {"tu_ngay", DocColumn::kValidFrom},
    {"valid_to", DocColumn::kValidTo},
    {"den_ngay", DocColumn::kValidTo},
    {"expiry", DocColumn::kExpiry},
    {"expiry_date", DocColumn::kExpiry},
    {"ngay_het_han", DocColumn::kExpiry},
};

// A header cell folded (lower case, no diacritics), blanks and '-' as '_'.
std::string HeaderKey(std::string_view h) {
  while (!h.empty() && (h.front() == ' ' || h.front() == '\t')) h.remove_prefix(1);
  while (!h.empty() && (h.back() == ' ' || h.back() == '\t')) h.remove_suffix(1);
  std::string s = FoldName(h);
  for (char& c : s) {
    if (c == ' ' || c == '-') c = '_';
  }
  return s;
}

void PrintError(const std::string& where, const Error& e) {
  std::fprintf(stderr, "dancu: %s: %s%s%s (%s)\n", where.c_str(), e.field.c_str(),
               e.field.empty() ? "" : ": ", e.message.c_str(), e.code.c_str());
}

bool WriteFile(const std::string& path, std::string_view text) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!f.flush()) {
      std::fprintf(stderr, "dancu: cannot write %s\n", tmp.c_str());
      return false;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::fprintf(stderr, "dancu: cannot rename %s to %s\n", tmp.c_str(), path.c_str());
    return false;
  }
  return true;
}

// The reconciliation report row for a record's outcome.
verify::RowOutcome RowFor(int64_t line, const hub::SyncOutcome& o) {
  verify::RowOutcome row;
  row.line = line;
  row.id_given = true;
  row.deceased = o.check.deceased;
  switch (o.status) {
    case hub::SyncStatus::kLinked:
      row.status = verify::RowStatus::kMatch;
      break;
    case hub::SyncStatus::kMismatch:
      row.status = verify::RowStatus::kMismatch;
      break;
    case hub::SyncStatus::kNotFound:
      row.status = verify::RowStatus::kNotFound;
      break;
    case hub::SyncStatus::kInvalid:
      row.status = verify::RowStatus::kError;
      break;
  }
  for (const verify::FieldOutcome& f : o.check.fields) {
    row.fields[static_cast<size_t>(f.field)] = static_cast<int8_t>(f.result);
    if (f.level) row.name_level = f.level;
    if (f.score >= 0) row.name_score = f.score;
  }
  return row;
}

verify::RowOutcome ErrorRow(int64_t line, Error e) {
  verify::RowOutcome row;
  row.line = line;
  row.status = verify::RowStatus::kError;
  row.error = std::move(e);
  return row;
}

int Submit(const SectoralOptions& o) {
  if (o.input.empty() || o.out.empty() || o.agency.empty()) {
    std::fprintf(stderr, "dancu: sectoral submit needs --agency, INPUT.csv and --out REPORT.csv\n");
    return 2;
  }
  if (!o.type.empty() && !hub::ParseDocumentType(o.type)) {
    std::fprintf(stderr,
                 "dancu: unknown --type %s (health_insurance, driver_licence, tax_code, "
                 "social_insurance)\n",
                 o.type.c_str());
    return 2;
  }
  auto reg = OpenRegisterIn(o.data_dir, /*create=*/false);
  if (!reg) return 1;
  auto hub_db = hub::OpenHubDb(o.data_dir);
  if (!hub_db) {
    PrintError("hub.db", hub_db.error());
    return 1;
  }
  {
    auto members = hub::Members::Open(**hub_db, o.data_dir, reg->clock, reg->random);
    if (!members) {
      PrintError("hub.db", members.error());
      return 1;
    }
    auto agency = (*members)->GetAgency(o.agency);
    if (!agency) {
      PrintError("--agency " + o.agency, agency.error());
      return agency.error().code == "agency.not_found" ? 2 : 1;
    }
  }
  auto documents = hub::LinkedDocuments::Open(**hub_db, reg->clock);
  if (!documents) {
    PrintError("hub.db", documents.error());
    return 1;
  }

  auto [verifier, index_seconds, origin] = OpenVerifierIn(o.data_dir, *reg->registry);
  if (!verifier) return 1;
  std::fprintf(stderr, "verification index: %zu citizens in %.1f s (%s)\n", verifier->size(),
               index_seconds, std::string(origin).c_str());

  // The input, opened as the reconciler opens it.
  std::ifstream in(o.input, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "dancu: cannot read %s\n", o.input.c_str());
    return 1;
  }
  std::string head(64 * 1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  in.clear();
  in.seekg(0);
  CsvOptions csv_options;
  csv_options.separator = verify::SniffSeparator(head);
  CsvReader reader(in, csv_options);
  CsvRecord record;
  std::optional<Error> error;
  if (!reader.Next(record, error)) {
    std::fprintf(stderr, "dancu: %s: the input has no header line\n", o.input.c_str());
    return 2;
  }
  if (error) {
    PrintError(o.input + ": the header line", *error);
    return 2;
  }
  auto map = verify::ColumnMap::FromHeader(record.fields, o.map);
  if (!map) {
    PrintError(o.input, map.error());
    return 2;
  }
  if (!map->has(verify::InputField::kId)) {
    std::fprintf(stderr, "dancu: %s: no citizen_id column (or name it with --map col=id)\n",
                 o.input.c_str());
    return 2;
  }
  std::array<int, kDocColumnCount> doc_column{-1, -1, -1, -1, -1, -1};
  for (size_t c = 0; c < record.fields.size(); ++c) {
    const std::string key = HeaderKey(record.fields[c]);
    for (const DocAlias& a : kDocumentColumns) {
      int& slot = doc_column[static_cast<size_t>(a.column)];
      if (a.name == key && slot < 0) slot = static_cast<int>(c);
    }
  }
  if (doc_column[static_cast<size_t>(DocColumn::kNumber)] < 0) {
    std::fprintf(stderr,
                 "dancu: %s: no number column (number, so_the_bhyt, so_gplx, ma_so_thue, "
                 "so_bhxh, ...)\n",
                 o.input.c_str());
    return 2;
  }
  if (doc_column[static_cast<size_t>(DocColumn::kType)] < 0 && o.type.empty()) {
    std::fprintf(stderr, "dancu: %s: no type column: give --type\n", o.input.c_str());
    return 2;
  }

  // Check every record; keep the report rows and the records to link.
  const auto today = reg->clock.Today();
  std::vector<verify::RowOutcome> rows;
  std::vector<hub::SectoralRecord> linked;
  while (reader.Next(record, error)) {
    if (error) {
      rows.push_back(ErrorRow(record.line, std::move(*error)));
      error.reset();
      continue;
    }
    if (record.fields.size() != map->header_width) {
      rows.push_back(
          ErrorRow(record.line, Error{"csv.ragged",
                                      "line " + std::to_string(record.line) + ": expected " +
                                          std::to_string(map->header_width) + " fields, found " +
                                          std::to_string(record.fields.size()),
                                      {}}));
      continue;
    }
    auto cell = [&](int column) {
      return column < 0 ? std::string_view() : std::string_view(record.fields[column]);
    };
    auto doc = [&](DocColumn c) { return cell(doc_column[static_cast<size_t>(c)]); };
    auto person = [&](verify::InputField f) { return cell(map->column[static_cast<size_t>(f)]); };
    hub::SectoralInput input;
    input.type = doc(DocColumn::kType);
    if (input.type.find_first_not_of(" \t") == std::string_view::npos) input.type = o.type;
    input.number = doc(DocColumn::kNumber);
    input.licence_class = doc(DocColumn::kClass);
    input.valid_from = doc(DocColumn::kValidFrom);
    input.valid_to = doc(DocColumn::kValidTo);
    input.expiry = doc(DocColumn::kExpiry);
    input.citizen_id = person(verify::InputField::kId);
    input.full_name = person(verify::InputField::kFullName);
    input.date_of_birth = person(verify::InputField::kDateOfBirth);
    input.sex = person(verify::InputField::kSex);
    auto r = hub::ValidateSectoralRecord(input, today);
    if (!r) {
      rows.push_back(ErrorRow(record.line, std::move(r.error())));
      continue;
    }
    hub::SyncOutcome outcome = hub::CheckRecord(*verifier, *r);
    rows.push_back(RowFor(record.line, outcome));
    if (outcome.status == hub::SyncStatus::kLinked) linked.push_back(std::move(*r));
  }
  if (in.bad()) {
    std::fprintf(stderr, "dancu: reading %s failed\n", o.input.c_str());
    return 1;
  }

  // All or nothing: link, then write the report that says so.
  if (auto s = (*documents)->Link(o.agency, linked); !s) {
    PrintError("hub.db", s.error());
    return 1;
  }
  std::string report(verify::kReportHeader);
  verify::ReconcileSummary summary;
  const verify::DuplicateFinding no_duplicate;
  for (const verify::RowOutcome& row : rows) {
    verify::AppendReportRow(report, row, no_duplicate);
    summary.Add(row, no_duplicate);
  }
  const std::string summary_path = o.out + ".summary.json";
  if (!WriteFile(o.out, report) || !WriteFile(summary_path, verify::SummaryJson(summary) + "\n")) {
    return 1;
  }
  std::printf("%s", verify::SummaryText(summary).c_str());
  std::printf("linked %zu documents for agency %s\n", linked.size(), o.agency.c_str());
  std::printf("report %s, summary %s\n", o.out.c_str(), summary_path.c_str());
  return 0;
}

int List(const SectoralOptions& o) {
  auto id = CitizenId::Parse(o.citizen_id);
  if (!id) {
    PrintError(o.citizen_id, id.error());
    return 2;
  }
  auto reg = OpenRegisterIn(o.data_dir, /*create=*/false);
  if (!reg) return 1;
  auto hub_db = hub::OpenHubDb(o.data_dir);
  if (!hub_db) {
    PrintError("hub.db", hub_db.error());
    return 1;
  }
  auto documents = hub::LinkedDocuments::Open(**hub_db, reg->clock);
  if (!documents) {
    PrintError("hub.db", documents.error());
    return 1;
  }
  auto list = (*documents)->ForCitizen(*id);
  if (!list) {
    PrintError("hub.db", list.error());
    return 1;
  }
  for (const hub::LinkedDocument& d : *list) {
    boost::json::object line;
    line["type"] = hub::ToString(d.type);
    line["number"] = d.number;
    line["attributes"] = boost::json::parse(d.attributes);
    line["agency"] = d.agency;
    line["submitted_at"] = d.submitted_at;
    std::printf("%s\n", boost::json::serialize(line).c_str());
  }
  return 0;
}

}  // namespace

int Sectoral(const SectoralOptions& o) {
  if (o.action == "submit") return Submit(o);
  if (o.action == "list") return List(o);
  return 2;
}

}  // namespace dancu::app
