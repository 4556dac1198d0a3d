#include "core/person_name.h"

#include <sodium.h>
#include <utf8proc.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "core/utf8.h"

namespace dancu {
namespace {

constexpr size_t kMaxNameCodePoints = 100;

// Folding = compatibility decomposition (NFKD, so NFC and NFD input and
// full-width or ligature forms meet) + case folding + removal of combining
// marks. đ/Đ have no decomposition in Unicode, so they are mapped by hand.
constexpr utf8proc_option_t kFoldOptions = static_cast<utf8proc_option_t>(
    UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK);

enum class FoldKind : uint8_t {
  kBytes,  // append `bytes`
  kSpace,  // white space: collapses into one separator
  kDrop,   // control/format character or a bare combining mark
  kSlow,   // folds to something with spaces or long: fold at call time
};

struct FoldEntry {
  FoldKind kind = FoldKind::kDrop;
  uint8_t len = 0;
  char bytes[6] = {};
};

// Code points below this bound (Latin, Vietnamese letters in U+1E00..U+1EFF,
// Greek, Cyrillic, combining marks) are folded through a table built once;
// the rest go through utf8proc at call time. Either way no heap is used.
constexpr int32_t kTableSize = 0x2000;

bool IsDroppedCategory(utf8proc_category_t cat) {
  return cat == UTF8PROC_CATEGORY_CC || cat == UTF8PROC_CATEGORY_CF;
}

int32_t MapDStroke(int32_t cp) { return (cp == 0x0110 || cp == 0x0111) ? 'd' : cp; }

// Folds one code point into at most `cap` code points; returns the count, or
// 0 for a code point that folds to nothing (marks, controls).
int FoldCodePoint(int32_t cp, int32_t* out, int cap) {
  if (IsDroppedCategory(utf8proc_category(cp))) return 0;
  int boundclass = 0;
  const utf8proc_ssize_t n = utf8proc_decompose_char(cp, out, cap, kFoldOptions, &boundclass);
  if (n <= 0 || n > cap) return 0;
  for (utf8proc_ssize_t i = 0; i < n; ++i) out[i] = MapDStroke(out[i]);
  return static_cast<int>(n);
}

const std::array<FoldEntry, kTableSize>& FoldTable() {
  static const auto* table = [] {
    auto* t = new std::array<FoldEntry, kTableSize>();
    for (int32_t cp = 0; cp < kTableSize; ++cp) {
      FoldEntry& e = (*t)[cp];
      if (cp >= 0xD800 && cp <= 0xDFFF) continue;
      if (utf8::IsSpace(cp)) {
        e.kind = FoldKind::kSpace;
        continue;
      }
      int32_t folded[32];
      const int n = FoldCodePoint(cp, folded, 32);
      std::string bytes;
      bool has_space = false;
      for (int i = 0; i < n; ++i) {
        has_space |= utf8::IsSpace(folded[i]);
        utf8::Append(bytes, static_cast<uint32_t>(folded[i]));
      }
      if (n == 0) {
        e.kind = FoldKind::kDrop;
      } else if (has_space || bytes.size() > sizeof e.bytes) {
        e.kind = FoldKind::kSlow;
      } else {
        e.kind = FoldKind::kBytes;
        e.len = static_cast<uint8_t>(bytes.size());
        bytes.copy(e.bytes, bytes.size());
      }
    }
    return t;
  }();
  return *table;
}

// Appends folded output while keeping the key's spacing canonical: no
// leading or trailing space, single spaces between words.
class FoldSink {
 public:
  explicit FoldSink(std::string& out) : out_(out) {}
  void Space() { pending_space_ = true; }
  void Bytes(const char* b, size_t n) {
    Separate();
    out_.append(b, n);
  }
  void Byte(char c) {
    Separate();
    out_.push_back(c);
  }
  void CodePoints(const int32_t* cps, int n) {
    for (int i = 0; i < n; ++i) {
      if (utf8::IsSpace(cps[i])) {
        Space();
      } else {
        Separate();
        utf8::Append(out_, static_cast<uint32_t>(cps[i]));
      }
    }
  }

