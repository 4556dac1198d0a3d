#include "hub/key_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace dancu::hub {
namespace {

std::unexpected<Error> KeyFileError(const std::filesystem::path& p, std::string what) {
  return Fail("hub.key_file", p.string() + ": " + what, p.string());
}

Result<std::string> ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return KeyFileError(p, "cannot be read");
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) return KeyFileError(p, "cannot be read");
  return s.str();
}

// Writes `content` to `path` (mode 0600) unless it exists; returns whatever
// `path` holds afterwards, so a concurrent creator's key wins consistently.
Result<std::string> CreateOnce(const std::filesystem::path& path, std::string_view content) {
  std::filesystem::path tmp = path;
  tmp += ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return KeyFileError(tmp, std::strerror(errno));
  bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
            ::fsync(fd) == 0;
  int err = errno;
  ::close(fd);
  if (!ok) {
    ::unlink(tmp.c_str());
    return KeyFileError(tmp, std::strerror(err));
  }
  // link() fails if the name exists: never replace a key someone is using.
  if (::link(tmp.c_str(), path.c_str()) != 0 && errno != EEXIST) {
    err = errno;
    ::unlink(tmp.c_str());
    return KeyFileError(path, std::strerror(err));
  }
  ::unlink(tmp.c_str());
  if (int dir = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return ReadFile(path);
}

}  // namespace

Result<std::string> LoadOrCreateKeyFile(const std::filesystem::path& path,
                                        const std::function<std::string()>& make) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return ReadFile(path);
  if (ec) return KeyFileError(path, ec.message());
  return CreateOnce(path, make());
}

}  // namespace dancu::hub
