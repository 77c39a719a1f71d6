// carbonmrv — free allowance allocation: a plan's rules as a versioned data file, applied to the
// facilities of an enterprise document, with a trace of every benchmark and correction.
//
// Source-level API only: it may change in minor releases. Link the C API (carbonmrv.h) for binary
// stability.
//
// Built-in rule sets (data/allocation/*.json, embedded; each value with its source and a confidence
// tag V/C/U as the project's ETS reference gives it): cn_power_2019_2020, cn_power_2021_2022,
// cn_power_2023_2024, cn_industry_2024, eu_far_2021_2025. A user's own plan is a file in the same
// format ("carbonmrv.allocation_rules/1", docs/market.md). Allocate is a pure function: thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "carbonmrv/enterprise/allocation_data.hpp"
#include "carbonmrv/enterprise/enterprise.hpp"
#include "carbonmrv/inventory/inventory.hpp"

namespace cmrv {

enum class AllocationMethod : int32_t {
  /// China power: B_e × Q_e × corrections + B_h × Q_h (benchmark per unit category and year).
  kPowerBenchmark = 0,
  /// Output × an intensity benchmark × factors (EU FAR: BM × HAL × CLEF × CSCF; HAL the median of the
  /// baseline years' activity).
  kProductBenchmark,
  /// A share of the facility's verified emissions of a base year (China industry 2024: the year's own).
  kGrandfathering,
};
std::string_view AllocationMethodName(AllocationMethod m);  ///< "power_benchmark", ...
absl::StatusOr<AllocationMethod> ParseAllocationMethod(std::string_view name);

/// Which output counts for electricity (China power: 供电量 until 2022, 发电量 from 2023).
enum class ElectricityBasis : int32_t { kSupply = 0, kGeneration };
/// Which emissions count toward the obligation (China 2023–: direct only).
enum class EmissionsScope : int32_t { kDirect = 0, kDirectAndIndirect };

/// A rule value with where it comes from: the document, and the ETS reference's confidence tag
/// ("V" confirmed in the source, "C" secondary sources only, "U" unconfirmed: check before relying on it).
struct RuleSource {
  std::string source;
  std::string confidence;
};

struct RuleQuantity {
  double value = 0;
  std::string unit_text;
  Unit unit;
  RuleSource from;
};

struct AllocationCategory {
  std::string id;  ///< "I" .. "IV"; a product benchmark id ("grey_cement_clinker")
  std::string name;
  std::optional<UnitFuel> fuel;  ///< power: the fuel class the category is for
  struct YearBenchmarks {
    int year = 0;
    std::optional<RuleQuantity> electricity, heat, product;
  };
  std::vector<YearBenchmarks> benchmarks;  ///< per year; one entry with year 0 applies to every year
};

/// Compliance rules of the plan's period (market/compliance.hpp applies them).
struct ComplianceRules {
  EmissionsScope scope = EmissionsScope::kDirectAndIndirect;
  RuleSource scope_from;
  /// Non-exempt units: obligation = min(E, A + share × E) (China power: 0.20, of verified emissions).
  std::optional<double> shortfall_cap_share;
  RuleSource shortfall_cap_from;
  /// Fuel classes whose obligation is min(E, A) (China power: gas units).
  std::vector<UnitFuel> exempt_fuels;
  RuleSource exempt_from;
  std::optional<double> offset_limit_share;  ///< CCER ≤ share × allowances due (0.05)
  RuleSource offset_limit_from;
  std::vector<int> eligible_vintages;  ///< allowance vintages that may be surrendered (banking)
  RuleSource eligible_from;
  struct Borrowing {
    double min_shortfall_share = 0;  ///< shortfall / due at or above which an entity may borrow (0.10)
    double max_share = 0;            ///< of the shortfall (0.50)
    int from_vintage = 0;            ///< borrowed from this vintage's pre-allocation (2023)
    RuleSource from;
  };
  std::optional<Borrowing> borrowing;
  struct CarryOverCap {
    double fixed = 0;         ///< t (10 000)
    double per_net_sold = 0;  ///< × net allowances sold (1.5)
    RuleSource from;
  };
  std::optional<CarryOverCap> carry_over_cap;
};

struct AllocationRules {
  std::string id, name, document, jurisdiction, sector;
  AllocationMethod method = AllocationMethod::kPowerBenchmark;
  std::vector<int> years;
  ElectricityBasis electricity_basis = ElectricityBasis::kSupply;
  RuleSource electricity_basis_from;
  std::vector<AllocationCategory> categories;

  // Power corrections (each absent when the plan has none or the reference does not give it).
  struct CoolingCorrection {
    double air = 1, water = 1;
    std::vector<UnitFuel> fuels;  ///< the fuel classes it applies to
    RuleSource from;
  };
  std::optional<CoolingCorrection> cooling;
  struct HeatRatioCorrection {
    double coal = 0, gas = 0;  ///< F_heat = 1 − k × heat_ratio
    RuleSource from;
  };
  std::optional<HeatRatioCorrection> heat_ratio;
  struct LoadCorrection {
    std::string function;                 ///< "cn_power_2019" (the piecewise function of the 2019–2020 plan)
    std::vector<std::string> categories;  ///< the categories it applies to
    bool chp = false;                     ///< whether it applies to CHP units too
    RuleSource from;
  };
  std::optional<LoadCorrection> load;

