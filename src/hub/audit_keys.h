// AuditKeys: the access log's two secrets, kept in the data directory.
//  - DIR/audit-signing.pem: the ES256 (P-256) key that signs tree heads,
//    PKCS#8 PEM, mode 0600. Its public JWK (kid = RFC 7638 thumbprint) is
//    published at GET /v1/audit/public-key.
//  - DIR/audit-subject.key: 32 random bytes, mode 0600, the HMAC key that
//    turns a citizen id into the log's subject pseudonym (audit_entry.h).
// Both are created on first use. A new file is written to a temporary name,
// fsynced, and linked into place only if no other process created it first
// (then that one is used), so two processes never end up with two keys.
// Losing the signing key loses nothing already signed (old heads stay
// verifiable with the published key); losing the subject key makes old
// entries unlinkable to citizens, so back it up with the database.
//
// Errors: hub.key_file (cannot read, create or write a key file), audit.key_file (a
// subject key that is not 32 bytes), crypto.bad_pem / crypto.wrong_curve (a
// damaged signing key file).
//
// Thread safety: the loaded value is immutable.
#pragma once

#include <filesystem>
#include <string>

#include "core/error.h"
#include "crypto/ec_key.h"

namespace dancu::hub {

struct AuditKeys {
  crypto::EcKey signing;    // private
  std::string key_id;       // thumbprint of the public key
  std::string subject_key;  // 32 bytes
};

Result<AuditKeys> LoadOrCreateAuditKeys(const std::filesystem::path& data_dir);

}  // namespace dancu::hub
