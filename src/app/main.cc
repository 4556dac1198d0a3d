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
  return 2;
}
