// carbonmrv — uncertainty of an inventory by error propagation (IPCC 2006 Vol. 1 Ch. 3, Approach 1).
//
// Source-level API only: it may change in minor releases. Link the C API (carbonmrv.h) for
// binary stability.
//
// Every line is a product of trace terms, and every term names the uncertain inputs it depends on
// (an activity record, a stated or measured value, a dataset row) with its sensitivity. For a sum of
// such products the first-order law of propagation (JCGM 100:2008 "GUM", Eq. 10 and 13) gives
//
//     u(E)² = Σ_k ( Σ_lines E_line · s_k,line · U_k / 100 )²
//
// over the distinct inputs k: an input shared by several lines (one default NCV for twelve months,
// one dataset row for two boilers) is one variable, so its errors add up fully correlated; distinct
// inputs are independent. For a single product this is IPCC Eq. 3.1 (U = √ΣU_i²); for lines with no
// input in common it is IPCC Eq. 3.2. U is the half-width of the 95 % confidence interval as a
// percentage. Conventions (44/12, GWP values, stoichiometric ratios) are exact by definition.
//
// First order means: valid for moderate relative uncertainties of roughly normal inputs; for large or
// skewed ones (N2O factors) a Monte Carlo analysis is the better tool. A group with any input of
// unknown uncertainty is "not assessed", and the inputs lacking one are listed: a partial number is
// never presented as the group's uncertainty.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "carbonmrv/inventory/inventory.hpp"

namespace cmrv {

/// What one input adds to a group's variance.
struct UncertaintyContribution {
  std::string input;     ///< UncertainInput::id
  double u_pct = 0;      ///< the input's own U
  double share_pct = 0;  ///< its share of the group's variance, % (shares sum to 100)
};

struct UncertaintyResult {
  std::string group;                   ///< "total", or a key of Inventory::Totals(key)
  double co2e_t = 0;                   ///< the group's total, as Inventory::Totals gives it
  std::optional<double> u_pct;         ///< U of the group, %; nullopt when not assessed or the total is 0
  std::optional<double> half_width_t;  ///< U in tCO2e (half-width of the 95 % interval)
  std::vector<std::string> missing;    ///< inputs without an uncertainty (the group is then not assessed)
  /// Inputs without a stated uncertainty counted as exact (the inventory option uncertainty_unstated
  /// "exact"); the result says so rather than presenting them as known.
  std::vector<std::string> assumed_exact;
  std::vector<UncertaintyContribution> contributions;  ///< largest first (ties by input id)
};

/// The method text reported with every result.
std::string_view UncertaintyMethod();

/// Uncertainty of the total (kTotal) or of each group of Inventory::Totals(key); groups in the order
/// of Totals. The same lines count as in the totals (memo items never; scope 3 only under kScope).
absl::StatusOr<std::vector<UncertaintyResult>> PropagateUncertainty(const Inventory& inventory, TotalsKey key);

/// U of one line (IPCC Eq. 3.1 over its inputs, shared inputs within the line combined first);
/// nullopt when an input has no uncertainty, whose ids are then appended to `missing` if given.
std::optional<double> LineUncertainty(const InventoryLine& line, std::vector<std::string>* missing = nullptr);

}  // namespace cmrv
