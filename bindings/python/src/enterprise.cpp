// carbonmrv._core: enterprise documents (core: enterprise/enterprise.hpp).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "carbonmrv/enterprise/enterprise.hpp"
#include "status.hpp"

namespace cmrv::py {

void BindEnterprise(pybind11::module_& m) {
  pybind11::class_<Enterprise>(m, "Enterprise", R"pbdoc(One reporting enterprise (carbonmrv.enterprise/1).

Enterprise.from_json(text) validates everything and raises InvalidInputError listing every problem
with its JSON path.)pbdoc")
      .def_static(
          "from_json",
          [](const std::string& text, unsigned threads) {
            absl::StatusOr<Enterprise> e;
            {
              pybind11::gil_scoped_release released;
              e = Enterprise::FromJson(text, threads);
            }
            return Unwrap(std::move(e));
          },
          pybind11::arg("text"), pybind11::arg("threads") = 0,
          "``threads`` (0: all cores) read a large document's sources in runs, one per thread (from 4 MiB of "
          "text per thread); the enterprise is the same for any number.")
      .def("to_json", &Enterprise::ToJson)
      .def_readonly("name", &Enterprise::name)
      .def_readonly("uscc", &Enterprise::uscc)
      .def_readonly("region", &Enterprise::region)
      .def_readonly("year", &Enterprise::year)
      .def_property_readonly("source_ids",
                             [](const Enterprise& e) {
                               std::vector<std::string> ids;
                               for (const auto& s : e.sources) ids.push_back(s.id);
                               return ids;
                             })
      .def_property_readonly("energy_balance_periods",
                             [](const Enterprise& e) {
                               std::vector<std::string> periods;
                               for (const auto& b : e.energy_balances) periods.push_back(b.period);
                               return periods;
                             })
      .def("__repr__",
           [](const Enterprise& e) {
             return "Enterprise(" + pybind11::repr(pybind11::str(e.name)).cast<std::string>() +
                    ", year=" + std::to_string(e.year) +
                    ", region=" + pybind11::repr(pybind11::str(e.region)).cast<std::string>() + ", " +
                    std::to_string(e.sources.size()) + " sources)";
           })
      .def(pybind11::pickle([](const Enterprise& e) { return e.ToJson(); },
                            [](const std::string& text) { return Unwrap(Enterprise::FromJson(text)); }));
}

}  // namespace cmrv::py
