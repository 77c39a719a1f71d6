// carbonmrv._core: carrier catalogue and factor datasets (core: include/carbonmrv/factors/factors.hpp).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "carbonmrv/factors/factors.hpp"
#include "carbonmrv/status.hpp"
#include "status.hpp"

namespace cmrv::py {
namespace {

// Python dicts are the core's JSON forms (factors_json.cpp), so every surface shows the same fields.
pybind11::object FromJson(const std::string& text) {
  // No static py::object: it would be destroyed after the interpreter finalises. json is cached in
  // sys.modules, so the import is a dictionary lookup.
  return pybind11::module_::import("json").attr("loads")(text);
}

std::vector<std::string> Preference(const std::optional<std::variant<std::string, std::vector<std::string>>>& p) {
  if (!p) return {};
  if (const auto* list = std::get_if<std::vector<std::string>>(&*p)) return *list;
  return Unwrap(ParsePreference(std::get<std::string>(*p)));
}

}  // namespace

void BindFactors(pybind11::module_& m) {
  m.def(
      "carriers", [] { return FromJson(ToJson(CarrierCatalogue::Builtin().carriers())); },
      "The built-in carrier catalogue as a list of dicts (see carbonmrv.factors.carriers()).");
  m.def(
      "parse_preference", [](const std::string& text) { return Unwrap(ParsePreference(text)); }, pybind11::arg("text"),
      "Preference list from \"policy:NAME\" or comma-separated dataset ids / @class tokens.");
  m.def(
      "resolve_carrier", [](const std::string& name) { return Unwrap(CarrierCatalogue::Builtin().Resolve(name))->id; },
      pybind11::arg("name"),
      "Carrier id for an id, English/Chinese name or alias; FactorNotFoundError names the nearest id.");

  pybind11::class_<FactorSelection>(m, "FactorSelection", "A chosen factor value with its provenance and the reason.")
      .def_property_readonly("value", [](const FactorSelection& s) { return s.record.value; })
      .def_property_readonly("unit", [](const FactorSelection& s) { return s.record.unit; })
      .def_property_readonly("record", [](const FactorSelection& s) { return FromJson(ToJson(s.record)); })
      .def_property_readonly("dataset", [](const FactorSelection& s) { return FromJson(ToJson(s.dataset)); })
      .def_readonly("rule", &FactorSelection::rule)
      .def_readonly("considered", &FactorSelection::considered)
      .def("explain", &FactorSelection::Explain, "Multi-line explanation: provenance, rule, candidates.")
      .def("to_json", &FactorSelection::ToJson)
      .def("__repr__", [](const FactorSelection& s) {
        std::string value = pybind11::repr(pybind11::float_(s.record.value)).cast<std::string>();
        return "FactorSelection(" + value + " " + s.record.unit + " from " + s.dataset.id + ", " +
               s.record.source_table + " / " + s.record.source_row + ")";
      });

  pybind11::class_<FactorCatalogue>(m, "FactorCatalogue", R"pbdoc(A set of versioned factor datasets.

FactorCatalogue.builtin() holds the datasets compiled into carbonmrv; load_csv() adds your own;
add_override() adds a measured value that outranks every default.)pbdoc")
      .def(pybind11::init<>(), "An empty catalogue.")
      .def_static("builtin", [] { return Unwrap(FactorCatalogue::Builtin()); })
      .def(
          "load_csv",
          [](FactorCatalogue& c, const std::string& text, const std::string& source_name) {
            Check(c.LoadDataset(text, source_name));
          },
          pybind11::arg("text"), pybind11::arg("source_name") = "<memory>",
          "Load a dataset from CSV text (docs/factors.md). All problems are reported at once; on error "
          "nothing is loaded.")
      .def(
          "add_override",
          [](FactorCatalogue& c, const std::string& series, const std::string& carrier, const std::string& parameter,
             double value, const std::string& unit, const std::string& gas, const std::string& region,
             std::optional<int> year_from, const std::string& source_table, const std::string& source_row) {
            FactorRecord r;
            r.dataset = series;
            r.carrier = carrier;
            r.parameter = parameter;
            r.value = value;
            r.unit = unit;
            r.gas = gas;
            r.region = region;
            r.year_from = year_from;
            r.source_table = source_table;
            r.source_row = source_row;
            r.confidence = "measured";
            Check(c.AddOverride(std::move(r)));
          },
          pybind11::arg("series"), pybind11::arg("carrier"), pybind11::arg("parameter"), pybind11::arg("value"),
          pybind11::arg("unit"), pybind11::kw_only(), pybind11::arg("gas") = "", pybind11::arg("region") = "",
          pybind11::arg("year_from") = pybind11::none(), pybind11::arg("source_table"),
          pybind11::arg("source_row") = "", "Add a measured value (class 'measured').")
      .def("datasets", [](const FactorCatalogue& c) { return FromJson(ToJson(c.datasets())); })
      .def(
          "records",
          [](const FactorCatalogue& c, const std::string& dataset) {
            if (c.FindDataset(dataset) == nullptr) {
              Raise(MakeError(absl::StatusCode::kNotFound, ErrorDetail::kFactorNotFound,
                              "no dataset \"" + dataset + "\" in the catalogue"));
            }
            return FromJson(ToJson(c.Records(dataset)));
          },
          pybind11::arg("dataset"))
      .def(
          "lookup",
          [](const FactorCatalogue& c, const std::string& carrier, const std::string& parameter, const std::string& gas,
             const std::string& region, std::optional<int> year,
             const std::optional<std::variant<std::string, std::vector<std::string>>>& preference,
             const std::string& sector) {
            FactorQuery q{carrier, parameter, gas, region, year, Preference(preference), sector};
            absl::StatusOr<FactorSelection> s;
            {
              pybind11::gil_scoped_release release;
              s = c.Lookup(q);
            }
            return Unwrap(std::move(s));
          },
          pybind11::arg("carrier"), pybind11::arg("parameter"), pybind11::arg("gas") = "", pybind11::arg("region") = "",
          pybind11::arg("year") = pybind11::none(), pybind11::arg("preference") = pybind11::none(),
          pybind11::arg("sector") = "",
          R"pbdoc(Select one value with an explanation.

preference: None (measured > user > national > regulatory > ipcc), a list of dataset ids and
class tokens ("@measured", "@user", ...), a comma-separated string, or "policy:NAME".
sector: "" or the stationary-combustion sector (energy_industries, manufacturing_construction,
commercial_institutional, residential_agriculture) whose IPCC Table 2.2-2.5 value applies.
single_source, disputed and unconfirmed values, and explicit-only datasets, are chosen only when
the preference names their dataset.)pbdoc");
}

}  // namespace cmrv::py
