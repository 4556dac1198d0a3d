// The synthetic population: exact counts, determinism, valid and unique ids,
// coherent households and links, realistic shares.
#include "synth/population_generator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/admin_units.h"
#include "core/clock.h"
#include "core/random.h"
#include "registry/bulk_loader.h"
#include "registry/registry.h"
#include "storage/database.h"
#include "support/temp_dir.h"

namespace dancu::synth {
namespace {

using namespace std::chrono;
using registry::Citizen;
using registry::LifeStatus;
using registry::Relationship;

constexpr year_month_day kToday{year{2026}, month{11}, day{23}};

GeneratorOptions Options(int64_t count, uint64_t seed = 42) {
  return GeneratorOptions{.count = count, .seed = seed, .today = kToday};
}

// Whole years of age on `on` for a full date of birth.
int AgeOn(year_month_day dob, year_month_day on) {
  int age = static_cast<int>(on.year()) - static_cast<int>(dob.year());
  if (on.month() < dob.month() || (on.month() == dob.month() && on.day() < dob.day())) --age;
  return age;
}

// The youngest age someone with this (maybe partial) date of birth can be.
int MinAge(const PartialDate& dob) { return AgeOn(dob.Latest(), kToday); }

// True if `child` was certainly born at least `years` after `parent` (for
// partial dates: by birth year, which is what a full-date gap implies).
bool BornYearsAfter(const PartialDate& child, const PartialDate& parent, int years) {
  if (child.IsFull() && parent.IsFull()) {
    return AgeOn(parent.Earliest(), child.Earliest()) >= years;
  }
  return child.year() - parent.year() >= years;
}

std::string Fingerprint(const Citizen& c) {
  std::string s = c.id.ToString() + "|" + c.full_name.text() + "|" + c.date_of_birth.ToString() +
                  "|" + c.permanent_residence.commune_code + "|" + c.permanent_residence.street +
                  "|" + c.birth_commune_code + "|" + c.hometown_commune_code + "|" +
                  std::to_string(c.ethnicity) + "|" + c.religion + "|" + c.old_id + "|" +
                  std::to_string(*c.household_id);
  for (const auto& link : {c.father_id, c.mother_id, c.spouse_id}) {
    s += "|" + (link ? link->ToString() : std::string());
  }
  return s;
}

// Checks every citizen as it streams by and every household when it is
// complete; collects shares for the realism bands.
class Checker {
 public:
  Status operator()(const Citizen& c) {
    if (!current_.empty() && c.household_id != current_.front().household_id) FinishHousehold();
    CheckCitizen(c);
    current_.push_back(c);
    return {};
  }
  void Finish() {
    if (!current_.empty()) FinishHousehold();
    std::sort(ids_.begin(), ids_.end());
    if (std::adjacent_find(ids_.begin(), ids_.end()) != ids_.end()) Problem("duplicate CitizenId");
    std::sort(old_ids_.begin(), old_ids_.end());
    if (std::adjacent_find(old_ids_.begin(), old_ids_.end()) != old_ids_.end()) {
      Problem("duplicate old CMND");
    }
  }

  std::vector<std::string> problems;
  int64_t citizens = 0, households = 0;
  int64_t age_0_14 = 0, age_65 = 0, age_90 = 0, age_20_44 = 0;
  int64_t pre1950 = 0, year_only = 0, month_only = 0;
  int64_t males = 0, females = 0, male_thi = 0, female_thi = 0, male_van = 0, female_van = 0;
  int64_t no_middle = 0, kinh = 0, religion_none = 0, nguyen = 0;
  int64_t birth_same_province = 0, deceased = 0, adults_pre2005 = 0, with_old_id = 0;
  int64_t with_parent = 0, with_grandchild = 0, with_spouse = 0;
  std::map<int, int64_t> household_sizes;

 private:
  void Problem(const std::string& what) {
    if (problems.size() < 20) problems.push_back(what);
  }

