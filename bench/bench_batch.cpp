// Google Benchmark: the batch engine on synthetic records (20 000 enterprises × 12 months, EPA fuels),
// 1 and 2 threads, per-record output and group sums, records in random order (as they come out of a
// meter database) or sorted; the physical floor of the same work on this machine (a plain streaming read
// of the columns, a plain scatter-add and a plain per-record product, no checks); and the document
// path (enterprises/s).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "carbonmrv/batch/batch.hpp"
#include "carbonmrv/enterprise/enterprise.hpp"
#include "monthly_document.hpp"

namespace {

struct Data {
  std::vector<std::string> carriers, units;
  std::vector<int8_t> carrier, unit;  // categorical codes as pandas holds them for 32 categories
  std::vector<int32_t> enterprise, month;
  std::vector<double> quantity;
};

// 32 EPA fuels with their Table 1 units; records cycle through enterprises and months.
const Data& Records(std::size_t n, bool random = false, int32_t enterprises = 20000) {
  static std::map<std::tuple<std::size_t, bool, int32_t>, Data> cache;
  auto& d = cache[{n, random, enterprises}];
  if (!d.quantity.empty()) return d;
  const std::vector<std::pair<std::string, std::string>> fuels = {{"anthracite", "short_ton"},
                                                                  {"bituminous_coal", "short_ton"},
                                                                  {"sub_bituminous_coal", "short_ton"},
                                                                  {"lignite", "short_ton"},
                                                                  {"mixed_coal_commercial", "short_ton"},
                                                                  {"mixed_coal_electric_power", "short_ton"},
                                                                  {"mixed_coal_industrial_coking", "short_ton"},
                                                                  {"mixed_coal_industrial", "short_ton"},
                                                                  {"coke", "short_ton"},
                                                                  {"petroleum_coke", "short_ton"},
                                                                  {"natural_gas", "scf"},
                                                                  {"asphalt_and_road_oil", "gal"},
                                                                  {"aviation_gasoline", "gal"},
                                                                  {"butane", "gal"},
                                                                  {"butylene", "gal"},
                                                                  {"crude_oil", "gal"},
                                                                  {"distillate_fuel_oil_no1", "gal"},
                                                                  {"distillate_fuel_oil_no2", "gal"},
                                                                  {"distillate_fuel_oil_no4", "gal"},
                                                                  {"ethane", "gal"},
                                                                  {"ethylene", "gal"},
                                                                  {"heavy_gas_oils", "gal"},
                                                                  {"isobutane", "gal"},
                                                                  {"isobutylene", "gal"},
                                                                  {"kerosene", "gal"},
                                                                  {"jet_kerosene", "gal"},
                                                                  {"lpg", "gal"},
                                                                  {"lubricants", "gal"},
                                                                  {"motor_gasoline", "gal"},
                                                                  {"naphtha", "gal"},
                                                                  {"propane", "gal"},
                                                                  {"residual_fuel_oil_no6", "gal"}};
  for (const auto& [c, u] : fuels) {
    d.carriers.push_back(c);
    if (std::find(d.units.begin(), d.units.end(), u) == d.units.end()) d.units.push_back(u);
  }
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> q(1, 1e4);
  std::uniform_int_distribution<int32_t> f(0, static_cast<int32_t>(fuels.size() - 1));
  d.carrier.resize(n);
  d.unit.resize(n);
  d.enterprise.resize(n);
  d.month.resize(n);
  d.quantity.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const int32_t k = f(rng);
    d.carrier[i] = static_cast<int8_t>(k);
    const auto& u = fuels[static_cast<std::size_t>(k)].second;
    d.unit[i] = static_cast<int8_t>(std::find(d.units.begin(), d.units.end(), u) - d.units.begin());
    const auto e = static_cast<std::size_t>(enterprises);  // 20 000 enterprises × 12 months by default
    d.enterprise[i] = static_cast<int32_t>(i % e);
    d.month[i] = static_cast<int32_t>((i / e) % 12 + 1);
    d.quantity[i] = q(rng);
  }
  if (random) {  // the same records in a random order (Fisher–Yates with the same generator)
    for (std::size_t i = n; i > 1; --i) {
      const std::size_t j = std::uniform_int_distribution<std::size_t>(0, i - 1)(rng);
      std::swap(d.carrier[i - 1], d.carrier[j]);
      std::swap(d.unit[i - 1], d.unit[j]);
      std::swap(d.enterprise[i - 1], d.enterprise[j]);
      std::swap(d.month[i - 1], d.month[j]);
      std::swap(d.quantity[i - 1], d.quantity[j]);
    }
  }
  return d;
}

