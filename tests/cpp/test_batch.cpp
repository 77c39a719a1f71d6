// C++ core: the batch engine against the document engine (parity), hand-worked factors, measured
// parameters, per-record region/year/kind, group keys (dense and sparse), thread-count determinism and
// the invalid-record policies.
#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "batch/engine.hpp"
#include "carbonmrv/batch/batch.hpp"
#include "carbonmrv/enterprise/enterprise.hpp"
#include "carbonmrv/memory_pool.hpp"
#include "internal/fast_div.hpp"
#include "internal/isa.hpp"
#include "internal/scratch.hpp"
#include "internal/threads.hpp"
#include "support/batch_options.hpp"
#include "support/catalogue.hpp"

namespace {

using cmrv::batch::Column;
using cmrv_test::Catalogue;

struct Data {
  std::vector<std::string> carriers = {"bituminous_coal", "natural_gas", "distillate_fuel_oil_no2", "lignite"};
  std::vector<std::string> units = {"short_ton", "scf", "gal", "t"};
  std::vector<int8_t> carrier;  // pandas categoricals with few categories have int8 codes
  std::vector<int16_t> unit;
  std::vector<double> quantity;
  std::vector<int32_t> enterprise;
  std::vector<int64_t> month;
  cmrv::batch::Input Input(bool keyed = true) const {
    cmrv::batch::Input in;
    in.size = quantity.size();
    in.carrier = {Column::Of(carrier.data()), carriers};
    in.unit = {Column::Of(unit.data()), units};
    in.quantity = Column::Of(quantity.data());
    if (keyed) in.keys = {Column::Of(enterprise.data()), Column::Of(month.data())};
    return in;
  }
};

// n records cycling through the four carriers; record i's keys are enterprise(i) and month(i) (by default
// 50 enterprises × 12 months).
Data Synthetic(
    std::size_t n,
    int32_t (*enterprise)(std::size_t) = [](std::size_t i) { return static_cast<int32_t>(100 + (i * 7) % 50); },
    int64_t (*month)(std::size_t) = [](std::size_t i) { return static_cast<int64_t>(1 + (i / 50) % 12); }) {
  Data d;
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> q(1, 1000);
  for (std::size_t i = 0; i < n; ++i) {
    const auto k = static_cast<int8_t>(i % 4);
    d.carrier.push_back(k);
    d.unit.push_back(static_cast<int16_t>(k == 3 ? 0 : k));  // lignite in short tons
    d.quantity.push_back(q(rng));
    d.enterprise.push_back(enterprise(i));
    d.month.push_back(month(i));
  }
  return d;
}

// 2^20 + 3 records (kDirectFirstRecords: a direct layout resolves every pair instead of scanning the
// codes first) with an unknown carrier in row 5 (code 4, unobtainium), a NaN quantity in row 1000 that
// hands its block back to the general loops, and lignite in t (row 1003) only in that block.
Data LargeDirectCall() {
  Data d = Synthetic((std::size_t{1} << 20) + 3);
  d.carriers.push_back("unobtainium");
  d.carrier[5] = 4;
  d.quantity[1000] = std::numeric_limits<double>::quiet_NaN();
  d.unit[1003] = 3;  // 1003 % 4 = 3: lignite
  return d;
}

using cmrv_test::Plain;
using cmrv_test::UsBatchOptions;
cmrv::batch::Options UsOptions(unsigned threads) { return UsBatchOptions(threads); }

std::string ReadFile(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

const cmrv::FactorCatalogue& WithTestDefaults() {
  static const cmrv::FactorCatalogue c = [] {
    cmrv::FactorCatalogue cat = Catalogue();
    REQUIRE(cat.LoadDataset(ReadFile(CMRV_TEST_DATA_DIR "/factors/batch_defaults.csv"), "batch_defaults.csv").ok());
    return cat;
  }();
  return c;
}

bool Near(double a, double b, double rel = 1e-13) { return std::abs(a - b) <= rel * std::abs(b); }

// Runs fn once per x86-64 level this CPU has, widest first (lib/internal/isa.hpp: the direct passes'
// loops and the key ranges are compiled per level), with the level in the test's context.
template <typename Fn>
void ForEachIsa(Fn&& fn) {
  auto& limit = cmrv::internal::IsaLimitForTesting();
  for (int level = static_cast<int>(cmrv::internal::CpuIsa()); level >= 0; --level) {
    INFO("x86-64 level " << level << " (0 baseline, 1 v3, 2 v4)");
    limit = level;
    fn();
    limit = -1;
  }
}

// The general loop's result on `d` (a per-record output forces it): CO2e sums and counts per group.
cmrv::batch::Result GeneralLoop(const Data& d, const cmrv::batch::Options& o) {
  std::vector<double> per(d.quantity.size());
  cmrv::batch::Output general;
  general.co2e_t.data = per.data();
  general.group_values = cmrv::batch::kCo2e | cmrv::batch::kRecords;
  auto g = cmrv::batch::Compute(d.Input(), Catalogue(), o, general);
  REQUIRE(g.ok());
  return *std::move(g);
}

// A fused or split call's groups and report against the general loop's: keys, the values asked for,
// error counts, first rows, valid records and records per factor, all exactly.
void CheckSameAsGeneral(const cmrv::batch::Result& f, const cmrv::batch::Result& g, unsigned values) {
  CHECK(f.groups.keys == g.groups.keys);
  if (values & cmrv::batch::kCo2e) CHECK(f.groups.co2e_t == g.groups.co2e_t);
  if (values & cmrv::batch::kRecords) CHECK(f.groups.records == g.groups.records);
  CHECK(f.report.counts == g.report.counts);
  CHECK(f.report.first_rows == g.report.first_rows);
  CHECK(f.report.valid == g.report.valid);
  REQUIRE(f.report.factors.size() == g.report.factors.size());
  for (std::size_t t = 0; t < f.report.factors.size(); ++t) {
    CHECK(f.report.factors[t].records == g.report.factors[t].records);
  }
}

}  // namespace

TEST_CASE("Batch: the same numbers as the document engine, per gas", "[batch][parity]") {
  const Data d = Synthetic(40);
  std::vector<double> co2(40), ch4(40), n2o(40), co2e(40);
  cmrv::batch::Output out;
  out.co2_t.data = co2.data();
  out.ch4_t.data = ch4.data();
  out.n2o_t.data = n2o.data();
  out.co2e_t.data = co2e.data();
  auto r = cmrv::batch::Compute(d.Input(false), Catalogue(), UsOptions(1), out);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  CHECK(r->report.valid == 40);
  CHECK(r->report.factors.size() == 4);           // one tuple per (carrier, unit), each with its trace
  CHECK(r->report.factors[0].terms.size() == 3);  // AD × HHV × EF_CO2
  // The same records as one enterprise document, one source per record.
  nlohmann::json doc = {{"schema", "carbonmrv.enterprise/1"},
                        {"enterprise", {{"name", "parity"}, {"region", "US"}, {"year", 2023}}}};
  for (std::size_t i = 0; i < d.quantity.size(); ++i) {
    doc["sources"].push_back(
        {{"id", "r" + std::to_string(i)},
         {"kind", "fuel_combustion"},
         {"carrier", d.carriers[static_cast<std::size_t>(d.carrier[i])]},
         {"method", "energy_ef"},
         {"activity",
          {{{"period", "2023"}, {"value", d.quantity[i]}, {"unit", d.units[static_cast<std::size_t>(d.unit[i])]}}}}});
  }
  auto e = cmrv::Enterprise::FromJson(doc.dump());
  REQUIRE(e.ok());
  auto inv = cmrv::ComputeInventory(*e, Catalogue(), {});
  REQUIRE(inv.ok());
  std::map<std::string, std::map<std::string, double>> mass;  // source → gas → t
  for (const auto& l : inv->lines) mass[l.source_id.str()][std::string(cmrv::GasName(l.gas))] += l.mass_t;
  auto by_source = inv->Totals(cmrv::TotalsKey::kSource);
  for (std::size_t i = 0; i < d.quantity.size(); ++i) {
    const std::string id = "r" + std::to_string(i);
    // Multiplication order differs (q × factor vs the trace product): equal to a few ulps.
    CHECK(Near(co2e[i], by_source.at(id)));
    CHECK(Near(co2[i], mass[id]["co2"]));
    CHECK(Near(ch4[i], mass[id]["ch4"]));
    CHECK(Near(n2o[i], mass[id]["n2o"]));
  }
}

TEST_CASE("Batch: a group sum beyond the largest double is refused, naming the first such group", "[batch]") {
  // 1 000 records over 50 enterprises × 12 months, every group occupied, read out in key order: group
  // (e, m) is (e − 100)·12 + m − 1. Records 4 and 604 are both enterprise 128, month 1 (4·7 = 28; 604·7 =
  // 4 228 ≡ 28 mod 50; 4 / 50 = 0 and 604 / 50 = 12 ≡ 0 mod 12): group 336. Records 8 and 608 are
  // enterprise 106, month 1: group 72. All four are coal (i ≡ 0 mod 4): 5e307 short tons × 2.34371916
  // tCO2e = 1.1719e308 t each, finite, but two of them sum past 1.797e308. The first bad group is 72.
  Data d = Synthetic(1000);
  for (std::size_t row : {std::size_t{4}, std::size_t{604}, std::size_t{8}, std::size_t{608}}) d.quantity[row] = 5e307;
  for (unsigned threads : {1u, 2u}) {
    auto r = cmrv::batch::Compute(d.Input(), Catalogue(), UsOptions(threads), cmrv::batch::Output{});
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == absl::StatusCode::kOutOfRange);
    CHECK(std::string(r.status().message()).find("the sum of group 72 exceeds") != std::string::npos);
  }
  d.quantity[608] = 1.0;  // group 72 is finite now; group 336 is still not
  auto r = cmrv::batch::Compute(d.Input(), Catalogue(), UsOptions(1), cmrv::batch::Output{});
  REQUIRE_FALSE(r.ok());
  CHECK(std::string(r.status().message()).find("the sum of group 336 exceeds") != std::string::npos);
}

