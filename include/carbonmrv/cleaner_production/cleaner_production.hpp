// carbonmrv — cleaner production (清洁生产): indicator systems and their levels, audit-focus ranking,
// option abatement by the inventory engine, option economics, the marginal abatement cost curve and
// the audit report that brings them together with the ex-post comparison.
//
// Source-level API only: it may change in minor releases. Link the C API (carbonmrv.h) for
// binary stability.
//
// The audit round is data of the enterprise document (enterprise/audit.hpp). Everything here is a
// pure function of its inputs: thread-safe for concurrent calls on distinct or shared const inputs.
// Formulas and their sources: docs/cleaner-production.md.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "carbonmrv/enterprise/audit.hpp"
#include "carbonmrv/enterprise/enterprise.hpp"
#include "carbonmrv/factors/factors.hpp"
#include "carbonmrv/inventory/inventory.hpp"
#include "carbonmrv/verification/verification.hpp"

namespace cmrv {

// ---------------------------------------------------------------------------------------------
// Indicator systems (清洁生产评价指标体系)
// ---------------------------------------------------------------------------------------------

/// Whether a smaller or a larger value is better (energy per product: lower; recovery rate: higher).
enum class IndicatorDirection : int32_t { kLower = 0, kHigher = 1 };
std::string_view IndicatorDirectionName(IndicatorDirection d);  ///< "lower", "higher"
absl::StatusOr<IndicatorDirection> ParseIndicatorDirection(std::string_view name);

/// A second-level indicator: its weight within its group, and for a quantitative one its benchmark
/// value of each level (I, II, III) in `unit`.
struct SystemIndicator {
  std::string id, name;
  double weight = 0;         ///< ω_ij, within the group; a group's weights add up to 1
  bool limiting = false;     ///< 限定性指标: must itself reach a level for the enterprise to reach it
  bool qualitative = false;  ///< 定性指标: the audit states the level it meets
  IndicatorDirection direction = IndicatorDirection::kLower;
  std::string unit_text;               ///< quantitative: the unit of the benchmarks
  std::array<double, 3> benchmarks{};  ///< quantitative: level I, II, III values
};

/// A first-level indicator (节能, 降耗, 减污, 增效, 管理 ...) with its weight w_i; the weights add up to 1.
struct IndicatorGroup {
  std::string id, name;
  double weight = 0;
  std::vector<SystemIndicator> indicators;
};

/// A sector's indicator system as a versioned data file ("carbonmrv.indicator_system/1",
/// docs/cleaner-production.md) with its provenance, like a factor dataset.
struct IndicatorSystem {
  std::string id, title, sector, version;
  std::string source;      ///< the document it transcribes (title, number, table), or "hand-made: ..."
  std::string confidence;  ///< "published" (transcribed from the source) or "hand_made" (tests, examples)
  /// The composite index a level needs: Y_I ≥ 85 and Y_II ≥ 85 under the compilation rules
  /// (《清洁生产评价指标体系编制通则》(试行稿), 2013); level III needs Y_III = 100.
  double level_i_threshold = 85, level_ii_threshold = 85;
  std::vector<IndicatorGroup> groups;
  std::string sha256;  ///< of the file as read

