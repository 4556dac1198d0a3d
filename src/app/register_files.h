// Where a data directory keeps the register, and opening it.
#pragma once

#include <filesystem>
#include <memory>
#include <string_view>

#include "core/clock.h"
#include "core/random.h"
#include "registry/registry.h"
#include "storage/database.h"
#include "verify/verifier.h"

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

// The environment variable that puts the register on PostgreSQL: a libpq
// connection string or URI ("postgresql://dancu@db.internal/register").
// Unset: the embedded SQLite register, DIR/register.db.
inline constexpr const char* kRegisterUrlVariable = "DANCU_REGISTER_URL";

// Opens (creating if `create`) the register in `dir`, or on PostgreSQL when
// DANCU_REGISTER_URL is set; prints the error and returns nullptr on failure.
std::unique_ptr<OpenRegister> OpenRegisterIn(const std::filesystem::path& dir, bool create);

// The verification index of the register in `dir`, loaded from the snapshot
// there when it is current (verify/index_snapshot.h), else built by scanning
// the register (leaving a fresh snapshot). Prints the error and returns
// nullptr on failure.
struct OpenedVerifier {
  std::unique_ptr<verify::Verifier> verifier;
  double seconds = 0;        // time to load or build
  std::string_view origin;   // "loaded from snapshot" / "built from register"
};
OpenedVerifier OpenVerifierIn(const std::filesystem::path& dir, const registry::Registry& registry);

}  // namespace dancu::app
