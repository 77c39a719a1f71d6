// carbonmrv._core: units (core: include/carbonmrv/units/units.hpp).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <optional>
#include <string>

#include "carbonmrv/status.hpp"
#include "carbonmrv/units/units.hpp"
#include "status.hpp"

namespace py = pybind11;

namespace cmrv::py {
namespace {

Unit ParseUnit(const std::string& text, const char* name) {
  auto u = Unit::Parse(text);
  if (!u.ok()) Raise(WithContext(u.status(), name));
  return *std::move(u);
}

// Converts any array-like without copying float64 input (strided access); other dtypes are cast
// once by numpy. The GIL is released while converting.
pybind11::array_t<double> ConvertArray(const pybind11::array_t<double, pybind11::array::forcecast>& in,
                                       const Unit& from, const Unit& to) {
  pybind11::array_t<double> out(std::vector<pybind11::ssize_t>(in.shape(), in.shape() + in.ndim()));
  if (in.ndim() > 1) {
    // Multi-dimensional input: walk it through a C-contiguous view (numpy copies only if needed).
    auto flat = pybind11::array_t<double, pybind11::array::c_style | pybind11::array::forcecast>::ensure(in);
    const double* src = flat.data();
    double* dst = out.mutable_data();
    auto n = static_cast<std::size_t>(flat.size());
    absl::Status st;
    {
      pybind11::gil_scoped_release release;
      st = ConvertStrided(from, to, src, sizeof(double), n, dst, sizeof(double));
    }
    Check(st);
    return out;
  }
  const auto n = static_cast<std::size_t>(in.size());
  const auto stride = in.ndim() == 1 ? static_cast<std::size_t>(in.strides(0)) : sizeof(double);
  if (in.ndim() == 1 && in.strides(0) < 0) {
    auto copy = pybind11::array_t<double, pybind11::array::c_style | pybind11::array::forcecast>::ensure(in);
    return ConvertArray(copy, from, to);
  }
  const double* src = in.data();
  double* dst = out.mutable_data();
  absl::Status st;
  {
    pybind11::gil_scoped_release release;
    st = ConvertStrided(from, to, src, stride, n, dst, sizeof(double));
  }
  Check(st);
  return out;
}

ElectricityConvention ParseConvention(const std::string& s) {
  if (s == "calorific" || s == "当量值") return ElectricityConvention::kCalorific;
  if (s == "equivalent" || s == "等价值") return ElectricityConvention::kEquivalent;
  Raise(absl::InvalidArgumentError("convention \"" + s +
                                   "\" is not one of \"calorific\" (当量值) or \"equivalent\" (等价值)"));
}

}  // namespace

// The units module's definitions, one statement per Python name: long (about 140 lines) as a list is.
void BindUnits(pybind11::module_& m) {
  m.def(
      "convert",
      [](double value, const std::string& from_unit, const std::string& to_unit) {
        auto from = ParseUnit(from_unit, "from_unit");
        auto to = ParseUnit(to_unit, "to_unit");
        return Unwrap(Convert(value, from, to));
      },
      pybind11::arg("value"), pybind11::arg("from_unit"), pybind11::arg("to_unit"),
      R"pbdoc(Convert a float between two units of the same kind.)pbdoc");
  m.def(
      "convert_array",
      [](const pybind11::array_t<double, pybind11::array::forcecast>& values, const std::string& from_unit,
         const std::string& to_unit) {
        auto from = ParseUnit(from_unit, "from_unit");
        auto to = ParseUnit(to_unit, "to_unit");
        return ConvertArray(values, from, to);
      },
      pybind11::arg("values"), pybind11::arg("from_unit"), pybind11::arg("to_unit"),
      R"pbdoc(Convert an array (any shape, any stride) into a new float64 array. Input is validated
completely before output is produced; the error names the flat element index.)pbdoc");
  m.def(
      "convert_gas_state",
      [](double value, const std::string& from_unit, const std::string& to_unit) {
        return Unwrap(
            ConvertGasReferenceState(value, ParseUnit(from_unit, "from_unit"), ParseUnit(to_unit, "to_unit")));
      },
      pybind11::arg("value"), pybind11::arg("from_unit"), pybind11::arg("to_unit"),
      R"pbdoc(Convert between gas reference states (Nm3 at 0 °C/101.325 kPa, scf at 60 °F/14.7 psia),
also inside compound units such as GJ/10^4 Nm3 → MMBtu/Mscf. Ideal gas.)pbdoc");
  m.def(
      "convert_actual_gas",
      [](double value, const std::string& from_unit, double temperature_k, double pressure_pa,
         const std::string& to_unit) {
        return Unwrap(ConvertActualGasVolume(value, ParseUnit(from_unit, "from_unit"), temperature_k, pressure_pa,
                                             ParseUnit(to_unit, "to_unit")));
      },
      pybind11::arg("value"), pybind11::arg("from_unit"), pybind11::arg("temperature_k"), pybind11::arg("pressure_pa"),
      pybind11::arg("to_unit"),
      R"pbdoc(Convert a gas volume measured at actual temperature (K) and pressure (Pa) to a
reference-state volume such as Nm3.)pbdoc");
  m.def(
      "apply_factor",
      [](double value, const std::string& unit, double factor, const std::string& factor_unit,
         const std::string& to_unit) {
        return Unwrap(ApplyFactor(value, ParseUnit(unit, "unit"), factor, ParseUnit(factor_unit, "factor_unit"),
                                  ParseUnit(to_unit, "to_unit")));
      },
      pybind11::arg("value"), pybind11::arg("unit"), pybind11::arg("factor"), pybind11::arg("factor_unit"),
      pybind11::arg("to_unit"),
      R"pbdoc(value × factor in to_unit, with kinds checked: an NCV (GJ/t), an emission factor
(tCO2/TJ), a GWP (tCO2e/tCH4) or a carbon ratio (tCO2/tC).)pbdoc");
  m.def(
      "electricity_to_standard_coal",
      [](double value, const std::string& unit, const std::string& convention,
         std::optional<double> coal_rate_kgce_per_kwh, const std::string& to_unit) {
        return Unwrap(ElectricityToStandardCoal(value, ParseUnit(unit, "unit"), ParseConvention(convention),
                                                coal_rate_kgce_per_kwh, ParseUnit(to_unit, "to_unit")));
      },
      pybind11::arg("value"), pybind11::arg("unit"), pybind11::arg("convention"),
      pybind11::arg("coal_rate_kgce_per_kwh") = pybind11::none(), pybind11::arg("to_unit") = "tce",
      R"pbdoc(Electricity in standard coal per GB/T 2589-2020: convention "calorific" (当量值,
0.1229 kgce/kWh as published) or "equivalent" (等价值, needs coal_rate_kgce_per_kwh).)pbdoc");
  m.def(
      "unit_kind", [](const std::string& unit) { return ParseUnit(unit, "unit").kind().Describe(); },
      pybind11::arg("unit"), "Description of the unit's kind, e.g. 'mass of CO2 per energy'.");
  m.def(
      "normalize_unit", [](const std::string& unit) { return ParseUnit(unit, "unit").symbol(); }, pybind11::arg("unit"),
      "Canonical spelling of a unit, e.g. '万Nm3' → '10^4 Nm3'.");
  m.def(
      "unit_compatible",
      [](const std::string& a, const std::string& b) {
        return ParseUnit(a, "unit_a").kind() == ParseUnit(b, "unit_b").kind();
      },
      pybind11::arg("unit_a"), pybind11::arg("unit_b"), "Whether two units are of one kind.");
  m.def(
      "_unit_rows",
      [] {
        pybind11::list rows;
        for (const auto& u : ListUnits()) {
          pybind11::dict row;
          row["symbol"] = u.symbol;
          row["aliases"] = u.aliases;
          row["kind"] = u.kind;
          row["base_units_per_unit"] = u.scale;
          row["definition"] = u.definition;
          row["source"] = u.source;
          rows.append(row);
        }
        return rows;
      },
      "Rows of the unit registry (use carbonmrv.units_table()).");

