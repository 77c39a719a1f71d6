// carbonmrv — policy evaluation: difference-in-differences with staggered adoption.
//
// Source-level API only: it may change in minor releases. Link the C API (carbonmrv.h) for binary
// stability.
//
// Group-time average treatment effects ATT(g,t) of Callaway & Sant'Anna (2021, J. Econometrics 225(2),
// 200-230) without covariates, with analytic influence-function standard errors, their aggregations
// (simple, group, dynamic, calendar) with the weight-estimation term, and the Wald pre-test of parallel
// trends — the computations of R `did` 2.x (`att_gt(..., xformla = ~1, bstrap = FALSE)`, `aggte`),
// reproduced on its mpdta oracle (docs/policy-evaluation.md).
#pragma once

#include <cstdint>
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
  std::vector<double> y;
  std::vector<int64_t> group;
};

enum class ControlGroup : int32_t { kNeverTreated = 0, kNotYetTreated = 1 };
enum class BasePeriod : int32_t { kVarying = 0, kUniversal = 1 };
std::string_view ControlGroupName(ControlGroup c);  ///< "nevertreated", "notyettreated" (R did's names)
std::string_view BasePeriodName(BasePeriod b);      ///< "varying", "universal"
absl::StatusOr<ControlGroup> ParseControlGroup(std::string_view name);
absl::StatusOr<BasePeriod> ParseBasePeriod(std::string_view name);

struct AttGtOptions {
  ControlGroup control = ControlGroup::kNeverTreated;
  BasePeriod base = BasePeriod::kVarying;
  int anticipation = 0;  ///< periods before `group` in which units may already react
};

struct AttGtCell {
  int64_t group = 0, time = 0;
  double att = 0, se = 0;
  bool post = false;    ///< time ≥ group − anticipation
  int64_t treated = 0;  ///< units of the cohort in the cell
  int64_t controls = 0;
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
  /// Wald pre-test of parallel trends over the pre-treatment cells: W = N·θ'V⁻¹θ, χ² with `wald_df`.
  std::optional<double> wald, wald_p;
  int wald_df = 0;
  std::vector<std::string> notes;
};

/// ATT(g,t) for every cohort and period. Errors name the row or unit: unequal column lengths, a
/// non-finite outcome, a unit whose cohort changes between rows (treated, then untreated), a unit
/// missing a period or listed twice in one (the panel must be balanced), a cell without comparison units.
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
};

/// R did's aggte(): weights ∝ P(G = g) with the influence of estimating them (Callaway & Sant'Anna 2021,
/// §4). Group: each cohort's post-treatment mean, then across cohorts; dynamic: by event time e = t − g,
/// overall over e ≥ 0; calendar: by period, overall their mean.
absl::StatusOr<AggregateResult> Aggregate(const AttGtResult& result, AggregationType type);

/// P(χ²_df > x): the regularized upper incomplete gamma Q(df/2, x/2).
double ChiSquareSurvival(double x, int df);

}  // namespace cmrv
