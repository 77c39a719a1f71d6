// The typed vocabularies (vocabulary.hpp) and the parameter table (enterprise/parameters.hpp).
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "carbonmrv/batch/batch_options.hpp"
#include "carbonmrv/enterprise/enterprise.hpp"
#include "carbonmrv/enterprise/parameters.hpp"
#include "carbonmrv/inventory/inventory_options.hpp"
#include "carbonmrv/vocabulary.hpp"

namespace {

template <typename E, std::size_t N, typename NameFn, typename ParseFn>
void RoundTrips(const E (&all)[N], NameFn name, ParseFn parse) {
  for (E v : all) {
    INFO(std::string(name(v)));
    auto back = parse(name(v));
    REQUIRE(back.ok());
    CHECK(*back == v);
  }
}

}  // namespace

TEST_CASE("Vocabulary: every term parses back from its name, unknown names list the valid ones", "[vocabulary]") {
  RoundTrips(cmrv::kGases, cmrv::GasName, cmrv::ParseGas);
  RoundTrips(cmrv::kCategories, cmrv::CategoryName, cmrv::ParseCategory);
  const cmrv::Scope2Method methods[] = {cmrv::Scope2Method::kLocation, cmrv::Scope2Method::kMarket};
  RoundTrips(methods, cmrv::Scope2MethodName, cmrv::ParseScope2Method);
  const cmrv::Co2PerCarbon ratios[] = {cmrv::Co2PerCarbon::k44Over12, cmrv::Co2PerCarbon::k3664};
  RoundTrips(ratios, cmrv::Co2PerCarbonName, cmrv::ParseCo2PerCarbon);
  const cmrv::ElectricityConvention conventions[] = {cmrv::ElectricityConvention::kCalorific,
                                                     cmrv::ElectricityConvention::kEquivalent};
  RoundTrips(conventions, cmrv::ElectricityConventionName, cmrv::ParseElectricityConvention);
  const cmrv::FeedstockRule rules[] = {cmrv::FeedstockRule::kInclude, cmrv::FeedstockRule::kExclude};
  RoundTrips(rules, cmrv::FeedstockRuleName, cmrv::ParseFeedstockRule);

  CHECK(std::string(cmrv::ParseGas("CO2").status().message()) ==
        "gas \"CO2\" is not one of co2, ch4, n2o, co2e, co2_biogenic, hfc, pfc, sf6, nf3");
  CHECK(std::string(cmrv::ParseFeedstockRule("yes").status().message()) ==
        "feedstock \"yes\" is not one of include, exclude");
  // 44/12 = 3.666…, not the rounded 3.667 (GB/T 32150-2015 writes the ratio; EU MRR Art. 25 writes 3.664).
  CHECK(cmrv::Co2PerCarbonValue(cmrv::Co2PerCarbon::k44Over12) == 44.0 / 12.0);
  CHECK(cmrv::Co2PerCarbonValue(cmrv::Co2PerCarbon::k3664) == 3.664);
  CHECK(cmrv::ScopeName(cmrv::Scope::k3) == "3");
  CHECK(cmrv::ScopeFromNumber(4).status().message() == "scope 4 is not 1, 2 or 3");
  CHECK(cmrv::CategoryNameZh(cmrv::Category::kNetPurchasedElectricity) == "净购入电力");
}

