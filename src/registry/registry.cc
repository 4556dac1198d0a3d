// Registry: opening, reads, and the event-writing machinery.
#include "registry/registry.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "registry/citizen_json.h"
#include "registry/registry_impl.h"
#include "registry/schema.h"

namespace dancu::registry {

// ---- ReadPool --------------------------------------------------------------

Result<ReadPool::Lease> ReadPool::Acquire() {
  {
    std::lock_guard lock(mu_);
    if (!free_.empty()) {
      auto c = std::move(free_.back());
      free_.pop_back();
      return Lease(this, std::move(c));
    }
  }
  auto c = db_.Connect();
  if (!c) return std::unexpected(c.error());
  return Lease(this, std::move(*c));
}

void ReadPool::Release(std::unique_ptr<storage::Connection> c) {
  std::lock_guard lock(mu_);
  free_.push_back(std::move(c));
}

// ---- Opening ---------------------------------------------------------------

Registry::Registry(std::unique_ptr<Impl> impl, const Clock& clock)
    : impl_(std::move(impl)), clock_(clock) {}
Registry::~Registry() = default;

Result<std::unique_ptr<Registry>> Registry::Open(storage::Database& db, const Clock& clock,
                                                 Random& random) {
  auto writer = db.Connect();
  if (!writer) return std::unexpected(writer.error());
  if (auto v = storage::Migrate(**writer, RegisterMigrations()); !v) {
    return std::unexpected(v.error());
  }
  auto impl = std::make_unique<Impl>(db, std::move(*writer), clock, random);
  std::unique_ptr<Registry> r(new Registry(std::move(impl), clock));
  auto last = r->LastSeq();
  if (!last) return std::unexpected(last.error());
  r->impl_->last_seq = *last;
  return r;
}

// ---- Reads -----------------------------------------------------------------

Result<Citizen> Registry::GetCitizen(CitizenId id) const {
  auto conn = impl_->readers.Acquire();
  if (!conn) return std::unexpected(conn.error());
  return impl_->Load(**conn, id);
}

Result<Citizen> Registry::Impl::Load(storage::Connection& c, CitizenId id) const {
  static const std::string sql =
      "SELECT " + std::string(kCitizenColumns) + " FROM citizens WHERE id = ?";
  auto& st = c.Cached(sql);
  st.BindInt(1, id.number());
  auto row = st.Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return Fail("citizen.not_found", "no citizen with id " + id.ToString(), "id");
  Citizen out = CitizenFromRow(st);
  st.Reset();
  return out;
}

namespace {

Result<std::vector<Citizen>> ReadCitizens(storage::Statement& st, size_t limit) {
  std::vector<Citizen> out;
  while (out.size() < limit) {
    auto row = st.Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    out.push_back(CitizenFromRow(st));
  }
  st.Reset();
  return out;
}

}  // namespace

Result<std::vector<Citizen>> Registry::FindByOldId(std::string_view old_id) const {
  auto parsed = ParseOldId(old_id);
  if (!parsed) return WithField(parsed.error(), "old_id");
  auto conn = impl_->readers.Acquire();
  if (!conn) return std::unexpected(conn.error());
  static const std::string sql = "SELECT " + std::string(kCitizenColumns) +
                                 " FROM citizens WHERE old_id = ? ORDER BY id LIMIT 100";
  auto& st = (*conn)->Cached(sql);
  st.BindText(1, *parsed);
  return ReadCitizens(st, 100);
}

Result<std::vector<Citizen>> Registry::FindByName(const NameQuery& q) const {
  std::string folded = FoldName(q.name);
  if (folded.empty()) return Fail("name.empty", "the name to search is empty", "name");
  if (!q.province_code.empty() && AdminUnits::Get().FindProvince(q.province_code) == nullptr) {
    return Fail("admin.unknown_province", "no province with code " + q.province_code,
                "province_code");
  }
  auto conn = impl_->readers.Acquire();
  if (!conn) return std::unexpected(conn.error());
  static const std::string sql = "SELECT " + std::string(kCitizenColumns) +
                                 " FROM citizens WHERE name_hash = ? ORDER BY id";
  auto& st = (*conn)->Cached(sql);
  st.BindInt(1, FoldedKeyHash(folded));
  std::vector<Citizen> out;
  size_t limit = q.limit > 0 ? static_cast<size_t>(q.limit) : 50;
  while (out.size() < limit) {
    auto row = st.Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    Citizen c = CitizenFromRow(st);
    // The hash is only a key: confirm the folded name, then the filters.
    if (c.full_name.folded() != folded) continue;
    if (q.date_of_birth) {
      const PartialDate& want = *q.date_of_birth;
      const PartialDate& have = c.date_of_birth;
      if (want.Latest() < have.Earliest() || have.Latest() < want.Earliest()) continue;
    }
    if (!q.province_code.empty()) {
      const Commune* commune = AdminUnits::Get().FindCommune(c.permanent_residence.commune_code);
      if (commune == nullptr || commune->province_code != q.province_code) continue;
    }
    out.push_back(std::move(c));
  }
  st.Reset();
  return out;
}

Result<Household> Registry::GetHousehold(int64_t id) const {
  auto conn = impl_->readers.Acquire();
  if (!conn) return std::unexpected(conn.error());
  return impl_->LoadHousehold(**conn, id);
}

Result<Household> Registry::Impl::LoadHousehold(storage::Connection& c, int64_t id) const {
  auto& st = c.Cached("SELECT id, head_id, commune, street FROM households WHERE id = ?");
  st.BindInt(1, id);
  auto row = st.Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) {
    return Fail("household.not_found", "no household with id " + std::to_string(id),
                "household_id");
  }
  Household h;
  h.id = st.Int(0);
  auto head = CitizenId::FromNumber(st.Int(1));
  if (!head) std::abort();
  h.head_id = *head;
  h.address = Address{std::string(st.Text(2)), std::string(st.Text(3))};
  st.Reset();
  auto& members = c.Cached(
      "SELECT id, relationship FROM citizens WHERE household_id = ? "
      "ORDER BY CASE WHEN relationship = 'head' THEN 0 ELSE 1 END, dob, id");
  members.BindInt(1, id);
  while (true) {
    auto r = members.Step();
    if (!r) return std::unexpected(r.error());
    if (!*r) break;
    auto mid = CitizenId::FromNumber(members.Int(0));
    if (!mid) std::abort();
    h.members.push_back(HouseholdMember{
        *mid, ParseRelationship(members.Text(1)).value_or(Relationship::kOther)});
  }
  members.Reset();
  return h;
}

