// Monte Carlo uncertainty (IPCC Approach 2): 10^5 draws × ~10^3 uncertain inputs (issue 21's target:
// under 1 s on this machine), against what a user would write by hand in the same run: a draw-major loop
// with std::mt19937_64 and std::normal_distribution evaluating the same products (no contributions, no
// percentiles, not reproducible across standard libraries).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "carbonmrv/uncertainty/monte_carlo.hpp"

namespace {

constexpr int kCarriers = 20;

// `lines` fuel lines (one per source-month): E = AD × NCV × CC × OF, the activity its own input (U 2 %),
// the three factors shared by all lines of the carrier (U 3, 4, 1 %): lines + 60 uncertain inputs.
cmrv::Inventory MakeInventory(int lines) {
  cmrv::Inventory inv;
  for (int i = 0; i < lines; ++i) {
    cmrv::InventoryLine l;
    l.source_id = "s" + std::to_string(i / 12);
    l.period = std::to_string(i % 12 + 1);
    const int c = i % kCarriers;
    l.co2e_t = 100.0 + i % 37;
    l.terms.push_back({"AD", 1, "t", "", {{"ad" + std::to_string(i), 1.0, 2.0}}});
    l.terms.push_back({"NCV", 1, "GJ/t", "", {{"ncv" + std::to_string(c), 1.0, 3.0}}});
    l.terms.push_back({"CC", 1, "tC/TJ", "", {{"cc" + std::to_string(c), 1.0, 4.0}}});
    l.terms.push_back({"OF", 1, "1", "", {{"of" + std::to_string(c), 1.0, 1.0}}});
    inv.lines.push_back(std::move(l));
  }
  return inv;
}

void BM_MonteCarlo(benchmark::State& state) {
  const auto inv = MakeInventory(static_cast<int>(state.range(0)));
  cmrv::MonteCarloOptions o;
  o.draws = static_cast<uint64_t>(state.range(1));
  o.threads = static_cast<unsigned>(state.range(2));
  for (auto _ : state) {
    auto r = cmrv::MonteCarlo(inv, cmrv::TotalsKey::kTotal, o);
    if (!r.ok()) {
      state.SkipWithError("MonteCarlo failed");
      return;
    }
    benchmark::DoNotOptimize(r);
  }
  state.counters["inputs"] = static_cast<double>(state.range(0) + 3 * kCarriers);
  state.counters["input_draws/s"] = benchmark::Counter(
      static_cast<double>(state.range(0) + 3 * kCarriers) * static_cast<double>(o.draws), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_MonteCarlo)->Args({940, 100000, 1})->Args({940, 100000, 2})->Unit(benchmark::kMillisecond)->UseRealTime();

// The hand-written loop: per draw, one normal per input, then the products, summed; the total's draws kept.
void BM_MonteCarloByHand(benchmark::State& state) {
  const int lines = static_cast<int>(state.range(0));
  const auto draws = static_cast<std::size_t>(state.range(1));
  std::vector<double> value(static_cast<std::size_t>(lines));
  for (int i = 0; i < lines; ++i) value[static_cast<std::size_t>(i)] = 100.0 + i % 37;
  for (auto _ : state) {
    std::mt19937_64 rng(0);
    std::normal_distribution<double> z;
    std::vector<double> total(draws), ad(static_cast<std::size_t>(lines)), f(3 * kCarriers);
    for (std::size_t d = 0; d < draws; ++d) {
      for (auto& x : ad) x = 1 + 0.02 / 1.96 * z(rng);
      for (int c = 0; c < kCarriers; ++c) {
        f[static_cast<std::size_t>(3 * c)] = 1 + 0.03 / 1.96 * z(rng);
        f[static_cast<std::size_t>(3 * c + 1)] = 1 + 0.04 / 1.96 * z(rng);
        f[static_cast<std::size_t>(3 * c + 2)] = 1 + 0.01 / 1.96 * z(rng);
      }
      double t = 0;
      for (int i = 0; i < lines; ++i) {
        const auto c = static_cast<std::size_t>(3 * (i % kCarriers));
        t += value[static_cast<std::size_t>(i)] * ad[static_cast<std::size_t>(i)] * f[c] * f[c + 1] * f[c + 2];
      }
      total[d] = t;
    }
    benchmark::DoNotOptimize(total);
  }
}
BENCHMARK(BM_MonteCarloByHand)->Args({940, 100000})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
