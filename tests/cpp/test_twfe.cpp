// C++ core: the 2×2 DiD, TWFE with cluster-robust SEs and the Goodman-Bacon decomposition, against
// hand calculations (shown) and against Goodman-Bacon's Theorem 1 (the weighted 2×2s add up to TWFE).
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "carbonmrv/policy/twfe.hpp"
#include "support/fixtures.hpp"

namespace {

// A CSV of numbers with a quoted header (tests/data/did).
std::vector<std::vector<double>> Numbers(const std::string& rel) {
  std::stringstream in(cmrv_test::Read(rel));
  std::vector<std::vector<double>> rows;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<double> f;
    std::stringstream ls(line);
    std::string cell;
    while (std::getline(ls, cell, ',')) f.push_back(std::stod(cell));
    rows.push_back(f);
  }
  return rows;
}

cmrv::DidPanel Mpdta() {
  cmrv::DidPanel p;
  for (const auto& r : Numbers("did/mpdta.csv")) {  // year, countyreal, lpop, lemp, first.treat, treat
    p.time.push_back(static_cast<int64_t>(r[0]));
    p.id.push_back(static_cast<int64_t>(r[1]));
    p.y.push_back(r[3]);
    p.group.push_back(static_cast<int64_t>(r[4]));
  }
  return p;
}

cmrv::DidPanel Sim() {
  cmrv::DidPanel p;
  for (const auto& r : Numbers("did/sim_data.csv")) {  // G, X, id, cluster, period, Y, treat
    p.group.push_back(static_cast<int64_t>(r[0]));
    p.id.push_back(static_cast<int64_t>(r[2]));
    p.time.push_back(static_cast<int64_t>(r[4]));
    p.y.push_back(r[5]);
  }
  return p;
}

// Four units, two periods: units 1 and 2 treated from period 2.
//   changes: treated 4−1 = 3, 6−2 = 4 (mean 3.5); controls 2−1 = 1, 3−3 = 0 (mean 0.5); DiD = 3.
cmrv::DidPanel Tiny() {
  cmrv::DidPanel p;
  p.id = {1, 1, 2, 2, 3, 3, 4, 4};
  p.time = {1, 2, 1, 2, 1, 2, 1, 2};
  p.y = {1, 4, 2, 6, 1, 2, 3, 3};
  p.group = {2, 2, 2, 2, 0, 0, 0, 0};
  return p;
}

}  // namespace

TEST_CASE("2x2 DiD: the difference in mean changes with the Welch SE", "[did][twfe]") {
  auto r = cmrv::DidTwoByTwo(Tiny(), 1, 2);
  REQUIRE(r.ok());
  CHECK(r->att == Approx(3.0).epsilon(1e-15));
  // s²_T = ((3−3.5)² + (4−3.5)²)/1 = 0.5, s²_C = 0.5; SE = √(0.5/2 + 0.5/2) = √0.5.
  CHECK(r->se == Approx(std::sqrt(0.5)).epsilon(1e-15));
  CHECK(r->treated_pre == 1.5);
  CHECK(r->control_post == 2.5);
  // On mpdta the 2004 cohort against the never treated over 2003→2004 is R did's ATT(2004, 2004).
  auto m = cmrv::DidTwoByTwo(Mpdta(), 2003, 2004);
  REQUIRE(m.ok());
  CHECK(m->treated == 20);
  CHECK(m->controls == 309);
  CHECK(m->att == Approx(-0.0105032462209624).epsilon(1e-9));  // tests/data/did/ref_attgt.csv
  CHECK(cmrv::DidTwoByTwo(Mpdta(), 2004, 2003).status().message() == "pre: period 2004 is not before post 2003");
  CHECK(cmrv::DidTwoByTwo(Mpdta(), 2003, 2009).status().message() == "post: period 2009 is not in the panel");
}

TEST_CASE("TWFE: coefficient and cluster-robust SE by hand on a 2x2 panel", "[did][twfe]") {
  auto r = cmrv::Twfe(Tiny());
  REQUIRE(r.ok());
  CHECK(r->coef[0] == Approx(3.0).epsilon(1e-12));
  // Within-transformed D: ±0.25 (Σ d̃² = 0.5); residuals ±0.25 per period, so each unit's score
  // Σ_t d̃ũ = ±0.125 and Σ_c s² = 0.0625; A⁻¹MA⁻¹ = 0.0625 / 0.5² = 0.25. Small-sample factor
  // G/(G−1)·(NT−1)/(NT−K) = 4/3 · 7/(8 − 3) = 28/15 (K = slope + 1 period effect + intercept).
  CHECK(r->small_sample_factor == Approx(28.0 / 15).epsilon(1e-15));
  CHECK(r->se[0] == Approx(std::sqrt(0.25 * 28.0 / 15)).epsilon(1e-12));
  CHECK(r->clusters == 4);
  auto none = Tiny();
  for (auto& g : none.group) g = 0;
  CHECK(cmrv::Twfe(none).status().message() ==
        "treated: no unit changes treatment within the panel; the fixed effects absorb the treatment dummy");
  auto fixed = Tiny();
  fixed.covariate_names = {"size"};
  fixed.covariates = {{1, 1, 2, 2, 3, 3, 4, 4}};
  CHECK(cmrv::Twfe(fixed).status().message() ==
        "covariate size: does not vary within units over time; the unit and period effects absorb it");
}

TEST_CASE("Goodman-Bacon: the weighted 2x2 comparisons add up to the TWFE coefficient", "[did][twfe]") {
  for (const auto& panel : {Mpdta(), Sim()}) {
    auto twfe = cmrv::Twfe(panel);
    auto bacon = cmrv::BaconDecomposition(panel);
    REQUIRE((twfe.ok() && bacon.ok()));
    // Three timing groups and the never treated: 3 against the never treated + 2 × 3 timing pairs.
    CHECK(bacon->comparisons.size() == 9);
    double weights = 0;
    for (const auto& c : bacon->comparisons) {
      CHECK(c.weight > 0);
      weights += c.weight;
    }
    CHECK(weights == Approx(1.0).epsilon(1e-12));
    CHECK(bacon->twfe == Approx(twfe->coef[0]).epsilon(1e-10));  // Theorem 1
  }
  // On the 2×2 panel there is one comparison, the DiD itself.
  auto tiny = cmrv::BaconDecomposition(Tiny());
  REQUIRE(tiny.ok());
  REQUIRE(tiny->comparisons.size() == 1);
  CHECK(tiny->comparisons[0].kind == cmrv::BaconKind::kTreatedVsUntreated);
  CHECK(tiny->comparisons[0].estimate == Approx(3.0).epsilon(1e-15));
  CHECK(cmrv::BaconKindName(cmrv::BaconKind::kLaterVsEarlier) == "Later vs Earlier Treated");
}
