// Metrics: a thread-safe Prometheus registry (counters, gauges, histograms)
// rendered in the text exposition format 0.0.4 for GET /metrics.
//
// Contract:
//  - A series is a metric name plus a label set. Getting the same name and
//    labels again returns the same object; label order does not matter (labels
//    are kept sorted by name). References returned by Get* stay valid for the
//    lifetime of the Metrics object.
//  - Invalid names, duplicate label names, or reusing one name for two metric
//    types (or a histogram with other bounds) are programming errors and throw
//    std::invalid_argument: metrics are declared by code, never by input.
//  - Do not put unbounded input (ids, paths) in label values: each distinct
//    label set lives until the registry is destroyed.
//
// Thread safety: every member is safe to call from any thread. Counter::Inc,
// Gauge::Set/Add and Histogram::Observe are lock-free (relaxed atomics); Get*
// and RenderPrometheus take one mutex, so hot paths should look a series up
// once and keep the reference.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace dancu {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void Inc(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Add(double v) { value_.fetch_add(v, std::memory_order_relaxed); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

// Buckets are cumulative on output ("le" = less than or equal) and always end
// with +Inf; bounds must be finite and strictly increasing.
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void Observe(double v);

  const std::vector<double>& bounds() const { return bounds_; }
  // Non-cumulative count of bucket i (i == bounds().size() is +Inf).
  uint64_t BucketCount(size_t i) const {
    return buckets_[i].load(std::memory_order_relaxed);
  }
  uint64_t Count() const { return count_.load(std::memory_order_relaxed); }
  double Sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_.size() + 1
  std::atomic<uint64_t> count_{0};
  std::atomic<double> sum_{0.0};
};

class Metrics {
 public:
  using Labels = dancu::Labels;

  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  Counter& GetCounter(std::string name, std::string help, Labels labels = {});
  Gauge& GetGauge(std::string name, std::string help, Labels labels = {});
  // `bounds` matter only when the family is first created; later calls must
  // pass the same bounds (or empty, meaning "whatever the family has").
  Histogram& GetHistogram(std::string name, std::string help, Labels labels,
                          std::vector<double> bounds);

  // Families sorted by name, series sorted by labels. Values read while other
  // threads write are each individually consistent, not a global snapshot.
  std::string RenderPrometheus() const;

 private:
  enum class Type { kCounter, kGauge, kHistogram };
  struct Family {
    Type type;
    std::string help;
    std::vector<double> bounds;  // histograms only
    std::map<Labels, std::unique_ptr<Counter>> counters;
    std::map<Labels, std::unique_ptr<Gauge>> gauges;
    std::map<Labels, std::unique_ptr<Histogram>> histograms;
  };

  Family& FamilyFor(const std::string& name, std::string help, Type type)
      /* requires mu_ */;

  mutable std::mutex mu_;
  std::map<std::string, Family, std::less<>> families_;
};

}  // namespace dancu