TEST_CASE("Parameter table: enum order, names, kinds and unit rules", "[vocabulary]") {
  const auto& table = cmrv::ParameterTable();
  REQUIRE(table.size() == 30);
  for (std::size_t i = 0; i < table.size(); ++i) {
    INFO(std::string(table[i].name));
    CHECK(static_cast<std::size_t>(table[i].id) == i);    // Info(p) indexes the table
    if (i > 0) CHECK(table[i - 1].name < table[i].name);  // maps keyed by Parameter keep name order
    CHECK(*cmrv::ParseParameter(table[i].name) == table[i].id);
    CHECK_FALSE(table[i].kinds.empty());
  }
  // The lists the enterprise reader accepted before the table (0.1 AllowedFactors), in name order.
  using K = cmrv::SourceKind;
  using Names = std::vector<std::string>;
  CHECK(cmrv::ParameterNames(K::kFuelCombustion) == Names{"carbon_content", "carbon_content_ad", "ef_ch4", "ef_co2",
                                                          "ef_n2o", "ef_upstream", "gcv", "hhv", "hydrogen", "ncv",
                                                          "oxidation"});
  CHECK(cmrv::ParameterNames(K::kProcessGeneric) == Names{"ef"});
  CHECK(cmrv::ParameterNames(K::kCarbonate) == Names{"calcination", "purity"});
  CHECK(cmrv::ParameterNames(K::kClinker) == Names{"cao", "cao_nc", "mgo", "mgo_nc"});
  CHECK(cmrv::ParameterNames(K::kCarbonOutput) == Names{"carbon_content"});
  CHECK(cmrv::ParameterNames(K::kPurchasedElectricity) == Names{"ef_upstream", "grid_ef", "market_ef"});
  CHECK(cmrv::ParameterNames(K::kExportedHeat) == Names{"ef_upstream", "enthalpy", "heat_capacity", "heat_ef",
                                                        "reference_enthalpy", "reference_temperature", "temperature"});
  CHECK(cmrv::ParameterNames(K::kCems).empty());
  CHECK(cmrv::ParameterNames(K::kFgasMassBalance) ==
        Names{"capacity_increase", "disbursed", "stock_end", "stock_start"});
  // Catalogue fallbacks: the market method reads the residual mix; heat reads an ef row of CO2.
  CHECK(cmrv::Info(cmrv::Parameter::kMarketEf).catalogue_parameter == "grid_ef_residual");
  CHECK(cmrv::Info(cmrv::Parameter::kHeatEf).catalogue_gas == "co2");
  // Unit rules: NCV per tonne of coal fits; per TJ of an energy activity does not.
  const auto t = cmrv::Unit::Parse("t")->kind();
  const auto tj = cmrv::Unit::Parse("TJ")->kind();
  CHECK(cmrv::CheckParameterUnit(cmrv::Parameter::kNcv, cmrv::Unit::Parse("GJ/t")->kind(), t).empty());
  CHECK(cmrv::CheckParameterUnit(cmrv::Parameter::kNcv, cmrv::Unit::Parse("GJ/TJ")->kind(), tj) ==
        "energy per unit of the activity (e.g. GJ/t, GJ/10^4 Nm3)");
  CHECK(cmrv::CheckParameterUnit(cmrv::Parameter::kEf, cmrv::Unit::Parse("kgCH4/t")->kind(), t).empty());
  CHECK(cmrv::CheckParameterUnit(cmrv::Parameter::kOxidation, cmrv::Unit::Parse("%")->kind(), t).empty());
  CHECK(cmrv::IsHeatMedium(cmrv::Parameter::kEnthalpy));
  CHECK_FALSE(cmrv::IsHeatMedium(cmrv::Parameter::kHeatEf));
}

TEST_CASE("Options are checked when set: batch method, check ids, tolerances", "[vocabulary]") {
  cmrv::batch::Options batch;
  cmrv::batch::Output shape;
  CHECK(std::string(cmrv::SetBatchOption(batch, shape, "method", "energy").message()) ==
        "method \"energy\" is not one of default_factor, energy_ef, measured_carbon");
  CHECK(batch.method == cmrv::batch::Options{}.method);  // unchanged by the refused value
  REQUIRE(cmrv::SetBatchOption(batch, shape, "method", "measured_carbon").ok());
  REQUIRE(cmrv::SetBatchOption(batch, shape, "group_keys", "levels_codes").ok());
  CHECK(shape.group_keys == cmrv::batch::GroupKeys::kLevelsCodes);
  CHECK(std::string(cmrv::SetBatchOption(batch, shape, "group_keys", "codes").message()) ==
        "group_keys \"codes\" is not \"values\" or \"levels_codes\"");
  CHECK(shape.group_keys == cmrv::batch::GroupKeys::kLevelsCodes);
  CHECK(batch.method == "measured_carbon");
  cmrv::InventoryOptions inventory;
  REQUIRE(cmrv::SetInventoryOption(inventory, "co2_per_carbon", "3.664").ok());
  CHECK(inventory.co2_per_carbon == cmrv::Co2PerCarbon::k3664);
  REQUIRE(cmrv::SetInventoryOption(inventory, "scope2", "market").ok());
  CHECK(inventory.scope2_method == cmrv::Scope2Method::kMarket);
}
