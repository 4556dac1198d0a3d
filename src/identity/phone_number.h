// Vietnamese mobile numbers, as a citizen types them at registration.
//
// Accepted: "0" + 9 digits ("0912345678") or the international forms
// "+84" / "84" + 9 digits, with spaces, dots or dashes between digits
// ignored. The first digit after the prefix must be 3, 5, 7, 8 or 9 (the
// mobile ranges since the 2018 renumbering). The result is E.164:
// "+84912345678".
//
// Errors: identity.bad_phone (field "phone").
// Thread safety: pure function.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace dancu::identity {

Result<std::string> NormalizeVietnamMobile(std::string_view text);

}  // namespace dancu::identity
