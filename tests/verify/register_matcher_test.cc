// Record linkage against the register: the blocking index stays consistent
// with the verification index through updates, the matcher handles each
// Vietnamese corruption, quality (P/R/F1) on a generated Vietnamese set, and
// Verifier::Match follows the change feed.
#include "verify/register_matcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "registry/registry_fixture.h"
#include "synth/population_generator.h"
#include "synth/record_corruptor.h"

namespace dancu::verify {
namespace {

registry::Citizen Person(uint32_t serial, std::string_view name, PartialDate dob,
                         std::string commune = "00004", Sex sex = Sex::kMale) {
  registry::Citizen c;
  c.id = CitizenId::Make(1, sex, dob.year(), serial).value();
  c.full_name = PersonName::Parse(name).value();
  c.sex = sex;
  c.date_of_birth = dob;
  c.permanent_residence = Address{std::move(commune), "Số 1 phố Đội Cấn"};
  return c;
}

PartialDate D(int y, int m, int d) { return PartialDate::Make(y, m, d).value(); }

MatchQuery QueryOf(std::string_view name, std::string_view dob, std::string commune = "00004") {
  MatchQuery q;
  q.full_name = PersonName::Parse(name).value();
  q.date_of_birth = PartialDate::ParseLenient(dob, {std::chrono::year{2026}, std::chrono::month{11},
                                                    std::chrono::day{23}})
                        .value();
  q.sex = Sex::kMale;
  q.commune_code = std::move(commune);
  return q;
}

class RegisterMatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    index_.Upsert(Person(1, "Nguyễn Văn An", D(1985, 3, 4)));
    index_.Upsert(Person(2, "Nguyễn Văn An", D(1962, 7, 21)));  // same name, older
    index_.Upsert(Person(3, "Trần Thị Bình", D(1990, 1, 1), "00004", Sex::kFemale));
    index_.Upsert(Person(4, "Lê Văn Cường", PartialDate::Make(1940, 0, 0).value()));
    blocking_ = BlockingIndex(index_);
  }
  std::string Top(const MatchQuery& q, MatchOptions o = {}) {
    auto c = MatchRegister(index_, blocking_, q, o);
    if (c.empty()) return "none";
    return std::to_string(c[0].id.serial()) + (c[0].needs_review ? " review" : "");
  }
  VerificationIndex index_;
  BlockingIndex blocking_;
};

TEST_F(RegisterMatcherTest, EachCorruptionAlone) {
  EXPECT_EQ(Top(QueryOf("Nguyễn Văn An", "1985-03-04")), "1");
  EXPECT_EQ(Top(QueryOf("nguyen van an", "1985-03-04")), "1");           // diacritics
  EXPECT_EQ(Top(QueryOf("An Nguyễn Văn", "1985-03-04")), "1");           // given name first
  EXPECT_EQ(Top(QueryOf("Nguyễn Văn Ann", "1985-03-04")), "1");          // typo
  EXPECT_EQ(Top(QueryOf("Ngyễn Văn An", "1985-03-04")), "1");            // typo in the family name
  EXPECT_EQ(Top(QueryOf("Nguyễn Văn An", "04/03/1985")), "1");           // dd/mm/yyyy
  EXPECT_EQ(Top(QueryOf("Nguyễn Văn An", "1985-04-03")), "1");           // day and month swapped
  EXPECT_EQ(Top(QueryOf("Nguyễn Văn An", "1985-03-04", "25747")), "1");  // moved
  EXPECT_EQ(Top(QueryOf("Lê Văn Cường", "1940-05-06")), "4");            // register knows the year
  EXPECT_EQ(Top(QueryOf("Nguyễn Văn An", "1962-07-21")), "2");
  EXPECT_EQ(Top(QueryOf("Phạm Minh Đức", "1985-03-04")), "none");
}

