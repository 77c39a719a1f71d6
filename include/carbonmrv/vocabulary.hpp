// carbonmrv — the domain's closed vocabularies, typed. Each has one Name/Parse pair: strings exist only
// at the edges (JSON, C API, Python, CLI), where they are parsed once; an unknown name is an error that
// lists the valid ones. Open vocabularies (carrier ids, dataset ids, a factor row's gas) stay strings
// checked against their catalogue.
//
// Source-level API only: it may change in minor releases. Link the C API (carbonmrv.h) for
// binary stability.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "carbonmrv/units/units.hpp"

namespace cmrv {

/// The gas of an inventory line. kCo2e: a factor already in CO2e (process factors); kCo2Biogenic:
/// CO2 of biomass, a memo item outside the totals (IPCC 2006 Vol. 2 §1.2). The fluorinated gases of the
/// Kyoto basket are reported by family (HFCs, PFCs, SF6, NF3); the line names its species.
enum class Gas : int32_t {
  kCo2 = 0,
  kCh4 = 1,
  kN2o = 2,
  kCo2e = 3,
  kCo2Biogenic = 4,
  kHfc = 5,
  kPfc = 6,
  kSf6 = 7,
  kNf3 = 8
};
inline constexpr Gas kGases[] = {Gas::kCo2, Gas::kCh4, Gas::kN2o, Gas::kCo2e, Gas::kCo2Biogenic,
                                 Gas::kHfc, Gas::kPfc, Gas::kSf6, Gas::kNf3};
/// "co2", "ch4", "n2o", "co2e", "co2_biogenic", "hfc", "pfc", "sf6", "nf3".
std::string_view GasName(Gas gas);
absl::StatusOr<Gas> ParseGas(std::string_view name);
/// True for the CO2 gases (fossil or biogenic), whose GWP is 1 by definition.
constexpr bool IsCo2(Gas g) { return g == Gas::kCo2 || g == Gas::kCo2Biogenic; }

/// A fluorinated greenhouse gas of the Kyoto basket (Kyoto Protocol Annex A as amended at Doha, 2012):
/// its id (the gas column of the GWP datasets), its printed name and its family.
struct FluorinatedGas {
  std::string_view id;    ///< "hfc_134a", "sf6", "c_c4f8"
  std::string_view name;  ///< "HFC-134a", "SF6", "c-C4F8"
  Gas family;             ///< kHfc, kPfc, kSf6 or kNf3
};
/// Every species carbonmrv knows, HFCs then PFCs, SF6, NF3.
const std::vector<FluorinatedGas>& FluorinatedGases();
/// The species with this id ("hfc_134a") or printed name in any case ("HFC-134a"); INVALID_ARGUMENT
/// listing the ids otherwise.
absl::StatusOr<const FluorinatedGas*> ParseFluorinatedGas(std::string_view name);
/// True for kHfc, kPfc, kSf6 and kNf3.
constexpr bool IsFluorinated(Gas g) { return g == Gas::kHfc || g == Gas::kPfc || g == Gas::kSf6 || g == Gas::kNf3; }

/// The stationary-combustion sector whose table of IPCC 2006 Vol. 2 Ch. 2 gives a source's CH4 and N2O
/// factors: Table 2.2 energy industries (1.A.1), 2.3 manufacturing industries and construction (1.A.2),
/// 2.4 commercial/institutional (1.A.4.a), 2.5 residential and agriculture/forestry/fishing (1.A.4.b, c).
enum class CombustionSector : int32_t {
  kEnergyIndustries = 0,
  kManufacturingConstruction = 1,
  kCommercialInstitutional = 2,
  kResidentialAgriculture = 3
};
/// "energy_industries", "manufacturing_construction", "commercial_institutional",
/// "residential_agriculture".
std::string_view CombustionSectorName(CombustionSector s);
absl::StatusOr<CombustionSector> ParseCombustionSector(std::string_view name);

/// The emission category of a line (GB/T 32150-2015 §6 and the sector guidelines' reporting tables;
/// upstream energy is GHG Protocol scope 3 category 3).
enum class Category : int32_t {
  kFuelCombustion = 0,
  kIndustrialProcess = 1,
  kCo2Recovery = 2,
  kNetPurchasedElectricity = 3,
  kNetPurchasedHeat = 4,
  kUpstreamEnergy = 5,
  kOtherIndirect = 6,  ///< a scope 3 source of the value chain (transport, travel, ...), by its own category
};
inline constexpr Category kCategories[] = {Category::kFuelCombustion,   Category::kIndustrialProcess,
                                           Category::kCo2Recovery,      Category::kNetPurchasedElectricity,
                                           Category::kNetPurchasedHeat, Category::kUpstreamEnergy,
                                           Category::kOtherIndirect};
/// "fuel_combustion", "industrial_process", "co2_recovery", "net_purchased_electricity",
/// "net_purchased_heat", "upstream_energy", "other_indirect".
std::string_view CategoryName(Category c);
/// 燃料燃烧, 工业过程, … (the Chinese guidelines' table headings); "" for upstream energy and other
/// indirect emissions, which have none.
std::string_view CategoryNameZh(Category c);
absl::StatusOr<Category> ParseCategory(std::string_view name);

/// GHG Protocol scope: 1 direct, 2 energy indirect, 3 other indirect (upstream energy, scope 3 sources).
enum class Scope : int32_t { k1 = 1, k2 = 2, k3 = 3 };
/// "1", "2", "3" (the totals key); the JSON document writes the number.
std::string_view ScopeName(Scope s);
/// 1–3; anything else is an error naming the value.
absl::StatusOr<Scope> ScopeFromNumber(long long n);

/// Scope 2 method (GHG Protocol Scope 2 Guidance 2015): location-based (grid average) or market-based
/// (contractual instruments, else the residual mix).
enum class Scope2Method : int32_t { kLocation = 0, kMarket = 1 };
/// "location", "market".
std::string_view Scope2MethodName(Scope2Method m);
absl::StatusOr<Scope2Method> ParseScope2Method(std::string_view name);

/// The CO2/C mass ratio convention: 44/12 (the Chinese guidelines, IPCC 2006) or 3.664 (EU MRR
/// 2018/2066 Art. 25, mass balance).
enum class Co2PerCarbon : int32_t { k44Over12 = 0, k3664 = 1 };
/// "44/12", "3.664".
std::string_view Co2PerCarbonName(Co2PerCarbon c);
absl::StatusOr<Co2PerCarbon> ParseCo2PerCarbon(std::string_view name);
/// 44/12 (3.6666…) or 3.664, tCO2 per tC.
double Co2PerCarbonValue(Co2PerCarbon c);

/// "calorific" (当量值), "equivalent" (等价值): GB/T 2589-2020 conventions (units.hpp).
std::string_view ElectricityConventionName(ElectricityConvention c);
absl::StatusOr<ElectricityConvention> ParseElectricityConvention(std::string_view name);

/// Whether energy used as raw material (feedstock) counts in the comprehensive energy consumption
/// (GB/T 2589-2020: included or excluded by the boundary rules, so the balance declares which).
enum class FeedstockRule : int32_t { kInclude = 0, kExclude = 1 };
/// "include", "exclude".
std::string_view FeedstockRuleName(FeedstockRule r);
absl::StatusOr<FeedstockRule> ParseFeedstockRule(std::string_view name);

}  // namespace cmrv
