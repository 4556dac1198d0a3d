#include "synth/population_generator.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "core/random.h"
#include "registry/bulk_loader.h"
#include "synth/tables.h"

namespace dancu::synth {
namespace {

using internal::AliasTable;
using internal::CommuneKind;
using internal::ProvinceInfo;
using internal::Tables;
using registry::Citizen;
using registry::Relationship;

constexpr int kMaxHousehold = 7;
constexpr double kDaysPerYear = 365.2425;
constexpr int kFirstIdYear = 1900;
constexpr int kIdYears = 200;  // counters for birth years 1900..2099
constexpr uint32_t kSerials = 1'000'000;
constexpr uint64_t kOldIds = 1'000'000'000;
// Multipliers coprime to 10^6 and 10^9: k -> (k * m + offset) mod N is a
// bijection of [0, N), so distinct counters give distinct numbers.
constexpr uint64_t kSerialMultiplier = 736'387;
constexpr uint64_t kOldIdMultiplier = 387'420'489;  // 3^18
constexpr double kDeathShare = 0.25;                // of the head's parents aged 70+
constexpr int kNameCacheBits = 18;

uint64_t SplitMix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

int SexIndex(Sex s) { return s == Sex::kMale ? 0 : 1; }
Sex Opposite(Sex s) { return s == Sex::kMale ? Sex::kFemale : Sex::kMale; }

std::chrono::year_month_day Ymd(int32_t days) {
  return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{days}}};
}

AliasTable Weights(std::initializer_list<double> w) {
  return AliasTable(std::span<const double>(w.begin(), w.size()));
}

// One person while a household is being put together. Links are indices
// into the household.
struct Member {
  int32_t birth = 0;  // days since 1970-01-01
  int32_t death = 0;  // 0 = alive
  Sex sex = Sex::kMale;
  Relationship rel = Relationship::kHead;
  int8_t father = -1, mother = -1, spouse = -1;
  uint8_t precision = 0;  // 0 full date, 1 month and year, 2 year only
  bool old_id = false;
  uint8_t ethnicity = 1;
  uint8_t religion = 0;
  uint32_t surname = 0, middle = 0, given = 0;
  uint32_t birth_commune = 0, hometown = 0;
  CitizenId id;
};

struct Household {
  std::array<Member, kMaxHousehold> m;
  int n = 0;
};

class Engine {
 public:
  Engine(const Tables& t, const GeneratorOptions& o)
      : t_(t),
        options_(o),
        today_(static_cast<int32_t>(std::chrono::sys_days{o.today}.time_since_epoch().count())),
        rng_(o.seed),
        serial_counters_(t.provinces.size() * 2 * kIdYears, 0) {
    serial_salt_ = SplitMix64(o.seed ^ 0x5EB1A1C0FFEEull);
    old_id_offset_ = SplitMix64(o.seed ^ 0xC0DEull) % kOldIds;
    household_type_ = Weights({0.11, 0.55, 0.07, 0.12, 0.15});
    // Head ages in 5-year bins.
    nuclear_head_ = Weights({5, 12, 14, 14, 13, 12, 11, 10, 8, 5, 3, 1.5});  // from 22
    up_head_ = Weights({7, 10, 11, 10, 8, 5, 3});                            // from 25
    down_head_ = Weights({6, 10, 12, 11, 8, 5, 3, 1});                       // from 50
    // Completed births per woman (0..7) by mother's birth cohort.
    fertility_[0] = Weights({3, 5, 10, 15, 18, 17, 14, 18});
    fertility_[1] = Weights({4, 8, 18, 25, 20, 12, 8, 5});
    fertility_[2] = Weights({6, 14, 42, 25, 9, 3, 1, 0});
    fertility_[3] = Weights({6, 15, 48, 23, 6, 2, 0, 0});
    for (Citizen& c : slots_) c.nationality = "VN";
  }