 private:
  void Separate() {
    if (pending_space_) {
      if (!out_.empty()) out_.push_back(' ');
      pending_space_ = false;
    }
  }
  std::string& out_;
  bool pending_space_ = false;
};

// ASCII classes for the fold fast path.
enum : uint8_t { kAsciiKeep = 0, kAsciiSpace = 1, kAsciiDrop = 2 };
constexpr std::array<uint8_t, 128> kAsciiClass = [] {
  std::array<uint8_t, 128> c{};
  for (int i = 0; i < 32; ++i) c[i] = kAsciiDrop;
  c[127] = kAsciiDrop;
  for (char s : {' ', '\t', '\n', '\v', '\f', '\r'}) c[static_cast<unsigned char>(s)] = kAsciiSpace;
  return c;
}();

// True if `cp` (below kTableSize) is NFC on its own and cannot combine with
// a neighbour during composition: not a mark, combining class 0, not the
// second half of any canonical composition pair (Hangul jamo, some Indic
// vowel signs) and not a singleton/excluded decomposition.
bool IsNfcInert(int32_t cp) {
  if (cp >= 0xD800 && cp <= 0xDFFF) return false;
  if (cp >= 0x1100 && cp <= 0x11FF) return false;  // Hangul jamo compose
  const utf8proc_property_t* prop = utf8proc_get_property(cp);
  switch (prop->category) {
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
      return false;
    default:
      break;
  }
  if (prop->combining_class != 0) return false;
  // utf8proc marks code points that can follow a starter in a composition
  // pair with comb_index >= 0x8000.
  if (prop->comb_index != UINT16_MAX && prop->comb_index >= 0x8000) return false;
  std::string one;
  utf8::Append(one, static_cast<uint32_t>(cp));
  utf8proc_uint8_t* nfc = utf8proc_NFC(reinterpret_cast<const utf8proc_uint8_t*>(one.c_str()));
  const bool same = nfc != nullptr && one == reinterpret_cast<const char*>(nfc);
  std::free(nfc);
  return same;
}

// Most names (Vietnamese in NFC, any ASCII) are already NFC; proving it
// with a table is several times cheaper than utf8proc's map, which
// allocates. A string of inert code points is NFC: nothing in it reorders or
// composes.
const std::array<bool, kTableSize>& InertTable() {
  static const auto* inert = [] {
    auto* t = new std::array<bool, kTableSize>();
    for (int32_t cp = 0; cp < kTableSize; ++cp) (*t)[cp] = IsNfcInert(cp);
    return t;
  }();
  return *inert;
}

bool IsQuickNfc(std::string_view valid) {
  const auto& inert = InertTable();
  const char* p = valid.data();
  const char* end = p + valid.size();
  while (p < end) {
    if (static_cast<unsigned char>(*p) < 0x80) {
      ++p;
      continue;
    }
    const int32_t cp = utf8::Decode(p, end);
    if (cp < 0 || cp >= kTableSize || !inert[cp]) return false;
  }
  return true;
}

// NFC of already-validated UTF-8.
std::string NfcOfValid(std::string_view text) {
  if (IsQuickNfc(text)) return std::string(text);
  utf8proc_uint8_t* out = nullptr;
  const utf8proc_ssize_t n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                   static_cast<utf8proc_ssize_t>(text.size()), &out,
                   static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(out, &std::free);
  if (n < 0) return std::string(text);  // unreachable for valid input
  return std::string(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
}

// Characters a name may not contain: controls, invisible format characters
// (zero-width joiners, BOM: they make equal-looking names differ), private
// use, unassigned code points and digits of any script.
bool IsBadNameChar(int32_t cp) {
  if (cp < 0x80) return cp < 0x20 || cp == 0x7F || (cp >= '0' && cp <= '9');
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_CO:
    case UTF8PROC_CATEGORY_CN:
    case UTF8PROC_CATEGORY_CS:
    case UTF8PROC_CATEGORY_ND:
      return true;
    default:
      return false;
  }
}

// What PersonName::Parse's one-pass path does with a code point below
// kTableSize. It takes only what the general path would accept unchanged:
// a code point that is NFC-inert (so the whole name is NFC, as IsQuickNfc
// proves) and not a bad name character; anything else (and invalid UTF-8)
// sends the name to the general path, which also reports the errors.
enum class FastKind : uint8_t {
  kBail,       // use the general path
  kSpace,      // white space between tokens
  kAscii,      // ASCII kept in the name: folds by lower-casing A-Z
  kFoldBytes,  // folds to FoldTable's bytes
  kFoldDrop,   // folds to nothing
  kFoldSlow,   // folds through utf8proc: fold the finished text instead
};

const std::array<FastKind, kTableSize>& FastTable() {
  static const auto* table = [] {
    auto* t = new std::array<FastKind, kTableSize>();
    const auto& inert = InertTable();
    const auto& fold = FoldTable();
    for (int32_t cp = 0; cp < kTableSize; ++cp) {
      FastKind& k = (*t)[cp];
      if (cp >= 0xD800 && cp <= 0xDFFF) continue;
      if (cp >= 0x80 && !inert[cp]) continue;  // ASCII is always inert
      if (utf8::IsSpace(cp)) {
        k = FastKind::kSpace;
      } else if (IsBadNameChar(cp)) {
        continue;
      } else if (cp < 0x80) {
        k = FastKind::kAscii;
      } else {
        switch (fold[cp].kind) {
          case FoldKind::kBytes:
            k = FastKind::kFoldBytes;
            break;
          case FoldKind::kDrop:
            k = FastKind::kFoldDrop;
            break;
          case FoldKind::kSlow:
            k = FastKind::kFoldSlow;
            break;
          case FoldKind::kSpace:
            break;  // IsSpace above; unreachable
        }
      }
    }
    return t;
  }();
  return *table;
}

}  // namespace

void FoldNameTo(std::string_view text, std::string& out) {
  out.clear();
  out.reserve(text.size());
  FoldSink sink(out);
  const auto& table = FoldTable();
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    const auto c = static_cast<unsigned char>(*p);
    if (c < 0x80) {
      ++p;
      switch (kAsciiClass[c]) {
        case kAsciiKeep:
          sink.Byte(static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c));
          break;
        case kAsciiSpace:
          sink.Space();
          break;
        default:
          break;
      }
      continue;
    }
    const int32_t cp = utf8::Decode(p, end);
    if (cp < 0) continue;  // invalid byte: dropped
    if (cp < kTableSize) {
      const FoldEntry& e = table[cp];
      switch (e.kind) {
        case FoldKind::kBytes:
          sink.Bytes(e.bytes, e.len);
          continue;
        case FoldKind::kSpace:
          sink.Space();
          continue;
        case FoldKind::kDrop:
          continue;
        case FoldKind::kSlow:
          break;
      }
    } else if (utf8::IsSpace(cp)) {
      sink.Space();
      continue;
    }
    int32_t folded[32];
    sink.CodePoints(folded, FoldCodePoint(cp, folded, 32));
  }
}

