// TreeHead: a signed statement "the access log had `size` entries with this
// root hash at this time" (RFC 6962 §3.5 / RFC 9162 §4.10 signed tree head).
//
// What is signed is the RFC 6962 TreeHeadSignature structure, byte for byte:
//   version (1 byte, 0 = v1) || signature_type (1 byte, 1 = tree_hash) ||
//   timestamp (uint64, milliseconds since the epoch, big-endian) ||
//   tree_size (uint64, big-endian) || sha256_root_hash (32 bytes)
// signed with ES256 (ECDSA P-256 over SHA-256), the signature being the
// 64-byte r||s of JWS (crypto::EcKey::SignRaw) rather than RFC 6962's DER.
// The key's public JWK is published (GET /v1/audit/public-key), so anyone
// can check a saved head offline (dancu audit verify).
//
// Errors: none; VerifyTreeHead is false for any wrong signature, length or
// key. Thread safety: pure functions (EcKey is thread-safe for const use).
#pragma once

#include <cstdint>
#include <string>

#include "crypto/ec_key.h"
#include "hub/merkle.h"

namespace dancu::hub {

struct TreeHead {
  uint64_t size = 0;
  Hash root_hash{};
  int64_t timestamp = 0;  // milliseconds since the Unix epoch
  std::string signature;  // 64 bytes r||s
};

std::string TreeHeadSignedData(const TreeHead& head);
void SignTreeHead(TreeHead& head, const crypto::EcKey& key);
bool VerifyTreeHead(const TreeHead& head, const crypto::EcKey& key);

}  // namespace dancu::hub
