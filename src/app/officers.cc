// dancu officers add|list|disable|enable: the officers (identity/officers.h),
// kept in DIR/identity.db. disable ends the officer's tokens at once. The password is read from
// the terminal without echo (twice), or from standard input with
// --password-stdin (one line), never from the command line, where other
// users could read it in the process list.
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

#include "app/commands.h"
#include "core/clock.h"
#include "identity/identity_db.h"
#include "identity/officers.h"

namespace dancu::app {
namespace {

// One line from stdin; with `echo` off when stdin is a terminal.
bool ReadLine(std::string& out, bool hide) {
  termios old{};
  const bool tty = hide && isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  const bool ok = static_cast<bool>(std::getline(std::cin, out));
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::fputc('\n', stderr);
  }
  if (!out.empty() && out.back() == '\r') out.pop_back();
  return ok;
}

bool ReadPassword(bool from_stdin, std::string& out) {
  if (from_stdin) return ReadLine(out, false);
  std::fprintf(stderr, "Password for the officer: ");
  if (!ReadLine(out, true)) return false;
  std::string again;
  std::fprintf(stderr, "Repeat the password: ");
  if (!ReadLine(again, true)) return false;
  if (again != out) {
    std::fprintf(stderr, "dancu: the passwords differ\n");
    return false;
  }
  return true;
}

}  // namespace

int Officers(const OfficersOptions& o) {
  std::error_code ec;
  if (!std::filesystem::is_directory(o.data_dir, ec)) {
    std::fprintf(stderr, "dancu: no data directory %s\n", o.data_dir.c_str());
    return 1;
  }
  auto db = identity::OpenIdentityDb(o.data_dir);
  if (!db) {
    std::fprintf(stderr, "dancu: %s\n", db.error().message.c_str());
    return 1;
  }
  SystemClock clock;
  auto officers = identity::Officers::Open(**db, clock);
  if (!officers) {
    std::fprintf(stderr, "dancu: %s\n", officers.error().message.c_str());
    return 1;
  }
  auto fail = [](const Error& e) {
    std::fprintf(stderr, "dancu: %s (%s)\n", e.message.c_str(), e.code.c_str());
    return 1;
  };

  if (o.action == "add") {
    identity::NewOfficer n{o.username, o.name, o.role, o.area_code, {}};
    if (!ReadPassword(o.password_stdin, n.password)) {
      std::fprintf(stderr, "dancu: no password given\n");
      return 1;
    }
    auto added = (*officers)->Add(n);
    if (!added) return fail(added.error());
    std::printf("dancu: officer %s (%s, area %s) added\n", added->username.c_str(),
                added->role.c_str(), added->area_code.c_str());
    return 0;
  }
  if (o.action == "list") {
    auto list = (*officers)->List();
    if (!list) return fail(list.error());
    std::printf("%-24s %-14s %-6s %-28s %s\n", "USERNAME", "ROLE", "AREA", "CREATED", "NAME");
    for (const identity::Officer& x : *list) {
      std::printf("%-24s %-14s %-6s %-28s %s%s\n", x.username.c_str(), x.role.c_str(),
                  x.area_code.c_str(), FormatTimestamp(x.created_at).c_str(), x.name.c_str(),
                  x.disabled ? " (disabled)" : "");
    }
    return 0;
  }
  if (o.action == "disable" || o.action == "enable") {
    auto changed = (*officers)->SetDisabled(o.username, o.action == "disable");
    if (!changed) return fail(changed.error());
    std::printf("dancu: officer %s %s\n", changed->username.c_str(),
                changed->disabled ? "disabled" : "enabled");
    return 0;
  }
  return 2;
}

}  // namespace dancu::app
