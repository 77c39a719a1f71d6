// The parameter table (parameters.hpp). Units: the calculation methods' own (docs/inventory.md); the
// catalogue keys are the factor datasets' parameter and gas columns (docs/factors.md).
#include "carbonmrv/enterprise/parameters.hpp"

#include <algorithm>
#include <gsl/assert>

#include "carbonmrv/enterprise/enterprise.hpp"
#include "carbonmrv/status.hpp"
#include "internal/strings.hpp"

namespace cmrv {
namespace {

using internal::StrCat;
using P = Parameter;
using U = ParameterUnit;
using K = SourceKind;

const std::vector<K> kCombustion = {K::kFuelCombustion, K::kBiomassCombustion};
const std::vector<K> kElectricity = {K::kPurchasedElectricity, K::kExportedElectricity};
const std::vector<K> kHeat = {K::kPurchasedHeat, K::kExportedHeat};
const std::vector<K> kPurchasedEnergy = {K::kFuelCombustion,      K::kBiomassCombustion, K::kPurchasedElectricity,
                                         K::kExportedElectricity, K::kPurchasedHeat,     K::kExportedHeat};

}  // namespace

const std::vector<ParameterInfo>& ParameterTable() {
  // id, document key, trace term, unit, catalogue parameter and gas, source kinds, lab data only.
  static const std::vector<ParameterInfo> table = {
      {P::kCalcination, "calcination", "F_calc", U::kFraction, "calcination", "", {K::kCarbonate}},
      {P::kCao, "cao", "CaO", U::kFraction, "cao", "", {K::kClinker}},
      {P::kCaoNc, "cao_nc", "CaO_nc", U::kFraction, "cao_nc", "", {K::kClinker}},
      // F-gas mass balance (ΔC, D, S_end, S_start): IPCC 2006 Vol. 3 Ch. 8 §8.2 (Tier 3 utility-level mass
      // balance for SF6 in electrical equipment) and 40 CFR 98 Subpart DD Eq. DD-1; refrigerants alike.
      {P::kCapacityIncrease, "capacity_increase", "ΔC", U::kMass, "capacity_increase", "", {K::kFgasMassBalance}},
      {P::kCarbonContent,
       "carbon_content",
       "CC",
       U::kCarbonPerEnergyOrActivity,
       "carbon_content",
       "",
       {K::kFuelCombustion, K::kBiomassCombustion, K::kCarbonInput, K::kCarbonOutput}},
      {P::kCarbonContentAd, "carbon_content_ad", "C_ad", U::kCarbonPerEnergyOrActivity, "carbon_content_ad", "",
       kCombustion, true},
      {P::kDisbursed, "disbursed", "D", U::kMass, "disbursed", "", {K::kFgasMassBalance}},
      {P::kEf, "ef", "EF", U::kEmissionPerActivity, "ef", "", {K::kProcessGeneric}},
      {P::kEfCh4, "ef_ch4", "EF_CH4", U::kCh4PerEnergy, "ef", "ch4", kCombustion},
      {P::kEfCo2, "ef_co2", "EF_CO2", U::kCo2PerEnergy, "ef", "co2", kCombustion},
      {P::kEfN2o, "ef_n2o", "EF_N2O", U::kN2oPerEnergy, "ef", "n2o", kCombustion},
      {P::kEfUpstream, "ef_upstream", "EF_upstream", U::kCo2OrCo2ePerActivity, "ef_upstream", "", kPurchasedEnergy},
      {P::kEnthalpy, "enthalpy", "h", U::kEnergyPerMass, "enthalpy", "", kHeat},
      {P::kGcv, "gcv", "GCV", U::kEnergyPerActivity, "gcv", "", kCombustion, true},
      {P::kGridEf, "grid_ef", "EF", U::kCo2PerEnergyDelivered, "grid_ef", "co2", kElectricity},
      {P::kHeatCapacity, "heat_capacity", "c", U::kHeatCapacity, "heat_capacity", "", kHeat},
      {P::kHeatEf, "heat_ef", "EF", U::kCo2PerEnergyDelivered, "ef", "co2", kHeat},
      {P::kHhv, "hhv", "HHV", U::kEnergyPerActivity, "hhv", "", kCombustion},
      {P::kHydrogen, "hydrogen", "H_ad", U::kFraction, "hydrogen", "", kCombustion, true},
      // Market-based: the contractual factor, else the residual mix (GHG Protocol Scope 2 Guidance).
      {P::kMarketEf, "market_ef", "EF", U::kCo2PerEnergyDelivered, "grid_ef_residual", "co2", kElectricity},
      {P::kMgo, "mgo", "MgO", U::kFraction, "mgo", "", {K::kClinker}},
      {P::kMgoNc, "mgo_nc", "MgO_nc", U::kFraction, "mgo_nc", "", {K::kClinker}},
      {P::kNcv, "ncv", "NCV", U::kEnergyPerActivity, "ncv", "", kCombustion},
      {P::kOxidation, "oxidation", "OF", U::kFraction, "oxidation", "", kCombustion},
      {P::kPurity, "purity", "PUR", U::kFraction, "purity", "", {K::kCarbonate}},
      {P::kReferenceEnthalpy, "reference_enthalpy", "h_ref", U::kEnergyPerMass, "reference_enthalpy", "", kHeat},
      {P::kReferenceTemperature, "reference_temperature", "T_ref", U::kCelsius, "reference_temperature", "", kHeat},
      {P::kStockEnd, "stock_end", "S_end", U::kMass, "stock_end", "", {K::kFgasMassBalance}},
      {P::kStockStart, "stock_start", "S_start", U::kMass, "stock_start", "", {K::kFgasMassBalance}},
      {P::kTemperature, "temperature", "T", U::kCelsius, "temperature", "", kHeat},
  };
  return table;
}

const ParameterInfo& Info(Parameter p) {
  const auto& table = ParameterTable();
  const auto i = static_cast<std::size_t>(p);
  Expects(i < table.size() && table[i].id == p);  // the table is in enum order (tested)
  return table[i];
}

std::string_view ParameterName(Parameter p) { return Info(p).name; }

absl::StatusOr<Parameter> ParseParameter(std::string_view name) {
  for (const auto& info : ParameterTable()) {
    if (info.name == name) return info.id;
  }
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                   StrCat("parameter \"", name, "\" is not one of ",
                          internal::NameList(ParameterTable(), [](const ParameterInfo& i) { return i.name; })));
}

