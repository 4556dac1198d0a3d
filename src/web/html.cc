#include "web/html.h"

#include "crypto/encoding.h"
#include "web/cookies.h"
#include "web/redirect.h"

namespace dancu::web {
namespace {

constexpr std::string_view kStyle = R"css(
body{font-family:system-ui,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:0;color:#1b1b1b;background:#f6f7f9;line-height:1.5}
header{background:#a50e0e;color:#fff;padding:.75rem 1rem;display:flex;justify-content:space-between;align-items:center}
header a{color:#fff}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;color:#000;padding:.5rem}
main{max-width:40rem;margin:1.5rem auto;background:#fff;padding:1.5rem;border-radius:.5rem;box-shadow:0 1px 3px #0002}
label{display:block;margin-top:1rem;font-weight:600}
input[type=text],input[type=password],input[type=tel],input[type=date],input[type=number]{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:1px solid #767676;border-radius:.25rem}
button{margin-top:1.25rem;padding:.6rem 1.2rem;font-size:1rem;background:#a50e0e;color:#fff;border:0;border-radius:.25rem;cursor:pointer}
button.secondary{background:#555}
:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}
.error{border-left:4px solid #d4351c;padding:.5rem 1rem;background:#fdf0ee}
.notice{border-left:4px solid #1d70b8;padding:.5rem 1rem;background:#eef5fb}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem;border-bottom:1px solid #ddd;vertical-align:top}
.hint{color:#505a5f;font-size:.9rem}
)css";

// The current URL with its `lang` parameter replaced by `code`.
std::string SwitchLanguageUrl(const http::RequestContext& ctx, std::string_view code) {
  std::string url(ctx.path());
  std::string query;
  if (ctx.method() == boost::beast::http::verb::get) {
    std::string_view target = ctx.target();
    size_t q = target.find('?');
    std::string_view rest = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
    while (!rest.empty()) {
      size_t amp = rest.find('&');
      std::string_view pair = rest.substr(0, amp);
      if (!pair.empty() && pair.substr(0, pair.find('=')) != "lang") {
        query.append(pair).append("&");
      }
      if (amp == std::string_view::npos) break;
      rest.remove_prefix(amp + 1);
    }
  }
  // The path is decoded; re-encode it segment by segment.
  std::string encoded_path;
  for (char c : url) {
    if (c == '/') {
      encoded_path += '/';
    } else {
      encoded_path += crypto::PercentEncode(std::string_view(&c, 1));
    }
  }
  return encoded_path + "?" + query + "lang=" + std::string(code);
}

}  // namespace

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (char c : text) {
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

http::Response HtmlPage(const http::RequestContext& ctx, Lang lang, unsigned status,
                        std::string_view title, std::string_view body_html) {
  Lang other = lang == Lang::kVi ? Lang::kEn : Lang::kVi;
  std::string html;
  html.reserve(body_html.size() + 3072);
  html.append("<!doctype html>\n<html lang=\"").append(LangCode(lang)).append("\">\n<head>\n");
  html.append("<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
  html.append("<title>").append(Escape(title)).append(" · dancu</title>\n<style>");
  html.append(kStyle).append("</style>\n</head>\n<body>\n");
  html.append("<a class=\"skip\" href=\"#main\">")
      .append(Pick(lang, "Bỏ qua đến nội dung chính", "Skip to main content"))
      .append("</a>\n<header><span>")
      .append(Pick(lang, "dancu · Định danh điện tử", "dancu · Electronic identity"))
      .append("</span><a href=\"")
      .append(Escape(SwitchLanguageUrl(ctx, LangCode(other))))
      .append("\" lang=\"")
      .append(LangCode(other))
      .append("\" hreflang=\"")
      .append(LangCode(other))
      .append("\">")
      .append(Pick(other, "Tiếng Việt", "English"))
      .append("</a></header>\n<main id=\"main\">\n<h1>")
      .append(Escape(title))
      .append("</h1>\n")
      .append(body_html)
      .append("\n</main>\n</body>\n</html>\n");

  http::Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::move(html);
  r.headers.emplace_back(
      "Content-Security-Policy",
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data: https:; "
      "form-action 'self' http: https:; frame-ancestors 'none'; base-uri 'none'");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Cache-Control", "no-store");
  Lang chosen;
  if (auto q = ctx.query("lang"); q && ParseLang(*q, chosen)) {
    r.headers.emplace_back("Set-Cookie", SetCookieValue(kLangCookie, LangCode(chosen),
                                                        std::chrono::hours(24 * 365)));
  }
  return r;
}

http::Response MessagePage(const http::RequestContext& ctx, Lang lang, unsigned status,
                           std::string_view title, std::string_view message) {
  std::string body = "<p";
  if (status >= 400) body += " class=\"error\" role=\"alert\"";
  body.append(">").append(Escape(message)).append("</p>");
  return HtmlPage(ctx, lang, status, title, body);
}

http::Response CsrfFailurePage(const http::RequestContext& ctx, Lang lang) {
  return MessagePage(
      ctx, lang, 403, Pick(lang, "Biểu mẫu đã hết hạn", "The form has expired"),
      Pick(lang,
           "Biểu mẫu này không còn hợp lệ (thiếu hoặc sai mã chống giả mạo). Vui lòng quay lại và thử lại.",
           "This form is no longer valid (its anti-forgery token is missing or wrong). Please go back and try again."));
}

}  // namespace dancu::web
