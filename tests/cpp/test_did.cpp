// C++ core: Callaway & Sant'Anna ATT(g,t), aggregations and the pre-test reproduce R did on mpdta
// (tests/data/did: R's att_gt(yname = "lemp", tname = "year", idname = "countyreal", gname =
// "first.treat", xformla = ~1, bstrap = FALSE) and aggte()), to 1e-6 relative or better; bad panels get
// errors naming the unit.
#include <algorithm>
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

cmrv::DidPanel Mpdta(bool with_lpop = false) {
  cmrv::DidPanel p;
  if (with_lpop) {
    p.covariate_names = {"lpop"};
    p.covariates.resize(1);
  }
  for (const auto& r : Rows("did/mpdta.csv")) {  // year, countyreal, lpop, lemp, first.treat, treat
    p.time.push_back(std::stoll(r[0]));
    p.id.push_back(std::stoll(r[1]));
    p.y.push_back(std::stod(r[3]));
    p.group.push_back(std::stoll(r[4]));
    if (with_lpop) p.covariates[0].push_back(std::stod(r[2]));
  }
  return p;
}

// R did's simulated panel (build_sim_dataset): 3 979 units, periods 1-4, cohorts 2, 3, 4 and 0.
cmrv::DidPanel Sim(bool with_cluster = false) {
  cmrv::DidPanel p;
  p.covariate_names = {"X"};
  p.covariates.resize(1);
  for (const auto& r : Rows("did/sim_data.csv")) {  // G, X, id, cluster, period, Y, treat
    p.group.push_back(std::stoll(r[0]));
    p.covariates[0].push_back(std::stod(r[1]));
    p.id.push_back(std::stoll(r[2]));
    if (with_cluster) p.cluster.push_back(std::stoll(r[3]));
    p.time.push_back(std::stoll(r[4]));
    p.y.push_back(std::stod(r[5]));
  }
  return p;
}

bool Near(double got, double want, double rel = 1e-6) {
  return std::abs(got - want) <= rel * std::max(std::abs(want), 1e-3);
}

// The oracle's scenarios (tests/data/did/README.md). Without covariates DR, IPW and OR coincide with the
// difference in means; mpdta_nev_reg_cov is OR with xformla = ~lpop, sim_nev_dr DR with xformla = ~X.
struct Scenario {
  cmrv::DidPanel panel;
  cmrv::AttGtOptions options;
  int pre_cells;  // the Wald test's degrees of freedom
};
using cmrv::BasePeriod;
using cmrv::ControlGroup;
using cmrv::DidEstimator;
std::map<std::string, Scenario> Scenarios() {
  return {
      {"mpdta_nev_dr",
       {Mpdta(), {ControlGroup::kNeverTreated, BasePeriod::kVarying, 0, DidEstimator::kDoublyRobust}, 5}},
      {"mpdta_nyt_dr",
       {Mpdta(), {ControlGroup::kNotYetTreated, BasePeriod::kVarying, 0, DidEstimator::kDoublyRobust}, 5}},
      {"mpdta_nev_ipw", {Mpdta(), {ControlGroup::kNeverTreated, BasePeriod::kVarying, 0, DidEstimator::kIpw}, 5}},
      {"mpdta_nev_reg_cov",
       {Mpdta(true), {ControlGroup::kNeverTreated, BasePeriod::kVarying, 0, DidEstimator::kRegression}, 5}},
      // pre-treatment cells of sim: (3: 2), (4: 2, 3)
      {"sim_nev_dr", {Sim(), {ControlGroup::kNeverTreated, BasePeriod::kVarying, 0, DidEstimator::kDoublyRobust}, 3}},
  };
}

}  // namespace

TEST_CASE("DiD: ATT(g,t) and analytic SEs reproduce R did on mpdta and its simulated panel", "[did]") {
  int checked = 0;
  for (const auto& [scenario, sc] : Scenarios()) {
    INFO(scenario);
    auto r = cmrv::AttGt(sc.panel, sc.options);
    REQUIRE(r.ok());
    CHECK(r->units == (scenario == "sim_nev_dr" ? 3979 : 500));
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
      CHECK(r->wald_df == sc.pre_cells);                       // mpdta: (2006: 2004, 2005), (2007: 2004, 2005, 2006)
      CHECK(std::abs(*r->wald_p - std::stod(row[2])) < 5e-6);  // R rounds the p-value to 5 decimals
    }
  }
  CHECK(checked == 57);  // 4 × 12 mpdta cells + 9 sim cells
}

