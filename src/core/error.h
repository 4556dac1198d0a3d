// Error and Result: the one error type every domain returns.
//
// Contract: functions that can fail because of outside input (a request, a
// file, the database) return Result<T> = std::expected<T, Error>. Error.code is
// a stable, dotted identifier ("id.bad_province", "citizen.not_found") that
// clients may rely on; http/problem.cc maps each code prefix to an HTTP status
// and an RFC 9457 problem type in one table. Error.message is for humans and
// may change. Exceptions are reserved for start-up, configuration and broken
// invariants (see docs/architecture.md).
#pragma once

#include <expected>
#include <string>
#include <utility>

namespace dancu {

struct Error {
  std::string code;     // stable, e.g. "date.impossible"
  std::string message;  // human-readable detail
  std::string field;    // the input field at fault, if any ("date_of_birth")
};

template <class T>
using Result = std::expected<T, Error>;
using Status = std::expected<void, Error>;

inline std::unexpected<Error> Fail(std::string code, std::string message,
                                   std::string field = {}) {
  return std::unexpected<Error>(
      Error{std::move(code), std::move(message), std::move(field)});
}

// Returns the same error with `field` set, for callers that know which input
// produced it.
inline std::unexpected<Error> WithField(Error e, std::string field) {
  e.field = std::move(field);
  return std::unexpected<Error>(std::move(e));
}

}  // namespace dancu
