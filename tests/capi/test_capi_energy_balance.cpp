// C API: the energy balance on the shared fixtures (parity with the C++ and Python suites), and
// misuse.
#include "carbonmrv.h"
#include "support/fixtures.hpp"

#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <string>

namespace {

using cmrv_test::Patched;
using cmrv_test::Read;
using nlohmann::json;

struct Fixture {
  cmrv_context* ctx = cmrv_context_create();
  cmrv_factor_catalogue* cat = nullptr;
  cmrv_enterprise* ent = nullptr;
  cmrv_energy_balance* bal = nullptr;
  Fixture() { REQUIRE(cmrv_factor_catalogue_open_builtin(ctx, &cat) == CMRV_OK); }
  ~Fixture() {
    cmrv_energy_balance_destroy(bal);
    cmrv_enterprise_destroy(ent);
    cmrv_factor_catalogue_destroy(cat);
    cmrv_context_destroy(ctx);
  }
  std::string msg() const { return cmrv_context_last_error_message(ctx); }
};

const json& Cases() {
  static const json cases = json::parse(Read("energy_balance_cases.json"));
  return cases;
}

bool Close(double a, double b) { return cmrv_test::Close(a, b, Cases()["tolerance_rel"].get<double>()); }

}  // namespace

TEST_CASE("C API: energy balance fixtures", "[capi][energy_balance][parity]") {
  for (const auto& c : Cases()["cases"]) {
    INFO(c["name"].get<std::string>());
    Fixture f;
    REQUIRE(cmrv_enterprise_from_json(f.ctx, Patched(c).c_str(), &f.ent) == CMRV_OK);
    REQUIRE(cmrv_energy_balance_compute(f.ctx, f.ent, f.cat, nullptr, nullptr, &f.bal) == CMRV_OK);
    const char* status = nullptr;
    REQUIRE(cmrv_energy_balance_status(f.ctx, f.bal, &status) == CMRV_OK);
    CHECK(std::string(status) == c["status"].get<std::string>());
    for (const auto& x : c.value("comprehensive", json::array())) {
      INFO(x.dump());
      double v = 0;
      REQUIRE(cmrv_energy_balance_comprehensive(f.ctx, f.bal, x["convention"].get<std::string>().c_str(),
                                                x["include_feedstock"].get<bool>() ? 1 : 0, &v) == CMRV_OK);
      CHECK(Close(v, x["tce"]));
    }
    for (const auto& x : c.value("cells", json::array())) {
      INFO(x.dump());
      double v = 0;
      REQUIRE(cmrv_energy_balance_cell(f.ctx, f.bal, x["row"].get<std::string>().c_str(),
                                       x["carrier"].get<std::string>().c_str(), x["basis"].get<std::string>().c_str(),
                                       &v) == CMRV_OK);
      CHECK(Close(v, x["value"]));
    }
    size_t n = 0;
    REQUIRE(cmrv_energy_balance_closure_count(f.ctx, f.bal, &n) == CMRV_OK);
    for (const auto& x : c.value("closures", json::array())) {
      INFO(x.dump());
      bool found = false;
      for (size_t i = 0; i < n; ++i) {
        const char *subject = nullptr, *link = nullptr, *st = nullptr;
        double tce = 0, rel = 0;
        REQUIRE(cmrv_energy_balance_closure(f.ctx, f.bal, i, &subject, &link, &st, &tce, &rel) == CMRV_OK);
        if (x["subject"].get<std::string>() != subject || x["link"].get<std::string>() != link) continue;
        found = true;
        CHECK(std::string(st) == x["status"].get<std::string>());
        if (x.contains("imbalance_tce")) CHECK(Close(tce, x["imbalance_tce"]));
        if (x.contains("relative")) CHECK(Close(rel, x["relative"]));
      }
      CHECK(found);
    }
  }
}

TEST_CASE("C API: energy balance bad input names the field", "[capi][energy_balance]") {
  for (const auto& c : Cases()["errors"]) {
    INFO(c["name"].get<std::string>());
    Fixture f;
    cmrv_status st = cmrv_enterprise_from_json(f.ctx, Patched(c).c_str(), &f.ent);
    if (c.value("compute", false)) {
      REQUIRE(st == CMRV_OK);
      st = cmrv_energy_balance_compute(f.ctx, f.ent, f.cat, "", "", &f.bal);
      CHECK(st == CMRV_ERR_FAILED_PRECONDITION);
      CHECK(cmrv_context_last_error_detail(f.ctx) == CMRV_DETAIL_MISSING_PARAMETER);
      CHECK(f.bal == nullptr);
    } else {
      CHECK(st == CMRV_ERR_INVALID_ARGUMENT);
      CHECK(cmrv_context_last_error_detail(f.ctx) == CMRV_DETAIL_INVALID_DOCUMENT);
      CHECK(f.ent == nullptr);
    }
    CHECK(f.msg().find(c["message"].get<std::string>()) != std::string::npos);
  }
}

