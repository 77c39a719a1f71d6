// C++ core: the batch engine against the document engine (parity), thread-count determinism, policies.
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "carbonmrv/batch.hpp"
#include "carbonmrv/enterprise.hpp"
#include "support/catalogue.hpp"

namespace {

using cmrv_test::Catalogue;

struct Data {
  std::vector<std::string> carriers = {"bituminous_coal", "natural_gas", "distillate_fuel_oil_no2", "lignite"};
  std::vector<std::string> units = {"short_ton", "scf", "gal", "t"};
  std::vector<int32_t> carrier, unit, group;
  std::vector<double> quantity;
  cmrv::batch::Input Input() const {
    cmrv::batch::Input in;
    in.size = quantity.size();
    in.carrier = {carrier.data()};
    in.unit = {unit.data()};
    in.quantity = {quantity.data()};
    in.group = {group.data()};
    in.group_count = 50;
    in.carriers = carriers;
    in.units = units;
    return in;
  }
};

Data Synthetic(std::size_t n) {
  Data d;
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> q(1, 1000);
  for (std::size_t i = 0; i < n; ++i) {
    const auto k = static_cast<int32_t>(i % 4);
    d.carrier.push_back(k);
    d.unit.push_back(k == 3 ? 0 : k);  // lignite in short tons
    d.quantity.push_back(q(rng));
    d.group.push_back(static_cast<int32_t>(i % 50));
  }
  return d;
}

cmrv::batch::Options UsOptions(unsigned threads) {
  cmrv::batch::Options o;
  o.region = "US";
  o.year = 2023;
  o.method = "energy_ef";
  o.threads = threads;
  return o;
}

}  // namespace

TEST_CASE("Batch: the same numbers as the document engine", "[batch][parity]") {
  const Data d = Synthetic(40);
  std::vector<double> co2e(d.quantity.size());
  cmrv::batch::Output out;
  out.co2e_t = co2e.data();
  auto r = cmrv::batch::Compute(d.Input(), Catalogue(), UsOptions(1), out);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  CHECK(r->valid == 40);
  // The same records as one enterprise document, one source per record.
  nlohmann::json doc = {{"schema", "carbonmrv.enterprise/1"}, {"enterprise", {{"name", "parity"}, {"region", "US"}, {"year", 2023}}}};
  for (std::size_t i = 0; i < d.quantity.size(); ++i) {
    doc["sources"].push_back({{"id", "r" + std::to_string(i)},
                              {"kind", "fuel_combustion"},
                              {"carrier", d.carriers[static_cast<std::size_t>(d.carrier[i])]},
                              {"method", "energy_ef"},
                              {"activity", {{{"period", "2023"}, {"value", d.quantity[i]},
                                             {"unit", d.units[static_cast<std::size_t>(d.unit[i])]}}}}});
  }
  auto e = cmrv::Enterprise::FromJson(doc.dump());
  REQUIRE(e.ok());
  auto inv = cmrv::ComputeInventory(*e, Catalogue(), {});
  REQUIRE(inv.ok());
  auto by_source = inv->Totals("source");
  for (std::size_t i = 0; i < d.quantity.size(); ++i) {
    const double doc_value = by_source.at("r" + std::to_string(i));
    // Multiplication order differs (q × factor vs the trace product): equal to a few ulps.
    CHECK(std::abs(co2e[i] - doc_value) <= 1e-13 * doc_value);
  }
}

TEST_CASE("Batch: bit-identical for any thread count", "[batch]") {
  const Data d = Synthetic(300000);
  auto run = [&](unsigned threads) {
    std::vector<double> co2e(d.quantity.size()), sums(50);
    cmrv::batch::Output out;
    out.co2e_t = co2e.data();
    out.group_co2e_t = sums.data();
    REQUIRE(cmrv::batch::Compute(d.Input(), Catalogue(), UsOptions(threads), out).ok());
    return std::make_pair(co2e, sums);
  };
  const auto one = run(1), two = run(2), seven = run(7);
  CHECK(one == two);
  CHECK(one == seven);
}

TEST_CASE("Batch: invalid records are rejected or skipped and reported, never dropped silently", "[batch]") {
  Data d = Synthetic(10);
  d.quantity[2] = -1;
  d.quantity[5] = std::nan("");
  d.carrier[7] = 99;
  std::vector<double> co2e(10, 0.0), sums(50);
  cmrv::batch::Output out;
  out.co2e_t = co2e.data();
  out.group_co2e_t = sums.data();
  auto rejected = cmrv::batch::Compute(d.Input(), Catalogue(), UsOptions(1), out);
  REQUIRE_FALSE(rejected.ok());
  const std::string msg(rejected.status().message());
  CHECK(msg.find("3 invalid record(s); nothing computed:") == 0);
  CHECK(msg.find("negative: 1 record(s), first rows 2") != std::string::npos);
  CHECK(msg.find("non_finite: 1 record(s), first rows 5") != std::string::npos);
  CHECK(msg.find("bad_code: 1 record(s), first rows 7") != std::string::npos);
  CHECK(co2e[0] == 0.0);  // nothing written
  auto o = UsOptions(1);
  o.policy = cmrv::batch::Policy::kSkip;
  auto skipped = cmrv::batch::Compute(d.Input(), Catalogue(), o, out);
  REQUIRE(skipped.ok());
  CHECK(skipped->valid == 7);
  CHECK(skipped->skipped == 3);
  CHECK(std::isnan(co2e[2]));
  CHECK(co2e[0] > 0);
  CHECK(sums[2] == 0.0);  // group 2 holds only record 2, which was skipped
}
