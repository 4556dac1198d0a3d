// dancu: the national population register. The one composition root: parses
// the command line and runs a subcommand (app/commands.h).
#include <CLI/CLI.hpp>
#include <cstdio>

#include "app/commands.h"

int main(int argc, char** argv) {
  CLI::App cli{"dancu: national population register and electronic identity platform"};
  cli.require_subcommand(1);
  cli.set_version_flag("--version", "dancu 0.1.0");

  dancu::app::ServeOptions serve;
  auto* serve_cmd = cli.add_subcommand("serve", "Run the HTTP server");
  serve_cmd->add_option("--data", serve.data_dir, "Data directory")->required();
  serve_cmd->add_option("--listen", serve.listen, "HOST:PORT (port 0 picks a free port)");
  serve_cmd->add_option("--threads", serve.threads, "I/O threads (default: one per core)");
  serve_cmd->add_option("--issuer", serve.issuer,
                        "Public base URL, the OpenID Connect issuer (default: http://HOST:PORT)");

  dancu::app::GenerateOptions gen;
  auto* gen_cmd = cli.add_subcommand("generate", "Create a synthetic population");
  gen_cmd->add_option("--data", gen.data_dir, "Data directory")->required();
  gen_cmd->add_option("--count", gen.count, "Number of citizens")->required();
  gen_cmd->add_option("--seed", gen.seed, "Random seed (same seed, same population)");

  dancu::app::ImportOptions imp;
  auto* imp_cmd = cli.add_subcommand("import", "Import citizens from CSV (all or nothing)");
  imp_cmd->add_option("--data", imp.data_dir, "Data directory")->required();
  imp_cmd->add_option("FILE", imp.file, "CSV file (docs/csv-format.md)")->required();
  imp_cmd->add_option("--report", imp.report, "Write every rejected row to this CSV");

  dancu::app::ExportOptions exp;
  auto* exp_cmd = cli.add_subcommand("export", "Export the register as CSV");
  exp_cmd->add_option("--data", exp.data_dir, "Data directory")->required();
  exp_cmd->add_option("--out", exp.out, "Output file (default: stdout)");

  std::string get_dir, get_id;
  auto* get_cmd = cli.add_subcommand("get", "Print one citizen as JSON");
  get_cmd->add_option("--data", get_dir, "Data directory")->required();
  get_cmd->add_option("ID", get_id, "12-digit personal identification number")->required();

  dancu::app::EventsOptions ev;
  auto* ev_cmd = cli.add_subcommand("events", "Print the change feed as NDJSON");
  ev_cmd->add_option("--data", ev.data_dir, "Data directory")->required();
  ev_cmd->add_option("--after", ev.after, "Start after this seq");
  ev_cmd->add_flag("--follow", ev.follow, "Keep printing new events");

  dancu::app::ReconcileOptions rec;
  auto* rec_cmd = cli.add_subcommand("reconcile", "Reconcile an agency's CSV file against the register");
  rec_cmd->add_option("--data", rec.data_dir, "Data directory")->required();
  rec_cmd->add_option("INPUT", rec.input, "CSV file to reconcile (docs/csv-format.md)")->required();
  rec_cmd->add_option("--out", rec.out, "Report CSV to write")->required();
  rec_cmd->add_option("--map", rec.map, "Columns: input_col=field,... (fields: id, old_id, "
                                        "full_name, date_of_birth, sex, permanent_address.commune_code, "
                                        "permanent_address.address)");
  rec_cmd->add_option("--summary", rec.summary, "Summary JSON (default: OUT.summary.json)");
  rec_cmd->add_option("--threads", rec.threads, "Worker threads (default: one per core)");
  rec_cmd->add_option("--threshold", rec.threshold, "Linkage match weight");
  rec_cmd->add_option("--review-threshold", rec.review_threshold, "Linkage needs-review weight");
  rec_cmd->add_flag("--no-linkage", rec.no_linkage, "Verify only: no record linkage, no suggested_id");

  dancu::app::AgenciesOptions ag;
  auto* ag_cmd = cli.add_subcommand("agencies", "Manage agencies' API keys for verification");
  ag_cmd->require_subcommand(1);
  auto* ag_add = ag_cmd->add_subcommand("add", "Register an agency and print its API key (once)");
  ag_add->add_option("--data", ag.data_dir, "Data directory")->required();
  ag_add->add_option("--name", ag.name, "Agency name (A-Z a-z 0-9 . _ -)")->required();
  auto* ag_list = ag_cmd->add_subcommand("list", "List agencies");
  ag_list->add_option("--data", ag.data_dir, "Data directory")->required();
  auto* ag_disable = ag_cmd->add_subcommand("disable", "Disable an agency's key");
  ag_disable->add_option("--data", ag.data_dir, "Data directory")->required();
  ag_disable->add_option("--name", ag.name, "Agency name")->required();

  const char* kFieldsHelp = "Fields to compare: col:type,... (types: name, date, text, exact, "
                           "id, postcode)";
  dancu::app::LinkageOptions dd;
  auto* dd_cmd = cli.add_subcommand("dedupe", "Find records of one CSV file that are the same person");
  dd_cmd->add_option("FILE", dd.files, "CSV file (',' or ';' separated, header row)")
      ->required()->expected(1);
  dd_cmd->add_option("--fields", dd.fields, kFieldsHelp)->required();
  dd_cmd->add_option("--id-column", dd.id_column, "Column holding the record id (default: line number)");
  dd_cmd->add_option("--threshold", dd.threshold, "Match weight (default 8)");
  dd_cmd->add_option("--review", dd.review, "Also write pairs from this weight up (needs review)");
  dd_cmd->add_option("--out", dd.out, "Pairs CSV left_id,right_id,score (default: stdout)");

  dancu::app::LinkageOptions lk;
  auto* lk_cmd = cli.add_subcommand("link", "Find records of two CSV files that are the same person");
  lk_cmd->add_option("FILES", lk.files, "LEFT.csv RIGHT.csv")->required()->expected(2);
  lk_cmd->add_option("--fields", lk.fields, kFieldsHelp)->required();
  lk_cmd->add_option("--id-column", lk.id_column, "Column holding the record id (default: line number)");
  lk_cmd->add_option("--threshold", lk.threshold, "Match weight (default 8)");
  lk_cmd->add_option("--review", lk.review, "Also write pairs from this weight up (needs review)");
  lk_cmd->add_option("--out", lk.out, "Pairs CSV left_id,right_id,score (default: stdout)");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? 0 : 2;
  }
  if (*serve_cmd) return dancu::app::Serve(serve);
  if (*gen_cmd) return dancu::app::Generate(gen);
  if (*imp_cmd) return dancu::app::Import(imp);
  if (*exp_cmd) return dancu::app::Export(exp);
  if (*get_cmd) return dancu::app::Get(get_dir, get_id);
  if (*ev_cmd) return dancu::app::Events(ev);
  if (*dd_cmd) return dancu::app::Dedupe(dd);
  if (*lk_cmd) return dancu::app::Link(lk);
  if (*rec_cmd) return dancu::app::Reconcile(rec);
  if (*ag_cmd) {
    ag.action = *ag_add ? "add" : *ag_list ? "list" : "disable";
    return dancu::app::Agencies(ag);
  }
  return 2;
}
