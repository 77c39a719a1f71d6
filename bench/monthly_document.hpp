// Issue 21's inventory workload, shared by the benchmarks that time it (bench_batch.cpp's
// BM_InventoryMonthly*, bench_inventory_phases.cpp): N sources of bituminous coal (energy_ef, IPCC
// defaults), each with 12 monthly records — what a platform would send, one object per source.
#pragma once

#include <cstddef>
#include <string>

namespace cmrv_bench {

inline std::string MonthlyDocument(std::size_t n) {
  std::string doc =
      R"({"schema": "carbonmrv.enterprise/1", "enterprise": {"name": "b", "region": "CN-44", "year": 2023}, "sources": [)";
  for (std::size_t s = 0; s < n; ++s) {
    doc += std::string(s ? "," : "") + R"({"id": "s)" + std::to_string(s) +
           R"(", "kind": "fuel_combustion", "carrier": "bituminous_coal", "method": "energy_ef", "activity": [)";
    for (std::size_t m = 1; m <= 12; ++m) {
      doc += std::string(m > 1 ? "," : "") + R"({"period": "2023-)" + (m < 10 ? "0" : "") + std::to_string(m) +
             R"(", "value": )" + std::to_string(80 + (s + m) % 40) + R"(, "unit": "t"})";
    }
    doc += "]}";
  }
  return doc + "]}";
}

}  // namespace cmrv_bench
