#include "hub/audit_json.h"

#include <boost/json/parse.hpp>
#include <cstring>

#include "crypto/encoding.h"

namespace dancu::hub {
namespace {

std::unexpected<Error> Bad(std::string field, std::string message) {
  return Fail("audit.bad_json", std::move(message), std::move(field));
}

Result<const boost::json::object*> Object(const boost::json::value& v) {
  if (!v.is_object()) return Bad("", "expected a JSON object");
  return &v.as_object();
}

Result<uint64_t> Uint(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr) return Bad(std::string(key), "missing");
  if (v->is_uint64()) return v->as_uint64();
  if (v->is_int64() && v->as_int64() >= 0) return static_cast<uint64_t>(v->as_int64());
  return Bad(std::string(key), "expected a non-negative integer");
}

Result<std::string> Bytes(const boost::json::value* v, const std::string& field) {
  if (v == nullptr) return Bad(field, "missing");
  if (!v->is_string()) return Bad(field, "expected a base64 string");
  auto bytes = crypto::Base64Decode(v->as_string());
  if (!bytes) return Bad(field, "not base64");
  return std::move(*bytes);
}

Result<Hash> HashFrom(const boost::json::value* v, const std::string& field) {
  auto bytes = Bytes(v, field);
  if (!bytes) return std::unexpected(bytes.error());
  if (bytes->size() != 32) return Bad(field, "a hash is 32 bytes");
  Hash h;
  std::memcpy(h.data(), bytes->data(), 32);
  return h;
}

Result<std::vector<Hash>> Hashes(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr) return Bad(std::string(key), "missing");
  if (!v->is_array()) return Bad(std::string(key), "expected an array of base64 hashes");
  std::vector<Hash> out;
  const boost::json::array& a = v->as_array();
  for (size_t i = 0; i < a.size(); ++i) {
    auto h = HashFrom(&a[i], std::string(key) + "[" + std::to_string(i) + "]");
    if (!h) return std::unexpected(h.error());
    out.push_back(*h);
  }
  return out;
}

boost::json::array HashArray(const std::vector<Hash>& hashes) {
  boost::json::array a;
  a.reserve(hashes.size());
  for (const Hash& h : hashes) a.emplace_back(HashToBase64(h));
  return a;
}

}  // namespace

std::string HashToBase64(const Hash& h) { return crypto::Base64Encode(AsBytes(h)); }

boost::json::object ToJson(const TreeHead& head) {
  boost::json::object o;
  o["size"] = head.size;
  o["root_hash"] = HashToBase64(head.root_hash);
  o["timestamp"] = head.timestamp;
  o["signature"] = crypto::Base64Encode(head.signature);
  return o;
}

boost::json::object ToJson(const InclusionProofMessage& p) {
  boost::json::object o;
  o["leaf_index"] = p.leaf_index;
  o["tree_size"] = p.tree_size;
  o["leaf_hash"] = HashToBase64(p.leaf_hash);
  o["audit_path"] = HashArray(p.audit_path);
  return o;
}

boost::json::object ToJson(const ConsistencyProofMessage& p) {
  boost::json::object o;
  o["first"] = p.first;
  o["second"] = p.second;
  o["proof"] = HashArray(p.proof);
  return o;
}

boost::json::object EntryToJson(const AuditEntry& e) {
  std::string data = LeafData(e);
  boost::json::object o;
  o["index"] = e.index;
  o["leaf_hash"] = HashToBase64(LeafHash(data));
  o["leaf_data"] = crypto::Base64Encode(data);
  o["entry"] = boost::json::parse(data).as_object();  // our own canonical JSON
  return o;
}

Result<TreeHead> TreeHeadFromJson(const boost::json::value& v) {
  auto o = Object(v);
  if (!o) return std::unexpected(o.error());
  TreeHead head;
  auto size = Uint(**o, "size");
  if (!size) return std::unexpected(size.error());
  head.size = *size;
  auto root = HashFrom((*o)->if_contains("root_hash"), "root_hash");
  if (!root) return std::unexpected(root.error());
  head.root_hash = *root;
  auto ts = Uint(**o, "timestamp");
  if (!ts) return std::unexpected(ts.error());
  if (*ts > static_cast<uint64_t>(INT64_MAX)) return Bad("timestamp", "out of range");
  head.timestamp = static_cast<int64_t>(*ts);
  auto sig = Bytes((*o)->if_contains("signature"), "signature");
  if (!sig) return std::unexpected(sig.error());
  head.signature = std::move(*sig);
  return head;
}

Result<InclusionProofMessage> InclusionProofFromJson(const boost::json::value& v) {
  auto o = Object(v);
  if (!o) return std::unexpected(o.error());
  InclusionProofMessage p;
  auto index = Uint(**o, "leaf_index");
  if (!index) return std::unexpected(index.error());
  auto size = Uint(**o, "tree_size");
  if (!size) return std::unexpected(size.error());
  auto leaf = HashFrom((*o)->if_contains("leaf_hash"), "leaf_hash");
  if (!leaf) return std::unexpected(leaf.error());
  auto path = Hashes(**o, "audit_path");
  if (!path) return std::unexpected(path.error());
  p.leaf_index = *index;
  p.tree_size = *size;
  p.leaf_hash = *leaf;
  p.audit_path = std::move(*path);
  return p;
}

Result<ConsistencyProofMessage> ConsistencyProofFromJson(const boost::json::value& v) {
  auto o = Object(v);
  if (!o) return std::unexpected(o.error());
  ConsistencyProofMessage p;
  auto first = Uint(**o, "first");
  if (!first) return std::unexpected(first.error());
  auto second = Uint(**o, "second");
  if (!second) return std::unexpected(second.error());
  auto proof = Hashes(**o, "proof");
  if (!proof) return std::unexpected(proof.error());
  p.first = *first;
  p.second = *second;
  p.proof = std::move(*proof);
  return p;
}

Result<EntryMessage> EntryFromJson(const boost::json::value& v) {
  auto o = Object(v);
  if (!o) return std::unexpected(o.error());
  EntryMessage m;
  auto index = Uint(**o, "index");
  if (!index) return std::unexpected(index.error());
  m.index = *index;
  auto leaf = HashFrom((*o)->if_contains("leaf_hash"), "leaf_hash");
  if (!leaf) return std::unexpected(leaf.error());
  m.leaf_hash = *leaf;
  auto data = Bytes((*o)->if_contains("leaf_data"), "leaf_data");
  if (!data) return std::unexpected(data.error());
  m.leaf_data = std::move(*data);
  if (LeafHash(m.leaf_data) != m.leaf_hash) {
    return Bad("leaf_data", "leaf_data does not hash to leaf_hash");
  }
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(m.leaf_data, ec);
  if (ec || !parsed.is_object()) return Bad("leaf_data", "leaf_data is not a JSON object");
  const boost::json::value* shown = (*o)->if_contains("entry");
  if (shown == nullptr || *shown != parsed) {
    return Bad("entry", "entry differs from the hashed leaf_data");
  }
  const boost::json::value* leaf_index = parsed.as_object().if_contains("index");
  bool same_index =
      leaf_index != nullptr && ((leaf_index->is_uint64() && leaf_index->as_uint64() == m.index) ||
                                (leaf_index->is_int64() && leaf_index->as_int64() >= 0 &&
                                 static_cast<uint64_t>(leaf_index->as_int64()) == m.index));
  if (!same_index) {
    return Bad("index", "index differs from the index inside the leaf");
  }
  m.entry = std::move(parsed.as_object());
  return m;
}

}  // namespace dancu::hub
