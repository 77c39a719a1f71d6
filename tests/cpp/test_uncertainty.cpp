// C++ core: uncertainty propagation (IPCC 2006 Vol. 1 Ch. 3 Approach 1) over an inventory's inputs.
#include <cmath>
#include <string>

#include <catch2/catch.hpp>

#include "carbonmrv/enterprise/enterprise.hpp"
#include "carbonmrv/inventory/inventory.hpp"
#include "carbonmrv/uncertainty/uncertainty.hpp"
#include "support/catalogue.hpp"

namespace {

bool Close(double a, double b, double rel = 1e-13) { return std::abs(a - b) <= rel * std::max(1.0, std::abs(b)); }

// Two boilers burn the same coal; its NCV comes from a dataset row with a 95 % range, so both
// boilers share that input.
constexpr const char* kDataset = R"(# id: plant_coal_2023
# title: test fixture: the plant's coal NCV with its 95 % range
# document: test fixture
# class: user
carrier,parameter,gas,value,unit,basis,region,year_from,year_to,source_table,source_row,lower,upper,confidence,note
bituminous_coal,ncv,,20,GJ/t,ncv,CN,2023,,fixture,1,19,22,primary,asymmetric range: -5 % / +10 %
)";

constexpr const char* kDoc = R"({
 "schema": "carbonmrv.enterprise/1",
 "enterprise": {"name": "Two boilers", "region": "CN-37", "year": 2023},
 "sources": [
  {"id": "boiler-1", "kind": "fuel_combustion", "carrier": "bituminous_coal",
   "factors": {"carbon_content": {"value": 25, "unit": "tC/TJ", "source": "fixture", "uncertainty_pct": 3},
               "oxidation": {"value": 1, "unit": "1", "source": "fixture", "uncertainty_pct": 0}},
   "activity": [{"period": "2023", "value": 300, "unit": "t", "uncertainty_pct": 2}]},
  {"id": "boiler-2", "kind": "fuel_combustion", "carrier": "bituminous_coal",
   "factors": {"carbon_content": {"value": 25, "unit": "tC/TJ", "source": "fixture", "uncertainty_pct": 3},
               "oxidation": {"value": 1, "unit": "1", "source": "fixture", "uncertainty_pct": 0}},
   "activity": [{"period": "2023", "value": 100, "unit": "t", "uncertainty_pct": 2}]}
 ]})";

}  // namespace

