// Stoichiometric CO2 factors of carbonates (factors/carbonates.hpp).
#include "carbonmrv/factors/carbonates.hpp"

#include <vector>

#include "carbonmrv/status.hpp"
#include "internal/strings.hpp"

namespace cmrv {

using internal::StrCat;

namespace {

using namespace atomic_weight;

struct Carbonate {
  std::string_view formula;
  double molar_mass;  // g/mol
  int co2_per_formula;
};

const std::vector<Carbonate>& Carbonates() {
  const double co3 = kC + 3 * kO;
  static const std::vector<Carbonate> list = {
      {"CaCO3", kCa + co3, 1},       {"MgCO3", kMg + co3, 1},    {"CaMg(CO3)2", kCa + kMg + 2 * co3, 2},
      {"Na2CO3", 2 * kNa + co3, 1},  {"FeCO3", kFe + co3, 1},    {"BaCO3", kBa + co3, 1},
      {"Li2CO3", 2 * kLi + co3, 1},  {"K2CO3", 2 * kK + co3, 1}, {"SrCO3", kSr + co3, 1},
      {"NaHCO3", kNa + kH + co3, 1},
  };
  return list;
}

}  // namespace

const std::vector<std::string>& KnownCarbonates() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& c : Carbonates()) out.emplace_back(c.formula);
    return out;
  }();
  return names;
}

absl::StatusOr<double> CarbonateFactor(std::string_view formula) {
  for (const auto& c : Carbonates()) {
    if (c.formula == formula) return c.co2_per_formula * (kC + 2 * kO) / c.molar_mass;
  }
  return MakeError(absl::StatusCode::kNotFound, ErrorDetail::kFactorNotFound,
                   StrCat("no stoichiometric factor for \"", formula, "\""));
}

}  // namespace cmrv
