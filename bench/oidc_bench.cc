// The OpenID Connect provider in process, without HTTP (issue 4, "Speed"):
// the token endpoint's code exchange (client_secret_basic, two ES256
// signatures, no database write without offline_access) and the provider's
// share of a complete flow for a signed-in user with remembered consent
// (authorization request -> code -> token -> userinfo). The HTTP-level
// benchmark is bench/oidc.sh; the targets are >= 5,000 exchanges/s and
// >= 1,500 complete flows/s on 2 cores.
//
//   build/bench/oidc_bench
//
// Items/s is per benchmark thread count: the /threads:2 rows are the whole
// 2-core machine. The register and oidc.db are in a temporary directory.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <filesystem>
#include <memory>

#include "core/clock.h"
#include "core/random.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/secret_box.h"
#include "identity/oidc_db.h"
#include "identity/oidc_provider.h"
#include "registry/bulk_loader.h"
#include "registry/registry.h"
#include "storage/database.h"

namespace {

using namespace dancu;
using namespace dancu::identity;

constexpr std::string_view kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
constexpr std::string_view kRedirect = "https://rp.bench/cb";

struct World {
  std::filesystem::path dir;
  SystemClock clock;
  SeededRandom random{7};
  std::unique_ptr<storage::Database> register_db, oidc_db;
  std::unique_ptr<registry::Registry> registry;
  std::optional<crypto::SecretBox> box;
  std::unique_ptr<OidcProvider> provider;
  Account account;
  NewClient client;
  std::string basic;
  Params authorize;

  World() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "dancu-oidc-bench-XXXXXX").string();
    dir = mkdtemp(tmpl.data());
    register_db = storage::OpenSqlite(dir / "register.db").value();
    registry = registry::Registry::Open(*register_db, clock, random).value();
    registry::Citizen c;
    c.id = CitizenId::Make(1, Sex::kMale, 1985, 123456).value();
    c.full_name = PersonName::Parse("Nguyễn Văn An").value();
    c.date_of_birth = PartialDate::Make(1985, 3, 14).value();
    c.birth_commune_code = "00004";
    c.permanent_residence = Address{"00004", "Số 1 phố Đội Cấn"};
    auto loader = registry->BeginBulkLoad(registry::WriteContext{"bench", "bench", {}, {}}).value();
    (void)loader->Add(c);
    std::vector<registry::BulkProblem> problems;
    (void)loader->Finish(problems, "bench");
    account.id = c.id.number();
    account.citizen_id = c.id;
    account.phone = "+84912345678";
    oidc_db = OpenOidcDb(dir).value();
    box.emplace(crypto::SecretBox::FromKey(std::string(32, 'k')).value());
    provider = OidcProvider::Open(
                   *oidc_db, *box, *registry,
                   [this](int64_t) -> Result<Account> { return account; }, clock,
                   "https://id.bench")
                   .value();
    ClientSpec spec;
    spec.name = "Bench RP";
    spec.redirect_uris = {std::string(kRedirect)};
    spec.scopes = {"openid", "profile", "address", "phone"};
    client = provider->clients().Add(spec).value();
    basic = "Basic " + crypto::Base64Encode(client.client_id + ":" + client.client_secret);
    (void)provider->consents().Grant(account.id, client.client_id, {"openid", "profile"});
    authorize = Params{{"client_id", client.client_id},
                       {"redirect_uri", std::string(kRedirect)},
                       {"response_type", "code"},
                       {"scope", "openid profile"},
                       {"state", "af0ifjsldkj"},
                       {"nonce", "n-0S6_WzA2Mj"},
                       {"code_challenge", crypto::Base64UrlEncode(
                                              crypto::AsBytes(crypto::Sha256(kVerifier)))},
                       {"code_challenge_method", "S256"}};
  }
  ~World() {
    provider.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  Authentication Auth() const {
    return Authentication{account.id, account.citizen_id, 1, clock.Now(), {"pwd"}};
  }
  // authorize -> code (remembered consent: one indexed SELECT).
  std::string Code() {
    auto r = provider->ParseAuthorizationRequest(authorize).value();
    auto step = provider->Authorize(r, Auth(), false).value();
    size_t at = step.redirect.find("code=") + 5;
    return step.redirect.substr(at, step.redirect.find('&', at) - at);
  }
  boost::json::object Exchange(const std::string& code) {
    return provider
        ->Token({{"grant_type", "authorization_code"},
                 {"code", code},
                 {"redirect_uri", std::string(kRedirect)},
                 {"code_verifier", std::string(kVerifier)}},
                basic)
        .value();
  }
};

World& TheWorld() {
  static World w;
  return w;
}

void BM_CodeExchange(benchmark::State& state) {
  World& w = TheWorld();
  for (auto _ : state) {
    state.PauseTiming();
    std::string code = w.Code();
    state.ResumeTiming();
    benchmark::DoNotOptimize(w.Exchange(code));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CodeExchange)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CodeExchange)->UseRealTime()->Unit(benchmark::kMicrosecond)->Threads(2);

void BM_CodeIssueAndExchange(benchmark::State& state) {
  World& w = TheWorld();
  for (auto _ : state) benchmark::DoNotOptimize(w.Exchange(w.Code()));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CodeIssueAndExchange)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CodeIssueAndExchange)->UseRealTime()->Unit(benchmark::kMicrosecond)->Threads(2);

void BM_CompleteFlow(benchmark::State& state) {
  World& w = TheWorld();
  for (auto _ : state) {
    auto tokens = w.Exchange(w.Code());
    benchmark::DoNotOptimize(w.provider->UserInfo(tokens.at("access_token").as_string()).value());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CompleteFlow)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CompleteFlow)->UseRealTime()->Unit(benchmark::kMicrosecond)->Threads(2);

}  // namespace

BENCHMARK_MAIN();
