#include "app/read_file.h"

#include <fstream>
#include <sstream>

namespace dancu::app {

Result<std::string> ReadFileText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail("io.read", path + ": cannot be read", path);
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) return Fail("io.read", path + ": cannot be read", path);
  return s.str();
}

}  // namespace dancu::app