  Status Run(const std::function<Status(const Citizen&)>& sink) {
    int64_t remaining = options_.count;
    while (remaining > 0) {
      const int max_size = static_cast<int>(std::min<int64_t>(kMaxHousehold, remaining));
      Household& h = house_;
      bool fits = false;
      for (int attempt = 0; attempt < 32 && !fits; ++attempt) {
        BuildHousehold(h);
        fits = h.n <= max_size;
      }
      if (!fits) {
        h.n = 0;
        BuildSingle(h);
      }
      const uint32_t commune = t_.commune.Sample(Next());
      AssignAttributes(h, commune);
      if (auto s = AssignIds(h); !s) return s;
      ++household_id_;
      MakeStreet(commune);
      for (int i = 0; i < h.n; ++i) {
        if (auto s = Fill(h, i, commune, slots_[i]); !s) return s;
        if (auto s = sink(slots_[i]); !s) return s;
      }
      remaining -= h.n;
    }
    return {};
  }

 private:
  // ---- randomness -------------------------------------------------------
  uint64_t Next() { return rng_.Next(); }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  uint32_t Below(uint32_t n) { return static_cast<uint32_t>(((Next() >> 32) * n) >> 32); }
  bool Chance(double p) { return Unit() < p; }
  // Approximately standard normal (Irwin-Hall with 4 terms).
  double Normalish() { return (Unit() + Unit() + Unit() + Unit() - 2.0) * 1.7320508075688772; }

  // ---- time ---------------------------------------------------------------
  static int32_t Days(double years) { return static_cast<int32_t>(years * kDaysPerYear); }
  double AgeOf(int32_t birth) const { return (today_ - birth) / kDaysPerYear; }
  // A birth day for someone aged in [lo, hi) years today.
  int32_t BirthAged(double lo, double hi) {
    return today_ - Days(lo) - static_cast<int32_t>(Unit() * (Days(hi) - Days(lo)));
  }
  int32_t BirthFromBins(const AliasTable& bins, double first) {
    const double lo = first + 5.0 * bins.Sample(Next());
    return BirthAged(lo, lo + 5.0);
  }

  // The birth day of a spouse for someone born `birth` of sex `sex`: the
  // husband is usually a few years older; the spouse is of marriage age
  // today (women 18, men 20, with a margin) and at most 99.
  int32_t SpouseBirth(int32_t birth, Sex sex) {
    const double gap = std::clamp(2.5 + 2.8 * Normalish(), -4.0, 10.0);
    int32_t s = sex == Sex::kMale ? birth + Days(gap) : birth - Days(gap);
    const double min_age = sex == Sex::kMale ? 18.5 : 20.5;
    s = std::min(s, today_ - Days(min_age) - static_cast<int32_t>(Below(365)));
    return std::max(s, today_ - Days(99.0));
  }

  // Birth days of a woman's children, oldest first: she is 18.3-44.5 at each
  // birth and the father (if known) at least 20.
  int Births(int32_t mother_birth, int32_t father_birth, std::array<int32_t, 8>& out) {
    const int year = static_cast<int>(Ymd(mother_birth).year());
    const int cohort = year < 1950 ? 0 : year < 1965 ? 1 : year < 1980 ? 2 : 3;
    const uint32_t target = fertility_[cohort].Sample(Next());
    double age = 18.3 + 3.5 * Unit() + 5.5 * Unit();
    age = std::max(age, 20.2 + (father_birth - mother_birth) / kDaysPerYear);
    int n = 0;
    for (uint32_t i = 0; i < target && n < static_cast<int>(out.size()); ++i) {
      if (age > 44.5) break;
      const int32_t b = mother_birth + Days(age) + 1;
      if (b > today_) break;
      out[n++] = b;
      age += 1.3 + 3.2 * Unit();
    }
    return n;
  }

  // Whether a child of this age still lives with the parents.
  bool Stays(int32_t birth) {
    const double age = AgeOf(birth);
    const double p = age < 18   ? 1.0
                     : age < 22 ? 0.85
                     : age < 26 ? 0.55
                     : age < 30 ? 0.3
                     : age < 35 ? 0.12
                                : 0.04;
    return p >= 1.0 || Chance(p);
  }

  Sex BirthSex() { return Chance(0.527) ? Sex::kMale : Sex::kFemale; }  // SRB ~111

