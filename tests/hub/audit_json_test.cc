// The access log's wire shapes: round trips, and every malformed or
// inconsistent document a user might hand to `dancu audit verify` is a
// specific audit.bad_json error naming the member.
#include "hub/audit_json.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "crypto/encoding.h"

namespace dancu::hub {
namespace {

AuditEntry SampleEntry() {
  AuditEntry e;
  e.index = 7;
  e.time = "2026-11-23T06:00:00.000001Z";
  e.actor_kind = ActorKind::kAgency;
  e.actor = "bank-a";
  e.subject = "abc";
  e.operation = "verify";
  e.fields = "id,full_name";
  e.purpose = "kyc \"quoted\"\n";
  e.outcome = "MATCH";
  return e;
}

TEST(AuditJsonTest, LeafDataIsCanonicalJson) {
  AuditEntry e = SampleEntry();
  EXPECT_EQ(LeafData(e),
            "{\"v\":1,\"index\":7,\"time\":\"2026-11-23T06:00:00.000001Z\",\"actor\":{\"kind\":"
            "\"agency\",\"id\":\"bank-a\"},\"subject\":\"abc\",\"operation\":\"verify\","
            "\"fields\":[\"id\",\"full_name\"],\"purpose\":\"kyc \\\"quoted\\\"\\u000a\","
            "\"outcome\":\"MATCH\"}");
  e.fields = "";
  EXPECT_NE(LeafData(e).find("\"fields\":[]"), std::string::npos);
  boost::json::value v = boost::json::parse(LeafData(SampleEntry()));
  EXPECT_EQ(v.at("purpose").as_string(), "kyc \"quoted\"\n");
}

TEST(AuditJsonTest, EntriesRoundTripAndTamperingIsDetected) {
  boost::json::object o = EntryToJson(SampleEntry());
  auto m = EntryFromJson(o);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->index, 7u);
  EXPECT_EQ(m->leaf_hash, LeafHash(LeafData(SampleEntry())));

  boost::json::object shown = o;
  shown["entry"].as_object()["actor"].as_object()["id"] = "bank-b";
  EXPECT_EQ(EntryFromJson(shown).error().field, "entry");

  boost::json::object other_data = o;
  AuditEntry e = SampleEntry();
  e.outcome = "MISMATCH";
  other_data["leaf_data"] = crypto::Base64Encode(LeafData(e));
  EXPECT_EQ(EntryFromJson(other_data).error().field, "leaf_data");

  boost::json::object moved = EntryToJson(SampleEntry());
  moved["index"] = 8;
  EXPECT_EQ(EntryFromJson(moved).error().field, "index");
}

TEST(AuditJsonTest, HeadsAndProofsRoundTrip) {
  TreeHead h;
  h.size = 42;
  h.root_hash = LeafHash("x");
  h.timestamp = 1'780'000'000'123;
  h.signature = std::string(64, '\x05');
  auto back = TreeHeadFromJson(ToJson(h));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->size, 42u);
  EXPECT_EQ(back->root_hash, h.root_hash);
  EXPECT_EQ(back->timestamp, h.timestamp);
  EXPECT_EQ(back->signature, h.signature);

  InclusionProofMessage p{3, 9, LeafHash("a"), {LeafHash("b"), LeafHash("c")}};
  auto pb = InclusionProofFromJson(ToJson(p));
  ASSERT_TRUE(pb);
  EXPECT_EQ(pb->audit_path, p.audit_path);
  ConsistencyProofMessage c{2, 9, {LeafHash("d")}};
  auto cb = ConsistencyProofFromJson(ToJson(c));
  ASSERT_TRUE(cb);
  EXPECT_EQ(cb->proof, c.proof);
}

TEST(AuditJsonTest, MalformedDocumentsNameTheMember) {
  auto field = [](const Result<TreeHead>& r) { return r ? "" : r.error().field; };
  EXPECT_EQ(field(TreeHeadFromJson(boost::json::parse("[1]"))), "");
  EXPECT_EQ(TreeHeadFromJson(boost::json::parse("[1]")).error().code, "audit.bad_json");
  EXPECT_EQ(field(TreeHeadFromJson(
                boost::json::parse(R"({"root_hash":"","timestamp":1,"signature":""})"))),
            "size");
  EXPECT_EQ(field(TreeHeadFromJson(
                boost::json::parse(R"({"size":-1,"root_hash":"","timestamp":1,"signature":""})"))),
            "size");
  EXPECT_EQ(field(TreeHeadFromJson(boost::json::parse(
                R"({"size":1,"root_hash":"AAAA","timestamp":1,"signature":""})"))),
            "root_hash");
  EXPECT_EQ(field(TreeHeadFromJson(
                boost::json::parse(R"({"size":1,"root_hash":"!!","timestamp":1,"signature":""})"))),
            "root_hash");
  auto bad_path = InclusionProofFromJson(boost::json::parse(
      R"({"leaf_index":0,"tree_size":1,"leaf_hash":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","audit_path":["AA=="]})"));
  ASSERT_FALSE(bad_path);
  EXPECT_EQ(bad_path.error().field, "audit_path[0]");
  auto no_proof = ConsistencyProofFromJson(boost::json::parse(R"({"first":1,"second":2})"));
  ASSERT_FALSE(no_proof);
  EXPECT_EQ(no_proof.error().field, "proof");
}

}  // namespace
}  // namespace dancu::hub
