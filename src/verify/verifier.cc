#include "verify/verifier.h"

#include <cstring>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <spdlog/spdlog.h>

#include "verify/blocking_index.h"
#include "verify/index_snapshot.h"
#include "verify/verification_index.h"

namespace dancu::verify {

std::string_view ToString(Field f) {
  switch (f) {
    case Field::kId: return "id";
    case Field::kOldId: return "old_id";
    case Field::kFullName: return "full_name";
    case Field::kDateOfBirth: return "date_of_birth";
    case Field::kSex: return "sex";
    case Field::kPermanentAddress: return "permanent_address";
  }
  return "id";
}

std::string_view ToString(Outcome o) {
  switch (o) {
    case Outcome::kMatch: return "MATCH";
    case Outcome::kMismatch: return "MISMATCH";
    case Outcome::kNotFound: return "NOT_FOUND";
  }
  return "NOT_FOUND";
}

namespace {

constexpr int kFeedPage = 1000;
constexpr std::chrono::milliseconds kPoll{100};

FieldResult Same(bool equal) { return equal ? FieldResult::kMatch : FieldResult::kMismatch; }

// Levels from the cheapest test up; most names are exact, so the folded and
// token fingerprints are computed only when needed. `scratch` is a buffer.
FieldOutcome CompareName(const VerificationIndex& index, const Entry& e, const PersonName& name,
                         uint32_t nfc, std::string& scratch) {
  FieldOutcome f{.field = Field::kFullName};
  NameLevel level;
  int distance = 0;
  std::string_view registered = index.FoldedName(e);
  if (nfc == e.nfc_hash) {
    level = NameLevel::kExact;
  } else if (Fingerprint(name.folded()) == e.folded_hash) {
    level = NameLevel::kSameAfterFolding;
  } else if (SortedTokensTo(name.folded(), scratch); Fingerprint(scratch) == e.tokens_hash) {
    level = NameLevel::kTokenReordered;
  } else {
    distance = EditDistance(name.folded(), registered, 2);
    if (distance <= 2) {
      level = NameLevel::kTypo;
    } else {
      level = NameLevel::kDifferent;
      int longest = static_cast<int>(std::max(name.folded().size(), registered.size()));
      distance = EditDistance(name.folded(), registered, longest);
    }
  }
  f.level = level;
  f.result = ResultOf(level);
  f.score = NameScore(level, distance, name.folded().size(), registered.size());
  return f;
}

// The citizens an event changed: data.changes[].citizen_id, data.citizen.id
// (births) and the event's primary subject.
std::vector<CitizenId> Subjects(const registry::FeedEvent& event) {
  std::vector<CitizenId> out;
  if (event.citizen_id) out.push_back(*event.citizen_id);
  auto add = [&out](const boost::json::value* v) {
    if (v == nullptr || !v->is_string()) return;
    auto id = CitizenId::Parse(v->as_string());
    if (id && std::find(out.begin(), out.end(), *id) == out.end()) out.push_back(*id);
  };
  boost::system::error_code ec;
  boost::json::value data = boost::json::parse(event.data_json, ec);
  if (ec || !data.is_object()) return out;
  const auto& o = data.as_object();
  if (const auto* changes = o.if_contains("changes"); changes && changes->is_array()) {
    for (const auto& c : changes->as_array()) {
      if (c.is_object()) add(c.as_object().if_contains("citizen_id"));
    }
  }
  if (const auto* citizen = o.if_contains("citizen"); citizen && citizen->is_object()) {
    add(citizen->as_object().if_contains("id"));
  }
  return out;
}

}  // namespace

Verifier::Verifier(const registry::Registry& registry, VerifierOptions options)
    : registry_(registry),
      index_(std::make_unique<VerificationIndex>()),
      blocking_(std::make_unique<BlockingIndex>()),
      options_(std::move(options)) {}

Verifier::~Verifier() { Stop(); }

Result<std::unique_ptr<Verifier>> Verifier::Create(const registry::Registry& registry,
                                                   VerifierOptions options) {
  std::unique_ptr<Verifier> v(new Verifier(registry, std::move(options)));
  if (!v->options_.snapshot.empty()) {
    auto s = v->LoadSnapshot();
    if (s) {
      v->loaded_from_snapshot_ = true;
      return v;
    }
    if (s.error().code == "snapshot.missing") {
      spdlog::info("verify: no index snapshot yet, building the index from the register");
    } else {
      spdlog::warn("verify: not using the index snapshot, rebuilding: {} ({})",
                   s.error().message, s.error().code);
    }
  }
  if (auto s = v->Rebuild(); !s) return std::unexpected(s.error());
  return v;
}

Status Verifier::LoadSnapshot() {
  auto start = std::chrono::steady_clock::now();
  auto seconds = [&start] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  auto snap = LoadIndexSnapshot(options_.snapshot);
  if (!snap) return std::unexpected(snap.error());
  spdlog::info("verify: index snapshot read ({} citizens, feed seq {}, {} bytes) in {:.1f} s",
               snap->index->size(), snap->meta.seq, snap->file_bytes, seconds());
  const SnapshotMeta& meta = snap->meta;
  auto last = registry_.LastSeq();
  if (!last) return std::unexpected(last.error());
  if (meta.seq <= 0 || meta.seq > *last) {
    return Fail("snapshot.stale", "the snapshot reflects feed seq " + std::to_string(meta.seq) +
                                      ", the register ends at " + std::to_string(*last));
  }
  // The same seq in a replaced register (deleted and generated again) is
  // another event: its commit time differs to the microsecond.
  auto page = registry_.Feed(meta.seq - 1, 1);
  if (!page) return std::unexpected(page.error());
  if (page->events.empty() || page->events[0].seq != meta.seq ||
      page->events[0].at != meta.event_at) {
    return Fail("snapshot.stale", "the snapshot was taken of another register (the event at seq " +
                                      std::to_string(meta.seq) + " differs)");
  }
  if (snap->blocking == nullptr) {
    spdlog::info("verify: the snapshot's blocking keys are of another key scheme, rebuilding them");
  }
  InstallIndex(std::move(snap->index), meta.seq, std::move(snap->blocking));
  snapshot_seq_ = meta.seq;
  // An "import" event after the snapshot rebuilds here (ApplyEvent).
  if (auto s = CatchUp(); !s) return s;
  spdlog::info("verify: caught up to feed seq {} at {:.1f} s", applied_seq(), seconds());
  // Citizens are never deleted and each has one entry: a different count
  // means the snapshot and the register disagree somewhere.
  auto count = registry_.CountCitizens();
  if (!count) return std::unexpected(count.error());
  if (static_cast<int64_t>(size()) != *count) {
    return Fail("snapshot.stale", "after catching up the index holds " + std::to_string(size()) +
                                      " citizens, the register " + std::to_string(*count));
  }
  spdlog::info("verify: index loaded from the snapshot in {:.1f} s", seconds());
  return {};
}

void Verifier::InstallIndex(std::unique_ptr<VerificationIndex> index, int64_t seq,
                            std::unique_ptr<BlockingIndex> blocking) {
  // Derived structures are built (unless loaded with a snapshot) before
  // taking the lock and swapped in with the index, so Verify and Match
  // never see the two out of step.
  if (blocking == nullptr) blocking = std::make_unique<BlockingIndex>(*index);
  {
    std::unique_lock lock(index_mu_);
    index_ = std::move(index);
    blocking_ = std::move(blocking);
    ++index_generation_;
  }
  if (seq > applied_seq()) SetApplied(seq);
}

Status Verifier::SaveSnapshot() {
  if (options_.snapshot.empty()) return Fail("snapshot.io", "no snapshot path configured");
  std::lock_guard guard(snapshot_mu_);
  // No event is applied during the write, so the blocking chains written
  // describe exactly the entries written (index_snapshot.h). The follower
  // is normally the caller, so it only holds up itself.
  std::lock_guard no_events(catch_up_mu_);
  // The index reflects at least every event <= seq (SetApplied follows the
  // change); replaying a few events again after a load is harmless.
  int64_t seq = applied_seq();
  if (seq <= 0) return {};  // an empty feed: nothing worth saving
  auto page = registry_.Feed(seq - 1, 1);
  if (!page) return std::unexpected(page.error());
  if (page->events.empty() || page->events[0].seq != seq) {
    return Fail("snapshot.io", "the feed has no event at seq " + std::to_string(seq));
  }
  SnapshotMeta meta{seq, page->events[0].at};
  auto start = std::chrono::steady_clock::now();
  // The index in 4 MiB pieces, each under the shared lock for a few
  // milliseconds (readers share it anyway; the catch-up lock above keeps
  // the pieces one consistent image).
  SnapshotSource source;
  uint64_t generation = 0;
  {
    std::shared_lock lock(index_mu_);
    source.count = index_->size();
    generation = index_generation_;
  }
  auto replaced = [] {
    return Fail("snapshot.io", "the index was rebuilt while its snapshot was written");
  };
  source.read_entries = [&](size_t first, std::span<Entry> out) -> Status {
    std::shared_lock lock(index_mu_);
    if (index_generation_ != generation) return replaced();
    std::memcpy(out.data(), index_->entries().data() + first, out.size_bytes());
    return {};
  };
  source.names_size = [&]() -> Result<size_t> {
    std::shared_lock lock(index_mu_);
    if (index_generation_ != generation) return replaced();
    return index_->names().size();
  };
  source.read_names = [&](size_t first, std::span<char> out) -> Status {
    std::shared_lock lock(index_mu_);
    if (index_generation_ != generation) return replaced();
    std::memcpy(out.data(), index_->names().data() + first, out.size());
    return {};
  };
  source.heads_size = [&](size_t kind) -> Result<size_t> {
    std::shared_lock lock(index_mu_);
    if (index_generation_ != generation) return replaced();
    return blocking_->heads(kind).size();
  };
  source.read_heads = [&](size_t kind, size_t first, std::span<BlockingIndex::Head> out) -> Status {
    std::shared_lock lock(index_mu_);
    if (index_generation_ != generation) return replaced();
    return CopyBlocking(blocking_->heads(kind), first, out, BlockingIndex::Head{});
  };
  source.read_next = [&](size_t kind, size_t first, std::span<uint32_t> out) -> Status {
    std::shared_lock lock(index_mu_);
    if (index_generation_ != generation) return replaced();
    return CopyBlocking(blocking_->next(kind), first, out, BlockingIndex::kNone);
  };
  auto pending = PendingSnapshot::Write(options_.snapshot, source, meta);
  if (!pending) return std::unexpected(pending.error());
  if (auto s = pending->Commit(); !s) return s;
  snapshot_seq_ = seq;
  spdlog::info("verify: index snapshot written (feed seq {}, {} bytes) in {:.1f} s", seq,
               pending->bytes(),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return {};
}

void Verifier::MaybeSaveSnapshot() {
  if (options_.snapshot.empty()) return;
  bool due = snapshot_due_.exchange(false) ||
             applied_seq() - snapshot_seq_.load() >= options_.snapshot_every_events;
  if (!due) return;
  if (auto s = SaveSnapshot(); !s) {
    // Not again until another snapshot_every_events events: a full disk
    // must not turn into a 500 MB write every 100 ms.
    snapshot_seq_ = applied_seq();
    spdlog::warn("verify: writing the index snapshot failed: {} ({})", s.error().message,
                 s.error().code);
  }
}

Status Verifier::Rebuild() {
  // LastSeq before the scan: events committed during the scan are replayed
  // afterwards, and replaying is harmless (entries are re-read, not patched).
  auto seq = registry_.LastSeq();
  if (!seq) return std::unexpected(seq.error());
  auto count = registry_.CountCitizens();
  if (!count) return std::unexpected(count.error());
  auto index = std::make_unique<VerificationIndex>(static_cast<size_t>(*count));
  // In storage order: a sequential read (id order costs a look-up per row).
  auto s = registry_.ScanCitizens(
      [&index](const registry::Citizen& c) -> Status {
        index->Upsert(c);
        return {};
      },
      registry::Registry::ScanOrder::kStorage);
  if (!s) return s;
  index->ShrinkToFit();
  InstallIndex(std::move(index), *seq);
  snapshot_due_ = true;
  return {};
}

Status Verifier::ApplyEvent(const registry::FeedEvent& event) {
  if (event.type == "import") return Rebuild();
  for (const CitizenId& id : Subjects(event)) {
    auto c = registry_.GetCitizen(id);
    if (!c) {
      if (c.error().code == "citizen.not_found") continue;  // nothing to index
      return std::unexpected(c.error());
    }
    std::unique_lock lock(index_mu_);
    // The blocking keys of the old entry go before it changes.
    if (const Entry* old = index_->Find(id.number())) {
      blocking_->Remove(*index_, static_cast<uint32_t>(old - index_->entries().data()));
    }
    index_->Upsert(*c);
    const Entry* now = index_->Find(id.number());
    blocking_->Add(*index_, static_cast<uint32_t>(now - index_->entries().data()));
  }
  return {};
}

Status Verifier::CatchUp() {
  std::lock_guard guard(catch_up_mu_);
  for (;;) {
    auto page = registry_.Feed(applied_seq(), kFeedPage);
    if (!page) return std::unexpected(page.error());
    if (page->events.empty()) return {};
    for (const registry::FeedEvent& e : page->events) {
      if (e.seq <= applied_seq()) continue;  // covered by a rebuild
      if (auto s = ApplyEvent(e); !s) return s;
      if (e.seq > applied_seq()) SetApplied(e.seq);
    }
  }
}

void Verifier::SetApplied(int64_t seq) {
  {
    std::lock_guard lock(applied_mu_);
    applied_seq_.store(seq, std::memory_order_release);
  }
  applied_cv_.notify_all();
}

bool Verifier::WaitUntilApplied(int64_t seq, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(applied_mu_);
  return applied_cv_.wait_for(lock, timeout, [&] { return applied_seq() >= seq; });
}

void Verifier::Start() {
  if (follower_.joinable()) return;
  stop_ = false;
  follower_ = std::thread([this] { Run(); });
}

void Verifier::Stop() {
  stop_ = true;
  if (follower_.joinable()) follower_.join();
  // Clean shutdown: the next start loads this and has nothing to catch up.
  if (!options_.snapshot.empty() && applied_seq() > 0 && applied_seq() != snapshot_seq_.load()) {
    if (auto s = SaveSnapshot(); !s) {
      spdlog::warn("verify: writing the index snapshot at shutdown failed: {} ({})",
                   s.error().message, s.error().code);
    }
  }
}

void Verifier::Run() {
  while (!stop_) {
    if (auto s = CatchUp(); !s) {
      // A storage error (e.g. busy): keep serving the current index, retry.
      spdlog::warn("verify: following the feed failed: {} ({})", s.error().message,
                   s.error().code);
      std::this_thread::sleep_for(kPoll);
      continue;
    }
    MaybeSaveSnapshot();
    // Wakes on a commit by this process; the timeout also catches writes by
    // other processes (CLI events) and lets Stop() end the loop promptly.
    registry_.WaitForFeed(applied_seq(), kPoll);
  }
}

size_t Verifier::size() const {
  std::shared_lock lock(index_mu_);
  return index_->size();
}

size_t Verifier::MemoryBytes() const {
  std::shared_lock lock(index_mu_);
  return index_->MemoryBytes();
}

VerifyResult Verifier::Verify(const VerifyQuery& q) const {
  // The look-up's two cache misses (id slot, then entry) are started early
  // and overlap with hashing and folding the query
  // (VerificationIndex::Prefetch*); measured in bench/verify_bench.cc.
  std::shared_lock lock(index_mu_);
  if (q.id) index_->PrefetchSlot(q.id->number());
  thread_local std::string scratch;  // no allocation once warm
  uint32_t nfc = 0, street = 0;
  if (q.full_name) nfc = Fingerprint(q.full_name->text());
  if (q.id) index_->PrefetchEntry(q.id->number());
  if (q.address) {
    FoldNameTo(*q.address, scratch);
    street = Fingerprint(scratch);
  }
  int32_t old_id = q.old_id ? PackOldId(*q.old_id) : -1;

  VerifyResult r;
  const Entry* e = nullptr;
  if (q.id) {
    e = index_->Find(q.id->number());
  } else if (old_id >= 0) {
    const Entry* found[2];
    if (index_->FindByOldId(old_id, found, 2) == 1) e = found[0];
  }
  if (e == nullptr) return r;

  r.deceased = e->deceased != 0;
  if (q.id) r.fields.push_back({.field = Field::kId, .result = FieldResult::kMatch});
  if (q.old_id) {
    r.fields.push_back({.field = Field::kOldId, .result = Same(old_id >= 0 && e->old_id == old_id)});
  }
  if (q.full_name) r.fields.push_back(CompareName(*index_, *e, *q.full_name, nfc, scratch));
  if (q.date_of_birth) {
    r.fields.push_back({.field = Field::kDateOfBirth,
                        .result = CompareDates(PartialDate::FromPacked(e->date_of_birth),
                                               *q.date_of_birth)});
  }
  if (q.sex) {
    r.fields.push_back(
        {.field = Field::kSex, .result = Same((e->female != 0) == (*q.sex == Sex::kFemale))});
  }
  if (q.has_permanent_address()) {
    FieldOutcome f{.field = Field::kPermanentAddress};
    if (q.commune_code) {
      int32_t commune = PackCommune(*q.commune_code);
      f.commune_code = Same(commune > 0 && static_cast<uint32_t>(commune) == e->commune);
    }
    if (q.address) f.address = Same(street == e->street_hash);
    bool commune_ok = !f.commune_code || *f.commune_code == FieldResult::kMatch;
    bool street_ok = !f.address || *f.address == FieldResult::kMatch;
    if (commune_ok && street_ok) {
      f.result = FieldResult::kMatch;
    } else if (f.commune_code && commune_ok) {
      f.result = FieldResult::kPartial;  // right commune, other street line
    } else {
      f.result = FieldResult::kMismatch;
    }
    r.fields.push_back(f);
  }
  lock.unlock();

  r.status = Outcome::kMatch;
  for (const FieldOutcome& f : r.fields) {
    if (f.result != FieldResult::kMatch) r.status = Outcome::kMismatch;
  }
  return r;
}

}  // namespace dancu::verify