  // ---- household shapes -------------------------------------------------
  int Add(Household& h, int32_t birth, Sex sex, Relationship rel, int father = -1,
          int mother = -1) {
    if (h.n >= kMaxHousehold) return -1;
    Member& m = h.m[h.n];
    m = Member{};
    m.birth = birth;
    m.sex = sex;
    m.rel = rel;
    m.father = static_cast<int8_t>(father);
    m.mother = static_cast<int8_t>(mother);
    return h.n++;
  }
  static void Marry(Household& h, int a, int b) {
    if (a < 0 || b < 0) return;
    h.m[a].spouse = static_cast<int8_t>(b);
    h.m[b].spouse = static_cast<int8_t>(a);
  }
  // Adds the children that still live at home; skips birth index `skip`.
  void AddChildren(Household& h, const std::array<int32_t, 8>& births, int count, Relationship rel,
                   int father, int mother, int skip = -1) {
    for (int i = 0; i < count; ++i) {
      if (i == skip || !Stays(births[i])) continue;
      Add(h, births[i], BirthSex(), rel, father, mother);
    }
  }

  void BuildHousehold(Household& h) {
    h.n = 0;
    switch (household_type_.Sample(Next())) {
      case 0:
        BuildSingle(h);
        break;
      case 1:
        BuildCouple(h);
        break;
      case 2:
        BuildSingleParent(h);
        break;
      case 3:
        BuildWithParents(h);
        break;
      default:
        BuildWithGrandchildren(h);
        break;
    }
  }

  void BuildSingle(Household& h) {
    const double r = Unit();
    if (r < 0.4) {
      Add(h, BirthAged(19, 33), Chance(0.58) ? Sex::kMale : Sex::kFemale, Relationship::kHead);
    } else if (r < 0.6) {
      Add(h, BirthAged(33, 60), Chance(0.5) ? Sex::kMale : Sex::kFemale, Relationship::kHead);
    } else {
      // Widowed elderly, more often women: half with a density falling
      // linearly from 60 to 98, half uniform in 65-95.
      const double age = Chance(0.5) ? 60 + 38 * (1 - std::sqrt(1 - Unit())) : 65 + 30 * Unit();
      Add(h, BirthAged(age, age + 0.999), Chance(0.3) ? Sex::kMale : Sex::kFemale,
          Relationship::kHead);
    }
  }

  // Head and spouse, and their children at home.
  void BuildCouple(Household& h) {
    const Sex hs = Chance(0.8) ? Sex::kMale : Sex::kFemale;
    const int head = Add(h, BirthFromBins(nuclear_head_, 22), hs, Relationship::kHead);
    const int spouse =
        Add(h, SpouseBirth(h.m[head].birth, hs), Opposite(hs), Relationship::kSpouse);
    Marry(h, head, spouse);
    const int father = hs == Sex::kMale ? head : spouse;
    const int mother = hs == Sex::kMale ? spouse : head;
    std::array<int32_t, 8> births;
    const int n = Births(h.m[mother].birth, h.m[father].birth, births);
    AddChildren(h, births, n, Relationship::kChild, father, mother);
  }

  void BuildSingleParent(Household& h) {
    const Sex hs = Chance(0.8) ? Sex::kFemale : Sex::kMale;
    const int head = Add(h, BirthAged(24, 60), hs, Relationship::kHead);
    const int32_t other = SpouseBirth(h.m[head].birth, hs);  // the absent parent
    std::array<int32_t, 8> births;
    if (hs == Sex::kFemale) {
      const int n = Births(h.m[head].birth, other, births);
      AddChildren(h, births, n, Relationship::kChild, -1, head);
    } else {
      const int n = Births(other, h.m[head].birth, births);
      AddChildren(h, births, n, Relationship::kChild, head, -1);
    }
  }