namespace {

FeedEvent FeedEventFromRow(const storage::Statement& st) {
  FeedEvent e;
  e.seq = st.Int(0);
  e.type = std::string(st.Text(1));
  if (!st.IsNull(2)) {
    auto id = CitizenId::FromNumber(st.Int(2));
    if (id) e.citizen_id = *id;
  }
  e.at = std::string(st.Text(3));
  e.actor = std::string(st.Text(4));
  e.reason = std::string(st.Text(5));
  e.data_json = std::string(st.Text(6));
  return e;
}

}  // namespace

Result<std::vector<FeedEvent>> Registry::History(CitizenId id) const {
  auto conn = impl_->readers.Acquire();
  if (!conn) return std::unexpected(conn.error());
  if (auto c = impl_->Load(**conn, id); !c) return std::unexpected(c.error());
  auto& st = (*conn)->Cached(
      "SELECT e.seq, e.type, e.citizen_id, e.at, e.actor, e.reason, e.data "
      "FROM event_subjects s JOIN events e ON e.seq = s.seq "
      "WHERE s.citizen_id = ? ORDER BY e.seq");
  st.BindInt(1, id.number());
  std::vector<FeedEvent> out;
  while (true) {
    auto row = st.Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    out.push_back(FeedEventFromRow(st));
  }
  st.Reset();
  return out;
}

Result<FeedPage> Registry::Feed(int64_t after, int limit) const {
  if (after < 0) return Fail("request.bad_parameter", "after must be >= 0", "after");
  if (limit < 1 || limit > 10000) {
    return Fail("request.bad_parameter", "limit must be between 1 and 10000", "limit");
  }
  auto conn = impl_->readers.Acquire();
  if (!conn) return std::unexpected(conn.error());
  auto& st = (*conn)->Cached(
      "SELECT seq, type, citizen_id, at, actor, reason, data FROM events "
      "WHERE seq > ? ORDER BY seq LIMIT ?");
  st.BindInt(1, after);
  st.BindInt(2, limit);
  FeedPage page;
  page.next = after;
  while (true) {
    auto row = st.Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    page.events.push_back(FeedEventFromRow(st));
    page.next = page.events.back().seq;
  }
  st.Reset();
  return page;
}

