// carbonmrv — stoichiometric CO2 factors of carbonates: n·M(CO2)/M(carbonate) from IUPAC standard
// atomic weights, the factors EU MRR Annex VI and IPCC 2006 Vol. 3 Table 2.1 print rounded.
//
// Source-level API only: it may change in minor releases. Link the C API (carbonmrv.h) for
// binary stability.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace cmrv {

/// IUPAC CIAAW standard atomic weights (g/mol), abridged to five significant figures (IUPAC 2021
/// table of abridged values). The carbonate factors and the clinker and carbon-balance methods use them.
namespace atomic_weight {
inline constexpr double kC = 12.011, kO = 15.999, kCa = 40.078, kMg = 24.305, kNa = 22.990, kFe = 55.845, kBa = 137.33,
                        kLi = 6.94, kK = 39.098, kSr = 87.62, kH = 1.008;
}  // namespace atomic_weight

/// The carbonate formulas with a factor ("CaCO3", "MgCO3", ...), in table order.
const std::vector<std::string>& KnownCarbonates();

/// tCO2 per t of the carbonate, n·M(CO2)/M(carbonate) (CaCO3: 44.009/100.086 = 0.43971; EU MRR Annex VI
/// and IPCC 2006 Vol. 3 Table 2.1 print 3-digit roundings of the same ratios); NOT_FOUND/factor_not_found for a formula
/// not in KnownCarbonates().
absl::StatusOr<double> CarbonateFactor(std::string_view formula);

}  // namespace cmrv