std::string FoldName(std::string_view text) {
  std::string out;
  FoldNameTo(text, out);
  return out;
}

bool IsValidUtf8(std::string_view text) { return utf8::IsValid(text); }

Result<std::string> ToNfc(std::string_view text) {
  if (!utf8::IsValid(text)) return Fail("name.bad_utf8", "text is not valid UTF-8");
  return NfcOfValid(text);
}

int64_t FoldedKeyHash(std::string_view folded) {
  // SipHash-2-4 under a fixed, public key. The hash is stored in the
  // database and used as an index key, so it must never change between runs
  // or builds: changing this key means rebuilding every stored hash. It is
  // not a secret; it only spreads keys, it does not hide them.
  static constexpr unsigned char kKey[crypto_shorthash_KEYBYTES] = {
      'd', 'a', 'n', 'c', 'u', '-', 'f', 'o', 'l', 'd', 'e', 'd', '-', 'v', '1', '!'};
  unsigned char h[crypto_shorthash_BYTES];
  crypto_shorthash(h, reinterpret_cast<const unsigned char*>(folded.data()), folded.size(), kKey);
  uint64_t v = 0;
  for (int i = crypto_shorthash_BYTES - 1; i >= 0; --i) v = (v << 8) | h[i];  // little endian
  return static_cast<int64_t>(v);
}

Result<PersonName> PersonName::Parse(std::string_view text) {
  PersonName name;
  if (auto s = Parse(text, name); !s) return std::unexpected(std::move(s.error()));
  return name;
}

Status PersonName::Parse(std::string_view text, PersonName& out) {
  out.text_.clear();
  out.folded_.clear();
  out.irregular_middle_.clear();
  out.irregular_ = false;
  // One pass for the common name (valid UTF-8, provably NFC, no rejected
  // character): it validates, collapses the spacing into text_ and folds
  // into folded_ at once, feeding the FoldSink exactly the code points
  // FoldNameTo(text_) would see. Anything else takes ParseSlow from the
  // start, so results and errors are those of the general path.
  const auto& table = FastTable();
  const auto& fold = FoldTable();
  out.text_.reserve(text.size());
  out.folded_.reserve(text.size());
  FoldSink sink(out.folded_);
  bool fold_after = false;
  size_t code_points = 0;
  bool pending_space = false;
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    const char* start = p;
    const int32_t cp = utf8::Decode(p, end);
    const FastKind kind = cp >= 0 && cp < kTableSize ? table[cp] : FastKind::kBail;
    if (kind == FastKind::kBail) return ParseSlow(text, out);
    if (kind == FastKind::kSpace) {
      pending_space = true;
      continue;
    }
    if (pending_space && !out.text_.empty()) {
      out.text_.push_back(' ');
      ++code_points;
      sink.Space();
    }
    pending_space = false;
    out.text_.append(start, p);
    ++code_points;
    switch (kind) {
      case FastKind::kAscii: {
        const char c = static_cast<char>(cp);
        sink.Byte(c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c);
        break;
      }
      case FastKind::kFoldBytes:
        sink.Bytes(fold[cp].bytes, fold[cp].len);
        break;
      case FastKind::kFoldSlow:
        fold_after = true;
        break;
      default:  // kFoldDrop
        break;
    }
  }
  if (out.text_.empty()) {
    out.folded_.clear();
    return Fail("name.empty", "name is empty");
  }
  if (code_points > kMaxNameCodePoints) {
    out.text_.clear();
    out.folded_.clear();
    return Fail("name.too_long",
                "a name may have at most 100 characters, got " + std::to_string(code_points));
  }
  if (fold_after) FoldNameTo(out.text_, out.folded_);
  return {};
}

