#include "synth/record_corruptor.h"

#include <gtest/gtest.h>

#include "core/person_name.h"

namespace dancu::synth {
namespace {

registry::Citizen Person() {
  registry::Citizen c;
  c.id = CitizenId::Parse("001085123456").value();
  c.full_name = PersonName::Parse("Nguyễn Văn Đức").value();
  c.sex = Sex::kMale;
  c.date_of_birth = PartialDate::Make(1985, 11, 2).value();
  c.permanent_residence = Address{"00004", "Số 1 phố Đội Cấn"};
  return c;
}

CorruptionRates Only(double CorruptionRates::*rate) {
  CorruptionRates r{0, 0, 0, 0, 0, 0, 0};
  r.*rate = 1.0;
  return r;
}

TEST(RecordCorruptorTest, NoCorruptionCopiesTheCitizen) {
  RecordCorruptor c(CorruptionRates{0, 0, 0, 0, 0, 0, 0}, 1);
  CorruptedRecord r = c.Corrupt(Person());
  EXPECT_EQ(r.corruptions, 0u);
  EXPECT_EQ(r.id, "001085123456");
  EXPECT_EQ(r.true_id, "001085123456");
  EXPECT_EQ(r.full_name, "Nguyễn Văn Đức");
  EXPECT_EQ(r.date_of_birth, "1985-11-02");
  EXPECT_EQ(r.sex, "male");
  EXPECT_EQ(r.commune_code, "00004");
  EXPECT_EQ(r.address, "Số 1 phố Đội Cấn");
}

TEST(RecordCorruptorTest, EachCorruption) {
  auto one = [](double CorruptionRates::*rate) {
    RecordCorruptor c(Only(rate), 3);
    return c.Corrupt(Person());
  };
  CorruptedRecord r = one(&CorruptionRates::diacritics_dropped);
  EXPECT_EQ(r.full_name, "Nguyen Van Duc");
  EXPECT_EQ(r.corruptions, kDiacriticsDropped);

  r = one(&CorruptionRates::typo);
  EXPECT_EQ(r.corruptions, kTypo);
  EXPECT_NE(r.full_name, "Nguyễn Văn Đức");
  EXPECT_TRUE(PersonName::Parse(r.full_name)) << r.full_name;

  r = one(&CorruptionRates::day_month_swapped);
  EXPECT_EQ(r.date_of_birth, "1985-02-11");
  EXPECT_EQ(r.corruptions, kDayMonthSwapped);

  r = one(&CorruptionRates::id_missing);
  EXPECT_EQ(r.id, "");
  EXPECT_EQ(r.true_id, "001085123456");

  r = one(&CorruptionRates::wrong_id);
  EXPECT_EQ(r.id.size(), 12u);
  EXPECT_NE(r.id, r.true_id);
  EXPECT_TRUE(CitizenId::Parse(r.id)) << r.id;

  r = one(&CorruptionRates::moved);
  EXPECT_NE(r.commune_code, "00004");
  EXPECT_NE(r.address, "Số 1 phố Đội Cấn");
  EXPECT_EQ(r.corruptions, kMoved);

  r = one(&CorruptionRates::given_name_first);
  EXPECT_EQ(r.full_name, "Đức Nguyễn Văn");
  EXPECT_EQ(CorruptionNames(r.corruptions), "given_name_first");
}

TEST(RecordCorruptorTest, SwapOnlyWhenItGivesAnEarlierValidDate) {
  registry::Citizen p = Person();
  p.date_of_birth = PartialDate::Make(1985, 2, 11).value();  // swapped would be later
  RecordCorruptor c(Only(&CorruptionRates::day_month_swapped), 1);
  CorruptedRecord r = c.Corrupt(p);
  EXPECT_EQ(r.date_of_birth, "1985-02-11");
  EXPECT_EQ(r.corruptions, 0u);
  p.date_of_birth = PartialDate::Make(1940, 0, 0).value();
  EXPECT_EQ(c.Corrupt(p).date_of_birth, "1940");
}

TEST(RecordCorruptorTest, DeterministicAndRatesRoughlyHeld) {
  RecordCorruptor a({}, 9), b({}, 9);
  int typos = 0;
  for (int i = 0; i < 2000; ++i) {
    CorruptedRecord x = a.Corrupt(Person()), y = b.Corrupt(Person());
    EXPECT_EQ(x.full_name, y.full_name);
    EXPECT_EQ(x.corruptions, y.corruptions);
    typos += (x.corruptions & kTypo) != 0;
  }
  EXPECT_NEAR(typos / 2000.0, CorruptionRates{}.typo, 0.03);
  EXPECT_EQ(CorruptionNames(kTypo | kMoved), "typo;moved");
}

}  // namespace
}  // namespace dancu::synth
