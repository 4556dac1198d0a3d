#include "core/metrics.h"

#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace dancu {
namespace {

TEST(MetricsTest, SameNameAndLabelsIsSameSeries) {
  Metrics m;
  Counter& a = m.GetCounter("x_total", "X.", {{"b", "1"}, {"a", "2"}});
  Counter& b = m.GetCounter("x_total", "X.", {{"a", "2"}, {"b", "1"}});
  Counter& c = m.GetCounter("x_total", "X.", {{"a", "3"}, {"b", "1"}});
  EXPECT_EQ(&a, &b);
  EXPECT_NE(&a, &c);
}

TEST(MetricsTest, RendersCountersAndGauges) {
  Metrics m;
  m.GetCounter("req_total", "Requests.", {{"route", "/a"}, {"method", "GET"}})
      .Inc(3);
  m.GetCounter("req_total", "Requests.", {{"route", "/b"}, {"method", "GET"}})
      .Inc();
  m.GetGauge("conns", "Open connections.").Set(2.5);
  EXPECT_EQ(m.RenderPrometheus(),
            "# HELP conns Open connections.\n"
            "# TYPE conns gauge\n"
            "conns 2.5\n"
            "# HELP req_total Requests.\n"
            "# TYPE req_total counter\n"
            "req_total{method=\"GET\",route=\"/a\"} 3\n"
            "req_total{method=\"GET\",route=\"/b\"} 1\n");
}

TEST(MetricsTest, EscapesLabelValuesAndHelp) {
  Metrics m;
  m.GetCounter("e_total", "Line one\nback\\slash \"q\"",
               {{"v", "a\"b\\c\nd"}})
      .Inc();
  EXPECT_EQ(m.RenderPrometheus(),
            "# HELP e_total Line one\\nback\\\\slash \"q\"\n"
            "# TYPE e_total counter\n"
            "e_total{v=\"a\\\"b\\\\c\\nd\"} 1\n");
}

TEST(MetricsTest, RendersCumulativeHistogram) {
  Metrics m;
  Histogram& h = m.GetHistogram("d_seconds", "Durations.", {{"route", "/a"}},
                                {0.1, 1});
  h.Observe(0.05);
  h.Observe(0.1);  // le is inclusive
  h.Observe(0.5);
  h.Observe(7);
  EXPECT_EQ(m.RenderPrometheus(),
            "# HELP d_seconds Durations.\n"
            "# TYPE d_seconds histogram\n"
            "d_seconds_bucket{route=\"/a\",le=\"0.1\"} 2\n"
            "d_seconds_bucket{route=\"/a\",le=\"1\"} 3\n"
            "d_seconds_bucket{route=\"/a\",le=\"+Inf\"} 4\n"
            "d_seconds_sum{route=\"/a\"} 7.65\n"
            "d_seconds_count{route=\"/a\"} 4\n");
  // Later lookups may omit the bounds.
  EXPECT_EQ(&m.GetHistogram("d_seconds", "Durations.", {{"route", "/a"}}, {}),
            &h);
}

TEST(MetricsTest, MisuseThrows) {
  Metrics m;
  m.GetCounter("c_total", "C.");
  EXPECT_THROW(m.GetGauge("c_total", "C."), std::invalid_argument);
  EXPECT_THROW(m.GetCounter("bad name", "C."), std::invalid_argument);
  EXPECT_THROW(m.GetCounter("ok", "C.", {{"1bad", "x"}}), std::invalid_argument);
  EXPECT_THROW(m.GetCounter("ok", "C.", {{"a", "x"}, {"a", "y"}}),
               std::invalid_argument);
  EXPECT_THROW(m.GetHistogram("h", "H.", {}, {1, 1}), std::invalid_argument);
  m.GetHistogram("h2", "H.", {}, {1, 2});
  EXPECT_THROW(m.GetHistogram("h2", "H.", {}, {1, 3}), std::invalid_argument);
}

TEST(MetricsTest, ConcurrentIncrementsAreAllCounted) {
  Metrics m;
  constexpr int kThreads = 4, kPerThread = 100000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&m] {
      Counter& c = m.GetCounter("n_total", "N.");
      Histogram& h = m.GetHistogram("n_seconds", "N.", {}, {1});
      for (int i = 0; i < kPerThread; ++i) {
        c.Inc();
        h.Observe(0.5);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(m.GetCounter("n_total", "N.").Value(),
            uint64_t{kThreads} * kPerThread);
  EXPECT_EQ(m.GetHistogram("n_seconds", "N.", {}, {1}).Count(),
            uint64_t{kThreads} * kPerThread);
}

}  // namespace
}  // namespace dancu
