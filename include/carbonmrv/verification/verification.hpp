// carbonmrv — cross-verification: the energy balance (the cleaner-production audit's view) against
// the carbon inventory, and a reported inventory against the one carbonmrv recomputes.
//
// Source-level API only: it may change in minor releases. Link the C API (carbonmrv.h) for
// binary stability.
//
// Each check has a stable id (X01 … as in docs/verification.md), a rule with its source (a standard
// and clause, or "engineering default" where no standard gives a number), configurable warning and
// error tolerances and a message in English and Chinese. A finding names the check, the subject
// (enterprise, source or carrier, period), the observed and expected values, the difference and the
// tolerance it broke.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "carbonmrv/energy_balance/energy_balance.hpp"
#include "carbonmrv/enterprise/enterprise.hpp"
#include "carbonmrv/factors/factors.hpp"
#include "carbonmrv/inventory/inventory.hpp"

namespace cmrv {

enum class Severity : int32_t { kInfo = 0, kWarning = 1, kError = 2 };
std::string_view SeverityName(Severity s);

/// The cross-checks, numbered as in docs/verification.md ("X01"). X11, X17 and X21 of the domain
/// reference are not implemented and have no id here.
enum class CheckId : int32_t {
  kX01 = 1,
  kX02 = 2,
  kX03 = 3,
  kX04 = 4,
  kX05 = 5,
  kX06 = 6,
  kX07 = 7,
  kX08 = 8,
  kX09 = 9,
  kX10 = 10,
  kX12 = 12,
  kX13 = 13,
  kX14 = 14,
  kX15 = 15,
  kX16 = 16,
  kX18 = 18,
  kX19 = 19,
  kX20 = 20,
  kX22 = 22,
  kX23 = 23,
};
/// "X01".
std::string_view CheckIdName(CheckId id);
/// "X01" (any case) → CheckId::kX01; anything else is INVALID_ARGUMENT listing the valid ids.
absl::StatusOr<CheckId> ParseCheckId(std::string_view name);

/// One check of the catalogue.
struct CheckInfo {
  CheckId id{};                ///< X01
  std::string title;           ///< English
  std::string title_zh;        ///< 中文
  std::string rule;            ///< the test, as a formula
  std::string source;          ///< standard and clause, or "engineering default (...)"
  std::string needs;           ///< what data the check needs
  double warning = 0;          ///< tolerance (in `tolerance_unit`) above which a finding is a warning
  double error = 0;            ///< … an error
  std::string tolerance_unit;  ///< "%" (relative) or "" (not a numeric tolerance)
};
/// The catalogue, in id order.
const std::vector<CheckInfo>& CheckCatalogue();

struct Finding {
  CheckId check{};
  Severity severity = Severity::kWarning;
  std::string enterprise;
  std::string subject;  ///< carrier id, source id, converter id or "inventory"
  std::string period;
  double observed = 0;
  std::optional<double> expected;      ///< a value, or
  std::optional<double> lower, upper;  ///< a range
  double difference = 0;               ///< observed − expected (or the distance outside the range)
  std::optional<double> relative;      ///< difference / expected (or / the bound)
  std::string unit;                    ///< of observed / expected / difference
  std::string tolerance;               ///< e.g. "warning > 1 %, error > 3 %"
  std::string source;                  ///< the rule's source
  std::string message;                 ///< English
  std::string message_zh;              ///< 中文
};

/// How the difference between a reported and a recomputed inventory line is attributed. The parts add
/// up to the line's difference (sequential substitution: activity, then factors, then units/basis,
/// then the CO2/C convention, then the GWP; what remains is rounding in the report).
struct ReconciliationLine {
  std::string source, period;
  Gas gas = Gas::kCo2;
  std::string part;
  double reported_t = 0, recomputed_t = 0;  ///< tCO2e (0 on the side where the line is missing)
  std::map<std::string, double> parts;  ///< activity, factor, unit_or_basis, convention, gwp, rounding, missing, extra
};

struct Reconciliation {
  double reported_total = 0, recomputed_total = 0;
  std::vector<ReconciliationLine> lines;
  std::map<std::string, double> by_part;  ///< sums over lines; they add up to reported − recomputed
};

struct VerifyOptions {
  std::vector<CheckId> checks;  ///< checks to run; empty: all
  /// Tolerance overrides: check → {warning, error}, 0 ≤ warning ≤ error.
  std::map<CheckId, std::pair<double, double>> tolerances;
  InventoryOptions inventory;  ///< how the inventory is recomputed
  EnergyBalanceOptions energy_balance;
  /// Last year's inventory (carbonmrv.inventory/1 with its intensities) for the year-on-year part of
  /// X18; unset: month-on-month only.
  std::optional<Inventory> previous_year;
  /// The document of an earlier year whose cleaner-production audit claimed savings (X23: claimed
  /// against observed, normalised by production).
  std::optional<Enterprise> audit_baseline;
};

/// One ex-post comparison of a cleaner-production audit (X23): what the implemented options claimed
/// against what the review year shows, normalised by production (GB/T 13234 用能单位节能量计算方法:
/// product savings ΔE = Σ (e_report − e_base) × M_report, at the review year's output). For a source the quantities are
/// its activity; for "total" the scope 1 + 2 inventory in tCO2e.
struct ExPostComparison {
  std::string audit;
  std::string options;  ///< the implemented options that change the subject, comma-separated
  std::string subject;  ///< a source id or "total"
  std::string unit;
  int baseline_year = 0, review_year = 0;
  double baseline = 0;             ///< in the audit's year
  double review = 0;               ///< in the review year
  double production_ratio = 1;     ///< review-year output / baseline-year output of the audit's product
  double claimed = 0;              ///< saving the options claim at the baseline year's output
  double expected = 0;             ///< claimed × production_ratio
  double observed = 0;             ///< baseline × production_ratio − review
  std::optional<double> relative;  ///< (observed − expected) / expected
};

/// Compares each audit of `baseline` (implemented or verified options, applied in order) with
/// `review`, the same enterprise a later year. Errors: a review year not after the baseline year, an
/// audit without a product or its output in either year, an inventory that cannot be computed.
/// `baseline_inventory` and `review_inventory`, when the caller has them (computed with `options`), are
/// used instead of computing them again.
absl::StatusOr<std::vector<ExPostComparison>> CompareExPost(const Enterprise& baseline, const Enterprise& review,
                                                            const FactorCatalogue& catalogue,
                                                            const InventoryOptions& options,
                                                            const Inventory* baseline_inventory = nullptr,
                                                            const Inventory* review_inventory = nullptr);

struct VerificationReport {
  std::string enterprise;
  int year = 0;
  std::vector<CheckId> checks_run;
  std::vector<std::string> checks_skipped;  ///< "X05: no energy balance" …
  std::vector<Finding> findings;
  std::optional<Reconciliation> reconciliation;  ///< when a reported inventory was given
  Severity Worst() const;                        ///< kInfo when there are no findings
  /// "clean" without findings, else the worst severity's name ("info", "warning", "error"): the
  /// report's status on every surface (JSON, C API, Python, CLI).
  std::string_view Status() const;
  bool HasErrors() const { return Worst() == Severity::kError && !findings.empty(); }
  std::string ToJson() const;  ///< "carbonmrv.verification/1"
  std::string ToCsv() const;   ///< one row per finding
};

/// Runs the checks. `reported` (optional) is the enterprise's own inventory (carbonmrv.inventory/1)
/// for the reconciliation and the convention checks. Errors: a bad tolerance (kInvalidArgument), or an inventory that
/// cannot be recomputed (its own error).
absl::StatusOr<VerificationReport> Verify(const Enterprise& enterprise, const FactorCatalogue& catalogue,
                                          const Inventory* reported, const VerifyOptions& options);

/// The reconciliation alone.
Reconciliation Reconcile(const Inventory& reported, const Inventory& recomputed);

}  // namespace cmrv