  void CheckCitizen(const Citizen& c) {
    ++citizens;
    const std::string who = c.id.ToString() + " " + c.full_name.text();
    ids_.push_back(c.id.number());
    auto parsed = CitizenId::Parse(c.id.ToString());
    if (!parsed || *parsed != c.id) Problem(who + ": id does not parse");
    if (!c.id.CheckConsistent(c.sex, c.date_of_birth.year())) Problem(who + ": id inconsistent");
    const auto& units = AdminUnits::Get();
    const Commune* home = units.FindCommune(c.permanent_residence.commune_code);
    const Commune* birth = units.FindCommune(c.birth_commune_code);
    const Commune* hometown = units.FindCommune(c.hometown_commune_code);
    if (!home || !birth || !hometown) {
      Problem(who + ": unknown commune");
      return;
    }
    if (IdProvinceTo2025(c.id.province_code()) != birth->province_code) {
      Problem(who + ": PPP is not the birth province");
    }
    if (birth->province_code == home->province_code) ++birth_same_province;
    if (c.permanent_residence.street.empty()) Problem(who + ": no street line");
    if (c.date_of_birth.Earliest() > kToday) Problem(who + ": born in the future");
    const int byear = c.date_of_birth.year();
    if (byear < 1950) {
      ++pre1950;
      if (c.date_of_birth.precision() == PartialDate::Precision::kYear) ++year_only;
      if (c.date_of_birth.precision() == PartialDate::Precision::kMonth) ++month_only;
    } else if (!c.date_of_birth.IsFull()) {
      Problem(who + ": partial date of birth after 1950");
    }
    const int age = MinAge(c.date_of_birth);
    if (age <= 14) ++age_0_14;
    if (age >= 20 && age < 45) ++age_20_44;
    if (age >= 65) ++age_65;
    if (age >= 90) ++age_90;
    if (age > 105) Problem(who + ": older than 105");
    // Names.
    if (c.full_name.family().empty() || c.full_name.given().empty()) Problem(who + ": bad name");
    std::string rebuilt = std::string(c.full_name.family()) + " ";
    if (!c.full_name.middle().empty()) rebuilt += std::string(c.full_name.middle()) + " ";
    rebuilt += c.full_name.given();
    if (rebuilt != c.full_name.text()) Problem(who + ": name does not split");
    if (c.full_name.family() == "Nguyễn") ++nguyen;
    if (c.full_name.middle().empty()) ++no_middle;
    bool thi = false, van = false;
    for (size_t i = 1; i + 1 < c.full_name.tokens().size(); ++i) {
      thi |= c.full_name.tokens()[i] == "Thị";
      van |= c.full_name.tokens()[i] == "Văn";
    }
    if (c.sex == Sex::kMale) {
      ++males;
      male_thi += thi;
      male_van += van;
    } else {
      ++females;
      female_thi += thi;
      female_van += van;
    }
    // Other fields.
    if (c.nationality != "VN") Problem(who + ": nationality");
    if (c.ethnicity < 1 || c.ethnicity > 54) Problem(who + ": ethnicity");
    if (c.ethnicity == 1) ++kinh;
    static const std::set<std::string> kReligions = {"",        "Phật giáo", "Công giáo",
                                                     "Cao Đài", "Tin lành",  "Hòa Hảo"};
    if (!kReligions.contains(c.religion)) Problem(who + ": religion " + c.religion);
    if (c.religion.empty()) ++religion_none;
    if (!c.old_id.empty()) {
      if (!ParseOldId(c.old_id)) Problem(who + ": bad old id");
      if (byear >= 2005) Problem(who + ": old id for someone born in 2005 or later");
      old_ids_.push_back(std::stoll(c.old_id));
    }
    if (byear < 2005 && age >= 18) {
      ++adults_pre2005;
      with_old_id += !c.old_id.empty();
    }
    if (c.status == LifeStatus::kDeceased) {
      ++deceased;
      if (!c.date_of_death) {
        Problem(who + ": deceased without a date");
      } else if (c.date_of_death->Earliest() > kToday ||
                 c.date_of_death->Latest() < c.date_of_birth.Latest()) {
        Problem(who + ": date of death out of range");
      }
      if (c.relationship_to_head == Relationship::kHead) Problem(who + ": deceased head");
    } else if (c.date_of_death) {
      Problem(who + ": alive with a date of death");
    }
    if (c.temporary_residence || c.current_residence) Problem(who + ": unexpected residence");
  }

