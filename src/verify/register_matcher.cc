// Verifier::Match and the register matcher (register_matcher.h).
#include "verify/register_matcher.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/person_name.h"
#include "linkage/comparators.h"
#include "verify/matching.h"
#include "verify/name_tokens.h"

namespace dancu::verify {
namespace {

// log2(m/u) per level. m: P(level | same person) in agency files; u:
// P(level | two different people) in the national population.
struct Weights {
  // full_name: u(agree) ~ the share of the commonest full names.
  static constexpr double kNameAgree = 12.97;      // m .80, u 1e-4
  static constexpr double kNameReordered = 11.97;  // m .08, u 2e-5
  static constexpr double kNameClose = 7.32;       // m .08, u 5e-4
  static constexpr double kNameSimilar = 1.0;      // m .02, u 1e-2
  static constexpr double kNameDisagree = -5.63;   // m .02, u .99
  // date_of_birth: u(agree) = 1 / (365 * 80) days of birth.
  static constexpr double kDobAgree = 14.71;     // m .90, u 3.4e-5
  static constexpr double kDobSwapped = 9.80;    // m .03, u 3.4e-5
  static constexpr double kDobOneDigit = 3.32;   // m .01, u 1e-3
  static constexpr double kDobPartial = 1.68;    // m .04, u 1/80 (same year)
  static constexpr double kDobDisagree = -7.63;  // m .005, u .99
  // sex
  static constexpr double kSexAgree = 0.99;      // m .99, u .5
  static constexpr double kSexDisagree = -5.64;  // m .01, u .5
  // commune (3,321 communes in 34 provinces)
  static constexpr double kCommuneAgree = 11.38;     // m .80, u 1/3321
  static constexpr double kProvinceAgree = 1.77;     // m .10, u 1/34
  static constexpr double kCommuneDisagree = -3.28;  // m .10, u .97
  // street line (folded fingerprint)
  static constexpr double kStreetAgree = 12.55;     // m .60, u 1e-4
  static constexpr double kStreetDisagree = -1.32;  // m .40, u 1
};

// Whether SortedInto keeps every byte but spaces of a text with this many
// bytes and bytes in bin 0 (spaces and a few others, see LetterBound): no
// token dropped (at most kMaxNameTokens) and nothing cut at kMaxSortedName.
bool SortsWhole(size_t size, int bin0) {
  return size + 2 <= kMaxSortedName && bin0 < static_cast<int>(kMaxNameTokens);
}

// The sorted-token form of a folded name, in `buf` (kMaxSortedNameName bytes).
std::string_view SortedInto(std::string_view folded, char* buf) {
  std::string_view t[kMaxNameTokens];
  return SortedNameTokens(t, SplitNameTokens(folded, t), buf);
}

// dd and mm exchanged, if that is another valid full date; else 0.
int32_t SwappedDob(PartialDate d) {
  if (!d.IsFull() || d.day() > 12 || d.day() == d.month()) return 0;
  auto swapped = PartialDate::Make(d.year(), d.day(), d.month());
  return swapped ? swapped->Packed() : 0;
}

// A lower bound of the edit distance between two texts: per letter bin
// (byte & 31; bin 0, which holds the space, is left out), what `a` has more
// of, or fewer, whichever is larger. Each edit changes one bin by +1 and at
// most one other by -1, so no fewer edits can turn one into the other.
// `a_bins` is the bins of `a`; `b_bin0` receives b's bytes in bin 0.
int LetterBound(const LetterBins& a_bins, std::string_view b, int& b_bin0) {
  LetterBins d = a_bins;
  for (unsigned char c : b) --d[c & 31];
  b_bin0 = -d[0] + a_bins[0];
  int more = 0, fewer = 0;
  for (size_t i = 1; i < d.size(); ++i) {
    more += std::max<int>(d[i], 0);
    fewer += std::max<int>(-d[i], 0);
  }
  return std::max(more, fewer);
}

// One digit of the 8-digit packed dates differs (a typing error).
bool OneDigitOff(int32_t a, int32_t b) {
  int diffs = 0;
  for (int i = 0; i < 8; ++i, a /= 10, b /= 10) diffs += (a % 10) != (b % 10);
  return diffs == 1;
}

}  // namespace

PreparedMatchQuery::PreparedMatchQuery(const MatchQuery& q) : query_(q) {
  if (q.full_name) {
    folded_ = q.full_name->folded();
    char buf[kMaxSortedName];
    sorted_ = SortedInto(folded_, buf);
    folded_hash_ = Fingerprint(folded_);
    nfc_hash_ = Fingerprint(q.full_name->text());
    has_marks_ = std::any_of(q.full_name->text().begin(), q.full_name->text().end(),
                             [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
    tokens_hash_ = Fingerprint(SortedTokens(folded_));
    for (unsigned char c : folded_) ++bins_[c & 31];
    sorts_whole_ = SortsWhole(folded_.size(), bins_[0]);
    max_weight_ += Weights::kNameAgree;
  }
  if (q.date_of_birth) {
    dob_ = q.date_of_birth->Packed();
    swapped_dob_ = SwappedDob(*q.date_of_birth);
    max_weight_ += Weights::kDobAgree;
  }
  if (q.sex) max_weight_ += Weights::kSexAgree;
  if (q.commune_code) {
    commune_ = PackCommune(*q.commune_code);
    province_ =
        commune_ > 0 ? BlockingIndex::ProvinceOfCommune(static_cast<uint32_t>(commune_)) : 0;
    max_weight_ += Weights::kCommuneAgree;
  }
  if (q.address) {
    street_hash_ = Fingerprint(FoldName(*q.address));
    max_weight_ += Weights::kStreetAgree;
  }
}

double PreparedMatchQuery::Weight(const VerificationIndex& index, const Entry& e) const {
  double w = 0;
  if (query_.full_name) {
    std::string_view r = index.FoldedName(e);
    if (e.folded_hash == folded_hash_ && r == folded_) {
      // Written with diacritics that differ from the register's ("Hạnh" /
      // "Hành"): the same letters, but likely another name.
      w += !has_marks_ || e.nfc_hash == nfc_hash_ ? Weights::kNameAgree : Weights::kNameClose;
    } else if (e.tokens_hash == tokens_hash_) {
      w += Weights::kNameReordered;
    } else if (int bin0 = 0; LetterBound(bins_, r, bin0) > 2 && sorts_whole_ &&
                              SortsWhole(r.size(), bin0)) {
      // More than two edits apart, in written and in sorted order alike
      // (the same letters): neither close nor similar. Most candidates of a
      // family-name + date key end here, before any edit distance.
      w += Weights::kNameDisagree;
    } else {
      // Edit distance, not Jaro-Winkler: Vietnamese names share long
      // prefixes ("nguyen thi ..."), which Jaro-Winkler rewards.
      char buf[kMaxSortedName];
      std::string_view rs = SortedInto(r, buf);
      if (linkage::WithinOneEdit(folded_, r) || linkage::WithinOneEdit(sorted_, rs)) {
        w += Weights::kNameClose;
      } else if (linkage::EditDistance(folded_, r, 2) <= 2 ||
                 linkage::EditDistance(sorted_, rs, 2) <= 2) {
        w += Weights::kNameSimilar;
      } else {
        w += Weights::kNameDisagree;
      }
    }
  }
  if (query_.date_of_birth) {
    int32_t reg = e.date_of_birth;
    if (reg == dob_) {
      w += Weights::kDobAgree;
    } else if (swapped_dob_ != 0 && reg == swapped_dob_) {
      w += Weights::kDobSwapped;
    } else if (CompareDates(PartialDate::FromPacked(reg), *query_.date_of_birth) ==
               FieldResult::kPartial) {
      w += Weights::kDobPartial;
    } else if (OneDigitOff(reg, dob_)) {
      w += Weights::kDobOneDigit;
    } else {
      w += Weights::kDobDisagree;
    }
  }
  if (query_.sex) {
    bool female = *query_.sex == Sex::kFemale;
    w += (e.female != 0) == female ? Weights::kSexAgree : Weights::kSexDisagree;
  }
  if (query_.commune_code) {
    if (commune_ > 0 && e.commune == static_cast<uint32_t>(commune_)) {
      w += Weights::kCommuneAgree;
    } else if (province_ != 0 && BlockingIndex::ProvinceOfCommune(e.commune) == province_) {
      w += Weights::kProvinceAgree;
    } else {
      w += Weights::kCommuneDisagree;
    }
  }
  if (query_.address) {
    w += e.street_hash == street_hash_ ? Weights::kStreetAgree : Weights::kStreetDisagree;
  }
  return w;
}

void CollectCandidates(const BlockingIndex& blocking, const PreparedMatchQuery& prepared,
                       std::vector<uint32_t>& positions, MatchStats* stats) {
  const MatchQuery& query = prepared.query();
  positions.clear();
  uint64_t skipped = 0;
  // Every key first (at most 1 + 4 dates x 8 tokens x 3 = 97), then one
  // CollectMany, whose chain walks overlap their cache misses.
  constexpr size_t kMaxKeys = 1 + 4 * kMaxNameTokens * 3;
  static_assert(kMaxKeys <= BlockingIndex::kMaxRequests);
  BlockingIndex::Request keys[kMaxKeys];
  size_t nkeys = 0;
  auto collect = [&](BlockingIndex::Kind kind, uint64_t key) { keys[nkeys++] = {kind, key}; };
  std::string_view tokens[kMaxNameTokens];
  size_t n = SplitNameTokens(prepared.folded(), tokens);
  if (query.date_of_birth && prepared.province() != 0 && n > 0) {
    collect(BlockingIndex::Kind::kNameYearProvince,
            BlockingIndex::NameYearProvinceKey(prepared.sorted(), query.date_of_birth->year(),
                                               prepared.province()));
  }
  if (query.date_of_birth) {
    const PartialDate& d = *query.date_of_birth;
    // The date as given, day and month swapped, and as the register holds
    // dates known only to the month or year.
    int32_t dobs[4] = {d.Packed(), SwappedDob(d), 0, 0};
    if (d.precision() != PartialDate::Precision::kYear) dobs[2] = d.year() * 10000;
    if (d.IsFull()) dobs[3] = d.year() * 10000 + d.month() * 100;
    for (int32_t dob : dobs) {
      if (dob == 0) continue;
      for (size_t i = 0; i < n; ++i) {
        for (int female = 0; female < 2; ++female) {
          if (query.sex && (*query.sex == Sex::kFemale) != (female == 1)) continue;
          collect(BlockingIndex::Kind::kFamilyDob,
                  BlockingIndex::FamilyDobKey(tokens[i], dob, female == 1));
        }
        collect(BlockingIndex::Kind::kGivenDob,
                BlockingIndex::TokenDobKey(BlockingIndex::Kind::kGivenDob, tokens[i], dob));
      }
    }
  }
  thread_local std::vector<uint8_t> key_of;
  uint32_t counts[kMaxKeys];
  blocking.CollectMany(std::span(keys, nkeys), kMaxBucket, positions, key_of,
                       std::span(counts, nkeys));
  // As if the keys were collected one by one in order, stopping once
  // kMaxCandidates positions are in: the keys after that point are not
  // used (and not counted as skipped).
  size_t running = 0;
  size_t first_unused = nkeys;
  for (size_t i = 0; i < nkeys; ++i) {
    if (running >= kMaxCandidates) {
      first_unused = i;
      break;
    }
    if (counts[i] == BlockingIndex::kUnselective) {
      ++skipped;
    } else {
      running += counts[i];
    }
  }
  if (first_unused < nkeys) {
    size_t kept = 0;
    for (size_t j = 0; j < positions.size(); ++j) {
      if (key_of[j] < first_unused) positions[kept++] = positions[j];
    }
    positions.resize(kept);
  }
  std::sort(positions.begin(), positions.end());
  positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
  if (positions.size() > kMaxCandidates) positions.resize(kMaxCandidates);
  if (stats != nullptr) {
    stats->candidates += positions.size();
    stats->skipped_keys += skipped;
  }
}

void ScoreCandidates(const VerificationIndex& index, const PreparedMatchQuery& prepared,
                     std::span<const uint32_t> positions, std::vector<double>& weights) {
  weights.resize(positions.size());
  auto entries = index.entries();
  const char* names = index.names().data();
  // Entries and then their names are cache misses in a large register: the
  // entry kAhead candidates on is prefetched, and the name of the one
  // kAhead / 2 on (its entry has arrived by then).
  constexpr size_t kAhead = 8;
  const size_t n = positions.size();
  for (size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) __builtin_prefetch(&entries[positions[i + kAhead]]);
    if (i + kAhead / 2 < n) __builtin_prefetch(names + entries[positions[i + kAhead / 2]].name_offset);
    weights[i] = prepared.Weight(index, entries[positions[i]]);
  }
}

std::vector<MatchCandidate> MatchRegister(const VerificationIndex& index,
                                          const BlockingIndex& blocking, const MatchQuery& query,
                                          const MatchOptions& options, MatchStats* stats) {
  PreparedMatchQuery prepared(query);
  std::vector<uint32_t> positions;
  CollectCandidates(blocking, prepared, positions, stats);

  std::vector<double> weights;
  ScoreCandidates(index, prepared, positions, weights);
  std::vector<MatchCandidate> out;
  auto entries = index.entries();
  double max_weight = prepared.max_weight();
  for (size_t i = 0; i < positions.size(); ++i) {
    double w = weights[i];
    if (w < options.review_threshold) continue;
    const Entry& e = entries[positions[i]];
    auto id = CitizenId::FromNumber(e.id);
    if (!id) continue;  // stored ids are valid; never expected
    MatchCandidate c;
    c.id = *id;
    c.weight = w;
    c.score = max_weight <= 0
                  ? 0
                  : std::clamp(static_cast<int>(std::lround(100.0 * w / max_weight)), 0, 100);
    c.needs_review = w < options.threshold;
    out.push_back(c);
  }
  std::sort(out.begin(), out.end(), [](const MatchCandidate& a, const MatchCandidate& b) {
    return a.weight > b.weight || (a.weight == b.weight && a.id.number() < b.id.number());
  });
  if (out.size() > options.limit) out.resize(options.limit);
  return out;
}

std::vector<MatchCandidate> Verifier::Match(const MatchQuery& query,
                                            const MatchOptions& options) const {
  std::shared_lock lock(index_mu_);
  return MatchRegister(*index_, *blocking_, query, options);
}

}  // namespace dancu::verify
