// QR codes as inline SVG (libqrencode), for the TOTP enrolment page: no
// image files, no JavaScript, works under a CSP of img-src 'self' data: when
// inlined in the HTML.
//
// Contract: QrSvg(text) encodes `text` as 8-bit data at error-correction
// level M, automatic version, and returns an <svg> element: a white
// background, one <path> drawing every dark module as a 1x1 square, a
// 4-module quiet zone, viewBox in module units, width/height of 4 px per
// module (CSS may scale it), role="img", and aria-label = `label` (escaped) when given. The
// output starts with "<svg" and is UTF-8.
//
// Errors: qr.too_long when libqrencode cannot fit the text in version 40
// (about 2,300 bytes at level M); qr.encode_failed for any other libqrencode
// failure.
//
// Thread safety: callable from any thread (calls into libqrencode are
// serialised by a mutex here; QR codes are made rarely).
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace dancu::crypto {

Result<std::string> QrSvg(std::string_view text, std::string_view label = {});

}  // namespace dancu::crypto
