#include "app/register_files.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "verify/index_snapshot.h"

namespace dancu::app {

std::unique_ptr<OpenRegister> OpenRegisterIn(const std::filesystem::path& dir, bool create) {
  const char* url = std::getenv(kRegisterUrlVariable);
  const bool on_postgres = url != nullptr && *url != '\0';
  auto path = RegisterDbPath(dir);
  if (!on_postgres && !create && !std::filesystem::exists(path)) {
    std::fprintf(stderr, "dancu: no register in %s (create one with `dancu generate` or `dancu import`)\n",
                 dir.c_str());
    return nullptr;
  }
  // On PostgreSQL only the register moves; the rest of the data directory
  // (verify.db, identity.db, snapshots, jobs) stays in `dir`.
  auto db = on_postgres ? storage::OpenPostgres(url) : storage::OpenSqlite(path);
  if (!db) {
    std::fprintf(stderr, "dancu: %s%s\n", db.error().message.c_str(),
                 on_postgres ? " (from DANCU_REGISTER_URL)" : "");
    return nullptr;
  }
  auto r = std::make_unique<OpenRegister>();
  r->db = std::move(*db);
  auto reg = registry::Registry::Open(*r->db, r->clock, r->random);
  if (!reg) {
    std::fprintf(stderr, "dancu: %s\n", reg.error().message.c_str());
    return nullptr;
  }
  r->registry = std::move(*reg);
  return r;
}

OpenedVerifier OpenVerifierIn(const std::filesystem::path& dir, const registry::Registry& registry) {
  auto start = std::chrono::steady_clock::now();
  auto verifier = verify::Verifier::Create(
      registry, verify::VerifierOptions{.snapshot = verify::IndexSnapshotPath(dir)});
  if (!verifier) {
    std::fprintf(stderr, "dancu: building the verification index: %s\n",
                 verifier.error().message.c_str());
    return {};
  }
  OpenedVerifier out;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out.origin = (*verifier)->loaded_from_snapshot() ? "loaded from snapshot" : "built from register";
  out.verifier = std::move(*verifier);
  return out;
}

}  // namespace dancu::app
