// The 2×2 DiD, two-way fixed effects with cluster-robust SEs, and the Goodman-Bacon decomposition
// (policy/twfe.hpp).
#include "carbonmrv/policy/twfe.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <map>

#include "carbonmrv/status.hpp"
#include "internal/invalid.hpp"
#include "internal/strings.hpp"
#include "policy/did_panel.hpp"

namespace cmrv {
namespace {

using internal::Panel;
using internal::StrCat;

using internal::Invalid;

absl::StatusOr<std::size_t> PeriodIndex(const Panel& p, int64_t t, const char* what) {
  const auto it = std::find(p.periods.begin(), p.periods.end(), t);
  if (it == p.periods.end()) return Invalid(StrCat(what, ": period ", t, " is not in the panel"));
  return static_cast<std::size_t>(it - p.periods.begin());
}

// Treated in period index t: the unit's cohort is reached by then (cohorts after the panel: never).
bool Treated(const Panel& p, std::size_t u, std::size_t t) { return p.group[u] > 0 && p.periods[t] >= p.group[u]; }

}  // namespace

std::string_view BaconKindName(BaconKind k) {
  switch (k) {
    case BaconKind::kEarlierVsLater: return "Earlier vs Later Treated";
    case BaconKind::kLaterVsEarlier: return "Later vs Earlier Treated";
    case BaconKind::kTreatedVsUntreated: break;
  }
  return "Treated vs Untreated";
}

absl::StatusOr<TwoByTwoResult> DidTwoByTwo(const DidPanel& panel, int64_t pre, int64_t post, ControlGroup control) {
  if (pre >= post) return Invalid(StrCat("pre: period ", pre, " is not before post ", post));
  auto P = internal::BalancePanel(panel, internal::IncompleteUnits::kRefuse);
  if (!P.ok()) return P.status();
  auto b = PeriodIndex(*P, pre, "pre");
  if (!b.ok()) return b.status();
  auto t = PeriodIndex(*P, post, "post");
  if (!t.ok()) return t.status();
  // Changes of the treated (first treated in (pre, post]) and of the comparison units.
  std::vector<double> dt, dc;
  TwoByTwoResult r;
  for (std::size_t u = 0; u < P->N; ++u) {
    const int64_t g = P->group[u];
    const double y0 = P->y[u * P->T + *b], y1 = P->y[u * P->T + *t];
    const bool treated = g > pre && g <= post;
    const bool comparison = g == 0 || (control == ControlGroup::kNotYetTreated && g > post);
    if (treated) {
      dt.push_back(y1 - y0);
      r.treated_pre += y0;
      r.treated_post += y1;
    } else if (comparison) {
      dc.push_back(y1 - y0);
      r.control_pre += y0;
      r.control_post += y1;
    }
  }
  if (dt.size() < 2)
    return Invalid(
        StrCat("group: ", dt.size(), " unit(s) first treated in (", pre, ", ", post, "]; the 2×2 needs two"));
  if (dc.size() < 2)
    return Invalid(
        StrCat("group: ", dc.size(), " comparison unit(s) (", ControlGroupName(control), "); the 2×2 needs two"));
  auto mean_var = [](const std::vector<double>& v) {
    double m = 0;
    for (double x : v) m += x;
    m /= static_cast<double>(v.size());
    double ss = 0;
    for (double x : v) ss += (x - m) * (x - m);
    return std::pair{m, ss / static_cast<double>(v.size() - 1)};
  };
  const auto [mt, vt] = mean_var(dt);
  const auto [mc, vc] = mean_var(dc);
  r.treated = static_cast<int64_t>(dt.size());
  r.controls = static_cast<int64_t>(dc.size());
  r.treated_pre /= static_cast<double>(r.treated);
  r.treated_post /= static_cast<double>(r.treated);
  r.control_pre /= static_cast<double>(r.controls);
  r.control_post /= static_cast<double>(r.controls);
  r.att = mt - mc;
  r.se = std::sqrt(vt / static_cast<double>(r.treated) + vc / static_cast<double>(r.controls));
  return r;
}

absl::StatusOr<TwfeResult> Twfe(const DidPanel& panel, bool drop_incomplete_units) {
  auto P = internal::BalancePanel(panel, internal::DropOrRefuse(drop_incomplete_units));
  if (!P.ok()) return P.status();
  const std::size_t N = P->N, T = P->T, K = 1 + P->x.size(), NT = N * T;
  // Two-way within transformation of y, D and the covariates: v − v̄_i − v̄_t + v̄.
  auto within = [&](auto value) {
    std::vector<double> v(NT), unit_mean(N, 0.0), period_mean(T, 0.0);
    double all = 0;
    for (std::size_t u = 0; u < N; ++u) {
      for (std::size_t t = 0; t < T; ++t) {
        v[u * T + t] = value(u, t);
        unit_mean[u] += v[u * T + t];
        period_mean[t] += v[u * T + t];
        all += v[u * T + t];
      }
    }
    for (auto& m : unit_mean) m /= static_cast<double>(T);
    for (auto& m : period_mean) m /= static_cast<double>(N);
    all /= static_cast<double>(NT);
    Eigen::VectorXd out(static_cast<Eigen::Index>(NT));
    for (std::size_t u = 0; u < N; ++u) {
      for (std::size_t t = 0; t < T; ++t) {
        out(static_cast<Eigen::Index>(u * T + t)) = v[u * T + t] - unit_mean[u] - period_mean[t] + all;
      }
    }
    return out;
  };
  const Eigen::VectorXd y = within([&](std::size_t u, std::size_t t) { return P->y[u * T + t]; });
  Eigen::MatrixXd X(static_cast<Eigen::Index>(NT), static_cast<Eigen::Index>(K));
  X.col(0) = within([&](std::size_t u, std::size_t t) { return Treated(*P, u, t) ? 1.0 : 0.0; });
  TwfeResult r;
  r.names.push_back("treated");
  if (X.col(0).squaredNorm() < 1e-20) {
    return Invalid("treated: no unit changes treatment within the panel; the fixed effects absorb the treatment dummy");
  }
  for (std::size_t k = 1; k < K; ++k) {
    X.col(static_cast<Eigen::Index>(k)) = within([&](std::size_t u, std::size_t t) { return P->x[k - 1][u * T + t]; });
    r.names.push_back(panel.covariate_names[k - 1]);
    if (X.col(static_cast<Eigen::Index>(k)).squaredNorm() < 1e-20) {
      return Invalid(StrCat("covariate ", panel.covariate_names[k - 1],
                            ": does not vary within units over time; the unit and period effects absorb it"));
    }
  }
  const Eigen::MatrixXd XtX = X.transpose() * X;
  const Eigen::FullPivLU<Eigen::MatrixXd> lu(XtX);
  if (!lu.isInvertible())
    return Invalid("covariates: collinear with the treatment dummy or each other after the fixed effects");
  const Eigen::MatrixXd A = lu.inverse();
  const Eigen::VectorXd beta = A * (X.transpose() * y);
  const Eigen::VectorXd resid = y - X * beta;
  // Meat: Σ_c s_c s_c', s_c = Σ_{i∈c, t} x̃_it ũ_it.
  Eigen::MatrixXd scores = Eigen::MatrixXd::Zero(P->clusters, static_cast<Eigen::Index>(K));
  for (std::size_t u = 0; u < N; ++u) {
    for (std::size_t t = 0; t < T; ++t) {
      const auto row = static_cast<Eigen::Index>(u * T + t);
      scores.row(P->cluster[u]) += X.row(row) * resid(row);
    }
  }
  const double G = static_cast<double>(P->clusters), n = static_cast<double>(NT);
  const double k_all = static_cast<double>(K + (T - 1) + 1);
  r.small_sample_factor = G / (G - 1) * (n - 1) / (n - k_all);
  const Eigen::MatrixXd V = r.small_sample_factor * A * (scores.transpose() * scores) * A;
  for (std::size_t k = 0; k < K; ++k) {
    r.coef.push_back(beta(static_cast<Eigen::Index>(k)));
    r.se.push_back(std::sqrt(V(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(k))));
  }
  r.observations = static_cast<int64_t>(NT);
  r.units = static_cast<int64_t>(N);
  r.periods = static_cast<int64_t>(T);
  r.clusters = P->clusters;
  r.notes = P->notes;
  return r;
}

absl::StatusOr<BaconResult> BaconDecomposition(const DidPanel& panel, bool drop_incomplete_units) {
  if (!panel.covariates.empty()) {
    return Invalid("covariates: the Goodman-Bacon decomposition here is Theorem 1's, without covariates");
  }
  auto P = internal::BalancePanel(panel, internal::DropOrRefuse(drop_incomplete_units));
  if (!P.ok()) return P.status();
  const std::size_t N = P->N, T = P->T;
  // Timing groups by the index of their first treated period (T: never treated within the panel).
  std::map<std::size_t, std::vector<std::size_t>> by_start;
  for (std::size_t u = 0; u < N; ++u) {
    std::size_t start = T;
    for (std::size_t t = 0; t < T; ++t) {
      if (Treated(*P, u, t)) {
        start = t;
        break;
      }
    }
    by_start[start].push_back(u);
  }
  // Mean outcome of a group over periods [from, to).
  auto mean = [&](const std::vector<std::size_t>& units, std::size_t from, std::size_t to) {
    double s = 0;
    for (std::size_t u : units) {
      for (std::size_t t = from; t < to; ++t) s += P->y[u * T + t];
    }
    return s / static_cast<double>(units.size() * (to - from));
  };
  auto cohort_of = [&](std::size_t start) { return start == T ? int64_t{0} : P->group[by_start[start].front()]; };
  const double dN = static_cast<double>(N), dT = static_cast<double>(T);
  BaconResult r;
  r.notes = P->notes;
  const bool has_never = by_start.count(T) > 0;
  std::vector<std::size_t> starts;
  for (const auto& [s, units] : by_start) {
    if (s < T) starts.push_back(s);
  }
  if (starts.empty()) return Invalid("group: no unit is treated within the panel");
  double total = 0;
  auto add = [&](BaconKind kind, std::size_t treated, std::size_t control, double estimate, double weight) {
    if (!(weight > 0)) return;
    r.comparisons.push_back({kind, cohort_of(treated), cohort_of(control), estimate, weight});
    total += weight;
  };
  for (std::size_t k : starts) {
    const auto& uk = by_start[k];
    const double nk = static_cast<double>(uk.size()) / dN, Dk = (dT - static_cast<double>(k)) / dT;
    if (has_never && k > 0) {  // eq. 10a: timing group k against the never treated
      const auto& uu = by_start[T];
      const double nu = static_cast<double>(uu.size()) / dN, nku = nk / (nk + nu);
      const double est = (mean(uk, k, T) - mean(uk, 0, k)) - (mean(uu, k, T) - mean(uu, 0, k));
      add(BaconKind::kTreatedVsUntreated, k, T, est, (nk + nu) * (nk + nu) * nku * (1 - nku) * Dk * (1 - Dk));
    }
    for (std::size_t l : starts) {
      if (l <= k) continue;  // k earlier, l later
      const auto& ul = by_start[l];
      const double nl = static_cast<double>(ul.size()) / dN, Dl = (dT - static_cast<double>(l)) / dT;
      const double nkl = nk / (nk + nl), base = nkl * (1 - nkl);
      if (k > 0) {  // eq. 10b: k treated, l not yet treated, periods before l
        const double est = (mean(uk, k, l) - mean(uk, 0, k)) - (mean(ul, k, l) - mean(ul, 0, k));
        const double w = std::pow((nk + nl) * (1 - Dl), 2) * base * ((Dk - Dl) / (1 - Dl)) * ((1 - Dk) / (1 - Dl));
        add(BaconKind::kEarlierVsLater, k, l, est, w);
      }
      // eq. 10c: l treated, k already treated, periods from k on
      const double est = (mean(ul, l, T) - mean(ul, k, l)) - (mean(uk, l, T) - mean(uk, k, l));
      const double w = std::pow((nk + nl) * Dk, 2) * base * (Dl / Dk) * ((Dk - Dl) / Dk);
      add(BaconKind::kLaterVsEarlier, l, k, est, w);
    }
  }
  if (r.comparisons.empty()) return Invalid("group: no 2×2 comparison has treatment variation");
  for (auto& c : r.comparisons) {
    c.weight /= total;
    r.twfe += c.weight * c.estimate;
  }
  return r;
}

}  // namespace cmrv
