// Cryptographic primitives behind sign-in and the OIDC token endpoint
// (issue 4): Argon2id at the OWASP parameters (about 16 hashes/s/core are
// expected; never lower them for speed), ES256 JWT signing (the token
// endpoint target is >= 5,000 tokens/s on 2 cores) and verification.
//
//   build/bench/crypto_bench
//   build/bench/crypto_bench --benchmark_filter=Jwt
//
// Items/s is per benchmark thread count: the /threads:2 rows are the whole
// 2-core machine.
#include <benchmark/benchmark.h>

#include <boost/json/object.hpp>

#include "crypto/jwt.h"
#include "crypto/password_hasher.h"
#include "crypto/random_token.h"
#include "crypto/secret_box.h"
#include "crypto/totp.h"

namespace {

using namespace dancu;
using namespace dancu::crypto;

void BM_Argon2idHash(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(HashPassword("correct horse battery staple"));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Argon2idHash)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Argon2idHash)->Unit(benchmark::kMillisecond)->UseRealTime()->Threads(2);

void BM_Argon2idVerify(benchmark::State& state) {
  static const std::string stored = HashPassword("correct horse battery staple");
  for (auto _ : state) {
    benchmark::DoNotOptimize(VerifyPassword(stored, "correct horse battery staple"));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Argon2idVerify)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Argon2idVerify)->Unit(benchmark::kMillisecond)->UseRealTime()->Threads(2);

void BM_BurnPasswordCheck(benchmark::State& state) {
  BurnPasswordCheck("warm-up");  // makes the dummy hash outside the timing
  for (auto _ : state) BurnPasswordCheck("correct horse battery staple");
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BurnPasswordCheck)->Unit(benchmark::kMillisecond)->UseRealTime();

// A realistic ID token: the claims the oidc provider puts in one.
boost::json::object IdTokenClaims() {
  return {{"iss", "https://id.dancu.gov.vn"},
          {"sub", RandomToken()},
          {"aud", "client-portal-thue"},
          {"exp", 1790000000},
          {"iat", 1789999400},
          {"auth_time", 1789999300},
          {"nonce", RandomToken(16)},
          {"acr", "urn:dancu:acr:level2"},
          {"amr", boost::json::array{"pwd", "otp"}},
          {"sid", RandomToken(16)}};
}

const EcKey& BenchKey() {
  static const EcKey key = EcKey::Generate();
  return key;
}

void BM_SignJwt(benchmark::State& state) {
  const auto claims = IdTokenClaims();
  for (auto _ : state) benchmark::DoNotOptimize(SignJwt(BenchKey(), "k1", claims));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SignJwt)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_SignJwt)->Unit(benchmark::kMicrosecond)->UseRealTime()->Threads(2);

void BM_VerifyJwt(benchmark::State& state) {
  const std::string token = SignJwt(BenchKey(), "k1", IdTokenClaims());
  const KeyForKid lookup = [](std::string_view kid) -> const EcKey* {
    return kid == "k1" ? &BenchKey() : nullptr;
  };
  for (auto _ : state) {
    auto claims = VerifyJwt(token, lookup);
    if (!claims) state.SkipWithError("verify failed");
    benchmark::DoNotOptimize(claims);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyJwt)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_VerifyJwt)->Unit(benchmark::kMicrosecond)->UseRealTime()->Threads(2);

void BM_Es256SignRaw(benchmark::State& state) {
  const std::string input(200, 'a');
  for (auto _ : state) benchmark::DoNotOptimize(BenchKey().SignRaw(input));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Es256SignRaw)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_SecretBoxSealOpen(benchmark::State& state) {
  const auto box = SecretBox::FromKey(RandomBytes(SecretBox::kKeyBytes));
  const std::string secret = RandomBytes(20);
  for (auto _ : state) {
    auto opened = box->Open(box->Seal(secret, "totp:1"), "totp:1");
    benchmark::DoNotOptimize(opened);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SecretBoxSealOpen)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_VerifyTotp(benchmark::State& state) {
  const std::string secret = NewTotpSecret();
  const Timestamp now{std::chrono::seconds{1790000000}};
  const std::string code = TotpCode(secret, now);
  for (auto _ : state) benchmark::DoNotOptimize(VerifyTotp(secret, code, now, -1));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyTotp)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
