#include "hub/tree_head.h"

namespace dancu::hub {
namespace {

void AppendUint64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

}  // namespace

std::string TreeHeadSignedData(const TreeHead& head) {
  std::string out;
  out.reserve(2 + 8 + 8 + 32);
  out.push_back(0);  // Version v1
  out.push_back(1);  // SignatureType tree_hash
  AppendUint64(out, static_cast<uint64_t>(head.timestamp));
  AppendUint64(out, head.size);
  out += AsBytes(head.root_hash);
  return out;
}

void SignTreeHead(TreeHead& head, const crypto::EcKey& key) {
  head.signature = key.SignRaw(TreeHeadSignedData(head));
}

bool VerifyTreeHead(const TreeHead& head, const crypto::EcKey& key) {
  return key.VerifyRaw(TreeHeadSignedData(head), head.signature);
}

}  // namespace dancu::hub
