// carbonmrv._core: uncertainty of inventories (core: include/carbonmrv/uncertainty/uncertainty.hpp).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

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
}

}  // namespace cmrv::py
