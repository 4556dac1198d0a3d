// Bulk loading is all or nothing, and checks what single rows cannot.
#include "registry/registry_fixture.h"

namespace dancu::registry::testing {
namespace {

// A register with nothing in it yet, where a bulk load drops the indexes and
// checks everything in memory.
class EmptyRegisterTest : public ::testing::Test {
 protected:
  EmptyRegisterTest() : clock_(At(2026, 11, 23)), random_(7) {}
  void SetUp() override {
    where_.emplace(dir_.path() / "register.db");
    db_ = where_->Open().value();
    reg_ = Registry::Open(*db_, clock_, random_).value();
  }
  static Citizen Member(uint32_t serial, int64_t household, std::optional<Relationship> r) {
    Citizen c = Person(Id(1, Sex::kMale, 2001, serial), "Phạm Văn E", Sex::kMale,
                       Date(2001, 1, 1), "00004");
    c.household_id = household;
    c.relationship_to_head = r;
    return c;
  }
  // Loads `rows` and returns the problems of a failed Finish.
  std::vector<BulkProblem> LoadExpectingProblems(const std::vector<Citizen>& rows) {
    auto loader = reg_->BeginBulkLoad(WriteContext{"test", "", {}, {}}).value();
    for (const Citizen& c : rows) EXPECT_TRUE(loader->Add(c));
    std::vector<BulkProblem> problems;
    auto r = loader->Finish(problems, "test");
    EXPECT_FALSE(r);
    if (!r) {
      EXPECT_EQ(r.error().code, "import.invalid_rows");
    }
    return problems;
  }

  dancu::testing::TempDir dir_;
  std::optional<dancu::testing::TestDatabase> where_;
  ManualClock clock_;
  SeededRandom random_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<Registry> reg_;
};

TEST_F(EmptyRegisterTest, RepeatedIdsAreReportedAtEveryLaterRow) {
  Citizen a = Member(1, 1, Relationship::kHead);
  Citizen b = Member(2, 1, Relationship::kChild);
  auto problems = LoadExpectingProblems({a, b, a, b, a});
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].row, 2);
  EXPECT_EQ(problems[1].row, 3);
  EXPECT_EQ(problems[2].row, 4);
  for (const auto& p : problems) {
    EXPECT_EQ(p.error.code, "conflict.citizen_exists");
    EXPECT_EQ(p.error.field, "id");
  }
  EXPECT_EQ(problems[1].id, b.id);
  EXPECT_EQ(reg_->CountCitizens().value(), 0);
}

TEST_F(EmptyRegisterTest, EveryHeadOfAHouseholdWithTwoIsReported) {
  auto problems = LoadExpectingProblems({Member(1, 5, Relationship::kHead),
                                         Member(2, 6, Relationship::kHead),
                                         Member(3, 5, Relationship::kHead)});
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].error.code, "import.two_heads");
  EXPECT_EQ(problems[0].row, 0);
  EXPECT_EQ(problems[1].row, 2);
  EXPECT_FALSE(reg_->GetHousehold(6));  // rolled back with the rest
}

TEST_F(EmptyRegisterTest, RowProblemsComeInRowAndColumnOrder) {
  Citizen head = Member(1, 1, Relationship::kHead);
  Citizen lost = Member(2, 9, std::nullopt);  // no head, no relationship
  lost.mother_id = Id(1, Sex::kFemale, 1970, 7);
  lost.spouse_id = Id(1, Sex::kFemale, 2001, 8);
  Citizen fine = Member(3, 1, Relationship::kChild);
  fine.father_id = head.id;  // found in the load
  Citizen orphan = Member(4, 1, Relationship::kChild);
  orphan.father_id = Id(1, Sex::kMale, 1970, 9);
  auto problems = LoadExpectingProblems({head, lost, fine, orphan});
  std::vector<std::pair<int64_t, std::string>> got;
  for (const auto& p : problems) got.emplace_back(p.row, p.error.code + "/" + p.error.field);
  EXPECT_EQ(got, (std::vector<std::pair<int64_t, std::string>>{
                     {1, "import.household_without_head/household_id"},
                     {1, "import.missing_relationship/relationship_to_head"},
                     {1, "import.unknown_reference/mother_id"},
                     {1, "import.unknown_reference/spouse_id"},
                     {3, "import.unknown_reference/father_id"}}));
  EXPECT_EQ(problems[0].id, lost.id);
}