  /// Parses and validates a system: weights that do not add up to 1 (within 1e-6), benchmarks out of
  /// order for the direction, duplicate ids and units that do not parse are errors naming their JSON path.
  static absl::StatusOr<IndicatorSystem> FromJson(std::string_view json_text);
  const SystemIndicator* Find(std::string_view indicator_id) const;
};

/// The value of one indicator for scoring: a number in the system's unit, or a stated level.
struct IndicatorValue {
  std::string id;
  std::optional<double> value;   ///< quantitative, in the system indicator's unit
  std::optional<CpLevel> level;  ///< qualitative: the level stated
  std::string from;              ///< where the value came from
};

struct IndicatorScore {
  std::string group, id, name;
  std::optional<double> value;
  std::string unit;
  std::string from;  ///< "" when the enterprise gave no value (then it reaches no level)
  bool limiting = false;
  double weight = 0;                 ///< w_i × ω_ij: its share of the composite index
  CpLevel level = CpLevel::kNone;    ///< the best level its value reaches
  std::optional<CpLevel> next;       ///< the next level up (none at level I)
  std::optional<double> next_value;  ///< that level's benchmark
  /// How far the value is from the next level, in `unit`: positive = the value must fall (lower is
  /// better) or rise (higher is better) by this much.
  std::optional<double> gap;
  std::optional<double> gap_pct;  ///< gap / |value| × 100
};

struct SystemScore {
  std::string system_id, system_source, system_confidence;
  double y_i = 0, y_ii = 0, y_iii = 0;  ///< composite indices Y_gk = Σ w_i Σ ω_ij Y_gk(x_ij)
  CpLevel level = CpLevel::kNone;
  /// False when an indicator had no value: it is scored as reaching no level, so `level` is a lower
  /// bound and `missing` lists it.
  bool complete = true;
  std::vector<std::string> missing;
  std::vector<std::string> reasons;  ///< why the level is what it is ("Y_I = 78.0 < 85", ...)
  std::vector<IndicatorScore> indicators;
};

/// Scores `values` against `system`: membership 100 or 0 per level, composite index per level, then the
/// level rule (I: Y_I ≥ 85 and every limiting indicator at I; II likewise; III: Y_III = 100). A value
/// for an id the system does not have is an error; a system indicator without a value is scored 0 and
/// reported as missing.
absl::StatusOr<SystemScore> ScoreIndicators(const IndicatorSystem& system, const std::vector<IndicatorValue>& values);

// ---------------------------------------------------------------------------------------------
// Audit focus (审核重点) by the weighted-sum scoring method (权重总和计分排序法)
// ---------------------------------------------------------------------------------------------

struct FocusRank {
  std::string unit;
  double total = 0;  ///< Σ weight × score
  int rank = 0;      ///< 1 = highest total; ties share a rank
};

struct FocusResult {
  std::vector<FocusRank> ranking;  ///< highest total first; ties in document order
  std::string chosen;              ///< the document's choice, else the top-ranked unit
  std::string explanation;
};

FocusResult RankFocus(const AuditFocus& focus);

// ---------------------------------------------------------------------------------------------
// Option economics
// ---------------------------------------------------------------------------------------------

struct EconomicsInput {
  double investment = 0;                 ///< I, CNY
  double annual_savings = 0;             ///< P, CNY per year (energy, materials, avoided allowances)
  double annual_om_change = 0;           ///< C, CNY per year (positive: costs more)
  int life_years = 0;                    ///< n
  int depreciation_years = 0;            ///< straight-line; 0: n
  double discount_rate = 0;              ///< i (fraction)
  double tax_rate = 0;                   ///< t (fraction)
  std::optional<double> benchmark_rate;  ///< the IRR must reach it (fraction)
  double irr_interpolation_step = 0.01;  ///< i2 − i1 of the textbook interpolation
};

struct Economics {
  double depreciation = 0;                   ///< D = I / depreciation years
  double taxable_profit = 0;                 ///< P − C − D
  double tax = 0;                            ///< t × (P − C − D)
  double net_cash_flow = 0;                  ///< F = (P − C − D)(1 − t) + D
  std::optional<double> simple_payback;      ///< N = I / F (F > 0)
  std::optional<double> discounted_payback;  ///< years until Σ F/(1+i)^j ≥ I, within the life
  double npv = 0;                            ///< Σ_{j=1..n} F/(1+i)^j − I
  std::optional<double> npvr;                ///< NPV / I (I > 0), a fraction
  std::optional<double> irr;                 ///< NPV(IRR) = 0, by bisection to 1e-12
  std::optional<double> irr_interpolated;    ///< i1 + NPV1 (i2 − i1) / (NPV1 + |NPV2|)
  std::optional<double> irr_i1, irr_i2, irr_npv1, irr_npv2;
  double crf = 0;                    ///< capital recovery factor i(1+i)^n / ((1+i)^n − 1)
  bool feasible = false;             ///< F > 0, NPV ≥ 0 and IRR ≥ the benchmark
  std::vector<std::string> verdict;  ///< the reasons
};

/// Capital recovery factor i(1+i)^n/((1+i)^n − 1); 1/n at i = 0.
double CapitalRecoveryFactor(double i, int n);
/// NPV of F per year for n years at rate r, less I.
double NetPresentValue(double investment, double net_cash_flow, int years, double rate);

/// The feasibility-analysis indicators of one option. Errors (kInvalidArgument, naming the argument):
/// a life < 1, a negative investment, rates outside [0, 1), a non-finite number.
absl::StatusOr<Economics> EvaluateEconomics(const EconomicsInput& input);

// ---------------------------------------------------------------------------------------------
// The audit report
// ---------------------------------------------------------------------------------------------

struct AuditComputeOptions {
  InventoryOptions inventory;
  std::string audit_id;  ///< which round; "" = the document's only (or last) round
  /// Overrides the round's carbon price (CNY per tCO2e) for a scenario.
  std::optional<double> carbon_price_cny_per_t;
  /// The next period's document: ex-post comparison of implemented options and target status.
  std::optional<Enterprise> review;
  /// Optional: scores the indicators against this system.
  std::optional<IndicatorSystem> system;
};

/// An audit indicator's value for one year, from the enterprise's own data.
struct IndicatorReading {
  std::string id, name, metric;
  int year = 0;
  std::optional<double> value;  ///< in `unit`
  std::string unit;
  std::optional<CpLevel> level;  ///< stated_level
  std::string from;              ///< how it was obtained, or why it could not be
};

struct TargetStatus {
  std::string indicator;
  double baseline = 0, target = 0;
  std::string unit;
  int deadline = 0;
  int year = 0;  ///< the year the observed value is of
  std::optional<double> observed;
  std::string status;  ///< "met", "missed", "not_yet_met", "no_data"
};

/// The change an option makes to one source's activity, in the activity's unit.
struct ActivityChange {
  std::string source, unit;
  double before = 0, after = 0;
  std::optional<double> value_cny;  ///< (before − after) × price; unset without a price
};

struct OptionResult {
  std::string id, title;
  OptionClass option_class = OptionClass::kNoLowCost;
  std::optional<CauseAspect> cause;
  OptionStatus status = OptionStatus::kProposed;
  /// Sequential marginal abatement: the inventory before this option (all earlier options applied)
  /// less the inventory after it; tCO2e per year, scope 1 + 2.
  double abatement_t = 0;
  std::map<std::string, double> abatement_by_gas, abatement_by_scope;
  double standalone_abatement_t = 0;  ///< the option alone on the baseline
  std::vector<ActivityChange> changes;
  double investment_cny = 0, annual_om_change_cny = 0;  ///< I and C as the option states them
  double energy_savings_cny = 0;                        ///< Σ value_cny of the changes
  double annual_savings_cny = 0;                        ///< energy savings + other savings
  Economics economics;                                  ///< without a carbon price
  std::optional<Economics> economics_with_carbon;
  std::optional<double> carbon_price_cny_per_t;
  /// (I × CRF + C − savings) / abatement, CNY per tCO2e; unset when the option abates nothing.
  std::optional<double> cost_per_t;
  std::vector<std::string> notes;
};

struct MaccRow {
  std::string option;
  double cost_per_t = 0;
  double abatement_t = 0;
  double cumulative_start = 0, cumulative_end = 0;
};

struct StageRow {
  AuditStage stage = AuditStage::kPlanning;
  StageStatus status = StageStatus::kPlanned;
  std::string start, end;
};

struct AuditReport {
  std::string enterprise;
  int year = 0;
  std::string audit_id;
  AuditType type = AuditType::kVoluntary;
  std::optional<AuditTrigger> trigger;
  std::vector<std::string> boundary;
  std::vector<StageRow> stages;
  std::optional<FocusResult> focus;
  std::vector<IndicatorReading> indicators;  ///< baseline year, then the review year when given
  std::optional<SystemScore> score;          ///< baseline year's indicators against the system
  std::optional<SystemScore> review_score;
  std::vector<TargetStatus> targets;
  double baseline_co2e_t = 0;  ///< scope 1 + 2 of the baseline inventory
  double final_co2e_t = 0;     ///< after every option, in order
  std::vector<OptionResult> options;
  std::vector<MaccRow> macc;              ///< by cost ascending; options that abate nothing are left out
  std::vector<ExPostComparison> ex_post;  ///< with a review document
  std::optional<AuditAcceptance> acceptance;
  std::vector<std::string> notes;
  Inventory baseline;  ///< the baseline inventory (with its trace)
  Inventory final;     ///< with every option applied (with its trace)

  /// "carbonmrv.audit/1" JSON.
  std::string ToJson() const;
  /// One table as CSV: "indicators", "options", "macc", "targets", "focus", "ex_post".
  absl::StatusOr<std::string> ToCsv(std::string_view table) const;
};

/// Computes the audit report of one round: indicators from the energy balance, activity, production
/// and inventory; the focus ranking; each option's sequential and standalone abatement by the inventory
/// engine with the same factors and conventions; its economics and cost of abatement; the MACC; targets
/// and, with a review document, the ex-post comparison. Errors name the field: an unknown audit id, an
/// option the activity cannot absorb, an indicator whose unit does not convert to the system's. An
/// indicator the data cannot give is a reading without a value that says why.
absl::StatusOr<AuditReport> ComputeAudit(const Enterprise& enterprise, const FactorCatalogue& catalogue,
                                         const AuditComputeOptions& options);

}  // namespace cmrv
