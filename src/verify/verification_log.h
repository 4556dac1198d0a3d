// VerificationLog: who verified whom-less: every verification's agency, time,
// the fields asked about and the outcome, never the submitted values (nor the
// citizen id: the log answers "how is the service used", not "who was looked
// up"; the access log of the data-sharing hub will cover the latter).
//
// Storage: a bounded in-memory ring of the most recent records (default
// 100,000) plus running totals per agency (total, fully matched, not found,
// and discrepancies per field), which GET /v1/stats/verification and
// /metrics report. Nothing is persisted yet: totals restart with the process.
// A persisted, append-only table is planned with the hub's access log.
//
// Thread safety: all methods may be called from any thread (one mutex; a
// record is a few words, so the critical section is tiny).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.h"
#include "verify/verifier.h"

namespace dancu::verify {

struct VerificationRecord {
  Timestamp at;
  std::string agency;
  uint32_t fields = 0;  // bit i = Field i was given
  Outcome status = Outcome::kNotFound;
  uint32_t discrepant = 0;  // bit i = Field i was partial or mismatch
};

struct VerificationTotals {
  uint64_t total = 0;
  uint64_t matched = 0;
  uint64_t mismatched = 0;
  uint64_t not_found = 0;
  std::array<uint64_t, kFieldCount> discrepancies{};  // by Field
};

class VerificationLog {
 public:
  explicit VerificationLog(const Clock& clock, size_t capacity = 100000);

  // Records one answered query.
  void Record(std::string_view agency, const VerifyQuery& query, const VerifyResult& result);

  VerificationTotals Totals() const;
  std::map<std::string, VerificationTotals> TotalsByAgency() const;
  // The most recent records, oldest first.
  std::vector<VerificationRecord> Recent(size_t max) const;

 private:
  const Clock& clock_;
  mutable std::mutex mu_;
  std::vector<VerificationRecord> ring_;
  size_t capacity_;
  size_t next_ = 0;  // ring_ position of the next write once full
  std::map<std::string, VerificationTotals, std::less<>> by_agency_;
};

}  // namespace dancu::verify
