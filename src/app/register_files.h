// Where a data directory keeps the register, and opening it.
#pragma once

#include <filesystem>
#include <memory>

#include "core/clock.h"
#include "core/random.h"
#include "registry/registry.h"
#include "storage/database.h"

namespace dancu::app {

// The services a command needs, owned together so their lifetimes nest.
struct OpenRegister {
  SystemClock clock;
  SecureRandom random;
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<registry::Registry> registry;
};

inline std::filesystem::path RegisterDbPath(const std::filesystem::path& dir) {
  return dir / "register.db";
}

// Opens (creating if `create`) the register in `dir`; prints the error and
// returns nullptr on failure.
std::unique_ptr<OpenRegister> OpenRegisterIn(const std::filesystem::path& dir, bool create);

}  // namespace dancu::app
