#include "web/form.h"

#include <cctype>

#include <boost/url/encoding_opts.hpp>
#include <boost/url/params_encoded_view.hpp>
#include <boost/url/parse_query.hpp>

namespace dancu::web {
namespace {

std::unexpected<Error> BadForm(std::string message) {
  return Fail("request.bad_form", std::move(message));
}

bool IsFormContentType(std::string_view value) {
  constexpr std::string_view kType = "application/x-www-form-urlencoded";
  if (value.size() < kType.size()) return false;
  for (size_t i = 0; i < kType.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) != kType[i]) return false;
  }
  std::string_view rest = value.substr(kType.size());
  return rest.empty() || rest.front() == ';' || rest.front() == ' ';
}

}  // namespace

std::optional<std::string_view> Form::Get(std::string_view name) const {
  for (const auto& [k, v] : fields_) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::string_view Form::GetOr(std::string_view name, std::string_view fallback) const {
  auto v = Get(name);
  return v ? *v : fallback;
}

size_t Form::Count(std::string_view name) const {
  size_t n = 0;
  for (const auto& [k, v] : fields_) n += k == name;
  return n;
}

Result<Form> ParseForm(std::string_view body) {
  Form form;
  if (body.empty()) return form;
  // Boost.URL 1.81's decoding reads one byte past a view that is not
  // NUL-terminated (a '+' or '%' at the very end picked up garbage), so the
  // parser gets its own terminated copy.
  const std::string text(body);
  auto params = boost::urls::parse_query(boost::urls::string_view(text.data(), text.size()));
  if (!params) return BadForm("the form is not valid application/x-www-form-urlencoded");
  boost::urls::encoding_opts opts;
  opts.space_as_plus = true;
  for (auto param : *params) {
    if (param.key.empty() && !param.has_value) continue;  // "a=1&&b=2"
    if (form.fields_.size() == kMaxFormFields) {
      return BadForm("the form has more than " + std::to_string(kMaxFormFields) + " fields");
    }
    std::string key = param.key.decode(opts);
    std::string value = param.has_value ? param.value.decode(opts) : std::string();
    if (key.size() > kMaxFormFieldBytes || value.size() > kMaxFormFieldBytes) {
      return BadForm("form field \"" + key.substr(0, 64) + "\" is longer than " +
                          std::to_string(kMaxFormFieldBytes) + " bytes");
    }
    form.fields_.emplace_back(std::move(key), std::move(value));
  }
  return form;
}

Result<Form> ParseFormRequest(const http::RequestContext& ctx) {
  auto type = ctx.header("Content-Type");
  if (!type || !IsFormContentType(*type)) {
    return BadForm("the body must be application/x-www-form-urlencoded");
  }
  return ParseForm(ctx.body());
}

}  // namespace dancu::web
