// carbonmrv._core: inventories (core: inventory/inventory.hpp).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "carbonmrv/enterprise/enterprise.hpp"
#include "carbonmrv/factors/factors.hpp"
#include "carbonmrv/inventory/inventory.hpp"
#include "carbonmrv/inventory/inventory_options.hpp"
#include "carbonmrv/status.hpp"
#include "carbonmrv/uncertainty/uncertainty.hpp"
#include "status.hpp"

namespace cmrv::py {
namespace {

pybind11::dict LineDict(const InventoryLine& l) {
  pybind11::dict d;
  d["source"] = l.source_id;
  d["period"] = l.period;
  d["kind"] = std::string(SourceKindName(l.kind));
  d["gas"] = std::string(GasName(l.gas));
  d["part"] = l.part;
  d["category"] = std::string(CategoryName(l.category));
  d["scope"] = static_cast<int>(l.scope);
  d["iso_category"] = l.iso_category;
  d["memo"] = l.memo;
  d["scope2_method"] =
      l.scope2_method ? pybind11::cast(std::string(Scope2MethodName(*l.scope2_method))) : pybind11::none();
  d["scope3_category"] = l.scope3_category != 0 ? pybind11::cast(l.scope3_category) : pybind11::none();
  d["species"] = l.species;
  d["mass_t"] = l.mass_t;
  d["gwp"] = l.gwp;
  d["co2e_t"] = l.co2e_t;
  const auto u = LineUncertainty(l);
  d["u_pct"] = u ? pybind11::cast(*u) : pybind11::none();
  d["equation"] = l.equation.str();
  pybind11::list terms;
  for (const auto& t : l.terms) {
    pybind11::dict td;
    td["name"] = t.name;
    td["value"] = t.value;
    td["unit"] = t.unit;
    td["provenance"] = t.provenance.view();
    terms.append(td);
  }
  d["terms"] = terms;
  d["notes"] = l.notes;
  d["gwp_provenance"] = l.gwp_provenance.view();
  return d;
}

}  // namespace

void BindInventory(pybind11::module_& m) {
  pybind11::class_<Inventory>(m, "Inventory", "A computed inventory; every line has a replayable trace.")
      .def_static(
          "compute",
          [](const Enterprise& e, const FactorCatalogue* catalogue, const std::string& gwp,
             const std::string& co2_per_carbon, const std::string& scope2, const std::vector<std::string>& preference,
             const std::string& co2_per_carbon_source, const std::string& uncertainty_unstated, long long threads) {
            InventoryOptions o;  // through the core's one options layer: aliases and errors as everywhere
            for (auto [key, value] : {std::pair<const char*, const std::string*>{"gwp_dataset", &gwp},
                                      {"co2_per_carbon", &co2_per_carbon},
                                      {"scope2_method", &scope2},
                                      {"uncertainty_unstated", &uncertainty_unstated}}) {
              if (auto st = SetInventoryOption(o, key, *value); !st.ok()) Raise(st);
            }
            if (!co2_per_carbon_source.empty()) {
              if (auto st = SetInventoryOption(o, "co2_per_carbon_source", co2_per_carbon_source); !st.ok()) Raise(st);
            }
            if (auto st = SetInventoryOption(o, "threads", std::to_string(threads)); !st.ok()) Raise(st);
            o.factor_preference = preference;
            absl::StatusOr<Inventory> inv;
            const FactorCatalogue& cat = CatalogueOr(catalogue);
            {
              pybind11::gil_scoped_release release;
              inv = ComputeInventory(e, cat, o);
            }
            return Unwrap(std::move(inv));
          },
          pybind11::arg("enterprise"), pybind11::arg("catalogue") = nullptr, pybind11::arg("gwp") = "ipcc_ar5_gwp100",
          pybind11::arg("co2_per_carbon") = "44/12", pybind11::arg("scope2") = "location",
          pybind11::arg("preference") = std::vector<std::string>{}, pybind11::arg("co2_per_carbon_source") = "",
          pybind11::arg("uncertainty_unstated") = "not_assessed", pybind11::arg("threads") = 0)
      .def_property_readonly(
          "total_co2e", [](const Inventory& i) { return i.TotalCo2e(); },
          "Scope 1 + 2 CO2e, t, with scope 2 by the inventory's method (biomass CO2 and scope 3 excluded).")
      .def(
          "total_co2e_by",
          [](const Inventory& i, const std::string& scope2) { return i.TotalCo2e(Unwrap(ParseScope2Method(scope2))); },
          pybind11::arg("scope2"), "Scope 1 + 2 CO2e, t, with scope 2 location- or market-based (dual reporting).")
      .def(
          "scope2_co2e",
          [](const Inventory& i, const std::string& method) { return i.Scope2Co2e(Unwrap(ParseScope2Method(method))); },
          pybind11::arg("method"), "Scope 2 CO2e, t, location- or market-based.")
      .def_property_readonly("biomass_co2", &Inventory::BiomassCo2, "Biomass CO2 memo item, t.")
      .def(
          "totals", [](const Inventory& i, const std::string& key) { return i.Totals(Unwrap(ParseTotalsKey(key))); },
          pybind11::arg("key") = "category", "CO2e totals by category, scope, iso_category, gas, period or source.")
      .def_property_readonly("lines",
                             [](const Inventory& inv) {
                               pybind11::list out;
                               for (const auto& l : inv.lines) out.append(LineDict(l));
                               return out;
                             })
      .def_readonly("notes", &Inventory::notes)
      .def_readonly("enterprise_name", &Inventory::enterprise_name)
      .def_readonly("year", &Inventory::year)
      .def_property_readonly("gwp_dataset", [](const Inventory& i) { return i.options.gwp_dataset; })
      .def_property_readonly("co2_per_carbon", [](const Inventory& i) { return Co2PerCarbonText(i.options); })
      .def_property_readonly("scope2_method",
                             [](const Inventory& i) { return std::string(Scope2MethodName(i.options.scope2_method)); })
      .def("to_json", &Inventory::ToJson);
}

}  // namespace cmrv::py
