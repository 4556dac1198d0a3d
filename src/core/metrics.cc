#include "core/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace dancu {
namespace {

bool IsMetricName(const std::string& s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              c == ':' || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

bool IsLabelName(const std::string& s) {
  if (s.empty() || s.starts_with("__")) return false;  // "__" is reserved
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// Sorted so that {a,b} and {b,a} name the same series.
Labels Normalize(Labels labels, const std::string& metric) {
  std::sort(labels.begin(), labels.end());
  for (size_t i = 0; i < labels.size(); ++i) {
    if (!IsLabelName(labels[i].first) || labels[i].first == "le") {
      throw std::invalid_argument("metric " + metric + ": bad label name '" +
                                  labels[i].first + "'");
    }
    if (i > 0 && labels[i].first == labels[i - 1].first) {
      throw std::invalid_argument("metric " + metric + ": duplicate label '" +
                                  labels[i].first + "'");
    }
  }
  return labels;
}

void AppendDouble(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    // Like Go's strconv 'g' with shortest precision (what Prometheus itself
    // writes): "0.0001" rather than "1e-04", exponents only when extreme.
    double a = std::fabs(v);
    auto fmt = a != 0 && (a < 1e-4 || a >= 1e21) ? std::chars_format::scientific
                                                  : std::chars_format::fixed;
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v, fmt);
    out.append(buf, r.ptr);
  }
}

void AppendUint(std::string& out, uint64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// HELP text escapes backslash and newline; label values also escape '"'.
void AppendEscaped(std::string& out, const std::string& s, bool quote) {
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quote && c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

// Writes `name{labels,extra}`; extra is an already-escaped `le="..."` or empty.
void AppendSeries(std::string& out, const std::string& name,
                  const Labels& labels, std::string_view extra = {}) {
  out += name;
  if (labels.empty() && extra.empty()) return;
  out += '{';
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (!first) out += ',';
    first = false;
    out += k;
    out += "=\"";
    AppendEscaped(out, v, /*quote=*/true);
    out += '"';
  }
  if (!extra.empty()) {
    if (!first) out += ',';
    out += extra;
  }
  out += '}';
}

void ValidateBounds(const std::vector<double>& bounds) {
  for (size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
      throw std::invalid_argument(
          "histogram bounds must be finite and strictly increasing");
    }
  }
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds) : bounds_(std::move(bounds)) {
  ValidateBounds(bounds_);
  buckets_ = std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1);
}

void Histogram::Observe(double v) {
  // First bound >= v; bounds are few, so a binary search beats anything clever.
  size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin();
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
}

Metrics::Metrics() = default;
Metrics::~Metrics() = default;

Metrics::Family& Metrics::FamilyFor(const std::string& name, std::string help,
                                    Type type) {
  if (!IsMetricName(name)) {
    throw std::invalid_argument("bad metric name '" + name + "'");
  }
  auto it = families_.find(name);
  if (it == families_.end()) {
    it = families_.emplace(name, Family{type, std::move(help), {}, {}, {}, {}})
             .first;
  } else if (it->second.type != type) {
    throw std::invalid_argument("metric " + name +
                                " already registered with another type");
  }
  return it->second;
}

Counter& Metrics::GetCounter(std::string name, std::string help, Labels labels) {
  labels = Normalize(std::move(labels), name);
  std::lock_guard lock(mu_);
  Family& f = FamilyFor(name, std::move(help), Type::kCounter);
  auto& slot = f.counters[std::move(labels)];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Gauge& Metrics::GetGauge(std::string name, std::string help, Labels labels) {
  labels = Normalize(std::move(labels), name);
  std::lock_guard lock(mu_);
  Family& f = FamilyFor(name, std::move(help), Type::kGauge);
  auto& slot = f.gauges[std::move(labels)];
  if (!slot) slot = std::make_unique<Gauge>();
  return *slot;
}

Histogram& Metrics::GetHistogram(std::string name, std::string help,
                                 Labels labels, std::vector<double> bounds) {
  labels = Normalize(std::move(labels), name);
  ValidateBounds(bounds);  // before any family exists with bad bounds
  std::lock_guard lock(mu_);
  bool fresh = families_.find(name) == families_.end();
  Family& f = FamilyFor(name, std::move(help), Type::kHistogram);
  if (fresh) {
    f.bounds = bounds;
  } else if (!bounds.empty() && bounds != f.bounds) {
    throw std::invalid_argument("histogram " + name +
                                " already registered with other bounds");
  }
  auto& slot = f.histograms[std::move(labels)];
  if (!slot) slot = std::make_unique<Histogram>(f.bounds);
  return *slot;
}

std::string Metrics::RenderPrometheus() const {
  std::string out;
  std::lock_guard lock(mu_);
  out.reserve(families_.size() * 256);
  for (const auto& [name, f] : families_) {
    out += "# HELP ";
    out += name;
    out += ' ';
    AppendEscaped(out, f.help, /*quote=*/false);
    out += "\n# TYPE ";
    out += name;
    switch (f.type) {
      case Type::kCounter:
        out += " counter\n";
        for (const auto& [labels, c] : f.counters) {
          AppendSeries(out, name, labels);
          out += ' ';
          AppendUint(out, c->Value());
          out += '\n';
        }
        break;
      case Type::kGauge:
        out += " gauge\n";
        for (const auto& [labels, g] : f.gauges) {
          AppendSeries(out, name, labels);
          out += ' ';
          AppendDouble(out, g->Value());
          out += '\n';
        }
        break;
      case Type::kHistogram: {
        out += " histogram\n";
        const std::string bucket = name + "_bucket";
        for (const auto& [labels, h] : f.histograms) {
          uint64_t cumulative = 0;
          std::string le;
          for (size_t i = 0; i <= h->bounds().size(); ++i) {
            cumulative += h->BucketCount(i);
            le = "le=\"";
            if (i < h->bounds().size()) {
              AppendDouble(le, h->bounds()[i]);
            } else {
              le += "+Inf";
            }
            le += '"';
            AppendSeries(out, bucket, labels, le);
            out += ' ';
            AppendUint(out, cumulative);
            out += '\n';
          }
          AppendSeries(out, name + "_sum", labels);
          out += ' ';
          AppendDouble(out, h->Sum());
          out += '\n';
          // The +Inf bucket and _count must agree even under concurrent
          // Observe calls, so _count reuses the cumulative total.
          AppendSeries(out, name + "_count", labels);
          out += ' ';
          AppendUint(out, cumulative);
          out += '\n';
        }
        break;
      }
    }
  }
  return out;
}

}  // namespace dancu
