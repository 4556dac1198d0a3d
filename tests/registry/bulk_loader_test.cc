// Bulk loading is all or nothing, and checks what single rows cannot.
#include "registry/registry_fixture.h"

namespace dancu::registry::testing {
namespace {

TEST_F(RegistryTest, BulkLoadAppendsOneImportEvent) {
  auto page = reg_->Feed(0, 10).value();
  ASSERT_EQ(page.events.size(), 1u);
  EXPECT_EQ(page.events[0].type, "import");
  EXPECT_EQ(reg_->CountCitizens().value(), 4);
  auto h = reg_->GetHousehold(1).value();
  EXPECT_EQ(h.head_id, husband_.id);
  EXPECT_EQ(h.members.size(), 3u);
  EXPECT_EQ(h.members[0].relationship, Relationship::kHead);
}

TEST_F(RegistryTest, DuplicateIdIsRejected) {
  auto loader = reg_->BeginBulkLoad(Officer()).value();
  auto s = loader->Add(single_);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "conflict.citizen_exists");
}

TEST_F(RegistryTest, DanglingReferencesRollBackTheWholeLoad) {
  int64_t seq = Seq();
  {
    auto loader = reg_->BeginBulkLoad(Officer()).value();
    Citizen orphan = Person(Id(1, Sex::kMale, 2001, 1), "Phạm Văn E", Sex::kMale,
                            Date(2001, 1, 1), "00004");
    orphan.father_id = Id(1, Sex::kMale, 1970, 999999);  // nobody
    orphan.household_id = 50;
    orphan.relationship_to_head = Relationship::kHead;
    Citizen fine = Person(Id(1, Sex::kFemale, 2002, 2), "Phạm Thị G", Sex::kFemale,
                          Date(2002, 2, 2), "00004");
    fine.household_id = 77;  // no head anywhere
    fine.relationship_to_head = Relationship::kChild;
    ASSERT_TRUE(loader->Add(orphan));
    ASSERT_TRUE(loader->Add(fine));
    std::vector<BulkProblem> problems;
    auto r = loader->Finish(problems, "test");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "import.invalid_rows");
    ASSERT_EQ(problems.size(), 2u);
    std::set<std::string> codes;
    for (const auto& p : problems) codes.insert(p.error.code);
    EXPECT_TRUE(codes.contains("import.unknown_reference"));
    EXPECT_TRUE(codes.contains("import.household_without_head"));
  }
  EXPECT_EQ(Seq(), seq);
  EXPECT_EQ(reg_->CountCitizens().value(), 4);
  EXPECT_FALSE(reg_->GetHousehold(50));
}

TEST_F(RegistryTest, TwoHeadsInOneHouseholdAreRejected) {
  auto loader = reg_->BeginBulkLoad(Officer()).value();
  for (uint32_t i = 1; i <= 2; ++i) {
    Citizen c = Person(Id(1, Sex::kMale, 2001, i), "Phạm Văn E", Sex::kMale, Date(2001, 1, 1),
                       "00004");
    c.household_id = 60;
    c.relationship_to_head = Relationship::kHead;
    ASSERT_TRUE(loader->Add(c));
  }
  std::vector<BulkProblem> problems;
  ASSERT_FALSE(loader->Finish(problems, "test"));
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].error.code, "import.two_heads");
}

TEST_F(RegistryTest, AbandonedLoaderRollsBack) {
  {
    auto loader = reg_->BeginBulkLoad(Officer()).value();
    ASSERT_TRUE(loader->Add(Person(Id(1, Sex::kMale, 2001, 5), "Phạm Văn E", Sex::kMale,
                                   Date(2001, 1, 1), "00004")));
  }
  EXPECT_EQ(reg_->CountCitizens().value(), 4);
  // The write lock was released: events work again.
  CorrectionRequest fix{single_.id, "doc 1"};
  fix.religion = "Công giáo";
  EXPECT_TRUE(reg_->CorrectDetails(fix, Officer()));
}

}  // namespace
}  // namespace dancu::registry::testing