TEST(BlockingIndexTest, CollectManyAgreesWithCollectAndDropsUnselectiveKeys) {
  VerificationIndex index;
  for (uint32_t i = 1; i <= 5; ++i) index.Upsert(Person(i, "Phạm Văn An", D(1985, 3, 4)));
  index.Upsert(Person(6, "Lê Thị An", D(1985, 3, 4), "00004", Sex::kFemale));
  index.Upsert(Person(7, "Lê Văn Bình", D(1990, 1, 1)));
  BlockingIndex blocking(index);
  const int32_t dob = D(1985, 3, 4).Packed();
  const BlockingIndex::Request requests[] = {
      {BlockingIndex::Kind::kGivenDob,
       BlockingIndex::TokenDobKey(BlockingIndex::Kind::kGivenDob, "an", dob)},  // 6 people
      {BlockingIndex::Kind::kFamilyDob, BlockingIndex::FamilyDobKey("le", dob, true)},  // 1
      {BlockingIndex::Kind::kFamilyDob, BlockingIndex::FamilyDobKey("le", dob, false)},  // 0
  };
  std::vector<uint32_t> out, one;
  std::vector<uint8_t> request_of;
  uint32_t counts[3];
  blocking.CollectMany(requests, 10, out, request_of, counts);
  EXPECT_EQ(counts[0], 6u);
  EXPECT_EQ(counts[1], 1u);
  EXPECT_EQ(counts[2], 0u);
  ASSERT_EQ(out.size(), 7u);
  ASSERT_EQ(request_of.size(), 7u);
  for (size_t r = 0; r < 3; ++r) {
    one.clear();
    ASSERT_TRUE(blocking.Collect(requests[r].kind, requests[r].key, 10, one));
    std::vector<uint32_t> mine;
    for (size_t j = 0; j < out.size(); ++j) {
      if (request_of[j] == r) mine.push_back(out[j]);
    }
    std::sort(one.begin(), one.end());
    std::sort(mine.begin(), mine.end());
    EXPECT_EQ(mine, one) << r;
  }
  // A cap below the chain's length: that key adds nothing, the others do.
  blocking.CollectMany(requests, 5, out, request_of, counts);
  EXPECT_EQ(counts[0], BlockingIndex::kUnselective);
  EXPECT_EQ(counts[1], 1u);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], 5u);  // the sixth entry, Lê Thị An
  EXPECT_EQ(request_of[0], 1u);
  EXPECT_FALSE(blocking.Collect(requests[0].kind, requests[0].key, 5, one));
}

TEST(RegisterMatcherWeightTest, NameLevelsAroundTheLetterCountShortcut) {
  // Names far apart by their letter counts skip edit distance; names one
  // edit apart in written or in sorted order must still be "close".
  VerificationIndex index;
  index.Upsert(Person(1, "Nguyễn Văn An", D(1985, 3, 4)));
  index.Upsert(Person(2, "Nguyễn Văn Bình", D(1985, 3, 4)));   // 3+ edits: disagree
  index.Upsert(Person(3, "Văn An Nguyễnn", D(1985, 3, 4)));    // sorted, one edit: close
  index.Upsert(Person(4, "Nguyễn Văn Anh Anh", D(1985, 3, 4)));  // 3 letters more
  MatchQuery q = QueryOf("Nguyen Van An", "1985-03-04");
  PreparedMatchQuery p(q);
  double w[4];
  for (int i = 0; i < 4; ++i) w[i] = p.Weight(index, index.entries()[i]);
  EXPECT_NEAR(w[0] - w[2], 12.97 - 7.32, 1e-9);   // agree - close
  EXPECT_NEAR(w[2] - w[1], 7.32 + 5.63, 1e-9);    // close - disagree
  EXPECT_NEAR(w[3], w[1], 1e-9);                  // disagree
}

TEST_F(RegisterMatcherTest, ScoresAndReviewBand) {
  auto c = MatchRegister(index_, blocking_, QueryOf("Nguyễn Văn An", "1985-03-04"), {});
  ASSERT_FALSE(c.empty());
  EXPECT_EQ(c[0].score, 100);
  EXPECT_FALSE(c[0].needs_review);
  // Name and commune agree, the date does not: a weaker candidate.
  MatchOptions wide;
  wide.threshold = 100;
  wide.review_threshold = -100;
  c = MatchRegister(index_, blocking_, QueryOf("Nguyễn Văn An", "1985-03-04"), wide);
  ASSERT_GE(c.size(), 1u);
  EXPECT_TRUE(c[0].needs_review);
  for (size_t i = 1; i < c.size(); ++i) EXPECT_GE(c[i - 1].weight, c[i].weight);
  wide.limit = 1;
  EXPECT_EQ(MatchRegister(index_, blocking_, QueryOf("Nguyễn Văn An", "1985-03-04"), wide).size(),
            1u);
}