  // A couple (or a lone head) living with the head's parent(s).
  void BuildWithParents(Household& h) {
    const Sex hs = Chance(0.85) ? Sex::kMale : Sex::kFemale;
    const int head = Add(h, BirthFromBins(up_head_, 25), hs, Relationship::kHead);
    const int32_t hb = h.m[head].birth;
    int spouse = -1;
    if (Chance(0.85)) {
      spouse = Add(h, SpouseBirth(hb, hs), Opposite(hs), Relationship::kSpouse);
      Marry(h, head, spouse);
    }
    // The head's mother was 19-38 at the head's birth; the father at least 20.
    const int32_t mother_birth = hb - Days(19 + 19 * Unit());
    int32_t father_birth = SpouseBirth(mother_birth, Sex::kFemale);
    father_birth = std::min(father_birth, hb - Days(20.3));
    father_birth = std::max(father_birth, today_ - Days(99.5));
    const double r = Unit();
    const bool with_father = r < 0.62;
    const bool with_mother = r >= 0.12;
    int father = -1, mother = -1;
    if (with_father) father = Add(h, father_birth, Sex::kMale, Relationship::kParent);
    if (with_mother) mother = Add(h, mother_birth, Sex::kFemale, Relationship::kParent);
    if (father >= 0 && mother >= 0) Marry(h, father, mother);
    h.m[head].father = static_cast<int8_t>(father);
    h.m[head].mother = static_cast<int8_t>(mother);
    for (int p : {father, mother}) {
      if (p >= 0 && AgeOf(h.m[p].birth) >= 70 && Chance(kDeathShare)) {
        h.m[p].death = today_ - static_cast<int32_t>(Below(static_cast<uint32_t>(Days(5))));
      }
    }
    if (spouse >= 0) {
      const int f = hs == Sex::kMale ? head : spouse;
      const int m = hs == Sex::kMale ? spouse : head;
      std::array<int32_t, 8> births;
      const int n = Births(h.m[m].birth, h.m[f].birth, births);
      AddChildren(h, births, n, Relationship::kChild, f, m);
    }
  }

  // An older head (often widowed) with a married child, the child's spouse,
  // grandchildren and unmarried children.
  void BuildWithGrandchildren(Household& h) {
    const Sex hs = Chance(0.72) ? Sex::kMale : Sex::kFemale;
    const int head = Add(h, BirthFromBins(down_head_, 50), hs, Relationship::kHead);
    const int32_t hb = h.m[head].birth;
    int spouse = -1;
    if (hs == Sex::kMale ? Chance(0.8) : Chance(0.1)) {
      spouse = Add(h, SpouseBirth(hb, hs), Opposite(hs), Relationship::kSpouse);
      Marry(h, head, spouse);
    }
    const int32_t other_birth = spouse >= 0 ? h.m[spouse].birth : SpouseBirth(hb, hs);
    const int father = hs == Sex::kMale ? head : spouse;
    const int mother = hs == Sex::kMale ? spouse : head;
    const int32_t father_birth = hs == Sex::kMale ? hb : other_birth;
    const int32_t mother_birth = hs == Sex::kMale ? other_birth : hb;
    std::array<int32_t, 8> births;
    const int n = Births(mother_birth, father_birth, births);
    // The married child: a son usually, at least 22.
    int chosen = -1;
    const Sex want = Chance(0.85) ? Sex::kMale : Sex::kFemale;
    int eligible = 0;
    for (int i = 0; i < n; ++i) eligible += AgeOf(births[i]) >= 22.5 ? 1 : 0;
    if (eligible > 0) {
      int pick = static_cast<int>(Below(static_cast<uint32_t>(eligible)));
      for (int i = 0; i < n; ++i) {
        if (AgeOf(births[i]) >= 22.5 && pick-- == 0) chosen = i;
      }
    }
    if (chosen < 0) {
      AddChildren(h, births, n, Relationship::kChild, father, mother);
      return;
    }
    const int child = Add(h, births[chosen], want, Relationship::kChild, father, mother);
    const int in_law =
        Add(h, SpouseBirth(births[chosen], want), Opposite(want), Relationship::kChildInLaw);
    if (child < 0 || in_law < 0) return;  // never: at most 4 members so far
    Marry(h, child, in_law);
    const int gf = want == Sex::kMale ? child : in_law;
    const int gm = want == Sex::kMale ? in_law : child;
    std::array<int32_t, 8> grand;
    const int g = Births(h.m[gm].birth, h.m[gf].birth, grand);
    AddChildren(h, grand, g, Relationship::kGrandchild, gf, gm);
    AddChildren(h, births, n, Relationship::kChild, father, mother, chosen);
  }

