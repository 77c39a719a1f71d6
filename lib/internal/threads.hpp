// Starting worker threads without ever terminating the host: std::thread's constructor throws
// std::system_error when the OS refuses a thread, and a joinable std::thread destroyed during the
// unwinding calls std::terminate. Callers run a refused worker's share themselves.
#pragma once

#include <algorithm>
#include <atomic>
#include <exception>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace cmrv::internal {

/// The most threads any "threads" setting accepts (options, the C API's reader), 0 meaning every core.
inline constexpr unsigned kMaxThreads = 1024;

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

/// Runs fn(k) for k in [0, tasks) on up to `threads` threads, task k on worker k mod t; a worker that
/// cannot start leaves its tasks to the calling thread. Results may depend on k only, never on t. An
/// exception from fn on a worker is carried to the calling thread and thrown there after every worker
/// has finished (a worker must not end the process).
template <typename Fn>
void RunTasks(unsigned threads, std::size_t tasks, Fn&& fn) {
  const std::size_t t = std::max<std::size_t>(1, std::min<std::size_t>(threads, tasks));
  std::vector<std::exception_ptr> errors(t);
  auto worker = [&fn, &errors, t, tasks](std::size_t w) {
    try {
      for (std::size_t k = w; k < tasks; k += t) fn(k);
    } catch (...) {
      errors[w] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(t - 1);
  std::vector<std::size_t> inline_workers;
  for (std::size_t w = 1; w < t; ++w) {
    if (!TryStartWorker(pool, [&worker, w] { worker(w); })) inline_workers.push_back(w);
  }
  worker(0);
  for (std::size_t w : inline_workers) worker(w);
  for (auto& th : pool) th.join();
  for (const auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

}  // namespace cmrv::internal
