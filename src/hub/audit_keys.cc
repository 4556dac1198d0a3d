#include "hub/audit_keys.h"

#include "crypto/random_token.h"
#include "hub/key_file.h"

namespace dancu::hub {
namespace {

std::unexpected<Error> KeyFileError(const std::filesystem::path& p, std::string what) {
  return Fail("audit.key_file", p.string() + ": " + what, p.string());
}

}  // namespace

Result<AuditKeys> LoadOrCreateAuditKeys(const std::filesystem::path& data_dir) {
  std::filesystem::path pem_path = data_dir / "audit-signing.pem";
  Result<std::string> pem =
      LoadOrCreateKeyFile(pem_path, [] { return crypto::EcKey::Generate().PrivatePem(); });
  if (!pem) return std::unexpected(pem.error());
  auto key = crypto::EcKey::FromPrivatePem(*pem);
  if (!key) return std::unexpected(key.error());

  std::filesystem::path subject_path = data_dir / "audit-subject.key";
  Result<std::string> subject =
      LoadOrCreateKeyFile(subject_path, [] { return crypto::RandomBytes(32); });
  if (!subject) return std::unexpected(subject.error());
  if (subject->size() != 32) return KeyFileError(subject_path, "is not 32 bytes");
  std::string kid = key->Thumbprint();
  return AuditKeys{std::move(*key), std::move(kid), std::move(*subject)};
}

}  // namespace dancu::hub
