// dancu audit head | public-key | verify: the access log from the command
// line (issue 5, "Verification").
//
// `audit head --data DIR` prints the latest signed tree head stored in
// DIR/audit.db and `audit public-key --data DIR` its signing key's JWK; both
// only read, so they are safe beside a running server.
//
// `audit verify` checks, offline, what a user saved earlier:
//   --head FILE         a tree head (GET /v1/audit/tree-head); its signature
//                       is always checked, with
//   --key FILE          the public JWK (GET /v1/audit/public-key), or
//   --server URL        fetched from a running server (http:// only);
//   --proof FILE        an inclusion proof (GET /v1/audit/proof/inclusion)
//                       for the head's size, checked against its root;
//   --entry FILE        the entry (GET /v1/audit/entries/{index}) the proof
//                       is about: its leaf data must hash to the proof's leaf;
//   --new-head FILE     a later head, also signature-checked, and
//   --consistency FILE  the proof (GET /v1/audit/proof/consistency) that the
//                       earlier head's tree is a prefix of the later one.
// With --server and neither --new-head nor --proof, the server's current
// head and a consistency proof to it are fetched and checked: "is the log
// still the one I saved?".
// Each check prints "OK: ..."; the first failure prints "FAILED: ..." and
// exits 1 (2 for usage errors, e.g. --entry without --proof).
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "app/commands.h"
#include "crypto/ec_key.h"
#include "hub/audit_db.h"
#include "hub/audit_json.h"
#include "hub/audit_keys.h"
#include "hub/audit_log.h"
#include "storage/database.h"

namespace dancu::app {
namespace {

namespace beast = boost::beast;

Result<boost::json::value> ParseJson(std::string_view text, const std::string& what) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec) return Fail("audit.bad_json", what + " is not JSON: " + ec.message());
  return v;
}

Result<boost::json::value> ReadJsonFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail("audit.bad_file", path + ": cannot be read");
  std::ostringstream s;
  s << in.rdbuf();
  return ParseJson(s.str(), path);
}

// GET http://HOST:PORT/PATH, expecting 200 and JSON.
Result<boost::json::value> HttpGetJson(const std::string& base, const std::string& target) {
  std::string_view url = base;
  if (!url.starts_with("http://")) {
    return Fail("audit.bad_server", "--server must be an http:// URL (use saved files for https)");
  }
  url.remove_prefix(7);
  while (url.ends_with('/')) url.remove_suffix(1);
  size_t colon = url.rfind(':');
  std::string host(url.substr(0, colon));
  std::string port = colon == std::string_view::npos ? "80" : std::string(url.substr(colon + 1));
  try {
    boost::asio::io_context io;
    boost::asio::ip::tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(30));
    stream.connect(resolver.resolve(host, port));
    beast::http::request<beast::http::empty_body> req{beast::http::verb::get, target, 11};
    req.set(beast::http::field::host, host);
    req.set(beast::http::field::accept, "application/json");
    beast::http::write(stream, req);
    beast::flat_buffer buffer;
    beast::http::response<beast::http::string_body> res;
    beast::http::read(stream, buffer, res);
    boost::system::error_code ignored;
    stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    if (res.result_int() != 200) {
      return Fail("audit.server_error", "GET " + target + " answered " +
                                            std::to_string(res.result_int()) + ": " + res.body());
    }
    return ParseJson(res.body(), "GET " + target);
  } catch (const boost::system::system_error& e) {
    return Fail("audit.server_error", base + ": " + e.what());
  }
}

int Failed(const std::string& message) {
  std::printf("FAILED: %s\n", message.c_str());
  return 1;
}

int FailedWith(const Error& e, const std::string& what) {
  std::string m = what + ": " + e.message;
  if (!e.field.empty()) m += " (" + e.field + ")";
  return Failed(m);
}

