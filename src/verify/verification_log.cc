#include "verify/verification_log.h"

namespace dancu::verify {

VerificationLog::VerificationLog(const Clock& clock, size_t capacity)
    : clock_(clock), capacity_(std::max<size_t>(capacity, 1)) {}

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

  std::lock_guard lock(mu_);
  auto it = by_agency_.find(agency);
  if (it == by_agency_.end()) it = by_agency_.emplace(std::string(agency), VerificationTotals{}).first;
  VerificationTotals& t = it->second;
  ++t.total;
  switch (rec.status) {
    case Outcome::kMatch: ++t.matched; break;
    case Outcome::kMismatch: ++t.mismatched; break;
    case Outcome::kNotFound: ++t.not_found; break;
  }
  for (size_t i = 0; i < kFieldCount; ++i) {
    if (rec.discrepant & (1u << i)) ++t.discrepancies[i];
  }
  if (ring_.size() < capacity_) {
    ring_.push_back(std::move(rec));
  } else {
    ring_[next_] = std::move(rec);
    next_ = (next_ + 1) % capacity_;
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

std::vector<VerificationRecord> VerificationLog::Recent(size_t max) const {
  std::lock_guard lock(mu_);
  std::vector<VerificationRecord> out;
  size_t n = std::min(max, ring_.size());
  out.reserve(n);
  // Oldest record is at next_ once the ring is full, else at 0.
  size_t start = ring_.size() < capacity_ ? 0 : next_;
  for (size_t i = ring_.size() - n; i < ring_.size(); ++i) {
    out.push_back(ring_[(start + i) % ring_.size()]);
  }
  return out;
}

}  // namespace dancu::verify
