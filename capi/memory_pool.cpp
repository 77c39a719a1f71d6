// C API: the memory pool (memory_pool.hpp).
#include "carbonmrv/memory_pool.hpp"
#include "guard.hpp"

using cmrv::capi::Guard;

extern "C" {

cmrv_status cmrv_memory_pool_status(cmrv_context* ctx, size_t* out_held_bytes, size_t* out_budget_bytes) {
  return Guard(ctx, [&]() -> absl::Status {
    const cmrv::memory_pool::State state = cmrv::memory_pool::Status();
    if (out_held_bytes != nullptr) *out_held_bytes = state.held_bytes;
    if (out_budget_bytes != nullptr) *out_budget_bytes = state.budget_bytes;
    return absl::OkStatus();
  });
}

cmrv_status cmrv_memory_pool_release(cmrv_context* ctx, size_t* out_released_bytes) {
  return Guard(ctx, [&]() -> absl::Status {
    const std::size_t released = cmrv::memory_pool::Release();
    if (out_released_bytes != nullptr) *out_released_bytes = released;
    return absl::OkStatus();
  });
}

cmrv_status cmrv_memory_pool_set_budget(cmrv_context* ctx, size_t budget_bytes) {
  return Guard(ctx, [&]() -> absl::Status {
    cmrv::memory_pool::SetBudget(budget_bytes);
    return absl::OkStatus();
  });
}

}  // extern "C"
