// carbonmrv._core: enterprise energy balance (core: energy_balance.hpp).
#include "carbonmrv/energy_balance/energy_balance.hpp"

#include "carbonmrv/status.hpp"
#include "status.hpp"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

namespace cmrv::py {
namespace {

BalanceRow Row(const std::string& name) {
  auto row = ParseBalanceRow(name);
  if (!row) {
    std::string names;
    for (std::size_t i = 0; i < kBalanceRowCount; ++i) {
      names += (i ? ", " : "") + std::string(BalanceRowName(static_cast<BalanceRow>(i)));
    }
    Raise(MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                    "row \"" + name + "\" is not one of " + names));
  }
  return *row;
}

}  // namespace

void BindEnergyBalance(pybind11::module_& m) {
  pybind11::class_<EnergyBalance>(m, "EnergyBalance",
                                  "One period's enterprise energy balance (GB/T 3484) with GB/T 2589 standard coal.")
      .def_static(
          "compute",
          [](const Enterprise& e, const FactorCatalogue* catalogue, const std::string& period,
             const std::vector<std::string>& preference) {
            EnergyBalanceOptions o{period, preference};
            const FactorCatalogue& cat = CatalogueOr(catalogue);
            absl::StatusOr<EnergyBalance> b;
            {
              pybind11::gil_scoped_release release;
              b = ComputeEnergyBalance(e, cat, o);
            }
            return Unwrap(std::move(b));
          },
          pybind11::arg("enterprise"), pybind11::arg("catalogue") = nullptr, pybind11::arg("period") = "",
          pybind11::arg("preference") = std::vector<std::string>{})
      .def_readonly("period", &EnergyBalance::period)
      .def_property_readonly(
          "convention", [](const EnergyBalance& b) { return std::string(ElectricityConventionName(b.convention)); })
      .def_property_readonly("feedstock",
                             [](const EnergyBalance& b) { return std::string(FeedstockRuleName(b.feedstock)); })
      .def_readonly("enterprise_name", &EnergyBalance::enterprise_name)
      .def_readonly("year", &EnergyBalance::year)
      .def_readonly("notes", &EnergyBalance::notes)
      .def_property_readonly("comprehensive_tce",
                             pybind11::overload_cast<>(&EnergyBalance::ComprehensiveTce, pybind11::const_),
                             "综合能耗, tce, under the declared convention and feedstock rule.")
      .def(
          "comprehensive",
          [](const EnergyBalance& b, const std::string& convention, bool include_feedstock) {
            return Unwrap(b.ComprehensiveTce(Unwrap(ParseElectricityConvention(convention)),
                                             include_feedstock ? FeedstockRule::kInclude : FeedstockRule::kExclude));
          },
          pybind11::arg("convention") = "calorific", pybind11::arg("include_feedstock") = true,
          "综合能耗, tce, under 'calorific' (当量值) or 'equivalent' (等价值), with or without "
          "feedstock.")
      .def(
          "cell",
          [](const EnergyBalance& b, const std::string& row, const std::string& carrier, const std::string& basis) {
            return Unwrap(b.Cell(Row(row), carrier, basis));
          },
          pybind11::arg("row"), pybind11::arg("carrier"), pybind11::arg("basis") = "tce",
          "One table cell; carrier may be 'total'; basis physical, GJ, tce, tce_calorific or "
          "tce_equivalent.")
      .def_property_readonly("status",
                             [](const EnergyBalance& b) { return std::string(ClosureStatusName(b.Status())); })
      .def_property_readonly("carriers",
                             [](const EnergyBalance& b) {
                               std::vector<std::string> ids;
                               for (const auto& c : b.columns) ids.push_back(c.carrier);
                               return ids;
                             })
      .def_property_readonly_static("rows",
                                    [](const pybind11::object&) {
                                      std::vector<std::string> names;
                                      for (std::size_t i = 0; i < kBalanceRowCount; ++i) {
                                        names.emplace_back(BalanceRowName(static_cast<BalanceRow>(i)));
                                      }
                                      return names;
                                    })
      .def("to_json", &EnergyBalance::ToJson)
      .def(
          "to_csv", [](const EnergyBalance& b, const std::string& basis) { return Unwrap(b.ToCsv(basis)); },
          pybind11::arg("basis") = "tce");
}

}  // namespace cmrv::py
