// Starting worker threads without ever terminating the host: std::thread's constructor throws
// std::system_error when the OS refuses a thread, and a joinable std::thread destroyed during the
// unwinding calls std::terminate. Callers run a refused worker's share themselves.
#pragma once

#include <atomic>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace cmrv::internal {

/// Test hook: how many more workers may start (negative: no limit). Lets a test make the OS's
/// refusal happen deterministically, on any machine and under any sanitizer.
inline std::atomic<int>& WorkerBudgetForTesting() {
  static std::atomic<int> budget{-1};
  return budget;
}

/// Starts `fn` on a new thread appended to `pool`; false (and `pool` unchanged) when the thread
/// cannot be started.
template <typename Fn>
bool TryStartWorker(std::vector<std::thread>& pool, Fn&& fn) noexcept {
  auto& budget = WorkerBudgetForTesting();
  int left = budget.load();
  while (left >= 0) {
    if (left == 0) return false;
    if (budget.compare_exchange_weak(left, left - 1)) break;
  }
  try {
    pool.emplace_back(std::forward<Fn>(fn));  // capacity reserved by the caller: only the thread can fail
    return true;
  } catch (const std::system_error&) {
    return false;
  }
}

}  // namespace cmrv::internal