  // ---- attributes -------------------------------------------------------
  uint32_t CommuneIn(uint8_t province) {
    const ProvinceInfo& p = t_.provinces[province];
    return p.communes[p.commune.Sample(Next())];
  }
  // ~85% in the residence province, otherwise anywhere.
  uint32_t NearbyCommune(uint8_t province) {
    return Chance(0.85) ? CommuneIn(province) : t_.commune.Sample(Next());
  }

  void AssignAttributes(Household& h, uint32_t commune) {
    const uint8_t province = t_.commune_province[commune];
    const ProvinceInfo& p = t_.provinces[province];
    const auto base_ethnicity = static_cast<uint8_t>(p.ethnicity.Sample(Next()) + 1);
    const auto base_religion = static_cast<uint8_t>(p.religion.Sample(Next()));
    std::array<bool, kMaxHousehold> done{};
    for (int pass = 0, left = h.n; left > 0 && pass <= kMaxHousehold; ++pass) {
      for (int i = 0; i < h.n; ++i) {
        Member& m = h.m[i];
        if (done[i] || (m.father >= 0 && !done[m.father]) || (m.mother >= 0 && !done[m.mother])) {
          continue;
        }
        done[i] = true;
        --left;
        const Member* parent = m.father >= 0   ? &h.m[m.father]
                               : m.mother >= 0 ? &h.m[m.mother]
                                               : nullptr;
        if (parent) {
          m.surname = parent->surname;
          m.ethnicity = parent->ethnicity;
          m.religion = Chance(0.97) ? parent->religion : base_religion;
          m.hometown = parent->hometown;
        } else {
          m.surname = t_.surname.Sample(Next());
          m.ethnicity =
              Chance(0.93) ? base_ethnicity : static_cast<uint8_t>(p.ethnicity.Sample(Next()) + 1);
          m.religion =
              Chance(0.93) ? base_religion : static_cast<uint8_t>(p.religion.Sample(Next()));
          m.hometown = NearbyCommune(province);
        }
        const bool young = (m.rel == Relationship::kChild || m.rel == Relationship::kGrandchild) &&
                           AgeOf(m.birth) < 25;
        if (young) {
          const double r = Unit();
          m.birth_commune = r < 0.5    ? commune
                            : r < 0.85 ? CommuneIn(province)
                                       : t_.commune.Sample(Next());
        } else {
          m.birth_commune = NearbyCommune(province);
        }
        const int sx = SexIndex(m.sex);
        m.middle = t_.middle[sx].Sample(Next());
        m.given = t_.given[sx].Sample(Next());
        // Siblings of one sex get different given names.
        for (int tries = 0; tries < 4 && HasSiblingNamed(h, i); ++tries) {
          m.given = t_.given[sx].Sample(Next());
        }
        const int year = static_cast<int>(Ymd(m.birth).year());
        m.precision = 0;
        if (year < 1950) {
          const double r = Unit();
          m.precision = r < 0.25 ? 2 : r < 0.35 ? 1 : 0;
        }
        m.old_id = year < 2005 && Chance(0.9);
      }
    }
  }

  static bool HasSiblingNamed(const Household& h, int i) {
    const Member& m = h.m[i];
    if (m.father < 0 && m.mother < 0) return false;
    // Siblings are named in member order, so only earlier ones have names.
    for (int j = 0; j < i; ++j) {
      const Member& o = h.m[j];
      if (o.father == m.father && o.mother == m.mother && o.sex == m.sex && o.given == m.given) {
        return true;
      }
    }
    return false;
  }

