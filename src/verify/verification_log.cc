#include "verify/verification_log.h"

#include <spdlog/spdlog.h>

#include <cstdio>

namespace dancu::verify {
namespace {

constexpr uint64_t kEverything = UINT64_MAX;

// The inverse of FormatTimestamp for the text this log wrote.
Timestamp ParseStoredTimestamp(std::string_view text) {
  using namespace std::chrono;
  int y = 0;
  unsigned mo = 0, d = 0, h = 0, mi = 0, s = 0;
  long long us = 0;
  std::string copy(text);
  if (std::sscanf(copy.c_str(), "%d-%u-%uT%u:%u:%u.%lldZ", &y, &mo, &d, &h, &mi, &s, &us) != 7) {
    std::abort();  // written by Write: the table is corrupt
  }
  return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s} +
         microseconds{us};
}

void Add(VerificationTotals& t, const VerificationRecord& rec) {
  ++t.total;
  switch (rec.status) {
    case Outcome::kMatch:
      ++t.matched;
      break;
    case Outcome::kMismatch:
      ++t.mismatched;
      break;
    case Outcome::kNotFound:
      ++t.not_found;
      break;
  }
  for (size_t i = 0; i < kFieldCount; ++i) {
    if (rec.discrepant & (1u << i)) ++t.discrepancies[i];
  }
}

}  // namespace

VerificationLog::VerificationLog(const Clock& clock) : clock_(clock), options_{} {}

VerificationLog::VerificationLog(const Clock& clock, std::unique_ptr<storage::Connection> conn,
                                 VerificationLogOptions options)
    : clock_(clock), options_(options), conn_(std::move(conn)) {}

VerificationLog::~VerificationLog() { Stop(); }

Result<std::unique_ptr<VerificationLog>> VerificationLog::Open(storage::Database& db,
                                                               const Clock& clock,
                                                               VerificationLogOptions options) {
  options.queue_capacity = std::max<size_t>(options.queue_capacity, 1);
  options.batch_max = std::max<size_t>(options.batch_max, 1);
  auto conn = db.Connect();
  if (!conn) return std::unexpected(conn.error());
  std::unique_ptr<VerificationLog> log(new VerificationLog(clock, std::move(*conn), options));
  if (auto s = log->RestoreTotals(); !s) return std::unexpected(s.error());
  if (options.writer_thread) log->writer_ = std::thread([p = log.get()] { p->Run(); });
  return log;
}

Status VerificationLog::RestoreTotals() {
  std::lock_guard w(write_mu_);
  auto& q = conn_->Cached(
      "SELECT agency, total, matched, mismatched, not_found, disc_id, disc_old_id, "
      "disc_full_name, disc_date_of_birth, disc_sex, disc_permanent_address "
      "FROM verification_totals");
  std::lock_guard lock(mu_);
  return q.ForEachRow([&] {
    VerificationTotals& t = by_agency_[std::string(q.Text(0))];
    t.total = static_cast<uint64_t>(q.Int(1));
    t.matched = static_cast<uint64_t>(q.Int(2));
    t.mismatched = static_cast<uint64_t>(q.Int(3));
    t.not_found = static_cast<uint64_t>(q.Int(4));
    for (size_t i = 0; i < kFieldCount; ++i) {
      t.discrepancies[i] = static_cast<uint64_t>(q.Int(5 + static_cast<int>(i)));
    }
  });
}

void VerificationLog::Record(std::string_view agency, const VerifyQuery& query,
                             const VerifyResult& result) {
  VerificationRecord rec;
  rec.at = clock_.Now();
  rec.agency = std::string(agency);
  auto bit = [](Field f) { return 1u << static_cast<unsigned>(f); };
  if (query.id) rec.fields |= bit(Field::kId);
  if (query.old_id) rec.fields |= bit(Field::kOldId);
  if (query.full_name) rec.fields |= bit(Field::kFullName);
  if (query.date_of_birth) rec.fields |= bit(Field::kDateOfBirth);
  if (query.sex) rec.fields |= bit(Field::kSex);
  if (query.has_permanent_address()) rec.fields |= bit(Field::kPermanentAddress);
  rec.status = result.status;
  for (const FieldOutcome& f : result.fields) {
    if (f.result != FieldResult::kMatch) rec.discrepant |= bit(f.field);
  }

  std::unique_lock lock(mu_);
  auto it = by_agency_.find(agency);
  if (it == by_agency_.end())
    it = by_agency_.emplace(std::string(agency), VerificationTotals{}).first;
  Add(it->second, rec);
  if (!conn_) return;
  // Room in the queue; after Stop nobody drains it concurrently, so it may
  // grow until the next Flush or Stop rather than block forever.
  while (queue_.size() >= options_.queue_capacity && !stop_) {
    ++blocked_;
    not_full_cv_.wait(lock);
    --blocked_;
  }
  queue_.push_back(std::move(rec));
  ++enqueued_;
  if (queue_.size() >= options_.batch_max) work_cv_.notify_one();
}

