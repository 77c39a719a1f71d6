// ATT(g,t) of Callaway & Sant'Anna (2021) without covariates, with influence functions and the Wald
// pre-test (policy/did.hpp). The steps follow R did 2.x (att_gt with xformla = ~1; its DR, IPW and OR
// estimators coincide without covariates): docs/policy-evaluation.md.
#include "carbonmrv/policy/did.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <map>

#include "carbonmrv/status.hpp"
#include "internal/strings.hpp"

namespace cmrv {
namespace {

using internal::StrCat;

absl::Status Bad(const std::string& what) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument, what);
}

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

}  // namespace

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
  return Bad(StrCat("control_group \"", name, "\" is not one of nevertreated, notyettreated"));
}

absl::StatusOr<BasePeriod> ParseBasePeriod(std::string_view name) {
  for (auto b : {BasePeriod::kVarying, BasePeriod::kUniversal}) {
    if (name == BasePeriodName(b)) return b;
  }
  return Bad(StrCat("base_period \"", name, "\" is not one of varying, universal"));
}

absl::StatusOr<AttGtResult> AttGt(const DidPanel& p, const AttGtOptions& o) {
  const std::size_t rows = p.id.size();
  if (p.time.size() != rows || p.y.size() != rows || p.group.size() != rows) {
    return Bad(StrCat("panel: the id, time, y and group columns have ", rows, ", ", p.time.size(), ", ", p.y.size(),
                      " and ", p.group.size(), " rows"));
  }
  if (rows == 0) return Bad("panel: no rows");
  if (o.anticipation < 0) return Bad(StrCat("anticipation: ", o.anticipation, " is negative"));
  AttGtResult r;
  r.options = o;
  // Units and periods in ascending order; each unit's cohort.
  std::map<int64_t, std::size_t> unit_index, period_index;
  for (std::size_t i = 0; i < rows; ++i) {
    if (!std::isfinite(p.y[i]))
      return Bad(StrCat("y[", i, "] (unit ", p.id[i], ", period ", p.time[i], "): not finite"));
    if (p.group[i] < 0) return Bad(StrCat("group[", i, "]: ", p.group[i], " is negative (0 means never treated)"));
    unit_index.emplace(p.id[i], 0);
    period_index.emplace(p.time[i], 0);
  }
  for (auto& [t, k] : period_index) {
    k = r.periods.size();
    r.periods.push_back(t);
  }
  std::size_t n_units = 0;
  for (auto& [u, k] : unit_index) k = n_units++;
  const std::size_t T = r.periods.size(), N = n_units;
  r.units = static_cast<int64_t>(N);
  if (T < 2) return Bad("time: the panel needs at least two periods");
  // Balanced panel: exactly one row per unit and period; one cohort per unit.
  std::vector<double> Y(N * T, std::nan(""));
  std::vector<int64_t> G(N, -1);
  std::vector<std::size_t> first_row(N, 0);
  for (std::size_t i = 0; i < rows; ++i) {
    const std::size_t u = unit_index[p.id[i]], t = period_index[p.time[i]];
    if (!std::isnan(Y[u * T + t]))
      return Bad(StrCat("row ", i, ": unit ", p.id[i], " has period ", p.time[i], " twice"));
    Y[u * T + t] = p.y[i];
    if (G[u] < 0) {
      G[u] = p.group[i];
      first_row[u] = i;
    } else if (G[u] != p.group[i]) {
      return Bad(StrCat("group: unit ", p.id[i], " has first-treatment period ", G[u], " in row ", first_row[u],
                        " and ", p.group[i], " in row ", i,
                        "; a unit's cohort is fixed (treatment cannot switch off)"));
    }
  }
  for (const auto& [u, k] : unit_index) {
    for (std::size_t t = 0; t < T; ++t) {
      if (std::isnan(Y[k * T + t])) {
        return Bad(StrCat("panel: unit ", u, " has no row for period ", r.periods[t],
                          "; the estimator needs a balanced panel"));
      }
    }
  }
  // Cohorts first treated after the last period are never treated within the sample (R did does the same).
  for (auto& g : G) {
    if (g > r.periods.back()) g = 0;
  }
  r.unit_group = G;
  std::map<int64_t, int64_t> cohort_size;
  for (auto g : G) {
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
    r.group_share.push_back(static_cast<double>(size) / static_cast<double>(N));
  }
  if (r.groups.empty()) return Bad("group: no cohort is treated within the panel after its first period");
  if (o.control == ControlGroup::kNeverTreated && std::none_of(G.begin(), G.end(), [](int64_t g) { return g == 0; })) {
    return Bad("group: no never-treated units (group 0); use the not-yet-treated comparison");
  }
  // The cells, with ΔY over each cell's base period, means and influence functions.
  const double dN = static_cast<double>(N);
  for (std::size_t gi = 0; gi < r.groups.size(); ++gi) {
    const int64_t g = r.groups[gi];
    // The base of post-treatment cells: the last period t with t + anticipation < g.
    std::size_t pre = 0;
    for (std::size_t t = 0; t < T; ++t) {
      if (r.periods[t] + o.anticipation < g) pre = t;
    }
    // Varying base: every period after the first, each against the one before it (pre-treatment) or
    // against `pre` (post-treatment). Universal: every period against `pre`, which is left out.
    for (std::size_t t = o.base == BasePeriod::kUniversal ? 0 : 1; t < T; ++t) {
      const bool post = r.periods[t] + o.anticipation >= g;
      std::size_t b = post || o.base == BasePeriod::kUniversal ? pre : t - 1;
      if (o.base == BasePeriod::kUniversal && t == pre) continue;  // the reference period itself
      if (o.base == BasePeriod::kUniversal && t < pre) b = pre;
      const int64_t horizon = std::max(r.periods[t], r.periods[b]) + o.anticipation;
      auto is_control = [&](int64_t h) {
        return h == 0 || (o.control == ControlGroup::kNotYetTreated && h > horizon && h != g);
      };
      double sum_t = 0, sum_c = 0;
      int64_t n_t = 0, n_c = 0;
      for (std::size_t u = 0; u < N; ++u) {
        const double dy = Y[u * T + t] - Y[u * T + b];
        if (G[u] == g) {
          sum_t += dy;
          ++n_t;
        } else if (is_control(G[u])) {
          sum_c += dy;
          ++n_c;
        }
      }
      if (n_c == 0) {
        return Bad(StrCat("cohort ", g, ", period ", r.periods[t], ": no comparison units (",
                          ControlGroupName(o.control), ")"));
      }
      const double mu_t = sum_t / static_cast<double>(n_t), mu_c = sum_c / static_cast<double>(n_c);
      const double n = static_cast<double>(n_t + n_c);
      const double p_t = static_cast<double>(n_t) / n, p_c = static_cast<double>(n_c) / n;
      // IF_i = (N/n) [1{i∈g}(ΔY_i − μ_T)/p_T − 1{i∈C}(ΔY_i − μ_C)/p_C]; zero outside the cell.
      const std::size_t row = r.influence.size();
      r.influence.resize(row + N, 0.0);
      double ss = 0;
      for (std::size_t u = 0; u < N; ++u) {
        const double dy = Y[u * T + t] - Y[u * T + b];
        double f = 0;
        if (G[u] == g) {
          f = (dy - mu_t) / p_t;
        } else if (is_control(G[u])) {
          f = -(dy - mu_c) / p_c;
        }
        f *= dN / n;
        r.influence[row + u] = f;
        ss += f * f;
      }
      r.cells.push_back({g, r.periods[t], mu_t - mu_c, std::sqrt(ss) / dN, post, n_t, n_c});
    }
  }
  // Wald pre-test over the pre-treatment cells: W = N θ' V⁻¹ θ with V = IF'IF / N.
  std::vector<std::size_t> pre_cells;
  for (std::size_t k = 0; k < r.cells.size(); ++k) {
    if (!r.cells[k].post) pre_cells.push_back(k);
  }
  if (!pre_cells.empty()) {
    const auto m = static_cast<Eigen::Index>(pre_cells.size());
    Eigen::MatrixXd F(static_cast<Eigen::Index>(N), m);
    Eigen::VectorXd theta(m);
    for (Eigen::Index j = 0; j < m; ++j) {
      const std::size_t k = pre_cells[static_cast<std::size_t>(j)];
      theta(j) = r.cells[k].att;
      F.col(j) = Eigen::Map<const Eigen::VectorXd>(r.influence.data() + k * N, static_cast<Eigen::Index>(N));
    }
    const Eigen::MatrixXd V = F.transpose() * F / dN;
    const Eigen::FullPivLU<Eigen::MatrixXd> lu(V);
    if (lu.isInvertible()) {
      r.wald = dN * theta.dot(lu.solve(theta));
      r.wald_df = static_cast<int>(m);
      r.wald_p = ChiSquareSurvival(*r.wald, r.wald_df);
    } else {
      r.notes.push_back("pre-test: the pre-treatment cells' covariance is singular; no Wald statistic");
    }
  }
  return r;
}

}  // namespace cmrv
