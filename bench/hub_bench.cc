// The policy gate's pieces in process (issue 5: "the policy check plus
// minimization costs at most 5% of /v1/verify throughput"; the end-to-end
// ratio is bench/policy.sh): checking an agency access token, admitting a
// request (policy, scope, rate limit, quota), and minimizing a /v1/verify
// answer and an eKYC-sized answer.
#include <benchmark/benchmark.h>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>

#include "crypto/ec_key.h"
#include "crypto/jwt.h"
#include "hub/hub_db.h"
#include "hub/members.h"
#include "hub/minimizer.h"

namespace dancu::hub {
namespace {

constexpr char kVerifyAnswer[] =
    R"({"status":"MATCH","flags":[],"fields":{"id":{"result":"match"},"full_name":{"result":"match","level":"exact","score":100},"date_of_birth":{"result":"match"},"sex":{"result":"match"}}})";

struct Fixture {
  std::filesystem::path dir;
  std::unique_ptr<storage::Database> db;
  SystemClock clock;
  SecureRandom random;
  std::unique_ptr<Members> members;
  std::string client_id, token;

  Fixture() {
    dir = std::filesystem::temp_directory_path() / ("dancu-hub-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    db = std::move(*OpenHubDb(dir));
    members = std::move(*Members::Open(*db, dir, clock, random));
    (void)members->AddAgency({"bank", "enterprise", "Bank", "", false});
    auto key = crypto::EcKey::Generate();
    boost::json::object jwks{{"keys", boost::json::array{key.PublicJwk(key.Thumbprint())}}};
    auto policy = ParsePolicy(boost::json::parse(
        R"({"operations":["verify"],"fields":["full_name"],"rate_limit":1000000,"daily_quota":1000000000000})"));
    client_id = members->AddClient("bank", boost::json::serialize(jwks), "", *policy)->client_id;
    int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                      clock.Now().time_since_epoch()).count();
    boost::json::object claims{{"iss", client_id}, {"sub", client_id}, {"aud", "https://x/t"},
                               {"iat", now}, {"exp", now + 60}, {"jti", "j"}};
    TokenRequest r{"client_credentials", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                   crypto::SignJwt(key, key.Thumbprint(), claims), "", "https://x/t", "https://x", ""};
    token = members->IssueToken(r)->access_token;
  }
  ~Fixture() { std::filesystem::remove_all(dir); }
};

Fixture& F() {
  static Fixture f;
  return f;
}

void BM_AuthenticateToken(benchmark::State& state) {
  auto& f = F();
  for (auto _ : state) benchmark::DoNotOptimize(f.members->AuthenticateToken(f.token));
}
BENCHMARK(BM_AuthenticateToken);

void BM_Admit(benchmark::State& state) {
  auto& f = F();
  for (auto _ : state) {
    benchmark::DoNotOptimize(f.members->Admit(f.client_id, Bit(Operation::kVerify), Operation::kVerify));
  }
}
BENCHMARK(BM_Admit);

void BM_CurrentGrant(benchmark::State& state) {
  auto& f = F();
  for (auto _ : state) benchmark::DoNotOptimize(f.members->CurrentGrant(f.client_id));
}
BENCHMARK(BM_CurrentGrant);

void BM_MinimizeVerifyAnswer(benchmark::State& state) {
  auto& f = F();
  auto grant = *f.members->CurrentGrant(f.client_id);
  for (auto _ : state) {
    // As api::MinimizingFilter does: parsed into a stack buffer.
    unsigned char buffer[4096];
    boost::json::monotonic_resource arena(buffer, sizeof buffer);
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(kVerifyAnswer, ec, &arena);
    size_t n = Minimize(grant, [](const CitizenId&) { return std::string(); }, v);
    benchmark::DoNotOptimize(n);
  }
}
BENCHMARK(BM_MinimizeVerifyAnswer);

void BM_ParseOnly(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(boost::json::parse(kVerifyAnswer));
}
BENCHMARK(BM_ParseOnly);

}  // namespace
}  // namespace dancu::hub

BENCHMARK_MAIN();