TEST_CASE("Batch: hand-worked EPA factor through the engine", "[batch]") {
  // EPA hub 2021 Table 1, bituminous coal per short ton: 24.93 MMBtu × 93.28 kgCO2/MMBtu = 2.3254704 tCO2;
  // CH4 24.93 × 11 g = 0.27423 kg, N2O 24.93 × 1.6 g = 0.039888 kg; AR5: 0.27423 × 28 + 0.039888 × 265
  // = 7.67844 + 10.57032 kg → 2.34371916 tCO2e per short ton.
  std::vector<int32_t> c = {0, 0}, u = {0, 0};
  std::vector<double> q = {10.0, 5.0}, co2e(2);
  cmrv::batch::Input in;
  in.size = 2;
  in.carrier = {Column::Of(c.data()), {"bituminous_coal"}};
  in.unit = {Column::Of(u.data()), {"short_ton"}};
  in.quantity = Column::Of(q.data());
  cmrv::batch::Output out;
  out.co2e_t.data = co2e.data();
  auto r = cmrv::batch::Compute(in, Catalogue(), UsOptions(1), out);
  REQUIRE(r.ok());
  CHECK(Near(co2e[0], 23.4371916, 1e-12));
  CHECK(Near(co2e[1], 11.7185958, 1e-12));
  CHECK(Near(r->report.factors.at(0).co2, 2.3254704, 1e-12));
  CHECK(r->report.factors.at(0).records == 2);
}

