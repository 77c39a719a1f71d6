#include "carbonmrv/memory_pool.hpp"

#include <mutex>

#include "internal/scratch.hpp"

namespace cmrv::memory_pool {

State Status() {
  internal::BlockPool& p = internal::BlockPool::Get();
  std::lock_guard lock(p.mutex);
  return {.held_bytes = p.bytes, .budget_bytes = p.budget};
}

std::size_t Release() { return internal::ReleaseBlocks(); }

void SetBudget(std::size_t bytes) { internal::SetBlockBudget(bytes); }

}  // namespace cmrv::memory_pool
