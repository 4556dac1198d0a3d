// Running the real `dancu` binary from tests: one-shot commands and a server
// on port 0 whose port is read from its "listening on" line.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace dancu::testing {

// The binary under test: $DANCU_BINARY, else the build's dancu.
std::string DancuBinary();
// The source tree: $DANCU_SOURCE_DIR, else the one this test was built from.
std::string SourceDir();

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `dancu args...` to completion with extra environment variables and
// optional standard input.
CommandResult RunDancu(const std::vector<std::string>& args,
                       const std::map<std::string, std::string>& env = {},
                       const std::string& stdin_text = {});

// `dancu serve --data DIR --listen 127.0.0.1:0` with DANCU_ADMIN_TOKEN set.
// The constructor waits for the "listening on" line; the destructor sends
// SIGTERM and waits for a clean exit.
class ServerProcess {
 public:
  ServerProcess(const std::string& data_dir, const std::string& admin_token);
  ~ServerProcess();
  uint16_t port() const { return port_; }
  // Sends SIGTERM and returns the exit status.
  int Stop();

 private:
  int pid_ = -1;
  int out_fd_ = -1;
  uint16_t port_ = 0;
};

}  // namespace dancu::testing
