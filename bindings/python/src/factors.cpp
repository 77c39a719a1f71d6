// carbonmrv._core: carrier catalogue and factor datasets (core: include/carbonmrv/factors.hpp).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "carbonmrv/factors.hpp"
#include "carbonmrv/status.hpp"
#include "status.hpp"

namespace cmrv::py {
namespace {

pybind11::object OptionalToPy(const std::optional<double>& v) {
  return v ? pybind11::object(pybind11::float_(*v)) : pybind11::object(pybind11::none());
}
pybind11::object OptionalToPy(const std::optional<int>& v) {
  return v ? pybind11::object(pybind11::int_(*v)) : pybind11::object(pybind11::none());
}

pybind11::dict RecordDict(const FactorRecord& r) {
  pybind11::dict d;
  d["dataset"] = r.dataset;
  d["carrier"] = r.carrier;
  d["parameter"] = r.parameter;
  d["gas"] = r.gas;
  d["value"] = r.value;
  d["unit"] = r.unit;
  d["basis"] = r.basis;
  d["region"] = r.region;
  d["year_from"] = OptionalToPy(r.year_from);
  d["year_to"] = OptionalToPy(r.year_to);
  d["source_table"] = r.source_table;
  d["source_row"] = r.source_row;
  d["lower"] = OptionalToPy(r.lower);
  d["upper"] = OptionalToPy(r.upper);
  d["confidence"] = r.confidence;
  d["note"] = r.note;
  d["line"] = r.line;
  return d;
}

pybind11::dict DatasetDict(const DatasetInfo& i) {
  pybind11::dict d;
  d["id"] = i.id;
  d["title"] = i.title;
  d["document"] = i.document;
  d["publisher"] = i.publisher;
  d["published"] = i.published;
  d["region"] = i.region;
  d["basis"] = i.basis;
  d["class"] = std::string(DatasetClassName(i.dataset_class));
  d["sha256"] = i.sha256;
  d["source"] = i.source;
  d["builtin"] = i.builtin;
  d["record_count"] = i.record_count;
  return d;
}

std::vector<std::string> Preference(const std::optional<std::variant<std::string, std::vector<std::string>>>& p) {
  if (!p) return {};
  if (const auto* list = std::get_if<std::vector<std::string>>(&*p)) return *list;
  return Unwrap(ParsePreference(std::get<std::string>(*p)));
}

}  // namespace

void BindFactors(pybind11::module_& m) {
  m.def(
      "carriers",
      [] {
        pybind11::list rows;
        for (const auto& c : CarrierCatalogue::Builtin().carriers()) {
          pybind11::dict d;
          d["id"] = c.id;
          d["name_en"] = c.name_en;
          d["name_zh"] = c.name_zh;
          d["aliases"] = c.aliases;
          d["class"] = c.carrier_class;
          d["state"] = c.state;
          d["default_unit"] = c.default_unit;
          rows.append(d);
        }
        return rows;
      },
      "The built-in carrier catalogue as a list of dicts (see carbonmrv.factors.carriers()).");
  m.def(
      "parse_preference", [](const std::string& text) { return Unwrap(ParsePreference(text)); },
      pybind11::arg("text"), "Preference list from \"policy:NAME\" or comma-separated dataset ids / @class tokens.");
  m.def(
      "resolve_carrier", [](const std::string& name) { return Unwrap(CarrierCatalogue::Builtin().Resolve(name))->id; },
      pybind11::arg("name"), "Carrier id for an id, English/Chinese name or alias; FactorNotFoundError names the nearest id.");

  pybind11::class_<FactorSelection>(m, "FactorSelection", "A chosen factor value with its provenance and the reason.")
      .def_property_readonly("value", [](const FactorSelection& s) { return s.record.value; })
      .def_property_readonly("unit", [](const FactorSelection& s) { return s.record.unit; })
      .def_property_readonly("record", [](const FactorSelection& s) { return RecordDict(s.record); })
      .def_property_readonly("dataset", [](const FactorSelection& s) { return DatasetDict(s.dataset); })
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
      .def("datasets",
           [](const FactorCatalogue& c) {
             pybind11::list out;
             for (const auto& d : c.datasets()) out.append(DatasetDict(d));
             return out;
           })
      .def(
          "records",
          [](const FactorCatalogue& c, const std::string& dataset) {
            if (c.FindDataset(dataset) == nullptr) {
              Raise(MakeError(absl::StatusCode::kNotFound, ErrorDetail::kFactorNotFound,
                              "no dataset \"" + dataset + "\" in the catalogue"));
            }
            pybind11::list out;
            for (const auto& r : c.Records(dataset)) out.append(RecordDict(r));
            return out;
          },
          pybind11::arg("dataset"))
      .def(
          "lookup",
          [](const FactorCatalogue& c, const std::string& carrier, const std::string& parameter, const std::string& gas,
             const std::string& region, std::optional<int> year,
             const std::optional<std::variant<std::string, std::vector<std::string>>>& preference) {
            FactorQuery q{carrier, parameter, gas, region, year, Preference(preference)};
            absl::StatusOr<FactorSelection> s;
            {
              pybind11::gil_scoped_release release;
              s = c.Lookup(q);
            }
            return Unwrap(std::move(s));
          },
          pybind11::arg("carrier"), pybind11::arg("parameter"), pybind11::arg("gas") = "",
          pybind11::arg("region") = "", pybind11::arg("year") = pybind11::none(),
          pybind11::arg("preference") = pybind11::none(),
          R"pbdoc(Select one value with an explanation.

preference: None (measured > user > national > regulatory > ipcc), a list of dataset ids and
class tokens ("@measured", "@user", ...), a comma-separated string, or "policy:NAME".)pbdoc");
}

}  // namespace cmrv::py
