// C++ core: Callaway & Sant'Anna ATT(g,t), aggregations and the pre-test reproduce R did on mpdta
// (tests/data/did: R's att_gt(yname = "lemp", tname = "year", idname = "countyreal", gname =
// "first.treat", xformla = ~1, bstrap = FALSE) and aggte()), to 1e-6 relative or better; bad panels get
// errors naming the unit.
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "carbonmrv/policy/did.hpp"
#include "support/fixtures.hpp"

namespace {

// A small CSV reader for the R files: quoted headers, NA, numbers.
std::vector<std::vector<std::string>> Rows(const std::string& rel) {
  std::stringstream in(cmrv_test::Read(rel));
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ls(line);
    std::string cell;
    while (std::getline(ls, cell, ',')) {
      if (cell.size() >= 2 && cell.front() == '"') cell = cell.substr(1, cell.size() - 2);
      f.push_back(cell);
    }
    rows.push_back(f);
  }
  return rows;
}

cmrv::DidPanel Mpdta() {
  cmrv::DidPanel p;
  for (const auto& r : Rows("did/mpdta.csv")) {  // year, countyreal, lpop, lemp, first.treat, treat
    p.time.push_back(std::stoll(r[0]));
    p.id.push_back(std::stoll(r[1]));
    p.y.push_back(std::stod(r[3]));
    p.group.push_back(std::stoll(r[4]));
  }
  return p;
}

bool Near(double got, double want, double rel = 1e-6) {
  return std::abs(got - want) <= rel * std::max(std::abs(want), 1e-3);
}

// Scenarios without covariates: DR, IPW and OR coincide with the difference in means there.
const std::map<std::string, cmrv::AttGtOptions> kScenarios = {
    {"mpdta_nev_dr", {cmrv::ControlGroup::kNeverTreated, cmrv::BasePeriod::kVarying, 0}},
    {"mpdta_nyt_dr", {cmrv::ControlGroup::kNotYetTreated, cmrv::BasePeriod::kVarying, 0}},
    {"mpdta_nev_ipw", {cmrv::ControlGroup::kNeverTreated, cmrv::BasePeriod::kVarying, 0}},
};

}  // namespace

TEST_CASE("DiD: ATT(g,t) and analytic SEs reproduce R did on mpdta", "[did]") {
  const auto panel = Mpdta();
  REQUIRE(panel.id.size() == 2500);
  int checked = 0;
  for (const auto& [scenario, options] : kScenarios) {
    INFO(scenario);
    auto r = cmrv::AttGt(panel, options);
    REQUIRE(r.ok());
    CHECK(r->units == 500);
    for (const auto& row : Rows("did/ref_attgt.csv")) {
      if (row[0] != scenario) continue;
      const int64_t g = std::stoll(row[1]), t = std::stoll(row[2]);
      const auto cell = std::find_if(r->cells.begin(), r->cells.end(),
                                     [&](const cmrv::AttGtCell& c) { return c.group == g && c.time == t; });
      REQUIRE(cell != r->cells.end());
      INFO("g=" << g << " t=" << t);
      CHECK(Near(cell->att, std::stod(row[3])));
      CHECK(Near(cell->se, std::stod(row[4])));
      ++checked;
    }
    for (const auto& row : Rows("did/ref_pretest.csv")) {
      if (row[0] != scenario) continue;
      REQUIRE(r->wald.has_value());
      CHECK(Near(*r->wald, std::stod(row[1])));
      CHECK(r->wald_df == 5);  // pre-treatment cells: (2006: 2004, 2005), (2007: 2004, 2005, 2006)
      CHECK(std::abs(*r->wald_p - std::stod(row[2])) < 5e-6);  // R rounds the p-value to 5 decimals
    }
  }
  CHECK(checked == 36);
}

TEST_CASE("DiD: aggregations reproduce R did's aggte on mpdta", "[did]") {
  const auto panel = Mpdta();
  int checked = 0;
  for (const auto& [scenario, options] : kScenarios) {
    auto r = cmrv::AttGt(panel, options);
    REQUIRE(r.ok());
    for (const auto& row :
         Rows("did/ref_aggte.csv")) {  // scenario, type, egt, att_egt, se_egt, overall_att, overall_se
      if (row[0] != scenario) continue;
      INFO(scenario << " " << row[1] << " " << row[2]);
      auto type = cmrv::ParseAggregationType(row[1]);
      REQUIRE(type.ok());
      auto a = cmrv::Aggregate(*r, *type);
      REQUIRE(a.ok());
      CHECK(Near(a->overall_att, std::stod(row[5])));
      CHECK(Near(a->overall_se, std::stod(row[6])));
      if (row[2] != "NA") {
        const int64_t key = std::stoll(row[2]);
        const auto e = std::find_if(a->elements.begin(), a->elements.end(),
                                    [&](const cmrv::AggregateElement& x) { return x.key == key; });
        REQUIRE(e != a->elements.end());
        CHECK(Near(e->att, std::stod(row[3])));
        CHECK(Near(e->se, std::stod(row[4])));
      }
      ++checked;
    }
  }
  CHECK(checked > 40);
}

TEST_CASE("DiD: bad panels are refused with the unit named", "[did]") {
  auto panel = Mpdta();
  auto switched = panel;
  switched.group[3] = 2006;  // unit 8001's cohort is 2007 in its other rows
  CHECK(cmrv::AttGt(switched).status().message() ==
        "group: unit 8001 has first-treatment period 2007 in row 0 and 2006 in row 3; a unit's cohort is fixed "
        "(treatment cannot switch off)");
  auto unbalanced = panel;
  unbalanced.id.pop_back();
  unbalanced.time.pop_back();
  unbalanced.y.pop_back();
  unbalanced.group.pop_back();
  CHECK(std::string(cmrv::AttGt(unbalanced).status().message())
            .find("has no row for period 2007; the estimator needs "
                  "a balanced panel") != std::string::npos);
  auto nan = panel;
  nan.y[2] = std::nan("");
  CHECK(std::string(cmrv::AttGt(nan).status().message()).starts_with("y[2] (unit 8001, period 2005): not finite"));
  auto treated = panel;  // everyone treated in 2006 or 2007: no never-treated comparison
  for (auto& g : treated.group) g = g == 0 ? 2006 : g;
  CHECK(cmrv::AttGt(treated).status().message() ==
        "group: no never-treated units (group 0); use the not-yet-treated comparison");
  CHECK(cmrv::ChiSquareSurvival(3.84145882069412, 1) == Approx(0.05).epsilon(1e-9));  // R: qchisq(0.95, 1)
  CHECK(cmrv::ChiSquareSurvival(11.0704976935164, 5) == Approx(0.05).epsilon(1e-9));  // R: qchisq(0.95, 5)
}