  // Product-benchmark factors (EU FAR).
  std::optional<double> clef_exposed, clef_other;  ///< carbon-leakage exposure factor
  RuleSource clef_from;
  std::optional<double> cscf;  ///< cross-sectoral correction factor
  RuleSource cscf_from;
  std::vector<int> baseline_years;  ///< HAL = median of the activity of these years
  RuleSource baseline_from;

  // Grandfathering.
  double grandfathering_share = 1;
  int grandfathering_base_offset = 0;  ///< base year = allocation year + offset (0: the same year)
  RuleSource grandfathering_from;

  /// Pre-allocation (预分配): share × the allocation recomputed on the base year's output.
  struct PreAllocation {
    double share = 0.7;
    int base_year = 0;  ///< a fixed year (2019–2020 plan: 2018)
    RuleSource from;
  };
  std::optional<PreAllocation> pre_allocation;

  ComplianceRules compliance;
  std::vector<std::string> notes;  ///< gaps the rule set records (values not found in the reference)
  std::string sha256;              ///< of the rule-set text

  /// Parses "carbonmrv.allocation_rules/1"; every problem at once, each "<json path>: <what>".
  static absl::StatusOr<AllocationRules> FromJson(std::string_view json_text);
  /// A built-in rule set by id; an unknown id is an error listing the built-in ones.
  static absl::StatusOr<AllocationRules> Builtin(std::string_view id);
  static std::vector<std::string> BuiltinIds();
  std::string ToJson() const;  ///< the rule-set text as read (for a built-in, its data file)

  const AllocationCategory* Category(std::string_view category_id) const;

 private:
  std::string text_;
};

/// The 2019–2020 plan's load-factor correction for conventional coal units ([U] in the ETS reference,
/// checked by its continuity at 0.80 and 0.75 and by the 49 % → ×1.0967 vector):
/// F ≥ 0.85: 1; 0.80 ≤ F < 0.85: 1 + 0.0014 (85 − 100F); 0.75 ≤ F < 0.80: 1.007 + 0.0016 (80 − 100F);
/// F < 0.75: 1.015^(16 − 20F).
double CnPowerLoadCorrection2019(double load_factor);

/// One step of an allocation: a benchmark, an output or a correction, with its input and source.
struct AllocationStep {
  std::string name;   ///< "benchmark_electricity", "cooling", "load", "heat_ratio", "hal", "clef" ...
  double value = 0;   ///< the factor or quantity used
  std::string unit;   ///< "" for factors
  std::string input;  ///< what it was computed from ("load_factor 0.49", "air cooling")
  RuleSource from;
};

struct FacilityAllocation {
  std::string facility;
  std::string category;
  UnitFuel fuel = UnitFuel::kCoal;
  double electricity_part_t = 0, heat_part_t = 0, product_part_t = 0;
  double allocation_t = 0;                 ///< final allocation of the year (tCO2)
  std::optional<double> pre_allocation_t;  ///< when the plan pre-allocates and the base year is given
  std::optional<double> true_up_t;         ///< allocation − pre-allocation (多退少补; < 0: withdrawn)
  std::optional<double> verified_emissions_t;
  std::string emissions_source;  ///< "inventory" or the stated verification report
  std::vector<AllocationStep> trace;
};

struct AllocationResult {
  std::string rules_id, rules_name, rules_sha256;
  AllocationMethod method = AllocationMethod::kPowerBenchmark;
  int year = 0;
  std::string enterprise;
  std::vector<FacilityAllocation> facilities;
  /// Emissions of the enterprise not attributed to a facility with allocation data (e.g. a plant-wide
  /// purchased-electricity meter); they count toward the obligation under the non-exempt rule.
  double unattributed_emissions_t = 0;
  double total_t = 0;
  std::optional<double> pre_allocation_t, true_up_t;
  std::vector<std::string> notes;

  std::string ToJson() const;  ///< "carbonmrv.allocation/1"
  std::string ToCsv() const;   ///< one row per facility
};

struct AllocateOptions {
  int year = 0;  ///< 0: the document's reporting year
  /// Inventory options for the reporting year's verified emissions (the inventory is computed when the
  /// allocation year is the document's year and `inventory` is not given).
  InventoryOptions inventory;
};

/// Allocates to every facility of `enterprise` that has allocation data. Errors name the field
/// ("facilities[1].allocation.years[2022].load_factor: required by cn_power_2019_2020 (load correction
/// of category II)") or the rule ("category \"V\" is not in rule set cn_power_2019_2020; expected one of
/// I, II, III, IV"). `inventory`, when given, is the enterprise's inventory of the reporting year (its
/// lines are attributed to facilities through their sources); otherwise it is computed with `catalogue`
/// when the allocation year is the reporting year.
absl::StatusOr<AllocationResult> Allocate(const Enterprise& enterprise, const FactorCatalogue& catalogue,
                                          const AllocationRules& rules, const AllocateOptions& options,
                                          const Inventory* inventory = nullptr);

}  // namespace cmrv
