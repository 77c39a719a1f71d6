// The inventory at scale, phase by phase (docs/performance.md, issue 21): N sources × 12 monthly records
// of bituminous coal (the workload of BM_InventoryMonthly), timed as parse (Enterprise::FromJson, on THREADS),
// compute (ComputeInventory), and the destruction of each, with the resident memory each phase adds.
// A plain program, not google-benchmark: pass 0 runs in fresh memory and later passes reuse what the
// previous pass freed, and that difference (first touch of pages, ~11 µs per 4 KiB on the reference VM)
// is what it measures; repetitions averaged together would hide it.
// With WRITE=json each pass also times Inventory::ToJson (the document a CLI or notebook user writes).
//   build/bench/cmrv_bench_inventory_phases [N=100000] [PASSES=3] [THREADS=0 (the hardware's)] [WRITE=json|-]
//                                           [PARSE_THREADS=THREADS]
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <utility>

#include "carbonmrv/inventory/inventory.hpp"
#include "monthly_document.hpp"

namespace {

long ResidentMiB() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  statm >> size >> resident;
  return resident * 4096 / (1 << 20);
}

// Resident memory in transparent huge pages (Linux; 0 elsewhere). The rest of a phase's memory is in
// 4 KiB pages, whose first touch costs ~15 times as much per byte on the reference VM.
long HugeMiB() {
  std::ifstream rollup("/proc/self/smaps_rollup");
  std::string word;
  while (rollup >> word) {
    if (word == "AnonHugePages:") {
      long kib = 0;
      rollup >> kib;
      return kib / 1024;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::stoul(argv[1]) : 100'000;
  const int passes = argc > 2 ? std::stoi(argv[2]) : 3;
  cmrv::InventoryOptions options;
  options.threads = argc > 3 ? static_cast<unsigned>(std::stoul(argv[3])) : 0;
  const bool write = argc > 4 && std::string(argv[4]) == "json";
  const unsigned parse_threads = argc > 5 ? static_cast<unsigned>(std::stoul(argv[5])) : options.threads;
  const auto catalogue = cmrv::FactorCatalogue::Builtin();
  if (!catalogue.ok()) {
    std::fprintf(stderr, "%s\n", std::string(catalogue.status().message()).c_str());
    return 1;
  }
  const std::string doc = cmrv_bench::MonthlyDocument(n);
  using Clock = std::chrono::steady_clock;
  auto ms = [](Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
  };
  std::printf("%zu sources x 12 months (%zu records), threads %u, parse threads %u\n", n, 12 * n, options.threads,
              parse_threads);
  for (int p = 0; p < passes; ++p) {
    const long m0 = ResidentMiB(), h0 = HugeMiB();
    const auto t0 = Clock::now();
    auto e = cmrv::Enterprise::FromJson(doc, parse_threads);
    const auto t1 = Clock::now();
    const long m1 = ResidentMiB(), h1 = HugeMiB();
    if (!e.ok()) {
      std::fprintf(stderr, "%s\n", std::string(e.status().message()).c_str());
      return 1;
    }
    auto inv = cmrv::ComputeInventory(*e, *catalogue, options);
    const auto t2 = Clock::now();
    const long m2 = ResidentMiB(), h2 = HugeMiB();
    if (!inv.ok()) {
      std::fprintf(stderr, "%s\n", std::string(inv.status().message()).c_str());
      return 1;
    }
    const double total = inv->TotalCo2e();
    double write_ms = 0;  // not part of the phases' total
    if (write) {
      const auto w0 = Clock::now();
      const std::string text = inv->ToJson();
      const auto w1 = Clock::now();
      write_ms = ms(w0, w1);
      std::printf("pass %d: ToJson %.0f ms, %.1f MB, %.0f MB/s\n", p, ms(w0, w1),
                  static_cast<double>(text.size()) / 1e6, static_cast<double>(text.size()) / 1e3 / ms(w0, w1));
    }
    { const cmrv::Inventory gone = *std::move(inv); }
    const auto t3 = Clock::now();
    { const cmrv::Enterprise gone = *std::move(e); }
    const auto t4 = Clock::now();
    std::printf(
        "pass %d: parse %.0f ms (+%ld MiB, %ld huge), compute %.0f ms (+%ld MiB, %ld huge), destroy inventory %.0f "
        "ms, enterprise %.0f ms; total %.0f ms (%.6g tCO2e)\n",
        p, ms(t0, t1), m1 - m0, h1 - h0, ms(t1, t2), m2 - m1, h2 - h1, ms(t2, t3) - write_ms, ms(t3, t4),
        ms(t0, t4) - write_ms, total);
  }
  return 0;
}