  pybind11::class_<Quantity>(m, "Quantity", R"pbdoc(A value with a unit; arithmetic checks kinds.

>>> Quantity(1, "tce").to("GJ")
Quantity(29.3076, 'GJ'))pbdoc")
      .def(pybind11::init([](double value, const std::string& unit) {
             return Unwrap(Quantity::Create(value, ParseUnit(unit, "unit")));
           }),
           pybind11::arg("value"), pybind11::arg("unit"))
      .def_property_readonly("value", &Quantity::value)
      .def_property_readonly("unit", [](const Quantity& q) { return q.unit().symbol(); })
      .def_property_readonly("kind", [](const Quantity& q) { return q.unit().kind().Describe(); })
      .def(
          "to", [](const Quantity& q, const std::string& unit) { return Unwrap(q.To(ParseUnit(unit, "unit"))); },
          pybind11::arg("unit"), "The same quantity in another unit of the same kind.")
      .def("__add__", [](const Quantity& a, const Quantity& b) { return Unwrap(Add(a, b)); })
      .def("__sub__", [](const Quantity& a, const Quantity& b) { return Unwrap(Subtract(a, b)); })
      .def("__mul__", [](const Quantity& a, const Quantity& b) { return Unwrap(Multiply(a, b)); })
      .def("__mul__", [](const Quantity& a, double k) { return Unwrap(Quantity::Create(a.value() * k, a.unit())); })
      .def("__rmul__", [](const Quantity& a, double k) { return Unwrap(Quantity::Create(a.value() * k, a.unit())); })
      .def("__truediv__", [](const Quantity& a, const Quantity& b) { return Unwrap(Divide(a, b)); })
      .def("__truediv__",
           [](const Quantity& a, double k) {
             if (k == 0.0) Raise(absl::InvalidArgumentError("division of a Quantity by zero"));
             return Unwrap(Quantity::Create(a.value() / k, a.unit()));
           })
      .def("__neg__", [](const Quantity& a) { return Unwrap(Quantity::Create(-a.value(), a.unit())); })
      .def("__eq__",
           [](const Quantity& a, const Quantity& b) {
             // Equal when of one kind and equal in the left operand's unit.
             if (a.unit().kind() != b.unit().kind()) return false;
             return Unwrap(Convert(b.value(), b.unit(), a.unit())) == a.value();
           })
      .def("__hash__",
           [](const Quantity& q) {
             return pybind11::hash(pybind11::make_tuple(q.unit().scale() * q.value(), q.unit().kind().Describe()));
           })
      .def("__str__", &Quantity::ToString)
      .def("__repr__",
           [](const Quantity& q) {
             return "Quantity(" + pybind11::repr(pybind11::float_(q.value())).cast<std::string>() + ", " +
                    pybind11::repr(pybind11::str(q.unit().symbol())).cast<std::string>() + ")";
           })
      .def(pybind11::pickle([](const Quantity& q) { return pybind11::make_tuple(q.value(), q.unit().symbol()); },
                            [](const pybind11::tuple& t) {
                              return Unwrap(Quantity::Create(t[0].cast<double>(), t[1].cast<std::string>()));
                            }));
}

}  // namespace cmrv::py
