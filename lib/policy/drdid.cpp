// Two-period DiD with covariates (drdid.hpp). Formulas and variable names follow DRDID 1.x
// (Sant'Anna & Zhao 2020, §3; drdid_panel.R, std_ipw_did_panel.R, reg_did_panel.R, drdid_rc.R,
// std_ipw_did_rc.R, reg_did_rc.R) with unit weights 1:
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

// OLS of y on X over the observations with w = 1 (w is 0/1), fitted for all observations.
absl::StatusOr<Ols> FitOls(const MatrixXd& x, const VectorXd& y, const VectorXd& w, const char* what) {
  auto inv = WeightedGramInverse(x, w, what);
  if (!inv.ok()) return inv.status();
  const VectorXd beta = *inv * (x.transpose() * w.cwiseProduct(y));
  Ols o;
  o.fitted = x * beta;
  const double n = static_cast<double>(x.rows());
  // (w_i e_i x_i)' (X'WX / n)⁻¹
  o.lin_rep = (w.cwiseProduct(y - o.fitted)).asDiagonal() * x * (*inv * n);
  return o;
}

absl::StatusOr<Ols> FitComparisonOls(const MatrixXd& x, const VectorXd& dy, const VectorXd& d) {
  return FitOls(x, dy, VectorXd::Ones(d.size()) - d, "the covariates are collinear among the comparison units");
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

namespace {

// A weighted mean term of the RC estimators: the summands w∘v / mean(w) and their mean (DRDID's eta.*, att.*).
struct Term {
  VectorXd eta;
  double att = 0;
  double mean_w = 0;
};

Term MakeTerm(const VectorXd& w, const VectorXd& v) {
  Term t;
  const double n = static_cast<double>(w.size());
  t.mean_w = w.sum() / n;
  t.eta = w.cwiseProduct(v) / t.mean_w;
  t.att = t.eta.sum() / n;
  return t;
}

// The leading influence term of a Term: eta − w·att/mean(w).
VectorXd Leading(const Term& t, const VectorXd& w) { return t.eta - w * (t.att / t.mean_w); }

// reg_did_rc.R: comparison outcome regressions in each period; the cohort's mean change minus the
// comparison regressions' predicted change for the cohort.
CellFit RegressionRc(const VectorXd& y, const VectorXd& post, const VectorXd& d, const MatrixXd& x, const Ols& c0,
                     const Ols& c1) {
  const VectorXd pre = VectorXd::Ones(y.size()) - post;
  const VectorXd w_t0 = d.cwiseProduct(pre), w_t1 = d.cwiseProduct(post);
  const VectorXd change = c1.fitted - c0.fitted;
  const Term t0 = MakeTerm(w_t0, y), t1 = MakeTerm(w_t1, y), cont = MakeTerm(d, change);
  CellFit fit;
  fit.att = (t1.att - t0.att) - cont.att;
  const VectorXd m1 = ColMeans(d, x);
  const VectorXd inf_control = (Leading(cont, d) + (c1.lin_rep - c0.lin_rep) * m1 / cont.mean_w);
  fit.influence = (Leading(t1, w_t1) - Leading(t0, w_t0)) - inf_control;
  return fit;
}

}  // namespace

absl::StatusOr<CellFit> EstimateCellRc(DidEstimator method, const VectorXd& y, const VectorXd& post, const VectorXd& d,
                                       const MatrixXd& x) {
  const auto n = y.size();
  const VectorXd ones = VectorXd::Ones(n), pre = ones - post, c = ones - d;
  const VectorXd w_c0 = c.cwiseProduct(pre), w_c1 = c.cwiseProduct(post);
  const VectorXd w_t0 = d.cwiseProduct(pre), w_t1 = d.cwiseProduct(post);
  if (method == DidEstimator::kRegression) {
    auto c0 = FitOls(x, y, w_c0, "the covariates are collinear among the comparison units in the base period");
    if (!c0.ok()) return c0.status();
    auto c1 = FitOls(x, y, w_c1, "the covariates are collinear among the comparison units in the later period");
    if (!c1.ok()) return c1.status();
    return RegressionRc(y, post, d, x, *c0, *c1);
  }
  auto logit = FitLogit(x, d);
  if (!logit.ok()) return logit.status();
  const MatrixXd ps_lin_rep_base = x * logit->hessian;  // rows scaled by (D − ps) below
  CellFit fit;
  if (method == DidEstimator::kIpw) {
    // std_ipw_did_rc.R: no trimming.
    const VectorXd ps = logit->p.cwiseMin(kPsCap);
    const VectorXd odds = ps.cwiseQuotient(ones - ps);
    const VectorXd v_c0 = odds.cwiseProduct(w_c0), v_c1 = odds.cwiseProduct(w_c1);
    const Term t0 = MakeTerm(w_t0, y), t1 = MakeTerm(w_t1, y), k0 = MakeTerm(v_c0, y), k1 = MakeTerm(v_c1, y);
    if (!(k0.mean_w > 0 && k1.mean_w > 0)) return Fail("the comparison units have no propensity weight");
    fit.att = (t1.att - t0.att) - (k1.att - k0.att);
    const VectorXd m2_pre = ColMeans(v_c0.cwiseProduct((y.array() - k0.att).matrix()), x) / k0.mean_w;
    const VectorXd m2_post = ColMeans(v_c1.cwiseProduct((y.array() - k1.att).matrix()), x) / k1.mean_w;
    const VectorXd inf_ps = (d - ps).asDiagonal() * ps_lin_rep_base * (m2_post - m2_pre);
    fit.influence = (Leading(t1, w_t1) - Leading(t0, w_t0)) - (Leading(k1, v_c1) - Leading(k0, v_c0) + inf_ps);
    return fit;
  }
  // drdid_rc.R, the locally efficient DR estimator: outcome regressions for both groups in both periods,
  // comparison units with a propensity ≥ 0.995 trimmed.
  auto c0 = FitOls(x, y, w_c0, "the covariates are collinear among the comparison units in the base period");
  if (!c0.ok()) return c0.status();
  auto c1 = FitOls(x, y, w_c1, "the covariates are collinear among the comparison units in the later period");
  if (!c1.ok()) return c1.status();
  auto r0 = FitOls(x, y, w_t0, "the covariates are collinear among the cohort's units in the base period");
  if (!r0.ok()) return r0.status();
  auto r1 = FitOls(x, y, w_t1, "the covariates are collinear among the cohort's units in the later period");
  if (!r1.ok()) return r1.status();
  const PsWeights pw = IpwWeights(logit->p, d);  // trims comparison units; w_treat = trimmed D
  fit.trimmed = pw.trimmed;
  const VectorXd& td = pw.w_treat;  // trim.ps · D (treated are never trimmed)
  const VectorXd v_t0 = td.cwiseProduct(pre), v_t1 = td.cwiseProduct(post);
  const VectorXd v_c0 = pw.w_cont.cwiseProduct(pre), v_c1 = pw.w_cont.cwiseProduct(post);
  const VectorXd out_cont = post.cwiseProduct(c1->fitted) + pre.cwiseProduct(c0->fitted);
  const VectorXd resid = y - out_cont;
  const Term t0 = MakeTerm(v_t0, resid), t1 = MakeTerm(v_t1, resid), k0 = MakeTerm(v_c0, resid),
             k1 = MakeTerm(v_c1, resid);
  if (!(k0.mean_w > 0 && k1.mean_w > 0)) return Fail("every comparison unit is trimmed (propensity ≥ 0.995)");
  const VectorXd gap1 = r1->fitted - c1->fitted, gap0 = r0->fitted - c0->fitted;
  const Term d_post = MakeTerm(td, gap1), dt1_post = MakeTerm(v_t1, gap1), d_pre = MakeTerm(td, gap0),
             dt0_pre = MakeTerm(v_t0, gap0);
  fit.att = (t1.att - t0.att) - (k1.att - k0.att) + (d_post.att - dt1_post.att) - (d_pre.att - dt0_pre.att);
  // Treated component with the estimation effect of the comparison regressions (M1).
  const VectorXd m1_post = -ColMeans(v_t1, x) / t1.mean_w, m1_pre = -ColMeans(v_t0, x) / t0.mean_w;
  const VectorXd inf_treat = Leading(t1, v_t1) - Leading(t0, v_t0) + c1->lin_rep * m1_post + c0->lin_rep * m1_pre;
  // Comparison component with the propensity (M2) and regression (M3) estimation effects.
  const VectorXd m2_pre = ColMeans(v_c0.cwiseProduct((resid.array() - k0.att).matrix()), x) / k0.mean_w;
  const VectorXd m2_post = ColMeans(v_c1.cwiseProduct((resid.array() - k1.att).matrix()), x) / k1.mean_w;
  const VectorXd m3_post = -ColMeans(v_c1, x) / k1.mean_w, m3_pre = -ColMeans(v_c0, x) / k0.mean_w;
  const VectorXd inf_cont = Leading(k1, v_c1) - Leading(k0, v_c0) +
                            (d - pw.ps).asDiagonal() * ps_lin_rep_base * (m2_post - m2_pre) + c1->lin_rep * m3_post +
                            c0->lin_rep * m3_pre;
  // The locally efficient adjustment and its regressions' estimation effect.
  const VectorXd inf_eff =
      (Leading(d_post, td) - Leading(dt1_post, v_t1)) - (Leading(d_pre, td) - Leading(dt0_pre, v_t0));
  const VectorXd mom_post = ColMeans(td / d_post.mean_w - v_t1 / dt1_post.mean_w, x);
  const VectorXd mom_pre = ColMeans(td / d_pre.mean_w - v_t0 / dt0_pre.mean_w, x);
  const VectorXd inf_or = (r1->lin_rep - c1->lin_rep) * mom_post - (r0->lin_rep - c0->lin_rep) * mom_pre;
  fit.influence = inf_treat - inf_cont + inf_eff + inf_or;
  return fit;
}

}  // namespace cmrv::internal
