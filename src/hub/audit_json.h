// audit_json: the wire shapes of the access log (issue 5 API contract), used
// by the HTTP handlers (api/audit.cc) and read back by `dancu audit verify`
// from files a user saved. Hashes and signatures are standard base64
// (RFC 4648 §4, padded); sizes and indexes are JSON integers.
//
//   tree head   {"size","root_hash","timestamp","signature"}
//   inclusion   {"leaf_index","tree_size","leaf_hash","audit_path":[...]}
//   consistency {"first","second","proof":[...]}
//   entry       {"index","leaf_hash","leaf_data","entry":{...}} where
//               leaf_data is base64 of the exact bytes hashed (LeafData) and
//               entry is those bytes parsed, for reading.
//
// Errors (reading): audit.bad_json with `field` naming the member at fault
// (missing, wrong type, negative, a hash that is not 32 bytes of base64, an
// entry whose leaf_data does not hash to leaf_hash or does not parse to
// `entry`). Unknown members are ignored, so newer servers may add some.
//
// Thread safety: pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "hub/audit_entry.h"
#include "hub/merkle.h"
#include "hub/tree_head.h"

namespace dancu::hub {

struct InclusionProofMessage {
  uint64_t leaf_index = 0;
  uint64_t tree_size = 0;
  Hash leaf_hash{};
  std::vector<Hash> audit_path;
};

struct ConsistencyProofMessage {
  uint64_t first = 0;
  uint64_t second = 0;
  std::vector<Hash> proof;
};

struct EntryMessage {
  uint64_t index = 0;
  Hash leaf_hash{};
  std::string leaf_data;
  boost::json::object entry;
};

std::string HashToBase64(const Hash& h);

boost::json::object ToJson(const TreeHead& head);
boost::json::object ToJson(const InclusionProofMessage& p);
boost::json::object ToJson(const ConsistencyProofMessage& p);
boost::json::object EntryToJson(const AuditEntry& e);

Result<TreeHead> TreeHeadFromJson(const boost::json::value& v);
Result<InclusionProofMessage> InclusionProofFromJson(const boost::json::value& v);
Result<ConsistencyProofMessage> ConsistencyProofFromJson(const boost::json::value& v);
Result<EntryMessage> EntryFromJson(const boost::json::value& v);

}  // namespace dancu::hub
