// C API: difference-in-differences through libcarbonmrv.so with strided columns (an ERP's row structs),
// on the same oracle as the C++ and Python suites (tests/data/did: R did on mpdta).
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "carbonmrv.h"
#include "support/fixtures.hpp"

namespace {

struct Row {  // as a caller's record: mixed types, so every column is strided
  int32_t year;
  int64_t county;
  double lpop;
  float pad;
  double lemp;
  int16_t first_treat;
};

std::vector<Row> MpdtaRows() {
  std::stringstream in(cmrv_test::Read("did/mpdta.csv"));
  std::string line;
  std::getline(in, line);
  std::vector<Row> rows;
  while (std::getline(in, line)) {  // year, countyreal, lpop, lemp, first.treat, treat
    std::stringstream ls(line);
    std::string f[6];
    for (auto& x : f) std::getline(ls, x, ',');
    rows.push_back({std::stoi(f[0]), std::stoll(f[1]), std::stod(f[2]), 0.0f, std::stod(f[3]),
                    static_cast<int16_t>(std::stoi(f[4]))});
  }
  return rows;
}

// R did's value for (scenario, g, t) from ref_attgt.csv (or ref_gaps.csv): att and se.
std::pair<double, double> Ref(const std::string& scenario, int g, int t, const char* file = "did/ref_attgt.csv") {
  std::stringstream in(cmrv_test::Read(file));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("\"" + scenario + "\"," + std::to_string(g) + "," + std::to_string(t) + ",", 0) == 0) {
      std::stringstream ls(line);
      std::string f[5];
      for (auto& x : f) std::getline(ls, x, ',');
      return {std::stod(f[3]), std::stod(f[4])};
    }
  }
  FAIL("no reference row");
  return {};
}

struct Fixture {
  cmrv_context* ctx = cmrv_context_create();
  std::vector<Row> rows = MpdtaRows();
  cmrv_did_panel* panel = nullptr;
  Fixture() {
    REQUIRE(cmrv_did_panel_create(ctx, rows.size(), &panel) == CMRV_OK);
    REQUIRE(cmrv_did_panel_set_column(ctx, panel, "id", CMRV_DTYPE_INT64, &rows[0].county, sizeof(Row)) == CMRV_OK);
    REQUIRE(cmrv_did_panel_set_column(ctx, panel, "time", CMRV_DTYPE_INT32, &rows[0].year, sizeof(Row)) == CMRV_OK);
    REQUIRE(cmrv_did_panel_set_column(ctx, panel, "y", CMRV_DTYPE_FLOAT64, &rows[0].lemp, sizeof(Row)) == CMRV_OK);
    REQUIRE(cmrv_did_panel_set_column(ctx, panel, "group", CMRV_DTYPE_INT16, &rows[0].first_treat, sizeof(Row)) ==
            CMRV_OK);
  }
  ~Fixture() {
    cmrv_did_panel_destroy(panel);
    cmrv_context_destroy(ctx);
  }
  std::string msg() const { return cmrv_context_last_error_message(ctx); }
};

void CheckCells(Fixture& f, cmrv_did_result* res, const std::string& scenario, const char* file = "did/ref_attgt.csv") {
  size_t n = 0;
  REQUIRE(cmrv_did_result_cell_count(f.ctx, res, &n) == CMRV_OK);
  REQUIRE(n == 12);
  std::vector<double> g(n), t(n), att(n), se(n);
  REQUIRE(cmrv_did_result_cells(f.ctx, res, "group", g.data(), n, sizeof(double)) == CMRV_OK);
  REQUIRE(cmrv_did_result_cells(f.ctx, res, "time", t.data(), n, sizeof(double)) == CMRV_OK);
  REQUIRE(cmrv_did_result_cells(f.ctx, res, "att", att.data(), n, sizeof(double)) == CMRV_OK);
  REQUIRE(cmrv_did_result_cells(f.ctx, res, "se", se.data(), n, sizeof(double)) == CMRV_OK);
  for (size_t k = 0; k < n; ++k) {
    const auto [ra, rs] = Ref(scenario, static_cast<int>(g[k]), static_cast<int>(t[k]), file);
    INFO(scenario << " g=" << g[k] << " t=" << t[k]);
    CHECK(att[k] == Approx(ra).epsilon(1e-6));
    CHECK(se[k] == Approx(rs).epsilon(1e-6));
  }
}

}  // namespace

