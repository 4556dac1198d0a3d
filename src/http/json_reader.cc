#include "http/json_reader.h"

#include <boost/json/parser.hpp>

namespace dancu::http {

Result<boost::json::object> ParseJsonObject(std::string_view body) {
  boost::json::parse_options opts;
  opts.max_depth = 32;  // request bodies are shallow; deep nesting is abuse
  boost::json::parser p(boost::json::storage_ptr(), opts);
  boost::system::error_code ec;
  // parser (not stream_parser) treats the input as complete: truncation is an
  // error, and it stops after the first value so we can spot trailing bytes.
  size_t consumed = p.write_some(body.data(), body.size(), ec);
  if (!ec && consumed < body.size()) {
    ec = boost::json::error::extra_data;
  }
  if (ec) {
    return Fail("request.malformed_json",
                "malformed JSON at byte " + std::to_string(consumed) + ": " +
                    ec.message());
  }
  boost::json::value v = p.release();
  if (!v.is_object()) {
    return Fail("request.wrong_type", "request body must be a JSON object");
  }
  return std::move(v.get_object());
}

JsonFields::JsonFields(const boost::json::object& object, std::string prefix)
    : object_(object), prefix_(std::move(prefix)), seen_(object.size(), false) {
  if (!prefix_.empty() && !prefix_.ends_with('.')) prefix_ += '.';
}

std::string JsonFields::FieldName(std::string_view key) const {
  std::string f = prefix_;
  f += key;
  return f;
}

const boost::json::value* JsonFields::Get(std::string_view key) {
  auto it = object_.find(key);
  if (it == object_.end()) return nullptr;
  seen_[static_cast<size_t>(it - object_.begin())] = true;
  if (it->value().is_null()) return nullptr;
  return &it->value();
}

std::unexpected<Error> JsonFields::WrongType(std::string_view key,
                                             std::string_view expected) const {
  std::string f = FieldName(key);
  std::string msg = f + " must be ";
  msg += expected;
  return Fail("request.wrong_type", std::move(msg), std::move(f));
}

std::unexpected<Error> JsonFields::Missing(std::string_view key) const {
  std::string f = FieldName(key);
  return Fail("request.missing_field", f + " is required", std::move(f));
}

namespace {

std::optional<int64_t> AsInt64(const boost::json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    return static_cast<int64_t>(v.get_uint64());
  }
  return std::nullopt;
}

}  // namespace

Result<std::string> JsonFields::RequireString(std::string_view key) {
  const boost::json::value* v = Get(key);
  if (v == nullptr) return Missing(key);
  if (!v->is_string()) return WrongType(key, "a string");
  return std::string(v->get_string());
}

Result<int64_t> JsonFields::RequireInt(std::string_view key) {
  const boost::json::value* v = Get(key);
  if (v == nullptr) return Missing(key);
  auto i = AsInt64(*v);
  if (!i) return WrongType(key, "an integer");
  return *i;
}

Result<const boost::json::object*> JsonFields::RequireObject(
    std::string_view key) {
  const boost::json::value* v = Get(key);
  if (v == nullptr) return Missing(key);
  if (!v->is_object()) return WrongType(key, "an object");
  return &v->get_object();
}

Result<std::optional<std::string>> JsonFields::OptionalString(
    std::string_view key) {
  const boost::json::value* v = Get(key);
  if (v == nullptr) return std::optional<std::string>();
  if (!v->is_string()) return WrongType(key, "a string");
  return std::optional<std::string>(std::string(v->get_string()));
}

Result<std::optional<int64_t>> JsonFields::OptionalInt(std::string_view key) {
  const boost::json::value* v = Get(key);
  if (v == nullptr) return std::optional<int64_t>();
  auto i = AsInt64(*v);
  if (!i) return WrongType(key, "an integer");
  return i;
}

Result<std::optional<bool>> JsonFields::OptionalBool(std::string_view key) {
  const boost::json::value* v = Get(key);
  if (v == nullptr) return std::optional<bool>();
  if (!v->is_bool()) return WrongType(key, "a boolean");
  return std::optional<bool>(v->get_bool());
}

Result<const boost::json::object*> JsonFields::OptionalObject(
    std::string_view key) {
  const boost::json::value* v = Get(key);
  if (v == nullptr) return static_cast<const boost::json::object*>(nullptr);
  if (!v->is_object()) return WrongType(key, "an object");
  return &v->get_object();
}

Result<const boost::json::array*> JsonFields::OptionalArray(
    std::string_view key) {
  const boost::json::value* v = Get(key);
  if (v == nullptr) return static_cast<const boost::json::array*>(nullptr);
  if (!v->is_array()) return WrongType(key, "an array");
  return &v->get_array();
}

Status JsonFields::Finish() const {
  size_t i = 0;
  for (const auto& kv : object_) {
    if (!seen_[i++]) {
      std::string f = FieldName(kv.key());
      return Fail("request.unknown_field", "unknown field " + f, std::move(f));
    }
  }
  return {};
}

}  // namespace dancu::http
