// Names of the typed vocabularies (vocabulary.hpp): one table per enum, read both ways.
#include "carbonmrv/vocabulary.hpp"

#include <string>
#include <utility>

#include "carbonmrv/status.hpp"
#include "internal/name_table.hpp"
#include "internal/strings.hpp"

namespace cmrv {
namespace {

using internal::StrCat;

using internal::NameIn;
using internal::ParseIn;

constexpr std::pair<Gas, std::string_view> kGasNames[] = {{Gas::kCo2, "co2"},
                                                          {Gas::kCh4, "ch4"},
                                                          {Gas::kN2o, "n2o"},
                                                          {Gas::kCo2e, "co2e"},
                                                          {Gas::kCo2Biogenic, "co2_biogenic"},
                                                          {Gas::kHfc, "hfc"},
                                                          {Gas::kPfc, "pfc"},
                                                          {Gas::kSf6, "sf6"},
                                                          {Gas::kNf3, "nf3"}};

constexpr std::pair<CombustionSector, std::string_view> kSectorNames[] = {
    {CombustionSector::kEnergyIndustries, "energy_industries"},
    {CombustionSector::kManufacturingConstruction, "manufacturing_construction"},
    {CombustionSector::kCommercialInstitutional, "commercial_institutional"},
    {CombustionSector::kResidentialAgriculture, "residential_agriculture"}};

constexpr std::pair<Category, std::string_view> kCategoryNames[] = {
    {Category::kFuelCombustion, "fuel_combustion"},
    {Category::kIndustrialProcess, "industrial_process"},
    {Category::kCo2Recovery, "co2_recovery"},
    {Category::kNetPurchasedElectricity, "net_purchased_electricity"},
    {Category::kNetPurchasedHeat, "net_purchased_heat"},
    {Category::kUpstreamEnergy, "upstream_energy"},
    {Category::kOtherIndirect, "other_indirect"}};

// The headings of the reporting tables of the Chinese accounting guidelines (e.g. 《中国水泥生产企业温室
// 气体排放核算方法与报告指南（试行）》 report format). Upstream energy is not in them: no heading.
constexpr std::pair<Category, std::string_view> kCategoryNamesZh[] = {
    {Category::kFuelCombustion, "燃料燃烧"},
    {Category::kIndustrialProcess, "工业过程"},
    {Category::kCo2Recovery, "CO2回收利用"},
    {Category::kNetPurchasedElectricity, "净购入电力"},
    {Category::kNetPurchasedHeat, "净购入热力"},
    {Category::kUpstreamEnergy, ""},
    {Category::kOtherIndirect, ""}};

constexpr std::pair<Scope2Method, std::string_view> kScope2Names[] = {{Scope2Method::kLocation, "location"},
                                                                      {Scope2Method::kMarket, "market"}};

constexpr std::pair<Co2PerCarbon, std::string_view> kCo2PerCarbonNames[] = {{Co2PerCarbon::k44Over12, "44/12"},
                                                                            {Co2PerCarbon::k3664, "3.664"}};

constexpr std::pair<ElectricityConvention, std::string_view> kConventionNames[] = {
    {ElectricityConvention::kCalorific, "calorific"}, {ElectricityConvention::kEquivalent, "equivalent"}};

constexpr std::pair<FeedstockRule, std::string_view> kFeedstockNames[] = {{FeedstockRule::kInclude, "include"},
                                                                          {FeedstockRule::kExclude, "exclude"}};

}  // namespace

std::string_view GasName(Gas gas) { return NameIn(kGasNames, gas); }
absl::StatusOr<Gas> ParseGas(std::string_view name) { return ParseIn(kGasNames, name, "gas"); }

std::string_view CombustionSectorName(CombustionSector s) { return NameIn(kSectorNames, s); }
absl::StatusOr<CombustionSector> ParseCombustionSector(std::string_view name) {
  return ParseIn(kSectorNames, name, "sector");
}

// The HFCs and PFCs of Kyoto Protocol Annex A (Doha Amendment, 2012) that the built-in GWP sets give, with
// SF6 and NF3. Names as IPCC AR5 Table 8.A.1 prints them.
const std::vector<FluorinatedGas>& FluorinatedGases() {
  static const std::vector<FluorinatedGas> gases = {{"hfc_23", "HFC-23", Gas::kHfc},
                                                    {"hfc_32", "HFC-32", Gas::kHfc},
                                                    {"hfc_41", "HFC-41", Gas::kHfc},
                                                    {"hfc_125", "HFC-125", Gas::kHfc},
                                                    {"hfc_134", "HFC-134", Gas::kHfc},
                                                    {"hfc_134a", "HFC-134a", Gas::kHfc},
                                                    {"hfc_143", "HFC-143", Gas::kHfc},
                                                    {"hfc_143a", "HFC-143a", Gas::kHfc},
                                                    {"hfc_152", "HFC-152", Gas::kHfc},
                                                    {"hfc_152a", "HFC-152a", Gas::kHfc},
                                                    {"hfc_161", "HFC-161", Gas::kHfc},
                                                    {"hfc_227ea", "HFC-227ea", Gas::kHfc},
                                                    {"hfc_236cb", "HFC-236cb", Gas::kHfc},
                                                    {"hfc_236ea", "HFC-236ea", Gas::kHfc},
                                                    {"hfc_236fa", "HFC-236fa", Gas::kHfc},
                                                    {"hfc_245ca", "HFC-245ca", Gas::kHfc},
                                                    {"hfc_245fa", "HFC-245fa", Gas::kHfc},
                                                    {"hfc_365mfc", "HFC-365mfc", Gas::kHfc},
                                                    {"hfc_43_10mee", "HFC-43-10mee", Gas::kHfc},
                                                    {"cf4", "CF4", Gas::kPfc},
                                                    {"c2f6", "C2F6", Gas::kPfc},
                                                    {"c3f8", "C3F8", Gas::kPfc},
                                                    {"c_c4f8", "c-C4F8", Gas::kPfc},
                                                    {"c4f10", "C4F10", Gas::kPfc},
                                                    {"c5f12", "C5F12", Gas::kPfc},
                                                    {"c6f14", "C6F14", Gas::kPfc},
                                                    {"c10f18", "C10F18", Gas::kPfc},
                                                    {"c_c3f6", "c-C3F6", Gas::kPfc},
                                                    {"sf6", "SF6", Gas::kSf6},
                                                    {"nf3", "NF3", Gas::kNf3}};
  return gases;
}

absl::StatusOr<const FluorinatedGas*> ParseFluorinatedGas(std::string_view name) {
  for (const auto& g : FluorinatedGases()) {
    if (g.id == name || internal::AsciiUpper(g.name) == internal::AsciiUpper(name)) return &g;
  }
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                   StrCat("fluorinated gas \"", name, "\" is not one of ",
                          internal::NameList(FluorinatedGases(), [](const FluorinatedGas& g) { return g.id; })));
}

