#include "linkage/field.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/person_name.h"
#include "linkage/comparators.h"

namespace dancu::linkage {

std::string_view ToString(FieldType t) {
  switch (t) {
    case FieldType::kName:
      return "name";
    case FieldType::kDate:
      return "date";
    case FieldType::kText:
      return "text";
    case FieldType::kExact:
      return "exact";
    case FieldType::kId:
      return "id";
    case FieldType::kPostcode:
      return "postcode";
  }
  return "text";
}

Result<FieldType> ParseFieldType(std::string_view text) {
  for (FieldType t : {FieldType::kName, FieldType::kDate, FieldType::kText, FieldType::kExact,
                      FieldType::kId, FieldType::kPostcode}) {
    if (text == ToString(t)) return t;
  }
  return Fail("linkage.bad_fields", "unknown field type \"" + std::string(text) +
                                        "\" (types: name, date, text, exact, id, postcode)");
}

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Splits on one of `seps`; at most 3 parts (false if more).
bool SplitDate(std::string_view s, char sep, std::string_view parts[3], int& n) {
  n = 0;
  size_t start = 0;
  while (true) {
    size_t end = s.find(sep, start);
    if (n == 3) return false;
    parts[n++] = s.substr(start, end == std::string_view::npos ? end : end - start);
    if (end == std::string_view::npos) return true;
    start = end + 1;
  }
}

void AppendPadded(std::string& out, std::string_view digits, size_t width) {
  for (size_t i = digits.size(); i < width; ++i) out += '0';
  out += digits;
}

void NormalizeDate(std::string_view s, std::string& out) {
  s = Trim(s);
  if (s.empty()) return;
  std::string_view p[3];
  int n = 0;
  if (AllDigits(s) && (s.size() == 8 || s.size() == 4)) {
    out = s;
    if (s.size() == 4) out += "0000";
    return;
  }
  if (s.find('-') != std::string_view::npos && SplitDate(s, '-', p, n) && p[0].size() == 4 &&
      std::all_of(p, p + n, [](std::string_view x) { return AllDigits(x) && x.size() <= 4; })) {
    out = p[0];
    AppendPadded(out, n > 1 ? p[1] : "", 2);
    AppendPadded(out, n > 2 ? p[2] : "", 2);
    return;
  }
  if (s.find('/') != std::string_view::npos && SplitDate(s, '/', p, n) && n >= 2 &&
      p[n - 1].size() == 4 &&
      std::all_of(p, p + n, [](std::string_view x) { return AllDigits(x) && x.size() <= 4; })) {
    // dd/mm/yyyy or mm/yyyy
    out = p[n - 1];
    AppendPadded(out, p[n - 2], 2);
    AppendPadded(out, n == 3 ? p[0] : "", 2);
    return;
  }
  for (char c : s) {
    if (c >= '0' && c <= '9') out += c;
  }
}

void NormalizeCode(std::string_view s, std::string& out) {
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      out += c;
    } else if (c >= 'a' && c <= 'z') {
      out += c;
    } else if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      out += c;  // keep non-ASCII bytes (rare in codes) rather than merge values
    }
  }
}

// The tokens of a folded name, sorted and joined by single spaces, into a
// caller's stack buffer (names are compared without allocating). False if
// the name has more than kMaxTokens tokens or does not fit.
constexpr size_t kMaxTokens = 8;
constexpr size_t kMaxSorted = 128;
bool SortTokens(std::string_view s, char* buf, size_t& len) {
  std::string_view t[kMaxTokens];
  size_t n = 0, start = 0;
  while (start <= s.size()) {
    size_t end = s.find(' ', start);
    if (end == std::string_view::npos) end = s.size();
    if (end > start) {
      if (n == kMaxTokens) return false;
      t[n++] = s.substr(start, end - start);
    }
    start = end + 1;
  }
  for (size_t i = 1; i < n; ++i) {  // insertion sort: a handful of tokens
    for (size_t j = i; j > 0 && t[j] < t[j - 1]; --j) std::swap(t[j], t[j - 1]);
  }
  len = 0;
  for (size_t i = 0; i < n; ++i) {
    if (len + t[i].size() + 1 > kMaxSorted) return false;
    if (i > 0) buf[len++] = ' ';
    std::memcpy(buf + len, t[i].data(), t[i].size());
    len += t[i].size();
  }
  return true;
}

// Names: equal tokens in another order is close; otherwise the better
// Jaro-Winkler similarity of the names as written and of their sorted
// tokens (a typo in a name also written given-name first).
Level CompareNames(std::string_view a, std::string_view b) {
  double s = JaroWinkler(a, b);
  char sa[kMaxSorted], sb[kMaxSorted];
  size_t la = 0, lb = 0;
  if (s < 0.94 && SortTokens(a, sa, la) && SortTokens(b, sb, lb)) {
    std::string_view x(sa, la), y(sb, lb);
    if (x == y) return Level::kClose;
    s = std::max(s, JaroWinkler(x, y));
  } else if (a.size() == b.size() && SortTokens(a, sa, la) && SortTokens(b, sb, lb) &&
             std::string_view(sa, la) == std::string_view(sb, lb)) {
    return Level::kClose;
  }
  return s >= 0.94 ? Level::kClose : s >= 0.88 ? Level::kSimilar : Level::kDisagree;
}

