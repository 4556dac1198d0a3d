// Internal to the account pages (account_pages.cc, signin_pages.cc,
// register_pages.cc, account_page.cc): the signed-in citizen of a request,
// the session cookie, and error summaries in the two languages. Not used
// outside src/web's account pages.
//
// Thread safety: pure functions over thread-safe services.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "http/request_context.h"
#include "http/response.h"
#include "identity/account.h"
#include "identity/sessions.h"
#include "web/csrf.h"
#include "web/form.h"
#include "web/i18n.h"
#include "web/web.h"

namespace dancu::web::account_pages {

// The live session of the request's dancu_session cookie and its account
// (nullopt when signed out, expired, or the account is disabled or locked).
struct Current {
  identity::Session session;
  identity::Account account;
};
std::optional<Current> CurrentSession(const WebDeps& deps, const http::RequestContext& ctx);

// Starts a session for `account` and returns the redirect to `return_to`
// (checked: a non-local path becomes /account) with the session cookie set;
// the request's previous session, if any, is revoked (no session fixation).
http::Response SignedIn(const WebDeps& deps, const http::RequestContext& ctx,
                        const identity::Account& account, identity::Level level,
                        std::vector<std::string> amr, std::string_view return_to);

// return_to when it is a local path, else "/account".
std::string SafeReturnTo(std::string_view return_to);

// The citizen-facing text of a domain error, in `lang`. Never internal
// details: storage errors become "try again later".
std::string ErrorText(Lang lang, const Error& e);
// The HTTP status a page answers for a domain error (400 input, 401 bad
// credentials, 403 locked/disabled, 409 already registered, 429 throttled,
// 500 storage).
unsigned ErrorStatus(const Error& e);
// An error summary box (role="alert") listing messages, each linking to its
// field's input when `field_id` is set.
struct FieldMessage {
  std::string field_id;  // the <input id>, or ""
  std::string text;
};
std::string ErrorSummary(Lang lang, const std::vector<FieldMessage>& messages);
// Adds Retry-After for identity.throttled errors.
void AddRetryAfter(const Error& e, http::Response& r);

// A labelled text input; `error` marks it aria-invalid.
std::string Input(std::string_view id, std::string_view label, std::string_view type,
                  std::string_view value, std::string_view autocomplete, bool error = false,
                  std::string_view hint = {});

// A hidden form field (value escaped).
std::string Hidden(std::string_view name, std::string_view value);

// Parses a POSTed form and checks its CSRF token; on failure, the page to
// answer instead (400 for a malformed form, 403 for a missing or wrong
// token).
std::variant<Form, http::Response> CheckedForm(const WebDeps& deps,
                                               const http::RequestContext& ctx, Lang lang);

void AddSignInPages(http::Router& router, const WebDeps& deps);
void AddRegistrationPages(http::Router& router, const WebDeps& deps);
void AddAccountPage(http::Router& router, const WebDeps& deps);

}  // namespace dancu::web::account_pages
