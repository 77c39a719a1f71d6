// C API: Monte Carlo uncertainty and key category analysis on the shared fixtures
// (tests/data/monte_carlo_cases.json), and misuse.
#include <cmath>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "carbonmrv.h"
#include "support/capi_fixture.hpp"
#include "support/cases.hpp"

namespace {

using Ctx = cmrv_test::CatalogueContext;

cmrv_inventory* InventoryOf(Ctx& c, const std::string& rel) {
  cmrv_enterprise* e = nullptr;
  REQUIRE(cmrv_enterprise_from_json(c.ctx, cmrv_test::ReadData(rel).c_str(), &e) == CMRV_OK);
  cmrv_inventory* inv = nullptr;
  REQUIRE(cmrv_inventory_compute(c.ctx, e, c.cat, nullptr, &inv) == CMRV_OK);
  cmrv_enterprise_destroy(e);
  return inv;
}

// Options from a case's {"key": "value"}; the status of the first refused one.
cmrv_status OptionsOf(Ctx& c, const nlohmann::json& k, cmrv_monte_carlo_options** o) {
  REQUIRE(cmrv_monte_carlo_options_create(c.ctx, o) == CMRV_OK);
  for (const auto& [key, value] : k["options"].items()) {
    const cmrv_status st = cmrv_monte_carlo_options_set(c.ctx, *o, key.c_str(), value.get<std::string>().c_str());
    if (st != CMRV_OK) return st;
  }
  return CMRV_OK;
}

}  // namespace

TEST_CASE("C API: Monte Carlo and key category fixtures", "[capi][monte_carlo][parity]") {
  Ctx c;
  const auto cases = nlohmann::json::parse(cmrv_test::ReadData("monte_carlo_cases.json"));
  for (const auto& k : cmrv_test::Counted(cases, "monte_carlo_cases.json", "agreement")) {
    cmrv_inventory* inv = InventoryOf(c, k["document"]);
    cmrv_monte_carlo_options* o = nullptr;
    REQUIRE(OptionsOf(c, k, &o) == CMRV_OK);
    const std::string key = k["key"];
    cmrv_monte_carlo* mc = nullptr;
    REQUIRE(cmrv_inventory_monte_carlo(c.ctx, inv, key.c_str(), o, &mc) == CMRV_OK);
    size_t n = 0;
    REQUIRE(cmrv_monte_carlo_group_count(c.ctx, mc, &n) == CMRV_OK);
    REQUIRE(n >= 1);
    for (size_t g = 0; g < n; ++g) {
      const char* name = nullptr;
      double mean = 0, median = 0, lower = 0, upper = 0, half = 0, total = 0;
      REQUIRE(cmrv_monte_carlo_group(c.ctx, mc, g, &name, &mean, &median, &lower, &upper) == CMRV_OK);
      REQUIRE(cmrv_inventory_uncertainty(c.ctx, inv, key.c_str(), name, nullptr, &half) == CMRV_OK);
      if (key == "total") {
        REQUIRE(cmrv_inventory_total_co2e(c.ctx, inv, &total) == CMRV_OK);
      } else {
        REQUIRE(cmrv_inventory_total_by(c.ctx, inv, key.c_str(), name, &total) == CMRV_OK);
      }
      INFO(name);
      CHECK((upper - lower) / 2 == Approx(half).epsilon(k["half_width_rel_tol"].get<double>()));
      CHECK(mean == Approx(total).epsilon(1e-3));
      CHECK((lower < median && median < upper));
    }
    char* json = nullptr;
    REQUIRE(cmrv_monte_carlo_to_json(c.ctx, mc, &json) == CMRV_OK);
    const auto doc = nlohmann::json::parse(json);
    cmrv_free(json);
    CHECK(doc["schema"] == "carbonmrv.monte_carlo/1");
    CHECK(doc["generator"] == "philox4x32-10");
    CHECK(doc["draws"] == std::stoull(k["options"]["draws"].get<std::string>()));
    CHECK(doc["seed"] == std::stoull(k["options"]["seed"].get<std::string>()));
    CHECK(doc["groups"].size() == n);
    cmrv_monte_carlo_destroy(mc);
    cmrv_monte_carlo_options_destroy(o);
    cmrv_inventory_destroy(inv);
  }
  for (const auto& k : cmrv_test::Counted(cases, "monte_carlo_cases.json", "key_categories")) {
    cmrv_inventory* inv = InventoryOf(c, k["document"]);
    cmrv_inventory* base = k.contains("base") ? InventoryOf(c, k["base"]) : nullptr;
    char* json = nullptr;
    REQUIRE(cmrv_inventory_key_categories(c.ctx, inv, base, k["key"].get<std::string>().c_str(),
                                          k["threshold_pct"].get<double>(), &json) == CMRV_OK);
    const auto doc = nlohmann::json::parse(json);
    cmrv_free(json);
    CHECK(doc["assessment"] == (base != nullptr ? "trend" : "level"));
    REQUIRE(doc["categories"].size() == k["expected"].size());
    for (std::size_t i = 0; i < k["expected"].size(); ++i) {
      CHECK(doc["categories"][i]["group"] == k["expected"][i]["group"]);
      CHECK(doc["categories"][i]["share_pct"].get<double>() ==
            Approx(k["expected"][i]["share_pct"].get<double>()).epsilon(1e-12));
      CHECK(doc["categories"][i]["key"] == k["expected"][i]["key"]);
    }
    cmrv_inventory_destroy(base);
    cmrv_inventory_destroy(inv);
  }
  for (const auto& k : cmrv_test::Counted(cases, "monte_carlo_cases.json", "errors")) {
    cmrv_inventory* inv = InventoryOf(c, k["document"]);
    cmrv_monte_carlo_options* o = nullptr;
    cmrv_status st = OptionsOf(c, k, &o);
    cmrv_monte_carlo* mc = nullptr;
    if (st == CMRV_OK) st = cmrv_inventory_monte_carlo(c.ctx, inv, "total", o, &mc);
    CHECK(st == CMRV_ERR_INVALID_ARGUMENT);
    CHECK(c.msg() == k["message"].get<std::string>());
    CHECK(mc == nullptr);
    cmrv_monte_carlo_options_destroy(o);
    cmrv_inventory_destroy(inv);
  }
}

