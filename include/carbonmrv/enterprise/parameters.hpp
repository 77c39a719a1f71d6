// carbonmrv — the one parameter table: every measured or stated parameter a source can carry, with
// its document key, the unit kind it must have, the factor-catalogue key it falls back to, the name of
// its trace term, and the source kinds it applies to. The enterprise reader (which names are allowed,
// which units fit), the inventory engine (measured > stated > catalogue) and the batch engine (which
// columns may be measured) all read this table.
//
// Source-level API only: it may change in minor releases. Link the C API (carbonmrv.h) for
// binary stability.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "carbonmrv/units/units.hpp"

namespace cmrv {

enum class SourceKind : int32_t;

/// Parameters in the order of their document keys (so that maps keyed by Parameter iterate, and
/// documents are written, in the same order as before they were typed).
enum class Parameter : int32_t {
  kCalcination = 0,       ///< calcination fraction of a carbonate (F_calc)
  kCao,                   ///< CaO fraction of clinker
  kCaoNc,                 ///< CaO from non-carbonate sources, fraction of clinker
  kCapacityIncrease,      ///< F-gas: net increase of the nameplate capacity of the equipment in service
  kCarbonContent,         ///< carbon per energy or per unit of fuel, as received
  kCarbonContentAd,       ///< carbon content, air-dried (lab data for X09)
  kDisbursed,             ///< F-gas sent off site: returned to suppliers, to recycling or destruction
  kEf,                    ///< process emission factor (any gas per unit of activity)
  kEfCh4,                 ///< CH4 per energy
  kEfCo2,                 ///< CO2 per energy
  kEfN2o,                 ///< N2O per energy
  kEfUpstream,            ///< upstream (scope 3 category 3) CO2e per unit of activity
  kEnthalpy,              ///< specific enthalpy of metered steam or hot water
  kGcv,                   ///< gross calorific value, air-dried (lab data for X08)
  kGridEf,                ///< location-based grid factor
  kHeatCapacity,          ///< specific heat capacity of metered hot water
  kHeatEf,                ///< CO2 per unit of purchased heat
  kHhv,                   ///< higher heating value
  kHydrogen,              ///< hydrogen, air-dried (lab data for X08)
  kMarketEf,              ///< market-based factor (contractual, else residual mix)
  kMgo,                   ///< MgO fraction of clinker
  kMgoNc,                 ///< MgO from non-carbonate sources
  kNcv,                   ///< net calorific value
  kOxidation,             ///< oxidation factor (OF)
  kPurity,                ///< carbonate purity (PUR)
  kReferenceEnthalpy,     ///< enthalpy of the returned condensate or water
  kReferenceTemperature,  ///< temperature of the returned water
  kStockEnd,              ///< F-gas held in containers and equipment at the end of the period
  kStockStart,            ///< F-gas held at the start of the period
  kTemperature,           ///< temperature of the supplied hot water
};

/// The unit kind a parameter must have, given the activity's kind `a`.
enum class ParameterUnit : int32_t {
  kEnergyPerActivity,          ///< GJ/t, GJ/10^4 Nm3 (not for an activity that is already energy)
  kCarbonPerEnergyOrActivity,  ///< tC/TJ, tC/GJ, tC/t
  kFraction,                   ///< 1 or %
  kCo2PerEnergy,               ///< tCO2/TJ (a fuel's factor)
  kCo2PerEnergyDelivered,      ///< tCO2/MWh, tCO2/GJ (electricity or heat delivered)
  kCh4PerEnergy,               ///< kgCH4/TJ
  kN2oPerEnergy,               ///< kgN2O/TJ
  kEmissionPerActivity,        ///< any of CO2, CH4, N2O, CO2e per unit of activity
  kCo2OrCo2ePerActivity,       ///< tCO2e/t, kgCO2e/kWh
  kEnergyPerMass,              ///< kJ/kg (steam or hot water)
  kCelsius,                    ///< °C
  kHeatCapacity,               ///< kJ/(kg*K)
  kMass,                       ///< kg, t (a mass of gas)
};

struct ParameterInfo {
  Parameter id;
  std::string_view name;  ///< document key: "ncv"
  std::string_view term;  ///< default trace-term symbol: "NCV" (a method may name it by its formula)
  ParameterUnit unit;
  /// Factor-catalogue fallback: the parameter and gas columns of the catalogue row ("ef", "co2"), used
  /// when the period has no measurement and the document states no value.
  std::string_view catalogue_parameter, catalogue_gas;
  std::vector<SourceKind> kinds;  ///< the source kinds that accept it
  bool lab_only = false;          ///< used by the cross-checks, not by the calculation
};

/// The table, in Parameter order.
const std::vector<ParameterInfo>& ParameterTable();
const ParameterInfo& Info(Parameter p);
/// "ncv".
std::string_view ParameterName(Parameter p);
/// The parameter named `name`; INVALID_ARGUMENT listing the valid names otherwise.
absl::StatusOr<Parameter> ParseParameter(std::string_view name);
/// Steam or hot water metered as a mass: enthalpy, reference_enthalpy, temperature,
/// reference_temperature, heat_capacity (they apply only to an activity that is a mass).
bool IsHeatMedium(Parameter p);
/// True when a source of `kind` accepts `p`.
bool AppliesTo(Parameter p, SourceKind kind);
/// The names a source of `kind` accepts, in table order.
std::vector<std::string> ParameterNames(SourceKind kind);
/// "" when a value of kind `k` fits `p` for an activity of kind `a`; otherwise what was expected
/// ("energy per unit of the activity (e.g. GJ/t, GJ/10^4 Nm3)").
std::string CheckParameterUnit(Parameter p, const Kind& k, const Kind& a);

}  // namespace cmrv
