// AccountWatcher: keeps accounts in step with the register through its
// change feed (issue 4, "Life in the register": a death disables the
// account within a second).
//
// A follower thread (Start/Stop) pages through Registry::Feed after the
// last applied seq and wakes on Registry::WaitForFeed (within 100 ms for
// writes by other processes, at once for this process's), like the
// verifier (verify/verifier.h). For each event, every citizen it names
// (event.citizen_id) who holds an account is re-read from the register; a
// deceased one has the account disabled (Accounts::Disable: sessions
// revoked, OnDisabled hooks called). An "import" event (a bulk load) checks
// every account. The applied seq is stored in identity.db (watcher_state),
// so a restart resumes where it stopped and a death registered while the
// server was down is applied at start.
//
// Errors: CatchUp returns storage.* errors (the thread logs them and
// retries after 100 ms).
// Thread safety: CatchUp, applied_seq and WaitUntilApplied from any
// thread; Start/Stop from one owner thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "core/error.h"
#include "identity/accounts.h"
#include "registry/registry.h"
#include "storage/database.h"

namespace dancu::identity {

class AccountWatcher {
 public:
  static Result<std::unique_ptr<AccountWatcher>> Open(storage::Database& identity_db,
                                                      const registry::Registry& registry,
                                                      Accounts& accounts);
  ~AccountWatcher();  // stops the thread

  void Start();
  void Stop();

  // Applies every feed event after applied_seq() now, on the calling thread.
  Status CatchUp();
  int64_t applied_seq() const { return applied_seq_.load(std::memory_order_acquire); }
  // Blocks until applied_seq() >= seq or `timeout` passes; true if reached.
  bool WaitUntilApplied(int64_t seq, std::chrono::milliseconds timeout) const;

 private:
  AccountWatcher(std::unique_ptr<storage::Connection> conn, const registry::Registry& registry,
                 Accounts& accounts, int64_t seq);
  Status Apply(const registry::FeedEvent& event);
  Status CheckCitizen(CitizenId id);
  Status CheckAll();
  Status SaveSeq(int64_t seq);
  void Run();

  std::mutex conn_mu_;
  std::unique_ptr<storage::Connection> conn_;  // guarded by conn_mu_
  const registry::Registry& registry_;
  Accounts& accounts_;
  std::mutex catch_up_mu_;  // one CatchUp at a time
  std::atomic<int64_t> applied_seq_;
  mutable std::mutex applied_mu_;
  mutable std::condition_variable applied_cv_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace dancu::identity