TEST_CASE("DiD: aggregations reproduce R did's aggte", "[did]") {
  int checked = 0;
  for (const auto& [scenario, sc] : Scenarios()) {
    auto r = cmrv::AttGt(sc.panel, sc.options);
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
  CHECK(checked == 72);  // 4 × 15 mpdta rows + 12 sim rows of ref_aggte.csv
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
  CHECK(std::string(cmrv::AttGt(nan).status().message())
            .starts_with("panel: unit 8001 has a missing outcome (NaN) in period 2005; the estimator needs a balanced "
                         "panel"));
  auto inf = panel;
  inf.y[2] = INFINITY;
  CHECK(std::string(cmrv::AttGt(inf).status().message()).starts_with("y[2] (unit 8001, period 2005): not finite"));
  auto constant = Mpdta(true);
  for (auto& v : constant.covariates[0]) v = 5.0;
  CHECK(cmrv::AttGt(constant).status().message() ==
        "covariate lpop: constant (5) in every row; it is collinear with the intercept");
  auto clustered = Sim(true);
  clustered.cluster[1] = clustered.cluster[0] + 1;  // unit 1 moves cluster between its rows
  CHECK(std::string(cmrv::AttGt(clustered).status().message())
            .starts_with("cluster: unit 1 is in cluster 5 in row 0 and 6 in row 1"));
  CHECK(cmrv::ParseDidEstimator("ols").status().message() == "est_method \"ols\" is not one of dr, ipw, reg");
  auto treated = panel;  // everyone treated in 2006 or 2007: no never-treated comparison
  for (auto& g : treated.group) g = g == 0 ? 2006 : g;
  CHECK(cmrv::AttGt(treated).status().message() ==
        "group: no never-treated units (group 0); use the not-yet-treated comparison");
  CHECK(cmrv::ChiSquareSurvival(3.84145882069412, 1) == Approx(0.05).epsilon(1e-9));  // R: qchisq(0.95, 1)
  CHECK(cmrv::ChiSquareSurvival(11.0704976935164, 5) == Approx(0.05).epsilon(1e-9));  // R: qchisq(0.95, 5)
}

TEST_CASE("DiD: units missing a period are dropped when asked, as R did's balancing does", "[did]") {
  auto panel = Mpdta();
  // Unit 8001 (rows 0-4) loses its 2006 outcome; the result must equal the panel without that unit.
  auto holed = panel;
  holed.y[3] = std::nan("");
  auto without = panel;
  for (auto* col : {&without.id, &without.time, &without.group}) col->erase(col->begin(), col->begin() + 5);
  without.y.erase(without.y.begin(), without.y.begin() + 5);
  cmrv::AttGtOptions o;
  o.drop_incomplete_units = true;
  auto a = cmrv::AttGt(holed, o);
  auto b = cmrv::AttGt(without, o);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->units == 499);
  REQUIRE(a->notes.size() == 1);
  CHECK(a->notes[0] == "1 of 500 units are not observed (with an outcome) in every period: left out");
  REQUIRE(a->cells.size() == b->cells.size());
  for (std::size_t k = 0; k < a->cells.size(); ++k) {
    CHECK(a->cells[k].att == b->cells[k].att);
    CHECK(a->cells[k].se == b->cells[k].se);
  }
}

TEST_CASE("DiD: clustered analytic SEs sum the influence function within clusters", "[did]") {
  // sim_data.csv's `cluster` column (50 clusters). SE_c = √(Σ_c (Σ_{i∈c} ψ_i)²) / N, computed here from the
  // unclustered result's influence functions and the file's cluster labels.
  auto plain = cmrv::AttGt(Sim());
  auto clustered = cmrv::AttGt(Sim(true));
  REQUIRE(plain.ok());
  REQUIRE(clustered.ok());
  CHECK(clustered->clusters == 50);
  std::map<int64_t, int64_t> cluster_of;
  for (const auto& r : Rows("did/sim_data.csv")) cluster_of[std::stoll(r[2])] = std::stoll(r[3]);
  const std::size_t N = static_cast<std::size_t>(plain->units);
  for (std::size_t k = 0; k < plain->cells.size(); ++k) {
    std::map<int64_t, double> sums;
    for (std::size_t i = 0; i < N; ++i) sums[cluster_of[plain->unit_id[i]]] += plain->influence[k * N + i];
    double ss = 0;
    for (const auto& [c, v] : sums) ss += v * v;
    CHECK(clustered->cells[k].att == plain->cells[k].att);
    CHECK(clustered->cells[k].se == Approx(std::sqrt(ss) / static_cast<double>(N)).epsilon(1e-12));
  }
}

