// End to end: the access log of the real `dancu serve`. A verification and a
// staff read are logged; the signed head, an inclusion proof, the entry and
// the public key are fetched, saved to files and checked offline by
// `dancu audit verify` (and tampered copies are rejected); a later head is
// checked for consistency offline and against the live server.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>

#include "e2e/family_server.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace dancu::testing {
namespace {

using boost::beast::http::verb;
using dancu::test::HttpResult;

class AuditE2eTest : public FamilyServerTest {
 protected:
  std::string Save(const std::string& name, const std::string& body) {
    std::string path = (files_.path() / name).string();
    std::ofstream(path) << body;
    return path;
  }
  // POST /v1/audit/tree-head: a head for everything logged so far.
  boost::json::object SignHead() {
    HttpResult r = Call(verb::post, "/v1/audit/tree-head");
    EXPECT_EQ(r.status, 200u) << r.body;
    return Json(r);
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

  TempDir files_;
};

TEST_F(AuditE2eTest, AccessesAreLoggedAndProvenOffline) {
  const uint64_t before = SignHead().at("size").as_int64();
  HttpResult v =
      Call(verb::post, "/v1/verify",
           R"({"id":"001085123456","full_name":"Nguyễn Văn An","date_of_birth":"1985-03-14"})");
  ASSERT_EQ(v.status, 200u) << v.body;
  ASSERT_EQ(Call(verb::get, "/v1/citizens/001188234567").status, 200u);

  boost::json::object head = SignHead();
  const uint64_t size = head.at("size").as_int64();
  ASSERT_EQ(size, before + 2);
  EXPECT_EQ(head.size(), 4u);  // exactly {"size","root_hash","timestamp","signature"}
  for (const char* k : {"size", "root_hash", "timestamp", "signature"}) {
    EXPECT_TRUE(head.contains(k)) << k;
  }

  // The public GET routes need no credentials; entries do.
  dancu::test::HttpClient anonymous("127.0.0.1", server_->port());
  HttpResult public_head = anonymous.Request(verb::get, "/v1/audit/tree-head");
  ASSERT_EQ(public_head.status, 200u);
  EXPECT_EQ(boost::json::parse(public_head.body).at("size").as_int64(), int64_t(size));
  const uint64_t index = before;  // the verification
  std::string query = "?index=" + std::to_string(index) + "&size=" + std::to_string(size);
  HttpResult proof = anonymous.Request(verb::get, "/v1/audit/proof/inclusion" + query);
  ASSERT_EQ(proof.status, 200u) << proof.body;
  boost::json::object p = boost::json::parse(proof.body).as_object();
  EXPECT_EQ(p.at("leaf_index").as_int64(), int64_t(index));
  EXPECT_EQ(p.at("tree_size").as_int64(), int64_t(size));
  EXPECT_EQ(anonymous.Request(verb::get, "/v1/audit/entries/0").status, 401u);
  HttpResult key = anonymous.Request(verb::get, "/v1/audit/public-key");
  ASSERT_EQ(key.status, 200u);
  HttpResult entry = Call(verb::get, "/v1/audit/entries/" + std::to_string(index));
  ASSERT_EQ(entry.status, 200u) << entry.body;

  // What the entry says: who, what, outcome; never the id or a value.
  boost::json::object e = Json(entry).at("entry").as_object();
  EXPECT_EQ(e.at("operation").as_string(), "verify");
  EXPECT_EQ(e.at("actor").at("kind").as_string(), "staff");
  EXPECT_EQ(e.at("outcome").as_string(), "MATCH");
  EXPECT_EQ(boost::json::serialize(e.at("fields")), R"(["id","full_name","date_of_birth"])");
  EXPECT_EQ(entry.body.find("001085123456"), std::string::npos);
  EXPECT_EQ(entry.body.find("1985"), std::string::npos);
  EXPECT_EQ(entry.body.find("An\""), std::string::npos);
  boost::json::object read = Json(Call(verb::get, "/v1/audit/entries/" + std::to_string(index + 1)))
                                 .at("entry")
                                 .as_object();
  EXPECT_EQ(read.at("operation").as_string(), "read");

  std::string head_file = Save("head.json", boost::json::serialize(head));
  std::string key_file = Save("key.json", key.body);
  std::string proof_file = Save("proof.json", proof.body);
  std::string entry_file = Save("entry.json", entry.body);
  auto ok = RunDancu({"audit", "verify", "--head", head_file, "--key", key_file, "--proof",
                      proof_file, "--entry", entry_file});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("OK: inclusion of entry " + std::to_string(index)), std::string::npos)
      << ok.out;

