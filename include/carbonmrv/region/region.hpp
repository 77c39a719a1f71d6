// carbonmrv — region level: the IPCC reference approach (apparent consumption of each fuel) against the
// sum of the region's enterprise inventories (the sectoral view), with the difference explained by fuel.
//
// Source-level API only: it may change in minor releases. Link the C API (carbonmrv.h) for
// binary stability.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "carbonmrv/enterprise/enterprise.hpp"
#include "carbonmrv/factors/factors.hpp"
#include "carbonmrv/inventory/inventory.hpp"

namespace cmrv {

/// One fuel's apparent consumption in the region: production + imports − exports − stock increase,
/// with the NCV and carbon content to apply (stated with their sources; the reference approach uses
/// national averages).
struct ApparentConsumption {
  std::string carrier;  ///< carrier id (resolved)
  std::string unit_text;
  Unit unit;  ///< the unit of the four amounts
  double production = 0, imports = 0, exports = 0, stock_increase = 0;
  StatedFactor ncv;             ///< energy per `unit`
  StatedFactor carbon_content;  ///< carbon per energy (tC/TJ)
  double stored_fraction = 0;   ///< carbon stored in products (non-energy use), 0–1
};

struct RegionFuel {
  std::string carrier;
  std::string unit;
  double apparent = 0;                   ///< in `unit`; NaN-free: 0 when the fuel has no apparent-consumption row
  double reference_t = 0;                ///< tCO2 by the reference approach
  double sectoral_t = 0;                 ///< tCO2 summed over the enterprises' combustion lines of this fuel
  double difference_t = 0;               ///< reference − sectoral
  std::optional<double> relative;        ///< difference / sectoral
  std::vector<std::string> enterprises;  ///< names of the enterprises burning it
  std::string note;                      ///< e.g. "no apparent-consumption row"
};

struct RegionComparison {
  std::string region;
  int year = 0;
  Co2PerCarbon co2_per_carbon = Co2PerCarbon::k44Over12;
  std::vector<RegionFuel> fuels;  ///< apparent-consumption rows first, then fuels only enterprises report
  double reference_t = 0, sectoral_t = 0;
  std::string ToJson() const;  ///< "carbonmrv.region_comparison/1"
};

/// Compares. Every enterprise's inventory is computed with `options`; oxidation is complete in the
/// reference approach (IPCC 2006 Vol. 2 Ch. 6 with the 2006 default oxidation of 1).
absl::StatusOr<RegionComparison> CompareRegion(const std::string& region, int year,
                                               const std::vector<Enterprise>& enterprises,
                                               const std::vector<ApparentConsumption>& apparent,
                                               const FactorCatalogue& catalogue, const InventoryOptions& options);

/// The same from a "carbonmrv.region/1" request: {"region", "year", "conventions": {"gwp_dataset",
/// "co2_per_carbon"}, "enterprises": [enterprise documents], "apparent_consumption": [{"carrier", "unit",
/// "production", "imports", "exports", "stock_increase", "ncv": {value, unit, source}, "carbon_content":
/// {...}, "stored_fraction"}]}. Errors name JSON paths ("enterprises[1].sources[0]...").
absl::StatusOr<RegionComparison> CompareRegionJson(std::string_view request, const FactorCatalogue& catalogue);

}  // namespace cmrv