const cmrv::FactorCatalogue& Catalogue() {
  static const cmrv::FactorCatalogue c = *cmrv::FactorCatalogue::Builtin();
  return c;
}

// The EPA hub's US factors for 2023, by energy, on the given thread count.
cmrv::batch::Options EpaOptions(int64_t threads) {
  cmrv::batch::Options o;
  o.region = "US";
  o.year = 2023;
  o.method = "energy_ef";
  o.threads = static_cast<unsigned>(threads);
  return o;
}

// The records as separate columns read in place, grouped by (enterprise, month) when `keyed`.
cmrv::batch::Input ColumnsOf(const Data& d, bool keyed) {
  using cmrv::batch::Column;
  cmrv::batch::Input in;
  in.size = d.quantity.size();
  in.carrier = {Column::Of(d.carrier.data()), d.carriers};
  in.unit = {Column::Of(d.unit.data()), d.units};
  in.quantity = Column::Of(d.quantity.data());
  if (keyed) in.keys = {Column::Of(d.enterprise.data()), Column::Of(d.month.data())};
  return in;
}

// The timed loop of the batch benchmarks: one engine call per iteration, state.range(0) records each.
void TimeCalls(benchmark::State& state, const cmrv::batch::Input& in, const cmrv::batch::Options& o,
               const cmrv::batch::Output& out) {
  for (auto _ : state) {
    auto r = cmrv::batch::Compute(in, Catalogue(), o, out);
    if (!r.ok()) state.SkipWithError(std::string(r.status().message()).c_str());
    benchmark::DoNotOptimize(r->groups.co2e_t.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}

void BM_Batch(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const Data& d = Records(n, state.range(5) != 0);
  const cmrv::batch::Input in = ColumnsOf(d, state.range(3) != 0);
  cmrv::batch::Options o = EpaOptions(state.range(1));
  std::vector<double> co2e(n);
  cmrv::batch::Output out;
  if (state.range(2)) out.co2e_t.data = co2e.data();
  out.group_values = cmrv::batch::kCo2e;
  uint64_t calls = 0;  // a progress callback that only counts: what reporting itself costs
  if (state.range(4)) o.progress = [&calls](uint64_t, uint64_t) { return ++calls > 0; };
  TimeCalls(state, in, o, out);
  state.counters["progress_calls"] = static_cast<double>(calls) / static_cast<double>(state.iterations());
}
// {records, threads, per-record CO2e, group by (enterprise, month), progress callback, random order}
BENCHMARK(BM_Batch)
    ->Args({10'000'000, 1, 0, 1, 0, 1})
    ->Args({10'000'000, 1, 0, 1, 1, 1})
    ->Args({10'000'000, 2, 0, 1, 0, 1})
    ->Args({10'000'000, 2, 0, 1, 1, 1})
    ->Args({10'000'000, 1, 1, 0, 0, 1})
    ->Args({10'000'000, 2, 1, 0, 0, 1})
    ->Args({10'000'000, 1, 1, 1, 0, 1})
    ->Args({10'000'000, 2, 1, 1, 0, 1})
    ->Args({10'000'000, 1, 0, 1, 0, 0})
    ->Args({10'000'000, 2, 0, 1, 0, 0})
    ->Args({10'000, 1, 0, 1, 0, 1})  // a small call: what is fixed per call
    ->Args({10'000, 1, 1, 0, 0, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// A group table larger than the cache: 200 000 enterprises × 12 months (2.4·10⁶ groups, 19 MB of sums),
// records in random order, so that most adds miss. With more than one thread the table is split between
// the threads (kernel.cpp), each adding its share of the groups in record order.
void BM_BatchLargeTable(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const Data& d = Records(n, true, 200'000);
  const cmrv::batch::Input in = ColumnsOf(d, true);
  const cmrv::batch::Options o = EpaOptions(state.range(1));
  cmrv::batch::Output out;
  out.group_values = cmrv::batch::kCo2e;
  TimeCalls(state, in, o, out);
}
// {records, threads}
BENCHMARK(BM_BatchLargeTable)
    ->Args({10'000'000, 1})
    ->Args({10'000'000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The same records as an ERP holds them: an array of record structs, every column read in place at the
// struct's stride (the direct passes' strided loops), against BM_Batch's separate columns.
struct RecordStruct {
  int32_t carrier, unit, enterprise, month;
  double quantity;
};

void BM_BatchRecordStructs(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const Data& d = Records(n, true);
  static std::vector<RecordStruct> rows;
  if (rows.size() != n) {
    rows.resize(n);
    for (std::size_t i = 0; i < n; ++i) rows[i] = {d.carrier[i], d.unit[i], d.enterprise[i], d.month[i], d.quantity[i]};
  }
  constexpr std::size_t kStride = sizeof(RecordStruct);
  cmrv::batch::Input in;
  in.size = n;
  using cmrv::batch::Column;
  in.carrier = {Column::Of(&rows[0].carrier, kStride), d.carriers};
  in.unit = {Column::Of(&rows[0].unit, kStride), d.units};
  in.quantity = Column::Of(&rows[0].quantity, kStride);
  if (state.range(2)) in.keys = {Column::Of(&rows[0].enterprise, kStride), Column::Of(&rows[0].month, kStride)};
  const cmrv::batch::Options o = EpaOptions(state.range(1));
  std::vector<double> co2e(n);
  cmrv::batch::Output out;
  if (!state.range(2)) out.co2e_t.data = co2e.data();
  out.group_values = cmrv::batch::kCo2e;
  TimeCalls(state, in, o, out);
}
// {records, threads, group by (enterprise, month) (else per-record CO2e)}; records in random order
BENCHMARK(BM_BatchRecordStructs)
    ->Args({10'000'000, 1, 1})
    ->Args({10'000'000, 1, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_DocumentPath(benchmark::State& state) {
  // A 12-month, 3-source enterprise through the document engine (parse + compute).
  std::string doc =
      R"({"schema": "carbonmrv.enterprise/1", "enterprise": {"name": "b", "region": "US", "year": 2023}, "sources": [)";
  const char* fuels[][2] = {
      {"bituminous_coal", "short_ton"}, {"natural_gas", "scf"}, {"distillate_fuel_oil_no2", "gal"}};
  for (int s = 0; s < 3; ++s) {
    doc += std::string(s ? "," : "") + R"({"id": "s)" + std::to_string(s) +
           R"(", "kind": "fuel_combustion", "carrier": ")" + fuels[s][0] + R"(", "method": "energy_ef", "activity": [)";
    for (int m = 1; m <= 12; ++m) {
      doc += std::string(m > 1 ? "," : "") + R"({"period": "2023-)" + (m < 10 ? "0" : "") + std::to_string(m) +
             R"(", "value": 1000, "unit": ")" + fuels[s][1] + R"("})";
    }
    doc += "]}";
  }
  doc += "]}";
  for (auto _ : state) {
    auto e = cmrv::Enterprise::FromJson(doc);
    auto inv = cmrv::ComputeInventory(*e, Catalogue(), {});
    benchmark::DoNotOptimize(inv->TotalCo2e());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
// The physical floor, validation-free and single-threaded, on the same columns in random order: what
// reading them costs, and what the scatter-add and the per-record product cost on top.
std::vector<double> FuelFactors() {
  std::vector<double> k(32);
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = 0.05 + 0.001 * static_cast<double>(i);
  return k;
}

void BM_FloorRead(benchmark::State& state) {
  const Data& d = Records(static_cast<std::size_t>(state.range(0)), true);
  for (auto _ : state) {
    double s = 0;
    int64_t c = 0;
    for (std::size_t i = 0; i < d.quantity.size(); ++i) {
      s += d.quantity[i];
      c += d.carrier[i] + d.unit[i] + d.enterprise[i] + d.month[i];
    }
    benchmark::DoNotOptimize(s);
    benchmark::DoNotOptimize(c);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_FloorRead)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

void BM_FloorScatter(benchmark::State& state) {
  const Data& d = Records(static_cast<std::size_t>(state.range(0)), true);
  const auto k = FuelFactors();
  std::vector<double> sums(240'000);
  for (auto _ : state) {
    std::fill(sums.begin(), sums.end(), 0.0);
    for (std::size_t i = 0; i < d.quantity.size(); ++i) {
      const auto g = static_cast<std::size_t>(d.enterprise[i]) * 12 + static_cast<std::size_t>(d.month[i] - 1);
      sums[g] += d.quantity[i] * k[static_cast<std::size_t>(d.carrier[i])];
    }
    benchmark::DoNotOptimize(sums.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_FloorScatter)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

void BM_FloorRecords(benchmark::State& state) {
  const Data& d = Records(static_cast<std::size_t>(state.range(0)), true);
  const auto k = FuelFactors();
  std::vector<double> out(d.quantity.size());
  for (auto _ : state) {
    for (std::size_t i = 0; i < d.quantity.size(); ++i) {
      out[i] = d.quantity[i] * k[static_cast<std::size_t>(d.carrier[i])];
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_FloorRecords)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

BENCHMARK(BM_DocumentPath)->Unit(benchmark::kMicrosecond);

void BM_InventorySources(benchmark::State& state) {
  // An enterprise of N one-record sources (a national platform's merged document): parse + compute.
  // Linear in N is the contract (issue 19: 16 000 sources took 3.8 s and 60 000 took 43.5 s); the
  // per-source time is the item rate, which should not fall as N grows.
  const auto n = static_cast<std::size_t>(state.range(0));
  std::string doc =
      R"({"schema": "carbonmrv.enterprise/1", "enterprise": {"name": "b", "region": "CN-44", "year": 2023}, "sources": [)";
  for (std::size_t s = 0; s < n; ++s) {
    doc +=
        std::string(s ? "," : "") + R"({"id": "s)" + std::to_string(s) +
        R"(", "kind": "fuel_combustion", "carrier": "bituminous_coal", "method": "energy_ef", "activity": [{"period": "2023", "value": 1000, "unit": "t"}]})";
  }
  doc += "]}";
  for (auto _ : state) {
    auto e = cmrv::Enterprise::FromJson(doc);
    auto inv = cmrv::ComputeInventory(*e, Catalogue(), {});
    benchmark::DoNotOptimize(inv->TotalCo2e());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * static_cast<int64_t>(n)));
}
BENCHMARK(BM_InventorySources)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond)->Iterations(2);

// Issue 21's inventory target: N sources × 12 monthly records in under 2 s for N = 10⁵
// (monthly_document.hpp); parse and compute are timed apart as well, so the report can say where the
// time goes.
using cmrv_bench::MonthlyDocument;

void BM_InventoryMonthly(benchmark::State& state) {
  const std::string doc = MonthlyDocument(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto e = cmrv::Enterprise::FromJson(doc);
    auto inv = cmrv::ComputeInventory(*e, Catalogue(), {});
    benchmark::DoNotOptimize(inv->TotalCo2e());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * state.range(0) * 12));
}
BENCHMARK(BM_InventoryMonthly)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond)->Iterations(2);

void BM_InventoryMonthlyParse(benchmark::State& state) {
  const std::string doc = MonthlyDocument(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto e = cmrv::Enterprise::FromJson(doc);
    benchmark::DoNotOptimize(e->sources.size());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * state.range(0) * 12));
}
BENCHMARK(BM_InventoryMonthlyParse)->Arg(100'000)->Unit(benchmark::kMillisecond)->Iterations(2);

void BM_InventoryMonthlyCompute(benchmark::State& state) {
  const auto e = cmrv::Enterprise::FromJson(MonthlyDocument(static_cast<std::size_t>(state.range(0))));
  for (auto _ : state) {
    auto inv = cmrv::ComputeInventory(*e, Catalogue(), {});
    benchmark::DoNotOptimize(inv->TotalCo2e());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * state.range(0) * 12));
}
BENCHMARK(BM_InventoryMonthlyCompute)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond)->Iterations(2);

}  // namespace

BENCHMARK_MAIN();
