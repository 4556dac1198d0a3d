#include "synth/record_corruptor.h"

#include <cstdio>
#include <vector>

#include "core/admin_units.h"
#include "core/person_name.h"

namespace dancu::synth {
namespace {

// Code points of a UTF-8 string, as byte ranges.
std::vector<std::string> CodePoints(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    size_t n = 1;
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0xF0)
      n = 4;
    else if (c >= 0xE0)
      n = 3;
    else if (c >= 0xC0)
      n = 2;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

std::vector<std::string> Tokens(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(' ', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string Join(const std::vector<std::string>& tokens) {
  std::string out;
  for (const auto& t : tokens) out += (out.empty() ? "" : " ") + t;
  return out;
}

// Folded, then each token capitalised: how a keyboard without Vietnamese
// input writes a name.
std::string DropDiacritics(const std::string& name) {
  std::vector<std::string> tokens = Tokens(FoldName(name));
  for (auto& t : tokens) {
    if (!t.empty() && t[0] >= 'a' && t[0] <= 'z') t[0] = static_cast<char>(t[0] - 'a' + 'A');
  }
  return Join(tokens);
}

constexpr const char* kStreets[] = {"Lê Lợi",       "Trần Hưng Đạo",  "Nguyễn Trãi",
                                    "Hai Bà Trưng", "Lý Thường Kiệt", "Phan Chu Trinh",
                                    "Quang Trung",  "Điện Biên Phủ"};

}  // namespace

std::string CorruptionNames(uint32_t c) {
  static constexpr const char* kNames[] = {"diacritics_dropped", "typo",     "day_month_swapped",
                                           "id_missing",         "wrong_id", "moved",
                                           "given_name_first"};
  std::string out;
  for (size_t i = 0; i < std::size(kNames); ++i) {
    if (c & (1u << i)) out += (out.empty() ? "" : ";") + std::string(kNames[i]);
  }
  return out;
}

RecordCorruptor::RecordCorruptor(CorruptionRates rates, uint64_t seed)
    : rates_(rates), random_(seed) {}

std::string RecordCorruptor::Typo(const std::string& name) {
  std::vector<std::string> tokens = Tokens(name);
  // A token of at least 3 letters (one-letter changes to "An" make another name).
  std::vector<size_t> eligible;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (CodePoints(tokens[i]).size() >= 3) eligible.push_back(i);
  }
  if (eligible.empty()) return name;
  std::string& token = tokens[eligible[random_.Uniform(eligible.size())]];
  std::vector<std::string> cps = CodePoints(token);
  size_t at = 1 + random_.Uniform(cps.size() - 1);  // keep the first letter
  std::string letter(1, static_cast<char>('a' + random_.Uniform(26)));
  switch (random_.Uniform(4)) {
    case 0:
      cps[at] = letter;
      break;  // substitute
    case 1:
      cps.erase(cps.begin() + static_cast<long>(at));
      break;  // delete
    case 2:
      cps.insert(cps.begin() + static_cast<long>(at), cps[at]);
      break;  // double
    default:
      if (at + 1 < cps.size())
        std::swap(cps[at], cps[at + 1]);
      else
        std::swap(cps[at - 1], cps[at]);
  }
  token.clear();
  for (const auto& cp : cps) token += cp;
  return Join(tokens);
}

CorruptedRecord RecordCorruptor::Corrupt(const registry::Citizen& c) {
  CorruptedRecord r;
  r.true_id = c.id.ToString();
  r.id = r.true_id;
  r.full_name = c.full_name.text();
  r.sex = c.sex == Sex::kFemale ? "female" : "male";
  r.commune_code = c.permanent_residence.commune_code;
  r.address = c.permanent_residence.street;
  PartialDate dob = c.date_of_birth;

  // Every draw happens whether or not it applies, so one rate does not shift
  // the others' random streams.
  bool drop = Draw(rates_.diacritics_dropped), typo = Draw(rates_.typo);
  bool swap = Draw(rates_.day_month_swapped), missing = Draw(rates_.id_missing);
  bool wrong = Draw(rates_.wrong_id), moved = Draw(rates_.moved);
  bool given_first = Draw(rates_.given_name_first);
  uint64_t serial = random_.Uniform(999999), street_no = 1 + random_.Uniform(200);
  uint64_t commune = random_.Uniform(AdminUnits::Get().communes().size());
  uint64_t street = random_.Uniform(std::size(kStreets));

  if (given_first) {
    std::vector<std::string> tokens = Tokens(r.full_name);
    if (tokens.size() >= 2) {
      tokens.insert(tokens.begin(), tokens.back());
      tokens.pop_back();
      r.full_name = Join(tokens);
      r.corruptions |= kGivenNameFirst;
    }
  }
  if (drop) {
    std::string plain = DropDiacritics(r.full_name);
    if (plain != r.full_name) {
      r.full_name = plain;
      r.corruptions |= kDiacriticsDropped;
    }
  }
  if (typo) {
    std::string changed = Typo(r.full_name);
    if (changed != r.full_name) {
      r.full_name = changed;
      r.corruptions |= kTypo;
    }
  }
  // Only towards an earlier date: a later one could lie after today (a child
  // born this year), which no agency file can hold.
  if (swap && dob.IsFull() && dob.day() < dob.month()) {
    if (auto s = PartialDate::Make(dob.year(), dob.day(), dob.month())) {
      dob = *s;
      r.corruptions |= kDayMonthSwapped;
    }
  }
  r.date_of_birth = dob.ToString();
  if (missing) {
    r.id.clear();
    r.corruptions |= kIdMissing;
  } else if (wrong) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%06u", static_cast<unsigned>(serial));
    std::string id = r.id.substr(0, 6) + buf;
    if (id == r.id) id[11] = id[11] == '0' ? '1' : '0';
    r.id = id;
    r.corruptions |= kWrongId;
  }
  if (moved) {
    const Commune& to = AdminUnits::Get().communes()[commune];
    if (to.code != r.commune_code) {
      r.commune_code = to.code;
      r.address = "Số " + std::to_string(street_no) + " đường " + kStreets[street];
      r.corruptions |= kMoved;
    }
  }
  return r;
}

}  // namespace dancu::synth
