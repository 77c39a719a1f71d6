// The inventory at scale as an ERP integrator runs it, through the C API only (docs/performance.md,
// issue 21): N sources × 12 monthly records of bituminous coal (monthly_document.hpp), timed as
// cmrv_enterprise_from_json, cmrv_inventory_compute with its total, and the destruction of each. It
// compares with cmrv_bench_inventory_phases, which times the same phases in C++: what the C layer adds.
//   build/bench/cmrv_bench_capi_inventory [N=100000] [PASSES=3]
#include <chrono>
#include <cstdio>
#include <string>

#include "carbonmrv.h"
#include "monthly_document.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double, std::milli>(b - a).count(); }

// The last error of ctx on stderr, and false, unless st is CMRV_OK.
bool Ok(cmrv_context* ctx, cmrv_status st, const char* what) {
  if (st == CMRV_OK) return true;
  std::fprintf(stderr, "%s: %s\n", what, cmrv_context_last_error_message(ctx));
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::stoul(argv[1]) : 100'000;
  const int passes = argc > 2 ? std::stoi(argv[2]) : 3;
  const std::string doc = cmrv_bench::MonthlyDocument(n);
  cmrv_context* ctx = cmrv_context_create();
  cmrv_factor_catalogue* catalogue = nullptr;
  if (!Ok(ctx, cmrv_factor_catalogue_open_builtin(ctx, &catalogue), "catalogue")) return 1;
  std::printf("%zu sources x 12 months through the C API (%zu MB of JSON)\n", n, doc.size() >> 20);
  for (int pass = 0; pass < passes; ++pass) {
    const auto t0 = Clock::now();
    cmrv_enterprise* enterprise = nullptr;
    if (!Ok(ctx, cmrv_enterprise_from_json(ctx, doc.c_str(), &enterprise), "read")) return 1;
    const auto t1 = Clock::now();
    cmrv_inventory* inventory = nullptr;
    double total = 0;
    if (!Ok(ctx, cmrv_inventory_compute(ctx, enterprise, catalogue, nullptr, &inventory), "compute") ||
        !Ok(ctx, cmrv_inventory_total_co2e(ctx, inventory, &total), "total")) {
      return 1;
    }
    const auto t2 = Clock::now();
    cmrv_inventory_destroy(inventory);
    const auto t3 = Clock::now();
    cmrv_enterprise_destroy(enterprise);
    const auto t4 = Clock::now();
    std::printf(
        "pass %d: read %.0f ms, compute %.0f ms, destroy inventory %.0f ms, enterprise %.0f ms; total %.0f ms (%g "
        "tCO2e)\n",
        pass, Ms(t0, t1), Ms(t1, t2), Ms(t2, t3), Ms(t3, t4), Ms(t0, t4), total);
  }
  cmrv_factor_catalogue_destroy(catalogue);
  cmrv_context_destroy(ctx);
  return 0;
}
