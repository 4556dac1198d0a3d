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

// dancu agencies add|list|disable (agencies.cc).
struct AgenciesOptions {
  std::string action;  // "add", "list" or "disable"
  std::string data_dir;
  std::string name;  // add, disable
};
int Agencies(const AgenciesOptions& o);

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
