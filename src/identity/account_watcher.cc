#include "identity/account_watcher.h"

#include <spdlog/spdlog.h>

namespace dancu::identity {
namespace {

constexpr int kFeedPage = 1000;
constexpr auto kPoll = std::chrono::milliseconds(100);
constexpr std::string_view kStateName = "account_watcher";

}  // namespace

AccountWatcher::AccountWatcher(std::unique_ptr<storage::Connection> conn,
                               const registry::Registry& registry, Accounts& accounts, int64_t seq)
    : conn_(std::move(conn)), registry_(registry), accounts_(accounts), applied_seq_(seq) {}

AccountWatcher::~AccountWatcher() { Stop(); }

Result<std::unique_ptr<AccountWatcher>> AccountWatcher::Open(storage::Database& identity_db,
                                                             const registry::Registry& registry,
                                                             Accounts& accounts) {
  auto conn = identity_db.Connect();
  if (!conn) return std::unexpected(conn.error());
  int64_t seq = 0;
  auto& st = (*conn)->Cached("SELECT seq FROM watcher_state WHERE name = ?");
  st.BindText(1, kStateName);
  if (auto s = st.ForEachRow([&] { seq = st.Int(0); }); !s) return std::unexpected(s.error());
  return std::unique_ptr<AccountWatcher>(
      new AccountWatcher(std::move(*conn), registry, accounts, seq));
}

Status AccountWatcher::SaveSeq(int64_t seq) {
  std::lock_guard lock(conn_mu_);
  auto& st = conn_->Cached(
      "INSERT INTO watcher_state (name, seq) VALUES (?, ?) "
      "ON CONFLICT (name) DO UPDATE SET seq = excluded.seq");
  st.BindText(1, kStateName);
  st.BindInt(2, seq);
  return st.Run();
}

Status AccountWatcher::CheckCitizen(CitizenId id) {
  auto account = accounts_.FindByCitizenId(id);
  if (!account) {
    if (account.error().code == "identity.not_found") return {};
    return std::unexpected(account.error());
  }
  if (account->disabled) return {};
  auto c = registry_.GetCitizen(id);
  if (!c) {
    if (c.error().code == "citizen.not_found") return {};
    return std::unexpected(c.error());
  }
  if (c->status != registry::LifeStatus::kDeceased) return {};
  auto changed = accounts_.Disable(account->id, "death");
  if (!changed) return std::unexpected(changed.error());
  return {};
}

Status AccountWatcher::CheckAll() {
  std::vector<int64_t> ids;
  {
    std::lock_guard lock(conn_mu_);
    auto& st = conn_->Cached("SELECT id FROM accounts WHERE disabled = 0");
    if (auto s = st.ForEachRow([&] { ids.push_back(st.Int(0)); }); !s) return s;
  }
  for (int64_t n : ids) {
    auto id = CitizenId::FromNumber(n);
    if (!id) continue;
    if (auto s = CheckCitizen(*id); !s) return s;
  }
  return {};
}

Status AccountWatcher::Apply(const registry::FeedEvent& event) {
  if (event.type == "import") return CheckAll();
  if (event.citizen_id) return CheckCitizen(*event.citizen_id);
  return {};
}

Status AccountWatcher::CatchUp() {
  std::lock_guard guard(catch_up_mu_);
  for (;;) {
    auto page = registry_.Feed(applied_seq(), kFeedPage);
    if (!page) return std::unexpected(page.error());
    if (page->events.empty()) return {};
    int64_t last = applied_seq();
    for (const registry::FeedEvent& e : page->events) {
      if (auto s = Apply(e); !s) return s;
      last = e.seq;
    }
    if (auto s = SaveSeq(last); !s) return s;
    {
      std::lock_guard lock(applied_mu_);
      applied_seq_.store(last, std::memory_order_release);
    }
    applied_cv_.notify_all();
  }
}

bool AccountWatcher::WaitUntilApplied(int64_t seq, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(applied_mu_);
  return applied_cv_.wait_for(lock, timeout, [&] { return applied_seq() >= seq; });
}

void AccountWatcher::Start() {
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void AccountWatcher::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void AccountWatcher::Run() {
  while (!stop_) {
    if (auto s = CatchUp(); !s) {
      spdlog::warn("identity: following the register's feed failed: {} ({})",
                   s.error().message, s.error().code);
      std::this_thread::sleep_for(kPoll);  // e.g. storage busy: retry shortly
      continue;
    }
    registry_.WaitForFeed(applied_seq(), kPoll);
  }
}

}  // namespace dancu::identity
