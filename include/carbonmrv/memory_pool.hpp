// The memory pool: blocks the library keeps between computations, so that a repeated computation writes
// pages it has written before. On the reference VM a fresh 4 KiB page costs ~11 µs (the hypervisor
// zeroes it; docs/performance.md), more than the arithmetic that fills it. The pool holds:
//   - the batch engine's group tables and the columns of freed batch results (256 KiB or more);
//   - the blocks of an inventory's per-record activity terms, once every term in a block is freed.
// One pool per process, shared by every computation and thread, up to a budget (256 MiB by default).
// A long-running service can read it, empty it after a large job, or bound it (0: keep nothing).
//
// Thread safety: every function may be called from any thread, during computations; memory in use is
// never touched.
#pragma once

#include <cstddef>

namespace cmrv::memory_pool {

struct State {
  std::size_t held_bytes = 0;    ///< in blocks kept now, none of them in use
  std::size_t budget_bytes = 0;  ///< the most it keeps (256 MiB unless SetBudget changed it)
};

/// What the pool holds now, and its budget.
State Status();
/// Frees every block the pool holds and returns their bytes. Blocks in use (a running computation's
/// tables, a live result's columns, an inventory's terms) return to the pool when freed, within its
/// budget.
std::size_t Release();
/// Sets the most the pool keeps, freeing held blocks (the smallest first) down to it.
void SetBudget(std::size_t bytes);

}  // namespace cmrv::memory_pool
