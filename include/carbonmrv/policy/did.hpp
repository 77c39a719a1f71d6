// carbonmrv — policy evaluation: difference-in-differences with staggered adoption.
//
// Source-level API only: it may change in minor releases. Link the C API (carbonmrv.h) for binary
// stability.
//
// Group-time average treatment effects ATT(g,t) of Callaway & Sant'Anna (2021, J. Econometrics 225(2),
// 200-230), unconditional or with covariates by outcome regression, inverse probability weighting or the
// doubly-robust estimator of Sant'Anna & Zhao (2020, J. Econometrics 219(1), 101-122); analytic
// influence-function standard errors (optionally clustered) or the multiplier bootstrap with uniform
// bands; aggregations (simple, group, dynamic, calendar) with the weight-estimation term; and the Wald
// pre-test of parallel trends — the computations of R `did` 2.x (`att_gt`, `aggte`) and DRDID
// (`drdid_panel`, `std_ipw_did_panel`, `reg_did_panel`; for unbalanced panels and repeated
// cross-sections `drdid_rc`, `std_ipw_did_rc`, `reg_did_rc`), reproduced on their oracle
// (docs/policy-evaluation.md).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace cmrv {

/// A panel in long form: one row per unit and period. `group` is the period a unit is first treated
/// (R did's gname), 0 for never treated; it must be the same in every row of a unit.
struct DidPanel {
  std::vector<int64_t> id;
  std::vector<int64_t> time;
  std::vector<double> y;  ///< NaN: a missing outcome
  std::vector<int64_t> group;
  /// Covariates (R did's xformla terms), one column of one value per row each. A cell uses each unit's
  /// values in the earlier of its two periods, as R did's panel2cs2 does.
  std::vector<std::string> covariate_names;
  std::vector<std::vector<double>> covariates;
  /// Cluster of each row, constant within a unit (R did's clustervars); empty: each unit is a cluster.
  std::vector<int64_t> cluster;
};

/// Column names of a panel in a CSV file (R did's yname, tname, idname, gname, xformla, clustervars).
struct DidColumns {
  std::string y, time, id, group;
  std::vector<std::string> covariates;
  std::string cluster;  ///< empty: none
};

/// Reads a long-form panel from CSV text. An empty or NA outcome is missing (NaN); every other bad field
/// is an error naming `source:line` and the column; id, time, group and cluster must be whole numbers.
absl::StatusOr<DidPanel> ReadDidPanelCsv(std::string_view text, std::string_view source, const DidColumns& columns);

enum class ControlGroup : int32_t { kNeverTreated = 0, kNotYetTreated = 1 };
enum class BasePeriod : int32_t { kVarying = 0, kUniversal = 1 };
std::string_view ControlGroupName(ControlGroup c);  ///< "nevertreated", "notyettreated" (R did's names)
std::string_view BasePeriodName(BasePeriod b);      ///< "varying", "universal"
absl::StatusOr<ControlGroup> ParseControlGroup(std::string_view name);
absl::StatusOr<BasePeriod> ParseBasePeriod(std::string_view name);

/// R did's est_method: doubly robust ("dr", the default), inverse probability weighting ("ipw") or
/// outcome regression ("reg"). Without covariates all three are the difference in mean changes.
enum class DidEstimator : int32_t { kDoublyRobust = 0, kIpw = 1, kRegression = 2 };
std::string_view DidEstimatorName(DidEstimator e);  ///< "dr", "ipw", "reg"
absl::StatusOr<DidEstimator> ParseDidEstimator(std::string_view name);

struct AttGtOptions {
  ControlGroup control = ControlGroup::kNeverTreated;
  BasePeriod base = BasePeriod::kVarying;
  int anticipation = 0;  ///< periods before `group` in which units may already react
  DidEstimator method = DidEstimator::kDoublyRobust;
  /// Units missing a period (or with a NaN outcome) are dropped, with a note, as R did's default
  /// (allow_unbalanced_panel = FALSE) does; false: such a unit is an error naming it.
  bool drop_incomplete_units = false;
  /// R did's allow_unbalanced_panel: a panel with units missing periods (or outcomes) is estimated as it
  /// is, by the repeated-cross-section estimators with each unit's influence summed over its periods. A
  /// balanced panel still takes the panel estimators. Overrides drop_incomplete_units.
  bool allow_unbalanced_panel = false;
  /// R did's panel: false treats every row as its own unit (repeated cross-sections; ids are ignored and
  /// units are numbered by row; rows without an outcome are left out with a note).
  bool panel = true;
  double alpha = 0.05;  ///< 1 − confidence of the bands
  /// 0: analytic standard errors and pointwise bands. Otherwise the draws of the multiplier bootstrap
  /// (Mammen weights, one per cluster; R did's biters), which gives the SEs and a uniform band.
  int bootstrap_draws = 0;
  uint64_t seed = 0;  ///< the bootstrap's SplitMix64 seed (recorded in the result)
  /// Called with (cells estimated, cells in all) about every 0.1 s and after the last cell, on the
  /// calling thread; returning false cancels (kCancelled). It only observes. Empty: no reporting.
  std::function<bool(std::uint64_t done, std::uint64_t total)> progress = nullptr;
};

