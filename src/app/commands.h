// The `dancu` subcommands. main.cc is the one composition root: it parses the
// command line with CLI11 and calls one of these. Each returns the process
// exit code (0 ok, 1 failure the user can fix, 2 usage error).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace dancu::app {

struct ServeOptions {
  std::string data_dir;
  std::string listen = "127.0.0.1:8080";
  int threads = 0;
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

}  // namespace dancu::app
