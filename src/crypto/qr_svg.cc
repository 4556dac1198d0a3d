#include "crypto/qr_svg.h"

#include <cerrno>
#include <memory>
#include <mutex>

#include <qrencode.h>

namespace dancu::crypto {
namespace {

constexpr int kQuietZone = 4;  // modules, as ISO/IEC 18004 requires

std::string EscapeAttribute(std::string_view s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

Result<std::string> QrSvg(std::string_view text, std::string_view label) {
  static std::mutex mu;
  std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(nullptr, &QRcode_free);
  {
    std::lock_guard lock(mu);
    errno = 0;
    qr.reset(QRcode_encodeData(static_cast<int>(text.size()),
                               reinterpret_cast<const unsigned char*>(text.data()), 0,
                               QR_ECLEVEL_M));
  }
  if (!qr) {
    if (errno == ERANGE) {
      return Fail("qr.too_long", "the text does not fit in a QR code (" +
                                     std::to_string(text.size()) + " bytes)");
    }
    return Fail("qr.encode_failed", "libqrencode could not encode the text");
  }
  const int width = qr->width;
  const int size = width + 2 * kQuietZone;
  std::string path;
  path.reserve(static_cast<size_t>(width) * width * 4);
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width; ++x) {
      if (qr->data[y * width + x] & 1) {  // bit 0: dark module
        path += 'M';
        path += std::to_string(x + kQuietZone);
        path += ' ';
        path += std::to_string(y + kQuietZone);
        path += "h1v1h-1z";
      }
    }
  }
  const std::string n = std::to_string(size);
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + n + ' ' + n +
                    "\" width=\"" + std::to_string(size * 4) + "\" height=\"" +
                    std::to_string(size * 4) +
                    "\" shape-rendering=\"crispEdges\" role=\"img\"";
  if (!label.empty()) svg += " aria-label=\"" + EscapeAttribute(label) + '"';
  svg += "><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
  svg += path;
  svg += "\"/></svg>";
  return svg;
}

}  // namespace dancu::crypto
