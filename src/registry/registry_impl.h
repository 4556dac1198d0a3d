// Internal to registry/: the Registry's state, the citizen row codec and the
// event-writing machinery shared by life_events.cc and bulk_loader.cc.
#pragma once

#include <boost/json/object.hpp>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <vector>

#include "registry/registry.h"

namespace dancu::registry {

// Column list of SELECTs that read a whole citizen, in CitizenFromRow order.
inline constexpr std::string_view kCitizenColumns =
    "id, full_name, sex, dob, birth_commune, hometown_commune, ethnicity, religion, "
    "nationality, perm_commune, perm_street, temp_commune, temp_street, temp_until, "
    "cur_commune, cur_street, father_id, mother_id, spouse_id, old_id, status, dod, "
    "household_id, relationship";

// INSERT with all 26 columns in CitizenBind order.
inline constexpr std::string_view kInsertCitizen =
    "INSERT INTO citizens (id, full_name, sex, dob, birth_commune, hometown_commune, "
    "ethnicity, religion, nationality, perm_commune, perm_street, temp_commune, "
    "temp_street, temp_until, cur_commune, cur_street, father_id, mother_id, spouse_id, "
    "old_id, status, dod, household_id, relationship, name_hash, updated_seq) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

inline constexpr std::string_view kUpdateCitizen =
    "UPDATE citizens SET id = ?, full_name = ?, sex = ?, dob = ?, birth_commune = ?, "
    "hometown_commune = ?, ethnicity = ?, religion = ?, nationality = ?, perm_commune = ?, "
    "perm_street = ?, temp_commune = ?, temp_street = ?, temp_until = ?, cur_commune = ?, "
    "cur_street = ?, father_id = ?, mother_id = ?, spouse_id = ?, old_id = ?, status = ?, "
    "dod = ?, household_id = ?, relationship = ?, name_hash = ?, updated_seq = ? "
    "WHERE id = ?";

// Reads a citizen from a row selected with kCitizenColumns starting at column 0.
Citizen CitizenFromRow(const storage::Statement& st);
// Binds parameters 1..26 of kInsertCitizen / kUpdateCitizen. `c` must outlive
// the statement's next Step (text is bound without copying).
void BindCitizen(storage::Statement& st, const Citizen& c, int64_t seq);
// The same with the name key (FoldedKeyHash of the folded full name) already
// computed, as bulk loads do on their producer thread.
void BindCitizen(storage::Statement& st, const Citizen& c, int64_t seq, int64_t name_hash);

// A fixed-size pool of read connections.
class ReadPool {
 public:
  class Lease {
   public:
    Lease(ReadPool* pool, std::unique_ptr<storage::Connection> c) : pool_(pool), conn_(std::move(c)) {}
    Lease(Lease&&) = default;
    ~Lease() { if (conn_) pool_->Release(std::move(conn_)); }
    storage::Connection* operator->() { return conn_.get(); }
    storage::Connection& operator*() { return *conn_; }
   private:
    ReadPool* pool_;
    std::unique_ptr<storage::Connection> conn_;
  };
  explicit ReadPool(storage::Database& db) : db_(db) {}
  Result<Lease> Acquire();

 private:
  void Release(std::unique_ptr<storage::Connection> c);
  storage::Database& db_;
  std::mutex mu_;
  std::vector<std::unique_ptr<storage::Connection>> free_;
};

// What a life event is about to write: filled in by the event body, written
// by Registry::Impl::RunEvent.
struct EventDraft {
  std::string type;
  std::optional<CitizenId> citizen_id;   // the primary subject
  std::vector<CitizenId> subjects;       // everyone whose history shows it
  boost::json::object data;              // details, plus before/after values
  EventResult result;
};

class Registry::Impl {
 public:
  Impl(storage::Database& db, std::unique_ptr<storage::Connection> writer, const Clock& clock,
       Random& random)
      : db(db), writer(std::move(writer)), readers(db), clock(clock), random(random) {}

  // Runs `body` in one write transaction, then appends the event and the
  // idempotency record and commits. Any error rolls everything back.
  Result<EventResult> RunEvent(
      const WriteContext& ctx,
      const std::function<Status(storage::Connection&, EventDraft&)>& body);

  // Helpers for event bodies (writer connection).
  Result<Citizen> Load(storage::Connection& c, CitizenId id) const;
  Status Store(storage::Connection& c, const Citizen& citizen, bool insert) const;
  Result<Household> LoadHousehold(storage::Connection& c, int64_t id) const;
  Status StoreHousehold(storage::Connection& c, const Household& h) const;
  Result<int64_t> CreateHousehold(storage::Connection& c, CitizenId head, const Address& a) const;
  // Records `before` -> `after` of a citizen in the event's data.
  void RecordChange(EventDraft& draft, const Citizen& before, const Citizen& after) const;
  Result<int64_t> AppendEvent(storage::Connection& c, const EventDraft& draft,
                              const WriteContext& ctx);
  int64_t pending_seq = 0;  // the seq the running event will get

  storage::Database& db;
  std::unique_ptr<storage::Connection> writer;
  mutable ReadPool readers;
  const Clock& clock;
  Random& random;
  std::mutex write_mu;
  mutable std::mutex feed_mu;
  mutable std::condition_variable feed_cv;
  int64_t last_seq = 0;  // guarded by feed_mu
};

}  // namespace dancu::registry
