#include "core/random.h"

#include <gtest/gtest.h>

#include <array>
#include <set>

namespace dancu {
namespace {

// Returns a fixed sequence, to test Uniform's rejection step exactly.
class ScriptedRandom final : public Random {
 public:
  explicit ScriptedRandom(std::vector<uint64_t> values) : values_(std::move(values)) {}
  uint64_t Next() override { return values_.at(next_++); }
  size_t used() const { return next_; }

 private:
  std::vector<uint64_t> values_;
  size_t next_ = 0;
};

TEST(RandomTest, UniformRejectsTheBiasedLowRange) {
  // bound = 2^63 + 1: 2^64 mod bound = 2^63 - 1, so draws below that are
  // rejected; a plain modulo would make small results twice as likely.
  const uint64_t bound = (uint64_t{1} << 63) + 1;
  ScriptedRandom r({0, (uint64_t{1} << 63) - 2, (uint64_t{1} << 63) - 1});
  EXPECT_EQ(r.Uniform(bound), (uint64_t{1} << 63) - 1);
  EXPECT_EQ(r.used(), 3u);
}

TEST(RandomTest, UniformPowerOfTwoNeverRejects) {
  ScriptedRandom r({0, ~uint64_t{0}, 12345});
  EXPECT_EQ(r.Uniform(16), 0u);
  EXPECT_EQ(r.Uniform(16), 15u);
  EXPECT_EQ(r.Uniform(1), 0u);
  EXPECT_EQ(r.used(), 3u);
}

TEST(RandomTest, UniformStaysInRangeAndCoversIt) {
  SeededRandom r(42);
  std::array<int, 10> counts{};
  for (int i = 0; i < 100000; ++i) {
    const uint64_t v = r.Uniform(10);
    ASSERT_LT(v, 10u);
    ++counts[v];
  }
  for (int c : counts) {
    EXPECT_GT(c, 9000);
    EXPECT_LT(c, 11000);
  }
}

TEST(RandomTest, UniformRealInUnitInterval) {
  ScriptedRandom edges({0, ~uint64_t{0}});
  EXPECT_EQ(edges.UniformReal(), 0.0);
  EXPECT_LT(edges.UniformReal(), 1.0);
}

TEST(SeededRandomTest, SameSeedSameSequence) {
  SeededRandom a(7), b(7), c(8);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    differs |= x != c.Next();
  }
  EXPECT_TRUE(differs);
}

TEST(SecureRandomTest, ProducesDistinctValues) {
  SecureRandom r;
  std::set<uint64_t> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(r.Next());
  EXPECT_EQ(seen.size(), 1000u);  // a collision in 2^64 would mean a broken source
  for (int i = 0; i < 1000; ++i) EXPECT_LT(r.Uniform(1000000), 1000000u);
}

}  // namespace
}  // namespace dancu
