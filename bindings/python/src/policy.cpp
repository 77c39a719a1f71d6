// carbonmrv._core: policy evaluation (core: policy/did.hpp).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "carbonmrv/policy/did.hpp"
#include "carbonmrv/status.hpp"
#include "status.hpp"

namespace cmrv::py {

void BindPolicy(pybind11::module_& m) {
  pybind11::class_<AttGtCell>(m, "AttGtCell")
      .def_readonly("group", &AttGtCell::group)
      .def_readonly("time", &AttGtCell::time)
      .def_readonly("att", &AttGtCell::att)
      .def_readonly("se", &AttGtCell::se)
      .def_readonly("post", &AttGtCell::post)
      .def_readonly("treated", &AttGtCell::treated)
      .def_readonly("controls", &AttGtCell::controls);
  pybind11::class_<AggregateElement>(m, "AggregateElement")
      .def_readonly("key", &AggregateElement::key)
      .def_readonly("att", &AggregateElement::att)
      .def_readonly("se", &AggregateElement::se);
  pybind11::class_<AggregateResult>(m, "AggregateResult", "An aggregation of ATT(g,t), as R did's aggte().")
      .def_property_readonly("type", [](const AggregateResult& a) { return std::string(AggregationTypeName(a.type)); })
      .def_readonly("elements", &AggregateResult::elements)
      .def_readonly("overall_att", &AggregateResult::overall_att)
      .def_readonly("overall_se", &AggregateResult::overall_se);
  pybind11::class_<AttGtResult>(m, "AttGtResult", "Group-time average treatment effects (Callaway & Sant'Anna 2021).")
      .def_readonly("cells", &AttGtResult::cells)
      .def_readonly("units", &AttGtResult::units)
      .def_readonly("groups", &AttGtResult::groups)
      .def_readonly("periods", &AttGtResult::periods)
      .def_readonly("wald", &AttGtResult::wald)
      .def_readonly("wald_p", &AttGtResult::wald_p)
      .def_readonly("wald_df", &AttGtResult::wald_df)
      .def_readonly("notes", &AttGtResult::notes)
      .def_property_readonly("control_group",
                             [](const AttGtResult& r) { return std::string(ControlGroupName(r.options.control)); })
      .def_property_readonly("base_period",
                             [](const AttGtResult& r) { return std::string(BasePeriodName(r.options.base)); })
      .def(
          "aggte",
          [](const AttGtResult& r, const std::string& type) {
            return Unwrap(Aggregate(r, Unwrap(ParseAggregationType(type))));
          },
          pybind11::arg("type") = "simple", "Aggregate: simple, group, dynamic or calendar.");
  m.def(
      "_att_gt",
      [](std::vector<int64_t> id, std::vector<int64_t> time, std::vector<double> y, std::vector<int64_t> group,
         const std::string& control, const std::string& base, int anticipation) {
        AttGtOptions o;
        o.control = Unwrap(ParseControlGroup(control));
        o.base = Unwrap(ParseBasePeriod(base));
        o.anticipation = anticipation;
        const DidPanel panel{std::move(id), std::move(time), std::move(y), std::move(group)};
        absl::StatusOr<AttGtResult> r;
        {
          pybind11::gil_scoped_release release;
          r = AttGt(panel, o);
        }
        return Unwrap(std::move(r));
      },
      pybind11::arg("id"), pybind11::arg("time"), pybind11::arg("y"), pybind11::arg("group"), pybind11::arg("control"),
      pybind11::arg("base"), pybind11::arg("anticipation"));
}

}  // namespace cmrv::py