std::vector<VerificationRecord> VerificationLog::TakeBatch() {
  size_t n = std::min(queue_.size(), options_.batch_max);
  std::vector<VerificationRecord> batch(std::make_move_iterator(queue_.begin()),
                                        std::make_move_iterator(queue_.begin() + n));
  queue_.erase(queue_.begin(), queue_.begin() + n);
  return batch;
}

Status VerificationLog::Write(std::vector<VerificationRecord> batch) {
  // write_mu_ is held. The totals on disk change in the records' transaction.
  std::map<std::string_view, VerificationTotals> delta;
  for (const VerificationRecord& r : batch) Add(delta[r.agency], r);
  auto commit = [&]() -> Status {
    auto tx = storage::Transaction::Begin(*conn_);
    if (!tx) return std::unexpected(tx.error());
    auto& ins = conn_->Cached(
        "INSERT INTO verifications (at, agency, fields, status, discrepant) VALUES (?, ?, ?, ?, "
        "?)");
    for (const VerificationRecord& r : batch) {
      std::string at = FormatTimestamp(r.at);
      ins.BindText(1, at);
      ins.BindText(2, r.agency);
      ins.BindInt(3, r.fields);
      ins.BindInt(4, static_cast<int64_t>(r.status));
      ins.BindInt(5, r.discrepant);
      auto s = ins.Run();
      ins.Reset();
      if (!s) return s;
    }
    auto& up = conn_->Cached(
        "INSERT INTO verification_totals (agency, total, matched, mismatched, not_found, disc_id, "
        "disc_old_id, disc_full_name, disc_date_of_birth, disc_sex, disc_permanent_address) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (agency) DO UPDATE SET "
        "total = verification_totals.total + excluded.total, "
        "matched = verification_totals.matched + excluded.matched, "
        "mismatched = verification_totals.mismatched + excluded.mismatched, "
        "not_found = verification_totals.not_found + excluded.not_found, "
        "disc_id = verification_totals.disc_id + excluded.disc_id, "
        "disc_old_id = verification_totals.disc_old_id + excluded.disc_old_id, "
        "disc_full_name = verification_totals.disc_full_name + excluded.disc_full_name, "
        "disc_date_of_birth = verification_totals.disc_date_of_birth + "
        "excluded.disc_date_of_birth, "
        "disc_sex = verification_totals.disc_sex + excluded.disc_sex, "
        "disc_permanent_address = "
        "verification_totals.disc_permanent_address + excluded.disc_permanent_address");
    for (const auto& [agency, t] : delta) {
      up.BindText(1, agency);
      up.BindInt(2, static_cast<int64_t>(t.total));
      up.BindInt(3, static_cast<int64_t>(t.matched));
      up.BindInt(4, static_cast<int64_t>(t.mismatched));
      up.BindInt(5, static_cast<int64_t>(t.not_found));
      for (size_t i = 0; i < kFieldCount; ++i) {
        up.BindInt(6 + static_cast<int>(i), static_cast<int64_t>(t.discrepancies[i]));
      }
      auto s = up.Run();
      up.Reset();
      if (!s) return s;
    }
    return tx->Commit();
  };
  Status s = commit();
  std::lock_guard lock(mu_);
  if (s) {
    committed_ += batch.size();
  } else {
    // Back at the front, in order: nothing is lost while the disk recovers.
    queue_.insert(queue_.begin(), std::make_move_iterator(batch.begin()),
                  std::make_move_iterator(batch.end()));
    ++failures_;
    last_error_ = s.error();
  }
  done_cv_.notify_all();
  return s;
}

