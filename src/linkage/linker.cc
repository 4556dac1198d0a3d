#include "linkage/linker.h"

#include <algorithm>
#include <cmath>

#include "core/random.h"
#include "linkage/key_hash.h"

namespace dancu::linkage {
namespace {

constexpr size_t kMinRecordsForU = 1000;

struct KeyRow {
  uint64_t key;
  uint32_t row;
  uint32_t side;  // 0 left, 1 right
  bool operator<(const KeyRow& o) const { return key < o.key || (key == o.key && side < o.side); }
};

}  // namespace

Linker::Linker(std::vector<FieldSpec> fields, LinkOptions options)
    : fields_(std::move(fields)), options_(options) {
  for (const FieldSpec& f : fields_) models_.push_back(DefaultModel(f.type));
}

void Linker::Prepare(const RecordTable& left, const RecordTable& right, bool same_table) {
  for (size_t f = 0; f < fields_.size(); ++f) models_[f] = DefaultModel(fields_[f].type);
  // Small inputs keep the defaults: among random pairs of a few records the
  // true matches themselves are a visible share and would inflate u.
  if (options_.u_samples == 0 || left.size() < kMinRecordsForU || right.size() < kMinRecordsForU) {
    return;
  }
  SeededRandom random(options_.seed);
  std::vector<std::array<uint64_t, kLevels>> counts(fields_.size());
  for (size_t s = 0; s < options_.u_samples; ++s) {
    size_t i = random.Uniform(left.size());
    size_t j = random.Uniform(right.size());
    if (same_table && i == j) continue;
    for (size_t f = 0; f < fields_.size(); ++f) {
      Level l = Compare(fields_[f].type, left.value(f, i), right.value(f, j));
      if (l != Level::kMissing) ++counts[f][size_t(l)];
    }
  }
  // Smoothed towards the default: u = (count + k * u0) / (n + k). A level
  // never seen in n samples keeps a u near its prior, floored at 0.2 / n so
  // one unseen level cannot dominate the total.
  constexpr double k = 50;
  for (size_t f = 0; f < fields_.size(); ++f) {
    double n = 0;
    for (uint64_t c : counts[f]) n += static_cast<double>(c);
    if (n == 0) continue;
    FieldModel& model = models_[f];
    for (size_t l = 0; l < kLevels; ++l) {
      if (model.u[l] == 0) continue;
      double u = (static_cast<double>(counts[f][l]) + k * model.u[l]) / (n + k);
      model.u[l] = std::max(u, 0.2 / n);
    }
    model.ComputeWeights();
  }
}

std::vector<uint64_t> Linker::Candidates(const RecordTable& left, const RecordTable& right,
                                         bool same_table, LinkStats* stats) const {
  std::vector<uint64_t> pairs;
  std::vector<KeyRow> keys;
  const size_t nf = fields_.size();
  // Key definitions: each field alone, then each pair of fields.
  std::vector<std::pair<size_t, size_t>> defs;
  for (size_t a = 0; a < nf; ++a) defs.emplace_back(a, a);
  for (size_t a = 0; a < nf; ++a) {
    for (size_t b = a + 1; b < nf; ++b) defs.emplace_back(a, b);
  }
  uint64_t skipped = 0;
  std::string scratch_a, scratch_b;
  for (auto [a, b] : defs) {
    keys.clear();
    auto add = [&](const RecordTable& t, uint32_t side) {
      for (size_t r = 0; r < t.size(); ++r) {
        std::string_view va = BlockingValue(fields_[a].type, t.value(a, r), scratch_a);
        std::string_view vb = BlockingValue(fields_[b].type, t.value(b, r), scratch_b);
        if (va.empty() || vb.empty()) continue;
        uint64_t h = HashBytes(va, 0xcbf29ce484222325ULL ^ (a * 0x9e3779b97f4a7c15ULL));
        if (b != a) h = HashBytes(vb, MixKey(h) ^ b);
        keys.push_back({MixKey(h), static_cast<uint32_t>(r), side});
      }
    };
    add(left, 0);
    if (!same_table) add(right, 1);
    std::sort(keys.begin(), keys.end());
    for (size_t s = 0; s < keys.size();) {
      size_t e = s + 1;
      while (e < keys.size() && keys[e].key == keys[s].key) ++e;
      if (same_table) {
        size_t n = e - s;
        if (n > options_.max_block) {
          ++skipped;
        } else {
          for (size_t x = s; x < e; ++x) {
            for (size_t y = x + 1; y < e; ++y) {
              uint64_t lo = std::min(keys[x].row, keys[y].row),
                       hi = std::max(keys[x].row, keys[y].row);
              pairs.push_back(lo << 32 | hi);
            }
          }
        }
      } else {
        size_t mid = s;
        while (mid < e && keys[mid].side == 0) ++mid;
        if (mid - s > options_.max_block || e - mid > options_.max_block) {
          ++skipped;
        } else {
          for (size_t x = s; x < mid; ++x) {
            for (size_t y = mid; y < e; ++y) {
              pairs.push_back(uint64_t{keys[x].row} << 32 | keys[y].row);
            }
          }
        }
      }
      s = e;
    }
    // Keep the pair list compact as it grows.
    if (pairs.size() > (size_t{1} << 24)) {
      std::sort(pairs.begin(), pairs.end());
      pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    }
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  if (stats != nullptr) {
    stats->blocks_skipped = skipped;
    stats->candidates = pairs.size();
  }
  return pairs;
}

std::vector<ScoredPair> Linker::ScoreAll(const RecordTable& left, const RecordTable& right,
                                         bool same_table, LinkStats* stats) {
  Prepare(left, right, same_table);
  LinkStats local;
  if (stats == nullptr) stats = &local;
  std::vector<uint64_t> pairs = Candidates(left, right, same_table, stats);
  double floor =
      options_.review ? std::min(*options_.review, options_.threshold) : options_.threshold;
  std::vector<ScoredPair> out;
  for (uint64_t p : pairs) {
    uint32_t i = static_cast<uint32_t>(p >> 32), j = static_cast<uint32_t>(p);
    double w = Score(left, i, right, j);
    if (w < floor) continue;
    bool review = w < options_.threshold;
    out.push_back({i, j, w, review});
    ++(review ? stats->reviews : stats->matches);
  }
  return out;
}

std::vector<ScoredPair> Linker::Dedupe(const RecordTable& table, LinkStats* stats) {
  return ScoreAll(table, table, true, stats);
}

std::vector<ScoredPair> Linker::Link(const RecordTable& left, const RecordTable& right,
                                     LinkStats* stats) {
  return ScoreAll(left, right, false, stats);
}

}  // namespace dancu::linkage
