// dancu agencies add|list|disable: the agencies allowed to call the
// verification API with their own key (verify/agency_keys.h), kept in
// DIR/verify.db.
#include <cstdio>
#include <filesystem>

#include "app/commands.h"
#include "core/clock.h"
#include "core/random.h"
#include "verify/agency_keys.h"
#include "verify/verify_db.h"

namespace dancu::app {

int Agencies(const AgenciesOptions& o) {
  std::error_code ec;
  if (!std::filesystem::is_directory(o.data_dir, ec)) {
    std::fprintf(stderr, "dancu: no data directory %s\n", o.data_dir.c_str());
    return 1;
  }
  auto db = verify::OpenVerifyDb(o.data_dir);
  if (!db) {
    std::fprintf(stderr, "dancu: %s\n", db.error().message.c_str());
    return 1;
  }
  SystemClock clock;
  auto keys = verify::AgencyKeys::Open(**db, clock);
  if (!keys) {
    std::fprintf(stderr, "dancu: %s\n", keys.error().message.c_str());
    return 1;
  }
  auto fail = [](const Error& e) {
    std::fprintf(stderr, "dancu: %s (%s)\n", e.message.c_str(), e.code.c_str());
    return 1;
  };

  if (o.action == "add") {
    SecureRandom random;
    auto key = (*keys)->Add(o.name, random);
    if (!key) return fail(key.error());
    std::fprintf(stderr,
                 "dancu: agency %s added; its API key follows. It is shown only this once "
                 "(only its hash is stored): send it as \"Authorization: Bearer <key>\".\n",
                 o.name.c_str());
    std::printf("%s\n", key->c_str());
    return 0;
  }
  if (o.action == "list") {
    auto list = (*keys)->List();
    if (!list) return fail(list.error());
    std::printf("%-32s %-28s %s\n", "NAME", "CREATED", "STATUS");
    for (const verify::Agency& a : *list) {
      std::printf("%-32s %-28s %s\n", a.name.c_str(), a.created_at.c_str(),
                  a.disabled ? "disabled" : "enabled");
    }
    return 0;
  }
  if (o.action == "disable") {
    if (auto s = (*keys)->Disable(o.name); !s) return fail(s.error());
    std::printf("dancu: agency %s disabled; a running server refuses its key within a second\n",
                o.name.c_str());
    return 0;
  }
  return 2;
}

}  // namespace dancu::app