Status VerificationLog::Drain(uint64_t target) {
  // Taking a batch and committing it both happen under write_mu_, so batches
  // commit in queue order whoever drains.
  std::lock_guard w(write_mu_);
  for (;;) {
    std::vector<VerificationRecord> batch;
    {
      std::lock_guard lock(mu_);
      if (committed_ >= target || queue_.empty()) return {};
      batch = TakeBatch();
    }
    not_full_cv_.notify_all();
    if (auto s = Write(std::move(batch)); !s) return s;
  }
}

void VerificationLog::Run() {
  for (;;) {
    {
      std::unique_lock lock(mu_);
      work_cv_.wait_for(lock, options_.flush_interval, [this] {
        return stop_ || flush_requested_ || queue_.size() >= options_.batch_max;
      });
      if (stop_) return;  // Stop drains the rest on its own thread
      flush_requested_ = false;
      if (queue_.empty()) continue;
    }
    Status s = Drain(kEverything);
    if (!s) {
      spdlog::error("verification record: commit failed, retrying in {} ms: {} ({})",
                    options_.flush_interval.count(), s.error().message, s.error().code);
      std::unique_lock lock(mu_);
      work_cv_.wait_for(lock, options_.flush_interval, [this] { return stop_; });
    }
  }
}

Status VerificationLog::Flush() {
  if (!conn_) return {};
  std::unique_lock lock(mu_);
  uint64_t target = enqueued_;
  if (!options_.writer_thread || stop_) {
    lock.unlock();
    return Drain(target);
  }
  uint64_t failures = failures_;
  flush_requested_ = true;
  work_cv_.notify_one();
  done_cv_.wait(lock, [&] { return committed_ >= target || failures_ != failures; });
  if (committed_ >= target) return {};
  return std::unexpected(last_error_);
}

void VerificationLog::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  work_cv_.notify_all();
  not_full_cv_.notify_all();
  if (writer_.joinable()) writer_.join();
  if (!conn_) return;
  if (auto s = Drain(kEverything); !s) {
    spdlog::error("verification record: {} records could not be written at shutdown: {} ({})",
                  pending(), s.error().message, s.error().code);
  }
}

VerificationTotals VerificationLog::Totals() const {
  std::lock_guard lock(mu_);
  VerificationTotals sum;
  for (const auto& [agency, t] : by_agency_) {
    sum.total += t.total;
    sum.matched += t.matched;
    sum.mismatched += t.mismatched;
    sum.not_found += t.not_found;
    for (size_t i = 0; i < kFieldCount; ++i) sum.discrepancies[i] += t.discrepancies[i];
  }
  return sum;
}

std::map<std::string, VerificationTotals> VerificationLog::TotalsByAgency() const {
  std::lock_guard lock(mu_);
  return {by_agency_.begin(), by_agency_.end()};
}

size_t VerificationLog::pending() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

size_t VerificationLog::blocked() const {
  std::lock_guard lock(mu_);
  return blocked_;
}

Result<std::vector<VerificationRecord>> VerificationLog::Stored(size_t max) const {
  std::vector<VerificationRecord> out;
  if (!conn_) return out;
  std::lock_guard w(write_mu_);
  auto& q = conn_->Cached(
      "SELECT at, agency, fields, status, discrepant FROM (SELECT id, at, agency, fields, status, "
      "discrepant FROM verifications ORDER BY id DESC LIMIT ?) AS newest ORDER BY id");
  q.BindInt(1, static_cast<int64_t>(std::min<size_t>(max, INT64_MAX)));
  auto s = q.ForEachRow([&] {
    int64_t status = q.Int(3);
    if (status < 0 || status > 2) std::abort();  // written by Write: corrupt table
    out.push_back(VerificationRecord{ParseStoredTimestamp(q.Text(0)), std::string(q.Text(1)),
                                     static_cast<uint32_t>(q.Int(2)), static_cast<Outcome>(status),
                                     static_cast<uint32_t>(q.Int(4))});
  });
  if (!s) return std::unexpected(s.error());
  return out;
}

}  // namespace dancu::verify
