// carbonmrv — what an allowance allocation needs to know about one facility (a generating unit, a
// sub-installation, a production line): its category under a plan and its output year by year.
//
// Source-level API only: it may change in minor releases. Link the C API (carbonmrv.h) for binary
// stability.
//
// Lives in the enterprise document next to the facility (`facilities[i].allocation`, schema
// carbonmrv.enterprise/2), so that the energy balance, the inventory (through the sources' `facility`)
// and the allocation describe the same unit. The rules that use these fields: market/allocation.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "carbonmrv/units/units.hpp"

namespace cmrv {

/// The fuel class a plan's rules distinguish (China power: coal and gas units; the gas-unit exemption).
enum class UnitFuel : int32_t { kCoal = 0, kGas, kOther };
std::string_view UnitFuelName(UnitFuel f);  ///< "coal", "gas", "other"
absl::StatusOr<UnitFuel> ParseUnitFuel(std::string_view name);

enum class Cooling : int32_t { kWater = 0, kAir };
std::string_view CoolingName(Cooling c);  ///< "water", "air"
absl::StatusOr<Cooling> ParseCooling(std::string_view name);

/// A number as the document states it, with unit and source ("unit 1 DCS annual report 2022").
struct StatedAmount {
  double value = 0;
  std::string unit_text;
  Unit unit;
  std::string source;
};

/// One year of a facility's allocation data. Every field is optional here; the plan's rule set says
/// which it needs and a missing one is an error naming it.
struct AllocationYear {
  int year = 0;
  std::optional<StatedAmount> electricity_generated;  ///< 发电量 (energy)
  std::optional<StatedAmount> electricity_supplied;   ///< 供电量, net of auxiliary use (energy)
  std::optional<StatedAmount> heat_supplied;          ///< 供热量 (energy)
  std::optional<StatedAmount> activity;               ///< product output (intensity and EU product benchmarks)
  std::optional<double> heat_ratio;                   ///< 供热比, 0–1
  std::optional<double> load_factor;                  ///< 负荷（出力）系数, 0–1
  /// Verified emissions of the facility for a year other than the document's reporting year (the
  /// reporting year's come from the inventory), in tCO2 or tCO2e, with the verification report.
  std::optional<StatedAmount> verified_emissions;
};

struct AllocationData {
  std::string category;  ///< a category of the plan (power: "I".."IV"; a product benchmark id)
  UnitFuel fuel = UnitFuel::kCoal;
  std::optional<Cooling> cooling;
  bool chp = false;                            ///< combined heat and power (供热机组)
  std::optional<bool> carbon_leakage_exposed;  ///< EU: the sector is on the carbon-leakage list
  std::vector<AllocationYear> years;           ///< ascending, one per year

  const AllocationYear* Year(int year) const;  ///< nullptr when the year is not given
};

}  // namespace cmrv
