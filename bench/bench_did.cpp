// Difference-in-differences: ATT(g,t) with analytic influence-function SEs, the Wald pre-test and all
// four aggregations on a balanced panel of 10^6 units × 10 periods (issue 18's target: under 2 s), against
// the floor a user would write by hand for the point estimates alone (one pass per cell over a unit-major
// outcome matrix: the cohort's and the comparison units' mean change, no SEs, no aggregation), same run.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "carbonmrv/policy/did.hpp"

namespace {

constexpr int64_t kPeriods = 10;

// Units in id order, periods 1..10; cohorts 4..9 (10 % of units each) and 40 % never treated; outcome =
// unit effect + period trend + 1.0 after treatment + noise from a fixed xorshift stream.
cmrv::DidPanel MakePanel(int64_t units) {
  cmrv::DidPanel p;
  const auto rows = static_cast<std::size_t>(units * kPeriods);
  p.id.reserve(rows);
  p.time.reserve(rows);
  p.y.reserve(rows);
  p.group.reserve(rows);
  uint64_t x = 88172645463325252ULL;
  auto next = [&] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return static_cast<double>(x >> 11) * 0x1.0p-53;
  };
  for (int64_t u = 0; u < units; ++u) {
    const int64_t bucket = u % 10;
    const int64_t g = bucket < 4 ? 0 : bucket;  // cohorts 4..9
    const double alpha = next();
    for (int64_t t = 1; t <= kPeriods; ++t) {
      p.id.push_back(u);
      p.time.push_back(t);
      p.group.push_back(g);
      p.y.push_back(alpha + 0.1 * static_cast<double>(t) + (g > 0 && t >= g ? 1.0 : 0.0) + next() - 0.5);
    }
  }
  return p;
}

void BM_DidAttGtAllAggregations(benchmark::State& state) {
  const auto panel = MakePanel(state.range(0));
  for (auto _ : state) {
    auto r = cmrv::AttGt(panel);
    if (!r.ok()) {
      state.SkipWithError("AttGt failed");
      return;
    }
    for (auto t : {cmrv::AggregationType::kSimple, cmrv::AggregationType::kGroup, cmrv::AggregationType::kDynamic,
                   cmrv::AggregationType::kCalendar}) {
      auto a = cmrv::Aggregate(*r, t);
      benchmark::DoNotOptimize(a);
    }
  }
  state.counters["units"] = static_cast<double>(state.range(0));
}

// The hand-written floor: point estimates only, the panel already a unit-major matrix (no validation).
void BM_DidHandWrittenMeans(benchmark::State& state) {
  const auto panel = MakePanel(state.range(0));
  const auto N = static_cast<std::size_t>(state.range(0));
  const std::size_t T = kPeriods;
  for (auto _ : state) {
    double total = 0;
    for (int64_t g = 4; g <= 9; ++g) {
      const std::size_t pre = static_cast<std::size_t>(g - 2);  // period g-1 at index g-2
      for (std::size_t t = 1; t < T; ++t) {
        const std::size_t b = static_cast<int64_t>(t) + 1 >= g ? pre : t - 1;
        double st = 0, sc = 0;
        int64_t nt = 0, nc = 0;
        for (std::size_t u = 0; u < N; ++u) {
          const int64_t h = panel.group[u * T];
          const double dy = panel.y[u * T + t] - panel.y[u * T + b];
          if (h == g) {
            st += dy;
            ++nt;
          } else if (h == 0) {
            sc += dy;
            ++nc;
          }
        }
        total += st / static_cast<double>(nt) - sc / static_cast<double>(nc);
      }
    }
    benchmark::DoNotOptimize(total);
  }
}

}  // namespace

BENCHMARK(BM_DidAttGtAllAggregations)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_DidHandWrittenMeans)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(3);
