// ReadFileText: a whole small file (a key, a JWKS, a policy, a saved proof)
// for the CLI commands. Errors: io.read with the path.
#pragma once

#include <string>

#include "core/error.h"

namespace dancu::app {

Result<std::string> ReadFileText(const std::string& path);

}  // namespace dancu::app
