// carbonmrv._core: allowance allocation and compliance (core: market/allocation.hpp, compliance.hpp).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "carbonmrv/inventory/inventory_options.hpp"
#include "carbonmrv/market/allocation.hpp"
#include "carbonmrv/market/compliance.hpp"
#include "carbonmrv/status.hpp"
#include "status.hpp"

namespace cmrv::py {

void BindAllocation(pybind11::module_& m) {
  pybind11::class_<AllocationRules>(m, "AllocationRules",
                                    "A plan's allocation and compliance rules (carbonmrv.allocation_rules/1).")
      .def_static(
          "builtin", [](const std::string& id) { return Unwrap(AllocationRules::Builtin(id)); }, pybind11::arg("id"),
          "A built-in rule set: cn_power_2019_2020, cn_power_2021_2022, cn_power_2023_2024, cn_industry_2024, "
          "eu_far_2021_2025.")
      .def_static(
          "from_json", [](const std::string& text) { return Unwrap(AllocationRules::FromJson(text)); },
          pybind11::arg("text"))
      .def_static("builtin_ids", &AllocationRules::BuiltinIds)
      .def_readonly("id", &AllocationRules::id)
      .def_readonly("name", &AllocationRules::name)
      .def_readonly("document", &AllocationRules::document)
      .def_readonly("years", &AllocationRules::years)
      .def_readonly("notes", &AllocationRules::notes)
      .def_readonly("sha256", &AllocationRules::sha256)
      .def_property_readonly("method",
                             [](const AllocationRules& r) { return std::string(AllocationMethodName(r.method)); })
      .def_property_readonly("categories",
                             [](const AllocationRules& r) {
                               std::vector<std::string> ids;
                               for (const auto& c : r.categories) ids.push_back(c.id);
                               return ids;
                             })
      .def("to_json", &AllocationRules::ToJson);

  pybind11::class_<AllocationResult>(m, "AllocationResult", "Free allocation of one enterprise and year.")
      .def_readonly("rules_id", &AllocationResult::rules_id)
      .def_readonly("year", &AllocationResult::year)
      .def_readonly("enterprise", &AllocationResult::enterprise)
      .def_readonly("total_t", &AllocationResult::total_t)
      .def_readonly("pre_allocation_t", &AllocationResult::pre_allocation_t)
      .def_readonly("true_up_t", &AllocationResult::true_up_t)
      .def_readonly("unattributed_emissions_t", &AllocationResult::unattributed_emissions_t)
      .def_readonly("notes", &AllocationResult::notes)
      .def("to_json", &AllocationResult::ToJson)
      .def("to_csv", &AllocationResult::ToCsv);

  pybind11::class_<ComplianceResult>(m, "ComplianceResult", "The compliance position of one enterprise and year.")
      .def_readonly("rules_id", &ComplianceResult::rules_id)
      .def_readonly("year", &ComplianceResult::year)
      .def_readonly("emissions_t", &ComplianceResult::emissions_t)
      .def_readonly("allocation_t", &ComplianceResult::allocation_t)
      .def_readonly("due_t", &ComplianceResult::due_t)
      .def_readonly("cap_relief_t", &ComplianceResult::cap_relief_t)
      .def_readonly("exempt_relief_t", &ComplianceResult::exempt_relief_t)
      .def_readonly("offset_limit_t", &ComplianceResult::offset_limit_t)
      .def_readonly("surrendered_t", &ComplianceResult::surrendered_t)
      .def_readonly("shortfall_t", &ComplianceResult::shortfall_t)
      .def_readonly("surplus_t", &ComplianceResult::surplus_t)
      .def_readonly("borrowing_available_t", &ComplianceResult::borrowing_available_t)
      .def_readonly("carry_over_cap_t", &ComplianceResult::carry_over_cap_t)
      .def_readonly("notes", &ComplianceResult::notes)
      .def("to_json", &ComplianceResult::ToJson)
      .def("to_csv", &ComplianceResult::ToCsv);

  m.def(
      "_allocate",
      [](const Enterprise& e, const FactorCatalogue* catalogue, const AllocationRules& rules, int year,
         const std::map<std::string, std::string>& options) {
        AllocateOptions o;
        o.year = year;
        for (const auto& [k, v] : options) {
          if (auto st = SetInventoryOption(o.inventory, k, v); !st.ok()) Raise(st);
        }
        const FactorCatalogue& cat = CatalogueOr(catalogue);
        absl::StatusOr<AllocationResult> r;
        {
          pybind11::gil_scoped_release release;
          r = Allocate(e, cat, rules, o);
        }
        return Unwrap(std::move(r));
      },
      pybind11::arg("enterprise"), pybind11::arg("catalogue"), pybind11::arg("rules"), pybind11::arg("year"),
      pybind11::arg("options"));

  m.def(
      "_assess_compliance",
      [](const AllocationResult& allocation, const AllocationRules& rules, const std::vector<std::string>& kinds,
         const std::vector<int>& vintages, const std::vector<double>& quantities, std::optional<double> net_sold) {
        if (vintages.size() != kinds.size() || quantities.size() != kinds.size()) {
          Raise(MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                          "holdings: kind, vintage and quantity columns differ in length"));
        }
        std::vector<Holding> holdings(kinds.size());
        for (std::size_t i = 0; i < kinds.size(); ++i) {
          auto k = ParseHoldingKind(kinds[i]);
          if (!k.ok()) Raise(WithContext(k.status(), "holdings[" + std::to_string(i) + "].kind"));
          holdings[i] = {*k, vintages[i], quantities[i]};
        }
        ComplianceOptions o;
        o.net_sold_t = net_sold;
        return Unwrap(AssessCompliance(allocation, rules, holdings, o));
      },
      pybind11::arg("allocation"), pybind11::arg("rules"), pybind11::arg("kinds"), pybind11::arg("vintages"),
      pybind11::arg("quantities"), pybind11::arg("net_sold"));
}

}  // namespace cmrv::py