TEST_F(RegisterMatcherTest, BlockingFollowsUpdates) {
  // Keys of the old entry are removed before it changes, the new ones added
  // after (what Verifier::ApplyEvent does).
  auto move = [&](registry::Citizen c) {
    const Entry* old = index_.Find(c.id.number());
    uint32_t pos = static_cast<uint32_t>(old - index_.entries().data());
    blocking_.Remove(index_, pos);
    index_.Upsert(c);
    blocking_.Add(index_, pos);
  };
  move(Person(1, "Nguyễn Văn Bảo", D(1985, 3, 4), "25747"));
  EXPECT_EQ(Top(QueryOf("Nguyễn Văn Bảo", "1985-03-04", "25747")), "1");
  // The old name still finds them (family name and date of birth), but two
  // edits away and in another commune: only for review.
  EXPECT_EQ(Top(QueryOf("Nguyễn Văn An", "1985-03-04")), "1 review");
  // A new citizen.
  index_.Upsert(Person(5, "Hoàng Thị Mai", D(2001, 12, 9), "00004", Sex::kFemale));
  blocking_.Add(index_, static_cast<uint32_t>(index_.size() - 1));
  MatchQuery q = QueryOf("Hoang Thi Mai", "2001-12-09");
  q.sex = Sex::kFemale;
  EXPECT_EQ(Top(q), "5");
}

TEST(BlockingIndexTest, EmptyIndexGrows) {
  VerificationIndex index;
  BlockingIndex blocking;  // before any build, as a Verifier starts
  index.Upsert(Person(1, "Nguyễn Văn An", D(1985, 3, 4)));
  blocking.Remove(index, 0);  // nothing keyed yet: a no-op
  blocking.Add(index, 0);
  std::vector<uint32_t> out;
  EXPECT_TRUE(blocking.Collect(
      BlockingIndex::Kind::kGivenDob,
      BlockingIndex::TokenDobKey(BlockingIndex::Kind::kGivenDob, "an", D(1985, 3, 4).Packed()), 10,
      out));
  EXPECT_EQ(out, std::vector<uint32_t>{0});
  for (uint32_t i = 2; i < 200; ++i) {
    index.Upsert(Person(i, "Nguyễn Văn An", D(1985, 3, 4)));
    blocking.Add(index, i - 1);
  }
  out.clear();
  // 199 people share the key: over a cap of 100 the key is skipped whole.
  EXPECT_FALSE(blocking.Collect(
      BlockingIndex::Kind::kGivenDob,
      BlockingIndex::TokenDobKey(BlockingIndex::Kind::kGivenDob, "an", D(1985, 3, 4).Packed()), 100,
      out));
  EXPECT_TRUE(out.empty());
  EXPECT_GT(blocking.MemoryBytes(), 0u);
}

