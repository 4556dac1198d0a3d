// Sectoral data sync, the hub side: validation of the four record types
// (hub/sectoral_record.h) with each kind of bad input, the checks against a
// small register (hub/sectoral_sync.h), and the linked documents in hub.db
// (hub/linked_documents.h): listing, replacement by a newer record, and a
// failed Link that stores nothing.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "hub/hub_db.h"
#include "hub/linked_documents.h"
#include "hub/sectoral_record.h"
#include "hub/sectoral_sync.h"
#include "support/temp_dir.h"
#include "verify/verifier_fixture.h"

namespace dancu::hub {
namespace {

using namespace std::chrono;

constexpr year_month_day kToday{year{2026}, November, day{23}};
// Nguyễn Văn An of the registry fixture (born 1985-03-14 in Hà Nội).
const std::string kAn = CitizenId::Make(1, Sex::kMale, 1985, 123456).value().ToString();

SectoralInput Card(std::string_view number = "DN4010123456789") {
  SectoralInput in;
  in.type = "health_insurance";
  in.number = number;
  in.valid_from = "2026-01-01";
  in.valid_to = "2026-12-31";
  in.citizen_id = kAn;
  return in;
}

SectoralInput Licence(std::string_view cls, std::string_view expiry) {
  SectoralInput in;
  in.type = "driver_licence";
  in.number = "010123456789";
  in.licence_class = cls;
  in.expiry = expiry;
  in.citizen_id = kAn;
  return in;
}

SectoralInput Number(std::string_view type, std::string_view number) {
  SectoralInput in;
  in.type = type;
  in.number = number;
  in.citizen_id = kAn;
  return in;
}

// The error code (and field) of a record that must be refused.
std::string Refused(const SectoralInput& in, std::string* field = nullptr) {
  auto r = ValidateSectoralRecord(in, kToday);
  if (r) return "accepted";
  if (field != nullptr) *field = r.error().field;
  return r.error().code;
}

TEST(SectoralRecordTest, AcceptsAHealthInsuranceCard) {
  auto in = Card("dn4010123456789");  // lower case is upper-cased
  in.full_name = "Nguyễn Văn An";
  in.date_of_birth = "14/03/1985";
  in.sex = "nam";
  auto r = ValidateSectoralRecord(in, kToday);
  ASSERT_TRUE(r) << r.error().code << " " << r.error().message;
  EXPECT_EQ(r->type, DocumentType::kHealthInsurance);
  EXPECT_EQ(r->number, "DN4010123456789");
  EXPECT_EQ(r->citizen_id.ToString(), kAn);
  EXPECT_EQ(AttributesJson(*r), R"({"valid_from":"2026-01-01","valid_to":"2026-12-31"})");
  EXPECT_EQ(CheckedFieldNames(*r), "citizen_id,full_name,date_of_birth,sex");
  ASSERT_TRUE(r->person.date_of_birth);
  EXPECT_EQ(r->person.date_of_birth->ToString(), "1985-03-14");
}

TEST(SectoralRecordTest, RefusesBadHealthInsuranceCards) {
  std::string field;
  EXPECT_EQ(Refused(Card("DN401012345678"), &field), "sectoral.bad_card_number");  // 14 chars
  EXPECT_EQ(field, "number");
  EXPECT_EQ(Refused(Card("D14010123456789")), "sectoral.bad_card_number");  // object code
  EXPECT_EQ(Refused(Card("DN6010123456789")), "sectoral.bad_card_number");  // benefit level 6
  EXPECT_EQ(Refused(Card("DN0010123456789")), "sectoral.bad_card_number");  // benefit level 0
  EXPECT_EQ(Refused(Card("DN4000123456789")), "sectoral.bad_card_number");  // province 00
  EXPECT_EQ(Refused(Card("DN4X10123456789")), "sectoral.bad_card_number");  // province
  EXPECT_EQ(Refused(Card("DN40101234567X9")), "sectoral.bad_card_number");  // BHXH number
  EXPECT_EQ(Refused(Card("")), "sectoral.missing_field");

  auto backwards = Card();
  backwards.valid_from = "2027-01-01";
  EXPECT_EQ(Refused(backwards, &field), "sectoral.bad_validity");
  auto partial = Card();
  partial.valid_to = "2026-12";
  EXPECT_EQ(Refused(partial, &field), "sectoral.partial_date");
  EXPECT_EQ(field, "valid_to");
  auto impossible = Card();
  impossible.valid_to = "31/02/2026";
  EXPECT_EQ(Refused(impossible, &field), "date.impossible");
  EXPECT_EQ(field, "valid_to");
  auto open = Card();
  open.valid_to = "";
  EXPECT_EQ(Refused(open, &field), "sectoral.missing_field");
  EXPECT_EQ(field, "valid_to");
  auto with_class = Card();
  with_class.licence_class = "B";
  EXPECT_EQ(Refused(with_class, &field), "sectoral.unexpected_field");
  EXPECT_EQ(field, "class");
}

TEST(SectoralRecordTest, DriverLicenceClassesOfBothLaws) {
  // Pre-2025 classes and 2025 classes, with their expiry rules.
  for (std::string_view cls : {"A1", "A2", "A3", "A"}) {
    EXPECT_EQ(Refused(Licence(cls, "")), "accepted") << cls;
    EXPECT_EQ(Refused(Licence(cls, "2030-01-01")), "sectoral.unexpected_field") << cls;
  }
  for (std::string_view cls : {"A4", "B2", "C", "D", "E", "FB2", "FC", "FD", "FE", "B", "C1", "D1",
                               "D2", "BE", "C1E", "CE", "D1E", "D2E", "DE"}) {
    EXPECT_EQ(Refused(Licence(cls, "2030-01-01")), "accepted") << cls;
    EXPECT_EQ(Refused(Licence(cls, "")), "sectoral.missing_expiry") << cls;
  }
  EXPECT_EQ(Refused(Licence("B1", "")), "accepted");            // 2025: no expiry
  EXPECT_EQ(Refused(Licence("B1", "2040-05-01")), "accepted");  // pre-2025: to retirement
  EXPECT_EQ(Refused(Licence("b2", "2030-01-01")), "accepted");  // case-insensitive

  auto r = ValidateSectoralRecord(Licence("c1e", "2031-06-30"), kToday);
  ASSERT_TRUE(r);
  EXPECT_EQ(AttributesJson(*r), R"({"class":"C1E","expiry":"2031-06-30"})");

  std::string field;
  EXPECT_EQ(Refused(Licence("B3", "2030-01-01"), &field), "sectoral.bad_licence_class");
  EXPECT_EQ(field, "class");
  EXPECT_EQ(Refused(Licence("", "2030-01-01"), &field), "sectoral.missing_field");
  EXPECT_EQ(field, "class");
  auto short_number = Licence("B", "2030-01-01");
  short_number.number = "01012345678";
  EXPECT_EQ(Refused(short_number, &field), "sectoral.bad_licence_number");
  auto letters = Licence("B", "2030-01-01");
  letters.number = "01012345678A";
  EXPECT_EQ(Refused(letters), "sectoral.bad_licence_number");
  EXPECT_EQ(Refused(Licence("B", "2030")), "sectoral.partial_date");
  auto validity = Licence("B", "2030-01-01");
  validity.valid_from = "2020-01-01";
  EXPECT_EQ(Refused(validity), "sectoral.unexpected_field");
}

TEST(SectoralRecordTest, TaxCodesAndSocialInsuranceNumbers) {
  EXPECT_EQ(Refused(Number("tax_code", "8012345678")), "accepted");
  EXPECT_EQ(Refused(Number("tax_code", kAn)), "accepted");  // since 2025: the person's own id
  std::string field;
  EXPECT_EQ(Refused(Number("tax_code", "001085999999"), &field), "sectoral.bad_tax_code");
  EXPECT_EQ(field, "number");
  EXPECT_EQ(Refused(Number("tax_code", "801234567")), "sectoral.bad_tax_code");
  EXPECT_EQ(Refused(Number("tax_code", "8012345678-001")), "sectoral.bad_tax_code");
  auto with_expiry = Number("tax_code", "8012345678");
  with_expiry.expiry = "2030-01-01";
  EXPECT_EQ(Refused(with_expiry), "sectoral.unexpected_field");

  EXPECT_EQ(Refused(Number("social_insurance", "0123456789")), "accepted");
  EXPECT_EQ(Refused(Number("social_insurance", "012345678")),
            "sectoral.bad_social_insurance_number");
  EXPECT_EQ(Refused(Number("social_insurance", "01234567890")),
            "sectoral.bad_social_insurance_number");
  auto r = ValidateSectoralRecord(Number("social_insurance", " 0123456789 "), kToday);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->number, "0123456789");
  EXPECT_EQ(AttributesJson(*r), "{}");
}

TEST(SectoralRecordTest, TypeAndPersonFields) {
  std::string field;
  EXPECT_EQ(Refused(Number("passport", "B1234567"), &field), "sectoral.bad_type");
  EXPECT_EQ(field, "type");
  EXPECT_EQ(Refused(Number("", "0123456789"), &field), "sectoral.missing_field");
  EXPECT_EQ(field, "type");

  auto no_id = Number("social_insurance", "0123456789");
  no_id.citizen_id = "";
  EXPECT_EQ(Refused(no_id, &field), "sectoral.missing_field");
  EXPECT_EQ(field, "citizen_id");
  auto bad_id = Number("social_insurance", "0123456789");
  bad_id.citizen_id = "12345";
  EXPECT_TRUE(Refused(bad_id, &field).starts_with("id."));
  EXPECT_EQ(field, "citizen_id");
  auto future = Number("social_insurance", "0123456789");
  future.date_of_birth = "2027-01-01";
  EXPECT_EQ(Refused(future, &field), "date.future");
  EXPECT_EQ(field, "date_of_birth");
  auto sex = Number("social_insurance", "0123456789");
  sex.sex = "x";
  EXPECT_EQ(Refused(sex, &field), "sex.invalid");
  auto name = Number("social_insurance", "0123456789");
  name.full_name = "   ";
  EXPECT_EQ(Refused(name), "accepted");  // blank = not given
}

// The checks against the registry fixture's register.
class SectoralSyncTest : public verify::testing::VerifierTestBase {
 protected:
  SyncOutcome Check(SectoralInput in) {
    auto r = ValidateSectoralRecord(in, kToday);
    EXPECT_TRUE(r) << r.error().code;
    return CheckRecord(*verifier_, *r);
  }
};

TEST_F(SectoralSyncTest, LinkedOnlyWhenEveryGivenFieldMatches) {
  auto in = Card();
  in.full_name = "Nguyễn Văn An";
  in.date_of_birth = "1985-03-14";
  in.sex = "male";
  EXPECT_EQ(Check(in).status, SyncStatus::kLinked);

  in.full_name = "Nguyen Van An";  // same after folding: a match
  EXPECT_EQ(Check(in).status, SyncStatus::kLinked);

  in.full_name = "Nguyễn Văn Anh";  // a typo is partial: not linked
  auto typo = Check(in);
  EXPECT_EQ(typo.status, SyncStatus::kMismatch);
  in.full_name = "Nguyễn Văn An";
  in.date_of_birth = "1985-03-15";
  auto wrong_date = Check(in);
  EXPECT_EQ(wrong_date.status, SyncStatus::kMismatch);
  bool date_mismatch = false;
  for (const auto& f : wrong_date.check.fields) {
    if (f.field == verify::Field::kDateOfBirth) {
      date_mismatch = f.result == verify::FieldResult::kMismatch;
    }
  }
  EXPECT_TRUE(date_mismatch);

  auto nobody = Card();
  nobody.citizen_id = CitizenId::Make(1, Sex::kMale, 1985, 999999).value().ToString();
  EXPECT_EQ(Check(nobody).status, SyncStatus::kNotFound);
  EXPECT_EQ(ToString(SyncStatus::kNotFound), "not_found");
  EXPECT_EQ(SyncFieldName(verify::Field::kId), "citizen_id");
}

class LinkedDocumentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = OpenHubDb(dir_.path());
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    auto docs = LinkedDocuments::Open(*db_, clock_);
    ASSERT_TRUE(docs) << docs.error().message;
    docs_ = std::move(*docs);
  }

  static SectoralRecord Record(SectoralInput in) {
    auto r = ValidateSectoralRecord(in, kToday);
    EXPECT_TRUE(r) << r.error().code;
    return r.value_or(SectoralRecord{});
  }
  std::vector<LinkedDocument> Of(const std::string& id) {
    auto list = docs_->ForCitizen(CitizenId::Parse(id).value());
    EXPECT_TRUE(list) << list.error().message;
    return list.value_or(std::vector<LinkedDocument>{});
  }

  dancu::testing::TempDir dir_;
  ManualClock clock_{Timestamp{sys_days{2026y / November / 23}.time_since_epoch()}};
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<LinkedDocuments> docs_;
};