bool IsHeatMedium(Parameter p) {
  return p == P::kEnthalpy || p == P::kReferenceEnthalpy || p == P::kTemperature || p == P::kReferenceTemperature ||
         p == P::kHeatCapacity;
}

bool AppliesTo(Parameter p, SourceKind kind) {
  const auto& kinds = Info(p).kinds;
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

std::vector<std::string> ParameterNames(SourceKind kind) {
  std::vector<std::string> out;
  for (const auto& info : ParameterTable()) {
    if (AppliesTo(info.id, kind)) out.emplace_back(info.name);
  }
  return out;
}

std::string CheckParameterUnit(Parameter p, const Kind& k, const Kind& a) {
  const Kind energy = Kind::Of(Axis::kEnergy);
  const Kind co2 = Kind::Of(Axis::kCO2);
  auto expect = [](bool ok, std::string_view what) { return ok ? std::string() : std::string(what); };
  switch (Info(p).unit) {
    case U::kEnergyPerActivity:
      return expect(k == energy / a && !(a == energy), "energy per unit of the activity (e.g. GJ/t, GJ/10^4 Nm3)");
    case U::kCarbonPerEnergyOrActivity:
      return expect(k == Kind::Of(Axis::kCarbon) / energy || k == Kind::Of(Axis::kCarbon) / a,
                    "carbon per energy (tC/TJ, tC/GJ) or per unit of the activity (tC/t)");
    case U::kFraction: return expect(k.IsDimensionless(), "a fraction (1 or %)");
    case U::kCo2PerEnergy: return expect(k == co2 / energy, "CO2 per energy (e.g. tCO2/TJ)");
    case U::kCo2PerEnergyDelivered: return expect(k == co2 / energy, "CO2 per energy (e.g. tCO2/MWh, tCO2/GJ)");
    case U::kCh4PerEnergy: return expect(k == Kind::Of(Axis::kCH4) / energy, "CH4 per energy (e.g. kgCH4/TJ)");
    case U::kN2oPerEnergy: return expect(k == Kind::Of(Axis::kN2O) / energy, "N2O per energy (e.g. kgN2O/TJ)");
    case U::kEmissionPerActivity:
      for (Axis g : {Axis::kCO2, Axis::kCH4, Axis::kN2O, Axis::kCO2e}) {
        if (k == Kind::Of(g) / a) return "";
      }
      return "an emission per unit of the activity (e.g. tCO2/t)";
    case U::kCo2OrCo2ePerActivity:
      for (Axis g : {Axis::kCO2, Axis::kCO2e}) {
        if (k == Kind::Of(g) / a) return "";
      }
      return "CO2e (or CO2) per unit of the activity (e.g. tCO2e/t, kgCO2e/kWh)";
    // Heat metered as a mass of steam or hot water (t): the heat is AD × (h − h_ref) or
    // AD × c × (T − T_ref); the medium's state comes with the activity, not from a default.
    case U::kEnergyPerMass:
      return expect(k == energy / Kind::Of(Axis::kMass), "energy per mass of the medium (e.g. kJ/kg)");
    case U::kCelsius: return expect(k == Kind::Of(Axis::kCelsius), "a temperature in °C (degC)");
    case U::kHeatCapacity:
      return expect(k == energy / Kind::Of(Axis::kMass) / Kind::Of(Axis::kTemperatureDifference),
                    "energy per mass per kelvin (e.g. kJ/(kg*K))");
    case U::kMass: return expect(k == Kind::Of(Axis::kMass), "a mass of the gas (kg, t)");
  }
  return "unknown";
}

}  // namespace cmrv