  // Tampered copies: each is a specific failure, exit 1.
  boost::json::object bad = p;
  std::string first = std::string(bad["audit_path"].as_array()[0].as_string());
  first[0] = first[0] == 'A' ? 'B' : 'A';
  bad["audit_path"].as_array()[0] = first;
  auto tampered = RunDancu({"audit", "verify", "--head", head_file, "--key", key_file, "--proof",
                            Save("bad-proof.json", boost::json::serialize(bad))});
  EXPECT_EQ(tampered.exit_code, 1) << tampered.out;
  EXPECT_NE(tampered.out.find("FAILED: "), std::string::npos) << tampered.out;
  boost::json::object forged = head;
  forged["size"] = size + 1;
  auto forged_run =
      RunDancu({"audit", "verify", "--head", Save("forged.json", boost::json::serialize(forged)),
                "--key", key_file});
  EXPECT_EQ(forged_run.exit_code, 1);
  EXPECT_NE(forged_run.out.find("signature does not verify"), std::string::npos) << forged_run.out;
  HttpResult other_entry = Call(verb::get, "/v1/audit/entries/" + std::to_string(index + 1));
  auto wrong_entry = RunDancu({"audit", "verify", "--head", head_file, "--key", key_file, "--proof",
                               proof_file, "--entry", Save("other-entry.json", other_entry.body)});
  EXPECT_EQ(wrong_entry.exit_code, 1) << wrong_entry.out;

  // A later head: consistent with the saved one, offline and live.
  ASSERT_EQ(Call(verb::get, "/v1/citizens/001085123456").status, 200u);
  boost::json::object later = SignHead();
  ASSERT_EQ(later.at("size").as_int64(), int64_t(size + 1));
  HttpResult consistency =
      anonymous.Request(verb::get, "/v1/audit/proof/consistency?first=" + std::to_string(size) +
                                       "&second=" + std::to_string(size + 1));
  ASSERT_EQ(consistency.status, 200u) << consistency.body;
  auto offline = RunDancu({"audit", "verify", "--head", head_file, "--key", key_file, "--new-head",
                           Save("later.json", boost::json::serialize(later)), "--consistency",
                           Save("consistency.json", consistency.body)});
  EXPECT_EQ(offline.exit_code, 0) << offline.out << offline.err;
  auto live = RunDancu({"audit", "verify", "--head", head_file, "--server", Url()});
  EXPECT_EQ(live.exit_code, 0) << live.out << live.err;
  EXPECT_NE(live.out.find("OK: consistency"), std::string::npos) << live.out;

  // `dancu audit head` reads the same signed head from the data directory.
  auto cli_head = RunDancu({"audit", "head", "--data", dir_->path().string()});
  ASSERT_EQ(cli_head.exit_code, 0) << cli_head.err;
  EXPECT_EQ(boost::json::parse(cli_head.out).at("size").as_int64(), int64_t(size + 1));
}

TEST_F(AuditE2eTest, BadParametersAreProblems) {
  dancu::test::HttpClient anonymous("127.0.0.1", server_->port());
  auto code = [&](const std::string& target) {
    HttpResult r = anonymous.Request(verb::get, target);
    return std::to_string(r.status) + " " +
           std::string(boost::json::parse(r.body).at("code").as_string());
  };
  EXPECT_EQ(code("/v1/audit/proof/inclusion?size=1"), "400 request.missing_field");
  EXPECT_EQ(code("/v1/audit/proof/inclusion?index=-1&size=1"), "400 request.bad_parameter");
  EXPECT_EQ(code("/v1/audit/proof/inclusion?index=0&size=999999"), "400 audit.size_out_of_range");
  EXPECT_EQ(code("/v1/audit/proof/consistency?first=0&second=0"), "400 audit.bad_range");
  HttpResult missing = Call(verb::get, "/v1/audit/entries/999999");
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(Json(missing).at("code").as_string(), "audit.entry_not_found");
}

}  // namespace
}  // namespace dancu::testing