TEST_CASE("C API: energy balance misuse and outputs", "[capi][energy_balance]") {
  Fixture f;
  REQUIRE(cmrv_enterprise_from_json(f.ctx, Read("enterprises/hand_balance.json").c_str(), &f.ent) == CMRV_OK);
  CHECK(cmrv_energy_balance_compute(f.ctx, f.ent, f.cat, "2024", nullptr, &f.bal) == CMRV_ERR_NOT_FOUND);
  CHECK(f.msg() == "no energy balance for period \"2024\"; periods given: 2023");
  CHECK(cmrv_energy_balance_compute(f.ctx, f.ent, f.cat, nullptr, "no_such_dataset", &f.bal) != CMRV_OK);
  CHECK(cmrv_energy_balance_compute(f.ctx, nullptr, f.cat, nullptr, nullptr, &f.bal) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(f.msg() == "enterprise is NULL");
  REQUIRE(cmrv_energy_balance_compute(f.ctx, f.ent, f.cat, "2023", "gbt2589_2008_annex_a", &f.bal) == CMRV_OK);

  size_t n = 0;
  REQUIRE(cmrv_energy_balance_carrier_count(f.ctx, f.bal, &n) == CMRV_OK);
  CHECK(n == 5);
  const char *carrier = nullptr, *unit = nullptr;
  REQUIRE(cmrv_energy_balance_carrier(f.ctx, f.bal, 2, &carrier, &unit) == CMRV_OK);
  CHECK(std::string(carrier) == "natural_gas");
  CHECK(std::string(unit) == "10^4 Nm3");
  CHECK(cmrv_energy_balance_carrier(f.ctx, f.bal, 5, &carrier, nullptr) == CMRV_ERR_OUT_OF_RANGE);
  CHECK(cmrv_energy_balance_closure(f.ctx, f.bal, 99, nullptr, nullptr, nullptr, nullptr, nullptr) ==
        CMRV_ERR_OUT_OF_RANGE);

  double v = 0;
  CHECK(cmrv_energy_balance_cell(f.ctx, f.bal, "bought", "raw_coal", "tce", &v) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(f.msg().find("row \"bought\"") != std::string::npos);
  CHECK(cmrv_energy_balance_cell(f.ctx, f.bal, "purchased", "coke", "tce", &v) == CMRV_ERR_NOT_FOUND);
  CHECK(f.msg() ==
        "carrier \"coke\" is not in the balance; columns: raw_coal, diesel, natural_gas, "
        "electricity, heat, total");
  CHECK(cmrv_energy_balance_cell(f.ctx, f.bal, "purchased", "total", "physical", &v) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_energy_balance_comprehensive(f.ctx, f.bal, "primary", 1, &v) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_energy_balance_comprehensive(f.ctx, f.bal, "declared", 2, &v) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_energy_balance_comprehensive(f.ctx, f.bal, "declared", -1, nullptr) == CMRV_ERR_INVALID_ARGUMENT);

  char* text = nullptr;
  REQUIRE(cmrv_energy_balance_to_json(f.ctx, f.bal, &text) == CMRV_OK);
  const json doc = json::parse(text);
  cmrv_free(text);
  CHECK(doc["schema"] == "carbonmrv.energy_balance/1");
  CHECK(doc["columns"][0]["coefficient_source"].get<std::string>().rfind("dataset gbt2589_2008_annex_a", 0) == 0);
  REQUIRE(cmrv_energy_balance_to_csv(f.ctx, f.bal, "physical", &text) == CMRV_OK);
  const std::string csv = text;
  cmrv_free(text);
  CHECK(csv.rfind("row,raw_coal [t],diesel [t],natural_gas [10^4 Nm3],electricity [MWh],heat [GJ]\n", 0) == 0);
  CHECK(cmrv_energy_balance_to_csv(f.ctx, f.bal, "kWh", &text) == CMRV_ERR_INVALID_ARGUMENT);
  cmrv_energy_balance_destroy(nullptr);
}
