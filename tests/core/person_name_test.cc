#include "core/person_name.h"

#include <gtest/gtest.h>
#include <utf8proc.h>

#include <cstdlib>
#include <random>
#include <string>

namespace dancu {
namespace {

// "Đặng Thị Ánh" precomposed (NFC) and decomposed (NFD), written as bytes so
// the editor cannot normalise them.
const std::string kNfc = "\xC4\x90\xE1\xBA\xB7ng Th\xE1\xBB\x8B \xC3\x81nh";
const std::string kNfd =
    "\xC4\x90"
    "a\xCC\xA3\xCC\x86"
    "ng Thi\xCC\xA3 A\xCC\x81nh";

// FoldedKeyHash values pinned when the key was chosen (cross-checked with an
// independent SipHash-2-4). They are stored in databases: never update them.
constexpr int64_t kGoldenEmpty = -540918238196983547;
constexpr int64_t kGoldenNguyenVanAn = -4809958645130420831;

TEST(FoldNameTest, NfcAndNfdFoldTheSame) {
  ASSERT_NE(kNfc, kNfd);
  EXPECT_EQ(FoldName(kNfc), "dang thi anh");
  EXPECT_EQ(FoldName(kNfd), "dang thi anh");
}

TEST(FoldNameTest, Table) {
  struct Case {
    std::string in, want;
  };
  const Case cases[] = {
      {"Đặng Thị Ánh", "dang thi anh"},
      {"ĐẶNG THỊ ÁNH", "dang thi anh"},
      {"đặng thị ánh", "dang thi anh"},
      {"Dang Thi Anh", "dang thi anh"},
      {"Nguyễn Văn An", "nguyen van an"},
      {"NGUYỄN VĂN AN", "nguyen van an"},
      {"Trần Thị Thu Hương", "tran thi thu huong"},
      {"Lê Ngọc Hưởng", "le ngoc huong"},
      {"Phạm Đức Độ", "pham duc do"},
      {"Ưng Ơn Ư", "ung on u"},
      {"Hồ Thị Kiều Oanh", "ho thi kieu oanh"},
      {"Hoà", "hoa"},  // old tone placement
      {"Hòa", "hoa"},  // new tone placement
      {"  Nguyễn   Văn\tAn  ", "nguyen van an"},
      {"Nguyễn\xC2\xA0Văn\xE2\x80\x83"
       "An",
       "nguyen van an"},  // NBSP, em space
      {"Nguyễn\r\nVăn\n\nAn", "nguyen van an"},
      {"\xE3\x80\x80Nguyễn\xE3\x80\x80", "nguyen"},  // ideographic space
      {"Nguy\xFF\xFEn", "nguyn"},                    // invalid bytes dropped
      {"Nguy\xE1\xBB", "nguy"},                      // truncated sequence
      {"An\xE2\x80\x8B"
       "h",
       "anh"},  // zero-width space dropped
      {"\xEF\xBB\xBF"
       "An",
       "an"},                   // BOM dropped
      {"An\x01h", "anh"},       // control dropped
      {"\xEF\xBC\xA1n", "an"},  // full-width A
      {"O'Brien-Smith", "o'brien-smith"},
      {"Ñúñez Çelik", "nunez celik"},
      {"STRASSE", "strasse"},
      {"Straße", "strasse"},
      {"", ""},
      {" \t\n ", ""},
      {"\xCC\x81", ""},  // a bare combining mark
      {" \xCC\x81 An", "an"},
  };
  for (const Case& c : cases) EXPECT_EQ(FoldName(c.in), c.want) << c.in;
}

TEST(FoldNameTest, IntoReusedBuffer) {
  std::string buf = "stale contents";
  FoldNameTo("Võ Thị Sáu", buf);
  EXPECT_EQ(buf, "vo thi sau");
  FoldNameTo("", buf);
  EXPECT_EQ(buf, "");
}

TEST(FoldNameTest, DStrokeIsFoldedInEveryForm) {
  EXPECT_EQ(FoldName("\xC4\x90"), "d");  // U+0110
  EXPECT_EQ(FoldName("\xC4\x91"), "d");  // U+0111
  EXPECT_EQ(FoldName("Đ"), FoldName("D"));
}

TEST(FoldedKeyHashTest, StableAndSpread) {
  // Stored in the database: these values must never change.
  EXPECT_EQ(FoldedKeyHash("nguyen van an"), FoldedKeyHash(FoldName("Nguyễn Văn An")));
  EXPECT_NE(FoldedKeyHash("nguyen van an"), FoldedKeyHash("nguyen van anh"));
  EXPECT_NE(FoldedKeyHash(""), FoldedKeyHash(" "));
  EXPECT_EQ(FoldedKeyHash("nguyen van an"), FoldedKeyHash("nguyen van an"));
}

TEST(FoldedKeyHashTest, GoldenValues) {
  // SipHash-2-4 with the key "dancu-folded-v1!", output read little endian.
  EXPECT_EQ(FoldedKeyHash(""), kGoldenEmpty);
  EXPECT_EQ(FoldedKeyHash("nguyen van an"), kGoldenNguyenVanAn);
}

TEST(IsValidUtf8Test, Table) {
  struct Case {
    std::string text;
    bool valid;
  };
  const Case cases[] = {
      {"", true},
      {"plain ascii long enough for the word loop", true},
      {kNfc, true},
      {kNfd, true},
      {"\xF0\x9F\x98\x80", true},   // U+1F600
      {"\xF4\x8F\xBF\xBF", true},   // U+10FFFF
      {"\xEF\xBF\xBD", true},       // U+FFFD
      {"\x80", false},              // stray continuation
      {"abc\xC3", false},           // truncated
      {"\xC0\xAF", false},          // overlong '/'
      {"\xE0\x80\xAF", false},      // overlong
      {"\xED\xA0\x80", false},      // surrogate U+D800
      {"\xF4\x90\x80\x80", false},  // above U+10FFFF
      {"\xF5\x80\x80\x80", false},
      {"\xFF", false},
      {"abcdefgh\xC3\x28xyz", false},
  };
  for (const Case& c : cases) EXPECT_EQ(IsValidUtf8(c.text), c.valid) << c.text;
}

TEST(ToNfcTest, ComposesAndRejectsBadUtf8) {
  EXPECT_EQ(ToNfc(kNfd).value(), kNfc);
  EXPECT_EQ(ToNfc(kNfc).value(), kNfc);
  EXPECT_EQ(ToNfc("ascii").value(), "ascii");
  EXPECT_EQ(ToNfc("\xC3").error().code, "name.bad_utf8");
}

std::string Utf8(char32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

std::string ReferenceNfc(const std::string& s) {
  utf8proc_uint8_t* out = utf8proc_NFC(reinterpret_cast<const utf8proc_uint8_t*>(s.c_str()));
  std::string result(reinterpret_cast<const char*>(out));
  std::free(out);
  return result;
}

// ToNfc skips utf8proc for text it can prove is already NFC; that proof must
// never accept a string utf8proc would change. Random short strings over
// U+0000..U+1FFF (Latin, Vietnamese, combining marks, Hangul jamo, Indic
// vowel signs) against utf8proc_NFC directly.
TEST(ToNfcTest, FastPathAgreesWithUtf8proc) {
  std::mt19937 rng(20250701);
  std::uniform_int_distribution<int> len(1, 4);
  std::uniform_int_distribution<int> any(0x20, 0x1FFF);
  std::uniform_int_distribution<int> pick(0, 3);
  // Code points that compose or reorder, so the random strings hit them often.
  const char32_t interesting[] = {0x0301, 0x0300, 0x0303, 0x0309, 0x0323, 0x031B, 0x0306,
                                  0x0302, 0x1161, 0x11A8, 0x1100, 0x0B3E, 0x0B47, 0x0BBE,
                                  0x0CC2, 0x0D3E, 0x102E, 0x0DCF, 0x0344, 0x0340, 0x0374};
  std::uniform_int_distribution<size_t> pick_interesting(0, std::size(interesting) - 1);
  const char32_t bases[] = {'a',    'A',    'o',    'u',    'e',    0x01A1, 0x01B0, 0x0103, 0x00E2,
                            0x0B47, 0x0BC6, 0x1025, 0x0DD9, 0x0D46, 0x0CC6, 0x1100, 0x1161};
  std::uniform_int_distribution<size_t> pick_base(0, std::size(bases) - 1);
  for (int i = 0; i < 200000; ++i) {
    std::string s;
    for (int n = len(rng); n > 0; --n) {
      char32_t cp;
      switch (pick(rng)) {
        case 0:
          cp = interesting[pick_interesting(rng)];
          break;
        case 1:
          cp = bases[pick_base(rng)];
          break;
        default:
          cp = static_cast<char32_t>(any(rng));
          break;
      }
      if (cp >= 0xD800 && cp <= 0xDFFF) cp = 'x';
      s += Utf8(cp);
    }
    ASSERT_EQ(ToNfc(s).value(), ReferenceNfc(s)) << "case " << i;
  }
  // Every single code point of the table range on its own.
  for (char32_t cp = 1; cp < 0x2000; ++cp) {
    const std::string s = Utf8(cp);
    ASSERT_EQ(ToNfc(s).value(), ReferenceNfc(s)) << std::hex << static_cast<uint32_t>(cp);
  }
}

TEST(PersonNameTest, NfdInputIsStoredAsNfc) {
  auto nfd = PersonName::Parse(kNfd);
  auto nfc = PersonName::Parse(kNfc);
  ASSERT_TRUE(nfd.has_value());
  ASSERT_TRUE(nfc.has_value());
  EXPECT_EQ(nfd->text(), kNfc);
  EXPECT_EQ(*nfd, *nfc);
  EXPECT_EQ(nfd->folded(), "dang thi anh");
  EXPECT_EQ(nfd->folded(), nfc->folded());
}

TEST(PersonNameTest, Tokens) {
  struct Case {
    std::string in, text, family, middle, given;
    size_t tokens;
  };
  const Case cases[] = {
      {"Nguyễn Văn An", "Nguyễn Văn An", "Nguyễn", "Văn", "An", 3},
      {"Trần Thị Thu Hương", "Trần Thị Thu Hương", "Trần", "Thị Thu", "Hương", 4},
      {"Tôn Nữ Thị Ngọc Bích", "Tôn Nữ Thị Ngọc Bích", "Tôn", "Nữ Thị Ngọc", "Bích", 5},
      {"Lê Lợi", "Lê Lợi", "Lê", "", "Lợi", 2},
      {"Bình", "Bình", "", "", "Bình", 1},
      {"  Nguyễn   Văn \t An  ", "Nguyễn Văn An", "Nguyễn", "Văn", "An", 3},
      {"Nguyễn\xC2\xA0Văn\tAn", "Nguyễn Văn An", "Nguyễn", "Văn", "An", 3},
      {"NGUYỄN VĂN AN", "NGUYỄN VĂN AN", "NGUYỄN", "VĂN", "AN", 3},
  };
  for (const Case& c : cases) {
    auto n = PersonName::Parse(c.in);
    ASSERT_TRUE(n.has_value()) << c.in << ": " << n.error().code;
    EXPECT_EQ(n->text(), c.text);
    EXPECT_EQ(n->family(), c.family) << c.in;
    EXPECT_EQ(n->middle(), c.middle) << c.in;
    EXPECT_EQ(n->given(), c.given) << c.in;
    EXPECT_EQ(n->tokens().size(), c.tokens) << c.in;
    EXPECT_EQ(n->folded(), FoldName(c.text));
  }
}

TEST(PersonNameTest, CaseAndSpacingDoNotChangeTheKey) {
  const std::string want = "nguyen van an";
  for (const char* in :
       {"Nguyễn Văn An", "NGUYỄN VĂN AN", "nguyễn văn an", " Nguyễn  Văn An ", "Nguyen Van An"}) {
    auto n = PersonName::Parse(in);
    ASSERT_TRUE(n.has_value()) << in;
    EXPECT_EQ(n->folded(), want) << in;
  }
}

TEST(PersonNameTest, CopiesKeepTheirParts) {
  PersonName copy;
  {
    auto n = PersonName::Parse("Trần Thị Thu Hương");
    ASSERT_TRUE(n.has_value());
    copy = *n;
  }
  EXPECT_EQ(copy.family(), "Trần");
  EXPECT_EQ(copy.middle(), "Thị Thu");
  EXPECT_EQ(copy.given(), "Hương");
}

TEST(PersonNameTest, Errors) {
  struct Case {
    std::string in, code;
  };
  const Case cases[] = {
      {"", "name.empty"},
      {"   ", "name.empty"},
      {"\t\n\xC2\xA0", "name.empty"},
      {"Nguy\xC3", "name.bad_utf8"},
      {"\xFF", "name.bad_utf8"},
      {"\xED\xA0\x80", "name.bad_utf8"},
      {"Nguyễn Văn 2", "name.bad_chars"},
      {"Nguyen Van An 0", "name.bad_chars"},
      {"An\xD9\xA3", "name.bad_chars"},  // Arabic-Indic digit three
      {"An\x01", "name.bad_chars"},
      {"An\x7F", "name.bad_chars"},
      {"An\xC2\x85\x01", "name.bad_chars"},  // NEL is space, then a control
      {"An\xE2\x80\x8B"
       "h",
       "name.bad_chars"},                    // zero-width space
      {"An\xEE\x80\x80", "name.bad_chars"},  // private use
      {std::string(101, 'a'), "name.too_long"},
  };
  for (const Case& c : cases) {
    auto n = PersonName::Parse(c.in);
    ASSERT_FALSE(n.has_value()) << c.in;
    EXPECT_EQ(n.error().code, c.code) << c.in;
  }
}

TEST(PersonNameTest, LengthCountsCodePointsAfterCollapsing) {
  EXPECT_TRUE(PersonName::Parse(std::string(100, 'a')).has_value());
  std::string hundred_vietnamese;
  for (int i = 0; i < 100; ++i) hundred_vietnamese += "ữ";
  EXPECT_TRUE(PersonName::Parse(hundred_vietnamese).has_value());
  EXPECT_EQ(PersonName::Parse(hundred_vietnamese + "ữ").error().code, "name.too_long");
  // Outer and repeated blanks are not counted.
  EXPECT_TRUE(
      PersonName::Parse("   " + std::string(50, 'a') + "     " + std::string(49, 'b') + "  ")
          .has_value());
  // 100 decomposed letters compose to 100 code points.
  std::string nfd;
  for (int i = 0; i < 100; ++i) nfd += "a\xCC\x81";
  EXPECT_TRUE(PersonName::Parse(nfd).has_value());
}

}  // namespace
}  // namespace dancu

namespace dancu {
namespace {

TEST(PersonNameFromStored, MatchesParseForStoredText) {
  for (const char* text : {"Nguyễn Văn An", "An", "Tôn Nữ Thị Minh Khai", "Lê Thị"}) {
    PersonName parsed = PersonName::Parse(text).value();
    PersonName stored = PersonName::FromStored(parsed.text());
    EXPECT_EQ(stored.text(), parsed.text()) << text;
    EXPECT_EQ(stored.folded(), parsed.folded()) << text;
    EXPECT_EQ(stored.tokens(), parsed.tokens()) << text;
    EXPECT_EQ(stored.family(), parsed.family()) << text;
    EXPECT_EQ(stored.middle(), parsed.middle()) << text;
    EXPECT_EQ(stored.given(), parsed.given()) << text;
  }
}

TEST(PersonNameFromStored, KeepsTextThatParseWouldNowReject) {
  // A record stored under an older, looser rule stays readable.
  PersonName stored = PersonName::FromStored("Nguyễn Văn 2");
  EXPECT_EQ(stored.text(), "Nguyễn Văn 2");
  EXPECT_EQ(stored.given(), "2");
  EXPECT_FALSE(PersonName::Parse("Nguyễn Văn 2"));
}

}  // namespace
}  // namespace dancu

namespace dancu {
namespace {

// Parse folds in the same pass as it validates (common names) or through
// FoldNameTo (the rest); either way folded() is FoldName(text()).
TEST(PersonNameParse, FoldedIsFoldNameOfTheText) {
  for (const char* text :
       {"Nguyễn Văn An", "NGUYỄN   văn\tAN", "  Đặng Thị Ánh  ", "O'Neil Mary-Jane",
        "Nguye\xCC\x82\xCC\x83n Va\xCC\x86n An",  // NFD: the general path
        "An\xC2\xA0"
        "Binh",  // U+00A0 between tokens
        "An\xE3\x80\x80"
        "Binh",  // U+3000: above the fast table
        "Tr\xC2\xA8"
        "an",                           // U+00A8 folds to a space and a mark
        "\xEF\xBC\xA1n",                // full-width A
        "Stra\xC3\x9F\xE1\xBA\x9E"}) {  // ß and capital ẞ
    auto n = PersonName::Parse(text);
    ASSERT_TRUE(n.has_value()) << text << ": " << n.error().message;
    EXPECT_EQ(n->folded(), FoldName(n->text())) << text;
  }
}

TEST(PersonNameParse, IntoAReusedNameGivesWhatAFreshParseGives) {
  PersonName name;
  for (const char* text : {"Tôn Nữ Thị Minh Khai Phương Hoàng", "An", "Lê  Thị", "Nguyễn Văn An"}) {
    ASSERT_TRUE(PersonName::Parse(text, name)) << text;
    PersonName fresh = PersonName::Parse(text).value();
    EXPECT_EQ(name.text(), fresh.text());
    EXPECT_EQ(name.folded(), fresh.folded());
    EXPECT_EQ(name.tokens(), fresh.tokens());
    EXPECT_EQ(name.family(), fresh.family());
    EXPECT_EQ(name.middle(), fresh.middle());
    EXPECT_EQ(name.given(), fresh.given());
  }
  // An error leaves no name behind, and its code is Parse's.
  for (const char* bad : {"An 2", "\xFF An", "   "}) {
    auto s = PersonName::Parse(bad, name);
    ASSERT_FALSE(s) << bad;
    EXPECT_EQ(s.error().code, PersonName::Parse(bad).error().code);
    EXPECT_TRUE(name.text().empty()) << bad;
  }
  EXPECT_EQ(PersonName::Parse(std::string(101, 'a'), name).error().code, "name.too_long");
  EXPECT_TRUE(name.text().empty());
}

TEST(PersonNameFromStored, IrregularSpacingKeepsTheJoinedTokens) {
  PersonName stored = PersonName::FromStored(" Tôn  Nữ Thị   Minh ");
  EXPECT_EQ(stored.text(), " Tôn  Nữ Thị   Minh ");
  EXPECT_EQ(stored.tokens(), (std::vector<std::string_view>{"Tôn", "Nữ", "Thị", "Minh"}));
  EXPECT_EQ(stored.family(), "Tôn");
  EXPECT_EQ(stored.middle(), "Nữ Thị");
  EXPECT_EQ(stored.given(), "Minh");
  EXPECT_EQ(PersonName::FromStored("An").family(), "");
  EXPECT_EQ(PersonName::FromStored("An").given(), "An");
  EXPECT_EQ(PersonName::FromStored("").given(), "");
}

}  // namespace
}  // namespace dancu
