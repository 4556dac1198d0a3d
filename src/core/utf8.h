// Internal UTF-8 helpers shared by person_name, csv and sex. Not a front
// door: other domains use IsValidUtf8 / ToNfc / FoldName from person_name.h.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace dancu::utf8 {

// Decodes the code point at `p` (p < end) and advances `p` past it. An
// invalid sequence (stray continuation byte, overlong form, surrogate, value
// above U+10FFFF, truncation) yields -1 and advances `p` by exactly one byte,
// so callers that drop invalid bytes resynchronise on the next lead byte.
inline int32_t Decode(const char*& p, const char* end) {
  const auto* s = reinterpret_cast<const unsigned char*>(p);
  const size_t avail = static_cast<size_t>(end - p);
  const unsigned c0 = s[0];
  if (c0 < 0x80) {
    ++p;
    return static_cast<int32_t>(c0);
  }
  if (c0 >= 0xC2 && c0 <= 0xDF) {
    if (avail >= 2 && (s[1] & 0xC0) == 0x80) {
      p += 2;
      return static_cast<int32_t>(((c0 & 0x1F) << 6) | (s[1] & 0x3F));
    }
  } else if (c0 >= 0xE0 && c0 <= 0xEF) {
    if (avail >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
      const uint32_t cp = ((c0 & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
      if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
        p += 3;
        return static_cast<int32_t>(cp);
      }
    }
  } else if (c0 >= 0xF0 && c0 <= 0xF4) {
    if (avail >= 4 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80) {
      const uint32_t cp =
          ((c0 & 0x07) << 18) | ((s[1] & 0x3F) << 12) | ((s[2] & 0x3F) << 6) | (s[3] & 0x3F);
      if (cp >= 0x10000 && cp <= 0x10FFFF) {
        p += 4;
        return static_cast<int32_t>(cp);
      }
    }
  }
  ++p;
  return -1;
}

// True if `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF). ASCII runs are checked eight bytes at
// a time because most register data is mostly ASCII; this runs on every CSV
// field at import, so it avoids calling Decode.
inline bool IsValid(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    while (end - p >= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      if (w & 0x8080808080808080ULL) break;
      p += 8;
    }
    if (p == end) break;
    const unsigned c = *p;
    if (c < 0x80) {
      ++p;
    } else if (c < 0xC2) {
      return false;  // continuation byte or overlong 2-byte lead
    } else if (c < 0xE0) {
      if (end - p < 2 || (p[1] & 0xC0) != 0x80) return false;
      p += 2;
    } else if (c < 0xF0) {
      if (end - p < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) return false;
      if (c == 0xE0 && p[1] < 0xA0) return false;  // overlong
      if (c == 0xED && p[1] > 0x9F) return false;  // surrogate
      p += 3;
    } else if (c < 0xF5) {
      if (end - p < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80) {
        return false;
      }
      if (c == 0xF0 && p[1] < 0x90) return false;  // overlong
      if (c == 0xF4 && p[1] > 0x8F) return false;  // above U+10FFFF
      p += 4;
    } else {
      return false;
    }
  }
  return true;
}

inline void Append(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    const char b[2] = {static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F))};
    out.append(b, 2);
  } else if (cp < 0x10000) {
    const char b[3] = {static_cast<char>(0xE0 | (cp >> 12)),
                       static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
                       static_cast<char>(0x80 | (cp & 0x3F))};
    out.append(b, 3);
  } else {
    const char b[4] = {
        static_cast<char>(0xF0 | (cp >> 18)), static_cast<char>(0x80 | ((cp >> 12) & 0x3F)),
        static_cast<char>(0x80 | ((cp >> 6) & 0x3F)), static_cast<char>(0x80 | (cp & 0x3F))};
    out.append(b, 4);
  }
}

// White space that names collapse to one ASCII space: ASCII blanks and line
// breaks, NEL, and every Unicode space separator (NBSP, the U+2000 block,
// narrow NBSP, ideographic space, ...), which copy-paste from documents and
// spreadsheets brings in.
inline bool IsSpace(int32_t cp) {
  switch (cp) {
    case ' ':
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

}  // namespace dancu::utf8
