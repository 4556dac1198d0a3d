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
  serve_cmd->add_option("--mtls-header", serve.mtls_header,
                        "Header in which a TLS-terminating proxy passes the client certificate's "
                        "SHA-256 (hex), for agency clients bound to a certificate");

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

  dancu::app::SectoralOptions sec;
  auto* sec_cmd = cli.add_subcommand("sectoral", "Sectoral data sync: agencies' records linked to citizens");
  sec_cmd->require_subcommand(1);
  auto* sec_submit = sec_cmd->add_subcommand("submit", "Check an agency's CSV of records and link the matching ones");
  sec_submit->add_option("--data", sec.data_dir, "Data directory")->required();
  sec_submit->add_option("--agency", sec.agency, "The submitting agency (dancu agencies)")->required();
  sec_submit->add_option("--type", sec.type, "Type of rows without a type column: health_insurance, "
                                             "driver_licence, tax_code, social_insurance");
  sec_submit->add_option("--map", sec.map, "Person columns: input_col=field,... (id, full_name, "
                                           "date_of_birth, sex)");
  sec_submit->add_option("INPUT", sec.input, "CSV file of records")->required();
  sec_submit->add_option("--out", sec.out, "Report CSV to write (and OUT.summary.json)")->required();
  auto* sec_list = sec_cmd->add_subcommand("list", "Print a citizen's linked documents as JSON lines");
  sec_list->add_option("--data", sec.data_dir, "Data directory")->required();
  sec_list->add_option("ID", sec.citizen_id, "12-digit personal identification number")->required();

  dancu::app::AgenciesOptions ag;
  auto* ag_cmd = cli.add_subcommand("agencies", "Manage agencies, their API clients and policies");
  ag_cmd->require_subcommand(1);
  auto* ag_add = ag_cmd->add_subcommand("add", "Register an agency");
  ag_add->add_option("--data", ag.data_dir, "Data directory")->required();
  ag_add->add_option("--name", ag.name, "Agency name (a-z 0-9 . _ -)")->required();
  ag_add->add_option("--kind", ag.kind, "ministry, province, commune or enterprise")->required();
  ag_add->add_option("--display-name", ag.display_name, "The name citizens see")->required();
  auto* ag_list = ag_cmd->add_subcommand("list", "List agencies");
  ag_list->add_option("--data", ag.data_dir, "Data directory")->required();
  auto* ag_disable = ag_cmd->add_subcommand("disable", "Disable an agency and all its clients");
  ag_disable->add_option("--data", ag.data_dir, "Data directory")->required();
  ag_disable->add_option("--name", ag.name, "Agency name")->required();
  auto* ag_add_client = ag_cmd->add_subcommand(
      "add-client", "Register an API client of an agency (private_key_jwt) and print its id");
  ag_add_client->add_option("--data", ag.data_dir, "Data directory")->required();
  ag_add_client->add_option("--agency", ag.name, "Agency name")->required();
  auto* ag_jwks = ag_add_client->add_option("--jwks", ag.jwks_file,
                                            "File with the client's public keys (JWKS, ES256)");
  ag_add_client
      ->add_option("--generate-key", ag.key_out,
                   "Development: generate the key pair here, write the private key to this PEM "
                   "file (0600) for the agency")
      ->excludes(ag_jwks);
  ag_add_client->add_option("--mtls-thumbprint", ag.mtls_thumbprint,
                            "Bind to a TLS client certificate (SHA-256, hex)");
  ag_add_client->add_option("--policy", ag.policy_file, "Policy JSON file (default: deny all)");
  auto* ag_clients = ag_cmd->add_subcommand("clients", "List API clients and their policies");
  ag_clients->add_option("--data", ag.data_dir, "Data directory")->required();
  ag_clients->add_option("--agency", ag.name, "Only this agency's clients");
  auto* ag_policy = ag_cmd->add_subcommand("policy", "Show or set (--set FILE) a client's policy");
  ag_policy->add_option("--data", ag.data_dir, "Data directory")->required();
  ag_policy->add_option("--client", ag.client_id, "Client id")->required();
  ag_policy->add_option("--set", ag.policy_file, "Policy JSON file");
  auto* ag_disable_client = ag_cmd->add_subcommand("disable-client", "Disable an API client");
  ag_disable_client->add_option("--data", ag.data_dir, "Data directory")->required();
  ag_disable_client->add_option("--client", ag.client_id, "Client id")->required();
  auto* ag_assertion = ag_cmd->add_subcommand(
      "assertion",
      "Agency side: print a signed client assertion for POST /v1/agency/token (no data dir)");
  ag_assertion->add_option("--client", ag.client_id, "Client id")->required();
  ag_assertion->add_option("--key", ag.key_in, "The client's private key (PEM)")->required();
  ag_assertion->add_option("--audience", ag.audience,
                           "The token endpoint URL, e.g. http://127.0.0.1:8080/v1/agency/token")
      ->required();

  dancu::app::WebhooksOptions wh;
  auto* wh_cmd = cli.add_subcommand("webhooks", "Manage agencies' webhook subscriptions");
  wh_cmd->require_subcommand(1);
  auto* wh_add = wh_cmd->add_subcommand("add", "Subscribe an agency's URL and print its secret (once)");
  wh_add->add_option("--data", wh.data_dir, "Data directory")->required();
  wh_add->add_option("--agency", wh.agency, "Agency name (dancu agencies add)")->required();
  wh_add->add_option("--url", wh.url, "https:// URL (or http:// to a loopback host)")->required();
  wh_add->add_option("--events", wh.events, "Event types, e.g. death,birth")->required()->delimiter(',');
  wh_add->add_option("--provinces", wh.provinces, "Province codes, e.g. 01,79 (default: all)")
      ->delimiter(',');
  auto* wh_list = wh_cmd->add_subcommand("list", "List webhook subscriptions");
  wh_list->add_option("--data", wh.data_dir, "Data directory")->required();
  auto* wh_remove = wh_cmd->add_subcommand("remove", "Remove (disable) a subscription");
  wh_remove->add_option("--data", wh.data_dir, "Data directory")->required();
  wh_remove->add_option("--id", wh.id, "Subscription id")->required();
  auto* wh_dead = wh_cmd->add_subcommand("dead-letters", "List deliveries that ran out of retries");
  wh_dead->add_option("--data", wh.data_dir, "Data directory")->required();
  auto* wh_redeliver = wh_cmd->add_subcommand("redeliver", "Send a dead letter again");
  wh_redeliver->add_option("--data", wh.data_dir, "Data directory")->required();
  wh_redeliver->add_option("--id", wh.id, "Delivery id")->required();

  dancu::app::OfficersOptions off;
  auto* off_cmd = cli.add_subcommand("officers", "Manage the officers who upgrade accounts to level 2");
  off_cmd->require_subcommand(1);
  auto* off_add = off_cmd->add_subcommand("add", "Create an officer (the password is prompted for)");
  off_add->add_option("--data", off.data_dir, "Data directory")->required();
  off_add->add_option("--username", off.username, "Username (a-z 0-9 . _ -)")->required();
  off_add->add_option("--name", off.name, "Display name")->required();
  off_add->add_option("--role", off.role, "police or civil_status")->required();
  off_add->add_option("--area", off.area_code,
                      "Province (2 digits) or commune (5 digits) code of the officer's area")
      ->required();
  off_add->add_flag("--password-stdin", off.password_stdin, "Read the password from stdin");
  auto* off_list = off_cmd->add_subcommand("list", "List officers");
  off_list->add_option("--data", off.data_dir, "Data directory")->required();
  auto* off_disable =
      off_cmd->add_subcommand("disable", "Disable an officer (their tokens end at once)");
  auto* off_enable = off_cmd->add_subcommand("enable", "Enable a disabled officer again");
  for (auto* sub : {off_disable, off_enable}) {
    sub->add_option("--data", off.data_dir, "Data directory")->required();
    sub->add_option("username", off.username, "The officer's username")->required();
  }

  std::string audit_dir;
  dancu::app::AuditVerifyOptions av;
  auto* audit_cmd = cli.add_subcommand("audit", "The tamper-evident access log");
  audit_cmd->require_subcommand(1);
  auto* audit_head = audit_cmd->add_subcommand("head", "Print the latest signed tree head");
  audit_head->add_option("--data", audit_dir, "Data directory")->required();
  auto* audit_key = audit_cmd->add_subcommand("public-key", "Print the head-signing key (JWK)");
  audit_key->add_option("--data", audit_dir, "Data directory")->required();
  auto* audit_verify = audit_cmd->add_subcommand(
      "verify", "Check a saved tree head, inclusion and consistency proofs (exit 0 OK, 1 failed)");
  audit_verify->add_option("--head", av.head, "Saved tree head JSON")->required();
  audit_verify->add_option("--key", av.key, "Public key JWK file (GET /v1/audit/public-key)");
  audit_verify->add_option("--server", av.server, "http://HOST:PORT: fetch the key and the current head");
  audit_verify->add_option("--proof", av.proof, "Inclusion proof JSON for the head's size");
  audit_verify->add_option("--entry", av.entry, "The entry JSON the proof is about");
  audit_verify->add_option("--new-head", av.new_head, "A later tree head JSON");
  audit_verify->add_option("--consistency", av.consistency, "Consistency proof JSON head -> new head");

  dancu::app::ClientsOptions cl;
  auto* cl_cmd = cli.add_subcommand("clients", "Manage OpenID Connect relying parties");
  cl_cmd->require_subcommand(1);
  auto* cl_add = cl_cmd->add_subcommand("add", "Register a relying party and print its client_id "
                                               "and client_secret (once)");
  cl_add->add_option("--data", cl.data_dir, "Data directory")->required();
  cl_add->add_option("--name", cl.name, "Name shown on the consent page")->required();
  cl_add->add_option("--redirect-uri", cl.redirect_uris, "Exact redirect URI (repeatable)")
      ->required();
  cl_add->add_option("--post-logout-redirect-uri", cl.post_logout_redirect_uris,
                     "Exact post-logout redirect URI (repeatable)");
  cl_add->add_option("--scopes", cl.scopes,
                     "Allowed scopes: openid profile address phone citizen_id offline_access")
      ->required();
  cl_add->add_option("--min-level", cl.min_level, "Minimum assurance level, 1 or 2");
  cl_add->add_option("--logo-uri", cl.logo_uri, "https URL of the logo shown at consent");
  cl_add->add_option("--auth-method", cl.auth_method,
                     "client_secret_basic (default), client_secret_post or private_key_jwt");
  cl_add->add_option("--jwks-file", cl.jwks_file,
                     "The client's public JWKS (private_key_jwt)");
  auto* cl_list = cl_cmd->add_subcommand("list", "List relying parties");
  cl_list->add_option("--data", cl.data_dir, "Data directory")->required();
  auto* cl_disable = cl_cmd->add_subcommand("disable", "Disable a relying party");
  cl_disable->add_option("--data", cl.data_dir, "Data directory")->required();
  cl_disable->add_option("--client-id", cl.client_id, "The client's id")->required();

  dancu::app::KeysOptions keys;
  auto* keys_cmd = cli.add_subcommand("keys", "Manage the OpenID Connect signing keys");
  keys_cmd->require_subcommand(1);
  auto* keys_rotate = keys_cmd->add_subcommand("rotate", "Make a new signing key current");
  keys_rotate->add_option("--data", keys.data_dir, "Data directory")->required();
  auto* keys_list = keys_cmd->add_subcommand("list", "List the signing keys");
  keys_list->add_option("--data", keys.data_dir, "Data directory")->required();

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
  if (*sec_cmd) {
    sec.action = *sec_submit ? "submit" : "list";
    (void)sec_list;
    return dancu::app::Sectoral(sec);
  }
  if (*off_cmd) {
    off.action = *off_add ? "add" : *off_list ? "list" : *off_disable ? "disable" : "enable";
    return dancu::app::Officers(off);
  }
  if (*audit_cmd) {
    if (*audit_head) return dancu::app::AuditHead(audit_dir);
    if (*audit_key) return dancu::app::AuditPublicKey(audit_dir);
    return dancu::app::AuditVerify(av);
  }
  if (*cl_cmd) {
    cl.action = *cl_add ? "add" : *cl_list ? "list" : "disable";
    return dancu::app::Clients(cl);
  }
  if (*keys_cmd) {
    keys.action = *keys_rotate ? "rotate" : "list";
    return dancu::app::Keys(keys);
  }
  if (*wh_cmd) {
    wh.action = *wh_add ? "add" : *wh_list ? "list" : *wh_remove ? "remove"
              : *wh_dead ? "dead-letters" : "redeliver";
    return dancu::app::Webhooks(wh);
  }
  if (*ag_cmd) {
    ag.action = *ag_add              ? "add"
                : *ag_list           ? "list"
                : *ag_disable        ? "disable"
                : *ag_add_client     ? "add-client"
                : *ag_clients        ? "clients"
                : *ag_policy         ? "policy"
                : *ag_disable_client ? "disable-client"
                                     : "assertion";
    return dancu::app::Agencies(ag);
  }
  return 2;
}
