// carbonmrv — uncertainty of an inventory by Monte Carlo simulation (IPCC 2006 Vol. 1 Ch. 3, Approach 2).
//
// Source-level API only: it may change in minor releases. Link the C API (carbonmrv.h) for
// binary stability.
//
// The model is the one Approach 1 (uncertainty.hpp) propagates: every line is the product of its trace
// terms, and a term's uncertain inputs enter it linearly with their sensitivities (1 for a plain
// value; ±x/(a − b) for a difference). A draw multiplies each input by a ratio r = x/x̂ from its
// distribution, and each term by 1 + Σ s·(r − 1), which is the term recomputed exactly. An input
// shared by several lines or terms (one default NCV for twelve months) is one draw for all of them,
// as Approach 1 treats it as fully correlated; distinct inputs are independent.
//
// Distributions are fitted to the input's 95 % interval — the U (symmetric) or the dataset's
// (lower, upper) range (asymmetric) that Approach 1 reads — so that the 2.5 and 97.5 percentiles of
// every input are the published bounds whatever the shape:
//   normal      mean 1, σ = U / z (z = Φ⁻¹(0.975)); symmetric intervals only
//   lognormal   ln r normal with μ ± zσ = ln(1 − L), ln(1 + U); needs L < 100 %
//   triangular  mode 1 (the reported value is the most likely), limits solved from both percentiles
//   uniform     limits a, b with a + 0.025(b − a) = 1 − L and a + 0.975(b − a) = 1 + U
// By default a symmetric interval is normal and an asymmetric one (IPCC's CH4 and N2O ranges)
// lognormal; both defaults and any single input can be overridden.
//
// Draw d of an input is a function of (seed, the input's id, d) alone (Philox4x32-10), so the results
// are bit-identical for any thread count, and adding a source does not change the draws of the others.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "carbonmrv/inventory/inventory.hpp"

namespace cmrv {

enum class Distribution { kNormal, kLognormal, kTriangular, kUniform };
inline constexpr Distribution kDistributions[] = {Distribution::kNormal, Distribution::kLognormal,
                                                  Distribution::kTriangular, Distribution::kUniform};
std::string_view DistributionName(Distribution d);
absl::StatusOr<Distribution> ParseDistribution(std::string_view name);

/// The distribution of one input, overriding the defaults.
struct InputDistribution {
  std::string input;  ///< UncertainInput::id
  Distribution shape = Distribution::kNormal;
  /// The 95 % interval below and above the value, % of the value; unset: the input's own (its U, or
  /// its dataset range). Setting them gives an input without a stated uncertainty one.
  std::optional<double> lower_pct, upper_pct;
};

struct MonteCarloOptions {
  uint64_t draws = 10000;                              ///< 2 – 10⁹
  uint64_t seed = 0;                                   ///< recorded in the result
  unsigned threads = 0;                                ///< 0: the hardware's; the results do not depend on it
  Distribution symmetric = Distribution::kNormal;      ///< inputs with a symmetric interval
  Distribution asymmetric = Distribution::kLognormal;  ///< inputs with an asymmetric one (normal refused)
  std::vector<InputDistribution> inputs;               ///< per-input overrides, by id
  bool keep_draws = false;                             ///< return every group's draws (histograms)
};

/// One uncertain input as drawn.
struct MonteCarloInput {
  std::string id;
  Distribution shape = Distribution::kNormal;
  double lower_pct = 0, upper_pct = 0;  ///< its 95 % interval, % of the value
  uint64_t negative_draws = 0;          ///< draws below zero (normal, triangular, uniform with L > 100 %)
};

/// What one input adds to a group's variance: its squared correlation with the group's draws,
/// normalised over the group's inputs (for a linear model of independent inputs, Approach 1's share).
struct MonteCarloContribution {
  std::string input;
  double share_pct = 0;
};

struct MonteCarloStats {
  double mean_t = 0, median_t = 0;
  double lower_t = 0, upper_t = 0;      ///< 2.5 and 97.5 percentiles (linear interpolation, Hyndman–Fan type 7)
  double lower_pct = 0, upper_pct = 0;  ///< (mean − lower) / mean and (upper − mean) / mean, %
  double sd_t = 0;                      ///< standard deviation of the draws
};

struct MonteCarloGroup {
  std::string group;  ///< "total", or a key of Inventory::Totals(key)
  double co2e_t = 0;  ///< the inventory's own total of the group (every input at its value)
  /// Unset when the group is not assessed: an input has no uncertainty (listed in `missing`).
  std::optional<MonteCarloStats> stats;
  std::vector<std::string> missing;        ///< inputs without an uncertainty
  std::vector<std::string> assumed_exact;  ///< counted as exact (InventoryOptions::unstated_uncertainty_exact)
  std::vector<MonteCarloContribution> contributions;  ///< largest first (ties by input id)
  std::vector<double> draws;                          ///< every draw in draw order, when keep_draws
};

struct MonteCarloResult {
  std::string method;     ///< the method text, as MonteCarloMethod()
  std::string generator;  ///< "philox4x32-10"
  uint64_t seed = 0, draws = 0;
  std::vector<MonteCarloInput> inputs;  ///< in first-use order over the counted lines
  std::vector<MonteCarloGroup> groups;  ///< in the order of Inventory::Totals(key)
};

std::string_view MonteCarloMethod();

/// {"schema": "carbonmrv.monte_carlo/1", method, generator, seed, draws, inputs: [...], groups: [{group,
/// co2e_t, mean_t, median_t, lower_t, upper_t, lower_pct, upper_pct, sd_t (null when not assessed), missing,
/// assumed_exact, contributions}]}; the draws themselves are not written.
std::string MonteCarloToJson(const MonteCarloResult& result);

/// Sets an option from key/value text, as the C API, CLI and Python do: draws, seed, threads,
/// symmetric and asymmetric (a distribution name), keep_draws (true | false), and input
/// ("ID=SHAPE" or "ID=SHAPE:LOWER_PCT:UPPER_PCT", split at the last '='; appends an override).
absl::Status SetMonteCarloOption(MonteCarloOptions& options, std::string_view key, std::string_view value);

/// Monte Carlo uncertainty of the total (kTotal) or of each group of Inventory::Totals(key). The same
/// lines count as in the totals. Bad options are errors naming the option (or the override's index).
absl::StatusOr<MonteCarloResult> MonteCarlo(const Inventory& inventory, TotalsKey key,
                                            const MonteCarloOptions& options);

}  // namespace cmrv
