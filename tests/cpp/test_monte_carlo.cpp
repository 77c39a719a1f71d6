// C++ core: Monte Carlo uncertainty (IPCC 2006 Vol. 1 Ch. 3 Approach 2) and key category analysis
// (Vol. 1 Ch. 4 Approach 1) over an inventory's trace.
#include <array>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "carbonmrv/enterprise/enterprise.hpp"
#include "carbonmrv/inventory/inventory.hpp"
#include "carbonmrv/uncertainty/key_categories.hpp"
#include "carbonmrv/uncertainty/monte_carlo.hpp"
#include "carbonmrv/uncertainty/uncertainty.hpp"
#include "internal/isa.hpp"
#include "internal/philox.hpp"
#include "internal/sha256.hpp"
#include "support/cases.hpp"
#include "support/catalogue.hpp"

namespace {

std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

cmrv::Inventory InventoryOf(const std::string& doc) {
  auto e = cmrv::Enterprise::FromJson(doc);
  REQUIRE(e.ok());
  auto inv = cmrv::ComputeInventory(*e, cmrv_test::Catalogue(), {});
  INFO(inv.status().ToString());
  REQUIRE(inv.ok());
  return *inv;
}

// One source, one period: E = 1000 t × 20 GJ/t × 25 tC/TJ × 1 × 44/12 = 1833.33 t CO2 (no CH4/N2O: the
// stated CC method has only the CO2 line). Only the activity is uncertain unless the test says so.
std::string OneLine(const std::string& activity_u, const std::string& ncv_u = "0") {
  return R"({"schema": "carbonmrv.enterprise/1",
 "enterprise": {"name": "One line", "region": "CN-37", "year": 2023},
 "sources": [{"id": "boiler", "kind": "fuel_combustion", "carrier": "bituminous_coal",
   "factors": {"ncv": {"value": 20, "unit": "GJ/t", "source": "fixture", "uncertainty_pct": )" +
         ncv_u + R"(},
               "carbon_content": {"value": 25, "unit": "tC/TJ", "source": "fixture", "uncertainty_pct": 0},
               "oxidation": {"value": 1, "unit": "1", "source": "fixture", "uncertainty_pct": 0}},
   "activity": [{"period": "2023-01", "value": 600, "unit": "t", "uncertainty_pct": )" +
         activity_u + R"(},
                {"period": "2023-02", "value": 400, "unit": "t", "uncertainty_pct": )" +
         activity_u + R"(}]}]})";
}

constexpr double kZ = 1.959963984540054;

}  // namespace

TEST_CASE("Philox4x32-10 reproduces Random123's known-answer vectors", "[monte_carlo]") {
  using cmrv::internal::Philox4x32;
  CHECK(Philox4x32({0, 0, 0, 0}, {0, 0}) ==
        cmrv::internal::PhiloxBlock{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8});
  CHECK(Philox4x32({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff}) ==
        cmrv::internal::PhiloxBlock{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd});
  CHECK(Philox4x32({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}) ==
        cmrv::internal::PhiloxBlock{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1});
  // The column form (the draw loop's) gives the same blocks: the three vectors above, one key.
  const std::array<uint32_t, 2> key{0xa4093822, 0x299f31d0};
  const std::array<cmrv::internal::PhiloxBlock, 3> in{{{0, 0, 0, 0},
                                                       {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
                                                       {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}}};
  uint32_t c0[3], c1[3], c2[3], c3[3];
  for (std::size_t j = 0; j < 3; ++j) {
    c0[j] = in[j][0];
    c1[j] = in[j][1];
    c2[j] = in[j][2];
    c3[j] = in[j][3];
  }
  cmrv::internal::Philox4x32Columns(c0, c1, c2, c3, 3, key);
  CHECK(cmrv::internal::PhiloxBlock{c0[2], c1[2], c2[2], c3[2]} ==
        cmrv::internal::PhiloxBlock{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1});
  for (std::size_t j = 0; j < 3; ++j) {
    CHECK(cmrv::internal::PhiloxBlock{c0[j], c1[j], c2[j], c3[j]} == Philox4x32(in[j], key));
  }
}

TEST_CASE("Monte Carlo: a normal input reproduces its 95 % interval, shared draws are correlated", "[monte_carlo]") {
  const auto inv = InventoryOf(OneLine("2", "4"));
  // Two lines (600 t and 400 t): E = 1100 and 733.33 t; the activities are independent (U 2 %), the
  // stated NCV is one input of both lines (U 4 %). Approach 1: √((1100·2 %)² + (733.3·2 %)² + (1833.3·4 %)²).
  const double e1 = 600 * 20 * 25 * 1e-3 * 44 / 12, e2 = 400 * 20 * 25 * 1e-3 * 44 / 12;
  const double half = std::sqrt(std::pow(e1 * 0.02, 2) + std::pow(e2 * 0.02, 2) + std::pow((e1 + e2) * 0.04, 2));
  cmrv::MonteCarloOptions o;
  o.draws = 200000;
  o.seed = 42;
  auto mc = cmrv::MonteCarlo(inv, cmrv::TotalsKey::kTotal, o);
  INFO(mc.status().ToString());
  REQUIRE(mc.ok());
  REQUIRE(mc->groups.size() == 1);
  const auto& g = mc->groups[0];
  REQUIRE(g.stats.has_value());
  CHECK(g.co2e_t == Approx(e1 + e2).epsilon(1e-12));
  // A product of normals with U ≤ 4 %: the mean is E (to the MC error σ/√n ≈ 0.04 t), the interval
  // is ±half to within about 1 % (the quantile's own sampling error at n = 2·10⁵ is ≈ 0.6 %).
  CHECK(g.stats->mean_t == Approx(e1 + e2).epsilon(2e-4));
  CHECK(g.stats->median_t == Approx(e1 + e2).epsilon(5e-4));
  CHECK((g.stats->upper_t - g.stats->lower_t) / 2 == Approx(half).epsilon(0.015));
  CHECK(g.stats->sd_t == Approx(half / kZ).epsilon(0.01));
  // Contributions: NCV (shared, 4 % of the whole) dominates as in Approach 1: (1833.3·4 %)² / half².
  REQUIRE(g.contributions.size() == 3);
  CHECK(g.contributions[0].input == "sources[0] (boiler).factors.ncv");
  CHECK(g.contributions[0].share_pct == Approx(std::pow((e1 + e2) * 0.04, 2) / (half * half) * 100).epsilon(0.02));
  // The inputs as drawn: three, normal, their U on both sides, none negative.
  REQUIRE(mc->inputs.size() == 5);  // activity ×2, NCV, CC and OF (the last two exact: U 0)
  CHECK(mc->inputs[0].shape == cmrv::Distribution::kNormal);
  CHECK(mc->generator == "philox4x32-10");
  CHECK(mc->seed == 42);
  CHECK(mc->draws == 200000);
  // Approach 1 on the same model gives the same half-width.
  auto a1 = cmrv::PropagateUncertainty(inv, cmrv::TotalsKey::kTotal);
  CHECK(*(*a1)[0].half_width_t == Approx(half).epsilon(1e-12));
}

TEST_CASE("Monte Carlo agrees with Approach 1 on the shared fixture (small symmetric uncertainties)", "[monte_carlo]") {
  // The fixture every layer runs: coal (two months, stated NCV/CC/OF), grid electricity and steam whose
  // enthalpy difference (2800 − 83.74 kJ/kg) is a term with two inputs.
  const auto inv = InventoryOf(Slurp(CMRV_TEST_DATA_DIR "/enterprises/uncertainty.json"));
  cmrv::MonteCarloOptions o;
  o.draws = 100000;
  o.seed = 7;
  for (auto key : {cmrv::TotalsKey::kTotal, cmrv::TotalsKey::kSource}) {
    auto a1 = cmrv::PropagateUncertainty(inv, key);
    auto mc = cmrv::MonteCarlo(inv, key, o);
    REQUIRE(mc.ok());
    REQUIRE(mc->groups.size() == a1->size());
    for (std::size_t g = 0; g < a1->size(); ++g) {
      INFO((*a1)[g].group);
      CHECK(mc->groups[g].group == (*a1)[g].group);
      CHECK(mc->groups[g].co2e_t == (*a1)[g].co2e_t);
      REQUIRE(mc->groups[g].stats.has_value());
      const auto& s = *mc->groups[g].stats;
      CHECK((s.upper_t - s.lower_t) / 2 == Approx(*(*a1)[g].half_width_t).epsilon(0.02));
      CHECK(s.mean_t == Approx((*a1)[g].co2e_t).epsilon(1e-3));
    }
  }
}

TEST_CASE("Monte Carlo: each shape's 2.5 and 97.5 percentiles are the stated bounds", "[monte_carlo]") {
  // One line per month, each with its own activity: override the January activity's distribution and
  // read the percentiles of the January source... both months are one source, so key by period.
  const auto inv = InventoryOf(OneLine("0"));
  const double e1 = 600 * 20 * 25 * 1e-3 * 44 / 12;
  struct Case {
    cmrv::Distribution shape;
    double lower, upper;
  };
  for (const Case& c : {Case{cmrv::Distribution::kNormal, 30, 30}, Case{cmrv::Distribution::kLognormal, 50, 200},
                        Case{cmrv::Distribution::kTriangular, 20, 60}, Case{cmrv::Distribution::kUniform, 10, 30},
                        Case{cmrv::Distribution::kTriangular, 40, 40}}) {
    INFO(cmrv::DistributionName(c.shape) << " −" << c.lower << " % / +" << c.upper << " %");
    cmrv::MonteCarloOptions o;
    o.draws = 200000;
    o.seed = 3;
    o.inputs = {{"sources[0] (boiler).activity[2023-01]", c.shape, c.lower, c.upper}};
    auto mc = cmrv::MonteCarlo(inv, cmrv::TotalsKey::kPeriod, o);
    INFO(mc.status().ToString());
    REQUIRE(mc.ok());
    const auto& s = *mc->groups[0].stats;  // "2023-01"
    CHECK(mc->groups[0].group == "2023-01");
    CHECK(s.lower_t == Approx(e1 * (1 - c.lower / 100)).epsilon(0.01));
    CHECK(s.upper_t == Approx(e1 * (1 + c.upper / 100)).epsilon(0.01));
    CHECK(mc->inputs[0].shape == c.shape);
  }
  // The symmetric triangular in closed form: limits 1 ± U/(1 − √0.05), so U 40 % reaches ±51.52 %;
  // its 0.1 % quantile is at a + √(0.001·(b − a)·(1 − a)) (the lower branch of the inverse CDF).
  cmrv::MonteCarloOptions o;
  o.draws = 100000;
  o.inputs = {{"sources[0] (boiler).activity[2023-01]", cmrv::Distribution::kTriangular, 40.0, 40.0}};
  o.keep_draws = true;
  auto mc = cmrv::MonteCarlo(inv, cmrv::TotalsKey::kPeriod, o);
  REQUIRE(mc.ok());
  const double w = 0.40 / (1 - std::sqrt(0.05));
  auto draws = mc->groups[0].draws;
  REQUIRE(draws.size() == 100000);
  const auto [lo, hi] = std::minmax_element(draws.begin(), draws.end());
  CHECK(*lo >= e1 * (1 - w));
  CHECK(*hi <= e1 * (1 + w));
  CHECK(*lo < e1 * (1 - 0.95 * w));  // the tails reach close to the limits
}

TEST_CASE("Monte Carlo: an asymmetric dataset range is lognormal by default", "[monte_carlo]") {
  // The plant's NCV row ranges 19 … 22 GJ/t around 20: −5 % / +10 %. Approach 1 takes U = 10 %.
  cmrv::FactorCatalogue cat = cmrv_test::Catalogue();
  REQUIRE(cat.LoadDataset(R"(# id: plant_coal_2023
# title: test fixture: the plant's coal NCV with its 95 % range
# document: test fixture
# class: user
carrier,parameter,gas,value,unit,basis,region,year_from,year_to,source_table,source_row,lower,upper,confidence,note
bituminous_coal,ncv,,20,GJ/t,ncv,CN,2023,,fixture,1,19,22,primary,asymmetric range: -5 % / +10 %
)",
                          "plant.csv")
              .ok());
  std::string doc = OneLine("0");
  doc.erase(doc.find(R"("ncv": )"), doc.find(R"("carbon_content")") - doc.find(R"("ncv": )"));
  auto inv = cmrv::ComputeInventory(*cmrv::Enterprise::FromJson(doc), cat, {});
  INFO(inv.status().ToString());
  REQUIRE(inv.ok());
  const auto& in = inv->lines[0].terms[1].inputs[0];
  CHECK(*in.lower_pct == Approx(5.0).epsilon(1e-12));
  CHECK(*in.upper_pct == Approx(10.0).epsilon(1e-12));
  CHECK(*in.u_pct == Approx(10.0).epsilon(1e-12));
  cmrv::MonteCarloOptions o;
  o.draws = 200000;
  auto mc = cmrv::MonteCarlo(*inv, cmrv::TotalsKey::kTotal, o);
  REQUIRE(mc.ok());
  const double e = 1000 * 20 * 25 * 1e-3 * 44 / 12;
  const auto& s = *mc->groups[0].stats;
  CHECK(s.lower_t == Approx(e * 0.95).epsilon(0.003));
  CHECK(s.upper_t == Approx(e * 1.10).epsilon(0.003));
  // Lognormal fitted to the bounds: median exp(μ) = √(0.95 · 1.10).
  CHECK(s.median_t == Approx(e * std::sqrt(0.95 * 1.10)).epsilon(0.002));
  REQUIRE(mc->inputs.size() >= 1);
  bool found = false;
  for (const auto& i : mc->inputs) {
    if (i.id != "dataset plant_coal_2023 line 6") continue;
    found = true;
    CHECK(i.shape == cmrv::Distribution::kLognormal);
    CHECK(i.lower_pct == Approx(5.0));
  }
  CHECK(found);
  // The range travels with the inventory document.
  auto back = cmrv::Inventory::FromJson(inv->ToJson());
  REQUIRE(back.ok());
  CHECK(*back->lines[0].terms[1].inputs[0].lower_pct == *in.lower_pct);
}

TEST_CASE("Monte Carlo: bit-identical for any thread count, keyed by seed and input id", "[monte_carlo][threads]") {
  const auto inv = InventoryOf(Slurp(CMRV_TEST_DATA_DIR "/enterprises/uncertainty.json"));
  cmrv::MonteCarloOptions o;
  o.draws = 5001;  // an odd count and a partial last chunk
  o.seed = 99;
  o.keep_draws = true;
  o.threads = 1;
  auto one = cmrv::MonteCarlo(inv, cmrv::TotalsKey::kSource, o);
  o.threads = 2;
  auto two = cmrv::MonteCarlo(inv, cmrv::TotalsKey::kSource, o);
  o.threads = 7;
  auto seven = cmrv::MonteCarlo(inv, cmrv::TotalsKey::kSource, o);
  REQUIRE(one.ok());
  for (std::size_t g = 0; g < one->groups.size(); ++g) {
    CHECK(one->groups[g].draws == two->groups[g].draws);
    CHECK(one->groups[g].draws == seven->groups[g].draws);
    CHECK(one->groups[g].stats->mean_t == seven->groups[g].stats->mean_t);
    CHECK(one->groups[g].contributions.front().share_pct == seven->groups[g].contributions.front().share_pct);
  }
  o.seed = 100;
  auto other = cmrv::MonteCarlo(inv, cmrv::TotalsKey::kSource, o);
  CHECK(other->groups[0].draws != one->groups[0].draws);
  // An input's draws depend on its id, not on the other inputs: the grid alone (key "source") draws
  // the same whether or not the coal's inputs are drawn too.
  o.seed = 99;
  for (const char* id :
       {"sources[0] (coal).activity[2023-01]", "sources[0] (coal).activity[2023-02]", "sources[0] (coal).factors.ncv",
        "sources[0] (coal).factors.carbon_content", "sources[0] (coal).factors.oxidation"}) {
    o.inputs.push_back({id, cmrv::Distribution::kNormal, 0.0, 0.0});
  }
  auto fixed = cmrv::MonteCarlo(inv, cmrv::TotalsKey::kSource, o);
  INFO(fixed.status().ToString());
  REQUIRE(fixed.ok());
  CHECK(fixed->groups[1].group == "grid");
  CHECK(fixed->groups[1].draws == one->groups[1].draws);
  // The coal is now exact: every draw is its value.
  CHECK(fixed->groups[0].stats->sd_t == 0);
}

TEST_CASE("Monte Carlo: every x86-64 level this CPU runs gives the same bits, and the draws are pinned",
          "[monte_carlo]") {
  // The draw kernel is compiled for x86-64-v4, v3 and the baseline (lib/internal/isa.hpp). Each
  // level must give the draws bit for bit: an FMA contraction or a reordered sum in one of them
  // changes the last bits. Every shape and both kinds of term (a plain value; the steam's
  // enthalpies with sensitivities other than 1) are drawn.
  const auto inv = InventoryOf(Slurp(CMRV_TEST_DATA_DIR "/enterprises/uncertainty.json"));
  cmrv::MonteCarloOptions o;
  o.draws = 3001;  // a partial last block and an odd last pair
  o.seed = 20261204;
  o.keep_draws = true;
  o.inputs = {{"sources[0] (coal).activity[2023-01]", cmrv::Distribution::kTriangular, 20.0, 60.0},
              {"sources[0] (coal).activity[2023-02]", cmrv::Distribution::kUniform, 10.0, 30.0},
              {"sources[0] (coal).factors.ncv", cmrv::Distribution::kLognormal, 5.0, 20.0}};
  auto bits = [](const cmrv::MonteCarloResult& r) {
    std::string b;
    for (const auto& g : r.groups) {
      b.append(reinterpret_cast<const char*>(g.draws.data()), g.draws.size() * sizeof(double));
    }
    return b;
  };
  auto& limit = cmrv::internal::IsaLimitForTesting();
  std::string first;
  for (int level = static_cast<int>(cmrv::internal::CpuIsa()); level >= 0; --level) {
    INFO("x86-64 level " << level << " (0 baseline, 1 v3, 2 v4)");
    limit = level;
    auto mc = cmrv::MonteCarlo(inv, cmrv::TotalsKey::kSource, o);
    limit = -1;
    REQUIRE(mc.ok());
    const std::string b = bits(*mc);
    REQUIRE(b.size() == 3 * 3001 * sizeof(double));
    if (first.empty()) {
      first = b;
    } else {
      CHECK(b == first);
    }
  }
  // The draws of this scheme (philox4x32-10, the polar method, this seed and these ids) are fixed
  // across releases: a user's recorded seed must give the same result. SHA-256 of the draws' bytes
  // (little-endian doubles, group by group) as computed by 0.2.0; a change that alters any bit of any
  // draw fails here and needs a new, versioned generator name.
  CHECK(cmrv::internal::Sha256Hex(first) == "8bb26217f8948566c359e91db78189d2da182ac9526aa5eae57549e80a56ccc1");
}

TEST_CASE("Monte Carlo: bad options and unassessed groups are named", "[monte_carlo]") {
  const auto inv = InventoryOf(OneLine("2"));
  cmrv::MonteCarloOptions o;
  o.draws = 1;
  CHECK(std::string(cmrv::MonteCarlo(inv, cmrv::TotalsKey::kTotal, o).status().message()) ==
        "draws: 1 is outside 2 – 1000000000");
  o.draws = 100;
  o.inputs = {{"nope", cmrv::Distribution::kNormal, std::nullopt, std::nullopt}};
  CHECK(std::string(cmrv::MonteCarlo(inv, cmrv::TotalsKey::kTotal, o).status().message()) ==
        "inputs[0].input: no counted line of this inventory uses \"nope\"");
  o.inputs = {{"sources[0] (boiler).activity[2023-01]", cmrv::Distribution::kNormal, 5.0, 10.0}};
  CHECK(std::string(cmrv::MonteCarlo(inv, cmrv::TotalsKey::kTotal, o).status().message())
            .find("input \"sources[0] (boiler).activity[2023-01]\": a normal distribution needs a symmetric "
                  "interval") == 0);
  o.inputs = {{"sources[0] (boiler).activity[2023-01]", cmrv::Distribution::kLognormal, 100.0, 100.0}};
  CHECK(std::string(cmrv::MonteCarlo(inv, cmrv::TotalsKey::kTotal, o).status().message())
            .find("a lognormal distribution needs the lower bound above 0") != std::string::npos);
  o.inputs = {{"sources[0] (boiler).activity[2023-01]", cmrv::Distribution::kUniform, 5.0, std::nullopt}};
  CHECK(std::string(cmrv::MonteCarlo(inv, cmrv::TotalsKey::kTotal, o).status().message()) ==
        "inputs[0]: give both lower_pct and upper_pct, or neither");
  o.inputs = {};
  o.asymmetric = cmrv::Distribution::kNormal;
  CHECK_FALSE(cmrv::MonteCarlo(inv, cmrv::TotalsKey::kTotal, o).ok());
  CHECK(cmrv::ParseDistribution("gamma").status().message() ==
        "unknown distribution \"gamma\"; expected normal, lognormal, triangular or uniform");
  // An input without an uncertainty: the group is not assessed, the input is named, nothing partial.
  std::string doc = OneLine("2");
  doc.erase(doc.find(R"(, "uncertainty_pct": 2})"), std::string(R"(, "uncertainty_pct": 2)").size());
  auto partial = cmrv::MonteCarlo(InventoryOf(doc), cmrv::TotalsKey::kTotal, cmrv::MonteCarloOptions{});
  REQUIRE(partial.ok());
  CHECK_FALSE(partial->groups[0].stats.has_value());
  CHECK(partial->groups[0].missing == std::vector<std::string>{"sources[0] (boiler).activity[2023-01]"});
  // A normal input with U 60 % goes below zero in about Φ(−1.96/0.6) = 0.05 % of draws: counted.
  cmrv::MonteCarloOptions wide;
  wide.draws = 100000;
  wide.inputs = {{"sources[0] (boiler).activity[2023-01]", cmrv::Distribution::kNormal, 60.0, 60.0}};
  auto neg = cmrv::MonteCarlo(inv, cmrv::TotalsKey::kTotal, wide);
  REQUIRE(neg.ok());
  CHECK(neg->inputs[0].negative_draws > 20);
  CHECK(neg->inputs[0].negative_draws < 110);
}

TEST_CASE("key categories: level and trend assessments by hand (IPCC 2006 Vol. 1 Eq. 4.1, 4.2)", "[monte_carlo]") {
  // Level: the fixture by source. coal 1000 t × 20 GJ/t × 25 tC/TJ × 0.95 × 44/12 = 1741.67 t, grid
  // 1000 MWh × 0.5 = 500 t, steam 1000 t × (2800 − 83.74) kJ/kg × 0.11 tCO2/GJ = 298.79 t.
  const auto inv = InventoryOf(Slurp(CMRV_TEST_DATA_DIR "/enterprises/uncertainty.json"));
  const double coal = 1000 * 20 * 25 * 1e-3 * 0.95 * 44 / 12, grid = 500, steam = 2716.26 * 0.11;
  const auto totals = inv.Totals(cmrv::TotalsKey::kSource);
  REQUIRE(totals.size() == 3);
  CHECK(totals.at("coal") == Approx(coal).epsilon(1e-12));
  CHECK(totals.at("steam") == Approx(steam).epsilon(1e-12));
  const double sum = coal + grid + steam;
  auto level = cmrv::LevelAssessment(inv, cmrv::TotalsKey::kSource);
  REQUIRE(level.ok());
  const auto& c = level->categories;
  REQUIRE(c.size() == 3);
  CHECK(c[0].group == "coal");
  CHECK(c[0].share_pct == Approx(coal / sum * 100).epsilon(1e-12));  // 68.56 %
  CHECK(c[1].group == "grid");
  CHECK(c[1].cumulative_pct == Approx((coal + grid) / sum * 100).epsilon(1e-12));  // 88.24 % < 95 %
  CHECK(c[2].group == "steam");
  // The steam takes the sum past 95 %: all three are key; at 85 % only coal and grid are.
  CHECK((c[0].key && c[1].key && c[2].key));
  auto at85 = cmrv::LevelAssessment(inv, cmrv::TotalsKey::kSource, 85);
  CHECK((at85->categories[0].key && at85->categories[1].key && !at85->categories[2].key));
  // Trend: the base year (uncertainty_base.json) had no steam and half the grid. ΣE0 = coal + 250,
  // ΣEt = sum, g = (sum − ΣE0)/ΣE0.
  const auto base = InventoryOf(cmrv_test::ReadData("enterprises/uncertainty_base.json"));
  const double b0 = coal + 250, g = (sum - b0) / b0;
  const double t_coal = std::abs(0 - coal * g) / b0, t_grid = std::abs(250 - 250 * g) / b0, t_steam = steam / b0;
  auto trend = cmrv::TrendAssessment(base, inv, cmrv::TotalsKey::kSource);
  REQUIRE(trend.ok());
  const auto& t = trend->categories;
  REQUIRE(t.size() == 3);
  const double tsum = t_coal + t_grid + t_steam;
  // T: steam (new) 0.1499, coal 0.2138·… — sorted largest first.
  for (const auto& k : t) {
    const double want = k.group == "coal" ? t_coal : k.group == "grid" ? t_grid : t_steam;
    INFO(k.group);
    CHECK(k.assessment == Approx(want).epsilon(1e-12));
    CHECK(k.share_pct == Approx(want / tsum * 100).epsilon(1e-12));
  }
  CHECK(t[0].assessment >= t[1].assessment);
  CHECK(t[1].assessment >= t[2].assessment);
  CHECK(t[2].cumulative_pct == Approx(100).epsilon(1e-12));
  CHECK(cmrv::LevelAssessment(inv, cmrv::TotalsKey::kSource, 0).status().message() ==
        "threshold_pct: 0 is outside (0, 100]");
}

TEST_CASE("Monte Carlo and key category fixtures (shared with the C API and Python)", "[monte_carlo][parity]") {
  const auto cases = nlohmann::json::parse(cmrv_test::ReadData("monte_carlo_cases.json"));
  auto options_of = [](const nlohmann::json& k) {
    cmrv::MonteCarloOptions o;
    for (const auto& [key, value] : k["options"].items()) {
      auto st = cmrv::SetMonteCarloOption(o, key, value.get<std::string>());
      if (!st.ok()) return absl::StatusOr<cmrv::MonteCarloOptions>(st);
    }
    return absl::StatusOr<cmrv::MonteCarloOptions>(o);
  };
  for (const auto& k : cmrv_test::Counted(cases, "monte_carlo_cases.json", "agreement")) {
    const auto inv = InventoryOf(cmrv_test::ReadData(k["document"]));
    const auto key = *cmrv::ParseTotalsKey(k["key"].get<std::string>());
    auto o = options_of(k);
    REQUIRE(o.ok());
    auto mc = cmrv::MonteCarlo(inv, key, *o);
    REQUIRE(mc.ok());
    auto a1 = cmrv::PropagateUncertainty(inv, key);
    REQUIRE(mc->groups.size() == a1->size());
    for (std::size_t g = 0; g < a1->size(); ++g) {
      const auto& s = *mc->groups[g].stats;
      CHECK((s.upper_t - s.lower_t) / 2 ==
            Approx(*(*a1)[g].half_width_t).epsilon(k["half_width_rel_tol"].get<double>()));
    }
  }
  for (const auto& k : cmrv_test::Counted(cases, "monte_carlo_cases.json", "key_categories")) {
    const auto inv = InventoryOf(cmrv_test::ReadData(k["document"]));
    const auto key = *cmrv::ParseTotalsKey(k["key"].get<std::string>());
    const double threshold = k["threshold_pct"].get<double>();
    auto a = k.contains("base")
                 ? cmrv::TrendAssessment(InventoryOf(cmrv_test::ReadData(k["base"])), inv, key, threshold)
                 : cmrv::LevelAssessment(inv, key, threshold);
    REQUIRE(a.ok());
    REQUIRE(a->categories.size() == k["expected"].size());
    for (std::size_t i = 0; i < a->categories.size(); ++i) {
      const auto& want = k["expected"][i];
      CHECK(a->categories[i].group == want["group"].get<std::string>());
      CHECK(a->categories[i].share_pct == Approx(want["share_pct"].get<double>()).epsilon(1e-12));
      CHECK(a->categories[i].key == want["key"].get<bool>());
    }
  }
  for (const auto& k : cmrv_test::Counted(cases, "monte_carlo_cases.json", "errors")) {
    const auto inv = InventoryOf(cmrv_test::ReadData(k["document"]));
    auto o = options_of(k);
    const auto st = o.ok() ? cmrv::MonteCarlo(inv, cmrv::TotalsKey::kTotal, *o).status() : o.status();
    CHECK(std::string(st.message()) == k["message"].get<std::string>());
  }
}