Result<int64_t> Registry::LastSeq() const {
  auto conn = impl_->readers.Acquire();
  if (!conn) return std::unexpected(conn.error());
  return storage::QueryInt(**conn, "SELECT COALESCE(MAX(seq), 0) FROM events");
}

Result<int64_t> Registry::CountCitizens() const {
  auto conn = impl_->readers.Acquire();
  if (!conn) return std::unexpected(conn.error());
  return storage::QueryInt(**conn, "SELECT COUNT(*) FROM citizens");
}

Status Registry::ScanCitizens(const std::function<Status(const Citizen&)>& visit,
                              ScanOrder order) const {
  auto conn = impl_->readers.Acquire();
  if (!conn) return std::unexpected(conn.error());
  // One read transaction, so the export is a consistent snapshot.
  auto st = (*conn)->Prepare("SELECT " + std::string(kCitizenColumns) + " FROM citizens" +
                             (order == ScanOrder::kById ? " ORDER BY id" : ""));
  if (!st) return std::unexpected(st.error());
  while (true) {
    auto row = (*st)->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return {};
    if (auto s = visit(CitizenFromRow(**st)); !s) return s;
  }
}

int64_t Registry::WaitForFeed(int64_t after, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->feed_mu);
  impl_->feed_cv.wait_for(lock, timeout, [&] { return impl_->last_seq > after; });
  return impl_->last_seq;
}

// ---- Writes ----------------------------------------------------------------

Status Registry::Impl::Store(storage::Connection& c, const Citizen& citizen, bool insert) const {
  auto& st = c.Cached(insert ? kInsertCitizen : kUpdateCitizen);
  BindCitizen(st, citizen, pending_seq);
  if (!insert) st.BindInt(27, citizen.id.number());
  auto s = st.Run();
  st.Reset();
  if (!s && s.error().code == "storage.constraint" && insert) {
    return Fail("conflict.citizen_exists", "citizen " + citizen.id.ToString() + " already exists",
                "id");
  }
  return s;
}

Status Registry::Impl::StoreHousehold(storage::Connection& c, const Household& h) const {
  auto& st = c.Cached(
      "UPDATE households SET head_id = ?, commune = ?, street = ?, updated_seq = ? WHERE id = ?");
  st.BindInt(1, h.head_id.number());
  st.BindText(2, h.address.commune_code);
  st.BindText(3, h.address.street);
  st.BindInt(4, pending_seq);
  st.BindInt(5, h.id);
  auto s = st.Run();
  st.Reset();
  return s;
}

Result<int64_t> Registry::Impl::CreateHousehold(storage::Connection& c, CitizenId head,
                                                const Address& a) const {
  auto& st = c.Cached(
      "INSERT INTO households (head_id, commune, street, updated_seq) VALUES (?, ?, ?, ?) "
      "RETURNING id");
  st.BindInt(1, head.number());
  st.BindText(2, a.commune_code);
  st.BindText(3, a.street);
  st.BindInt(4, pending_seq);
  auto row = st.Step();
  if (!row) return std::unexpected(row.error());
  int64_t id = st.Int(0);
  st.Reset();
  return id;
}

void Registry::Impl::RecordChange(EventDraft& draft, const Citizen& before,
                                  const Citizen& after) const {
  boost::json::object b = CitizenToJson(before);
  boost::json::object a = CitizenToJson(after);
  boost::json::object from, to;
  for (const auto& [key, value] : a) {
    const boost::json::value* old = b.if_contains(key);
    if (old == nullptr || *old != value) {
      from[key] = old != nullptr ? *old : boost::json::value(nullptr);
      to[key] = value;
    }
  }
  boost::json::object change;
  change["citizen_id"] = after.id.ToString();
  change["before"] = std::move(from);
  change["after"] = std::move(to);
  boost::json::value& changes = draft.data["changes"];
  if (!changes.is_array()) changes = boost::json::array();
  changes.as_array().push_back(std::move(change));
  if (std::find(draft.subjects.begin(), draft.subjects.end(), after.id) == draft.subjects.end()) {
    draft.subjects.push_back(after.id);
  }
}

