// The `dancu` subcommands. main.cc is the one composition root: it parses the
// command line with CLI11 and calls one of these. Each returns the process
// exit code (0 ok, 1 failure the user can fix, 2 usage error).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dancu::app {

struct ServeOptions {
  std::string data_dir;
  std::string listen = "127.0.0.1:8080";
  int threads = 0;
  // The public base URL (OpenID Connect issuer), e.g. https://id.example.gov.vn;
  // empty: http://HOST:PORT of the bound socket.
  std::string issuer;
  // The request header in which a TLS-terminating proxy puts the client
  // certificate's SHA-256 (hex), for agency clients bound to a certificate;
  // empty: mutual TLS is not used.
  std::string mtls_header;
};
int Serve(const ServeOptions& o);

struct GenerateOptions {
  std::string data_dir;
  int64_t count = 0;
  uint64_t seed = 1;
};
int Generate(const GenerateOptions& o);

struct ImportOptions {
  std::string data_dir;
  std::string file;
  std::string report;  // write every rejected row here (CSV), optional
};
int Import(const ImportOptions& o);

struct ExportOptions {
  std::string data_dir;
  std::string out;  // empty = stdout
};
int Export(const ExportOptions& o);

int Get(const std::string& data_dir, const std::string& id);

struct EventsOptions {
  std::string data_dir;
  int64_t after = 0;
  bool follow = false;
};
int Events(const EventsOptions& o);

// dancu agencies ... (agencies.cc): agencies, their API clients and policies
// (hub/members.h), and the agency-side client assertion.
struct AgenciesOptions {
  // add, list, disable, add-client, clients, policy, disable-client, assertion
  std::string action;
  std::string data_dir;
  std::string name;          // add, disable, add-client (--agency), clients (--agency)
  std::string kind, display_name;  // add
  std::string jwks_file, key_out, mtls_thumbprint, policy_file;  // add-client, policy --set
  std::string client_id;     // policy, disable-client, assertion
  std::string key_in, audience;  // assertion
};
int Agencies(const AgenciesOptions& o);

// dancu webhooks add|list|remove|dead-letters|redeliver (webhooks.cc): the
// agencies' webhook subscriptions in DIR/hub.db. add prints the signing
// secret (once).
struct WebhooksOptions {
  std::string action;  // "add", "list", "remove", "dead-letters" or "redeliver"
  std::string data_dir;
  std::string agency, url;               // add
  std::vector<std::string> events;       // add
  std::vector<std::string> provinces;    // add, optional
  int64_t id = 0;                        // remove (subscription), redeliver (delivery)
};
int Webhooks(const WebhooksOptions& o);

// dancu officers add|list|disable|enable (officers.cc): the officers (level-2
// upgrades, event registration in their area), in DIR/identity.db.
struct OfficersOptions {
  std::string action;  // "add", "list", "disable" or "enable"
  std::string data_dir;
  std::string username, name, role, area_code;  // add; username: disable, enable
  bool password_stdin = false;                  // add: read the password from stdin
};
int Officers(const OfficersOptions& o);

// dancu clients add|list|disable (clients.cc): the OpenID Connect relying
// parties, in DIR/oidc.db. add prints client_id and client_secret (once).
struct ClientsOptions {
  std::string action;  // "add", "list" or "disable"
  std::string data_dir;
  std::string name;                                      // add
  std::vector<std::string> redirect_uris;                // add, at least one
  std::vector<std::string> post_logout_redirect_uris;    // add
  std::string scopes = "openid";                         // add, space-separated
  int min_level = 1;                                     // add
  std::string logo_uri;                                  // add
  std::string auth_method = "client_secret_basic";       // add
  std::string jwks_file;                                 // add, private_key_jwt
  std::string client_id;                                 // disable
};
int Clients(const ClientsOptions& o);

// dancu keys rotate|list (keys.cc): the provider's ES256 signing keys.
struct KeysOptions {
  std::string action;  // "rotate" or "list"
  std::string data_dir;
};
int Keys(const KeysOptions& o);

// dancu audit head|public-key|verify (audit.cc): the access log (issue 5).
int AuditHead(const std::string& data_dir);
int AuditPublicKey(const std::string& data_dir);
struct AuditVerifyOptions {
  std::string head;         // saved tree head (required)
  std::string key;          // public JWK file, or
  std::string server;       // http://HOST:PORT to fetch it (and the current head)
  std::string proof;        // inclusion proof for head's size
  std::string entry;        // the entry the proof is about
  std::string new_head;     // a later head, with
  std::string consistency;  // the consistency proof head -> new_head
};
int AuditVerify(const AuditVerifyOptions& o);

struct ReconcileOptions {
  std::string data_dir;
  std::string input;
  std::string out;
  std::string map;      // "input_col=field,..."
  std::string summary;  // default: OUT + ".summary.json"
  int threads = 0;      // workers; 0 = one per core
  std::optional<double> threshold, review_threshold;  // linkage (MatchOptions)
  bool no_linkage = false;                            // verification only
};
int Reconcile(const ReconcileOptions& o);

// dancu sectoral submit|list (sectoral.cc): sectoral data sync in bulk
// (issue 5): an agency's CSV of records checked against the register, the
// matching ones linked to the citizens, a line-numbered report.
struct SectoralOptions {
  std::string action;  // "submit" or "list"
  std::string data_dir;
  std::string agency;      // submit: the submitting agency (dancu agencies)
  std::string type;        // submit: type of rows without a type column/cell
  std::string map;         // submit: person columns, input_col=field,...
  std::string input, out;  // submit: INPUT.csv, REPORT.csv
  std::string citizen_id;  // list
};
int Sectoral(const SectoralOptions& o);

// dancu dedupe FILE / dancu link LEFT RIGHT (dedupe.cc, link.cc): record
// linkage of CSV files with linkage/linker.h. Exit 2 for a bad --fields or a
// column the file lacks; 1 when rows were rejected (the pairs of the other
// rows are still written).
struct LinkageOptions {
  std::vector<std::string> files;  // one for dedupe, two for link
  std::string fields;              // "col:type,..."
  std::string id_column;           // empty: the line number
  std::optional<double> threshold, review;
  std::string out;  // empty = stdout
};
int RunLinkage(const LinkageOptions& o);
int Dedupe(const LinkageOptions& o);
int Link(const LinkageOptions& o);

}  // namespace dancu::app
