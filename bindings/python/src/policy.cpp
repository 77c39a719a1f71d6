// carbonmrv._core: policy evaluation (core: policy/did.hpp, policy/twfe.hpp).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "carbonmrv/policy/did.hpp"
#include "carbonmrv/policy/twfe.hpp"
#include "carbonmrv/status.hpp"
#include "progress.hpp"
#include "status.hpp"

namespace cmrv::py {
namespace {

namespace pyb = pybind11;
using Ints = pyb::array_t<int64_t, pyb::array::c_style | pyb::array::forcecast>;
using Floats = pyb::array_t<double, pyb::array::c_style | pyb::array::forcecast>;

template <typename T, typename A>
std::vector<T> ToVector(const A& a) {
  return std::vector<T>(a.data(), a.data() + a.size());
}

// The long-form panel from numpy columns (the Python layer has already picked them out of a DataFrame).
DidPanel MakePanel(const Ints& id, const Ints& time, const Floats& y, const Ints& group,
                   const std::vector<std::string>& covariate_names, const std::vector<Floats>& covariates,
                   const std::optional<Ints>& cluster) {
  DidPanel p;
  p.id = ToVector<int64_t>(id);
  p.time = ToVector<int64_t>(time);
  p.y = ToVector<double>(y);
  p.group = ToVector<int64_t>(group);
  p.covariate_names = covariate_names;
  for (const auto& c : covariates) p.covariates.push_back(ToVector<double>(c));
  if (cluster) p.cluster = ToVector<int64_t>(*cluster);
  return p;
}

template <typename F>
auto WithoutGil(F&& f) {
  pyb::gil_scoped_release release;
  return f();
}

}  // namespace

void BindPolicy(pyb::module_& m) {
  pyb::class_<AttGtCell>(m, "AttGtCell")
      .def_readonly("group", &AttGtCell::group)
      .def_readonly("time", &AttGtCell::time)
      .def_readonly("att", &AttGtCell::att)
      .def_readonly("se", &AttGtCell::se)
      .def_readonly("post", &AttGtCell::post)
      .def_readonly("treated", &AttGtCell::treated)
      .def_readonly("controls", &AttGtCell::controls)
      .def_readonly("trimmed", &AttGtCell::trimmed);
  pyb::class_<AggregateElement>(m, "AggregateElement")
      .def_readonly("key", &AggregateElement::key)
      .def_readonly("att", &AggregateElement::att)
      .def_readonly("se", &AggregateElement::se);
  pyb::class_<AggregateResult>(m, "AggregateResult", "An aggregation of ATT(g,t), as R did's aggte().")
      .def_property_readonly("type", [](const AggregateResult& a) { return std::string(AggregationTypeName(a.type)); })
      .def_readonly("elements", &AggregateResult::elements)
      .def_readonly("overall_att", &AggregateResult::overall_att)
      .def_readonly("overall_se", &AggregateResult::overall_se)
      .def_readonly("critical_value", &AggregateResult::critical_value)
      .def_readonly("uniform_band", &AggregateResult::uniform_band);
  pyb::class_<AttGtResult>(m, "AttGtResult", "Group-time average treatment effects (Callaway & Sant'Anna 2021).")
      .def_readonly("cells", &AttGtResult::cells)
      .def_readonly("units", &AttGtResult::units)
      .def_readonly("groups", &AttGtResult::groups)
      .def_readonly("periods", &AttGtResult::periods)
      .def_readonly("wald", &AttGtResult::wald)
      .def_readonly("wald_p", &AttGtResult::wald_p)
      .def_readonly("wald_df", &AttGtResult::wald_df)
      .def_readonly("notes", &AttGtResult::notes)
      .def_readonly("clusters", &AttGtResult::clusters)
      .def_readonly("critical_value", &AttGtResult::critical_value)
      .def_readonly("uniform_band", &AttGtResult::uniform_band)
      .def_property_readonly("control_group",
                             [](const AttGtResult& r) { return std::string(ControlGroupName(r.options.control)); })
      .def_property_readonly("base_period",
                             [](const AttGtResult& r) { return std::string(BasePeriodName(r.options.base)); })
      .def_property_readonly("est_method",
                             [](const AttGtResult& r) { return std::string(DidEstimatorName(r.options.method)); })
      .def_property_readonly("anticipation", [](const AttGtResult& r) { return r.options.anticipation; })
      .def_property_readonly("alpha", [](const AttGtResult& r) { return r.options.alpha; })
      .def_property_readonly("bootstrap_draws", [](const AttGtResult& r) { return r.options.bootstrap_draws; })
      .def_property_readonly("seed", [](const AttGtResult& r) { return r.options.seed; })
      .def(
          "aggte",
          [](const AttGtResult& r, const std::string& type, std::optional<int64_t> min_e,
             std::optional<int64_t> max_e) {
            const AggregationType t = Unwrap(ParseAggregationType(type));
            return Unwrap(WithoutGil([&] { return Aggregate(r, t, {min_e, max_e}); }));
          },
          pyb::arg("type") = "simple", pyb::arg("min_e") = pyb::none(), pyb::arg("max_e") = pyb::none(),
          "Aggregate: simple, group, dynamic (event study; min_e/max_e bound it) or calendar.");
  m.def(
      "_att_gt",
      [](const Ints& id, const Ints& time, const Floats& y, const Ints& group,
         const std::vector<std::string>& covariate_names, const std::vector<Floats>& covariates,
         const std::optional<Ints>& cluster, const std::string& control, const std::string& base, int anticipation,
         const std::string& method, bool drop_incomplete_units, double alpha, int bootstrap_draws, uint64_t seed,
         bool panel, bool allow_unbalanced_panel, const pybind11::object& progress) {
        AttGtOptions o;
        o.control = Unwrap(ParseControlGroup(control));
        o.base = Unwrap(ParseBasePeriod(base));
        o.method = Unwrap(ParseDidEstimator(method));
        o.anticipation = anticipation;
        o.drop_incomplete_units = drop_incomplete_units;
        o.alpha = alpha;
        o.bootstrap_draws = bootstrap_draws;
        o.seed = seed;
        o.panel = panel;
        o.allow_unbalanced_panel = allow_unbalanced_panel;
        const DidPanel data = MakePanel(id, time, y, group, covariate_names, covariates, cluster);
        std::optional<pybind11::error_already_set> raised;
        o.progress = ProgressOf(progress, raised);
        auto r = WithoutGil([&] { return AttGt(data, o); });
        if (raised) throw std::move(*raised);
        return Unwrap(std::move(r));
      },
      pyb::arg("id"), pyb::arg("time"), pyb::arg("y"), pyb::arg("group"), pyb::arg("covariate_names"),
      pyb::arg("covariates"), pyb::arg("cluster"), pyb::arg("control"), pyb::arg("base"), pyb::arg("anticipation"),
      pyb::arg("method"), pyb::arg("drop_incomplete_units"), pyb::arg("alpha"), pyb::arg("bootstrap_draws"),
      pyb::arg("seed"), pyb::arg("panel"), pyb::arg("allow_unbalanced_panel"), pyb::arg("progress") = pyb::none());

  pyb::class_<TwfeResult>(m, "TwfeResult", "Two-way fixed effects with cluster-robust standard errors.")
      .def_readonly("names", &TwfeResult::names)
      .def_readonly("coef", &TwfeResult::coef)
      .def_readonly("se", &TwfeResult::se)
      .def_readonly("observations", &TwfeResult::observations)
      .def_readonly("units", &TwfeResult::units)
      .def_readonly("periods", &TwfeResult::periods)
      .def_readonly("clusters", &TwfeResult::clusters)
      .def_readonly("small_sample_factor", &TwfeResult::small_sample_factor)
      .def_readonly("notes", &TwfeResult::notes);
  m.def(
      "_twfe",
      [](const Ints& id, const Ints& time, const Floats& y, const Ints& group,
         const std::vector<std::string>& covariate_names, const std::vector<Floats>& covariates,
         const std::optional<Ints>& cluster, bool drop_incomplete_units) {
        const DidPanel panel = MakePanel(id, time, y, group, covariate_names, covariates, cluster);
        return Unwrap(WithoutGil([&] { return Twfe(panel, drop_incomplete_units); }));
      },
      pyb::arg("id"), pyb::arg("time"), pyb::arg("y"), pyb::arg("group"), pyb::arg("covariate_names"),
      pyb::arg("covariates"), pyb::arg("cluster"), pyb::arg("drop_incomplete_units"));

  pyb::class_<TwoByTwoResult>(m, "TwoByTwoResult", "The canonical 2×2 difference-in-differences.")
      .def_readonly("att", &TwoByTwoResult::att)
      .def_readonly("se", &TwoByTwoResult::se)
      .def_readonly("treated_pre", &TwoByTwoResult::treated_pre)
      .def_readonly("treated_post", &TwoByTwoResult::treated_post)
      .def_readonly("control_pre", &TwoByTwoResult::control_pre)
      .def_readonly("control_post", &TwoByTwoResult::control_post)
      .def_readonly("treated", &TwoByTwoResult::treated)
      .def_readonly("controls", &TwoByTwoResult::controls);
  m.def(
      "_did_2x2",
      [](const Ints& id, const Ints& time, const Floats& y, const Ints& group, int64_t pre, int64_t post,
         const std::string& control) {
        const ControlGroup c = Unwrap(ParseControlGroup(control));
        const DidPanel panel = MakePanel(id, time, y, group, {}, {}, std::nullopt);
        return Unwrap(WithoutGil([&] { return DidTwoByTwo(panel, pre, post, c); }));
      },
      pyb::arg("id"), pyb::arg("time"), pyb::arg("y"), pyb::arg("group"), pyb::arg("pre"), pyb::arg("post"),
      pyb::arg("control"));

  pyb::class_<BaconComparison>(m, "BaconComparison")
      .def_property_readonly("type", [](const BaconComparison& c) { return std::string(BaconKindName(c.kind)); })
      .def_readonly("treated", &BaconComparison::treated)
      .def_readonly("control", &BaconComparison::control)
      .def_readonly("estimate", &BaconComparison::estimate)
      .def_readonly("weight", &BaconComparison::weight);
  pyb::class_<BaconResult>(m, "BaconResult", "Goodman-Bacon (2021) decomposition of the TWFE estimate.")
      .def_readonly("twfe", &BaconResult::twfe)
      .def_readonly("comparisons", &BaconResult::comparisons)
      .def_readonly("notes", &BaconResult::notes);
  m.def(
      "_bacon",
      [](const Ints& id, const Ints& time, const Floats& y, const Ints& group, bool drop_incomplete_units) {
        const DidPanel panel = MakePanel(id, time, y, group, {}, {}, std::nullopt);
        return Unwrap(WithoutGil([&] { return BaconDecomposition(panel, drop_incomplete_units); }));
      },
      pyb::arg("id"), pyb::arg("time"), pyb::arg("y"), pyb::arg("group"), pyb::arg("drop_incomplete_units"));
}

}  // namespace cmrv::py
