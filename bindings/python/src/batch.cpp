// carbonmrv._core: the columnar batch engine (core: batch.hpp).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "carbonmrv/batch.hpp"
#include "status.hpp"

namespace cmrv::py {
namespace {

// A 1-D column without copying when its dtype already matches (any stride, including pandas views);
// other dtypes are cast once. `keep` holds whichever array the column points into.
template <typename T>
batch::Column<T> ColumnOf(const pybind11::array& a, const char* name, std::size_t n, pybind11::object& keep) {
  if (a.ndim() != 1) Raise(absl::InvalidArgumentError(std::string(name) + " must be one-dimensional"));
  if (static_cast<std::size_t>(a.shape(0)) != n) {
    Raise(absl::InvalidArgumentError(std::string(name) + " has " + std::to_string(a.shape(0)) + " rows, expected " +
                                     std::to_string(n)));
  }
  pybind11::array_t<T> typed;
  if (pybind11::isinstance<pybind11::array_t<T>>(a) && a.strides(0) >= 0) {
    typed = pybind11::reinterpret_borrow<pybind11::array_t<T>>(a);
  } else {
    typed = pybind11::array_t<T, pybind11::array::c_style | pybind11::array::forcecast>::ensure(a);
    if (!typed) Raise(absl::InvalidArgumentError(std::string(name) + " cannot be read as numbers"));
  }
  keep = typed;
  return {typed.data(), static_cast<std::size_t>(typed.strides(0))};
}

}  // namespace

void BindBatch(pybind11::module_& m) {
  m.def(
      "_batch_compute",
      [](const pybind11::array& carrier, const std::vector<std::string>& carriers, const pybind11::array& unit,
         const std::vector<std::string>& units, const pybind11::array& quantity, const std::optional<pybind11::array>& group,
         std::size_t group_count, const std::string& region, int year, const std::string& method, const std::string& gwp,
         const std::string& co2_per_carbon, const std::vector<std::string>& preference, const std::string& policy,
         unsigned threads, const FactorCatalogue* catalogue, const std::vector<std::string>& columns) {
        const auto n = static_cast<std::size_t>(quantity.ndim() == 1 ? quantity.shape(0) : 0);
        pybind11::object k1, k2, k3, k4;
        batch::Input in;
        in.size = n;
        in.quantity = ColumnOf<double>(quantity, "quantity", n, k1);
        in.carrier = ColumnOf<int32_t>(carrier, "carrier codes", n, k2);
        in.unit = ColumnOf<int32_t>(unit, "unit codes", n, k3);
        in.carriers = carriers;
        in.units = units;
        if (group) {
          in.group = ColumnOf<int32_t>(*group, "group codes", n, k4);
          in.group_count = group_count;
        }
        batch::Options o;
        o.region = region;
        o.year = year;
        o.method = method;
        o.inventory.gwp_dataset = gwp;
        o.inventory.co2_per_carbon = co2_per_carbon;
        o.inventory.factor_preference = preference;
        if (policy != "reject" && policy != "skip") Raise(absl::InvalidArgumentError("policy must be \"reject\" or \"skip\""));
        o.policy = policy == "skip" ? batch::Policy::kSkip : batch::Policy::kReject;
        o.threads = threads;
        // Only the requested per-record columns are allocated (each is 8 bytes × n).
        auto wanted = [&](const char* c) { return std::find(columns.begin(), columns.end(), c) != columns.end(); };
        auto make = [&](const char* c) {
          return pybind11::array_t<double>(static_cast<pybind11::ssize_t>(wanted(c) ? n : 0));
        };
        pybind11::array_t<double> co2 = make("co2_t"), ch4 = make("ch4_t"), n2o = make("n2o_t"), co2e = make("co2e_t");
        pybind11::array_t<double> sums(static_cast<pybind11::ssize_t>(group ? group_count : 0));
        batch::Output out{wanted("co2_t") ? co2.mutable_data() : nullptr, wanted("ch4_t") ? ch4.mutable_data() : nullptr,
                          wanted("n2o_t") ? n2o.mutable_data() : nullptr, wanted("co2e_t") ? co2e.mutable_data() : nullptr,
                          group ? sums.mutable_data() : nullptr};
        const FactorCatalogue& cat = CatalogueOr(catalogue);
        absl::StatusOr<batch::Report> r;
        {
          pybind11::gil_scoped_release release;
          r = batch::Compute(in, cat, o, out);
        }
        auto report = Unwrap(std::move(r));
        pybind11::dict d;
        d["co2_t"] = co2;
        d["ch4_t"] = ch4;
        d["n2o_t"] = n2o;
        d["co2e_t"] = co2e;
        d["group_co2e_t"] = sums;
        d["report"] = report.ToJson();
        return d;
      },
      pybind11::arg("carrier"), pybind11::arg("carriers"), pybind11::arg("unit"), pybind11::arg("units"),
      pybind11::arg("quantity"), pybind11::arg("group"), pybind11::arg("group_count"), pybind11::arg("region"),
      pybind11::arg("year"), pybind11::arg("method"), pybind11::arg("gwp"), pybind11::arg("co2_per_carbon"),
      pybind11::arg("preference"), pybind11::arg("policy"), pybind11::arg("threads"), pybind11::arg("catalogue"),
      pybind11::arg("columns"));
}

}  // namespace cmrv::py