TEST_CASE("Batch: groups by key columns, in key order, with counts, sparse keys give the same sums", "[batch]") {
  const Data d = Synthetic(5000);
  std::vector<double> co2e(d.quantity.size());
  cmrv::batch::Output out;
  out.co2e_t.data = co2e.data();
  auto r = cmrv::batch::Compute(d.Input(), Catalogue(), UsOptions(2), out);
  REQUIRE(r.ok());
  // Reference: the per-record values summed by (enterprise, month) in record order.
  std::map<std::pair<int64_t, int64_t>, std::pair<double, uint64_t>> ref;
  for (std::size_t i = 0; i < co2e.size(); ++i) {
    auto& cell = ref[{d.enterprise[i], d.month[i]}];
    cell.first += co2e[i];
    ++cell.second;
  }
  const auto& g = r->groups;
  REQUIRE(g.size() == ref.size());
  std::size_t x = 0;
  for (const auto& [key, cell] : ref) {  // std::map order = key order
    CHECK(g.keys[0][x] == key.first);
    CHECK(g.keys[1][x] == key.second);
    CHECK(Near(g.co2e_t[x], cell.first, 1e-12));
    CHECK(g.records[x] == cell.second);
    ++x;
  }
  // The fused aggregate path (CO2e only, no per-record output) gives the same bits, also with records
  // skipped.
  cmrv::batch::Output only;
  only.group_values = cmrv::batch::kCo2e | cmrv::batch::kRecords;
  auto fused = cmrv::batch::Compute(d.Input(), Catalogue(), UsOptions(2), only);
  REQUIRE(fused.ok());
  CHECK(fused->groups.co2e_t == g.co2e_t);
  CHECK(fused->groups.records == g.records);
  CHECK(fused->groups.keys == g.keys);
  Data bad = d;
  bad.quantity[3] = -1;
  bad.carrier[10] = 42;
  auto skip = UsOptions(1);
  skip.policy = cmrv::batch::Policy::kSkip;
  auto fused_skip = cmrv::batch::Compute(bad.Input(), Catalogue(), skip, only);
  const auto general_skip = GeneralLoop(bad, skip);
  REQUIRE(fused_skip.ok());
  CHECK(fused_skip->groups.co2e_t == general_skip.groups.co2e_t);
  CHECK(fused_skip->groups.records == general_skip.groups.records);
  CHECK(fused_skip->report.first_rows == general_skip.report.first_rows);
  CHECK(fused_skip->report.counts.at("negative") == 1);
  CHECK(fused_skip->report.counts.at("bad_code") == 1);
  // The same enterprises under 15-digit ids (a sparse key space: hashed, then sorted).
  std::vector<int64_t> big(d.enterprise.begin(), d.enterprise.end());
  for (auto& v : big) v = v * 1'000'000'007LL + 91'000'000'000'000LL;
  auto in = d.Input();
  in.keys[0] = Column::Of(big.data());
  auto s = cmrv::batch::Compute(in, Catalogue(), UsOptions(2), {});
  REQUIRE(s.ok());
  REQUIRE(s->groups.size() == g.size());
  CHECK(s->groups.co2e_t == g.co2e_t);
  CHECK(s->groups.records == g.records);
  CHECK(s->groups.keys[0][0] == 100 * 1'000'000'007LL + 91'000'000'000'000LL);
}

TEST_CASE("Batch: every group occupied, keys of any span give the groups in key order", "[batch]") {
  // Three key columns whose groups are all occupied (the dense table's digits written a column at a
  // time). Spans (3, 1, 4), (1, 5, 1), (2, 3, 1) and (1, 1, 1): a key of span 1 first, in the middle and
  // last (one month of every enterprise). The reference is a std::map of the keys in record order.
  for (const std::array<int64_t, 3> spans : {std::array<int64_t, 3>{3, 1, 4}, std::array<int64_t, 3>{1, 5, 1},
                                             std::array<int64_t, 3>{2, 3, 1}, std::array<int64_t, 3>{1, 1, 1}}) {
    INFO("spans " << spans[0] << " × " << spans[1] << " × " << spans[2]);
    const auto groups = static_cast<std::size_t>(spans[0] * spans[1] * spans[2]);
    Data d = Synthetic(7 * groups);
    std::vector<int64_t> k0, k1, k2;
    for (std::size_t i = 0; i < d.quantity.size(); ++i) {  // group (i · 7) mod G: every group (7 is prime to G)
      const auto x = static_cast<int64_t>((i * 7) % groups);
      k0.push_back(-2 + x / (spans[1] * spans[2]));
      k1.push_back(2024 + (x / spans[2]) % spans[1]);
      k2.push_back(1 + x % spans[2]);
    }
    auto in = d.Input();
    in.keys = {Column::Of(k0.data()), Column::Of(k1.data()), Column::Of(k2.data())};
    std::map<std::array<int64_t, 3>, uint64_t> ref;
    for (std::size_t i = 0; i < k0.size(); ++i) ++ref[{k0[i], k1[i], k2[i]}];
    REQUIRE(ref.size() == groups);
    cmrv::batch::Output values, codes;
    codes.group_keys = cmrv::batch::GroupKeys::kLevelsCodes;
    const auto a = cmrv::batch::Compute(in, Catalogue(), UsOptions(1), values);
    const auto b = cmrv::batch::Compute(in, Catalogue(), UsOptions(1), codes);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    REQUIRE(a->groups.size() == groups);
    REQUIRE(b->groups.codes.size() == 3);
    std::size_t x = 0;
    for (const auto& [key, count] : ref) {
      for (std::size_t k = 0; k < 3; ++k) {
        CHECK(a->groups.keys[k][x] == key[k]);
        CHECK(b->groups.levels[k].at(static_cast<std::size_t>(b->groups.codes[k][x])) == key[k]);
      }
      CHECK(a->groups.records[x] == count);
      ++x;
    }
  }
}

TEST_CASE("Batch: group keys as levels and codes give the keys' values, dense or sparse", "[batch]") {
  // GroupKeys::kLevelsCodes: per key column the distinct values of the occupied groups, ascending, and
  // each group's index into them, so that levels[k][codes[k][j]] is keys[k][j]. Dense keys with
  // enterprises 100, 107, … (a multiple of 7 away: most digits of their range have no group) and months
  // 1–12 (every digit occurs); the same with the enterprises as 15-digit ids (the sparse index).
  Data d = Synthetic(6000, [](std::size_t i) { return static_cast<int32_t>(100 + 7 * ((i * 7) % 50)); });
  std::vector<int64_t> big(d.enterprise.begin(), d.enterprise.end());
  for (auto& v : big) v = v * 1'000'000'007LL + 91'000'000'000'000LL;
  for (bool sparse : {false, true}) {
    INFO((sparse ? "sparse" : "dense"));
    auto in = d.Input();
    if (sparse) in.keys[0] = Column::Of(big.data());
    cmrv::batch::Output values, codes;
    codes.group_keys = cmrv::batch::GroupKeys::kLevelsCodes;
    auto a = cmrv::batch::Compute(in, Catalogue(), UsOptions(2), values);
    auto b = cmrv::batch::Compute(in, Catalogue(), UsOptions(2), codes);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    REQUIRE(a->groups.size() == 600);  // 50 enterprises × 12 months
    CHECK(b->groups.keys.empty());
    REQUIRE(b->groups.levels.size() == 2);
    CHECK(b->groups.levels[0].size() == 50);
    CHECK(Plain(b->groups.levels[1]) == std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    CHECK(b->groups.levels[0][1] - b->groups.levels[0][0] == (sparse ? 7 * 1'000'000'007LL : 7));
    for (std::size_t k = 0; k < 2; ++k) {
      REQUIRE(b->groups.codes[k].size() == 600);
      std::vector<int64_t> decoded;
      for (int32_t c : b->groups.codes[k]) decoded.push_back(b->groups.levels[k].at(static_cast<std::size_t>(c)));
      CHECK(decoded == Plain(a->groups.keys[k]));
    }
    CHECK(b->groups.co2e_t == a->groups.co2e_t);
    CHECK(b->groups.records == a->groups.records);
    // Sums carried across calls need the keys' values.
    cmrv::batch::GroupSums sums;
    const auto st = sums.Add(*b);
    CHECK(st.code() == absl::StatusCode::kInvalidArgument);
    CHECK(std::string(st.message()).find("levels and codes") != std::string::npos);
  }
}

TEST_CASE("Batch: three keys with every group occupied count through their digits", "[batch]") {
  // 3 × 4 × 5 = 60 groups, each with one record, in reverse key order: every group of the dense table
  // is occupied, so the keys are written row by row (the last key fastest, carries through the first
  // two) instead of divided out of each group's index. Expected: group j = (a, b, c) with
  // j = (a − 10)·20 + (b + 2)·5 + (c − 7).
  Data d = Synthetic(60);
  std::vector<int16_t> a;
  std::vector<int8_t> b;
  std::vector<uint32_t> c;
  for (std::size_t i = 0; i < 60; ++i) {
    const std::size_t j = 59 - i;
    a.push_back(static_cast<int16_t>(10 + j / 20));
    b.push_back(static_cast<int8_t>(static_cast<int>(j / 5 % 4) - 2));
    c.push_back(static_cast<uint32_t>(7 + j % 5));
  }
  auto in = d.Input();
  in.keys = {Column::Of(a.data()), Column::Of(b.data()), Column::Of(c.data())};
  cmrv::batch::Output values, codes;
  codes.group_keys = cmrv::batch::GroupKeys::kLevelsCodes;
  auto v = cmrv::batch::Compute(in, Catalogue(), UsOptions(1), values);
  auto k = cmrv::batch::Compute(in, Catalogue(), UsOptions(1), codes);
  REQUIRE(v.ok());
  REQUIRE(k.ok());
  REQUIRE(v->groups.size() == 60);
  CHECK(Plain(k->groups.levels[0]) == std::vector<int64_t>{10, 11, 12});
  CHECK(Plain(k->groups.levels[1]) == std::vector<int64_t>{-2, -1, 0, 1});
  CHECK(Plain(k->groups.levels[2]) == std::vector<int64_t>{7, 8, 9, 10, 11});
  for (std::size_t j = 0; j < 60; ++j) {
    INFO("group " << j);
    const int64_t want[3] = {static_cast<int64_t>(10 + j / 20), static_cast<int64_t>(j / 5 % 4) - 2,
                             static_cast<int64_t>(7 + j % 5)};
    for (std::size_t kk = 0; kk < 3; ++kk) {
      CHECK(v->groups.keys[kk][j] == want[kk]);
      CHECK(k->groups.levels[kk][static_cast<std::size_t>(k->groups.codes[kk][j])] == want[kk]);
    }
    CHECK(v->groups.records[j] == 1);
  }
}

TEST_CASE("Batch: a group table larger than the cache gives the general loop's sums in any key order", "[batch]") {
  // 10 000 enterprises × 12 months = 120 000 groups, 960 kB of sums: beyond the fused loop's 512 kB
  // threshold, so each block takes one pass or two depending on how near its records' groups are. The
  // fused results must equal the general loop's (a per-record output forces it) bit for bit, for
  // records in key order, in random order and half of each, with bad records skipped.
  const std::size_t n = 200'000;
  Data d = Synthetic(
      n, [](std::size_t i) { return static_cast<int32_t>((i / 12) % 10'000); },
      [](std::size_t i) { return static_cast<int64_t>(1 + i % 12); });
  std::mt19937_64 rng(7);
  d.quantity[5] = -1;
  d.carrier[70'000] = 42;
  d.quantity[150'001] = std::numeric_limits<double>::quiet_NaN();
  auto shuffle = [&](std::size_t from) {
    for (std::size_t i = n; i > from + 1; --i) {
      const std::size_t j = from + std::uniform_int_distribution<std::size_t>(0, i - 1 - from)(rng);
      std::swap(d.carrier[i - 1], d.carrier[j]);
      std::swap(d.unit[i - 1], d.unit[j]);
      std::swap(d.quantity[i - 1], d.quantity[j]);
      std::swap(d.enterprise[i - 1], d.enterprise[j]);
      std::swap(d.month[i - 1], d.month[j]);
    }
  };
  auto skip = UsOptions(1);
  skip.policy = cmrv::batch::Policy::kSkip;
  for (const char* order : {"key order", "half random", "random"}) {
    if (std::string(order) == "half random") shuffle(n / 2);
    if (std::string(order) == "random") shuffle(0);
    INFO(order);
    const auto g = GeneralLoop(d, skip);
    REQUIRE(g.groups.size() == 120'000);
    CHECK(g.report.skipped == 3);
    for (unsigned values : {cmrv::batch::kCo2e | cmrv::batch::kRecords, unsigned{cmrv::batch::kCo2e},
                            unsigned{cmrv::batch::kRecords}, 0u}) {
      INFO("group values " << values);
      cmrv::batch::Output only;
      only.group_values = values;
      auto f = cmrv::batch::Compute(d.Input(), Catalogue(), skip, only);
      REQUIRE(f.ok());
      CheckSameAsGeneral(*f, g, values);
    }
  }
}

TEST_CASE("Batch: records through the first key with the second fixed take the second key first, same sums",
          "[batch][threads]") {
  // Monthly data as it is reported: every enterprise's record for a month, then the next month's, grouped
  // by (enterprise, month). Enterprise keys are even (0, 2, …, 199 998: half the digits never occur) over 10
  // months: 199 999 × 10 groups, 16 MB of sums, so consecutive records would stride 10 sums apart through
  // the table and the main pass lays it out with the month first (kernel.cpp). 2.5 years of records: each
  // group gets 2 or 3. The sums must be those of a plain loop adding each record's CO2e into its group in
  // record order, in (enterprise, month) order, with counts, keys as values and as levels and codes, on 1
  // and 2 threads, with bad records skipped.
  const std::size_t n = 2'500'000;
  Data d = Synthetic(
      n, [](std::size_t i) { return static_cast<int32_t>(2 * (i % 100'000)); },
      [](std::size_t i) { return static_cast<int64_t>(1 + (i / 100'000) % 10); });
  d.quantity[3] = -1;
  d.carrier[654'321] = 42;
  const std::vector<std::size_t> span = {199'999, 10};
  const std::vector<int64_t> kmin = {0, 1};
  CHECK(cmrv::batch::detail::SecondKeyFirst(d.Input(), n, span, kmin));
  // Records in key order, or in random order, keep the usual layout.
  Data by_key = Synthetic(
      n, [](std::size_t i) { return static_cast<int32_t>(2 * (i / 10)); },
      [](std::size_t i) { return static_cast<int64_t>(1 + i % 10); });
  CHECK_FALSE(cmrv::batch::detail::SecondKeyFirst(by_key.Input(), n, span, kmin));
  // Grouped by (month, enterprise), those records step through the month with the enterprise fixed, but
  // 199 999 enterprise digits are too many rows to read out side by side: the usual layout stays.
  auto month_first = by_key.Input();
  std::swap(month_first.keys[0], month_first.keys[1]);
  CHECK_FALSE(cmrv::batch::detail::SecondKeyFirst(month_first, n, {10, 199'999}, {1, 0}));
  Data random = Synthetic(
      n, [](std::size_t i) { return static_cast<int32_t>(2 * ((i * 35'761) % 100'000)); },
      [](std::size_t i) { return static_cast<int64_t>(1 + (i * 7'919) % 10); });
  CHECK_FALSE(cmrv::batch::detail::SecondKeyFirst(random.Input(), n, span, kmin));

  // The expected sums: each valid record's CO2e (per-record output) added in record order, from −0.0.
  auto skip = UsOptions(1);
  skip.policy = cmrv::batch::Policy::kSkip;
  std::vector<double> per(n);
  cmrv::batch::Output per_record;
  per_record.co2e_t.data = per.data();
  REQUIRE(cmrv::batch::Compute(d.Input(false), Catalogue(), skip, per_record).ok());
  std::map<std::pair<int32_t, int64_t>, std::pair<double, uint64_t>> expected;  // in key order
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(per[i])) continue;  // rows 3 and 654 321
    auto& [sum, count] = expected.try_emplace({d.enterprise[i], d.month[i]}, -0.0, 0).first->second;
    sum += per[i] + 0.0;
    ++count;
  }
  REQUIRE(expected.size() == 100'000 * 10);      // the bad rows' groups have other years' records
  CHECK(expected.at({6, 1}).second == 2);        // rows 3, 1 000 003 and 2 000 003; row 3 is bad
  CHECK(expected.at({108'642, 7}).second == 1);  // rows 654 321 and 1 654 321; the first is bad
  for (unsigned threads : {1u, 2u}) {
    for (auto keys : {cmrv::batch::GroupKeys::kValues, cmrv::batch::GroupKeys::kLevelsCodes}) {
      for (unsigned values : {cmrv::batch::kCo2e | cmrv::batch::kRecords, unsigned{cmrv::batch::kRecords}}) {
        INFO("threads " << threads << ", levels and codes " << (keys == cmrv::batch::GroupKeys::kLevelsCodes)
                        << ", group values " << values);
        auto o = skip;
        o.threads = threads;
        cmrv::batch::Output out;
        out.group_values = values;
        out.group_keys = keys;
        auto r = cmrv::batch::Compute(d.Input(), Catalogue(), o, out);
        REQUIRE(r.ok());
        CHECK(r->report.skipped == 2);
        REQUIRE(r->groups.size() == expected.size());
        std::size_t j = 0, wrong = 0;
        for (const auto& [key, want] : expected) {
          int64_t e = 0, m = 0;
          if (keys == cmrv::batch::GroupKeys::kValues) {
            e = r->groups.keys[0][j];
            m = r->groups.keys[1][j];
          } else {
            e = r->groups.levels[0][static_cast<std::size_t>(r->groups.codes[0][j])];
            m = r->groups.levels[1][static_cast<std::size_t>(r->groups.codes[1][j])];
          }
          const bool same = e == key.first && m == key.second && r->groups.records[j] == want.second &&
                            ((values & cmrv::batch::kCo2e) == 0 ||
                             std::bit_cast<uint64_t>(r->groups.co2e_t[j]) == std::bit_cast<uint64_t>(want.first));
          wrong += !same;
          ++j;
        }
        CHECK(wrong == 0);
        if (keys == cmrv::batch::GroupKeys::kLevelsCodes) {
          CHECK(r->groups.levels[0].size() == 100'000);  // the even keys only
          CHECK(r->groups.levels[0][1] == 2);
          CHECK(r->groups.levels[1].size() == 10);
        }
      }
    }
  }
}

TEST_CASE("Batch: a table too large for a copy per thread is split by groups with one thread's bits",
          "[batch][threads]") {
  // 200 000 enterprises × 12 months = 2.4·10⁶ groups: with counts, 38 MB of sums and counts, more than
  // half of the 48 MB that two segments may take (engine.hpp), so the 1.2·10⁶ records (enough for a
  // dense index of that many groups, groups.cpp) make one segment and the threads split the groups
  // (kernel.cpp). The sums alone (19 MB) make two segments of records instead. Sums, counts, keys, the report's
  // counts, first rows and records per factor must equal the general loop's (a per-record output forces it) and one
  // thread's, for records spread over the key space (two passes per block) and in key order (one pass), with 40 bad
  // records whose groups fall in every part.
  const std::size_t n = 1'200'000;
  for (const char* order : {"spread", "key order"}) {
    INFO(order);
    const bool spread = std::string(order) == "spread";
    Data d = spread ? Synthetic(
                          n, [](std::size_t i) { return static_cast<int32_t>((i * 35'761) % 200'000); },
                          [](std::size_t i) { return static_cast<int64_t>(1 + (i / 7) % 12); })
                    : Synthetic(
                          n, [](std::size_t i) { return static_cast<int32_t>(i / 6); },
                          [](std::size_t i) { return static_cast<int64_t>(1 + i % 12); });
    for (std::size_t b = 0; b < 40; ++b) {
      const std::size_t row = 17 + b * 29'989;
      if (b % 2) {
        d.quantity[row] = -1;
      } else {
        d.carrier[row] = 42;
      }
    }
    auto skip = UsOptions(1);
    skip.policy = cmrv::batch::Policy::kSkip;
    skip.report_rows = 7;  // of 20 per kind: the first 7 of all parts, in row order
    const auto g = GeneralLoop(d, skip);
    CHECK(g.report.skipped == 40);
    std::vector<std::size_t> bad_code, negative;  // rows 17 + 29 989·b, b even / odd, the first 7 of each
    for (std::size_t b = 0; b < 14; ++b) (b % 2 ? negative : bad_code).push_back(17 + b * 29'989);
    CHECK(g.report.first_rows.at("bad_code") == bad_code);
    CHECK(g.report.first_rows.at("negative") == negative);
    // 1 172 blocks of 1 024 records, 40 of them with a bad record (rows 29 989 apart) for the general
    // loop: 1 132 direct blocks, taken by every part of a split table, also when the OS refuses the workers
    // and the parts run one after the other on the calling thread. A split part computes only the records
    // of its own groups (direct_loops.hpp), so each bad block is handed back by one part only, the one
    // that owns its bad record, and taken by the others. The sums alone (two segments) and occupancy alone
    // (a byte per group, 2.4 MB) are not split: each block is taken once, by its segment.
    for (int refused : {-1, 0}) {
      for (unsigned threads : {1u, 2u, 3u, 7u}) {
        for (unsigned values : {cmrv::batch::kCo2e | cmrv::batch::kRecords, unsigned{cmrv::batch::kCo2e}, 0u}) {
          INFO("threads " << threads << ", group values " << values << ", workers refused " << (refused == 0));
          auto o = skip;
          o.threads = threads;
          cmrv::batch::Output only;
          only.group_values = values;
          auto& taken = cmrv::batch::detail::DirectBlocksForTesting();
          taken = 0;
          cmrv::internal::WorkerBudgetForTesting() = refused;
          auto f = cmrv::batch::Compute(d.Input(), Catalogue(), o, only);
          cmrv::internal::WorkerBudgetForTesting() = -1;
          REQUIRE(f.ok());
          CheckSameAsGeneral(*f, g, values);
          const bool split = (values & cmrv::batch::kRecords) != 0;
          const uint64_t parts = split ? std::min(threads, 4u) : 1;
          CHECK(taken.load() == parts * 1172 - 40);
        }
      }
    }
  }
}

TEST_CASE("Batch: record segments from the input's length and table size alone", "[batch]") {
  using cmrv::batch::detail::Segment;
  constexpr std::size_t MiB = std::size_t{1} << 20;
  const std::size_t n = 10'000'000;            // 152 × 2^16 records: four segments unless the tables say fewer
  CHECK(Segment(n, 0).count == 4);             // no keys
  CHECK(Segment(n, 8 * MiB).count == 4);       // 32 MiB / 8 MiB
  CHECK(Segment(n, 12 * MiB).count == 2);      // ⌊32 / 12⌋
  CHECK(Segment(n, 19'200'000).count == 2);    // 2.4·10⁶ sums: one fits 32 MiB, two fit 48 MiB
  CHECK(Segment(n, 24 * MiB).count == 2);      // two tables of 24 MiB: exactly 48 MiB
  CHECK(Segment(n, 24 * MiB + 1).count == 1);  // one byte more: one table, split by groups
  CHECK(Segment(n, 38'400'000).count == 1);    // 2.4·10⁶ sums and counts
  CHECK(Segment(3 * (1 << 16) - 1, 19'200'000).count == 2);  // ⌊n / 2^16⌋ = 2
  CHECK(Segment((1 << 17) - 1, 1 * MiB).count == 1);         // fewer than 2 × 2^16 records
  const auto s = Segment(n, 19'200'000);
  CHECK(s.length == 5'000'000);
  CHECK(s.lo(1, n) == 5'000'000);
  CHECK(s.hi(1, n) == n);
}

TEST_CASE("Batch: bit-identical for any thread count", "[batch][threads]") {
  const Data d = Synthetic(300000);  // 4 segments
  auto run = [&](unsigned threads) {
    std::vector<double> co2e(d.quantity.size());
    cmrv::batch::Output out;
    out.co2e_t.data = co2e.data();
    auto r = cmrv::batch::Compute(d.Input(), Catalogue(), UsOptions(threads), out);
    REQUIRE(r.ok());
    return std::make_tuple(co2e, r->groups.co2e_t, r->groups.ch4_t, r->groups.records);
  };
  const auto one = run(1), two = run(2), seven = run(7);
  CHECK(one == two);
  CHECK(one == seven);
}

TEST_CASE("Batch: measured NCV, carbon content and oxidation per record (hand-worked)", "[batch][measured]") {
  // Test dataset batch_defaults: bituminous coal NCV 23.0 GJ/t, CC 26.0 tC/TJ, OF 0.98.
  //   default:   100 t × 23.0 × 0.026 × 0.98 × 44/12 = 214.88133… tCO2
  //   NCV 25:    100 × 25.0 × 0.026 × 0.98 × 44/12   = 233.56667… tCO2
  //   all three: 100 × 25.0 × 0.027 × 0.95 × 44/12   = 235.125 tCO2 (CC 27 tC/TJ, OF 95 %)
  //   NCV 25 000 MJ/t = 25 GJ/t (the column's unit is converted, not assumed)
  std::vector<int32_t> c(4, 0), u(4, 0);
  std::vector<double> q(4, 100.0);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> ncv = {nan, 25.0, 25.0, nan}, cc = {nan, nan, 27.0, nan}, of = {nan, nan, 95.0, nan};
  cmrv::batch::Input in;
  in.size = 4;
  in.carrier = {Column::Of(c.data()), {"bituminous_coal"}};
  in.unit = {Column::Of(u.data()), {"t"}};
  in.quantity = Column::Of(q.data());
  in.ncv = {Column::Of(ncv.data()), "GJ/t"};
  in.carbon_content = {Column::Of(cc.data()), "tC/TJ"};
  in.oxidation = {Column::Of(of.data()), "%"};
  cmrv::batch::Options o;
  o.year = 2023;
  std::vector<double> co2(4);
  cmrv::batch::Output out;
  out.co2_t.data = co2.data();
  auto r = cmrv::batch::Compute(in, WithTestDefaults(), o, out);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  CHECK(Near(co2[0], 100 * 23.0 * 0.026 * 0.98 * 44 / 12, 1e-14));
  CHECK(Near(co2[1], 100 * 25.0 * 0.026 * 0.98 * 44 / 12, 1e-14));
  CHECK(Near(co2[2], 235.125, 1e-14));
  CHECK(co2[3] == co2[0]);
  CHECK(r->report.defaults_used.at("ncv") == 2);
  CHECK(r->report.defaults_used.at("carbon_content") == 3);
  CHECK(r->report.defaults_used.at("oxidation") == 3);
  // The document engine with the same measurement gives the same number.
  nlohmann::json doc = {{"schema", "carbonmrv.enterprise/1"},
                        {"enterprise", {{"name", "m"}, {"year", 2023}}},
                        {"sources",
                         {{{"id", "b"},
                           {"kind", "fuel_combustion"},
                           {"carrier", "bituminous_coal"},
                           {"activity",
                            {{{"period", "2023"},
                              {"value", 100.0},
                              {"unit", "t"},
                              {"measured", {{"ncv", {{"value", 25000}, {"unit", "MJ/t"}, {"source", "lab"}}}}}}}}}}}};
  auto e = cmrv::Enterprise::FromJson(doc.dump());
  INFO(e.status().ToString());
  REQUIRE(e.ok());
  auto inv = cmrv::ComputeInventory(*e, WithTestDefaults(), {});
  REQUIRE(inv.ok());
  CHECK(Near(inv->TotalCo2e(), co2[1], 1e-13));
  // A unit that does not fit the term is refused for the records that carry a value (rows 1 and 2),
  // naming both units; rows without a measurement keep the default.
  in.ncv.unit = "GJ/Nm3";
  auto bad = cmrv::batch::Compute(in, WithTestDefaults(), o, out);
  REQUIRE_FALSE(bad.ok());
  CHECK(std::string(bad.status().message()).find("parameter_unit: 2 record(s), first rows 1, 2") != std::string::npos);
  CHECK(std::string(bad.status().message()).find("measured ncv in \"GJ/Nm3\" cannot replace the default (23 GJ/t)") !=
        std::string::npos);
}

TEST_CASE("Batch: purchased electricity with region and year per record", "[batch]") {
  // MEE/NBS: 河北 (CN-13) 2022 0.7252, 云南 (CN-53) 2022 0.1073, national 2023 0.5306 kgCO2/kWh.
  std::vector<uint8_t> c = {0, 0, 0}, u = {0, 0, 0}, reg = {0, 1, 2};
  std::vector<int16_t> year = {2022, 2022, 2023};
  std::vector<double> q = {1000.0, 1000.0, 1000.0}, co2(3);
  cmrv::batch::Input in;
  in.size = 3;
  in.carrier = {Column::Of(c.data()), {"electricity"}};
  in.unit = {Column::Of(u.data()), {"MWh"}};
  in.quantity = Column::Of(q.data());
  in.region = {Column::Of(reg.data()), {"CN-13", "CN-53", "CN"}};
  in.year = Column::Of(year.data());
  cmrv::batch::Options o;
  o.kind = "purchased_electricity";
  // 河北 rests on one reprint (single_source): used only when the dataset is named.
  o.inventory.factor_preference = {"mee_nbs_electricity_co2"};
  cmrv::batch::Output out;
  out.co2_t.data = co2.data();
  auto r = cmrv::batch::Compute(in, Catalogue(), o, out);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  CHECK(Near(co2[0], 725.2, 1e-14));
  CHECK(Near(co2[1], 107.3, 1e-14));
  CHECK(Near(co2[2], 530.6, 1e-14));
  CHECK(r->report.factors.size() == 3);
  // A measured NCV on electricity has nothing to replace: an error, not ignored.
  std::vector<double> ncv = {std::nan(""), 3.6, std::nan("")};
  in.ncv = {Column::Of(ncv.data()), "GJ/MWh"};
  o.policy = cmrv::batch::Policy::kSkip;
  auto s = cmrv::batch::Compute(in, Catalogue(), o, out);
  REQUIRE(s.ok());
  CHECK(s->report.counts.at("not_applicable") == 1);
  CHECK(s->report.first_rows.at("not_applicable") == std::vector<std::size_t>{1});
  CHECK(std::isnan(co2[1]));
}

TEST_CASE("Batch: invalid records are rejected or skipped and reported, never dropped silently", "[batch]") {
  Data d = Synthetic(10);
  d.quantity[2] = -1;
  d.quantity[5] = std::nan("");
  d.carrier[7] = 99;
  d.carrier[8] = -1;  // a missing categorical value
  std::vector<double> co2e(10, 0.0);
  cmrv::batch::Output out;
  out.co2e_t.data = co2e.data();
  auto rejected = cmrv::batch::Compute(d.Input(), Catalogue(), UsOptions(1), out);
  REQUIRE_FALSE(rejected.ok());
  const std::string msg(rejected.status().message());
  CHECK(msg.find("4 invalid record(s); nothing computed:") == 0);
  CHECK(msg.find("negative: 1 record(s), first rows 2") != std::string::npos);
  CHECK(msg.find("non_finite: 1 record(s), first rows 5") != std::string::npos);
  CHECK(msg.find("bad_code: 2 record(s), first rows 7, 8") != std::string::npos);
  CHECK(std::isnan(co2e[0]));  // nothing partial survives a rejected batch
  CHECK(std::isnan(co2e[9]));
  auto o = UsOptions(1);
  o.policy = cmrv::batch::Policy::kSkip;
  auto skipped = cmrv::batch::Compute(d.Input(), Catalogue(), o, out);
  REQUIRE(skipped.ok());
  CHECK(skipped->report.valid == 6);
  CHECK(skipped->report.skipped == 4);
  CHECK(std::isnan(co2e[2]));
  CHECK(co2e[0] > 0);
  std::uint64_t counted = 0;
  for (auto c : skipped->groups.records) counted += c;
  CHECK(counted == 6);  // the groups hold exactly the valid records
  // Unknown carrier and unsupported kind are tuple errors with the reason.
  d.carrier = std::vector<int8_t>(10, 0);
  d.carriers[0] = "coal?";
  auto unknown = cmrv::batch::Compute(d.Input(), Catalogue(), o, out);
  REQUIRE(unknown.ok());
  CHECK(unknown->report.counts.at("unknown_carrier") == 8);  // records 2 and 5 are invalid already
  CHECK(unknown->report.pair_errors.count("fuel_combustion|coal?|short_ton|US|2023") == 1);
  d.carriers[0] = "bituminous_coal";
  o.kind = "clinker";
  auto kind = cmrv::batch::Compute(d.Input(), Catalogue(), o, out);
  REQUIRE(kind.ok());
  CHECK(kind->report.counts.at("unsupported_kind") == 8);
}

TEST_CASE("Batch: bad arguments name the column", "[batch]") {
  Data d = Synthetic(3);
  auto in = d.Input();
  std::vector<double> f = {1, 2, 3};
  in.keys[1] = Column::Of(f.data());
  auto r = cmrv::batch::Compute(in, Catalogue(), UsOptions(1), {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() == "keys[1] has dtype float64; expected integer codes");
  in = d.Input();
  in.quantity = {};
  r = cmrv::batch::Compute(in, Catalogue(), UsOptions(1), {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() == "quantity column is required");
  in = d.Input();
  auto o = UsOptions(1);
  o.year = 0;
  r = cmrv::batch::Compute(in, Catalogue(), o, {});
  REQUIRE_FALSE(r.ok());
  CHECK(std::string(r.status().message()).find("year 0 is not a reporting year") == 0);
}

TEST_CASE("Batch: group sums carried across calls (batch.stream's engine side)", "[batch]") {
  using cmrv::batch::Factor;
  using cmrv::batch::Groups;
  using cmrv::batch::Result;
  // Chunk 1: groups (1, 1) 10 t and (2, 1) 5 t; chunk 2: (2, 1) 2.5 t and (0, 3) 1 t. Summed by key:
  // (0, 3) 1, (1, 1) 10, (2, 1) 7.5, in key order; records 1 + 2 + 4 + 3.
  // One chunk's result: its groups, and a report with `valid` records and one negative quantity.
  using cmrv::batch::ResultColumn;
  auto chunk = [](std::vector<ResultColumn<int64_t>> keys, ResultColumn<double> co2e, ResultColumn<uint64_t> records,
                  uint64_t valid, uint64_t negative_row) {
    Result r;
    r.groups.count = co2e.size();
    r.groups.keys = std::move(keys);
    r.groups.co2e_t = std::move(co2e);
    r.groups.records = std::move(records);
    r.report.valid = valid;
    r.report.skipped = 1;
    r.report.counts["negative"] = 1;
    r.report.first_rows["negative"] = {negative_row};
    return r;
  };
  // Chunk 1 has 7 records: 6 valid, row 3 a negative quantity; coal has 6 records.
  Result a = chunk({{1, 2}, {1, 1}}, {10.0, 5.0}, {2, 4}, 6, 3);
  a.report.factors.push_back(Factor{"fuel_combustion", "coal", "t", "US", 2023, 0, 0, 0, 2.0, {}, 6});
  // Chunk 2 has 5 records: 4 valid (coal 3, gas 1), its row 0 a negative quantity.
  Result b = chunk({{2, 0}, {1, 3}}, {2.5, 1.0}, {3, 1}, 4, 0);
  b.report.factors.push_back(Factor{"fuel_combustion", "coal", "t", "US", 2023, 0, 0, 0, 2.0, {}, 3});
  b.report.factors.push_back(Factor{"fuel_combustion", "gas", "scf", "US", 2023, 0, 0, 0, 5e-5, {}, 1});
  cmrv::batch::GroupSums sums(/*report_rows=*/1);
  REQUIRE(sums.Add(a).ok());
  CHECK(sums.records() == 7);
  REQUIRE(sums.Add(b).ok());
  CHECK(sums.size() == 3);
  CHECK(sums.records() == 7 + 5);
  // A chunk with other columns or values is refused, naming both, and changes nothing (its report
  // is not merged either).
  Result c = a;
  c.groups.records.clear();
  const auto refused = sums.Add(c);
  CHECK(std::string(refused.message()) ==
        "this call's groups have 2 key column(s) and values (co2e_t); the first call's had 2 and (co2e_t, records)");
  CHECK(sums.records() == 12);
  // A sum beyond the largest double is an error that leaves the sums as they were.
  Result huge;
  huge.groups = b.groups;
  huge.groups.co2e_t = {std::numeric_limits<double>::max(), 1.0};
  huge.report.valid = 4;
  REQUIRE(sums.Add(huge).ok());  // (2, 1): 7.5 + max stays finite (rounds to max)
  huge.groups.keys = {{2, 9}, {1, 9}};
  CHECK(sums.Add(huge).code() == absl::StatusCode::kOutOfRange);
  CHECK(sums.size() == 3);  // the new group (9, 9) of the refused chunk is not kept
  CHECK(sums.records() == 12 + 4);
  const Result taken = sums.Take();
  const Groups& out = taken.groups;
  REQUIRE(out.count == 3);
  CHECK(Plain(out.keys[0]) == std::vector<int64_t>{0, 1, 2});
  CHECK(Plain(out.keys[1]) == std::vector<int64_t>{3, 1, 1});
  CHECK(out.co2e_t[0] == 1.0 + 1.0);
  CHECK(out.co2e_t[1] == 10.0);
  CHECK(out.co2e_t[2] == 7.5 + std::numeric_limits<double>::max());
  CHECK(Plain(out.records) == std::vector<uint64_t>{1 + 1, 2, 4 + 3 + 3});
  // The merged report: 6 + 4 + 4 valid, 1 + 1 skipped; first rows are stream positions (chunk 2's row 0
  // is record 7), one kept as asked; coal listed once with 6 + 3 records, then gas.
  const auto& r = taken.report;
  CHECK(r.valid == 14);
  CHECK(r.skipped == 2);
  CHECK(r.counts.at("negative") == 2);
  CHECK(r.first_rows.at("negative") == std::vector<std::size_t>{3});
  REQUIRE(r.factors.size() == 2);
  CHECK(r.factors[0].carrier == "coal");
  CHECK(r.factors[0].records == 9);
  CHECK(r.factors[1].carrier == "gas");
  CHECK(r.factors[1].records == 1);
  CHECK(sums.size() == 0);
  CHECK(sums.records() == 0);
  // Reused after Take: a fresh stream, offsets from 0. With the default 10 rows both positions show.
  cmrv::batch::GroupSums wide;
  REQUIRE(wide.Add(a).ok());
  REQUIRE(wide.Add(b).ok());
  CHECK(wide.Take().report.first_rows.at("negative") == std::vector<std::size_t>{3, 7});
}

TEST_CASE("Batch: the direct per-record pass gives the general loop's outputs and report", "[batch]") {
  // int8 carrier and int16 unit codes, CO2e alone per record: the direct pass (lib/batch/direct.cpp).
  // Asking for CO2 as well takes the general loop; both must agree to the bit, report included.
  Data d = Synthetic(300'000);          // 4 segments of 75 000 records: blocks of both kinds in each
  d.carriers.push_back("unobtainium");  // code 4: a tuple that fails (unknown_carrier)
  d.carrier[5] = 4;
  d.quantity[1000] = std::numeric_limits<double>::quiet_NaN();  // non_finite
  d.quantity[200'000] = -1.0;                                   // negative
  d.carrier[5000] = -1;                                         // a missing category: bad_code
  d.unit[7] = 9;                                                // beyond the dictionary: bad_code
  auto o = UsOptions(2);
  o.policy = cmrv::batch::Policy::kSkip;
  auto run = [&](bool with_co2, unsigned threads, std::vector<double>& co2e) {
    std::vector<double> co2(with_co2 ? d.quantity.size() : 0);
    co2e.assign(d.quantity.size(), -1.0);
    cmrv::batch::Output out;
    out.co2e_t = {co2e.data()};
    if (with_co2) out.co2_t = {co2.data()};
    o.threads = threads;
    auto r = cmrv::batch::Compute(d.Input(/*keyed=*/false), Catalogue(), o, out);
    REQUIRE(r.ok());
    return r->report.ToJson();
  };
  std::vector<double> direct, general, one_thread;
  const std::string direct_report = run(false, 2, direct);
  const std::string general_report = run(true, 2, general);
  CHECK(direct_report == general_report);
  CHECK(std::memcmp(direct.data(), general.data(), direct.size() * sizeof(double)) == 0);
  ForEachIsa([&] {  // every level's loops, on one thread: the same bits and report
    CHECK(run(false, 1, one_thread) == general_report);
    CHECK(std::memcmp(direct.data(), one_thread.data(), direct.size() * sizeof(double)) == 0);
  });
  {  // the same records as an array of structs with 32-bit codes, read in place: the same bits and report
    struct Rec {
      int32_t carrier;
      int32_t unit;
      double quantity;
    };
    std::vector<Rec> recs;
    for (std::size_t i = 0; i < d.quantity.size(); ++i) recs.push_back({d.carrier[i], d.unit[i], d.quantity[i]});
    cmrv::batch::Input aos = d.Input(false);
    aos.carrier.codes = Column::Of(&recs[0].carrier, sizeof(Rec));
    aos.unit.codes = Column::Of(&recs[0].unit, sizeof(Rec));
    aos.quantity = Column::Of(&recs[0].quantity, sizeof(Rec));
    std::vector<double> out_aos(d.quantity.size(), -1.0);
    cmrv::batch::Output out;
    out.co2e_t = {out_aos.data()};
    auto& taken = cmrv::batch::detail::DirectBlocksForTesting();
    taken = 0;
    auto r = cmrv::batch::Compute(aos, Catalogue(), o, out);
    REQUIRE(r.ok());
    // 4 segments of 75 000 records: 296 blocks, of which the 3 with a bad record go to the general loop
    // (rows 5, 7 and 1 000 share the first; 5 000; 200 000).
    CHECK(taken.load() == 293);
    CHECK(r->report.ToJson() == general_report);
    CHECK(std::memcmp(out_aos.data(), general.data(), general.size() * sizeof(double)) == 0);
  }
  const auto rep = nlohmann::json::parse(direct_report);
  CHECK(rep["skipped"] == 5);
  CHECK(rep["counts"]["bad_code"] == 2);
  CHECK(rep["first_rows"]["unknown_carrier"] == nlohmann::json::array({5}));
  // 300 000 records, carriers in turn: 75 000 coal (code 0), less records 1000 (NaN), 5000 (missing
  // category) and 200 000 (negative), all ≡ 0 mod 4 → 74 997 on the coal factor.
  CHECK(rep["factors"][0]["carrier"] == "bituminous_coal");
  CHECK(rep["factors"][0]["records"] == 74'997);
  CHECK(std::isnan(direct[1000]));
  CHECK(std::isnan(direct[5]));
  // EPA hub 2021 bituminous coal per short ton, AR5: 2.34371916 tCO2e (see the C API batch test).
  CHECK(Near(direct[0], d.quantity[0] * 2.34371916, 1e-12));
  // A product beyond the largest double is refused on both paths, and nothing partial is left.
  d.quantity[123'456] = 1e308;  // 123 456 % 4 = 0: coal, 2.34 × 1e308 overflows
  auto over = [&](bool with_co2) {
    std::vector<double> co2e(d.quantity.size()), co2(d.quantity.size());
    cmrv::batch::Output out;
    out.co2e_t = {co2e.data()};
    if (with_co2) out.co2_t = {co2.data()};
    auto r = cmrv::batch::Compute(d.Input(false), Catalogue(), o, out);
    CHECK(std::isnan(co2e[0]));
    return r.status();
  };
  CHECK(over(false).code() == absl::StatusCode::kOutOfRange);
  CHECK(over(false).message() == over(true).message());
}

TEST_CASE("Batch: a large direct call lists the tuples that occur, as the general loop does", "[batch]") {
  // From 2^20 records (kDirectFirstRecords) the direct layout resolves every (carrier, unit) pair
  // instead of scanning the codes first. The report must still list only the pairs that occur: here 6
  // of the 5 × 4 = 20 pairs, one of them (lignite in t) only in a block the direct pass hands back, one
  // (unobtainium) an error.
  Data d = LargeDirectCall();
  auto o = UsOptions(2);
  o.policy = cmrv::batch::Policy::kSkip;
  auto run = [&](bool with_co2, std::vector<double>& co2e) {
    std::vector<double> co2(with_co2 ? d.quantity.size() : 0);
    co2e.assign(d.quantity.size(), -1.0);
    cmrv::batch::Output out;
    out.co2e_t = {co2e.data()};
    if (with_co2) out.co2_t = {co2.data()};  // CO2 as well: the general loop after a scan of the codes
    auto r = cmrv::batch::Compute(d.Input(/*keyed=*/false), Catalogue(), o, out);
    REQUIRE(r.ok());
    return r->report;
  };
  std::vector<double> direct, general;
  const cmrv::batch::Report a = run(false, direct), b = run(true, general);
  CHECK(a.ToJson() == b.ToJson());
  CHECK(std::memcmp(direct.data(), general.data(), direct.size() * sizeof(double)) == 0);
  REQUIRE(a.factors.size() == 5);
  CHECK(a.pair_errors.size() == 1);
  CHECK(a.pair_errors.begin()->first.find("unobtainium") != std::string::npos);
  // 2^20 + 3 records, carriers in turn: lignite (code 3) has 262 144 records, one of them (1003) in t.
  CHECK(a.factors[3].carrier == "lignite");
  CHECK(a.factors[3].unit == "short_ton");
  CHECK(a.factors[3].records == 262'143);
  CHECK(a.factors[4].unit == "t");
  CHECK(a.factors[4].records == 1);
  // Coal: 262 145 records (rows ≡ 0 mod 4 up to 2^20 + 2), less the NaN (row 1000); the unobtainium
  // record (row 5) was natural gas.
  CHECK(a.factors[0].records == 262'144);
  CHECK(Near(direct[4], d.quantity[4] * 2.34371916, 1e-12));  // EPA hub 2021 bituminous coal, AR5
}

TEST_CASE("Batch: the direct group pass gives the general loop's groups and report, keys of any width", "[batch]") {
  // Carrier and unit codes, contiguous integer keys and one value summed take the direct group pass
  // (lib/batch/direct.cpp); from 2^20 records (kDirectFirstRecords) it also skips the scan of the codes.
  // Keys here are uint16 and int8 with negative values (the digits wrap modulo 2^32 to the true offset);
  // bad records hand their blocks back to the fused loop. Groups, counts and the report (factors with
  // their records, the pairs that occur, errors and first rows) must equal the general loop's (a
  // per-record output forces it) for 1 and 2 threads.
  Data d = LargeDirectCall();
  d.quantity[700'001] = -2.0;                                                  // negative
  std::vector<uint16_t> enterprise(d.enterprise.begin(), d.enterprise.end());  // 100–149
  std::vector<int8_t> month;
  for (int64_t m : d.month) month.push_back(static_cast<int8_t>(m - 7));  // −6 … 5
  cmrv::batch::Input in = d.Input();
  in.keys = {Column::Of(enterprise.data()), Column::Of(month.data())};
  auto skip = UsOptions(1);
  skip.policy = cmrv::batch::Policy::kSkip;
  auto compute = [&](unsigned threads, unsigned values, bool per_record) {
    std::vector<double> per(per_record ? d.quantity.size() : 0);
    cmrv::batch::Output out;
    if (per_record) out.co2e_t.data = per.data();
    out.group_values = values;
    auto o = skip;
    o.threads = threads;
    auto r = cmrv::batch::Compute(in, Catalogue(), o, out);
    REQUIRE(r.ok());
    return *std::move(r);
  };
  const auto g = compute(1, cmrv::batch::kCo2e | cmrv::batch::kRecords, true);
  CHECK(g.report.skipped == 3);
  REQUIRE(g.groups.size() == 600);  // 50 enterprises × 12 months
  CHECK(g.groups.keys[0][0] == 100);
  CHECK(g.groups.keys[1][0] == -6);
  REQUIRE(g.report.factors.size() == 5);
  CHECK(g.report.factors[4].unit == "t");  // lignite in t: one record, in a block handed back
  CHECK(g.report.factors[4].records == 1);
  ForEachIsa([&] {  // the loops and the keys' ranges at every x86-64 level: the same bits and report
    for (unsigned threads : {1u, 2u}) {
      for (unsigned values : {cmrv::batch::kCo2e | cmrv::batch::kRecords, unsigned{cmrv::batch::kCo2e},
                              unsigned{cmrv::batch::kRecords}, 0u}) {
        INFO("threads " << threads << ", group values " << values);
        const auto f = compute(threads, values, false);
        CheckSameAsGeneral(f, g, values);
        CHECK(f.report.ToJson() == g.report.ToJson());
      }
    }
  });
  // The same records as an array of structs (an ERP's records through the C API), with 32-bit codes:
  // each column read in place at the struct's stride, and the same groups, bits and report.
  struct Rec {
    double quantity;
    int32_t carrier;
    uint32_t unit;
    uint16_t enterprise;
    int8_t month;
  };
  std::vector<Rec> recs;
  for (std::size_t i = 0; i < d.quantity.size(); ++i) {
    recs.push_back({d.quantity[i], d.carrier[i], static_cast<uint32_t>(d.unit[i]), enterprise[i], month[i]});
  }
  cmrv::batch::Input aos = in;
  aos.carrier.codes = Column::Of(&recs[0].carrier, sizeof(Rec));
  aos.unit.codes = Column::Of(&recs[0].unit, sizeof(Rec));
  aos.quantity = Column::Of(&recs[0].quantity, sizeof(Rec));
  aos.keys = {Column::Of(&recs[0].enterprise, sizeof(Rec)), Column::Of(&recs[0].month, sizeof(Rec))};
  ForEachIsa([&] {
    for (unsigned threads : {1u, 2u}) {
      INFO("array of structs, threads " << threads);
      cmrv::batch::Output out;
      out.group_values = cmrv::batch::kCo2e | cmrv::batch::kRecords;
      auto o = skip;
      o.threads = threads;
      auto& taken = cmrv::batch::detail::DirectBlocksForTesting();
      taken = 0;
      auto r = cmrv::batch::Compute(aos, Catalogue(), o, out);
      REQUIRE(r.ok());
      // 2^20 + 3 records in 4 segments of at most 262 145: 3 × 257 + 256 blocks, of which the 2 with a
      // bad record go to the general loop (rows 5 and 1 000 share the first; 700 001).
      CHECK(taken.load() == 1025);
      CheckSameAsGeneral(*r, g, out.group_values);
      CHECK(r->report.ToJson() == g.report.ToJson());
    }
  });
  // One group by hand: enterprise 100, month −6 (January) holds the records i with (7i) % 50 = 0 and
  // (i / 50) % 12 = 0, i.e. i ≡ 0 (mod 600): 1 748 of the 2^20 + 3, none of them bad, all bituminous
  // coal (600 ≡ 0 mod 4) at 2.34371916 tCO2e per short ton (EPA hub 2021, AR5; see the C API batch test).
  double q = 0;
  for (std::size_t i = 0; i < d.quantity.size(); i += 600) q += d.quantity[i];
  CHECK(g.groups.records[0] == 1'748);
  CHECK(Near(g.groups.co2e_t[0], q * 2.34371916, 1e-12));
}

TEST_CASE("Batch: the group keys' division by multiplication equals integer division", "[batch]") {
  // Lemire, Kaser and Kurz (2019), Theorem 1 (N = 32, F = 64): exact for every 32-bit n and d. Checked
  // here at the divisors and dividends where a rounding error would show first (powers of two and
  // their neighbours, the largest values) and on random pairs.
  std::vector<uint32_t> edge = {1, 2, 3, 5, 7, 11, 12, 13, 20'000, 240'000, 2'400'000, 0x7FFF'FFFF, 0xFFFF'FFFF};
  for (int b = 1; b < 32; ++b) {
    const uint32_t p = uint32_t{1} << b;
    edge.insert(edge.end(), {p - 1, p, p + 1});
  }
  for (uint32_t d : edge) {
    const cmrv::internal::FastDiv32 div(d);
    for (uint32_t n : edge) CHECK(div(n) == n / d);
    CHECK(div(0) == 0);
    CHECK(div(d - 1) == (d - 1) / d);
  }
  std::mt19937_64 rng(3);
  std::uniform_int_distribution<uint32_t> any(1, 0xFFFF'FFFF);
  std::size_t wrong = 0;
  for (int i = 0; i < 200'000; ++i) {
    const uint32_t d = any(rng) >> (i % 32), n = any(rng);
    if (d == 0) continue;
    wrong += cmrv::internal::FastDiv32(d)(n) != n / d;
  }
  CHECK(wrong == 0);
}

TEST_CASE("Batch: a large result column reuses the memory of one freed before it", "[batch]") {
  using cmrv::batch::ResultColumn;
  using cmrv::internal::BlockPool;
  // 2^20 + 3 doubles (8 MiB and 24 bytes): pooled. Freed, its block is held by the pool; the same size
  // again takes a block the pool held (not fresh pages), with the new column's contents.
  const std::size_t n = (std::size_t{1} << 20) + 3;
  auto held = [](const double* data) {  // the column's block (64 bytes of header before the data) is pooled
    const auto* block = reinterpret_cast<const std::byte*>(data) - 64;
    for (const auto& [b, capacity] : BlockPool::Get().Held()) {
      if (b == block) return true;
    }
    return false;
  };
  const double* first = nullptr;
  {
    ResultColumn<double> a(n, 1.5);
    first = a.data();
    CHECK(reinterpret_cast<std::uintptr_t>(first) % 64 == 0);
    CHECK(!held(first));
  }
  CHECK(held(first));
  const auto before = BlockPool::Get().Held();
  ResultColumn<double> b(n, 0.0);
  const auto* block = reinterpret_cast<const std::byte*>(b.data()) - 64;
  CHECK(std::count_if(before.begin(), before.end(), [&](const auto& x) { return x.first == block; }) == 1);
  CHECK(!held(b.data()));
  CHECK(b[n - 1] == 0.0);
  // A small column (under 256 KiB) never takes a pooled block.
  ResultColumn<double> small(1000, 2.0);
  CHECK(!held(small.data()));
  CHECK(std::none_of(before.begin(), before.end(),
                     [&](const auto& x) { return x.first == reinterpret_cast<const std::byte*>(small.data()) - 64; }));
  // A size whose header and bound would wrap is refused before any allocation (under ASan an allocation
  // that large aborts instead of failing).
  ResultColumn<double> huge;
  CHECK_THROWS_AS(huge.reserve(huge.max_size() - 1), std::bad_alloc);
}

TEST_CASE("Batch: the block pool takes the smallest fitting block within the bound and keeps its budget", "[batch]") {
  using cmrv::internal::BlockPool;
  using cmrv::internal::ReturnBlock;
  using cmrv::internal::TakeBlock;
  BlockPool pool;
  pool.budget = 10'000;
  const auto [a, ca] = TakeBlock(4'000, SIZE_MAX, pool);  // fresh: capacity rounded up to 64
  const auto [b, cb] = TakeBlock(6'000, SIZE_MAX, pool);
  CHECK(ca == 4'032);
  CHECK(cb == 6'016);
  ReturnBlock(a, ca, pool);
  ReturnBlock(b, cb, pool);
  CHECK(pool.bytes == 10'048 - 4'032);  // over the budget: the smallest block (a) was freed for b
  REQUIRE(pool.Held().size() == 1);
  CHECK(pool.Held()[0].first == b);
  // Within the bound (at most 6 100 bytes) b is taken; with a bound under its capacity it is not.
  const auto [c, cc] = TakeBlock(3'000, 6'000, pool);
  CHECK(c != b);
  CHECK(cc == 3'008);
  const auto [d, cd] = TakeBlock(3'000, 6'100, pool);
  CHECK(d == b);
  CHECK(cd == 6'016);
  CHECK(pool.bytes == 0);
  ReturnBlock(c, cc, pool);
  ReturnBlock(d, cd, pool);
  // A block larger than the whole budget goes back to the system, not into the pool.
  const auto [e, ce] = TakeBlock(20'000, SIZE_MAX, pool);
  ReturnBlock(e, ce, pool);
  CHECK(pool.bytes == 3'008 + 6'016);
  for (const auto& [block, capacity] : pool.Held()) std::free(block);
  // A block of two huge pages or more starts on one, so that advice covers all its whole 2 MiB pages; its
  // capacity is still the request rounded up to 64 (an 8 MiB arena block: four huge pages, not three).
  BlockPool big;
  const auto [f, cf] = TakeBlock((std::size_t{8} << 20) + 1, SIZE_MAX, big);
  CHECK(reinterpret_cast<std::uintptr_t>(f) % (std::size_t{2} << 20) == 0);  // NOLINT(*-reinterpret-cast)
  CHECK(cf == (std::size_t{8} << 20) + 64);
  const auto [g, cg] = TakeBlock(4'000'000, SIZE_MAX, big);  // under 2 huge pages: 64-byte alignment only
  CHECK(cg == 4'000'000);
  std::free(f);
  std::free(g);
}

TEST_CASE("Memory pool: read, emptied and bounded", "[batch]") {
  using cmrv::batch::ResultColumn;
  using cmrv::memory_pool::Release;
  using cmrv::memory_pool::SetBudget;
  using cmrv::memory_pool::Status;
  const std::size_t default_budget = Status().budget_bytes;
  CHECK(default_budget == std::size_t{256} << 20);  // BlockPool::kDefaultBudget
  Release();
  REQUIRE(Status().held_bytes == 0);
  // A freed column of 2^20 doubles (8 MiB) is held: its block is the column plus a 64-byte header.
  const std::size_t n = std::size_t{1} << 20;
  { ResultColumn<double> a(n, 1.0); }
  const std::size_t held = Status().held_bytes;
  CHECK(held == 8 * n + 64);
  CHECK(Release() == held);
  CHECK(Status().held_bytes == 0);
  CHECK(Release() == 0);
  // A budget below what is held frees it; a budget of 0 keeps nothing that is freed later.
  { ResultColumn<double> b(n, 2.0); }
  REQUIRE(Status().held_bytes == held);
  SetBudget(std::size_t{1} << 20);
  CHECK(Status().held_bytes == 0);
  CHECK(Status().budget_bytes == std::size_t{1} << 20);
  SetBudget(0);
  { ResultColumn<double> c(n, 3.0); }
  CHECK(Status().held_bytes == 0);
  SetBudget(default_budget);
  { ResultColumn<double> d(n, 4.0); }
  CHECK(Status().held_bytes == held);
  CHECK(Status().budget_bytes == default_budget);
}
