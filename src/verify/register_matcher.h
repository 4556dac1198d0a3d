// RegisterMatcher: record linkage of one agency record (MatchQuery, from
// verifier.h) against the register's VerificationIndex, with candidates from
// the BlockingIndex (blocking_index.h). Verifier::Match calls it under the
// index's shared lock; tests and benchmarks call it on indexes they built.
//
// Scoring is Fellegi-Sunter with fixed m/u per field and level (the table in
// register_matcher.cc, chosen for the Vietnamese population: u from national
// frequencies, m from the corruptions agencies' files show), the weight of a
// level being log2(m/u):
//   full_name      agree (same folded name, when the query has no
//                  diacritics or the same ones), reordered (same tokens,
//                  e.g. given name first), close (one edit or adjacent swap
//                  of the names or of their sorted tokens; or other
//                  diacritics on the same letters, "Hạnh" / "Hành"), similar
//                  (two edits), disagree
//   date_of_birth  agree, day and month swapped, consistent partial date
//                  (the register knows only the year or month), one digit
//                  off, disagree
//   sex            agree, disagree
//   commune_code   same commune, same province, disagree
//   address        same folded street line, other
// A field not given adds 0. The score (0-100) is the weight as a share of
// the weight the query would get if every given field agreed.
//
// Cost (bench/linkage_bench.cc): the ~25 blocking chains of a query are
// walked side by side (BlockingIndex::CollectMany) so their cache misses
// overlap; entries and their names are prefetched ahead while scoring; and
// a name whose letter counts alone put it more than two edits away
// (LetterBins, a lower bound of the edit distance) is scored "disagree"
// without computing any edit distance. None of these changes a weight or
// the candidate set.
//
// Bounds: each blocking key contributes at most kMaxBucket candidates (a
// larger bucket is skipped as unselective) and a query scores at most
// kMaxCandidates distinct entries.
//
// Thread safety: pure functions of const indexes; the caller holds the lock.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "verify/blocking_index.h"
#include "verify/verification_index.h"
#include "verify/verifier.h"

namespace dancu::verify {

inline constexpr size_t kMaxBucket = 2048;
inline constexpr size_t kMaxCandidates = 8192;

struct MatchStats {
  uint64_t candidates = 0;  // entries scored
  uint64_t skipped_keys = 0;
};

// A query prepared once (folded forms, sorted tokens, fingerprints), then
// scored against any number of entries without allocating.
// Bytes of a text counted per bin (byte & 31), for a cheap lower bound of
// the edit distance (register_matcher.cc LetterBound).
using LetterBins = std::array<int16_t, 32>;

class PreparedMatchQuery {
 public:
  explicit PreparedMatchQuery(const MatchQuery& query);
  double Weight(const VerificationIndex& index, const Entry& e) const;
  double max_weight() const { return max_weight_; }
  const MatchQuery& query() const { return query_; }
  const std::string& folded() const { return folded_; }
  const std::string& sorted() const { return sorted_; }
  int province() const { return province_; }

 private:
  const MatchQuery& query_;
  std::string folded_, sorted_;
  uint32_t folded_hash_ = 0, nfc_hash_ = 0, tokens_hash_ = 0, street_hash_ = 0;
  bool has_marks_ = false;  // the name was written with diacritics
  LetterBins bins_{};       // of folded_
  bool sorts_whole_ = false;  // sorted_ holds every letter of folded_
  int32_t dob_ = 0, swapped_dob_ = 0;
  int32_t commune_ = -1;
  int province_ = 0;
  double max_weight_ = 0;
};

// The distinct entry positions the query's blocking keys name (bounded as
// above), into `positions` (cleared first).
void CollectCandidates(const BlockingIndex& blocking, const PreparedMatchQuery& prepared,
                       std::vector<uint32_t>& positions, MatchStats* stats = nullptr);

// The weight of each entry at `positions`, into `weights` (same order);
// allocation-free once `weights` has grown, entries prefetched ahead.
void ScoreCandidates(const VerificationIndex& index, const PreparedMatchQuery& prepared,
                     std::span<const uint32_t> positions, std::vector<double>& weights);

std::vector<MatchCandidate> MatchRegister(const VerificationIndex& index,
                                          const BlockingIndex& blocking, const MatchQuery& query,
                                          const MatchOptions& options, MatchStats* stats = nullptr);

}  // namespace dancu::verify
