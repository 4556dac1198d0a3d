// The minimizer (hub/minimizer.h): personal fields outside the policy are
// removed wherever they are, the citizen id becomes the pseudonym,
// verification outcomes and nulls stay, a second pass changes nothing.
#include "hub/minimizer.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace dancu::hub {
namespace {

Grant GrantWith(std::vector<std::string> fields) {
  auto policy = std::make_shared<Policy>();
  policy->fields = std::move(fields);
  std::sort(policy->fields.begin(), policy->fields.end());
  return Grant{false, "bank", "bank.1", policy};
}

std::string Pseudonym(const CitizenId& id) { return "pt_of_" + id.ToString(); }

TEST(MinimizerTest, RemovesWhatThePolicyDoesNotAllowAtAnyDepth) {
  boost::json::value v = boost::json::parse(R"({
    "citizen_id": "001085123456",
    "full_name": "Nguyễn Văn An",
    "note": "kept: not a personal field",
    "status": "MATCH",
    "fields": {"full_name": {"result": "match", "level": "exact", "score": 100},
               "permanent_address": {"result": "partial",
                                     "commune_code": {"result": "match"},
                                     "address": {"result": "mismatch"}}},
    "sneaky": {"full_name": {"result": "match", "value": "Nguyễn Văn An"}},
    "list": [{"date_of_birth": "1985-03-14", "sex": "male", "date_of_death": null}],
    "data": {"father_id": "001060000001", "religion": "Phật giáo"}
  })");
  size_t changed = Minimize(GrantWith({"sex"}), Pseudonym, v);
  const auto& o = v.as_object();
  EXPECT_EQ(o.at("citizen_id").as_string(), "pt_of_001085123456");
  EXPECT_FALSE(o.contains("full_name"));
  EXPECT_EQ(o.at("note").as_string(), "kept: not a personal field");
  EXPECT_EQ(o.at("status").as_string(), "MATCH");
  // Outcomes are not values.
  EXPECT_EQ(o.at("fields").at("full_name").at("score").as_int64(), 100);
  EXPECT_EQ(o.at("fields").at("permanent_address").at("address").at("result").as_string(),
            "mismatch");
  // An "outcome" that smuggles a value is a value.
  EXPECT_FALSE(o.at("sneaky").as_object().contains("full_name"));
  const auto& item = o.at("list").as_array()[0].as_object();
  EXPECT_FALSE(item.contains("date_of_birth"));
  EXPECT_EQ(item.at("sex").as_string(), "male");  // allowed
  EXPECT_TRUE(item.at("date_of_death").is_null());
  EXPECT_TRUE(o.at("data").as_object().empty());
  EXPECT_EQ(changed, 6u);
  EXPECT_EQ(DisclosedFields(v), "citizen_id,sex");

  // Idempotent: the pseudonym stays, nothing more is removed.
  std::string once = boost::json::serialize(v);
  EXPECT_EQ(Minimize(GrantWith({"sex"}), Pseudonym, v), 0u);
  EXPECT_EQ(boost::json::serialize(v), once);
}

TEST(MinimizerTest, AllowedFieldsAndStaffKeepEverything) {
  const char* text = R"({"citizen_id":"001085123456","full_name":"An"})";
  boost::json::value v = boost::json::parse(text);
  EXPECT_EQ(Minimize(GrantWith({"citizen_id", "full_name"}), Pseudonym, v), 0u);
  EXPECT_EQ(v.at("citizen_id").as_string(), "001085123456");
  boost::json::value staff = boost::json::parse(text);
  EXPECT_EQ(Minimize(Grant{.unrestricted = true}, Pseudonym, staff), 0u);
  EXPECT_EQ(staff.at("full_name").as_string(), "An");
  // A citizen_id that is no id is removed, not pseudonymized.
  boost::json::value junk = boost::json::parse(R"({"citizen_id":"hello"})");
  Minimize(GrantWith({}), Pseudonym, junk);
  EXPECT_FALSE(junk.as_object().contains("citizen_id"));
}

TEST(MinimizerTest, CsvReportIdsBecomePseudonyms) {
  const char* report =
      "line,status,id,full_name,suggested_id,reason\n"
      "2,MISMATCH,match,mismatch,001085123456,\"a reason, quoted\"\n"
      "3,NOT_FOUND,,,,\n";
  auto out = MinimizeCsvIds(GrantWith({"full_name"}), Pseudonym, report, "suggested_id");
  ASSERT_TRUE(out);
  EXPECT_EQ(*out,
            "line,status,id,full_name,suggested_id,reason\n"
            "2,MISMATCH,match,mismatch,pt_of_001085123456,\"a reason, quoted\"\n"
            "3,NOT_FOUND,,,,\n");
  auto allowed = MinimizeCsvIds(GrantWith({"citizen_id"}), Pseudonym, report, "suggested_id");
  ASSERT_TRUE(allowed);
  EXPECT_EQ(*allowed, report);
  EXPECT_FALSE(MinimizeCsvIds(GrantWith({}), Pseudonym, "a,b\n\"unclosed\n", "b"));
}

}  // namespace
}  // namespace dancu::hub