TEST_CASE("a dataset range becomes U, and a shared dataset row is one correlated input", "[uncertainty]") {
  cmrv::FactorCatalogue cat = cmrv_test::Catalogue();
  REQUIRE(cat.LoadDataset(kDataset, "plant.csv").ok());
  auto e = cmrv::Enterprise::FromJson(kDoc);
  REQUIRE(e.ok());
  auto inv = cmrv::ComputeInventory(*e, cat, {});
  INFO(inv.status().ToString());
  REQUIRE(inv.ok());
  const auto& l1 = inv->lines[0];
  REQUIRE(l1.terms[1].name == "NCV");
  REQUIRE(l1.terms[1].inputs.size() == 1);
  // The wider side of 19 … 22 around 20: (22 − 20)/20 = 10 %.
  CHECK(l1.terms[1].inputs[0].id == "dataset plant_coal_2023 line 6");
  CHECK(Close(*l1.terms[1].inputs[0].u_pct, 10.0));
  // E1 = 300 t × 20 GJ/t × 25 tC/TJ × 1 × 44/12 = 550 t; E2 = 183.333 t. CC is stated separately per
  // boiler (two inputs), the NCV row is shared (one input).
  const double e1 = 550.0, e2 = 550.0 / 3;
  CHECK(Close(l1.mass_t, e1));
  CHECK(Close(*cmrv::LineUncertainty(l1), std::sqrt(4.0 + 100.0 + 9.0)));  // √(2² + 10² + 3² + 0²)
  auto total = cmrv::PropagateUncertainty(*inv, cmrv::TotalsKey::kTotal);
  REQUIRE(total.ok());
  const auto& t = (*total)[0];
  const double u = std::sqrt(std::pow(e1 * 0.02, 2) + std::pow(e2 * 0.02, 2) + std::pow((e1 + e2) * 0.10, 2) +
                             std::pow(e1 * 0.03, 2) + std::pow(e2 * 0.03, 2));
  CHECK(Close(*t.half_width_t, u));
  CHECK(Close(*t.u_pct, u / (e1 + e2) * 100));
  // The NCV dominates: ((e1 + e2) × 10 %)² / u² of the variance.
  CHECK(t.contributions.front().input == "dataset plant_coal_2023 line 6");
  CHECK(Close(t.contributions.front().share_pct, std::pow((e1 + e2) * 0.10, 2) / (u * u) * 100));
  // A stated oxidation of U 0 is exact and contributes nothing; it is not listed.
  for (const auto& c : t.contributions) CHECK(c.input.find("oxidation") == std::string::npos);
  // By source: each boiler alone.
  auto by = cmrv::PropagateUncertainty(*inv, cmrv::TotalsKey::kSource);
  REQUIRE(by.ok());
  REQUIRE(by->size() == 2);
  CHECK(Close(*(*by)[0].u_pct, std::sqrt(4.0 + 100.0 + 9.0)));
  // Same inputs, same bits, whatever the call.
  CHECK(*cmrv::PropagateUncertainty(*inv, cmrv::TotalsKey::kTotal)->front().u_pct == *t.u_pct);
  // An unknown key is an error listing the valid ones, never the grand total.
  CHECK(std::string(cmrv::ParseTotalsKey("categroy").status().message()) ==
        "key \"categroy\" is not one of total, category, scope, iso_category, gas, period, source");
}

TEST_CASE("an input without uncertainty: not assessed, named, the trace round-trips", "[uncertainty]") {
  std::string doc = kDoc;
  auto pos = doc.find(R"(, "uncertainty_pct": 2})");
  doc.erase(pos, std::string(R"(, "uncertainty_pct": 2)").size());
  cmrv::FactorCatalogue cat = cmrv_test::Catalogue();
  REQUIRE(cat.LoadDataset(kDataset, "plant.csv").ok());
  auto inv = cmrv::ComputeInventory(*cmrv::Enterprise::FromJson(doc), cat, {});
  REQUIRE(inv.ok());
  auto total = cmrv::PropagateUncertainty(*inv, cmrv::TotalsKey::kTotal);
  const auto& t = (*total)[0];
  CHECK_FALSE(t.u_pct.has_value());
  CHECK_FALSE(t.half_width_t.has_value());
  CHECK(t.missing == std::vector<std::string>{"sources[0] (boiler-1).activity[2023]"});
  std::vector<std::string> missing;
  CHECK_FALSE(cmrv::LineUncertainty(inv->lines[0], &missing).has_value());
  CHECK(missing == t.missing);
  // boiler-2 alone is assessed.
  auto by = cmrv::PropagateUncertainty(*inv, cmrv::TotalsKey::kSource);
  CHECK((*by)[1].u_pct.has_value());
  // The inputs travel with the inventory document, so a reported inventory can be re-assessed.
  auto back = cmrv::Inventory::FromJson(inv->ToJson());
  REQUIRE(back.ok());
  auto again = cmrv::PropagateUncertainty(*back, cmrv::TotalsKey::kSource);
  CHECK(*(*again)[1].u_pct == *(*by)[1].u_pct);
  CHECK((*again)[0].missing == t.missing);
  // A percentage outside [0, 100] in a document is an error with its path.
  doc.replace(doc.find(R"("uncertainty_pct": 3)"), 20, R"("uncertainty_pct": 300)");
  auto bad = cmrv::Enterprise::FromJson(doc);
  REQUIRE_FALSE(bad.ok());
  CHECK(std::string(bad.status().message())
            .find("sources[0].factors.carbon_content.uncertainty_pct: expected a "
                  "percentage in [0, 100]") != std::string::npos);
}