TEST_CASE("DiD: the multiplier bootstrap is seeded, near the analytic SEs, and gives a uniform band", "[did]") {
  const auto panel = Mpdta();
  auto analytic = cmrv::AttGt(panel);
  cmrv::AttGtOptions o;
  o.bootstrap_draws = 2000;
  o.seed = 20261203;
  auto a = cmrv::AttGt(panel, o);
  auto b = cmrv::AttGt(panel, o);
  o.seed = 7;
  auto c = cmrv::AttGt(panel, o);
  REQUIRE((analytic.ok() && a.ok() && b.ok() && c.ok()));
  CHECK(analytic->critical_value == Approx(1.959963984540054).epsilon(1e-14));  // R: qnorm(0.975)
  CHECK_FALSE(analytic->uniform_band);
  REQUIRE(a->uniform_band);
  bool any_differs = false;
  for (std::size_t k = 0; k < a->cells.size(); ++k) {
    CHECK(a->cells[k].se == b->cells[k].se);  // same seed: bit-identical
    any_differs |= a->cells[k].se != c->cells[k].se;
    // The IQR-based SE of 2 000 Mammen draws has a sampling error of about 3 %; 15 % is 5 of those.
    CHECK(a->cells[k].se == Approx(analytic->cells[k].se).epsilon(0.15));
  }
  CHECK(any_differs);
  CHECK(a->critical_value == b->critical_value);
  // A uniform band over 12 cells lies between the pointwise 1.96 and Bonferroni's z(1 − 0.05/24) = 2.8653.
  CHECK(a->critical_value > 1.96);
  CHECK(a->critical_value < 2.8653);
  auto dyn = cmrv::Aggregate(*a, cmrv::AggregationType::kDynamic);
  REQUIRE(dyn.ok());
  CHECK(dyn->uniform_band);
  CHECK(dyn->critical_value > 1.96);
}

TEST_CASE("DiD: the event-study window keeps the event times in it and averages the post ones", "[did]") {
  auto r = cmrv::AttGt(Mpdta());
  REQUIRE(r.ok());
  auto full = cmrv::Aggregate(*r, cmrv::AggregationType::kDynamic);
  auto window = cmrv::Aggregate(*r, cmrv::AggregationType::kDynamic, {-2, 1});
  REQUIRE((full.ok() && window.ok()));
  REQUIRE(window->elements.size() == 4);  // e = -2, -1, 0, 1
  std::map<int64_t, double> att;
  for (const auto& e : full->elements) att[e.key] = e.att;
  for (const auto& e : window->elements) CHECK(e.att == att[e.key]);
  CHECK(window->overall_att == Approx((att[0] + att[1]) / 2).epsilon(1e-14));
  CHECK(cmrv::Aggregate(*r, cmrv::AggregationType::kDynamic, {2, 1}).status().message() ==
        "aggregate: min_e 2 is after max_e 1");
  CHECK(cmrv::NormalQuantile(0.025) == Approx(-1.959963984540054).epsilon(1e-14));
  CHECK(cmrv::NormalQuantile(0.999) == Approx(3.090232306167814).epsilon(1e-14));  // R: qnorm(0.999)
}

TEST_CASE("DiD: the row order does not change a bit of the result", "[did]") {
  // Rows sorted by unit take the run-numbering path; reversed, the hashing path. Units are ordered by id
  // in both, so every sum runs in the same order.
  const auto panel = Mpdta(true);
  auto reversed = panel;
  for (auto* col : {&reversed.id, &reversed.time, &reversed.group}) std::reverse(col->begin(), col->end());
  std::reverse(reversed.y.begin(), reversed.y.end());
  std::reverse(reversed.covariates[0].begin(), reversed.covariates[0].end());
  cmrv::AttGtOptions o;
  o.method = cmrv::DidEstimator::kDoublyRobust;
  auto a = cmrv::AttGt(panel, o);
  auto b = cmrv::AttGt(reversed, o);
  REQUIRE((a.ok() && b.ok()));
  REQUIRE(a->cells.size() == b->cells.size());
  for (std::size_t k = 0; k < a->cells.size(); ++k) {
    CHECK(a->cells[k].att == b->cells[k].att);
    CHECK(a->cells[k].se == b->cells[k].se);
  }
  CHECK(a->unit_id == b->unit_id);
}

