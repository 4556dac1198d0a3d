#include "crypto/qr_svg.h"

#include <regex>
#include <vector>

#include <gtest/gtest.h>

#ifdef DANCU_HAVE_ZBAR
#include <zbar.h>
#endif

namespace dancu::crypto {
namespace {

constexpr char kUri[] =
    "otpauth://totp/D%C3%A2n%20c%C6%B0:0790123456?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    "&issuer=D%C3%A2n%20c%C6%B0&algorithm=SHA1&digits=6&period=30";

TEST(QrSvg, Shape) {
  const auto svg = QrSvg(kUri, "Mã QR <TOTP> & \"khóa\"");
  ASSERT_TRUE(svg) << svg.error().message;
  EXPECT_EQ(svg->rfind("<svg", 0), 0u);
  EXPECT_NE(svg->find("role=\"img\""), std::string::npos);
  EXPECT_NE(svg->find("aria-label=\"Mã QR &lt;TOTP&gt; &amp; &quot;khóa&quot;\""),
            std::string::npos);
  EXPECT_EQ(std::count(svg->begin(), svg->end(), '<'), 4);  // svg, rect, path, /svg
  EXPECT_TRUE(svg->ends_with("</svg>"));
  EXPECT_EQ(QrSvg("x")->find("aria-label"), std::string::npos);
}

TEST(QrSvg, Errors) {
  EXPECT_EQ(QrSvg(std::string(4000, 'a')).error().code, "qr.too_long");
  EXPECT_EQ(QrSvg("").error().code, "qr.encode_failed");
}

#ifdef DANCU_HAVE_ZBAR
// Rasterises the SVG's own path ("Mx yh1v1h-1z" per dark module) at 4 pixels
// per module and reads it back with zbar: proves the SVG is a real QR code
// with its quiet zone, not just well-formed markup.
std::string DecodeWithZbar(const std::string& svg) {
  std::smatch m;
  EXPECT_TRUE(std::regex_search(svg, m, std::regex("viewBox=\"0 0 (\\d+) \\1\"")));
  const int modules = std::stoi(m[1]);
  constexpr int kScale = 4;
  const int side = modules * kScale;
  std::vector<unsigned char> gray(static_cast<size_t>(side) * side, 255);
  const std::regex square("M(\\d+) (\\d+)h1v1h-1z");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), square);
       it != std::sregex_iterator(); ++it) {
    const int x = std::stoi((*it)[1]), y = std::stoi((*it)[2]);
    for (int dy = 0; dy < kScale; ++dy) {
      for (int dx = 0; dx < kScale; ++dx) {
        gray[static_cast<size_t>(y * kScale + dy) * side + x * kScale + dx] = 0;
      }
    }
  }
  zbar::zbar_image_scanner_t* scanner = zbar::zbar_image_scanner_create();
  zbar::zbar_image_scanner_set_config(scanner, zbar::ZBAR_NONE, zbar::ZBAR_CFG_ENABLE, 0);
  zbar::zbar_image_scanner_set_config(scanner, zbar::ZBAR_QRCODE, zbar::ZBAR_CFG_ENABLE, 1);
  zbar::zbar_image_scanner_set_config(scanner, zbar::ZBAR_QRCODE, zbar::ZBAR_CFG_BINARY, 1);
  zbar::zbar_image_t* image = zbar::zbar_image_create();
  zbar::zbar_image_set_format(image, zbar_fourcc('Y', '8', '0', '0'));
  zbar::zbar_image_set_size(image, side, side);
  zbar::zbar_image_set_data(image, gray.data(), gray.size(), nullptr);
  std::string text;
  if (zbar::zbar_scan_image(scanner, image) > 0) {
    const zbar::zbar_symbol_t* sym = zbar::zbar_image_first_symbol(image);
    text.assign(zbar::zbar_symbol_get_data(sym), zbar::zbar_symbol_get_data_length(sym));
  }
  zbar::zbar_image_destroy(image);
  zbar::zbar_image_scanner_destroy(scanner);
  return text;
}

TEST(QrSvg, DecodesBackWithZbar) {
  const auto svg = QrSvg(kUri);
  ASSERT_TRUE(svg);
  EXPECT_EQ(DecodeWithZbar(*svg), kUri);
  const std::string vietnamese = "Cổng dịch vụ công quốc gia — mã 123";
  EXPECT_EQ(DecodeWithZbar(*QrSvg(vietnamese)), vietnamese);
}
#endif

}  // namespace
}  // namespace dancu::crypto
