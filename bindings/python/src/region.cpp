// carbonmrv._core: a region's reference approach against its enterprise inventories (core:
// region/region.hpp).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>

#include "carbonmrv/inventory/inventory_options.hpp"
#include "carbonmrv/region/region.hpp"
#include "status.hpp"

namespace cmrv::py {

void BindRegion(pybind11::module_& m) {
  m.def(
      "_compare_region_json",
      [](const std::string& request, const FactorCatalogue* catalogue) {
        const FactorCatalogue& cat = CatalogueOr(catalogue);
        absl::StatusOr<RegionComparison> r;
        {
          pybind11::gil_scoped_release release;
          r = CompareRegionJson(request, cat);
        }
        return Unwrap(std::move(r)).ToJson();
      },
      pybind11::arg("request"), pybind11::arg("catalogue") = nullptr);
  m.def("gwp_dataset_id", &GwpDatasetId, pybind11::arg("name"),
        "\"AR5\" (any case; SAR/AR2, AR4, AR5, AR6) → \"ipcc_ar5_gwp100\"; any other text is a dataset id.");
}

}  // namespace cmrv::py
