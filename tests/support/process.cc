#include "support/process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace dancu::testing {
namespace {

std::vector<char*> Argv(std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return argv;
}

std::string ReadAll(int fd) {
  std::string out;
  char buf[65536];
  while (true) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

}  // namespace

// Both default to the paths CMake compiled in (tests/CMakeLists.txt); the
// environment can point the same tests at another binary or tree.
std::string DancuBinary() {
  const char* b = std::getenv("DANCU_BINARY");
  return b != nullptr ? b : DANCU_BINARY_PATH;
}

std::string SourceDir() {
  const char* s = std::getenv("DANCU_SOURCE_DIR");
  return s != nullptr ? s : DANCU_SOURCE_DIR;
}

CommandResult RunDancu(const std::vector<std::string>& args,
                       const std::map<std::string, std::string>& env,
                       const std::string& stdin_text) {
  int out_pipe[2], err_pipe[2], in_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0 || pipe(in_pipe) != 0) std::abort();
  std::vector<std::string> full = {DancuBinary()};
  full.insert(full.end(), args.begin(), args.end());
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1], in_pipe[0], in_pipe[1]}) close(fd);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    auto argv = Argv(full);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  close(in_pipe[0]);
  std::thread writer([&] {
    size_t off = 0;
    while (off < stdin_text.size()) {
      ssize_t n = write(in_pipe[1], stdin_text.data() + off, stdin_text.size() - off);
      if (n <= 0) break;
      off += static_cast<size_t>(n);
    }
    close(in_pipe[1]);
  });
  CommandResult r;
  std::thread err_reader([&] { r.err = ReadAll(err_pipe[0]); });
  r.out = ReadAll(out_pipe[0]);
  err_reader.join();
  writer.join();
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

ServerProcess::ServerProcess(const std::string& data_dir, const std::string& admin_token) {
  int out_pipe[2];
  if (pipe(out_pipe) != 0) std::abort();
  std::vector<std::string> args = {DancuBinary(), "serve", "--data", data_dir, "--listen",
                                   "127.0.0.1:0", "--threads", "2"};
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out_pipe[1], 1);
    close(out_pipe[0]);
    close(out_pipe[1]);
    setenv("DANCU_ADMIN_TOKEN", admin_token.c_str(), 1);
    auto argv = Argv(args);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out_pipe[1]);
  out_fd_ = out_pipe[0];
  // Read stdout line by line until the server says where it listens. The
  // read blocks, with no timing involved; a server that dies closes the pipe.
  std::string line;
  const std::string marker = "listening on http://127.0.0.1:";
  char ch;
  while (read(out_fd_, &ch, 1) == 1) {
    if (ch != '\n') {
      line += ch;
      continue;
    }
    if (auto pos = line.find(marker); pos != std::string::npos) {
      port_ = static_cast<uint16_t>(std::stoi(line.substr(pos + marker.size())));
      return;
    }
    line.clear();
  }
  throw std::runtime_error("dancu serve exited before listening");
}

int ServerProcess::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  close(out_fd_);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

ServerProcess::~ServerProcess() { Stop(); }

}  // namespace dancu::testing
