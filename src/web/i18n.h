// i18n: the two languages of the web pages. Vietnamese is the default;
// English is one click away on every page. Each page keeps its own strings
// beside its markup and picks with Pick(lang, vi, en), so there is no shared
// string table to keep in step.
//
// PickLang order: the query's `lang` ("vi"/"en"), then the first supported tag
// of the query's `ui_locales` (OIDC, space-separated), then the `dancu_lang`
// cookie, then the first supported language of Accept-Language, then vi.
//
// Thread safety: pure functions.
#pragma once

#include <string_view>

#include "http/request_context.h"

namespace dancu::web {

enum class Lang { kVi, kEn };

Lang PickLang(const http::RequestContext& ctx);
std::string_view LangCode(Lang lang);  // "vi" or "en"
// "vi"/"vi-VN" → kVi, "en"/"en-US" → kEn, else nullopt-like: returns false.
bool ParseLang(std::string_view tag, Lang& out);

constexpr std::string_view Pick(Lang lang, std::string_view vi, std::string_view en) {
  return lang == Lang::kVi ? vi : en;
}

}  // namespace dancu::web