Status PersonName::ParseSlow(std::string_view text, PersonName& out) {
  out.text_.clear();
  out.folded_.clear();
  if (!utf8::IsValid(text)) return Fail("name.bad_utf8", "name is not valid UTF-8");
  std::string nfc_storage;
  std::string_view nfc = text;
  if (!IsQuickNfc(text)) {
    nfc_storage = NfcOfValid(text);
    nfc = nfc_storage;
  }

  size_t code_points = 0;
  bool pending_space = false;
  const char* p = nfc.data();
  const char* end = p + nfc.size();
  while (p < end) {
    const char* start = p;
    const int32_t cp = utf8::Decode(p, end);
    if (utf8::IsSpace(cp)) {
      pending_space = true;
      continue;
    }
    if (IsBadNameChar(cp)) {
      out.text_.clear();
      char msg[64];
      std::snprintf(msg, sizeof msg, "character U+%04X is not allowed in a name",
                    static_cast<unsigned>(cp));
      return Fail("name.bad_chars", msg);
    }
    if (pending_space && !out.text_.empty()) {
      out.text_.push_back(' ');
      ++code_points;
    }
    pending_space = false;
    out.text_.append(start, p);
    ++code_points;
  }
  if (out.text_.empty()) return Fail("name.empty", "name is empty");
  if (code_points > kMaxNameCodePoints) {
    out.text_.clear();
    return Fail("name.too_long",
                "a name may have at most 100 characters, got " + std::to_string(code_points));
  }
  FoldNameTo(out.text_, out.folded_);
  return {};
}

PersonName PersonName::FromStored(std::string_view stored) {
  PersonName name;
  name.text_.assign(stored);
  // Parse's output is single-spaced; an older record may not be. Then the
  // tokens (split on ASCII spaces, empty pieces skipped) are not the
  // ' '-separated pieces of the text, and middle() is joined here.
  name.irregular_ = !stored.empty() && (stored.front() == ' ' || stored.back() == ' ' ||
                                        stored.find("  ") != std::string_view::npos);
  if (name.irregular_) {
    const std::vector<std::string_view> tokens = name.tokens();
    for (size_t i = 1; i + 1 < tokens.size(); ++i) {
      if (i > 1) name.irregular_middle_.push_back(' ');
      name.irregular_middle_ += tokens[i];
    }
  }
  FoldNameTo(name.text_, name.folded_);
  return name;
}

std::vector<std::string_view> PersonName::tokens() const {
  std::vector<std::string_view> tokens;
  const std::string_view text = text_;
  size_t start = 0;
  while (start <= text.size()) {
    size_t space = text.find(' ', start);
    if (space == std::string_view::npos) space = text.size();
    if (space > start) tokens.push_back(text.substr(start, space - start));
    start = space + 1;
  }
  return tokens;
}

std::string_view PersonName::family() const {
  if (irregular_) {
    const std::vector<std::string_view> t = tokens();
    return t.size() >= 2 ? t.front() : std::string_view();
  }
  const size_t space = text_.find(' ');
  return space == std::string::npos ? std::string_view() : std::string_view(text_).substr(0, space);
}

std::string_view PersonName::middle() const {
  if (irregular_) return irregular_middle_;
  const size_t first = text_.find(' ');
  const size_t last = text_.rfind(' ');
  if (first == std::string::npos || first == last) return {};
  return std::string_view(text_).substr(first + 1, last - first - 1);
}

std::string_view PersonName::given() const {
  if (irregular_) {
    const std::vector<std::string_view> t = tokens();
    return t.empty() ? std::string_view() : t.back();
  }
  const size_t space = text_.rfind(' ');
  return space == std::string::npos ? std::string_view(text_)
                                    : std::string_view(text_).substr(space + 1);
}

}  // namespace dancu
