// form: application/x-www-form-urlencoded request bodies (HTML form posts,
// and the OAuth token, revocation and introspection endpoints).
//
// ParseForm validates percent-encoding (Boost.URL), decodes '+' as space and
// keeps fields in order. Repeated names are kept; Get returns the first.
// Errors: request.bad_form (not valid urlencoding, or more than kMaxFields
// fields, or a field over kMaxFieldBytes) — oversized parameters never reach
// a handler. ParseFormRequest also requires the Content-Type
// application/x-www-form-urlencoded (request.bad_form otherwise).
//
// Thread safety: plain values.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "http/request_context.h"

namespace dancu::web {

inline constexpr size_t kMaxFormFields = 64;
inline constexpr size_t kMaxFormFieldBytes = 8192;

class Form {
 public:
  std::optional<std::string_view> Get(std::string_view name) const;
  // The first value of `name`, or "" when absent.
  std::string_view GetOr(std::string_view name, std::string_view fallback = {}) const;
  // How many times `name` occurs (OAuth rejects repeated parameters).
  size_t Count(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  friend Result<Form> ParseForm(std::string_view body);
  std::vector<std::pair<std::string, std::string>> fields_;
};

Result<Form> ParseForm(std::string_view body);
Result<Form> ParseFormRequest(const http::RequestContext& ctx);

}  // namespace dancu::web
