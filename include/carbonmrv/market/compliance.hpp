// carbonmrv — compliance (履约): allowances due from verified emissions and the allocation under the
// rules of the plan's period, and what may be surrendered from which vintage and source.
//
// Source-level API only: it may change in minor releases. Link the C API (carbonmrv.h) for binary
// stability.
//
// Rules (ComplianceRules in the allocation rule set; sources in docs/market.md): the shortfall cap of
// 20 % of verified emissions for non-exempt units, min(E, A) for gas units, CCER ≤ 5 % of the
// allowances due (MEE Order No. 19), eligible vintages (banking), 2021–2022 borrowing, the 2023–2024
// carry-over cap. AssessCompliance is a pure function: thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "carbonmrv/market/allocation.hpp"

namespace cmrv {

enum class HoldingKind : int32_t { kAllowance = 0, kCcer };
std::string_view HoldingKindName(HoldingKind k);  ///< "allowance", "ccer"
absl::StatusOr<HoldingKind> ParseHoldingKind(std::string_view name);

/// Units an entity holds in the registry: allowances of a vintage, or offsets (CCER, vintage of issue).
struct Holding {
  HoldingKind kind = HoldingKind::kAllowance;
  int vintage = 0;
  double quantity_t = 0;
};

struct ComplianceOptions {
  /// Net allowances the entity sold over the period the carry-over cap counts (2023–2024: 2019–2024).
  std::optional<double> net_sold_t;
};

struct SurrenderLine {
  HoldingKind kind = HoldingKind::kAllowance;
  int vintage = 0;
  double held_t = 0, eligible_t = 0, surrendered_t = 0;
  std::string reason;  ///< why not (all) eligible: "vintage 2018 not eligible", "CCER limit"
};

struct ComplianceFacility {
  std::string facility;
  UnitFuel fuel = UnitFuel::kCoal;
  double emissions_t = 0, allocation_t = 0, due_t = 0;
  bool exempt = false;  ///< due = min(E, A)
};

struct ComplianceResult {
  std::string rules_id;
  int year = 0;
  std::vector<ComplianceFacility> facilities;  ///< the last line is "(unattributed)" when there is any
  double emissions_t = 0, allocation_t = 0;
  double due_t = 0;                      ///< allowances due (应清缴配额量)
  double cap_relief_t = 0;               ///< what the shortfall cap took off the non-exempt units' emissions
  double exempt_relief_t = 0;            ///< what the gas-unit rule took off
  double offset_limit_t = 0;             ///< CCER usable at most
  std::vector<SurrenderLine> surrender;  ///< CCER first (up to the limit), then allowances oldest vintage first
  double surrendered_t = 0;
  double shortfall_t = 0;                       ///< due − surrendered (> 0: the entity must buy or borrow)
  double surplus_t = 0;                         ///< eligible allowances left after surrender
  std::optional<double> borrowing_available_t;  ///< when the period allows borrowing and the shortfall qualifies
  std::optional<double> carry_over_cap_t;       ///< when the period caps carry-over and net_sold is given
  std::vector<std::string> notes;

  std::string ToJson() const;  ///< "carbonmrv.compliance/1"
  std::string ToCsv() const;   ///< one row per surrender line
};

/// The compliance position of the allocation's enterprise and year. Errors name the holding
/// ("holdings[2].quantity_t: -5 is negative") or what is missing ("facility unit-1 has no verified
/// emissions for 2022 (give allocation.years[2022].verified_emissions or allocate the reporting year)").
absl::StatusOr<ComplianceResult> AssessCompliance(const AllocationResult& allocation, const AllocationRules& rules,
                                                  std::span<const Holding> holdings,
                                                  const ComplianceOptions& options = {});

/// Holdings from CSV text with a header naming `kind`, `vintage` and `quantity` (tCO2e). Errors name the
/// line and column.
absl::StatusOr<std::vector<Holding>> ReadHoldingsCsv(std::string_view text, std::string_view source);

}  // namespace cmrv
