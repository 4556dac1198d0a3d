// html: the one page layout of the web front, and HTML escaping.
//
// HtmlPage wraps a page body in a complete, accessible document: <html lang>,
// a skip link, <header> with the service name and the language switch (a
// plain link to the same URL with lang=vi|en, so it works without
// JavaScript), <main id="main">, and a small inline stylesheet. No
// JavaScript and no external assets. Every page carries:
//   Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline';
//     img-src 'self' data: https:; form-action 'self' http: https:;
//     frame-ancestors 'none'; base-uri 'none'
//   (form-action allows the redirect to a relying party after a form post),
//   X-Frame-Options: DENY, Referrer-Policy: no-referrer,
//   X-Content-Type-Options: nosniff, Cache-Control: no-store.
// When the request chose a language with ?lang=, the page also sets the
// dancu_lang cookie so the choice sticks.
//
// Escape replaces & < > " ' so text can go in element content and in quoted
// attribute values. Page code must Escape every value that did not come from
// a literal in the source.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "http/request_context.h"
#include "http/response.h"
#include "web/i18n.h"

namespace dancu::web {

std::string Escape(std::string_view text);

http::Response HtmlPage(const http::RequestContext& ctx, Lang lang, unsigned status,
                        std::string_view title, std::string_view body_html);

// A page with a heading and one paragraph (escaped), for errors: "the link
// has expired", "this client is not registered", 403 for a missing CSRF token.
http::Response MessagePage(const http::RequestContext& ctx, Lang lang, unsigned status,
                           std::string_view title, std::string_view message);

// The 403 page for a form post whose CSRF token is missing or wrong.
http::Response CsrfFailurePage(const http::RequestContext& ctx, Lang lang);

}  // namespace dancu::web