  void FinishHousehold() {
    const std::vector<Citizen>& h = current_;
    ++households;
    ++household_sizes[static_cast<int>(h.size())];
    const std::string hh = "household " + std::to_string(h.front().household_id.value_or(-1));
    if (h.front().household_id != households) Problem(hh + ": ids are not sequential from 1");
    if (h.size() > 7) Problem(hh + ": more than 7 members");
    if (h.front().relationship_to_head != Relationship::kHead) Problem(hh + ": head is not first");
    std::unordered_map<int64_t, const Citizen*> by_id;
    int heads = 0;
    for (const Citizen& c : h) {
      by_id[c.id.number()] = &c;
      heads += c.relationship_to_head == Relationship::kHead;
      if (!c.relationship_to_head) Problem(hh + ": member without relationship");
      if (c.permanent_residence.commune_code != h.front().permanent_residence.commune_code ||
          c.permanent_residence.street != h.front().permanent_residence.street) {
        Problem(hh + ": members live apart");
      }
      with_parent += c.relationship_to_head == Relationship::kParent;
      with_grandchild += c.relationship_to_head == Relationship::kGrandchild;
    }
    if (heads != 1) Problem(hh + ": " + std::to_string(heads) + " heads");
    const Citizen& head = h.front();
    auto find = [&](const std::optional<CitizenId>& id) -> const Citizen* {
      if (!id) return nullptr;
      auto it = by_id.find(id->number());
      return it == by_id.end() ? nullptr : it->second;
    };
    for (const Citizen& c : h) {
      const std::string who = hh + " " + c.full_name.text();
      const Citizen* father = find(c.father_id);
      const Citizen* mother = find(c.mother_id);
      const Citizen* spouse = find(c.spouse_id);
      if ((c.father_id && !father) || (c.mother_id && !mother) || (c.spouse_id && !spouse)) {
        Problem(who + ": link outside the household");
        continue;
      }
      if (spouse) {
        with_spouse += 1;
        if (spouse->spouse_id != c.id) Problem(who + ": spouse link not mutual");
        if (spouse->sex == c.sex) Problem(who + ": same-sex spouses");
        if (MinAge(c.date_of_birth) < (c.sex == Sex::kMale ? 20 : 18)) {
          Problem(who + ": married under age");
        }
      }
      if (father) {
        if (father->sex != Sex::kMale) Problem(who + ": father is not male");
        if (!BornYearsAfter(c.date_of_birth, father->date_of_birth, 18)) {
          Problem(who + ": father too young");
        }
        if (c.full_name.family() != father->full_name.family()) {
          Problem(who + ": surname is not the father's");
        }
      } else if (mother && c.full_name.family() != mother->full_name.family()) {
        Problem(who + ": surname is not the mother's (no father)");
      }
      if (mother) {
        if (mother->sex != Sex::kFemale) Problem(who + ": mother is not female");
        if (!BornYearsAfter(c.date_of_birth, mother->date_of_birth, 18)) {
          Problem(who + ": born less than 18 years after the mother");
        }
        if (c.date_of_birth.year() - mother->date_of_birth.year() > 46) {
          Problem(who + ": mother older than 45 at the birth");
        }
      }
      // Relationships agree with the links.
      switch (c.relationship_to_head.value_or(Relationship::kOther)) {
        case Relationship::kSpouse:
          if (spouse != &head) Problem(who + ": spouse not married to the head");
          break;
        case Relationship::kParent:
          if (head.father_id != c.id && head.mother_id != c.id) {
            Problem(who + ": parent not linked from the head");
          }
          break;
        case Relationship::kChild:
          if (father != &head && mother != &head &&
              (head.spouse_id == std::nullopt ||
               (c.father_id != head.spouse_id && c.mother_id != head.spouse_id))) {
            Problem(who + ": child of neither the head nor the spouse");
          }
          break;
        case Relationship::kChildInLaw:
          if (!spouse || spouse->relationship_to_head != Relationship::kChild) {
            Problem(who + ": child-in-law not married to a child");
          }
          break;
        case Relationship::kGrandchild: {
          const Citizen* p = father ? father : mother;
          if (!p || (p->relationship_to_head != Relationship::kChild &&
                     p->relationship_to_head != Relationship::kChildInLaw)) {
            Problem(who + ": grandchild not a child's child");
          }
          break;
        }
        case Relationship::kHead:
          break;
        default:
          Problem(who + ": unexpected relationship");
      }
    }
    current_.clear();
  }

