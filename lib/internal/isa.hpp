// Kernels compiled for more than one x86-64 level, chosen at run time. A kernel written once as an
// always-inline body is instantiated for x86-64-v4 (AVX-512), x86-64-v3 (AVX2) and the baseline,
// and the widest the CPU runs is called. The variants give the same bits: the project builds with
// -ffp-contract=off (no fused multiply-add the source does not write), the vector forms of +, −, ×,
// ÷ and √ round as the scalar ones do, sums stay in source order (no -ffast-math), and libm is
// called as a function in every variant. tests/cpp/test_monte_carlo.cpp runs each variant this
// machine supports and compares the bits.
#pragma once

#include <atomic>

namespace cmrv::internal {

enum class Isa : int { kBaseline = 0, kX86_64_V3 = 1, kX86_64_V4 = 2 };

// Multiversioned kernels are built with GCC 12 or later on x86-64 (the first to name the levels in
// __builtin_cpu_supports); elsewhere (clang, older GCC, other CPUs) the baseline variant is the only one.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#  define CMRV_ISA_VARIANTS 1
#else
#  define CMRV_ISA_VARIANTS 0
#endif

/// The widest level this CPU runs.
inline Isa CpuIsa() {
#if CMRV_ISA_VARIANTS
  static const Isa isa = [] {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("x86-64-v4")) return Isa::kX86_64_V4;
    if (__builtin_cpu_supports("x86-64-v3")) return Isa::kX86_64_V3;
    return Isa::kBaseline;
  }();
  return isa;
#else
  return Isa::kBaseline;
#endif
}

/// Test hook: a level below the CPU's that kernels use instead (negative: none).
inline std::atomic<int>& IsaLimitForTesting() {
  static std::atomic<int> limit{-1};
  return limit;
}

/// The level kernels use: the CPU's, or the test's limit when lower.
inline Isa KernelIsa() {
  const int limit = IsaLimitForTesting().load(std::memory_order_relaxed);
  const Isa cpu = CpuIsa();
  return limit >= 0 && limit < static_cast<int>(cpu) ? static_cast<Isa>(limit) : cpu;
}

}  // namespace cmrv::internal