TEST_CASE("C API DiD: ATT(g,t), pre-test and aggregation reproduce R did on mpdta", "[capi][did]") {
  Fixture f;
  cmrv_did_result* res = nullptr;
  REQUIRE(cmrv_did_att_gt(f.ctx, nullptr, f.panel, &res) == CMRV_OK);
  CheckCells(f, res, "mpdta_nev_dr");
  double w = 0, p = 0, crit = 0;
  int32_t df = 0, uniform = 1;
  REQUIRE(cmrv_did_result_summary(f.ctx, res, &w, &p, &df, &crit, &uniform) == CMRV_OK);
  CHECK(w == Approx(7.79123662720035).epsilon(1e-6));  // ref_pretest.csv
  CHECK(df == 5);
  CHECK(uniform == 0);
  CHECK(crit == Approx(1.959963984540054).epsilon(1e-14));
  cmrv_did_aggregate* agg = nullptr;
  REQUIRE(cmrv_did_aggregate_create(f.ctx, res, "simple", nullptr, &agg) == CMRV_OK);
  double att = 0, se = 0;
  size_t count = 9;
  REQUIRE(cmrv_did_aggregate_overall(f.ctx, agg, &att, &se, &count, nullptr) == CMRV_OK);
  CHECK(att == Approx(-0.0399512751551763).epsilon(1e-6));  // ref_aggte.csv, simple
  CHECK(se == Approx(0.0120340127701854).epsilon(1e-6));
  CHECK(count == 0);
  cmrv_did_aggregate_destroy(agg);
  REQUIRE(cmrv_did_aggregate_create(f.ctx, res, "dynamic", nullptr, &agg) == CMRV_OK);
  REQUIRE(cmrv_did_aggregate_overall(f.ctx, agg, nullptr, nullptr, &count, nullptr) == CMRV_OK);
  CHECK(count == 7);  // e = -3 .. 3
  std::vector<double> keys(count);
  REQUIRE(cmrv_did_aggregate_elements(f.ctx, agg, "key", keys.data(), count, sizeof(double)) == CMRV_OK);
  CHECK(keys.front() == -3);
  CHECK(cmrv_did_aggregate_elements(f.ctx, agg, "key", keys.data(), 2, sizeof(double)) == CMRV_ERR_OUT_OF_RANGE);
  cmrv_did_aggregate_destroy(agg);
  CHECK(cmrv_did_aggregate_create(f.ctx, res, "weekly", nullptr, &agg) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(f.msg() == "aggregation \"weekly\" is not one of simple, group, dynamic, calendar");
  cmrv_did_result_destroy(res);
}

TEST_CASE("C API DiD: covariates and options (OR with lpop, as mpdta_nev_reg_cov)", "[capi][did]") {
  Fixture f;
  REQUIRE(cmrv_did_panel_add_covariate(f.ctx, f.panel, "lpop", CMRV_DTYPE_FLOAT64, &f.rows[0].lpop, sizeof(Row)) ==
          CMRV_OK);
  cmrv_did_options* o = nullptr;
  REQUIRE(cmrv_did_options_create(f.ctx, &o) == CMRV_OK);
  REQUIRE(cmrv_did_options_set(f.ctx, o, "est_method", "reg") == CMRV_OK);
  cmrv_did_result* res = nullptr;
  REQUIRE(cmrv_did_att_gt(f.ctx, o, f.panel, &res) == CMRV_OK);
  CheckCells(f, res, "mpdta_nev_reg_cov");
  cmrv_did_result_destroy(res);
  CHECK(cmrv_did_options_set(f.ctx, o, "est_method", "ols") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(f.msg() == "est_method \"ols\" is not one of dr, ipw, reg");
  CHECK(cmrv_did_options_set(f.ctx, o, "alpha", "1.5") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(f.msg() == "alpha 1.5 is not in (0, 1)");
  CHECK(cmrv_did_options_set(f.ctx, o, "biters", "99") == CMRV_ERR_INVALID_ARGUMENT);
  cmrv_did_options_destroy(o);
}

TEST_CASE("C API DiD: repeated cross-sections (panel = false) reproduce R did's panel = FALSE", "[capi][did]") {
  // ref_gaps.csv "rc": est_method = "reg" on mpdta (mpdta_extra.csv has the same lemp), every row its own unit.
  Fixture f;
  cmrv_did_options* o = nullptr;
  REQUIRE(cmrv_did_options_create(f.ctx, &o) == CMRV_OK);
  REQUIRE(cmrv_did_options_set(f.ctx, o, "est_method", "reg") == CMRV_OK);
  REQUIRE(cmrv_did_options_set(f.ctx, o, "panel", "false") == CMRV_OK);
  cmrv_did_result* res = nullptr;
  REQUIRE(cmrv_did_att_gt(f.ctx, o, f.panel, &res) == CMRV_OK);
  CheckCells(f, res, "rc", "did/ref_gaps.csv");
  cmrv_did_result_destroy(res);
  // Progress: (cells done, cells) on the calling thread; a non-zero return cancels.
  struct Seen {
    uint64_t done = 0, total = 0;
  } seen;
  auto cancel_at_end = [](void* user, uint64_t done, uint64_t total) -> int {
    *static_cast<Seen*>(user) = {done, total};
    return done == total ? 1 : 0;
  };
  REQUIRE(cmrv_did_options_set_progress(f.ctx, o, cancel_at_end, &seen) == CMRV_OK);
  CHECK(cmrv_did_att_gt(f.ctx, o, f.panel, &res) == CMRV_ERR_CANCELLED);
  CHECK(f.msg() == "did: cancelled by the progress callback after 12 of 12 cells");
  CHECK((seen.done == 12 && seen.total == 12));
  REQUIRE(cmrv_did_options_set_progress(f.ctx, o, nullptr, nullptr) == CMRV_OK);
  CHECK(cmrv_did_options_set(f.ctx, o, "allow_unbalanced_panel", "yes") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(f.msg() == "allow_unbalanced_panel \"yes\" is not true or false");
  cmrv_did_options_destroy(o);
}

TEST_CASE("C API DiD: bad panels and arguments get errors naming them", "[capi][did]") {
  Fixture f;
  CHECK(cmrv_did_panel_set_column(f.ctx, f.panel, "id", CMRV_DTYPE_FLOAT64, &f.rows[0].lemp, sizeof(Row)) ==
        CMRV_ERR_INVALID_ARGUMENT);
  CHECK(f.msg() == "id: needs an integer dtype (CMRV_DTYPE_INT8 .. CMRV_DTYPE_UINT64)");
  CHECK(cmrv_did_panel_set_column(f.ctx, f.panel, "weight", CMRV_DTYPE_FLOAT64, &f.rows[0].lemp, sizeof(Row)) ==
        CMRV_ERR_INVALID_ARGUMENT);
  CHECK(f.msg() == "column \"weight\" is not one of id, time, y, group, cluster");
  CHECK(cmrv_did_panel_set_column(f.ctx, f.panel, "y", 42, &f.rows[0].lemp, sizeof(Row)) == CMRV_ERR_INVALID_ARGUMENT);
  f.rows[3].first_treat = 2006;  // county 8001 is 2007 elsewhere
  REQUIRE(cmrv_did_panel_set_column(f.ctx, f.panel, "group", CMRV_DTYPE_INT16, &f.rows[0].first_treat, sizeof(Row)) ==
          CMRV_OK);
  cmrv_did_result* res = nullptr;
  CHECK(cmrv_did_att_gt(f.ctx, nullptr, f.panel, &res) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(f.msg().starts_with("group: unit 8001 has first-treatment period 2007 in row 0 and 2006 in row 3"));
  CHECK(res == nullptr);
  CHECK(cmrv_did_att_gt(f.ctx, nullptr, nullptr, &res) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(f.msg() == "panel is NULL");
}

TEST_CASE("C API DiD: TWFE, 2x2 and the Goodman-Bacon decomposition agree with each other", "[capi][did]") {
  Fixture f;
  double coef = 0, se = 0, att = 0, att_se = 0;
  REQUIRE(cmrv_did_twfe(f.ctx, nullptr, f.panel, &coef, &se, 1) == CMRV_OK);
  CHECK(se > 0);
  REQUIRE(cmrv_did_two_by_two(f.ctx, nullptr, f.panel, 2003, 2004, &att, &att_se) == CMRV_OK);
  CHECK(att == Approx(-0.0105032462209624).epsilon(1e-9));  // R did's ATT(2004, 2004)
  char* json = nullptr;
  REQUIRE(cmrv_did_bacon_json(f.ctx, nullptr, f.panel, &json) == CMRV_OK);
  const std::string s = json;
  cmrv_free(json);
  const double twfe = std::stod(s.substr(s.find("\"twfe\":") + 7));
  CHECK(twfe == Approx(coef).epsilon(1e-10));  // Goodman-Bacon's Theorem 1
  CHECK(s.find("\"Later vs Earlier Treated\"") != std::string::npos);
}

TEST_CASE("C API DiD: an unbalanced panel with allow_unbalanced_panel (the C++ and Python fixture)", "[capi][did]") {
  // Every 7th row of mpdta removed (rows 3, 10, …), as in test_did.cpp and test_policy.py. ATT(2006, 2007)
  // against base 2005 is the difference of the four means of the observed outcomes, computed here.
  cmrv_context* ctx = cmrv_context_create();
  std::vector<Row> rows;
  const auto all = MpdtaRows();
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (i % 7 != 3) rows.push_back(all[i]);
  }
  double sum[2][2] = {{0, 0}, {0, 0}}, n[2][2] = {{0, 0}, {0, 0}};
  for (const auto& r : rows) {
    const int side = r.first_treat == 2006 ? 0 : r.first_treat == 0 ? 1 : -1;
    if (side < 0 || (r.year != 2005 && r.year != 2007)) continue;
    sum[side][r.year == 2007] += r.lemp;
    n[side][r.year == 2007] += 1;
  }
  const double want = (sum[0][1] / n[0][1] - sum[0][0] / n[0][0]) - (sum[1][1] / n[1][1] - sum[1][0] / n[1][0]);
  cmrv_did_panel* panel = nullptr;
  REQUIRE(cmrv_did_panel_create(ctx, rows.size(), &panel) == CMRV_OK);
  REQUIRE(cmrv_did_panel_set_column(ctx, panel, "id", CMRV_DTYPE_INT64, &rows[0].county, sizeof(Row)) == CMRV_OK);
  REQUIRE(cmrv_did_panel_set_column(ctx, panel, "time", CMRV_DTYPE_INT32, &rows[0].year, sizeof(Row)) == CMRV_OK);
  REQUIRE(cmrv_did_panel_set_column(ctx, panel, "y", CMRV_DTYPE_FLOAT64, &rows[0].lemp, sizeof(Row)) == CMRV_OK);
  REQUIRE(cmrv_did_panel_set_column(ctx, panel, "group", CMRV_DTYPE_INT16, &rows[0].first_treat, sizeof(Row)) ==
          CMRV_OK);
  cmrv_did_result* res = nullptr;
  // Without the option the panel is refused with the unit named, not estimated.
  CHECK(cmrv_did_att_gt(ctx, nullptr, panel, &res) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(std::string(cmrv_context_last_error_message(ctx)).find("the estimator needs a balanced panel") !=
        std::string::npos);
  cmrv_did_options* o = nullptr;
  REQUIRE(cmrv_did_options_create(ctx, &o) == CMRV_OK);
  REQUIRE(cmrv_did_options_set(ctx, o, "allow_unbalanced_panel", "true") == CMRV_OK);
  REQUIRE(cmrv_did_att_gt(ctx, o, panel, &res) == CMRV_OK);
  size_t count = 0;
  REQUIRE(cmrv_did_result_cell_count(ctx, res, &count) == CMRV_OK);
  REQUIRE(count == 12);
  std::vector<double> g(count), t(count), att(count);
  REQUIRE(cmrv_did_result_cells(ctx, res, "group", g.data(), count, sizeof(double)) == CMRV_OK);
  REQUIRE(cmrv_did_result_cells(ctx, res, "time", t.data(), count, sizeof(double)) == CMRV_OK);
  REQUIRE(cmrv_did_result_cells(ctx, res, "att", att.data(), count, sizeof(double)) == CMRV_OK);
  int found = 0;
  for (size_t k = 0; k < count; ++k) {
    if (g[k] != 2006 || t[k] != 2007) continue;
    CHECK(att[k] == Approx(want).epsilon(1e-12));
    ++found;
  }
  CHECK(found == 1);
  cmrv_did_result_destroy(res);
  cmrv_did_options_destroy(o);
  cmrv_did_panel_destroy(panel);
  cmrv_context_destroy(ctx);
}