  Status AssignIds(Household& h) {
    for (int i = 0; i < h.n; ++i) {
      Member& m = h.m[i];
      const uint8_t province = t_.commune_province[m.birth_commune];
      const int year = static_cast<int>(Ymd(m.birth).year());
      const int sx = SexIndex(m.sex);
      if (year < kFirstIdYear || year >= kFirstIdYear + kIdYears) {
        return Fail("synth.bad_options",
                    "birth year " + std::to_string(year) + " is outside the generator's range");
      }
      const size_t key =
          (static_cast<size_t>(province) * 2 + sx) * kIdYears + (year - kFirstIdYear);
      const uint32_t k = serial_counters_[key]++;
      if (k >= kSerials) {
        return Fail("synth.id_space_exhausted",
                    "more than 10^6 citizens share the ID prefix of province " +
                        t_.provinces[province].code + ", birth year " + std::to_string(year));
      }
      const uint64_t offset = SplitMix64(serial_salt_ + key) % kSerials;
      const auto serial = static_cast<uint32_t>((k * kSerialMultiplier + offset) % kSerials);
      auto id = CitizenId::Make(t_.provinces[province].id_code, m.sex, year, serial);
      if (!id) return std::unexpected(id.error());
      m.id = *id;
    }
    return {};
  }

  // ---- text ---------------------------------------------------------------
  void AppendInt(std::string& s, uint32_t v) {
    char buf[16];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    s.append(buf, end);
  }
  // 1..hi, small numbers more likely.
  uint32_t HouseNumber(uint32_t hi) {
    const double u = Unit();
    return 1 + static_cast<uint32_t>(u * u * hi);
  }

  void MakeStreet(uint32_t commune) {
    std::string& s = street_;
    s.clear();
    const ProvinceInfo& p = t_.provinces[t_.commune_province[commune]];
    const double r = Unit();
    switch (t_.commune_kind[commune]) {
      case CommuneKind::kWard:
        if (r < 0.3) {
          s += "Số ";
          AppendInt(s, HouseNumber(400));
          s += ", đường ";
          s += t_.street_names[Below(static_cast<uint32_t>(t_.street_names.size()))];
        } else if (p.south) {
          s += "Số ";
          AppendInt(s, HouseNumber(300));
          if (r < 0.55) {
            s += '/';
            AppendInt(s, HouseNumber(60));
          }
          s += ", hẻm ";
          AppendInt(s, HouseNumber(500));
          s += ", khu phố ";
          AppendInt(s, 1 + Below(30));
        } else {
          s += "Số ";
          AppendInt(s, HouseNumber(150));
          if (r < 0.45) {
            s += ", ngách ";
            AppendInt(s, HouseNumber(80));
          }
          if (r < 0.8) {
            s += ", ngõ ";
            AppendInt(s, HouseNumber(500));
          }
          s += ", tổ dân phố ";
          AppendInt(s, 1 + Below(40));
        }
        break;
      case CommuneKind::kSpecialZone:
        s += r < 0.5 ? "Tổ dân phố " : "Thôn ";
        AppendInt(s, 1 + Below(12));
        break;
      case CommuneKind::kCommune:
        if (r < 0.35) {
          s += "Số ";
          AppendInt(s, HouseNumber(200));
          s += ", ";
          s += p.south ? "ấp " : p.uplands ? "bản " : "thôn ";
        } else {
          s += p.south     ? "Ấp "
               : p.uplands ? (r < 0.7 ? "Bản " : "Thôn ")
                           : (r < 0.7 ? "Thôn " : "Xóm ");
        }
        AppendInt(s, 1 + Below(p.uplands ? 25 : 15));
        break;
    }
  }

  // PersonName::Parse per person (NFC, validation, folding): about a third
  // of the time per citizen. A cache of parsed names was tried and was
  // slower: full names are too varied (hit rate < 45% even with 2^18
  // entries) and the cache misses memory.
  Status SetName(const Member& m, PersonName& out) {
    const int sx = SexIndex(m.sex);
    name_buf_ = t_.surnames[m.surname];
    name_buf_ += ' ';
    const std::string& middle = t_.middles[sx][m.middle];
    if (!middle.empty()) {
      name_buf_ += middle;
      name_buf_ += ' ';
    }
    name_buf_ += t_.givens[sx][m.given];
    auto parsed = PersonName::Parse(name_buf_);
    if (!parsed) return std::unexpected(parsed.error());
    out = std::move(*parsed);
    return {};
  }

  Result<PartialDate> DateOf(int32_t days, int precision) {
    const auto d = Ymd(days);
    const int y = static_cast<int>(d.year());
    const int mo = precision >= 2 ? 0 : static_cast<int>(static_cast<unsigned>(d.month()));
    const int dd = precision >= 1 ? 0 : static_cast<int>(static_cast<unsigned>(d.day()));
    return PartialDate::Make(y, mo, dd);
  }

