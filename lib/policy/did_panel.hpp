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
  std::vector<std::string> notes;
};

/// Errors name the row, unit or covariate: unequal columns, an infinite outcome, a unit listed twice in
/// a period, a cohort or cluster that changes within a unit, a non-finite or constant covariate, a unit
/// missing a period or outcome (unless `drop_incomplete_units`, which leaves it out with a note).
absl::StatusOr<Panel> BalancePanel(const DidPanel& p, bool drop_incomplete_units);

}  // namespace cmrv::internal
