// The two-period DiD estimators with covariates behind ATT(g,t) (policy/did.hpp): Sant'Anna & Zhao
// (2020) doubly robust, standardized inverse probability weighting (Abadie 2005, normalized weights) and
// outcome regression (Heckman, Ichimura & Todd 1997), each with its influence function — as DRDID's
// drdid_panel, std_ipw_did_panel and reg_did_panel for panels, and drdid_rc (the locally efficient
// estimator), std_ipw_did_rc and reg_did_rc for repeated cross-sections and unbalanced panels (unit
// weights 1), which R did calls per cell.
#pragma once

#include <Eigen/Dense>

#include <cstdint>

#include "absl/status/statusor.h"
#include "carbonmrv/policy/did.hpp"

namespace cmrv::internal {

struct CellFit {
  double att = 0;
  Eigen::VectorXd influence;  ///< one value per unit of the cell, DRDID's att.inf.func
  int64_t trimmed = 0;        ///< comparison units with propensity ≥ 0.995, given weight 0
};

/// `dy`: each unit's outcome change; `d`: 1 for the treated cohort, 0 for comparison units; `x`: the
/// covariates with a leading column of ones. Errors (without the cell's name; the caller adds it): collinear
/// covariates among the comparison units or overall, a propensity model that does not converge.
absl::StatusOr<CellFit> EstimateCell(DidEstimator method, const Eigen::VectorXd& dy, const Eigen::VectorXd& d,
                                     const Eigen::MatrixXd& x);

/// Repeated cross-sections: `y` each observation's outcome, `post` 1 in the cell's later period, `d` 1 for
/// the cohort; `x` with a leading column of ones. The influence function has one value per observation.
/// Errors (without the cell's name): collinear covariates within a group and period, a propensity model
/// that does not converge.
absl::StatusOr<CellFit> EstimateCellRc(DidEstimator method, const Eigen::VectorXd& y, const Eigen::VectorXd& post,
                                       const Eigen::VectorXd& d, const Eigen::MatrixXd& x);

}  // namespace cmrv::internal
