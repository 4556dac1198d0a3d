// Citizen sign-in in process, without HTTP (issue 4, "Speed": password
// sign-ins are bounded by Argon2id; report the per-core rate):
// Accounts::SignIn with the right password (throttle check, one Argon2id
// verify at t=2, 19 MiB, a history row and the throttle reset), the same
// for an unknown citizen id (BurnPasswordCheck and the failure writes: it
// must cost what a real sign-in costs), and Sessions::Create + Find, which
// every page pays.
//
//   build/bench/identity_bench
//
// Items/s is per benchmark thread count: the /threads:2 rows are the whole
// 2-core machine. identity.db (SQLite, WAL, synchronous=FULL) is in a
// temporary directory.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>

#include "core/clock.h"
#include "core/random.h"
#include "crypto/secret_box.h"
#include "identity/accounts.h"
#include "identity/identity_db.h"
#include "identity/sessions.h"
#include "identity/sms_sender.h"
#include "registry/bulk_loader.h"
#include "registry/registry.h"
#include "storage/database.h"

namespace {

using namespace dancu;
using namespace dancu::identity;

constexpr std::string_view kPassword = "correct horse battery";

// An SmsSender that keeps the last code (no file writes in the timing).
class LastCode final : public SmsSender {
 public:
  Status Send(const SmsMessage& m) override {
    code = m.code;
    return {};
  }
  std::string code;
};

struct World {
  std::filesystem::path dir;
  SystemClock clock;
  SecureRandom random;
  LastCode sms;
  std::unique_ptr<storage::Database> register_db, identity_db;
  std::unique_ptr<registry::Registry> registry;
  std::optional<crypto::SecretBox> box;
  std::unique_ptr<Sessions> sessions;
  std::unique_ptr<Accounts> accounts;
  Account account;
  std::vector<CitizenId> others;  // more accounts, for wrong-password runs

  World() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "dancu-identity-bench-XXXXXX").string();
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
    registry::Citizen o = c;
    for (uint32_t i = 0; i < kOthers; ++i) {
      o.id = CitizenId::Make(1, Sex::kMale, 1985, 200000 + i).value();
      others.push_back(o.id);
      (void)loader->Add(o);
    }
    std::vector<registry::BulkProblem> problems;
    (void)loader->Finish(problems, "bench");
    identity_db = OpenIdentityDb(dir).value();
    box.emplace(crypto::SecretBox::FromKey(std::string(32, 'k')).value());
    sessions = Sessions::Open(*identity_db, clock).value();
    accounts =
        Accounts::Open(*identity_db, *registry, *sessions, sms, *box, clock, random).value();
    AttemptContext ctx{"192.0.2.1", ""};
    auto ticket = accounts->StartRegistration(
                              {c.id.ToString(), "Nguyễn Văn An", "1985-03-14", "0912345678"}, ctx)
                      .value();
    (void)accounts->ConfirmCode(ticket, sms.code);
    account = accounts->CompleteRegistration(ticket, kPassword).value();
    for (CitizenId id : others) {
      auto t = accounts->StartRegistration(
                            {id.ToString(), "Nguyễn Văn An", "1985-03-14", "0912345678"}, ctx)
                    .value();
      (void)accounts->ConfirmCode(t, sms.code);
      (void)accounts->CompleteRegistration(t, kPassword).value();
    }
  }
  static constexpr uint32_t kOthers = 16;
  ~World() {
    accounts.reset();
    sessions.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

World& TheWorld() {
  static World w;
  return w;
}

void BM_SignInLevel1(benchmark::State& state) {
  World& w = TheWorld();
  const std::string id = w.account.citizen_id.ToString();
  AttemptContext ctx{"192.0.2." + std::to_string(state.thread_index()), ""};
  for (auto _ : state) {
    auto r = w.accounts->SignIn(id, kPassword, ctx);
    if (!r || !r->account) state.SkipWithError("sign-in failed");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SignInLevel1)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3.0);
BENCHMARK(BM_SignInLevel1)->Unit(benchmark::kMillisecond)->UseRealTime()->Threads(2)->MinTime(3.0);

// Every iteration a fresh unknown id and IP, so the throttle never blocks:
// this is the cost of a wrong guess, which must match a real sign-in.
void BM_SignInUnknownAccount(benchmark::State& state) {
  World& w = TheWorld();
  static std::atomic<uint32_t> serial{0};
  for (auto _ : state) {
    uint32_t n = serial++;
    auto id = CitizenId::Make(1, Sex::kFemale, 1990, n % 1000000).value().ToString();
    AttemptContext ctx{"198.51." + std::to_string(n / 256 % 256) + "." + std::to_string(n % 256),
                       ""};
    auto r = w.accounts->SignIn(id, kPassword, ctx);
    if (r || r.error().code != "identity.bad_credentials") state.SkipWithError("unexpected");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SignInUnknownAccount)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(48);

// A wrong password on real accounts (each gets 3 of the 48, under the
// throttle's 5 free failures): the same writes as an unknown id.
void BM_SignInWrongPassword(benchmark::State& state) {
  World& w = TheWorld();
  uint32_t n = 0;
  for (auto _ : state) {
    const std::string id = w.others[n % w.others.size()].ToString();
    AttemptContext ctx{"203.0." + std::to_string(n / 256 % 256) + "." + std::to_string(n % 256),
                       ""};
    ++n;
    auto r = w.accounts->SignIn(id, "wrong password", ctx);
    if (r || r.error().code != "identity.bad_credentials") state.SkipWithError("unexpected");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SignInWrongPassword)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(48);

void BM_SessionCreateFind(benchmark::State& state) {
  World& w = TheWorld();
  for (auto _ : state) {
    auto s = w.sessions->Create(w.account, Level::kOne, {"pwd"}).value();
    benchmark::DoNotOptimize(w.sessions->Find(s.id));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SessionCreateFind)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_SessionFind(benchmark::State& state) {
  World& w = TheWorld();
  auto s = w.sessions->Create(w.account, Level::kOne, {"pwd"}).value();
  for (auto _ : state) benchmark::DoNotOptimize(w.sessions->Find(s.id));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SessionFind)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_SessionFind)->Unit(benchmark::kMicrosecond)->UseRealTime()->Threads(2);

}  // namespace

BENCHMARK_MAIN();
