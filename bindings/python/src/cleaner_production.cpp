// carbonmrv._core: cleaner production (core: cleaner_production.hpp).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <map>
#include <optional>
#include <string>

#include "carbonmrv/cleaner_production/audit_options.hpp"
#include "carbonmrv/cleaner_production/cleaner_production.hpp"
#include "status.hpp"

namespace cmrv::py {

namespace {

pybind11::object Opt(const std::optional<double>& v) { return v ? pybind11::cast(*v) : pybind11::none(); }

pybind11::dict EconomicsDict(const Economics& e) {
  pybind11::dict d;
  d["depreciation_cny"] = e.depreciation;
  d["taxable_profit_cny"] = e.taxable_profit;
  d["tax_cny"] = e.tax;
  d["net_cash_flow_cny"] = e.net_cash_flow;
  d["simple_payback_years"] = Opt(e.simple_payback);
  d["discounted_payback_years"] = Opt(e.discounted_payback);
  d["npv_cny"] = e.npv;
  d["npvr"] = Opt(e.npvr);
  d["irr"] = Opt(e.irr);
  d["irr_interpolated"] = Opt(e.irr_interpolated);
  d["irr_i1"] = Opt(e.irr_i1);
  d["irr_i2"] = Opt(e.irr_i2);
  d["irr_npv1"] = Opt(e.irr_npv1);
  d["irr_npv2"] = Opt(e.irr_npv2);
  d["crf"] = e.crf;
  d["feasible"] = e.feasible;
  d["verdict"] = e.verdict;
  return d;
}

}  // namespace

void BindCleanerProduction(pybind11::module_& m) {
  pybind11::class_<IndicatorSystem>(m, "IndicatorSystem",
                                    "A cleaner-production evaluation indicator system (清洁生产评价指标体系).")
      .def_static(
          "from_json", [](const std::string& text) { return Unwrap(IndicatorSystem::FromJson(text)); },
          pybind11::arg("text"), "Parses a carbonmrv.indicator_system/1 document (errors name JSON paths).")
      .def_readonly("id", &IndicatorSystem::id)
      .def_readonly("title", &IndicatorSystem::title)
      .def_readonly("sector", &IndicatorSystem::sector)
      .def_readonly("version", &IndicatorSystem::version)
      .def_readonly("source", &IndicatorSystem::source)
      .def_readonly("confidence", &IndicatorSystem::confidence)
      .def_readonly("sha256", &IndicatorSystem::sha256)
      .def_property_readonly(
          "indicators",
          [](const IndicatorSystem& s) {
            pybind11::list out;
            for (const auto& g : s.groups) {
              for (const auto& i : g.indicators) {
                pybind11::dict d;
                d["group"] = g.id;
                d["group_weight"] = g.weight;
                d["id"] = i.id;
                d["name"] = i.name;
                d["weight"] = i.weight;
                d["limiting"] = i.limiting;
                d["qualitative"] = i.qualitative;
                d["direction"] =
                    i.qualitative ? pybind11::none() : pybind11::cast(std::string(IndicatorDirectionName(i.direction)));
                d["unit"] = i.unit_text;
                for (std::size_t k = 0; k < 3; ++k) {
                  d[pybind11::str(std::string("level_") + (k == 0   ? "I"
                                                           : k == 1 ? "II"
                                                                    : "III"))] =
                      i.qualitative ? pybind11::none() : pybind11::cast(i.benchmarks[k]);
                }
                out.append(std::move(d));
              }
            }
            return out;
          },
          "One dict per indicator (group, weights, limiting, direction, unit, level_I/II/III).");

  pybind11::class_<AuditReport>(m, "AuditReport", "An evaluated cleaner-production audit round.")
      .def_readonly("enterprise", &AuditReport::enterprise)
      .def_readonly("year", &AuditReport::year)
      .def_readonly("audit_id", &AuditReport::audit_id)
      .def_readonly("baseline_co2e_t", &AuditReport::baseline_co2e_t)
      .def_readonly("final_co2e_t", &AuditReport::final_co2e_t)
      .def_readonly("baseline", &AuditReport::baseline, "The baseline inventory, with its trace.")
      .def_readonly("final", &AuditReport::final, "The inventory with every option applied, with its trace.")
      .def_property_readonly(
          "level",
          [](const AuditReport& r) {
            return r.score ? pybind11::cast(std::string(CpLevelName(r.score->level))) : pybind11::none();
          },
          "The baseline year's level (\"I\", \"II\", \"III\", \"none\"), or None without an indicator system.")
      .def("to_json", &AuditReport::ToJson)
      .def(
          "to_csv", [](const AuditReport& r, const std::string& table) { return Unwrap(r.ToCsv(table)); },
          pybind11::arg("table"));

  m.def(
      "_audit",
      [](const Enterprise& e, const FactorCatalogue* catalogue, const IndicatorSystem* system,
         const std::map<std::string, std::string>& options, const Enterprise* review) {
        AuditComputeOptions o;
        for (const auto& [k, v] : options) {
          if (auto st = SetAuditOption(o, k, v); !st.ok()) Raise(st);
        }
        if (system != nullptr) o.system = *system;
        if (review != nullptr) o.review = *review;
        const FactorCatalogue& cat = CatalogueOr(catalogue);
        absl::StatusOr<AuditReport> r;
        {
          pybind11::gil_scoped_release release;
          r = ComputeAudit(e, cat, o);
        }
        return Unwrap(std::move(r));
      },
      pybind11::arg("enterprise"), pybind11::arg("catalogue"), pybind11::arg("system"), pybind11::arg("options"),
      pybind11::arg("review"));

  m.def(
      "_option_economics",
      [](double investment, double annual_savings, double annual_om_change, int life_years, int depreciation_years,
         double discount_rate, double tax_rate, std::optional<double> benchmark_rate, double step) {
        EconomicsInput in{investment,    annual_savings, annual_om_change, life_years, depreciation_years,
                          discount_rate, tax_rate,       benchmark_rate,   step};
        return EconomicsDict(Unwrap(EvaluateEconomics(in)));
      },
      pybind11::arg("investment"), pybind11::arg("annual_savings"), pybind11::arg("annual_om_change"),
      pybind11::arg("life_years"), pybind11::arg("depreciation_years"), pybind11::arg("discount_rate"),
      pybind11::arg("tax_rate"), pybind11::arg("benchmark_rate"), pybind11::arg("step"));
}

}  // namespace cmrv::py
