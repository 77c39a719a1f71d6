// Two-period panel DiD with covariates (drdid.hpp). Formulas and variable names follow DRDID 1.x
// (Sant'Anna & Zhao 2020, §3; drdid_panel.R, std_ipw_did_panel.R, reg_did_panel.R) with unit weights 1:
// the propensity score is a logit fitted by Newton–Raphson (what R's glm IRLS computes), clipped at
// 1 − 1e-6, and comparison units with a score ≥ 0.995 get weight 0 (DRDID's trim.level).
#include "policy/drdid.hpp"

#include <algorithm>
#include <cmath>

#include "carbonmrv/status.hpp"

namespace cmrv::internal {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

constexpr double kPsCap = 1 - 1e-6;   // DRDID: ps.fit <- pmin(ps.fit, 1 - 1e-6)
constexpr double kTrimLevel = 0.995;  // DRDID: trim.level

absl::Status Fail(const char* what) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument, what);
}

// (X'WX)⁻¹ when X'WX has full rank, with W = diag(w).
absl::StatusOr<MatrixXd> WeightedGramInverse(const MatrixXd& x, const VectorXd& w, const char* what) {
  const MatrixXd gram = x.transpose() * w.asDiagonal() * x;
  const Eigen::FullPivLU<MatrixXd> lu(gram);
  if (!lu.isInvertible()) return Fail(what);
  return lu.inverse();
}

struct Logit {
  VectorXd p;        ///< fitted probabilities
  MatrixXd hessian;  ///< n (X'WX)⁻¹, DRDID's Hessian.ps = vcov(glm) · n
};

absl::StatusOr<Logit> FitLogit(const MatrixXd& x, const VectorXd& d) {
  const auto n = x.rows();
  VectorXd b = VectorXd::Zero(x.cols()), p(n), w(n);
  auto fitted = [&] {
    for (Eigen::Index i = 0; i < n; ++i) {
      p(i) = 1 / (1 + std::exp(-x.row(i).dot(b)));
      w(i) = p(i) * (1 - p(i));
    }
  };
  bool converged = false;
  for (int iter = 0; iter < 100 && !converged; ++iter) {
    fitted();
    auto inv = WeightedGramInverse(x, w, "the propensity model's covariates are collinear");
    if (!inv.ok()) return inv.status();
    const VectorXd step = *inv * (x.transpose() * (d - p));
    if (!step.allFinite()) break;
    b += step;
    converged = step.lpNorm<Eigen::Infinity>() <= 1e-11 * (1 + b.lpNorm<Eigen::Infinity>());
  }
  if (!converged || !b.allFinite()) {
    return Fail(
        "the propensity model (logit) does not converge: the covariates separate the cohort from its "
        "comparison units");
  }
  fitted();
  auto inv = WeightedGramInverse(x, w, "the propensity model's covariates are collinear");
  if (!inv.ok()) return inv.status();
  return Logit{p, *inv * static_cast<double>(n)};
}

// Outcome regression of ΔY on X among the comparison units; its fitted values for all units and the
// asymptotic linear representation of its coefficients (DRDID's asy.lin.rep.wols).
struct Ols {
  VectorXd fitted;
  MatrixXd lin_rep;
};

absl::StatusOr<Ols> FitComparisonOls(const MatrixXd& x, const VectorXd& dy, const VectorXd& d) {
  const VectorXd wc = VectorXd::Ones(d.size()) - d;
  auto inv = WeightedGramInverse(x, wc, "the covariates are collinear among the comparison units");
  if (!inv.ok()) return inv.status();
  const VectorXd beta = *inv * (x.transpose() * wc.cwiseProduct(dy));
  Ols o;
  o.fitted = x * beta;
  const double n = static_cast<double>(x.rows());
  // (w_i e_i x_i)' (X'WX / n)⁻¹
  o.lin_rep = (wc.cwiseProduct(dy - o.fitted)).asDiagonal() * x * (*inv * n);
  return o;
}

struct PsWeights {
  VectorXd ps, w_treat, w_cont;
  int64_t trimmed = 0;
};