namespace {

// mpdta_extra.csv: mpdta with a sampling weight `wt` and a cluster `clust` (columns year, countyreal, lpop,
// lemp, first.treat, treat, wt, clust).
cmrv::DidPanel MpdtaExtra(bool with_cluster) {
  cmrv::DidPanel p;
  for (const auto& r : Rows("did/mpdta_extra.csv")) {
    p.time.push_back(std::stoll(r[0]));
    p.id.push_back(std::stoll(r[1]));
    p.y.push_back(std::stod(r[3]));
    p.group.push_back(std::stoll(r[4]));
    if (with_cluster) p.cluster.push_back(std::stoll(r[7]));
  }
  return p;
}

}  // namespace

TEST_CASE("DiD: repeated cross-sections, the universal base, anticipation and clusters reproduce R did", "[did]") {
  // ref_gaps.csv: R did's att_gt(..., control_group = "nevertreated", est_method = "reg") on mpdta_extra
  // with panel = FALSE ("rc"), base_period = "universal", anticipation = 1, clustervars = "clust". Its
  // "weighted" scenario needs sampling weights (weightsname), which are not built: it is skipped.
  std::map<std::string, std::pair<cmrv::DidPanel, cmrv::AttGtOptions>> scenarios;
  cmrv::AttGtOptions reg;
  reg.method = DidEstimator::kRegression;
  auto rc = reg;
  rc.panel = false;
  auto universal = reg;
  universal.base = BasePeriod::kUniversal;
  auto anticipation = reg;
  anticipation.anticipation = 1;
  scenarios["rc"] = {MpdtaExtra(false), rc};
  scenarios["universal"] = {MpdtaExtra(false), universal};
  scenarios["anticipation1"] = {MpdtaExtra(false), anticipation};
  scenarios["clustered"] = {MpdtaExtra(true), reg};
  std::map<std::string, int> checked;
  for (const auto& [name, sc] : scenarios) {
    INFO(name);
    auto r = cmrv::AttGt(sc.first, sc.second);
    REQUIRE(r.ok());
    CHECK(r->units == (name == "rc" ? 2500 : 500));  // cross-sections: every row is a unit
    for (const auto& row : Rows("did/ref_gaps.csv")) {
      if (row[0] != name) continue;
      const int64_t g = std::stoll(row[1]), t = std::stoll(row[2]);
      const auto cell = std::find_if(r->cells.begin(), r->cells.end(),
                                     [&](const cmrv::AttGtCell& c) { return c.group == g && c.time == t; });
      INFO("g=" << g << " t=" << t);
      if (row[4] == "NA") {  // R reports the universal base period itself as ATT 0 without an SE; we leave it out
        CHECK(std::stod(row[3]) == 0);
        CHECK(cell == r->cells.end());
        continue;
      }
      REQUIRE(cell != r->cells.end());
      CHECK(Near(cell->att, std::stod(row[3])));
      CHECK(Near(cell->se, std::stod(row[4])));
      ++checked[name];
    }
  }
  CHECK(checked["rc"] == 12);
  CHECK(checked["universal"] == 12);  // 15 rows, 3 of them the base periods
  CHECK(checked["anticipation1"] == 8);
  CHECK(checked["clustered"] == 12);
}

