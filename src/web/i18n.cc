#include "web/i18n.h"

#include <cctype>

#include "web/cookies.h"

namespace dancu::web {
namespace {

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

// The first supported tag in a list separated by any of `separators`
// (Accept-Language: "en-US,en;q=0.9"; ui_locales: "en vi").
bool FirstSupported(std::string_view list, std::string_view separators, Lang& out) {
  while (!list.empty()) {
    size_t end = list.find_first_of(separators);
    std::string_view tag = list.substr(0, end);
    tag = tag.substr(0, tag.find(';'));
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    if (ParseLang(tag, out)) return true;
    if (end == std::string_view::npos) break;
    list.remove_prefix(end + 1);
  }
  return false;
}

}  // namespace

bool ParseLang(std::string_view tag, Lang& out) {
  auto is = [&](std::string_view code) {
    return StartsWithIgnoreCase(tag, code) && (tag.size() == 2 || tag[2] == '-' || tag[2] == '_');
  };
  if (is("vi")) {
    out = Lang::kVi;
    return true;
  }
  if (is("en")) {
    out = Lang::kEn;
    return true;
  }
  return false;
}

std::string_view LangCode(Lang lang) { return lang == Lang::kVi ? "vi" : "en"; }

Lang PickLang(const http::RequestContext& ctx) {
  Lang lang = Lang::kVi;
  if (auto q = ctx.query("lang"); q && ParseLang(*q, lang)) return lang;
  if (auto q = ctx.query("ui_locales"); q && FirstSupported(*q, " ", lang)) return lang;
  if (auto c = GetCookie(ctx, kLangCookie); c && ParseLang(*c, lang)) return lang;
  if (auto h = ctx.header("Accept-Language"); h && FirstSupported(*h, ",", lang)) return lang;
  return Lang::kVi;
}

}  // namespace dancu::web
