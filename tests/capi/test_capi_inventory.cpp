// C API: enterprises and inventories on the shared fixtures, the builder, and misuse.
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "carbonmrv.h"
#include "support/capi_fixture.hpp"
#include "support/cases.hpp"

namespace {

using Ctx = cmrv_test::CatalogueContext;

std::string Read(const std::string& rel) {
  std::ifstream in(std::string(CMRV_TEST_DATA_DIR) + "/" + rel);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool Close(double a, double b, double rel) { return std::abs(a - b) <= rel * std::max(1.0, std::abs(b)); }

}  // namespace

TEST_CASE("C API: inventory fixtures", "[capi][inventory][parity]") {
  Ctx c;
  const auto cases = nlohmann::json::parse(Read("inventory_cases.json"));
  for (const auto& k : cmrv_test::Counted(cases, "inventory_cases.json", "cases")) {
    cmrv_enterprise* e = nullptr;
    REQUIRE(cmrv_enterprise_from_json(c.ctx, Read(k["document"]).c_str(), &e) == CMRV_OK);
    cmrv_inventory_options* o = nullptr;
    REQUIRE(cmrv_inventory_options_create(c.ctx, &o) == CMRV_OK);
    for (const auto& [key, value] : k["options"].items()) {
      REQUIRE(cmrv_inventory_options_set(c.ctx, o, key.c_str(), value.get<std::string>().c_str()) == CMRV_OK);
    }
    cmrv_inventory* inv = nullptr;
    REQUIRE(cmrv_inventory_compute(c.ctx, e, c.cat, o, &inv) == CMRV_OK);
    double total = 0;
    REQUIRE(cmrv_inventory_total_co2e(c.ctx, inv, &total) == CMRV_OK);
    CHECK(Close(total, k["total_co2e_t"].get<double>(), 1e-9));
    for (const auto& [cat, v] : k["by_category"].items()) {
      double t = 0;
      REQUIRE(cmrv_inventory_total_by(c.ctx, inv, "category", cat.c_str(), &t) == CMRV_OK);
      CHECK(Close(t, v.get<double>(), 1e-9));
    }
    if (k.contains("uncertainty")) {
      const auto& w = k["uncertainty"];
      double u = 0, half = 0;
      REQUIRE(cmrv_inventory_uncertainty(c.ctx, inv, "total", "total", &u, &half) == CMRV_OK);
      CHECK(Close(u, w["total_u_pct"].get<double>(), 1e-12));
      CHECK(Close(half, w["total_half_width_t"].get<double>(), 1e-12));
      for (const auto& [cat, v] : w["by_category"].items()) {
        REQUIRE(cmrv_inventory_uncertainty(c.ctx, inv, "category", cat.c_str(), &u, nullptr) == CMRV_OK);
        CHECK(Close(u, v.get<double>(), 1e-12));
      }
    }
    if (k.contains("dual_scope2")) {
      const auto& w = k["dual_scope2"];
      for (const char* m : {"location", "market"}) {
        double t = 0, s2 = 0;
        REQUIRE(cmrv_inventory_total_scope2(c.ctx, inv, m, &t, &s2) == CMRV_OK);
        CHECK(Close(t, w[std::string(m) + "_based_co2e_t"].get<double>(), 1e-9));
        CHECK(Close(s2, w[std::string("scope2_") + m + "_co2e_t"].get<double>(), 1e-9));
      }
      double t = 0;
      CHECK(cmrv_inventory_total_scope2(c.ctx, inv, "residual", &t, nullptr) == CMRV_ERR_INVALID_ARGUMENT);
      CHECK(c.msg().find("method: scope2_method \"residual\" is not one of location, market") != std::string::npos);
    }
    size_t n = 0;
    REQUIRE(cmrv_inventory_line_count(c.ctx, inv, &n) == CMRV_OK);
    for (const auto& want : k["lines"]) {
      bool found = false;
      for (size_t i = 0; i < n; ++i) {
        const char *src = nullptr, *period = nullptr, *gas = nullptr, *part = nullptr, *method = nullptr;
        REQUIRE(cmrv_inventory_line_field(c.ctx, inv, i, "source", &src) == CMRV_OK);
        REQUIRE(cmrv_inventory_line_field(c.ctx, inv, i, "period", &period) == CMRV_OK);
        REQUIRE(cmrv_inventory_line_field(c.ctx, inv, i, "gas", &gas) == CMRV_OK);
        REQUIRE(cmrv_inventory_line_field(c.ctx, inv, i, "part", &part) == CMRV_OK);
        REQUIRE(cmrv_inventory_line_field(c.ctx, inv, i, "scope2_method", &method) == CMRV_OK);
        if (want["source"] == src && want["period"] == period && want["gas"] == gas && want.value("part", "") == part &&
            want.value("scope2_method", "") == method) {
          double mass = 0, co2e = 0;
          REQUIRE(cmrv_inventory_line_values(c.ctx, inv, i, &mass, &co2e) == CMRV_OK);
          CHECK(Close(mass, want["mass_t"].get<double>(), 1e-9));
          if (want.contains("u_pct")) {
            double u = 0;
            REQUIRE(cmrv_inventory_line_uncertainty(c.ctx, inv, i, &u) == CMRV_OK);
            CHECK(Close(u, want["u_pct"].get<double>(), 1e-12));
          }
          found = true;
        }
      }
      CHECK(found);
    }
    char* js = nullptr;
    REQUIRE(cmrv_inventory_to_json(c.ctx, inv, &js) == CMRV_OK);
    auto doc = nlohmann::json::parse(js);
    cmrv_free(js);
    CHECK(doc["schema"] == "carbonmrv.inventory/1");
    CHECK(Close(doc["totals"]["co2e_t"].get<double>(), total, 0));
    // At least the activity and one factor; a mass balance's one derived term holds all its inputs.
    CHECK(doc["lines"][0]["trace"]["terms"].size() >= (doc["lines"][0]["kind"] == "fgas_mass_balance" ? 1u : 2u));
    cmrv_inventory_destroy(inv);
    cmrv_inventory_options_destroy(o);
    cmrv_enterprise_destroy(e);
  }
}

TEST_CASE("C API: building an enterprise with calls", "[capi][inventory]") {
  Ctx c;
  cmrv_enterprise* e = nullptr;
  REQUIRE(cmrv_enterprise_create(c.ctx, "ERP-built works", "CN-37", 2023, &e) == CMRV_OK);
  REQUIRE(cmrv_enterprise_add_source(c.ctx, e, "gas", "fuel_combustion", "天然气", "energy_ef") == CMRV_OK);
  REQUIRE(cmrv_enterprise_add_activity(c.ctx, e, "gas", "2023", 10, "万Nm3") == CMRV_OK);
  REQUIRE(cmrv_enterprise_set_factor(c.ctx, e, "gas", "ncv", 389.31, "GJ/10^4 Nm3", "supplier certificate") == CMRV_OK);
  REQUIRE(cmrv_enterprise_set_factor(c.ctx, e, "gas", "ef_co2", 56.1, "tCO2/TJ", "supplier certificate") == CMRV_OK);
  REQUIRE(cmrv_enterprise_add_measurement(c.ctx, e, "gas", "2023", "ncv", 390.0, "GJ/10^4 Nm3", "lab") == CMRV_OK);
  cmrv_inventory* inv = nullptr;
  REQUIRE(cmrv_inventory_compute(c.ctx, e, c.cat, nullptr, &inv) == CMRV_OK);
  double total = 0;
  REQUIRE(cmrv_inventory_total_co2e(c.ctx, inv, &total) == CMRV_OK);
  // 10 × 10^4 Nm3 × 390 GJ/10^4 Nm3 (measured) = 3900 GJ = 3.9 TJ × 56.1 tCO2/TJ = 218.79 tCO2.
  CHECK(Close(total, 218.79, 1e-12));
  cmrv_inventory_destroy(inv);

  // Builder errors come with the same JSON paths as documents.
  REQUIRE(cmrv_enterprise_add_activity(c.ctx, e, "gas", "2024", 1, "tonn") == CMRV_OK);
  CHECK(cmrv_inventory_compute(c.ctx, e, c.cat, nullptr, &inv) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_context_last_error_detail(c.ctx) == CMRV_DETAIL_INVALID_DOCUMENT);
  CHECK(c.msg().find("sources[0].activity[1].period: \"2024\" is not \"2023\"") != std::string::npos);
  CHECK(c.msg().find("sources[0].activity[1].unit: unknown unit \"tonn\"") != std::string::npos);
  CHECK(cmrv_enterprise_add_activity(c.ctx, e, "nope", "2023", 1, "t") == CMRV_ERR_NOT_FOUND);
  CHECK(cmrv_enterprise_add_activity(c.ctx, e, "gas", "2023", std::nan(""), "t") == CMRV_ERR_INVALID_ARGUMENT);
  cmrv_enterprise_destroy(e);
}

TEST_CASE("C API: an enterprise read from JSON is edited like a built one", "[capi][inventory]") {
  // A read document keeps only the validated enterprise; its first edit writes the document out to
  // change it (handles.hpp). Bituminous coal, energy_ef, IPCC 2006 defaults: NCV 25.8 GJ/t (Vol. 2 Table
  // 1.2) × EF 94 600 kgCO2/TJ (Table 1.4) = 2.44068 tCO2/t.
  Ctx c;
  const std::string doc =
      R"({"schema": "carbonmrv.enterprise/1", "enterprise": {"name": "read works", "region": "CN-44", "year": 2023},)"
      R"( "sources": [{"id": "boiler", "kind": "fuel_combustion", "carrier": "bituminous_coal", "method": "energy_ef",)"
      R"( "activity": [{"period": "2023-01", "value": 100, "unit": "t"}]}]})";
  cmrv_enterprise* e = nullptr;
  REQUIRE(cmrv_enterprise_from_json(c.ctx, doc.c_str(), &e) == CMRV_OK);
  auto total = [&]() {
    cmrv_inventory* inv = nullptr;
    const cmrv_status st = cmrv_inventory_compute(c.ctx, e, c.cat, nullptr, &inv);
    INFO(c.msg());
    REQUIRE(st == CMRV_OK);
    double t = 0;
    REQUIRE(cmrv_inventory_total_co2e(c.ctx, inv, &t) == CMRV_OK);
    cmrv_inventory_destroy(inv);
    return t;
  };
  // CO2 only: bituminous coal's CH4 and N2O need a technology, so they are noted as not estimated.
  CHECK(Close(total(), 100 * 2.44068, 1e-12));  // 244.068 t
  // A failed edit changes nothing.
  CHECK(cmrv_enterprise_add_activity(c.ctx, e, "nope", "2023-02", 1, "t") == CMRV_ERR_NOT_FOUND);
  CHECK(Close(total(), 244.068, 1e-12));
  // 50 t more in February, and a second source of 10 t: 160 t × 2.44068 = 390.5088 t.
  REQUIRE(cmrv_enterprise_add_activity(c.ctx, e, "boiler", "2023-02", 50, "t") == CMRV_OK);
  CHECK(Close(total(), 150 * 2.44068, 1e-12));
  REQUIRE(cmrv_enterprise_add_source(c.ctx, e, "kiln", "fuel_combustion", "bituminous_coal", "energy_ef") == CMRV_OK);
  REQUIRE(cmrv_enterprise_add_activity(c.ctx, e, "kiln", "2023-01", 10, "t") == CMRV_OK);
  REQUIRE(cmrv_enterprise_set_field(c.ctx, e, nullptr, "uscc", "91350100M000100Y43") == CMRV_OK);
  CHECK(Close(total(), 390.5088, 1e-12));
  char* json = nullptr;
  REQUIRE(cmrv_enterprise_to_json(c.ctx, e, &json) == CMRV_OK);
  const auto written = nlohmann::json::parse(json);
  cmrv_free(json);
  CHECK(written["enterprise"]["name"] == "read works");
  CHECK(written["enterprise"]["uscc"] == "91350100M000100Y43");
  REQUIRE(written["sources"].size() == 2);
  CHECK(written["sources"][0]["activity"].size() == 2);
  CHECK(written["sources"][0]["activity"][1]["value"] == 50.0);
  CHECK(written["sources"][1]["id"] == "kiln");
  cmrv_enterprise_destroy(e);
}

TEST_CASE("C API: an ERP builds purchased steam metered in tonnes", "[capi][inventory]") {
  Ctx c;
  cmrv_enterprise* e = nullptr;
  REQUIRE(cmrv_enterprise_create(c.ctx, "ERP steam works", "CN-37", 2023, &e) == CMRV_OK);
  REQUIRE(cmrv_enterprise_add_source(c.ctx, e, "steam", "purchased_heat", "heat", nullptr) == CMRV_OK);
  REQUIRE(cmrv_enterprise_add_activity(c.ctx, e, "steam", "2023-01", 1000, "t") == CMRV_OK);
  REQUIRE(cmrv_enterprise_set_factor(c.ctx, e, "steam", "heat_ef", 0.11, "tCO2/GJ", "stated by the reporter") ==
          CMRV_OK);
  cmrv_inventory* inv = nullptr;
  // Without the steam's state the heat is unknown: an error naming the source and period.
  CHECK(cmrv_inventory_compute(c.ctx, e, c.cat, nullptr, &inv) == CMRV_ERR_FAILED_PRECONDITION);
  CHECK(cmrv_context_last_error_detail(c.ctx) == CMRV_DETAIL_MISSING_PARAMETER);
  CHECK(c.msg().find("sources[0] (steam), period 2023-01: heat metered as a mass (t) needs the medium's state") == 0);
  REQUIRE(cmrv_enterprise_set_factor(c.ctx, e, "steam", "reference_enthalpy", 83.74, "kJ/kg",
                                     "stated by the reporter") == CMRV_OK);
  REQUIRE(cmrv_enterprise_add_measurement(c.ctx, e, "steam", "2023-01", "enthalpy", 2800, "kJ/kg", "steam table") ==
          CMRV_OK);
  REQUIRE(cmrv_inventory_compute(c.ctx, e, c.cat, nullptr, &inv) == CMRV_OK);
  double total = 0;
  REQUIRE(cmrv_inventory_total_co2e(c.ctx, inv, &total) == CMRV_OK);
  // 1000 t × (2800 − 83.74) kJ/kg = 2716.26 GJ × 0.11 tCO2/GJ = 298.7886 tCO2.
  CHECK(Close(total, 298.7886, 1e-13));
  const char* eq = nullptr;
  REQUIRE(cmrv_inventory_line_field(c.ctx, inv, 0, "equation", &eq) == CMRV_OK);
  CHECK(std::string(eq) == "E = AD × (h − h_ref) × EF");
  cmrv_inventory_destroy(inv);
  cmrv_enterprise_destroy(e);
}

TEST_CASE("C API: uncertainty of a built enterprise, and what is not assessed", "[capi][inventory]") {
  Ctx c;
  cmrv_enterprise* e = nullptr;
  REQUIRE(cmrv_enterprise_create(c.ctx, "ERP uncertainty works", "CN-37", 2023, &e) == CMRV_OK);
  REQUIRE(cmrv_enterprise_add_source(c.ctx, e, "grid", "purchased_electricity", nullptr, nullptr) == CMRV_OK);
  REQUIRE(cmrv_enterprise_add_activity(c.ctx, e, "grid", "2023", 1000, "MWh") == CMRV_OK);
  REQUIRE(cmrv_enterprise_set_factor(c.ctx, e, "grid", "grid_ef", 0.5, "tCO2/MWh", "stated") == CMRV_OK);
  REQUIRE(cmrv_enterprise_set_uncertainty(c.ctx, e, "grid", "2023", "activity", 0.5) == CMRV_OK);
  cmrv_inventory* inv = nullptr;
  REQUIRE(cmrv_inventory_compute(c.ctx, e, c.cat, nullptr, &inv) == CMRV_OK);
  double u = 0;
  // The factor has no uncertainty yet: not assessed, and the message says which input lacks one.
  CHECK(cmrv_inventory_uncertainty(c.ctx, inv, "total", "total", &u, nullptr) == CMRV_ERR_FAILED_PRECONDITION);
  CHECK(cmrv_context_last_error_detail(c.ctx) == CMRV_DETAIL_MISSING_PARAMETER);
  CHECK(c.msg() == "uncertainty of the total not assessed: no uncertainty for sources[0] (grid).factors.grid_ef");
  CHECK(cmrv_inventory_line_uncertainty(c.ctx, inv, 0, &u) == CMRV_ERR_FAILED_PRECONDITION);
  cmrv_inventory_destroy(inv);
  REQUIRE(cmrv_enterprise_set_uncertainty(c.ctx, e, "grid", nullptr, "grid_ef", 5) == CMRV_OK);
  REQUIRE(cmrv_inventory_compute(c.ctx, e, c.cat, nullptr, &inv) == CMRV_OK);
  double half = 0;
  REQUIRE(cmrv_inventory_uncertainty(c.ctx, inv, "total", "total", &u, &half) == CMRV_OK);
  // U = √(0.5² + 5²) = 5.024938 % of 500 t = 25.124689 t.
  CHECK(Close(u, std::sqrt(0.25 + 25.0), 1e-14));
  CHECK(Close(half, 500 * std::sqrt(0.25 + 25.0) / 100, 1e-14));
  CHECK(cmrv_inventory_uncertainty(c.ctx, inv, "category", "fuel_combustion", &u, nullptr) == CMRV_ERR_NOT_FOUND);
  CHECK(cmrv_inventory_uncertainty(c.ctx, inv, "colour", "x", &u, nullptr) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_inventory_uncertainty(c.ctx, inv, "total", "total", nullptr, nullptr) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_inventory_line_uncertainty(c.ctx, inv, 7, &u) == CMRV_ERR_OUT_OF_RANGE);
  CHECK(cmrv_enterprise_set_uncertainty(c.ctx, e, "grid", nullptr, "market_ef", 5) == CMRV_ERR_NOT_FOUND);
  CHECK(cmrv_enterprise_set_uncertainty(c.ctx, e, "grid", "2023", "ncv", 5) == CMRV_ERR_NOT_FOUND);
  CHECK(cmrv_enterprise_set_uncertainty(c.ctx, e, "grid", "2023", "activity", std::nan("")) ==
        CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_enterprise_set_uncertainty(c.ctx, e, "grid", "2023", "activity", 101) == CMRV_ERR_INVALID_ARGUMENT);
  cmrv_inventory_destroy(inv);
  cmrv_enterprise_destroy(e);
}

TEST_CASE("C API: inventory misuse and errors", "[capi][inventory]") {
  Ctx c;
  cmrv_enterprise* e = nullptr;
  CHECK(cmrv_enterprise_from_json(c.ctx, "{\"schema\": 1}", &e) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(e == nullptr);
  CHECK(c.msg().find("schema: expected a string, found number") != std::string::npos);
  CHECK(cmrv_enterprise_from_json(c.ctx, nullptr, &e) == CMRV_ERR_INVALID_ARGUMENT);
  REQUIRE(cmrv_enterprise_from_json(c.ctx, Read("enterprises/hand_calc.json").c_str(), &e) == CMRV_OK);
  cmrv_inventory* inv = nullptr;
  CHECK(cmrv_inventory_compute(c.ctx, e, nullptr, nullptr, &inv) == CMRV_ERR_INVALID_ARGUMENT);
  cmrv_inventory_options* o = nullptr;
  REQUIRE(cmrv_inventory_options_create(c.ctx, &o) == CMRV_OK);
  CHECK(cmrv_inventory_options_set(c.ctx, o, "colour", "red") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(c.msg() ==
        "option \"colour\" is not one of gwp_dataset (gwp), co2_per_carbon, co2_per_carbon_source, scope2_method "
        "(scope2), factor_preference (preference), uncertainty_unstated, threads");
  // The threads computing the sources: any number gives the same inventory (tests/cpp/test_inventory.cpp).
  CHECK(cmrv_inventory_options_set(c.ctx, o, "threads", "many") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(c.msg() == "threads \"many\" is not a whole number from 0 to 1024");
  REQUIRE(cmrv_inventory_options_set(c.ctx, o, "threads", "2") == CMRV_OK);
  // A bad value is refused when it is set (one options layer for every surface), not at compute time.
  CHECK(cmrv_inventory_options_set(c.ctx, o, "co2_per_carbon", "three") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(c.msg() == "co2_per_carbon \"three\" is not 44/12, 3.664 or a number (with co2_per_carbon_source)");
  CHECK(cmrv_inventory_options_set(c.ctx, o, "uncertainty_unstated", "zero") == CMRV_ERR_INVALID_ARGUMENT);
  // A stated ratio needs the document that states it, and must be the molar-mass ratio rounded.
  REQUIRE(cmrv_inventory_options_set(c.ctx, o, "co2_per_carbon", "3.67") == CMRV_OK);
  CHECK(cmrv_inventory_compute(c.ctx, e, c.cat, o, &inv) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(c.msg() == "co2_per_carbon 3.67 needs co2_per_carbon_source: the document that states the ratio");
  REQUIRE(cmrv_inventory_options_set(c.ctx, o, "co2_per_carbon", "12") == CMRV_OK);
  REQUIRE(cmrv_inventory_options_set(c.ctx, o, "co2_per_carbon_source", "a guideline") == CMRV_OK);
  CHECK(cmrv_inventory_compute(c.ctx, e, c.cat, o, &inv) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(c.msg().find("co2_per_carbon 12 is more than 1 % from the molar-mass ratio") == 0);
  REQUIRE(cmrv_inventory_options_set(c.ctx, o, "co2_per_carbon", "44/12") == CMRV_OK);
  // The GWP aliases of the CLI and Python work here too.
  REQUIRE(cmrv_inventory_options_set(c.ctx, o, "gwp", "AR6") == CMRV_OK);
  REQUIRE(cmrv_inventory_compute(c.ctx, e, c.cat, o, &inv) == CMRV_OK);
  char* doc = nullptr;
  REQUIRE(cmrv_inventory_to_json(c.ctx, inv, &doc) == CMRV_OK);
  CHECK(nlohmann::json::parse(doc)["conventions"]["gwp_dataset"] == "ipcc_ar6_gwp100");
  cmrv_free(doc);
  cmrv_inventory_destroy(inv);
  inv = nullptr;
  REQUIRE(cmrv_inventory_options_set(c.ctx, o, "gwp_dataset", "ipcc_ar5_gwp100") == CMRV_OK);
  REQUIRE(cmrv_inventory_options_set(c.ctx, o, "co2_per_carbon", "44/12") == CMRV_OK);
  REQUIRE(cmrv_inventory_compute(c.ctx, e, c.cat, o, &inv) == CMRV_OK);
  double m = 0, x = 0;
  CHECK(cmrv_inventory_line_values(c.ctx, inv, 999, &m, &x) == CMRV_ERR_OUT_OF_RANGE);
  const char* t = nullptr;
  CHECK(cmrv_inventory_line_field(c.ctx, inv, 0, "colour", &t) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_inventory_total_by(c.ctx, inv, "categroy", "x", &m) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(c.msg() == "key \"categroy\" is not one of total, category, scope, iso_category, gas, period, source");
  REQUIRE(cmrv_inventory_total_by(c.ctx, inv, "scope", "2", &m) == CMRV_OK);
  CHECK(Close(m, 500.0 - 110.0, 1e-12));  // purchased electricity − exported heat
  CHECK(cmrv_inventory_total_co2e(c.ctx, nullptr, &m) == CMRV_ERR_INVALID_ARGUMENT);
  cmrv_inventory_destroy(inv);
  cmrv_inventory_options_destroy(o);
  cmrv_enterprise_destroy(e);
  cmrv_enterprise_destroy(nullptr);
  cmrv_inventory_destroy(nullptr);
  cmrv_inventory_options_destroy(nullptr);
}

TEST_CASE("C API: sector, scope 3 and industry set with calls", "[capi][inventory]") {
  Ctx c;
  cmrv_enterprise* e = nullptr;
  REQUIRE(cmrv_enterprise_create(c.ctx, "ERP-built plant", "CN-11", 2023, &e) == CMRV_OK);
  REQUIRE(cmrv_enterprise_set_field(c.ctx, e, nullptr, "industry", "4411") == CMRV_OK);
  REQUIRE(cmrv_enterprise_add_source(c.ctx, e, "gas", "fuel_combustion", "natural_gas", nullptr) == CMRV_OK);
  REQUIRE(cmrv_enterprise_add_activity(c.ctx, e, "gas", "2023", 100, "10^4 Nm3") == CMRV_OK);
  REQUIRE(cmrv_enterprise_add_source(c.ctx, e, "trucks", "fuel_combustion", "diesel", nullptr) == CMRV_OK);
  REQUIRE(cmrv_enterprise_set_field(c.ctx, e, "trucks", "scope3_category", "4") == CMRV_OK);
  REQUIRE(cmrv_enterprise_set_field(c.ctx, e, "trucks", "iso_category", "3") == CMRV_OK);
  REQUIRE(cmrv_enterprise_add_activity(c.ctx, e, "trucks", "2023", 2, "t") == CMRV_OK);
  cmrv_inventory_options* o = nullptr;
  REQUIRE(cmrv_inventory_options_create(c.ctx, &o) == CMRV_OK);
  REQUIRE(cmrv_inventory_options_set(c.ctx, o, "factor_preference", "cn_gbt32151_22_2024_c1,@national,@ipcc") ==
          CMRV_OK);
  cmrv_inventory* inv = nullptr;
  REQUIRE(cmrv_inventory_compute(c.ctx, e, c.cat, o, &inv) == CMRV_OK);
  // Industry 4411 → IPCC Table 2.2: natural gas N2O 0.1 kg/TJ × 38.931 TJ = 3.8931 kg (as
  // tests/data/inventory_cases.json, scope_lines.json); the trucks' 6.191819 tCO2 under scope 3 only.
  double n2o = 0, scope3 = 0, scope1 = 0;
  REQUIRE(cmrv_inventory_total_by(c.ctx, inv, "gas", "n2o", &n2o) == CMRV_OK);
  CHECK(Close(n2o, 0.0038931 * 265, 1e-12));
  REQUIRE(cmrv_inventory_total_by(c.ctx, inv, "scope", "3", &scope3) == CMRV_OK);
  CHECK(Close(scope3, 6.191819274666667, 1e-12));
  REQUIRE(cmrv_inventory_total_by(c.ctx, inv, "scope", "1", &scope1) == CMRV_OK);
  CHECK(Close(scope1, 2162.188809 + 0.038931 * 28 + 0.0038931 * 265, 1e-12));
  cmrv_inventory_destroy(inv);
  // Unknown keys list the valid ones; a bad value is reported at its path when the document is read.
  CHECK(cmrv_enterprise_set_field(c.ctx, e, nullptr, "sector", "x") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(c.msg() == "enterprise field \"sector\" is not one of industry, uscc");
  CHECK(cmrv_enterprise_set_field(c.ctx, e, "trucks", "colour", "red") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_enterprise_set_field(c.ctx, e, "nope", "sector", "energy_industries") == CMRV_ERR_NOT_FOUND);
  REQUIRE(cmrv_enterprise_set_field(c.ctx, e, "gas", "sector", "power") == CMRV_OK);
  CHECK(cmrv_inventory_compute(c.ctx, e, c.cat, o, &inv) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(c.msg().find("sources[0].sector: sector \"power\" is not one of") != std::string::npos);
  cmrv_inventory_options_destroy(o);
  cmrv_enterprise_destroy(e);
}

TEST_CASE("C API: a large document read on all cores gives the hand-calculated total and one-thread errors",
          "[capi][inventory]") {
  // 16 000 sources × 12 months of bituminous coal (~11 MB): from 4 MiB of text per core the document is
  // read in runs, one per core (Enterprise::FromJson). Total by hand: Σ q × NCV 25.8 GJ/t (IPCC 2006
  // Vol. 2 Table 1.2) × EF 94 600 kgCO2/TJ (Table 1.4) ÷ 10⁶ (10³ GJ per TJ, 10³ kg per t), in t.
  auto document = [](const std::string& repeated_id) {
    std::string doc = R"({"schema": "carbonmrv.enterprise/1", "enterprise": {"name": "b", "region": "CN-44", )"
                      R"("year": 2023}, "sources": [)";
    for (int s = 0; s < 16000; ++s) {
      const std::string id = s == 15000 && !repeated_id.empty() ? repeated_id : "s" + std::to_string(s);
      doc += std::string(s ? "," : "") + R"({"id": ")" + id +
             R"(", "kind": "fuel_combustion", "carrier": "bituminous_coal", "method": "energy_ef", "activity": [)";
      for (int m = 1; m <= 12; ++m) {
        doc += std::string(m > 1 ? "," : "") + R"({"period": "2023-)" + (m < 10 ? "0" : "") + std::to_string(m) +
               R"(", "value": )" + std::to_string(80 + (s + m) % 40) + R"(, "unit": "t"})";
      }
      doc += "]}";
    }
    return doc + "]}";
  };
  double quantity = 0;
  for (int s = 0; s < 16000; ++s) {
    for (int m = 1; m <= 12; ++m) quantity += 80 + (s + m) % 40;
  }
  Ctx c;
  const std::string doc = document("");
  REQUIRE(doc.size() > 2 * 4 * (std::size_t{1} << 20));
  cmrv_enterprise* e = nullptr;
  REQUIRE(cmrv_enterprise_from_json(c.ctx, doc.c_str(), &e) == CMRV_OK);
  cmrv_inventory* inv = nullptr;
  REQUIRE(cmrv_inventory_compute(c.ctx, e, c.cat, nullptr, &inv) == CMRV_OK);
  double total = 0;
  REQUIRE(cmrv_inventory_total_co2e(c.ctx, inv, &total) == CMRV_OK);
  // 192 000 lines, each rounded and summed in order: within 1e-9 of the product of the sums. A run lost
  // or read twice would move it by 1/16 000 of the total or more.
  CHECK(Close(total, quantity * 25.8 * 94600 / 1e6, 1e-9));
  cmrv_inventory_destroy(inv);
  // The same document on one thread and on two, as a host reading documents side by side asks for it:
  // the same total, bit for bit.
  for (uint32_t threads : {1u, 2u}) {
    INFO("threads " << threads);
    cmrv_enterprise* t = nullptr;
    REQUIRE(cmrv_enterprise_from_json_threads(c.ctx, doc.c_str(), threads, &t) == CMRV_OK);
    REQUIRE(cmrv_inventory_compute(c.ctx, t, c.cat, nullptr, &inv) == CMRV_OK);
    double again = 0;
    REQUIRE(cmrv_inventory_total_co2e(c.ctx, inv, &again) == CMRV_OK);
    CHECK(again == total);
    cmrv_inventory_destroy(inv);
    cmrv_enterprise_destroy(t);
  }
  cmrv_enterprise* none = nullptr;
  CHECK(cmrv_enterprise_from_json_threads(c.ctx, doc.c_str(), 1025, &none) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(none == nullptr);
  CHECK(c.msg() == "threads: 1025 is outside 0 – 1024 (0: every core)");
  cmrv_enterprise_destroy(e);
  // A source id repeated in another run than the first: refused, named at its own index.
  cmrv_enterprise* bad = nullptr;
  CHECK(cmrv_enterprise_from_json(c.ctx, document("s3").c_str(), &bad) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(bad == nullptr);
  CHECK(c.msg().find("sources[15000].id: duplicate source id \"s3\"") != std::string::npos);
}
