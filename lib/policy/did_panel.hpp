// A long-form DiD panel checked and laid out for the estimators (policy/did.hpp, policy/twfe.hpp): one
// validation, so that every estimator refuses the same bad input with the same message.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "carbonmrv/policy/did.hpp"

namespace cmrv::internal {

/// Units in ascending id order, outcomes and covariates unit-major.
struct Panel {
  std::vector<int64_t> periods, unit_id, group, cluster;  ///< cluster: index in [0, clusters)
  std::vector<double> y;                                  ///< y[u·T + t]
  std::vector<std::vector<double>> x;                     ///< x[k][u·T + t]
  std::size_t T = 0, N = 0;
  int64_t clusters = 0;
  bool complete = true;  ///< every unit has an outcome in every period
  std::vector<std::string> notes;
};

/// What to do with a unit missing a period or an outcome: refuse the panel (an error naming it), drop
/// the unit with a note (R did's default balancing), or keep its observed periods (R did's
/// allow_unbalanced_panel; the missing cells stay NaN in `y` and `complete` is false).
enum class IncompleteUnits { kRefuse, kDrop, kKeep };
inline IncompleteUnits DropOrRefuse(bool drop) { return drop ? IncompleteUnits::kDrop : IncompleteUnits::kRefuse; }

/// Errors name the row, unit or covariate: unequal columns, an infinite outcome, a unit listed twice in
/// a period, a cohort or cluster that changes within a unit, a non-finite or constant covariate, a unit
/// missing a period or outcome (with kRefuse).
absl::StatusOr<Panel> BalancePanel(const DidPanel& p, IncompleteUnits incomplete);

/// Observations for the repeated-cross-section estimators: one per observed (unit, period) of an
/// unbalanced panel, or one per row of repeated cross-sections, where each row is its own unit.
struct Observations {
  std::vector<int64_t> periods, unit_id, group, cluster;  ///< per unit, as in Panel
  std::vector<uint32_t> unit, period;                     ///< per observation: unit and period index
  std::vector<double> y;
  std::vector<std::vector<double>> x;  ///< x[k][observation], from the observation's own period
  std::size_t T = 0, N = 0;
  int64_t clusters = 0;
  std::vector<std::string> notes;
};

/// The observed cells of a panel kept with IncompleteUnits::kKeep; units without any outcome are left out.
Observations ObservedCells(Panel panel);

/// Rows as independent observations (R did's panel = FALSE): ids are not needed and are ignored. Errors
/// name the row: unequal columns, an infinite outcome, a negative group, a non-finite or constant
/// covariate. Rows with a missing outcome are left out with a note.
absl::StatusOr<Observations> CrossSections(const DidPanel& p);

}  // namespace cmrv::internal