TEST_F(EmptyRegisterTest, MembersMayComeBeforeTheirHead) {
  Citizen child = Member(2, 3, Relationship::kChild);
  Citizen head = Member(1, 3, Relationship::kHead);
  child.father_id = head.id;
  Citizen wife = Member(5, 3, Relationship::kSpouse);
  wife.spouse_id = head.id;
  head.spouse_id = wife.id;  // a reference to a later row
  auto loader = reg_->BeginBulkLoad(WriteContext{"test", "", {}, {}}).value();
  for (const Citizen* c : {&child, &head, &wife}) {
    auto added = loader->Add(*c);
    ASSERT_TRUE(added) << added.error().message;
  }
  std::vector<BulkProblem> problems;
  auto done = loader->Finish(problems, "test");
  for (const auto& p : problems) ADD_FAILURE() << p.row << ": " << p.error.code;
  ASSERT_TRUE(done) << done.error().message;
  loader.reset();
  auto h = reg_->GetHousehold(3).value();
  EXPECT_EQ(h.head_id, head.id);
  EXPECT_EQ(h.members.size(), 3u);
}

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

TEST_F(RegistryTest, ReferencesAndHouseholdsMayBeInTheRegister) {
  auto loader = reg_->BeginBulkLoad(Officer()).value();
  Citizen daughter = Person(Id(1, Sex::kFemale, 2018, 77), "Nguyễn Thị Hà", Sex::kFemale,
                            Date(2018, 5, 5), "00004");
  daughter.father_id = husband_.id;
  daughter.mother_id = wife_.id;
  daughter.household_id = 1;
  daughter.relationship_to_head = Relationship::kChild;
  ASSERT_TRUE(loader->Add(daughter));
  std::vector<BulkProblem> problems;
  auto done = loader->Finish(problems, "test");
  ASSERT_TRUE(done) << done.error().message;
  loader.reset();
  EXPECT_EQ(reg_->GetHousehold(1).value().members.size(), 4u);
}

TEST_F(RegistryTest, AHeadForAHouseholdWithAHeadInTheRegisterIsASecondHead) {
  auto loader = reg_->BeginBulkLoad(Officer()).value();
  Citizen usurper = Person(Id(1, Sex::kMale, 2001, 5), "Phạm Văn E", Sex::kMale,
                           Date(2001, 1, 1), "00004");
  usurper.household_id = 1;
  usurper.relationship_to_head = Relationship::kHead;
  ASSERT_TRUE(loader->Add(usurper));
  std::vector<BulkProblem> problems;
  ASSERT_FALSE(loader->Finish(problems, "test"));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].error.code, "import.two_heads");
  EXPECT_EQ(problems[0].id, usurper.id);
}

TEST_F(RegistryTest, AHeadForAHouseholdIdInUseIsHouseholdExists) {
  // Household 2 in the register, but its head row no longer says "head".
  {
    auto c = db_->Connect().value();
    ASSERT_TRUE(c->Exec("UPDATE citizens SET relationship = 'other' WHERE household_id = 2"));
  }
  auto loader = reg_->BeginBulkLoad(Officer()).value();
  Citizen founder = Person(Id(1, Sex::kMale, 2001, 5), "Phạm Văn E", Sex::kMale,
                           Date(2001, 1, 1), "00004");
  founder.household_id = 2;
  founder.relationship_to_head = Relationship::kHead;
  ASSERT_TRUE(loader->Add(founder));
  std::vector<BulkProblem> problems;
  ASSERT_FALSE(loader->Finish(problems, "test"));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].error.code, "import.household_exists");
  EXPECT_EQ(problems[0].error.field, "household_id");
}

TEST_F(RegistryTest, ProblemRowsCountRejectedAdds) {
  auto loader = reg_->BeginBulkLoad(Officer()).value();
  ASSERT_FALSE(loader->Add(single_));  // call 0: already in the register
  Citizen orphan = Person(Id(1, Sex::kMale, 2001, 5), "Phạm Văn E", Sex::kMale,
                          Date(2001, 1, 1), "00004");
  orphan.father_id = Id(1, Sex::kMale, 1970, 999999);
  ASSERT_TRUE(loader->Add(orphan));  // call 1
  std::vector<BulkProblem> problems;
  ASSERT_FALSE(loader->Finish(problems, "test"));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].row, 1);
  EXPECT_EQ(problems[0].error.code, "import.unknown_reference");
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