Result<int64_t> Registry::Impl::AppendEvent(storage::Connection& c, const EventDraft& draft,
                                            const WriteContext& ctx) {
  auto& st = c.Cached(
      "INSERT INTO events (seq, type, citizen_id, at, actor, reason, data) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  std::string at = FormatTimestamp(clock.Now());
  std::string data = boost::json::serialize(draft.data);
  st.BindInt(1, pending_seq);
  st.BindText(2, draft.type);
  draft.citizen_id ? st.BindInt(3, draft.citizen_id->number()) : st.BindNull(3);
  st.BindText(4, at);
  st.BindText(5, ctx.actor);
  st.BindText(6, ctx.reason);
  st.BindText(7, data);
  if (auto s = st.Run(); !s) return std::unexpected(s.error());
  st.Reset();
  auto& subj = c.Cached("INSERT INTO event_subjects (citizen_id, seq) VALUES (?, ?)");
  for (const CitizenId& id : draft.subjects) {
    subj.BindInt(1, id.number());
    subj.BindInt(2, pending_seq);
    if (auto s = subj.Run(); !s) return std::unexpected(s.error());
    subj.Reset();
  }
  return pending_seq;
}

namespace {

std::string ResultToJson(const EventResult& r) {
  boost::json::object o;
  o["seq"] = r.seq;
  if (r.citizen_id) o["citizen_id"] = r.citizen_id->number();
  if (r.household_id) o["household_id"] = *r.household_id;
  return boost::json::serialize(o);
}

EventResult ResultFromJson(std::string_view text) {
  boost::json::object o = boost::json::parse(text).as_object();
  EventResult r;
  r.seq = o.at("seq").as_int64();
  if (const auto* id = o.if_contains("citizen_id")) {
    r.citizen_id = CitizenId::FromNumber(id->as_int64()).value();
  }
  if (const auto* h = o.if_contains("household_id")) r.household_id = h->as_int64();
  r.replayed = true;
  return r;
}

}  // namespace

Result<EventResult> Registry::Impl::RunEvent(
    const WriteContext& ctx,
    const std::function<Status(storage::Connection&, EventDraft&)>& body) {
  std::lock_guard lock(write_mu);
  storage::Connection& c = *writer;
  if (!ctx.idempotency_key.empty()) {
    auto& st = c.Cached("SELECT request_hash, result FROM idempotency_keys WHERE actor = ? AND key = ?");
    st.BindText(1, ctx.actor);
    st.BindText(2, ctx.idempotency_key);
    auto row = st.Step();
    if (!row) return std::unexpected(row.error());
    if (*row) {
      bool same = st.Text(0) == ctx.request_hash;
      std::string result(st.Text(1));
      st.Reset();
      if (!same) {
        return Fail("idempotency.conflict",
                    "this Idempotency-Key was already used for a different request",
                    "Idempotency-Key");
      }
      return ResultFromJson(result);
    }
    st.Reset();
  }
  auto tx = storage::Transaction::Begin(c);
  if (!tx) return std::unexpected(tx.error());
  // Read the next seq inside the write transaction rather than trusting
  // last_seq: another process (a CLI import) may have appended meanwhile.
  auto next = storage::QueryInt(c, "SELECT COALESCE(MAX(seq), 0) + 1 FROM events");
  if (!next) return std::unexpected(next.error());
  pending_seq = *next;
  EventDraft draft;
  if (auto s = body(c, draft); !s) return std::unexpected(s.error());
  auto seq = AppendEvent(c, draft, ctx);
  if (!seq) return std::unexpected(seq.error());
  draft.result.seq = *seq;
  if (!ctx.idempotency_key.empty()) {
    auto& st = c.Cached(
        "INSERT INTO idempotency_keys (actor, key, request_hash, seq, result) VALUES (?, ?, ?, ?, ?)");
    std::string result = ResultToJson(draft.result);
    st.BindText(1, ctx.actor);
    st.BindText(2, ctx.idempotency_key);
    st.BindText(3, ctx.request_hash);
    st.BindInt(4, *seq);
    st.BindText(5, result);
    if (auto s = st.Run(); !s) return std::unexpected(s.error());
    st.Reset();
  }
  if (auto s = tx->Commit(); !s) return std::unexpected(s.error());
  {
    std::lock_guard feed_lock(feed_mu);
    last_seq = *seq;
  }
  feed_cv.notify_all();
  return draft.result;
}

}  // namespace dancu::registry