  Status Fill(const Household& h, int i, uint32_t commune, Citizen& c) {
    const Member& m = h.m[i];
    c.id = m.id;
    if (auto s = SetName(m, c.full_name); !s) return s;
    c.sex = m.sex;
    auto dob = DateOf(m.birth, m.precision);
    if (!dob) return std::unexpected(dob.error());
    c.date_of_birth = *dob;
    c.birth_commune_code = t_.commune_codes[m.birth_commune];
    c.hometown_commune_code = t_.commune_codes[m.hometown];
    c.ethnicity = m.ethnicity;
    c.religion = internal::kReligions[m.religion];
    c.permanent_residence.commune_code = t_.commune_codes[commune];
    c.permanent_residence.street = street_;
    c.temporary_residence.reset();
    c.current_residence.reset();
    c.father_id.reset();
    c.mother_id.reset();
    c.spouse_id.reset();
    if (m.father >= 0) c.father_id = h.m[m.father].id;
    if (m.mother >= 0) c.mother_id = h.m[m.mother].id;
    if (m.spouse >= 0) c.spouse_id = h.m[m.spouse].id;
    c.old_id.clear();
    if (m.old_id) {
      if (old_id_counter_ >= kOldIds) {
        return Fail("synth.id_space_exhausted", "more than 10^9 old CMND numbers");
      }
      uint64_t v = (old_id_counter_++ * kOldIdMultiplier + old_id_offset_) % kOldIds;
      c.old_id.assign(9, '0');
      for (int k = 8; k >= 0; --k, v /= 10) c.old_id[k] = static_cast<char>('0' + v % 10);
    }
    if (m.death != 0) {
      c.status = registry::LifeStatus::kDeceased;
      auto dod = DateOf(m.death, 0);
      if (!dod) return std::unexpected(dod.error());
      c.date_of_death = *dod;
    } else {
      c.status = registry::LifeStatus::kAlive;
      c.date_of_death.reset();
    }
    c.household_id = household_id_;
    c.relationship_to_head = m.rel;
    return {};
  }

  const Tables& t_;
  GeneratorOptions options_;
  int32_t today_;
  SeededRandom rng_;
  std::vector<uint32_t> serial_counters_;
  uint64_t serial_salt_ = 0;
  uint64_t old_id_counter_ = 0;
  uint64_t old_id_offset_ = 0;
  int64_t household_id_ = 0;
  AliasTable household_type_, nuclear_head_, up_head_, down_head_;
  std::array<AliasTable, 4> fertility_;
  Household house_;
  std::array<Citizen, kMaxHousehold> slots_;
  std::string name_buf_;
  std::string street_;
};

}  // namespace

PopulationGenerator::PopulationGenerator(const GeneratorOptions& options) : options_(options) {}
PopulationGenerator::~PopulationGenerator() = default;

Status PopulationGenerator::Generate(const std::function<Status(const Citizen&)>& sink) {
  if (options_.count < 0) return Fail("synth.bad_options", "count must be >= 0", "count");
  if (!options_.today.ok() || options_.today.year() < std::chrono::year{1990} ||
      options_.today.year() > std::chrono::year{2099}) {
    return Fail("synth.bad_options", "today must be a valid date in 1990-2099", "today");
  }
  Engine engine(internal::GetTables(), options_);
  return engine.Run(sink);
}

Status GenerateInto(registry::BulkLoader& loader, const GeneratorOptions& options,
                    const std::function<void(int64_t)>& progress) {
  auto produce = [&options](registry::BulkFeed& feed) -> Status {
    try {
      PopulationGenerator generator(options);
      return generator.Generate([&](const Citizen& c) -> Status {
        if (!feed.Push(c)) return Fail("synth.stopped", "the loader stopped");
        return {};
      });
    } catch (const std::exception& e) {
      return Fail("synth.internal", std::string("generator failed: ") + e.what());
    }
  };
  loader.ExpectRows(options.count);
  return loader.AddFrom(produce, registry::BulkFeedOptions{progress, {}});
}

}  // namespace dancu::synth