bool PartialDateConsistent(std::string_view a, std::string_view b) {
  if (a.size() != 8 || b.size() != 8 || a.substr(0, 4) != b.substr(0, 4)) return false;
  auto month_known = [](std::string_view d) { return d.substr(4, 2) != "00"; };
  auto day_known = [](std::string_view d) { return d.substr(6, 2) != "00"; };
  if (!month_known(a) || !month_known(b)) return true;  // same year, one is a year
  if (a.substr(4, 2) != b.substr(4, 2)) return false;
  return !day_known(a) || !day_known(b);
}

}  // namespace

Result<std::vector<FieldSpec>> ParseFieldSpecs(std::string_view text) {
  std::vector<FieldSpec> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view item = Trim(text.substr(start, end - start));
    start = end + 1;
    if (item.empty()) {
      return Fail("linkage.bad_fields", "an empty item in --fields (expected col:type,...)");
    }
    size_t colon = item.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
      return Fail("linkage.bad_fields",
                  "\"" + std::string(item) +
                      "\" is not col:type (types: name, date, text, "
                      "exact, id, postcode)",
                  std::string(item));
    }
    auto type = ParseFieldType(Trim(item.substr(colon + 1)));
    if (!type) return WithField(type.error(), std::string(item));
    out.push_back({std::string(Trim(item.substr(0, colon))), *type});
  }
  if (out.empty()) return Fail("linkage.bad_fields", "--fields names no column");
  return out;
}

void Normalize(FieldType type, std::string_view raw, std::string& out) {
  out.clear();
  switch (type) {
    case FieldType::kName:
    case FieldType::kText:
    case FieldType::kExact:
      FoldNameTo(raw, out);
      return;
    case FieldType::kDate:
      NormalizeDate(raw, out);
      return;
    case FieldType::kId:
    case FieldType::kPostcode:
      NormalizeCode(raw, out);
      return;
  }
}

std::string_view BlockingValue(FieldType type, std::string_view value, std::string& scratch) {
  if (type != FieldType::kName) return value;
  char buf[kMaxSorted];
  size_t len = 0;
  if (!SortTokens(value, buf, len)) return value;
  scratch.assign(buf, len);
  return scratch;
}

std::string_view ToString(Level l) {
  switch (l) {
    case Level::kAgree:
      return "agree";
    case Level::kClose:
      return "close";
    case Level::kSimilar:
      return "similar";
    case Level::kDisagree:
      return "disagree";
    case Level::kMissing:
      return "missing";
  }
  return "missing";
}

Level Compare(FieldType type, std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return Level::kMissing;
  if (a == b) return Level::kAgree;
  switch (type) {
    case FieldType::kName:
      return CompareNames(a, b);
    case FieldType::kText: {
      double s = JaroWinkler(a, b);
      return s >= 0.92 ? Level::kClose : s >= 0.80 ? Level::kSimilar : Level::kDisagree;
    }
    case FieldType::kDate:
      if (DayMonthSwapped(a, b)) return Level::kClose;
      if (WithinOneEdit(a, b) || PartialDateConsistent(a, b)) return Level::kSimilar;
      return Level::kDisagree;
    case FieldType::kId:
    case FieldType::kPostcode:
      return WithinOneEdit(a, b) ? Level::kClose : Level::kDisagree;
    case FieldType::kExact:
      return Level::kDisagree;
  }
  return Level::kDisagree;
}

void FieldModel::ComputeWeights() {
  for (size_t l = 0; l < kLevels; ++l) {
    // A level the type never produces keeps weight 0.
    weight[l] = (m[l] > 0 && u[l] > 0) ? std::log2(m[l] / u[l]) : 0.0;
  }
}

FieldModel DefaultModel(FieldType type) {
  // m: agree / close / similar / disagree for true matches; u: the same for
  // different people. Levels a type never yields have m = u = 0.
  FieldModel f;
  switch (type) {
    case FieldType::kName:
      f.m = {0.88, 0.06, 0.03, 0.03};
      f.u = {0.005, 0.001, 0.01, 0.984};
      break;
    case FieldType::kText:
      f.m = {0.85, 0.07, 0.04, 0.04};
      f.u = {0.01, 0.002, 0.02, 0.968};
      break;
    case FieldType::kDate:
      f.m = {0.90, 0.02, 0.05, 0.03};
      f.u = {0.0001, 0.00001, 0.002, 0.99789};
      break;
    case FieldType::kExact:
      f.m = {0.95, 0, 0, 0.05};
      f.u = {0.1, 0, 0, 0.9};
      break;
    case FieldType::kId:
      f.m = {0.92, 0.05, 0, 0.03};
      f.u = {0.00001, 0.0001, 0, 0.99989};
      break;
    case FieldType::kPostcode:
      f.m = {0.92, 0.05, 0, 0.03};
      f.u = {0.001, 0.01, 0, 0.989};
      break;
  }
  f.ComputeWeights();
  return f;
}

}  // namespace dancu::linkage
