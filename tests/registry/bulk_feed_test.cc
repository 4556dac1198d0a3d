// BulkLoader::AddFrom: a producer on a worker thread, Add on the caller's.
#include <stdexcept>

#include "registry/registry_fixture.h"

namespace dancu::registry::testing {
namespace {

Citizen Newcomer(uint32_t serial) {
  Citizen c =
      Person(Id(1, Sex::kMale, 2001, serial), "Phạm Văn Em", Sex::kMale, Date(2001, 1, 1), "00004");
  c.household_id = 1000 + serial;
  c.relationship_to_head = Relationship::kHead;
  return c;
}

TEST_F(RegistryTest, AddFromLoadsWhatTheProducerPushes) {
  auto loader = reg_->BeginBulkLoad(Officer()).value();
  auto s = loader->AddFrom([](BulkFeed& feed) -> Status {
    for (uint32_t i = 1; i <= 10000; ++i) {
      if (!feed.Push(Newcomer(i))) return Fail("test.stopped", "stopped");
    }
    return {};
  });
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(loader->added(), 10000);
  std::vector<BulkProblem> problems;
  ASSERT_TRUE(loader->Finish(problems, "test"));
  loader.reset();
  EXPECT_EQ(reg_->CountCitizens().value(), 10004);
  EXPECT_EQ(reg_->GetHousehold(1000 + 9999).value().head_id, Newcomer(9999).id);
  // The name key computed on the producer's thread is the one search uses.
  auto found = reg_->FindByName(NameQuery{"pham van em", {}, {}, 20000}).value();
  EXPECT_EQ(found.size(), 10000u);
}

TEST_F(RegistryTest, AddFromReportsRejectedRowsByIndexAndGoesOn) {
  auto loader = reg_->BeginBulkLoad(Officer()).value();
  std::vector<std::pair<int64_t, std::string>> rejected;
  BulkFeedOptions options;
  options.reject = [&](int64_t index, const Error& e) { rejected.emplace_back(index, e.code); };
  auto s = loader->AddFrom(
      [&](BulkFeed& feed) -> Status {
        for (const Citizen& c : {Newcomer(1), single_, Newcomer(2), husband_, Newcomer(3)}) {
          EXPECT_TRUE(feed.Push(c));
        }
        return {};
      },
      options);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(rejected, (std::vector<std::pair<int64_t, std::string>>{
                          {1, "conflict.citizen_exists"}, {3, "conflict.citizen_exists"}}));
  EXPECT_EQ(loader->added(), 3);
}

TEST_F(RegistryTest, WithoutRejectTheFirstAddErrorStopsTheProducer) {
  auto loader = reg_->BeginBulkLoad(Officer()).value();
  bool stopped = false;
  auto s = loader->AddFrom([&](BulkFeed& feed) -> Status {
    if (!feed.Push(single_)) return {};
    for (uint32_t i = 1; i < 1'000'000; ++i) {
      if (!feed.Push(Newcomer(i % 900'000 + 1))) {
        stopped = true;
        return Fail("test.stopped", "the loader stopped");
      }
    }
    return {};
  });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "conflict.citizen_exists");  // not the producer's error
  EXPECT_TRUE(stopped);
}

TEST_F(RegistryTest, AddFromReturnsTheProducersError) {
  auto loader = reg_->BeginBulkLoad(Officer()).value();
  auto s = loader->AddFrom([](BulkFeed& feed) -> Status {
    feed.Push(Newcomer(1));
    return Fail("test.bad_input", "the input ended early");
  });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "test.bad_input");
  EXPECT_EQ(loader->added(), 0);  // a failed producer's last batch is not loaded
}

TEST_F(RegistryTest, AnExceptionInTheProducerIsInternal) {
  auto loader = reg_->BeginBulkLoad(Officer()).value();
  auto s = loader->AddFrom([](BulkFeed&) -> Status { throw std::runtime_error("boom"); });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "internal.producer");
  EXPECT_NE(s.error().message.find("boom"), std::string::npos);
}

TEST_F(RegistryTest, AddFromReportsProgressEveryStepAndAtTheEnd) {
  auto loader = reg_->BeginBulkLoad(Officer()).value();
  std::vector<int64_t> progress;
  BulkFeedOptions options;
  options.progress = [&](int64_t done) { progress.push_back(done); };
  constexpr uint32_t kRows = BulkLoader::kProgressEvery + 10;
  auto s = loader->AddFrom(
      [](BulkFeed& feed) -> Status {
        for (uint32_t i = 1; i <= kRows; ++i) feed.Push(Newcomer(i));
        return {};
      },
      options);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(progress, (std::vector<int64_t>{BulkLoader::kProgressEvery, kRows}));
}

}  // namespace
}  // namespace dancu::registry::testing