PsWeights IpwWeights(const VectorXd& p, const VectorXd& d) {
  PsWeights w;
  const auto n = d.size();
  w.ps = p.cwiseMin(kPsCap);
  w.w_treat = d;
  w.w_cont.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const bool keep = d(i) == 1 || w.ps(i) < kTrimLevel;
    if (!keep) ++w.trimmed;
    w.w_treat(i) = keep ? d(i) : 0;
    w.w_cont(i) = keep ? w.ps(i) * (1 - d(i)) / (1 - w.ps(i)) : 0;
  }
  return w;
}

VectorXd ColMeans(const VectorXd& weight, const MatrixXd& x) {
  return x.transpose() * weight / static_cast<double>(x.rows());
}

}  // namespace

absl::StatusOr<CellFit> EstimateCell(DidEstimator method, const VectorXd& dy, const VectorXd& d, const MatrixXd& x) {
  const double n = static_cast<double>(dy.size());
  CellFit fit;
  if (method == DidEstimator::kRegression) {
    auto ols = FitComparisonOls(x, dy, d);
    if (!ols.ok()) return ols.status();
    const double mean_w = d.sum() / n;
    const double eta_treat = d.dot(dy) / n / mean_w;
    const double eta_cont = d.dot(ols->fitted) / n / mean_w;
    fit.att = eta_treat - eta_cont;
    const VectorXd inf_treat = (d.cwiseProduct(dy) - d * eta_treat) / mean_w;
    const VectorXd inf_cont = (d.cwiseProduct(ols->fitted) - d * eta_cont + ols->lin_rep * ColMeans(d, x)) / mean_w;
    fit.influence = inf_treat - inf_cont;
    return fit;
  }
  auto logit = FitLogit(x, d);
  if (!logit.ok()) return logit.status();
  const PsWeights w = IpwWeights(logit->p, d);
  fit.trimmed = w.trimmed;
  const double mean_t = w.w_treat.sum() / n, mean_c = w.w_cont.sum() / n;
  if (!(mean_c > 0)) return Fail("every comparison unit is trimmed (propensity ≥ 0.995)");
  const MatrixXd ps_lin_rep = (d - w.ps).asDiagonal() * x * logit->hessian;  // DRDID's asy.lin.rep.ps
  if (method == DidEstimator::kIpw) {
    const double eta_treat = w.w_treat.dot(dy) / n / mean_t;
    const double eta_cont = w.w_cont.dot(dy) / n / mean_c;
    fit.att = eta_treat - eta_cont;
    const VectorXd inf_treat = (w.w_treat.cwiseProduct(dy) - w.w_treat * eta_treat) / mean_t;
    const VectorXd dev = dy.array() - eta_cont;
    const VectorXd inf_cont =
        (w.w_cont.cwiseProduct(dy) - w.w_cont * eta_cont + ps_lin_rep * ColMeans(w.w_cont.cwiseProduct(dev), x)) /
        mean_c;
    fit.influence = inf_treat - inf_cont;
    return fit;
  }
  auto ols = FitComparisonOls(x, dy, d);
  if (!ols.ok()) return ols.status();
  const VectorXd resid = dy - ols->fitted;
  const double eta_treat = w.w_treat.dot(resid) / n / mean_t;
  const double eta_cont = w.w_cont.dot(resid) / n / mean_c;
  fit.att = eta_treat - eta_cont;
  const VectorXd inf_treat =
      (w.w_treat.cwiseProduct(resid) - w.w_treat * eta_treat - ols->lin_rep * ColMeans(w.w_treat, x)) / mean_t;
  const VectorXd dev = resid.array() - eta_cont;
  const VectorXd inf_cont =
      (w.w_cont.cwiseProduct(resid) - w.w_cont * eta_cont + ps_lin_rep * ColMeans(w.w_cont.cwiseProduct(dev), x) -
       ols->lin_rep * ColMeans(w.w_cont, x)) /
      mean_c;
  fit.influence = inf_treat - inf_cont;
  return fit;
}

}  // namespace cmrv::internal