std::string_view CategoryName(Category c) { return NameIn(kCategoryNames, c); }
std::string_view CategoryNameZh(Category c) { return NameIn(kCategoryNamesZh, c); }
absl::StatusOr<Category> ParseCategory(std::string_view name) { return ParseIn(kCategoryNames, name, "category"); }

std::string_view ScopeName(Scope s) {
  switch (s) {
    case Scope::k1: return "1";
    case Scope::k2: return "2";
    case Scope::k3: return "3";
  }
  return "unknown";
}
absl::StatusOr<Scope> ScopeFromNumber(long long n) {
  if (n < 1 || n > 3) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                     StrCat("scope ", n, " is not 1, 2 or 3"));
  }
  return static_cast<Scope>(n);
}

std::string_view Scope2MethodName(Scope2Method m) { return NameIn(kScope2Names, m); }
absl::StatusOr<Scope2Method> ParseScope2Method(std::string_view name) {
  return ParseIn(kScope2Names, name, "scope2_method");
}

std::string_view Co2PerCarbonName(Co2PerCarbon c) { return NameIn(kCo2PerCarbonNames, c); }
absl::StatusOr<Co2PerCarbon> ParseCo2PerCarbon(std::string_view name) {
  return ParseIn(kCo2PerCarbonNames, name, "co2_per_carbon");
}
double Co2PerCarbonValue(Co2PerCarbon c) { return c == Co2PerCarbon::k3664 ? 3.664 : 44.0 / 12.0; }

std::string_view ElectricityConventionName(ElectricityConvention c) { return NameIn(kConventionNames, c); }
absl::StatusOr<ElectricityConvention> ParseElectricityConvention(std::string_view name) {
  return ParseIn(kConventionNames, name, "convention");
}

std::string_view FeedstockRuleName(FeedstockRule r) { return NameIn(kFeedstockNames, r); }
absl::StatusOr<FeedstockRule> ParseFeedstockRule(std::string_view name) {
  return ParseIn(kFeedstockNames, name, "feedstock");
}

}  // namespace cmrv