// The generated Vietnamese set: register citizens corrupted the way agency
// files are (synth/record_corruptor.h), plus people who are not in the
// register. A record is matched when its best candidate is at or above the
// threshold (not in the review band).
TEST(RegisterMatcherQualityTest, GeneratedVietnameseSet) {
  constexpr int64_t kRegister = 100000;
  const std::chrono::year_month_day today{std::chrono::year{2026}, std::chrono::month{11},
                                          std::chrono::day{23}};
  VerificationIndex index(kRegister);
  std::vector<registry::Citizen> sample;
  synth::PopulationGenerator gen({.count = kRegister, .seed = 7, .today = today});
  int64_t n = 0;
  ASSERT_TRUE(gen.Generate([&](const registry::Citizen& c) -> Status {
    index.Upsert(c);
    if (n++ % 25 == 0) sample.push_back(c);
    return {};
  }));
  BlockingIndex blocking(index);
  std::vector<registry::Citizen> outsiders;
  synth::PopulationGenerator other({.count = 400, .seed = 99, .today = today});
  ASSERT_TRUE(other.Generate([&](const registry::Citizen& c) -> Status {
    outsiders.push_back(c);
    return {};
  }));

  synth::RecordCorruptor corruptor({}, 42);
  size_t tp = 0, fp = 0, fn = 0, review = 0;
  uint64_t counts[8] = {}, found[8] = {};
  MatchStats stats;
  auto run = [&](const registry::Citizen& c, bool in_register) {
    synth::CorruptedRecord r = corruptor.Corrupt(c);
    MatchQuery q;
    auto name = PersonName::Parse(r.full_name);
    ASSERT_TRUE(name) << r.full_name << ": " << name.error().message;
    q.full_name = *name;
    auto dob = PartialDate::ParseLenient(r.date_of_birth, today);
    ASSERT_TRUE(dob) << r.date_of_birth << ": " << dob.error().message;
    q.date_of_birth = *dob;
    q.sex = r.sex == "female" ? Sex::kFemale : Sex::kMale;
    q.commune_code = r.commune_code;
    q.address = r.address;
    auto candidates = MatchRegister(index, blocking, q, {}, &stats);
    bool matched = !candidates.empty() && !candidates[0].needs_review;
    if (!candidates.empty() && candidates[0].needs_review) ++review;
    bool right = matched && candidates[0].id.ToString() == r.true_id;
    if (in_register) {
      for (int b = 0; b < 7; ++b) {
        if (r.corruptions & (1u << b)) {
          ++counts[b];
          found[b] += right;
        }
      }
    }
    if (right && in_register) {
      ++tp;
    } else {
      if (matched) {
        std::printf("  false match: %s / %s / %s / %s (%s) -> %s weight %.1f\n",
                    r.full_name.c_str(), r.date_of_birth.c_str(), r.commune_code.c_str(),
                    in_register ? r.true_id.c_str() : "outsider",
                    synth::CorruptionNames(r.corruptions).c_str(),
                    candidates[0].id.ToString().c_str(), candidates[0].weight);
      }
      if (matched) ++fp;
      if (in_register) ++fn;
    }
  };
  for (const auto& c : sample) run(c, true);
  for (const auto& c : outsiders) run(c, false);
  double precision = tp + fp == 0 ? 0 : double(tp) / double(tp + fp);
  double recall = double(tp) / double(sample.size());
  double f1 = 2 * precision * recall / (precision + recall);
  std::printf(
      "vietnamese set: register %lld, %zu corrupted records + %zu outsiders, %.1f "
      "candidates/query: precision %.4f recall %.4f F1 %.4f (%zu in review band)\n",
      static_cast<long long>(kRegister), sample.size(), outsiders.size(),
      double(stats.candidates) / double(sample.size() + outsiders.size()), precision, recall, f1,
      review);
  for (int b = 0; b < 7; ++b) {
    std::printf("  %-20s %5llu records, recall %.4f\n", synth::CorruptionNames(1u << b).c_str(),
                static_cast<unsigned long long>(counts[b]),
                counts[b] ? double(found[b]) / double(counts[b]) : 0.0);
  }
  EXPECT_GE(f1, 0.99);
}

// Verifier::Match follows the change feed: a move shows within the
// liveness bound.
class VerifierMatchTest : public registry::testing::RegistryTest {};

TEST_F(VerifierMatchTest, MatchFollowsMoves) {
  auto v = Verifier::Create(*reg_);
  ASSERT_TRUE(v) << v.error().message;
  registry::Citizen wife = *reg_->GetCitizen(wife_.id);
  MatchQuery q;
  q.full_name = wife.full_name;
  q.date_of_birth = wife.date_of_birth;
  q.sex = wife.sex;
  q.commune_code = "25747";
  q.address = "Số 9 đường Yersin";
  MatchOptions strict;
  strict.threshold = 40;  // every field must agree
  auto before = (*v)->Match(q, strict);
  ASSERT_FALSE(before.empty());
  EXPECT_EQ(before[0].id, wife_.id);
  EXPECT_TRUE(before[0].needs_review);

  (*v)->Start();
  registry::ResidenceRequest move;
  move.citizen_id = wife_.id;
  move.kind = registry::ResidenceKind::kPermanent;
  move.address = Address{"25747", "Số 9 đường Yersin"};
  auto ev = reg_->RegisterResidence(move, Officer());
  ASSERT_TRUE(ev) << ev.error().message;
  ASSERT_TRUE((*v)->WaitUntilApplied(ev->seq, std::chrono::seconds(1)));
  auto after = (*v)->Match(q, strict);
  ASSERT_FALSE(after.empty());
  EXPECT_EQ(after[0].id, wife_.id);
  EXPECT_FALSE(after[0].needs_review);
  EXPECT_EQ(after[0].score, 100);
  (*v)->Stop();
}

}  // namespace
}  // namespace dancu::verify