  std::vector<Citizen> current_;
  std::vector<int64_t> ids_, old_ids_;
};

// One 200,000-citizen run shared by the realism tests.
class PopulationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    checker_ = new Checker();
    PopulationGenerator generator(Options(200'000, 20261123));
    auto s = generator.Generate(std::ref(*checker_));
    ASSERT_TRUE(s) << s.error().message;
    checker_->Finish();
  }
  static void TearDownTestSuite() {
    delete checker_;
    checker_ = nullptr;
  }
  static double Share(int64_t part, int64_t whole) {
    return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
  }
  static Checker* checker_;
};
Checker* PopulationTest::checker_ = nullptr;

TEST_F(PopulationTest, EveryCitizenAndHouseholdIsCoherent) {
  const Checker& c = *checker_;
  EXPECT_EQ(c.citizens, 200'000);
  for (const auto& p : c.problems) ADD_FAILURE() << p;
  EXPECT_TRUE(c.problems.empty());
}

TEST_F(PopulationTest, HouseholdsHaveRealisticSizesAndShapes) {
  const Checker& c = *checker_;
  EXPECT_EQ(c.household_sizes.begin()->first, 1);
  EXPECT_LE(c.household_sizes.rbegin()->first, 7);
  const double mean = Share(c.citizens, c.households);
  EXPECT_GT(mean, 2.9);  // 2019 census: 3.5
  EXPECT_LT(mean, 4.1);
  EXPECT_GT(Share(c.household_sizes.at(1), c.households), 0.06);
  EXPECT_GT(c.household_sizes.count(7), 0u);
  EXPECT_GT(Share(c.with_parent, c.citizens), 0.02);
  EXPECT_GT(Share(c.with_grandchild, c.citizens), 0.02);
  EXPECT_GT(Share(c.with_spouse, c.citizens), 0.35);
}

TEST_F(PopulationTest, AgePyramidLooksLikeVietnam) {
  const Checker& c = *checker_;
  // 2019 census: 0-14 24.3%, 65+ 7.7%, 90+ about 0.3%.
  EXPECT_GT(Share(c.age_0_14, c.citizens), 0.18);
  EXPECT_LT(Share(c.age_0_14, c.citizens), 0.30);
  EXPECT_GT(Share(c.age_65, c.citizens), 0.05);
  EXPECT_LT(Share(c.age_65, c.citizens), 0.14);
  EXPECT_LT(Share(c.age_90, c.citizens), 0.012);
  EXPECT_GT(Share(c.age_20_44, c.citizens), 0.30);
}

TEST_F(PopulationTest, OldDatesOfBirthAreSometimesPartial) {
  const Checker& c = *checker_;
  ASSERT_GT(c.pre1950, 1000);
  EXPECT_GT(Share(c.year_only, c.pre1950), 0.20);
  EXPECT_LT(Share(c.year_only, c.pre1950), 0.30);
  EXPECT_GT(Share(c.month_only, c.pre1950), 0.06);
  EXPECT_LT(Share(c.month_only, c.pre1950), 0.14);
}

TEST_F(PopulationTest, NamesFollowSex) {
  const Checker& c = *checker_;
  EXPECT_LT(Share(c.male_thi, c.males), 0.001);  // "Thị" is a women's middle name
  EXPECT_GT(Share(c.female_thi, c.females), 0.25);
  EXPECT_GT(Share(c.male_van, c.males), 0.08);
  EXPECT_LT(Share(c.female_van, c.females), 0.001);
  EXPECT_GT(c.no_middle, 0);                     // the empty middle name is a real value
  EXPECT_GT(Share(c.nguyen, c.citizens), 0.30);  // national share ~38%
  EXPECT_LT(Share(c.nguyen, c.citizens), 0.45);
}

TEST_F(PopulationTest, SharesArePlausible) {
  const Checker& c = *checker_;
  EXPECT_GT(Share(c.kinh, c.citizens), 0.80);  // 85.3% in 2019
  EXPECT_LT(Share(c.kinh, c.citizens), 0.91);
  EXPECT_GT(Share(c.religion_none, c.citizens), 0.75);
  EXPECT_LT(Share(c.religion_none, c.citizens), 0.95);
  EXPECT_GT(Share(c.birth_same_province, c.citizens), 0.78);
  EXPECT_LT(Share(c.birth_same_province, c.citizens), 0.93);
  EXPECT_GT(Share(c.deceased, c.citizens), 0.002);
  EXPECT_LT(Share(c.deceased, c.citizens), 0.01);
  EXPECT_GT(Share(c.with_old_id, c.adults_pre2005), 0.85);
  EXPECT_LT(Share(c.with_old_id, c.adults_pre2005), 0.95);
}

TEST(PopulationGeneratorTest, EmitsExactlyCountWithCompleteHouseholds) {
  for (int64_t count : {0, 1, 2, 3, 7, 8, 13, 1000, 4097}) {
    Checker checker;
    PopulationGenerator generator(Options(count, static_cast<uint64_t>(count) + 1));
    ASSERT_TRUE(generator.Generate(std::ref(checker)));
    checker.Finish();
    EXPECT_EQ(checker.citizens, count);
    for (const auto& p : checker.problems) ADD_FAILURE() << "count " << count << ": " << p;
  }
}

TEST(PopulationGeneratorTest, SameSeedSameOutputDifferentSeedDifferent) {
  auto run = [](uint64_t seed, int64_t count = 20'000) {
    std::vector<std::string> out;
    PopulationGenerator generator(Options(count, seed));
    EXPECT_TRUE(generator.Generate([&](const Citizen& c) -> Status {
      out.push_back(Fingerprint(c));
      return {};
    }));
    return out;
  };
  const auto a = run(7);
  EXPECT_EQ(a, run(7));
  const auto b = run(8);
  ASSERT_EQ(a.size(), b.size());
  int same = 0;
  for (size_t i = 0; i < a.size(); ++i) same += a[i] == b[i];
  EXPECT_LT(same, 10);

  // Generate may be called again on the same generator: same output. A
  // smaller count gives a prefix, up to the last household (fitted to it).
  const auto small = run(7, 500);
  for (size_t i = 0; i < 490; ++i) ASSERT_EQ(small[i], a[i]) << i;
  PopulationGenerator generator(Options(500, 7));
  for (int round = 0; round < 2; ++round) {
    size_t i = 0;
    ASSERT_TRUE(generator.Generate([&](const Citizen& c) -> Status {
      EXPECT_EQ(Fingerprint(c), small[i++]);
      return {};
    }));
    EXPECT_EQ(i, 500u);
  }
}

TEST(PopulationGeneratorTest, StopsAtTheFirstSinkError) {
  PopulationGenerator generator(Options(1000));
  int calls = 0;
  auto s = generator.Generate([&](const Citizen&) -> Status {
    if (++calls == 100) return Fail("test.stop", "enough");
    return {};
  });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "test.stop");
  EXPECT_EQ(calls, 100);
}

TEST(PopulationGeneratorTest, RejectsBadOptions) {
  PopulationGenerator negative(Options(-1));
  auto s = negative.Generate([](const Citizen&) -> Status { return {}; });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "synth.bad_options");
  PopulationGenerator bad_day(GeneratorOptions{
      .count = 1, .seed = 1, .today = year_month_day{year{2026}, month{2}, day{30}}});
  s = bad_day.Generate([](const Citizen&) -> Status { return {}; });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "synth.bad_options");
}

