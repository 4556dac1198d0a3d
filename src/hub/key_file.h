// key_file: the hub's secret files in the data directory (audit-signing.pem,
// audit-subject.key, hub.key). LoadOrCreateKeyFile returns the file's bytes;
// if it does not exist, it first writes make() to it, mode 0600, through a
// temporary file that is fsynced and then link()ed into place, so a key is
// never replaced or half-written, and two processes creating it at once end
// up with the same key (the loser reads the winner's).
//
// Errors: hub.key_file (cannot read, create or write; field = the path).
// Thread safety: safe; concurrent creators are serialised by link().
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "core/error.h"

namespace dancu::hub {

Result<std::string> LoadOrCreateKeyFile(const std::filesystem::path& path,
                                        const std::function<std::string()>& make);

}  // namespace dancu::hub
