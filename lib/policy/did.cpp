// ATT(g,t) of Callaway & Sant'Anna (2021) with influence functions, bands and the Wald pre-test
// (policy/did.hpp). The steps follow R did 2.x's att_gt (compute.att_gt.R): docs/policy-evaluation.md.
#include "carbonmrv/policy/did.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include "absl/container/flat_hash_map.h"
#include "carbonmrv/status.hpp"
#include "internal/huge_pages.hpp"
#include "internal/invalid.hpp"
#include "internal/strings.hpp"
#include "policy/did_inference.hpp"
#include "policy/did_panel.hpp"
#include "policy/drdid.hpp"

namespace cmrv {
namespace {

using internal::StrCat;

using internal::Invalid;

// log Γ(a) Q(a, x) pieces: the series for x < a + 1, Lentz's continued fraction otherwise
// (Abramowitz & Stegun 6.5.29 and 6.5.31; Press et al., Numerical Recipes 3rd ed., §6.2).
double GammaPSeries(double a, double x) {
  double sum = 1 / a, term = sum;
  for (int n = 1; n < 1000; ++n) {
    term *= x / (a + n);
    sum += term;
    if (std::abs(term) < std::abs(sum) * 1e-16) break;
  }
  return sum * std::exp(-x + a * std::log(x) - std::lgamma(a));
}

double GammaQFraction(double a, double x) {
  constexpr double kTiny = 1e-300;
  double b = x + 1 - a, c = 1 / kTiny, d = 1 / b, h = d;
  for (int i = 1; i < 1000; ++i) {
    const double an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (std::abs(d) < kTiny) d = kTiny;
    c = b + an / c;
    if (std::abs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double delta = d * c;
    h *= delta;
    if (std::abs(delta - 1) < 1e-16) break;
  }
  return std::exp(-x + a * std::log(x) - std::lgamma(a)) * h;
}

using internal::Observations;
using internal::Panel;

// The units, cohorts and their shares of a result, from a panel or from observations (both carry
// periods, unit ids, cohorts and clusters per unit).
template <class Frame>
absl::Status SetUp(const Frame& f, AttGtResult& r) {
  const AttGtOptions& o = r.options;
  r.periods = f.periods;
  r.units = static_cast<int64_t>(f.N);
  r.unit_id = f.unit_id;
  r.unit_cluster = f.cluster;
  r.clusters = f.clusters;
  r.notes = f.notes;
  // Cohorts first treated after the last period are never treated within the sample (R did does the same).
  r.unit_group = f.group;
  for (auto& g : r.unit_group) {
    if (g > r.periods.back()) g = 0;
  }
  std::map<int64_t, int64_t> cohort_size;
  for (auto g : r.unit_group) {
    if (g > 0) ++cohort_size[g];
  }
  for (const auto& [g, size] : cohort_size) {
    // A cohort needs a period before treatment (and anticipation) as its base.
    if (g - o.anticipation <= r.periods.front()) {
      r.notes.push_back(StrCat("cohort ", g, " (", size, " units) is treated in the first period (with ",
                               o.anticipation,
                               " period(s) of anticipation) and has no pre-treatment period: not estimated"));
      continue;
    }
    r.groups.push_back(g);
    r.group_share.push_back(static_cast<double>(size) / static_cast<double>(f.N));
  }
  if (r.groups.empty()) return Invalid("group: no cohort is treated within the panel after its first period");
  if (o.control == ControlGroup::kNeverTreated &&
      std::none_of(r.unit_group.begin(), r.unit_group.end(), [](int64_t g) { return g == 0; })) {
    return Invalid("group: no never-treated units (group 0); use the not-yet-treated comparison");
  }
  return absl::OkStatus();
}

absl::Status EstimateCells(const Panel& panel, AttGtResult& r);
absl::Status EstimateCellsRc(const Observations& obs, AttGtResult& r);

// Reports cells done to the options' progress callback about every 0.1 s and at the last cell.
class CellProgress {
 public:
  CellProgress(const AttGtOptions& o, std::size_t total) : fn_(o.progress), total_(total) {}
  absl::Status Done(std::size_t done) {
    if (!fn_) return absl::OkStatus();
    const auto now = std::chrono::steady_clock::now();
    if (done < total_ && now - last_ < std::chrono::milliseconds(100)) return absl::OkStatus();
    last_ = now;
    if (fn_(done, total_)) return absl::OkStatus();
    return MakeError(absl::StatusCode::kCancelled, ErrorDetail::kNone,
                     StrCat("did: cancelled by the progress callback after ", done, " of ", total_, " cells"));
  }

 private:
  const std::function<bool(std::uint64_t, std::uint64_t)>& fn_;
  std::size_t total_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};
void WaldPreTest(AttGtResult& r);

}  // namespace

double NormalQuantile(double p) {
  if (!(p > 0 && p < 1)) return std::nan("");
  // Newton on Φ(x) = erfc(−x/√2)/2 − p, safeguarded by bisection: Φ is monotone, so the bracket
  // [lo, hi] shrinks every step and a Newton step that leaves it is replaced by the midpoint.
  double lo = -40, hi = 40, x = 0;
  for (int i = 0; i < 200; ++i) {
    const double f = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
    (f < 0 ? lo : hi) = x;
    double next = x - f / (std::exp(-x * x / 2) / std::sqrt(2 * M_PI));
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    const double step = next - x;
    x = next;
    if (std::abs(step) <= 1e-15 * (1 + std::abs(x))) break;
  }
  return x;
}

std::string_view DidEstimatorName(DidEstimator e) {
  switch (e) {
    case DidEstimator::kIpw: return "ipw";
    case DidEstimator::kRegression: return "reg";
    case DidEstimator::kDoublyRobust: break;
  }
  return "dr";
}

absl::StatusOr<DidEstimator> ParseDidEstimator(std::string_view name) {
  for (auto e : {DidEstimator::kDoublyRobust, DidEstimator::kIpw, DidEstimator::kRegression}) {
    if (name == DidEstimatorName(e)) return e;
  }
  return Invalid(StrCat("est_method \"", name, "\" is not one of dr, ipw, reg"));
}

double ChiSquareSurvival(double x, int df) {
  if (!(x > 0) || df <= 0) return 1;
  const double a = df / 2.0, h = x / 2;
  return h < a + 1 ? 1 - GammaPSeries(a, h) : GammaQFraction(a, h);
}

std::string_view ControlGroupName(ControlGroup c) {
  return c == ControlGroup::kNotYetTreated ? "notyettreated" : "nevertreated";
}
std::string_view BasePeriodName(BasePeriod b) { return b == BasePeriod::kUniversal ? "universal" : "varying"; }

absl::StatusOr<ControlGroup> ParseControlGroup(std::string_view name) {
  for (auto c : {ControlGroup::kNeverTreated, ControlGroup::kNotYetTreated}) {
    if (name == ControlGroupName(c)) return c;
  }
  return Invalid(StrCat("control_group \"", name, "\" is not one of nevertreated, notyettreated"));
}

absl::StatusOr<BasePeriod> ParseBasePeriod(std::string_view name) {
  for (auto b : {BasePeriod::kVarying, BasePeriod::kUniversal}) {
    if (name == BasePeriodName(b)) return b;
  }
  return Invalid(StrCat("base_period \"", name, "\" is not one of varying, universal"));
}

absl::StatusOr<AttGtResult> AttGt(const DidPanel& p, const AttGtOptions& o) {
  if (o.anticipation < 0) return Invalid(StrCat("anticipation: ", o.anticipation, " is negative"));
  if (!(o.alpha > 0 && o.alpha < 1)) return Invalid(StrCat("alpha: ", o.alpha, " is not in (0, 1)"));
  if (o.bootstrap_draws < 0) return Invalid(StrCat("bootstrap_draws: ", o.bootstrap_draws, " is negative"));
  AttGtResult r;
  r.options = o;
  if (!o.panel) {
    auto obs = internal::CrossSections(p);
    if (!obs.ok()) return obs.status();
    if (auto s = SetUp(*obs, r); !s.ok()) return s;
    if (auto s = EstimateCellsRc(*obs, r); !s.ok()) return s;
  } else {
    auto panel = internal::BalancePanel(p, o.allow_unbalanced_panel ? internal::IncompleteUnits::kKeep
                                                                    : internal::DropOrRefuse(o.drop_incomplete_units));
    if (!panel.ok()) return panel.status();
    if (panel->complete) {  // a balanced panel takes the panel estimators, also when unbalanced ones are allowed
      if (auto s = SetUp(*panel, r); !s.ok()) return s;
      if (auto s = EstimateCells(*panel, r); !s.ok()) return s;
    } else {
      const internal::Observations obs = internal::ObservedCells(*std::move(panel));
      if (auto s = SetUp(obs, r); !s.ok()) return s;
      r.notes.push_back(StrCat("unbalanced panel (", obs.y.size(), " of ", obs.N * obs.T,
                               " unit-periods observed): repeated-cross-section estimators with each unit's "
                               "influence summed over its periods (R did's allow_unbalanced_panel = TRUE)"));
      if (auto s = EstimateCellsRc(obs, r); !s.ok()) return s;
    }
  }
  std::vector<const double*> psi;
  const auto N = static_cast<std::size_t>(r.units);
  for (std::size_t k = 0; k < r.cells.size(); ++k) psi.push_back(r.influence.data() + k * N);
  const internal::Band band = internal::Inference(r, psi);
  for (std::size_t k = 0; k < r.cells.size(); ++k) {
    r.cells[k].se = band.se[k];
    if (!std::isfinite(band.se[k])) {
      return Invalid(
          StrCat("cohort ", r.cells[k].group, ", period ", r.cells[k].time,
                 ": the standard error is not finite (outcomes or covariates too large for double precision)"));
    }
  }
  r.critical_value = band.critical_value;
  r.uniform_band = band.uniform;
  WaldPreTest(r);
  return r;
}

namespace {

// One cell: the cohort `g` at period t against base b, over the cohort and its comparison units.
struct CellSpec {
  int64_t g;
  std::size_t t, b;
  bool post;
  int64_t horizon;  // comparison units must be untreated through this period (not-yet-treated)
  bool IsControl(int64_t h, ControlGroup control) const {
    return h == 0 || (control == ControlGroup::kNotYetTreated && h > horizon && h != g);
  }
};

// The cells of every cohort, in result order (R did's compute.att_gt loops).
std::vector<CellSpec> PlanCells(const AttGtResult& r) {
  const AttGtOptions& o = r.options;
  const std::size_t T = r.periods.size();
  std::vector<CellSpec> cells;
  for (const int64_t g : r.groups) {
    // The base of post-treatment cells: the last period t with t + anticipation < g.
    std::size_t pre = 0;
    for (std::size_t t = 0; t < T; ++t) {
      if (r.periods[t] + o.anticipation < g) pre = t;
    }
    // Varying base: every period after the first, each against the one before it (pre-treatment) or
    // against `pre` (post-treatment). Universal: every period against `pre`, which is left out.
    for (std::size_t t = o.base == BasePeriod::kUniversal ? 0 : 1; t < T; ++t) {
      const bool post = r.periods[t] + o.anticipation >= g;
      if (o.base == BasePeriod::kUniversal && t == pre) continue;  // the reference period itself
      const std::size_t b = post || o.base == BasePeriod::kUniversal ? pre : t - 1;
      cells.push_back({g, t, b, post, std::max(r.periods[t], r.periods[b]) + o.anticipation});
    }
  }
  return cells;
}

absl::Status EstimateCells(const Panel& P, AttGtResult& r) {
  const AttGtOptions& o = r.options;
  const std::size_t T = P.T, N = P.N, K = P.x.size();
  const double dN = static_cast<double>(N);
  const auto& G = r.unit_group;
  // Every cell's influence row is N values: reserve an upper bound (cohorts × periods rows), so that
  // 10^6 units × 50 cells are written once instead of being copied at each growth of the vector.
  const std::vector<CellSpec> plan = PlanCells(r);
  CellProgress progress(o, plan.size());
  internal::ReserveHuge(r.influence, plan.size() * N);
  std::vector<uint32_t> members;  // the cell's units (with covariates), reused across cells
  std::vector<uint8_t> role(N);
  for (const CellSpec& c : plan) {
    const int64_t g = c.g;
    const std::size_t t = c.t, b = c.b;
    const bool post = c.post;
    auto is_control = [&](int64_t h) { return c.IsControl(h, o.control); };
    auto label = [&] { return StrCat("cohort ", g, ", period ", r.periods[t]); };
    // Each unit's role in the cell (1 cohort, 2 comparison, 0 neither) and the mean changes, in one pass.
    int64_t n_t = 0, n_c = 0;
    double sum_t = 0, sum_c = 0;
    for (std::size_t u = 0; u < N; ++u) {
      const double dy = P.y[u * T + t] - P.y[u * T + b];
      if (G[u] == g) {
        role[u] = 1;
        ++n_t;
        sum_t += dy;
      } else if (is_control(G[u])) {
        role[u] = 2;
        ++n_c;
        sum_c += dy;
      } else {
        role[u] = 0;
      }
    }
    if (n_c == 0) return Invalid(StrCat(label(), ": no comparison units (", ControlGroupName(o.control), ")"));
    const double n = static_cast<double>(n_t + n_c);
    const std::size_t row = r.influence.size();
    r.influence.resize(row + N);
    double* inf = &r.influence[row];
    AttGtCell cell{g, r.periods[t], 0, 0, post, n_t, n_c, 0};
    if (K == 0) {
      // Unconditional: the difference in mean changes; IF_i = (N/n)[1{i∈g}(ΔY_i − μ_T)/p_T −
      // 1{i∈C}(ΔY_i − μ_C)/p_C], zero outside the cell.
      const double mu_t = sum_t / static_cast<double>(n_t), mu_c = sum_c / static_cast<double>(n_c);
      const double p_t = static_cast<double>(n_t) / n, p_c = static_cast<double>(n_c) / n;
      for (std::size_t u = 0; u < N; ++u) {
        const double dy = P.y[u * T + t] - P.y[u * T + b];
        inf[u] = role[u] == 1 ? (dy - mu_t) / p_t * (dN / n) : role[u] == 2 ? -(dy - mu_c) / p_c * (dN / n) : 0.0;
      }
      cell.att = mu_t - mu_c;
    } else {
      // With covariates: DRDID's two-period estimator on the cell, covariates from the earlier period.
      std::fill(inf, inf + N, 0.0);
      members.clear();
      for (std::size_t u = 0; u < N; ++u) {
        if (role[u] != 0) members.push_back(static_cast<uint32_t>(u));
      }
      const auto m = static_cast<Eigen::Index>(members.size());
      Eigen::VectorXd dy(m), d(m);
      Eigen::MatrixXd x(m, static_cast<Eigen::Index>(K + 1));
      const std::size_t tx = std::min(t, b);
      for (Eigen::Index i = 0; i < m; ++i) {
        const uint32_t u = members[static_cast<std::size_t>(i)];
        dy(i) = P.y[u * T + t] - P.y[u * T + b];
        d(i) = G[u] == g ? 1 : 0;
        x(i, 0) = 1;
        for (std::size_t k = 0; k < K; ++k) x(i, static_cast<Eigen::Index>(k + 1)) = P.x[k][u * T + tx];
      }
      auto fit = internal::EstimateCell(o.method, dy, d, x);
      if (!fit.ok()) return Invalid(StrCat(label(), ": ", fit.status().message()));
      cell.att = fit->att;
      cell.trimmed = fit->trimmed;
      for (Eigen::Index i = 0; i < m; ++i) inf[members[static_cast<std::size_t>(i)]] = fit->influence(i) * (dN / n);
    }
    if (!std::isfinite(cell.att)) return Invalid(StrCat(label(), ": the estimate is not finite"));
    r.cells.push_back(cell);
    if (auto st = progress.Done(r.cells.size()); !st.ok()) return st;
  }
  return absl::OkStatus();
}

// Repeated cross-sections and unbalanced panels: each cell is the observations of the cohort and its
// comparison units in the two periods (R did's compute.att_gt, panel = FALSE). An observation's influence,
// scaled by N/n₁ (n₁ observations in the cell), is added to its unit's, as R did sums it by id.
absl::Status EstimateCellsRc(const Observations& O, AttGtResult& r) {
  const AttGtOptions& o = r.options;
  const std::size_t N = O.N, K = O.x.size(), rows = O.y.size();
  const double dN = static_cast<double>(N);
  const auto& G = r.unit_group;
  const std::vector<CellSpec> plan = PlanCells(r);
  CellProgress progress(o, plan.size());
  r.influence.reserve(plan.size() * N);
  std::vector<std::size_t> members;
  for (const CellSpec& c : plan) {
    const int64_t g = c.g;
    auto label = [&] { return StrCat("cohort ", g, ", period ", r.periods[c.t]); };
    // The four groups: cohort (0) or comparison (1) × base (0) or later period (1).
    members.clear();
    int64_t count[2][2] = {{0, 0}, {0, 0}};
    double sum[2][2] = {{0, 0}, {0, 0}};
    for (std::size_t i = 0; i < rows; ++i) {
      const uint32_t pt = O.period[i];
      if (pt != c.t && pt != c.b) continue;
      const int64_t h = G[O.unit[i]];
      const int side = h == g ? 0 : c.IsControl(h, o.control) ? 1 : -1;
      if (side < 0) continue;
      members.push_back(i);
      ++count[side][pt == c.t];
      sum[side][pt == c.t] += O.y[i];
    }
    for (int side = 0; side < 2; ++side) {
      for (int later = 0; later < 2; ++later) {
        if (count[side][later] > 0) continue;
        return Invalid(StrCat(label(), ": no observations of ", side == 0 ? "the cohort" : "comparison units (",
                              side == 0 ? "" : ControlGroupName(o.control), side == 0 ? "" : ")", " in period ",
                              r.periods[later ? c.t : c.b]));
      }
    }
    const double n1 = static_cast<double>(members.size());
    const std::size_t row = r.influence.size();
    r.influence.resize(row + N, 0.0);
    double* inf = &r.influence[row];
    AttGtCell cell{g, r.periods[c.t], 0, 0, c.post, count[0][0] + count[0][1], count[1][0] + count[1][1], 0};
    if (K == 0) {
      // Unconditional: (Ȳ_g,t − Ȳ_g,b) − (Ȳ_C,t − Ȳ_C,b); each mean's influence (Y − Ȳ)/p with p its share of
      // the cell's observations (reg_did_rc with an intercept only).
      double mu[2][2], share[2][2];
      for (int side = 0; side < 2; ++side) {
        for (int later = 0; later < 2; ++later) {
          mu[side][later] = sum[side][later] / static_cast<double>(count[side][later]);
          share[side][later] = static_cast<double>(count[side][later]) / n1;
        }
      }
      cell.att = (mu[0][1] - mu[0][0]) - (mu[1][1] - mu[1][0]);
      for (const std::size_t i : members) {
        const int side = G[O.unit[i]] == g ? 0 : 1, later = O.period[i] == c.t ? 1 : 0;
        const double sign = (side == 0) == (later == 1) ? 1.0 : -1.0;
        inf[O.unit[i]] += sign * (O.y[i] - mu[side][later]) / share[side][later] * (dN / n1);
      }
    } else {
      // With covariates: DRDID's repeated-cross-section estimator, each observation's own covariates.
      const auto m = static_cast<Eigen::Index>(members.size());
      Eigen::VectorXd y(m), post(m), d(m);
      Eigen::MatrixXd x(m, static_cast<Eigen::Index>(K + 1));
      for (Eigen::Index j = 0; j < m; ++j) {
        const std::size_t i = members[static_cast<std::size_t>(j)];
        y(j) = O.y[i];
        post(j) = O.period[i] == c.t ? 1 : 0;
        d(j) = G[O.unit[i]] == g ? 1 : 0;
        x(j, 0) = 1;
        for (std::size_t k = 0; k < K; ++k) x(j, static_cast<Eigen::Index>(k + 1)) = O.x[k][i];
      }
      auto fit = internal::EstimateCellRc(o.method, y, post, d, x);
      if (!fit.ok()) return Invalid(StrCat(label(), ": ", fit.status().message()));
      cell.att = fit->att;
      cell.trimmed = fit->trimmed;
      for (Eigen::Index j = 0; j < m; ++j) {
        inf[O.unit[members[static_cast<std::size_t>(j)]]] += fit->influence(j) * (dN / n1);
      }
    }
    if (!std::isfinite(cell.att)) return Invalid(StrCat(label(), ": the estimate is not finite"));
    r.cells.push_back(cell);
    if (auto st = progress.Done(r.cells.size()); !st.ok()) return st;
  }
  return absl::OkStatus();
}

// Wald pre-test over the pre-treatment cells: W = N θ' V⁻¹ θ with V = IF'IF / N (R did uses the
// analytic V, also when SEs are clustered or bootstrapped).
void WaldPreTest(AttGtResult& r) {
  const std::size_t N = static_cast<std::size_t>(r.units);
  const double dN = static_cast<double>(N);
  std::vector<std::size_t> pre_cells;
  for (std::size_t k = 0; k < r.cells.size(); ++k) {
    if (!r.cells[k].post) pre_cells.push_back(k);
  }
  if (pre_cells.empty()) return;
  const auto m = static_cast<Eigen::Index>(pre_cells.size());
  // V = IF'IF / N from the rows of the influence matrix in place (no N × m copy).
  Eigen::VectorXd theta(m);
  Eigen::MatrixXd V(m, m);
  for (Eigen::Index j = 0; j < m; ++j) {
    const std::size_t kj = pre_cells[static_cast<std::size_t>(j)];
    theta(j) = r.cells[kj].att;
    const Eigen::Map<const Eigen::VectorXd> fj(r.influence.data() + kj * N, static_cast<Eigen::Index>(N));
    for (Eigen::Index l = 0; l <= j; ++l) {
      const std::size_t kl = pre_cells[static_cast<std::size_t>(l)];
      const Eigen::Map<const Eigen::VectorXd> fl(r.influence.data() + kl * N, static_cast<Eigen::Index>(N));
      V(j, l) = V(l, j) = fj.dot(fl) / dN;
    }
  }
  const Eigen::FullPivLU<Eigen::MatrixXd> lu(V);
  if (lu.isInvertible()) {
    r.wald = dN * theta.dot(lu.solve(theta));
    r.wald_df = static_cast<int>(m);
    r.wald_p = ChiSquareSurvival(*r.wald, r.wald_df);
  } else {
    r.notes.push_back("pre-test: the pre-treatment cells' covariance is singular; no Wald statistic");
  }
}

}  // namespace
}  // namespace cmrv
