// Strict reading of JSON request bodies for handlers.
//
// ParseJsonObject accepts exactly one JSON object (surrounding whitespace
// allowed). Errors: request.malformed_json (message names the byte offset),
// request.wrong_type when the document is valid JSON but not an object.
//
// JsonFields reads the members of one object and remembers which keys were
// asked for, so Finish() can reject any member the handler did not expect:
//   JsonFields f(obj);
//   auto name = f.RequireString("full_name");   if (!name) return ...;
//   auto note = f.OptionalString("note");       if (!note) return ...;
//   if (auto s = f.Finish(); !s) return ProblemResponse(s.error());
// Errors carry `field` (prefixed with the constructor's `prefix` for nested
// objects, e.g. "address.commune"):
//   request.missing_field  required member absent or null;
//   request.wrong_type     member present with another JSON type;
//   request.unknown_field  (Finish) the first member, in document order,
//                          that was never asked for.
// JSON null is the same as absent for every Optional* getter.
// Integers: only JSON integers in int64 range are accepted (1.0 and 1e3 are
// wrong_type, so clients cannot send lossy numbers).
//
// Thread safety: JsonFields is not thread-safe; it is a per-request helper.
// It keeps a reference to the object, which must outlive it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/error.h"

namespace dancu::http {

Result<boost::json::object> ParseJsonObject(std::string_view body);

class JsonFields {
 public:
  explicit JsonFields(const boost::json::object& object,
                      std::string prefix = {});

  Result<std::string> RequireString(std::string_view key);
  Result<int64_t> RequireInt(std::string_view key);
  Result<const boost::json::object*> RequireObject(std::string_view key);

  Result<std::optional<std::string>> OptionalString(std::string_view key);
  Result<std::optional<int64_t>> OptionalInt(std::string_view key);
  Result<std::optional<bool>> OptionalBool(std::string_view key);
  // nullptr when absent or null.
  Result<const boost::json::object*> OptionalObject(std::string_view key);
  Result<const boost::json::array*> OptionalArray(std::string_view key);

  // request.unknown_field for the first member never asked for.
  Status Finish() const;

  // The field name used in errors for `key` (prefix + key).
  std::string FieldName(std::string_view key) const;

 private:
  // Marks `key` as asked for; nullptr when absent or null.
  const boost::json::value* Get(std::string_view key);
  std::unexpected<Error> WrongType(std::string_view key,
                                   std::string_view expected) const;
  std::unexpected<Error> Missing(std::string_view key) const;

  const boost::json::object& object_;
  std::string prefix_;
  std::vector<bool> seen_;  // by member index in object_
};

}  // namespace dancu::http