TEST_CASE("DiD: an unbalanced panel is estimated unit by unit as R did's allow_unbalanced_panel does", "[did]") {
  // Every 7th row of mpdta removed (357 of 2 500), so most units miss a period. The expected values are
  // computed here from the definition: per cell, the four means (cohort/comparison × base/later period) of
  // the observed outcomes, ATT = (Ȳ_g,t − Ȳ_g,b) − (Ȳ_C,t − Ȳ_C,b); an observation's influence
  // ±(Y − Ȳ)/p · N/n₁ (p: its group's share of the n₁ observations in the cell, N: units), summed by unit;
  // SE = √(Σ_u ψ_u²)/N.
  const auto full = Mpdta();
  cmrv::DidPanel holed;
  for (std::size_t i = 0; i < full.id.size(); ++i) {
    if (i % 7 == 3) continue;
    holed.id.push_back(full.id[i]);
    holed.time.push_back(full.time[i]);
    holed.y.push_back(full.y[i]);
    holed.group.push_back(full.group[i]);
  }
  cmrv::AttGtOptions o;
  o.allow_unbalanced_panel = true;
  auto r = cmrv::AttGt(holed, o);
  REQUIRE(r.ok());
  CHECK(r->units == 500);
  REQUIRE(!r->notes.empty());
  CHECK(r->notes.back().starts_with("unbalanced panel (2143 of 2500 unit-periods observed)"));
  REQUIRE(r->cells.size() == 12);
  for (const auto& cell : r->cells) {
    INFO("g=" << cell.group << " t=" << cell.time);
    const int64_t base = cell.post ? cell.group - 1 : cell.time - 1;  // mpdta's years are consecutive
    double sum[2][2] = {{0, 0}, {0, 0}}, n[2][2] = {{0, 0}, {0, 0}};
    auto side_of = [&](std::size_t i) { return holed.group[i] == cell.group ? 0 : holed.group[i] == 0 ? 1 : -1; };
    for (std::size_t i = 0; i < holed.id.size(); ++i) {
      const int s = side_of(i);
      if (s < 0 || (holed.time[i] != cell.time && holed.time[i] != base)) continue;
      sum[s][holed.time[i] == cell.time] += holed.y[i];
      n[s][holed.time[i] == cell.time] += 1;
    }
    const double n1 = n[0][0] + n[0][1] + n[1][0] + n[1][1];
    const double mu[2][2] = {{sum[0][0] / n[0][0], sum[0][1] / n[0][1]}, {sum[1][0] / n[1][0], sum[1][1] / n[1][1]}};
    std::map<int64_t, double> psi;
    for (std::size_t i = 0; i < holed.id.size(); ++i) {
      const int s = side_of(i);
      if (s < 0 || (holed.time[i] != cell.time && holed.time[i] != base)) continue;
      const int later = holed.time[i] == cell.time ? 1 : 0;
      const double sign = (s == 0) == (later == 1) ? 1 : -1;
      psi[holed.id[i]] += sign * (holed.y[i] - mu[s][later]) / (n[s][later] / n1) * (500.0 / n1);
    }
    double ss = 0;
    for (const auto& [id, v] : psi) ss += v * v;
    CHECK(cell.att == Approx((mu[0][1] - mu[0][0]) - (mu[1][1] - mu[1][0])).epsilon(1e-12));
    CHECK(cell.se == Approx(std::sqrt(ss) / 500.0).epsilon(1e-12));
    CHECK(cell.treated == static_cast<int64_t>(n[0][0] + n[0][1]));
  }
  // A balanced panel keeps the panel estimators when unbalanced ones are allowed (as in R did).
  auto balanced = cmrv::AttGt(full, o);
  auto plain = cmrv::AttGt(full);
  REQUIRE((balanced.ok() && plain.ok()));
  for (std::size_t k = 0; k < plain->cells.size(); ++k) {
    CHECK(balanced->cells[k].att == plain->cells[k].att);
    CHECK(balanced->cells[k].se == plain->cells[k].se);
  }
  // The aggregations take the unit-level influence functions as they are.
  auto simple = cmrv::Aggregate(*r, cmrv::AggregationType::kSimple);
  REQUIRE(simple.ok());
  CHECK(std::isfinite(simple->overall_se));
  CHECK(simple->overall_se > 0);
}

TEST_CASE("DiD: progress reports cells, changes nothing and cancels", "[did]") {
  const auto panel = Mpdta();
  auto plain = cmrv::AttGt(panel);
  std::vector<std::pair<uint64_t, uint64_t>> calls;
  cmrv::AttGtOptions o;
  o.progress = [&calls](uint64_t done, uint64_t total) {
    calls.emplace_back(done, total);
    return true;
  };
  auto seen = cmrv::AttGt(panel, o);
  REQUIRE((plain.ok() && seen.ok()));
  REQUIRE(!calls.empty());
  CHECK(calls.back() == std::make_pair(uint64_t{12}, uint64_t{12}));  // 3 cohorts × 4 periods
  for (std::size_t k = 0; k < plain->cells.size(); ++k) {
    CHECK(seen->cells[k].att == plain->cells[k].att);
    CHECK(seen->cells[k].se == plain->cells[k].se);
  }
  o.progress = [](uint64_t done, uint64_t total) { return done < total; };
  auto cancelled = cmrv::AttGt(panel, o);
  CHECK(cancelled.status().code() == absl::StatusCode::kCancelled);
  CHECK(cancelled.status().message() == "did: cancelled by the progress callback after 12 of 12 cells");
}
