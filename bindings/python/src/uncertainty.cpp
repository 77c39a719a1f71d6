// carbonmrv._core: uncertainty of inventories (core: include/carbonmrv/uncertainty/: uncertainty.hpp,
// monte_carlo.hpp, key_categories.hpp).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "carbonmrv/uncertainty/key_categories.hpp"
#include "carbonmrv/uncertainty/monte_carlo.hpp"
#include "carbonmrv/uncertainty/uncertainty.hpp"
#include "status.hpp"

namespace cmrv::py {

void BindUncertainty(pybind11::module_& m) {
  m.def(
      "propagate_uncertainty",
      [](const Inventory& inv, const std::string& key) {
        pybind11::list out;
        for (const auto& r : Unwrap(PropagateUncertainty(inv, Unwrap(ParseTotalsKey(key))))) {
          pybind11::dict d;
          d["group"] = r.group;
          d["co2e_t"] = r.co2e_t;
          d["u_pct"] = r.u_pct ? pybind11::cast(*r.u_pct) : pybind11::none();
          d["half_width_t"] = r.half_width_t ? pybind11::cast(*r.half_width_t) : pybind11::none();
          d["missing"] = r.missing;
          pybind11::list contributions;
          for (const auto& c : r.contributions) {
            pybind11::dict cd;
            cd["input"] = c.input;
            cd["u_pct"] = c.u_pct;
            cd["share_pct"] = c.share_pct;
            contributions.append(cd);
          }
          d["contributions"] = contributions;
          out.append(d);
        }
        return out;
      },
      pybind11::arg("inventory"), pybind11::arg("key") = "total",
      "IPCC 2006 Vol. 1 Ch. 3 Approach 1 uncertainty of the total or of each group of totals(key).");
  m.attr("UNCERTAINTY_METHOD") = std::string(UncertaintyMethod());
  m.def(
      "monte_carlo",
      [](const Inventory& inv, const std::string& key,
         const std::vector<std::pair<std::string, std::string>>& options) {
        MonteCarloOptions o;
        for (const auto& [k, v] : options) {
          if (auto st = SetMonteCarloOption(o, k, v); !st.ok()) Raise(st);
        }
        const auto parsed = Unwrap(ParseTotalsKey(key));
        absl::StatusOr<MonteCarloResult> computed;
        {
          pybind11::gil_scoped_release release;  // the draws run on worker threads
          computed = MonteCarlo(inv, parsed, o);
        }
        MonteCarloResult r = Unwrap(std::move(computed));  // raised with the GIL held
        pybind11::dict out;
        out["method"] = r.method;
        out["generator"] = r.generator;
        out["seed"] = r.seed;
        out["draws"] = r.draws;
        pybind11::list inputs;
        for (const auto& in : r.inputs) {
          pybind11::dict d;
          d["input"] = in.id;
          d["shape"] = std::string(DistributionName(in.shape));
          d["lower_pct"] = in.lower_pct;
          d["upper_pct"] = in.upper_pct;
          d["negative_draws"] = in.negative_draws;
          inputs.append(d);
        }
        out["inputs"] = inputs;
        pybind11::list groups;
        for (auto& g : r.groups) {
          pybind11::dict d;
          d["group"] = g.group;
          d["co2e_t"] = g.co2e_t;
          const bool s = g.stats.has_value();
          auto num = [s](double v) { return s ? pybind11::cast(v) : pybind11::none(); };
          const MonteCarloStats st = s ? *g.stats : MonteCarloStats{};
          d["mean_t"] = num(st.mean_t);
          d["median_t"] = num(st.median_t);
          d["lower_t"] = num(st.lower_t);
          d["upper_t"] = num(st.upper_t);
          d["lower_pct"] = num(st.lower_pct);
          d["upper_pct"] = num(st.upper_pct);
          d["sd_t"] = num(st.sd_t);
          d["missing"] = g.missing;
          d["assumed_exact"] = g.assumed_exact;
          pybind11::list contributions;
          for (const auto& c : g.contributions) {
            pybind11::dict cd;
            cd["input"] = c.input;
            cd["share_pct"] = c.share_pct;
            contributions.append(cd);
          }
          d["contributions"] = contributions;
          if (!g.draws.empty()) {
            pybind11::array_t<double> a(static_cast<pybind11::ssize_t>(g.draws.size()));
            std::copy(g.draws.begin(), g.draws.end(), a.mutable_data());
            d["draws"] = a;
          }
          groups.append(d);
        }
        out["groups"] = groups;
        return out;
      },
      pybind11::arg("inventory"), pybind11::arg("key") = "total",
      pybind11::arg("options") = std::vector<std::pair<std::string, std::string>>{},
      "IPCC 2006 Vol. 1 Ch. 3 Approach 2 (Monte Carlo) uncertainty of the total or of each group of totals(key); "
      "options are (key, value) texts as in the C API.");
  m.attr("MONTE_CARLO_METHOD") = std::string(MonteCarloMethod());
  m.def(
      "key_categories",
      [](const Inventory& inv, const std::string& key, const Inventory* base, double threshold_pct) {
        const auto parsed = Unwrap(ParseTotalsKey(key));
        const auto a = Unwrap(base != nullptr ? TrendAssessment(*base, inv, parsed, threshold_pct)
                                              : LevelAssessment(inv, parsed, threshold_pct));
        pybind11::list out;
        for (const auto& c : a.categories) {
          pybind11::dict d;
          d["group"] = c.group;
          if (base != nullptr) d["base_t"] = c.base_t;
          d["co2e_t"] = c.co2e_t;
          d["assessment"] = c.assessment;
          d["share_pct"] = c.share_pct;
          d["cumulative_pct"] = c.cumulative_pct;
          d["key"] = c.key;
          out.append(d);
        }
        return out;
      },
      pybind11::arg("inventory"), pybind11::arg("key") = "source", pybind11::arg("base") = nullptr,
      pybind11::arg("threshold_pct") = kKeyCategoryThresholdPct,
      "IPCC 2006 Vol. 1 Ch. 4 Approach 1 key categories: the level assessment, or the trend assessment against "
      "the base-year inventory `base`.");
}

}  // namespace cmrv::py