TEST_F(LinkedDocumentsTest, ListsACitizensDocuments) {
  std::vector<SectoralRecord> batch = {Record(Card()), Record(Licence("B", "2035-02-01")),
                                       Record(Number("tax_code", "8012345678"))};
  ASSERT_TRUE(docs_->Link("bhxh-hanoi", batch));
  auto list = Of(kAn);
  ASSERT_EQ(list.size(), 3u);
  // By type name: driver_licence, health_insurance, tax_code.
  EXPECT_EQ(list[0].type, DocumentType::kDriverLicence);
  EXPECT_EQ(list[0].number, "010123456789");
  EXPECT_EQ(boost::json::parse(list[0].attributes).at("class").as_string(), "B");
  EXPECT_EQ(list[1].type, DocumentType::kHealthInsurance);
  EXPECT_EQ(list[1].agency, "bhxh-hanoi");
  EXPECT_EQ(list[1].submitted_at.substr(0, 10), "2026-11-23");
  EXPECT_EQ(list[2].type, DocumentType::kTaxCode);
  EXPECT_TRUE(Of(CitizenId::Make(1, Sex::kFemale, 1988, 234567).value().ToString()).empty());
}

TEST_F(LinkedDocumentsTest, ANewerRecordFromTheSameAgencyReplacesTheOlder) {
  ASSERT_TRUE(docs_->Link("bhxh-hanoi", std::vector{Record(Card("DN4010123456789"))}));
  clock_.Advance(hours(24));
  auto renewed = Card("HT3010123456789");
  renewed.valid_from = "2027-01-01";
  renewed.valid_to = "2027-12-31";
  ASSERT_TRUE(docs_->Link("bhxh-hanoi", std::vector{Record(renewed)}));
  auto list = Of(kAn);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].number, "HT3010123456789");
  EXPECT_EQ(boost::json::parse(list[0].attributes).at("valid_to").as_string(), "2027-12-31");
  EXPECT_EQ(list[0].submitted_at.substr(0, 10), "2026-11-24");

  // Another agency's card of the same type is another document.
  ASSERT_TRUE(docs_->Link("bhxh-hcm", std::vector{Record(Card("DN4790123456789"))}));
  EXPECT_EQ(Of(kAn).size(), 2u);

  // Within one call, the later record wins.
  ASSERT_TRUE(docs_->Link("sogtvt", std::vector{Record(Licence("B", "2030-01-01")),
                                                Record(Licence("C", "2031-01-01"))}));
  list = Of(kAn);
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(boost::json::parse(list[0].attributes).at("class").as_string(), "C");
}

TEST_F(LinkedDocumentsTest, AFailedLinkStoresNothing) {
  // The second record's insert fails (a trigger stands in for a storage
  // error): the first, already inserted in the transaction, must go too.
  auto conn = db_->Connect();
  ASSERT_TRUE(conn);
  ASSERT_TRUE(
      (*conn)->Exec("CREATE TRIGGER fail_second BEFORE INSERT ON linked_documents "
                    "WHEN NEW.type = 'tax_code' BEGIN SELECT RAISE(ABORT, 'disk full'); END;"));
  auto s = docs_->Link("bhxh-hanoi",
                       std::vector{Record(Card()), Record(Number("tax_code", "8012345678"))});
  ASSERT_FALSE(s);
  EXPECT_TRUE(s.error().code.starts_with("storage.")) << s.error().code;
  EXPECT_TRUE(Of(kAn).empty());
  // The connection is usable afterwards.
  ASSERT_TRUE(docs_->Link("bhxh-hanoi", std::vector{Record(Card())}));
  EXPECT_EQ(Of(kAn).size(), 1u);
}

}  // namespace
}  // namespace dancu::hub