TEST_CASE("C API: Monte Carlo draws, thread independence and misuse", "[capi][monte_carlo]") {
  Ctx c;
  cmrv_inventory* inv = InventoryOf(c, "enterprises/uncertainty.json");
  std::vector<std::vector<double>> runs;
  for (const char* threads : {"1", "2"}) {
    cmrv_monte_carlo_options* o = nullptr;
    REQUIRE(cmrv_monte_carlo_options_create(c.ctx, &o) == CMRV_OK);
    REQUIRE(cmrv_monte_carlo_options_set(c.ctx, o, "draws", "3000") == CMRV_OK);
    REQUIRE(cmrv_monte_carlo_options_set(c.ctx, o, "seed", "5") == CMRV_OK);
    REQUIRE(cmrv_monte_carlo_options_set(c.ctx, o, "threads", threads) == CMRV_OK);
    REQUIRE(cmrv_monte_carlo_options_set(c.ctx, o, "keep_draws", "true") == CMRV_OK);
    cmrv_monte_carlo* mc = nullptr;
    REQUIRE(cmrv_inventory_monte_carlo(c.ctx, inv, "total", o, &mc) == CMRV_OK);
    std::vector<double> draws(3000 * 2, -1.0);  // every other slot: a stride of two doubles
    REQUIRE(cmrv_monte_carlo_draws(c.ctx, mc, 0, draws.data(), 3000, 2 * sizeof(double)) == CMRV_OK);
    CHECK(draws[1] == -1.0);
    CHECK(draws[0] > 0);
    CHECK(cmrv_monte_carlo_draws(c.ctx, mc, 0, draws.data(), 2999, sizeof(double)) == CMRV_ERR_INVALID_ARGUMENT);
    CHECK(cmrv_monte_carlo_draws(c.ctx, mc, 1, draws.data(), 3000, sizeof(double)) == CMRV_ERR_OUT_OF_RANGE);
    CHECK(cmrv_monte_carlo_group(c.ctx, mc, 1, nullptr, nullptr, nullptr, nullptr, nullptr) == CMRV_ERR_OUT_OF_RANGE);
    runs.push_back(draws);
    cmrv_monte_carlo_destroy(mc);
    cmrv_monte_carlo_options_destroy(o);
  }
  CHECK(runs[0] == runs[1]);
  // Draws not kept; bad options; NULLs.
  cmrv_monte_carlo* mc = nullptr;
  REQUIRE(cmrv_inventory_monte_carlo(c.ctx, inv, "total", nullptr, &mc) == CMRV_OK);
  double x = 0;
  CHECK(cmrv_monte_carlo_draws(c.ctx, mc, 0, &x, 10000, sizeof(double)) == CMRV_ERR_FAILED_PRECONDITION);
  CHECK(c.msg() == "the draws were not kept: set the option keep_draws to true");
  cmrv_monte_carlo_destroy(mc);
  cmrv_monte_carlo_options* o = nullptr;
  REQUIRE(cmrv_monte_carlo_options_create(c.ctx, &o) == CMRV_OK);
  CHECK(cmrv_monte_carlo_options_set(c.ctx, o, "draw", "10") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(c.msg() == "option \"draw\" is not one of draws, seed, threads, symmetric, asymmetric, keep_draws, input");
  CHECK(cmrv_monte_carlo_options_set(c.ctx, o, "input", "no-shape") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_monte_carlo_options_set(c.ctx, nullptr, "draws", "10") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_inventory_monte_carlo(c.ctx, inv, "categroy", o, &mc) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_inventory_monte_carlo(c.ctx, nullptr, "total", o, &mc) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_inventory_monte_carlo(c.ctx, inv, "total", o, nullptr) == CMRV_ERR_INVALID_ARGUMENT);
  char* json = nullptr;
  CHECK(cmrv_inventory_key_categories(c.ctx, inv, nullptr, "source", 120, &json) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(c.msg() == "threshold_pct: 120 is outside (0, 100]");
  CHECK(json == nullptr);
  cmrv_monte_carlo_options_destroy(o);
  cmrv_monte_carlo_options_destroy(nullptr);
  cmrv_monte_carlo_destroy(nullptr);
  cmrv_inventory_destroy(inv);
}