std::string Describe(const hub::TreeHead& h) {
  return "size " + std::to_string(h.size) + ", root " + hub::HashToBase64(h.root_hash);
}

}  // namespace

int AuditHead(const std::string& data_dir) {
  if (!std::filesystem::exists(hub::AuditDbPath(data_dir))) {
    std::fprintf(stderr, "dancu: %s has no access log (audit.db)\n", data_dir.c_str());
    return 1;
  }
  auto db = storage::OpenSqlite(hub::AuditDbPath(data_dir));
  if (!db) {
    std::fprintf(stderr, "dancu: %s\n", db.error().message.c_str());
    return 1;
  }
  auto conn = (*db)->Connect();
  if (!conn) {
    std::fprintf(stderr, "dancu: %s\n", conn.error().message.c_str());
    return 1;
  }
  auto head = hub::ReadLatestHead(**conn);
  if (!head) {
    std::fprintf(stderr, "dancu: %s\n", head.error().message.c_str());
    return 1;
  }
  if (!*head) {
    std::fprintf(stderr, "dancu: no tree head has been signed yet\n");
    return 1;
  }
  std::printf("%s\n", boost::json::serialize(hub::ToJson(**head)).c_str());
  return 0;
}

int AuditPublicKey(const std::string& data_dir) {
  if (!std::filesystem::exists(std::filesystem::path(data_dir) / "audit-signing.pem")) {
    std::fprintf(stderr, "dancu: %s has no access log signing key\n", data_dir.c_str());
    return 1;
  }
  auto keys = hub::LoadOrCreateAuditKeys(data_dir);
  if (!keys) {
    std::fprintf(stderr, "dancu: %s\n", keys.error().message.c_str());
    return 1;
  }
  std::printf("%s\n",
              boost::json::serialize(keys->signing.PublicOnly().PublicJwk(keys->key_id)).c_str());
  return 0;
}

