// carbonmrv — policy evaluation: the canonical 2×2 difference-in-differences, the two-way fixed-effects
// regression with cluster-robust standard errors, and the Goodman-Bacon decomposition of the TWFE
// estimate into its 2×2 comparisons.
//
// Source-level API only: it may change in minor releases. Link the C API (carbonmrv.h) for binary
// stability.
//
// Under staggered adoption with effects that change over time, the TWFE coefficient is a weighted mean of
// all 2×2 comparisons, including "later vs earlier treated" ones that use already-treated units as
// controls (Goodman-Bacon 2021, J. Econometrics 225(2), 254-277, Theorem 1); the decomposition shows
// those weights so that a user sees when TWFE misleads and ATT(g,t) (policy/did.hpp) is needed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "carbonmrv/policy/did.hpp"

namespace cmrv {

/// The canonical 2×2: units first treated in (pre, post] against comparison units untreated through
/// `post` (never treated, or also not-yet-treated with kNotYetTreated); units treated by `pre` are left
/// out. ATT = (Ȳ_T,post − Ȳ_T,pre) − (Ȳ_C,post − Ȳ_C,pre); SE = √(s²_T/n_T + s²_C/n_C) of the changes
/// (the Welch form, which is the HC2 robust SE of ΔY on a treatment dummy).
struct TwoByTwoResult {
  double att = 0, se = 0;
  double treated_pre = 0, treated_post = 0, control_pre = 0, control_post = 0;  ///< group means
  int64_t treated = 0, controls = 0;
};
absl::StatusOr<TwoByTwoResult> DidTwoByTwo(const DidPanel& panel, int64_t pre, int64_t post,
                                           ControlGroup control = ControlGroup::kNeverTreated);

/// y_it = α_i + λ_t + β D_it + γ'X_it + ε_it with D_it = 1{G_i > 0 and t ≥ G_i}, on a balanced panel
/// by the two-way within transformation (exact for balanced panels). Cluster-robust SEs by unit (or by
/// the panel's cluster column) with Stata's small-sample factor for xtreg, fe vce(cluster):
/// G/(G − 1) · (NT − 1)/(NT − K), K = slopes + (T − 1) period effects + 1, unit effects being nested in
/// the clusters.
struct TwfeResult {
  std::vector<std::string> names;  ///< "treated", then the covariates
  std::vector<double> coef, se;
  int64_t observations = 0, units = 0, periods = 0, clusters = 0;
  double small_sample_factor = 0;
  std::vector<std::string> notes;
};
absl::StatusOr<TwfeResult> Twfe(const DidPanel& panel, bool drop_incomplete_units = false);

enum class BaconKind : int32_t { kTreatedVsUntreated = 0, kEarlierVsLater = 1, kLaterVsEarlier = 2 };
/// R bacondecomp's labels: "Treated vs Untreated", "Earlier vs Later Treated", "Later vs Earlier Treated".
std::string_view BaconKindName(BaconKind k);

struct BaconComparison {
  BaconKind kind = BaconKind::kTreatedVsUntreated;
  int64_t treated = 0;  ///< the cohort whose change is the treatment
  int64_t control = 0;  ///< the comparison cohort (0: never treated)
  double estimate = 0, weight = 0;
};
struct BaconResult {
  double twfe = 0;  ///< Σ weight · estimate, equal to Twfe()'s coefficient without covariates
  std::vector<BaconComparison> comparisons;
  std::vector<std::string> notes;
};
/// Goodman-Bacon (2021) Theorem 1 on a balanced panel without covariates: every timing group against
/// the never treated, and every pair of timing groups both ways, with weights from group sizes and
/// treatment variance (eqs. 10a-10e); units treated in the first period are the "always treated".
absl::StatusOr<BaconResult> BaconDecomposition(const DidPanel& panel, bool drop_incomplete_units = false);

}  // namespace cmrv