struct AttGtCell {
  int64_t group = 0, time = 0;
  double att = 0, se = 0;
  bool post = false;    ///< time ≥ group − anticipation
  int64_t treated = 0;  ///< units of the cohort in the cell (observations, without a balanced panel)
  int64_t controls = 0;
  int64_t trimmed = 0;  ///< comparison units left out with propensity ≥ 0.995 (DRDID's trimming)
};

struct AttGtResult {
  AttGtOptions options;
  int64_t units = 0;
  std::vector<int64_t> periods, groups;  ///< ascending; groups: the cohorts estimated
  std::vector<double> group_share;       ///< P(G = g) over all units, per entry of `groups`
  std::vector<AttGtCell> cells;          ///< by group, then time
  /// Influence functions: cells × units (row-major, one row per cell), so that Var = IF'IF / N².
  std::vector<double> influence;
  std::vector<int64_t> unit_group;  ///< each unit's cohort (0: never), in unit order
  std::vector<int64_t> unit_id;     ///< each unit's id, ascending
  /// Each unit's cluster index in [0, clusters); with no cluster column, the unit's own index.
  std::vector<int64_t> unit_cluster;
  int64_t clusters = 0;
  /// Band half-width multiplier: z(1 − α/2) (pointwise) or the bootstrap's uniform critical value.
  double critical_value = 0;
  bool uniform_band = false;
  /// Wald pre-test of parallel trends over the pre-treatment cells: W = N·θ'V⁻¹θ, χ² with `wald_df`.
  std::optional<double> wald, wald_p;
  int wald_df = 0;
  std::vector<std::string> notes;
};

/// ATT(g,t) for every cohort and period. Errors name the row, unit, covariate or cell: unequal column
/// lengths, an infinite outcome, a unit whose cohort changes between rows (treated, then untreated), a
/// unit missing a period or listed twice in one (unless drop_incomplete_units), a constant or
/// non-finite covariate, a cluster that changes within a unit, a cell without comparison units, a
/// propensity model that does not converge or collinear covariates in a cell.
absl::StatusOr<AttGtResult> AttGt(const DidPanel& panel, const AttGtOptions& options = {});

enum class AggregationType : int32_t { kSimple = 0, kGroup = 1, kDynamic = 2, kCalendar = 3 };
std::string_view AggregationTypeName(AggregationType t);  ///< "simple", "group", "dynamic", "calendar"
absl::StatusOr<AggregationType> ParseAggregationType(std::string_view name);

struct AggregateElement {
  int64_t key = 0;  ///< the cohort (group), event time (dynamic) or period (calendar)
  double att = 0, se = 0;
};
struct AggregateResult {
  AggregationType type = AggregationType::kSimple;
  std::vector<AggregateElement> elements;  ///< empty for "simple"
  double overall_att = 0, overall_se = 0;
  double critical_value = 0;  ///< for the elements' band, as in AttGtResult
  bool uniform_band = false;
};

/// The event-time window of a dynamic aggregation (R did's min_e, max_e).
struct AggregateOptions {
  std::optional<int64_t> min_e, max_e;
};

/// R did's aggte(): weights ∝ P(G = g) with the influence of estimating them (Callaway & Sant'Anna 2021,
/// §4). Group: each cohort's post-treatment mean, then across cohorts; dynamic: by event time e = t − g,
/// overall over e ≥ 0; calendar: by period, overall their mean. Standard errors as the result's (analytic,
/// clustered or bootstrap with the same seed).
absl::StatusOr<AggregateResult> Aggregate(const AttGtResult& result, AggregationType type,
                                          const AggregateOptions& options = {});

/// P(χ²_df > x): the regularized upper incomplete gamma Q(df/2, x/2).
double ChiSquareSurvival(double x, int df);
/// Φ⁻¹(p), the standard normal quantile, for 0 < p < 1 (Newton's method on std::erfc).
double NormalQuantile(double p);

}  // namespace cmrv
