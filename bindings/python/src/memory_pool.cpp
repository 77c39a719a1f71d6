// carbonmrv._core: the memory pool (memory_pool.hpp); carbonmrv/memory_pool.py wraps it.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <utility>

#include "carbonmrv/memory_pool.hpp"

namespace cmrv::py {

void BindMemoryPool(pybind11::module_& m) {
  m.def(
      "_memory_pool_status",
      [] {
        const memory_pool::State state = memory_pool::Status();
        return std::make_pair(state.held_bytes, state.budget_bytes);
      },
      "(held bytes, budget bytes) of the memory pool (memory_pool.hpp Status).");
  m.def("_memory_pool_release", &memory_pool::Release, "Frees the blocks the pool holds; their bytes (Release).");
  m.def("_memory_pool_set_budget", &memory_pool::SetBudget, pybind11::arg("budget_bytes"),
        "Sets the most the pool keeps, freeing held blocks down to it (SetBudget).");
}

}  // namespace cmrv::py
