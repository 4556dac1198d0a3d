// PersonName: a Vietnamese full name, family + middle + given
// ("Nguyễn Văn An": family "Nguyễn", middle "Văn", given "An").
//
// The text is stored exactly as written, normalized to NFC (outer whitespace
// trimmed, inner runs of whitespace collapsed to one space). The folded key is
// what matching uses: lower case, NFC/NFD-insensitive, diacritics removed,
// đ/Đ -> d (NFD does not decompose đ), single spaces. Folding uses utf8proc.
//
// Errors (Error.code):
//   name.empty         nothing but whitespace
//   name.bad_utf8      not valid UTF-8
//   name.bad_chars     control characters or digits (also invisible format
//                      characters, private-use and unassigned code points)
//   name.too_long      more than 100 code points
//
// Thread safety: value type; FoldName is reentrant.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace dancu {

class PersonName {
 public:
  PersonName() = default;
  static Result<PersonName> Parse(std::string_view text);
  // Parse into `out`, reusing its buffers (bulk paths parse millions of
  // names into one object). The same checks and errors as Parse; on error
  // `out` holds no name (empty text).
  static Status Parse(std::string_view text, PersonName& out);
  // A name the register stored after Parse accepted it. Not validated again:
  // a later, stricter rule must not make stored records unreadable. The text
  // is kept byte for byte; tokens split on ASCII spaces.
  static PersonName FromStored(std::string_view stored);

  const std::string& text() const { return text_; }    // NFC, as written
  const std::string& folded() const { return folded_; }
  // Tokens of the NFC text (views into text(), derived on demand: valid
  // while this name is alive and unchanged). family() is the first token,
  // given() the last, middle() everything between, single-spaced (may be
  // empty). A one-token name has only a given name.
  std::string_view family() const;
  std::string_view middle() const;
  std::string_view given() const;
  std::vector<std::string_view> tokens() const;

  bool operator==(const PersonName& o) const { return text_ == o.text_; }

 private:
  // Parse's general path (names that are not quickly provable NFC, or hold
  // a character Parse rejects).
  static Status ParseSlow(std::string_view text, PersonName& out);

  std::string text_;
  std::string folded_;
  // Only for FromStored text that is not single-spaced (an old record):
  // the middle tokens joined by single spaces. Otherwise tokens are the
  // ' '-separated pieces of text_ and middle() is a view into it.
  std::string irregular_middle_;
  bool irregular_ = false;
};

// The folded matching key of any UTF-8 text (see above). Invalid UTF-8 bytes
// are dropped, as are control and invisible format characters. Decomposition
// is compatibility decomposition (NFKD), so full-width and ligature forms fold
// like their plain letters.
std::string FoldName(std::string_view text);
// FoldName into a caller-owned buffer (cleared first), so bulk import can
// reuse one buffer instead of allocating per name.
void FoldNameTo(std::string_view text, std::string& out);
// NFC normalization; fails with name.bad_utf8 on invalid UTF-8.
Result<std::string> ToNfc(std::string_view text);
// True if `text` is valid UTF-8.
bool IsValidUtf8(std::string_view text);
// 64-bit hash of a folded key, used as a compact index key: SipHash-2-4
// (libsodium crypto_shorthash) under the fixed public key "dancu-folded-v1!",
// the 8 output bytes read little endian. Hashes are stored in databases, so
// the value for a given input never changes across runs, builds or machines.
int64_t FoldedKeyHash(std::string_view folded);

}  // namespace dancu
