// carbonmrv._core: inventories (core: inventory/inventory.hpp).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
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
  d["source"] = l.source_id.view();
  d["period"] = l.period.view();
  d["kind"] = std::string(SourceKindName(l.kind));
  d["gas"] = std::string(GasName(l.gas));
  d["part"] = l.part.view();
  d["category"] = std::string(CategoryName(l.category));
  d["scope"] = static_cast<int>(l.scope);
  d["iso_category"] = l.iso_category;
  d["memo"] = l.memo;
  d["scope2_method"] =
      l.scope2_method ? pybind11::cast(std::string(Scope2MethodName(*l.scope2_method))) : pybind11::none();
  d["scope3_category"] = l.scope3_category != 0 ? pybind11::cast(l.scope3_category) : pybind11::none();
  d["species"] = l.species.view();
  d["mass_t"] = l.mass_t;
  d["gwp"] = l.gwp;
  d["co2e_t"] = l.co2e_t;
  const auto u = LineUncertainty(l);
  d["u_pct"] = u ? pybind11::cast(*u) : pybind11::none();
  d["equation"] = l.equation.str();
  pybind11::list terms;
  for (const auto& t : l.terms) {
    pybind11::dict td;
    td["name"] = t.name.view();
    td["value"] = t.value;
    td["unit"] = t.unit.view();
    td["provenance"] = t.provenance.view();
    terms.append(td);
  }
  d["terms"] = terms;
  d["notes"] = l.notes;
  d["gwp_provenance"] = l.gwp_provenance.view();
  return d;
}

// A column of texts as a list in which equal texts are one str object: the lines of a source repeat its
// id, period, kind, ... and building a dict per line was most of the cost of a frame
// (docs/performance.md, 2026-12-07 session 13).
class TextColumn {
 public:
  explicit TextColumn(std::size_t n) : list_(n) {}
  void Set(std::size_t i, std::string_view text) {
    auto [it, added] = made_.try_emplace(text);
    if (added) it->second = pybind11::str(text.data(), text.size());
    Put(i, it->second);
  }
  void SetNone(std::size_t i) { Put(i, pybind11::none()); }
  pybind11::list Take() { return std::move(list_); }

 private:
  void Put(std::size_t i, const pybind11::handle& value) {
    // The list's items are set once, in order: a new reference each (PyList_SET_ITEM steals it).
    PyList_SET_ITEM(list_.ptr(), static_cast<Py_ssize_t>(i), value.inc_ref().ptr());
  }
  pybind11::list list_;
  absl::flat_hash_map<std::string_view, pybind11::object> made_;  // views into the inventory's texts
};

// An optional number as a Python float or int, or None: pandas then infers the column's type as it did
// from the line dicts (float64 with NaN, or object when every line has None).
template <typename T>
pybind11::object OrNone(const std::optional<T>& v) {
  return v ? pybind11::cast(*v) : pybind11::none();
}

// The columns of Inventory.to_pandas(): LineDict's fields but the trace, without a dict per line.
pybind11::dict LineColumns(const Inventory& inv) {
  const std::size_t n = inv.lines.size();
  const auto size = static_cast<pybind11::ssize_t>(n);
  TextColumn source(n), period(n), kind(n), gas(n), species(n), part(n), category(n), equation(n), scope2(n);
  pybind11::array_t<std::int64_t> scope(size), iso(size);
  pybind11::array_t<bool> memo(size);
  pybind11::array_t<double> mass(size), gwp(size), co2e(size);
  pybind11::list scope3(n), u_pct(n);
  auto sc = scope.mutable_unchecked<1>(), io = iso.mutable_unchecked<1>();
  auto me = memo.mutable_unchecked<1>();
  auto ma = mass.mutable_unchecked<1>(), gw = gwp.mutable_unchecked<1>(), co = co2e.mutable_unchecked<1>();
  for (std::size_t i = 0; i < n; ++i) {
    const InventoryLine& l = inv.lines[i];
    const auto k = static_cast<pybind11::ssize_t>(i);
    source.Set(i, l.source_id);
    period.Set(i, l.period);
    kind.Set(i, SourceKindName(l.kind));
    gas.Set(i, GasName(l.gas));
    species.Set(i, l.species);
    part.Set(i, l.part);
    category.Set(i, CategoryName(l.category));
    equation.Set(i, l.equation.view());
    l.scope2_method ? scope2.Set(i, Scope2MethodName(*l.scope2_method)) : scope2.SetNone(i);
    sc(k) = static_cast<int>(l.scope);
    io(k) = l.iso_category;
    me(k) = l.memo;
    ma(k) = l.mass_t;
    gw(k) = l.gwp;
    co(k) = l.co2e_t;
    scope3[i] = OrNone(l.scope3_category != 0 ? std::optional<int>(l.scope3_category) : std::nullopt);
    u_pct[i] = OrNone(LineUncertainty(l));
  }
  pybind11::dict out;
  out["source"] = source.Take();
  out["period"] = period.Take();
  out["kind"] = kind.Take();
  out["gas"] = gas.Take();
  out["species"] = species.Take();
  out["part"] = part.Take();
  out["category"] = category.Take();
  out["scope"] = scope;
  out["iso_category"] = iso;
  out["memo"] = memo;
  out["scope2_method"] = scope2.Take();
  out["scope3_category"] = scope3;
  out["mass_t"] = mass;
  out["gwp"] = gwp;
  out["co2e_t"] = co2e;
  out["u_pct"] = u_pct;
  out["equation"] = equation.Take();
  return out;
}

// The columns of Inventory.to_pandas(trace=True): one row per term of each line.
pybind11::dict TermColumns(const Inventory& inv) {
  std::size_t n = 0;
  for (const auto& l : inv.lines) n += l.terms.size();
  TextColumn source(n), period(n), gas(n), part(n), term(n), unit(n), provenance(n);
  pybind11::array_t<double> value(static_cast<pybind11::ssize_t>(n));
  auto va = value.mutable_unchecked<1>();
  std::size_t i = 0;
  for (const auto& l : inv.lines) {
    for (const auto& t : l.terms) {
      source.Set(i, l.source_id);
      period.Set(i, l.period);
      gas.Set(i, GasName(l.gas));
      part.Set(i, l.part);
      term.Set(i, t.name);
      va(static_cast<pybind11::ssize_t>(i)) = t.value;
      unit.Set(i, t.unit);
      provenance.Set(i, t.provenance.view());
      ++i;
    }
  }
  pybind11::dict out;
  out["source"] = source.Take();
  out["period"] = period.Take();
  out["gas"] = gas.Take();
  out["part"] = part.Take();
  out["term"] = term.Take();
  out["value"] = value;
  out["unit"] = unit.Take();
  out["provenance"] = provenance.Take();
  return out;
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
      .def("_line_columns", &LineColumns, "The columns of to_pandas(): arrays and lists, no dict per line.")
      .def("_term_columns", &TermColumns, "The columns of to_pandas(trace=True).")
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
