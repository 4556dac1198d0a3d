#include "verify/verifier.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <spdlog/spdlog.h>

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

FieldOutcome CompareName(const VerificationIndex& index, const Entry& e, const PersonName& name,
                         uint32_t nfc, uint32_t folded, uint32_t tokens) {
  FieldOutcome f{.field = Field::kFullName};
  NameLevel level;
  int distance = 0;
  std::string_view registered = index.FoldedName(e);
  if (nfc == e.nfc_hash) {
    level = NameLevel::kExact;
  } else if (folded == e.folded_hash) {
    level = NameLevel::kSameAfterFolding;
  } else if (tokens == e.tokens_hash) {
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

Verifier::Verifier(const registry::Registry& registry)
    : registry_(registry), index_(std::make_unique<VerificationIndex>()) {}

Verifier::~Verifier() { Stop(); }

Result<std::unique_ptr<Verifier>> Verifier::Create(const registry::Registry& registry) {
  std::unique_ptr<Verifier> v(new Verifier(registry));
  if (auto s = v->Rebuild(); !s) return std::unexpected(s.error());
  return v;
}

Status Verifier::Rebuild() {
  // LastSeq before the scan: events committed during the scan are replayed
  // afterwards, and replaying is harmless (entries are re-read, not patched).
  auto seq = registry_.LastSeq();
  if (!seq) return std::unexpected(seq.error());
  auto count = registry_.CountCitizens();
  if (!count) return std::unexpected(count.error());
  auto index = std::make_unique<VerificationIndex>(static_cast<size_t>(*count));
  auto s = registry_.ScanCitizens([&index](const registry::Citizen& c) -> Status {
    index->Upsert(c);
    return {};
  });
  if (!s) return s;
  index->ShrinkToFit();
  {
    std::unique_lock lock(index_mu_);
    index_ = std::move(index);
  }
  if (*seq > applied_seq()) SetApplied(*seq);
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
    index_->Upsert(*c);
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
  // Query fingerprints outside the lock.
  uint32_t nfc = 0, folded = 0, tokens = 0, street = 0;
  if (q.full_name) {
    nfc = Fingerprint(q.full_name->text());
    folded = Fingerprint(q.full_name->folded());
    tokens = Fingerprint(SortedTokens(q.full_name->folded()));
  }
  if (q.address) street = Fingerprint(FoldName(*q.address));
  int32_t old_id = q.old_id ? PackOldId(*q.old_id) : -1;

  VerifyResult r;
  std::shared_lock lock(index_mu_);
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
  if (q.full_name) r.fields.push_back(CompareName(*index_, *e, *q.full_name, nfc, folded, tokens));
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