int AuditVerify(const AuditVerifyOptions& o) {
  if (o.key.empty() == o.server.empty()) {
    std::fprintf(stderr,
                 "dancu audit verify: give the public key with exactly one of --key or "
                 "--server\n");
    return 2;
  }
  if (!o.entry.empty() && o.proof.empty()) {
    std::fprintf(stderr, "dancu audit verify: --entry needs --proof\n");
    return 2;
  }
  if (o.new_head.empty() != o.consistency.empty()) {
    std::fprintf(stderr, "dancu audit verify: --new-head and --consistency go together\n");
    return 2;
  }

  // The key.
  auto jwk = o.key.empty() ? HttpGetJson(o.server, "/v1/audit/public-key") : ReadJsonFile(o.key);
  if (!jwk) return FailedWith(jwk.error(), "public key");
  if (!jwk->is_object()) return Failed("public key: not a JWK object");
  auto key = crypto::EcKey::FromPublicJwk(jwk->as_object());
  if (!key) return FailedWith(key.error(), "public key");

  auto load_head = [&](const std::string& path) -> Result<hub::TreeHead> {
    auto v = ReadJsonFile(path);
    if (!v) return std::unexpected(v.error());
    return hub::TreeHeadFromJson(*v);
  };
  auto head = load_head(o.head);
  if (!head) return FailedWith(head.error(), o.head);
  if (!hub::VerifyTreeHead(*head, *key)) {
    return Failed(o.head + ": the tree head's signature does not verify with this key");
  }
  std::printf("OK: tree head signature (%s)\n", Describe(*head).c_str());

  if (!o.proof.empty()) {
    auto v = ReadJsonFile(o.proof);
    if (!v) return FailedWith(v.error(), o.proof);
    auto proof = hub::InclusionProofFromJson(*v);
    if (!proof) return FailedWith(proof.error(), o.proof);
    if (proof->tree_size != head->size) {
      return Failed(o.proof + ": the proof is for size " + std::to_string(proof->tree_size) +
                    ", the head has size " + std::to_string(head->size));
    }
    if (!hub::VerifyInclusion(proof->leaf_index, proof->tree_size, proof->leaf_hash,
                              proof->audit_path, head->root_hash)) {
      return Failed(o.proof + ": entry " + std::to_string(proof->leaf_index) +
                    " is not included in the tree of the signed head");
    }
    std::printf("OK: inclusion of entry %llu in the tree of size %llu\n",
                static_cast<unsigned long long>(proof->leaf_index),
                static_cast<unsigned long long>(proof->tree_size));
    if (!o.entry.empty()) {
      auto ev = ReadJsonFile(o.entry);
      if (!ev) return FailedWith(ev.error(), o.entry);
      auto entry = hub::EntryFromJson(*ev);
      if (!entry) return FailedWith(entry.error(), o.entry);
      if (entry->index != proof->leaf_index || entry->leaf_hash != proof->leaf_hash) {
        return Failed(o.entry + ": this is not the entry the proof is about (index " +
                      std::to_string(entry->index) + ")");
      }
      std::printf("OK: entry %llu hashes to the proven leaf: %s\n",
                  static_cast<unsigned long long>(entry->index),
                  boost::json::serialize(entry->entry).c_str());
    }
  }

  // Consistency with a later head: given, or the server's current one.
  std::optional<hub::TreeHead> later;
  std::optional<hub::ConsistencyProofMessage> consistency;
  if (!o.new_head.empty()) {
    auto h = load_head(o.new_head);
    if (!h) return FailedWith(h.error(), o.new_head);
    later = *h;
    auto v = ReadJsonFile(o.consistency);
    if (!v) return FailedWith(v.error(), o.consistency);
    auto c = hub::ConsistencyProofFromJson(*v);
    if (!c) return FailedWith(c.error(), o.consistency);
    consistency = *c;
  } else if (!o.server.empty() && o.proof.empty()) {
    auto v = HttpGetJson(o.server, "/v1/audit/tree-head");
    if (!v) return FailedWith(v.error(), "current tree head");
    auto h = hub::TreeHeadFromJson(*v);
    if (!h) return FailedWith(h.error(), "current tree head");
    later = *h;
    if (head->size == 0) {
      consistency = hub::ConsistencyProofMessage{0, later->size, {}};
    } else {
      auto c =
          HttpGetJson(o.server, "/v1/audit/proof/consistency?first=" + std::to_string(head->size) +
                                    "&second=" + std::to_string(later->size));
      if (!c) return FailedWith(c.error(), "consistency proof");
      auto parsed = hub::ConsistencyProofFromJson(*c);
      if (!parsed) return FailedWith(parsed.error(), "consistency proof");
      consistency = *parsed;
    }
  }
  if (later) {
    if (!hub::VerifyTreeHead(*later, *key)) {
      return Failed("the later tree head's signature does not verify with this key");
    }
    std::printf("OK: later tree head signature (%s)\n", Describe(*later).c_str());
    if (consistency->first != head->size || consistency->second != later->size) {
      return Failed("the consistency proof is for sizes " + std::to_string(consistency->first) +
                    " -> " + std::to_string(consistency->second) + ", the heads have " +
                    std::to_string(head->size) + " -> " + std::to_string(later->size));
    }
    // Every tree extends the empty one; otherwise RFC 9162 §2.1.4.2.
    bool ok = head->size == 0 ? consistency->proof.empty()
                              : hub::VerifyConsistency(head->size, later->size, head->root_hash,
                                                       later->root_hash, consistency->proof);
    if (!ok) {
      return Failed("the later tree (size " + std::to_string(later->size) +
                    ") is not an extension of the saved one (size " + std::to_string(head->size) +
                    "): the log was rewritten");
    }
    std::printf("OK: consistency %llu -> %llu\n", static_cast<unsigned long long>(head->size),
                static_cast<unsigned long long>(later->size));
  }
  std::printf("OK\n");
  return 0;
}

}  // namespace dancu::app
