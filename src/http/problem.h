// Problem table: the ONE place that maps an Error.code to an HTTP status and
// an RFC 9457 problem title.
//
// Lookup order: an exact code entry ("citizen.not_found") first, then the
// longest matching dotted prefix entry ("event." matches "event.deceased"),
// else 500 "Internal Server Error" (an unmapped code is a bug to fix here, not
// a client error).
//
// To extend: add a row to kProblems in problem.cc. Prefix rows end in '.'.
// Keep rows grouped by domain; problem_test checks there are no duplicates.
//
// Thread safety: the table is constant; every function is safe from any thread.
#pragma once

#include <span>
#include <string_view>

namespace dancu::http {

struct ProblemEntry {
  std::string_view code;  // exact code, or a prefix ending in '.'
  unsigned status;
  std::string_view title;
};

struct ProblemInfo {
  unsigned status;
  std::string_view title;
};

ProblemInfo LookupProblem(std::string_view code);

// The whole table, for tests and documentation generators.
std::span<const ProblemEntry> ProblemTable();

}  // namespace dancu::http
