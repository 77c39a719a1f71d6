// carbonmrv._core: cross-verification (core: verification.hpp).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "carbonmrv/verification/verification.hpp"
#include "carbonmrv/verification/verification_options.hpp"
#include "status.hpp"

namespace cmrv::py {

void BindVerification(pybind11::module_& m) {
  pybind11::class_<VerificationReport>(m, "VerificationReport", "Findings of the cross-checks (and a reconciliation).")
      .def_readonly("enterprise", &VerificationReport::enterprise)
      .def_readonly("year", &VerificationReport::year)
      .def_property_readonly("checks_run",
                             [](const VerificationReport& r) {
                               std::vector<std::string> out;
                               for (CheckId id : r.checks_run) out.emplace_back(CheckIdName(id));
                               return out;
                             })
      .def_readonly("checks_skipped", &VerificationReport::checks_skipped)
      .def_property_readonly("has_errors", &VerificationReport::HasErrors)
      .def_property_readonly("status", [](const VerificationReport& r) { return std::string(r.Status()); })
      .def_property_readonly(
          "findings",
          // Built from the report's own values (no JSON round trip); non-finite numbers stay floats.
          [](const VerificationReport& r) {
            auto opt = [](const std::optional<double>& v) { return v ? pybind11::cast(*v) : pybind11::none(); };
            pybind11::list out;
            for (const auto& f : r.findings) {
              pybind11::dict d;
              d["check"] = std::string(CheckIdName(f.check));
              d["severity"] = std::string(SeverityName(f.severity));
              d["enterprise"] = f.enterprise;
              d["subject"] = f.subject;
              d["period"] = f.period;
              d["observed"] = f.observed;
              d["expected"] = opt(f.expected);
              d["lower"] = opt(f.lower);
              d["upper"] = opt(f.upper);
              d["difference"] = f.difference;
              d["relative"] = opt(f.relative);
              d["unit"] = f.unit;
              d["tolerance"] = f.tolerance;
              d["source"] = f.source;
              d["message"] = f.message;
              d["message_zh"] = f.message_zh;
              out.append(std::move(d));
            }
            return out;
          },
          "One dict per finding (check, severity, subject, period, observed, expected, lower, upper, difference, "
          "relative, unit, tolerance, source, message, message_zh).")
      .def("to_json", &VerificationReport::ToJson)
      .def("to_csv", &VerificationReport::ToCsv);

  m.def(
      "_verify",
      [](const Enterprise& e, const FactorCatalogue* catalogue, const Inventory* reported,
         const std::vector<std::string>& checks, const std::map<std::string, std::pair<double, double>>& tolerances,
         const std::string& gwp, const std::string& co2_per_carbon, const std::string& scope2,
         const std::vector<std::string>& preference, const std::string& period, const Inventory* previous,
         const Enterprise* audit_baseline) {
        VerifyOptions o;
        if (previous != nullptr) o.previous_year = *previous;
        if (audit_baseline != nullptr) o.audit_baseline = *audit_baseline;
        for (const auto& c : checks) o.checks.push_back(Unwrap(ParseCheckId(c)));
        for (const auto& [c, t] : tolerances) {
          if (auto st = SetVerifyTolerance(o, c, t.first, t.second); !st.ok()) Raise(st);
        }
        for (auto [key, value] : {std::pair<const char*, const std::string*>{"gwp_dataset", &gwp},
                                  {"co2_per_carbon", &co2_per_carbon},
                                  {"scope2_method", &scope2}}) {
          if (auto st = SetVerifyOption(o, key, *value); !st.ok()) Raise(st);
        }
        o.inventory.factor_preference = preference;
        o.energy_balance.period = period;
        o.energy_balance.coefficient_preference = preference;
        const FactorCatalogue& cat = CatalogueOr(catalogue);
        absl::StatusOr<VerificationReport> r;
        {
          pybind11::gil_scoped_release release;
          r = Verify(e, cat, reported, o);
        }
        return Unwrap(std::move(r));
      },
      pybind11::arg("enterprise"), pybind11::arg("catalogue"), pybind11::arg("reported"), pybind11::arg("checks"),
      pybind11::arg("tolerances"), pybind11::arg("gwp"), pybind11::arg("co2_per_carbon"), pybind11::arg("scope2"),
      pybind11::arg("preference"), pybind11::arg("period"), pybind11::arg("previous") = nullptr,
      pybind11::arg("audit_baseline") = nullptr);
  m.def(
      "_inventory_from_json", [](const std::string& text) { return Unwrap(Inventory::FromJson(text)); },
      pybind11::arg("text"));
  m.def("_check_catalogue", [] {
    pybind11::list out;
    for (const auto& c : CheckCatalogue()) {
      pybind11::dict d;
      d["id"] = std::string(CheckIdName(c.id));
      d["title"] = c.title;
      d["title_zh"] = c.title_zh;
      d["rule"] = c.rule;
      d["source"] = c.source;
      d["needs"] = c.needs;
      d["warning"] = c.warning;
      d["error"] = c.error;
      d["tolerance_unit"] = c.tolerance_unit;
      out.append(d);
    }
    return out;
  });
}

}  // namespace cmrv::py