class GenerateIntoTest : public ::testing::Test {
 protected:
  GenerateIntoTest()
      : clock_(Timestamp{sys_days{kToday}.time_since_epoch() + hours(3)}), random_(1) {}
  void SetUp() override {
    auto db = storage::OpenSqlite(dir_.path() / "register.db");
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    auto r = registry::Registry::Open(*db_, clock_, random_);
    ASSERT_TRUE(r) << r.error().message;
    reg_ = std::move(*r);
  }
  registry::WriteContext Ctx() { return registry::WriteContext{"test", "generate", {}, {}}; }

  dancu::testing::TempDir dir_;
  ManualClock clock_;
  SeededRandom random_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<registry::Registry> reg_;
};

TEST_F(GenerateIntoTest, LoadsAWholeConsistentPopulation) {
  constexpr int64_t kCount = 70'000;
  auto loader = reg_->BeginBulkLoad(Ctx());
  ASSERT_TRUE(loader) << loader.error().message;
  std::vector<int64_t> progress;
  auto s =
      GenerateInto(**loader, Options(kCount, 3), [&](int64_t done) { progress.push_back(done); });
  ASSERT_TRUE(s) << s.error().code << ": " << s.error().message;
  EXPECT_EQ(progress, (std::vector<int64_t>{65536, kCount}));
  std::vector<registry::BulkProblem> problems;
  auto done = (*loader)->Finish(problems, "generate");
  for (const auto& p : problems) ADD_FAILURE() << p.id.ToString() << ": " << p.error.code;
  ASSERT_TRUE(done) << done.error().code << ": " << done.error().message;
  loader->reset();
  EXPECT_EQ(reg_->CountCitizens().value(), kCount);
  auto household = reg_->GetHousehold(1);
  ASSERT_TRUE(household) << household.error().message;
  EXPECT_FALSE(household->members.empty());
}

TEST_F(GenerateIntoTest, ALoaderErrorStopsTheGenerator) {
  {
    auto loader = reg_->BeginBulkLoad(Ctx()).value();
    ASSERT_TRUE(GenerateInto(*loader, Options(5000, 9), {}));
    std::vector<registry::BulkProblem> problems;
    ASSERT_TRUE(loader->Finish(problems, "generate"));
  }
  // The same seed again: the first citizen already exists. The worker is
  // still generating (1M citizens) when the error comes back.
  auto loader = reg_->BeginBulkLoad(Ctx()).value();
  auto s = GenerateInto(*loader, Options(1'000'000, 9), {});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "conflict.citizen_exists");
}

}  // namespace
}  // namespace dancu::synth
