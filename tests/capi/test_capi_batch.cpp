// C API: the batch engine over an ERP's own record array (strided columns), policies and misuse.
#include <cmath>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "carbonmrv.h"

namespace {

// How an ERP might hold its records: one struct per record, columns interleaved.
struct Record {
  int32_t carrier;
  int32_t unit;
  double quantity;
  int32_t group;
};

struct Fixture {
  cmrv_context* ctx = cmrv_context_create();
  cmrv_factor_catalogue* cat = nullptr;
  cmrv_batch_options* opt = nullptr;
  Fixture() {
    REQUIRE(cmrv_factor_catalogue_open_builtin(ctx, &cat) == CMRV_OK);
    REQUIRE(cmrv_batch_options_create(ctx, &opt) == CMRV_OK);
    REQUIRE(cmrv_batch_options_set(ctx, opt, "region", "US") == CMRV_OK);
    REQUIRE(cmrv_batch_options_set(ctx, opt, "year", "2023") == CMRV_OK);
    REQUIRE(cmrv_batch_options_set(ctx, opt, "method", "energy_ef") == CMRV_OK);
  }
  ~Fixture() {
    cmrv_batch_options_destroy(opt);
    cmrv_factor_catalogue_destroy(cat);
    cmrv_context_destroy(ctx);
  }
};

const char* const kCarriers[] = {"bituminous_coal", "natural_gas"};
const char* const kUnits[] = {"short_ton", "scf"};

}  // namespace

TEST_CASE("C API: batch over strided ERP records", "[capi][batch]") {
  Fixture f;
  std::vector<Record> recs = {{0, 0, 10.0, 0}, {1, 1, 1e6, 1}, {0, 0, 5.0, 1}};
  std::vector<double> co2e(3), groups(2);
  char* report = nullptr;
  REQUIRE(cmrv_batch_compute(f.ctx, f.cat, f.opt, recs.size(), &recs[0].carrier, sizeof(Record), kCarriers, 2,
                             &recs[0].unit, sizeof(Record), kUnits, 2, &recs[0].quantity, sizeof(Record),
                             &recs[0].group, sizeof(Record), 2, co2e.data(), groups.data(), &report) == CMRV_OK);
  const auto rep = nlohmann::json::parse(report);
  cmrv_free(report);
  CHECK(rep["valid"] == 3);
  // EPA hub 2021, bituminous coal per short ton: 24.93 MMBtu × 93.28 kgCO2 = 2.3254704 tCO2;
  // CH4 24.93 × 11 g × 28 (AR5) = 0.00767844; N2O 24.93 × 1.6 g × 265 = 0.01057032 → 2.34371916 tCO2e.
  CHECK(std::abs(co2e[0] - 23.4371916) <= 1e-12 * 23.4371916);
  CHECK(std::abs(co2e[2] - 11.7185958) <= 1e-12 * 11.7185958);
  CHECK(groups[0] == co2e[0]);
  CHECK(groups[1] == co2e[1] + co2e[2]);
}

TEST_CASE("C API: batch policies and misuse", "[capi][batch]") {
  Fixture f;
  std::vector<Record> recs = {{0, 0, 10.0, 0}, {0, 0, -1.0, 0}, {7, 0, 1.0, 0}};
  std::vector<double> co2e(3, 0.0);
  CHECK(cmrv_batch_compute(f.ctx, f.cat, f.opt, 3, &recs[0].carrier, sizeof(Record), kCarriers, 2, &recs[0].unit,
                           sizeof(Record), kUnits, 2, &recs[0].quantity, sizeof(Record), nullptr, 0, 0, co2e.data(),
                           nullptr, nullptr) == CMRV_ERR_INVALID_ARGUMENT);
  const std::string msg = cmrv_context_last_error_message(f.ctx);
  CHECK(msg.find("2 invalid record(s); nothing computed:") == 0);
  CHECK(msg.find("negative: 1 record(s), first rows 1") != std::string::npos);
  CHECK(co2e[0] == 0.0);
  REQUIRE(cmrv_batch_options_set(f.ctx, f.opt, "policy", "skip") == CMRV_OK);
  REQUIRE(cmrv_batch_compute(f.ctx, f.cat, f.opt, 3, &recs[0].carrier, sizeof(Record), kCarriers, 2, &recs[0].unit,
                             sizeof(Record), kUnits, 2, &recs[0].quantity, sizeof(Record), nullptr, 0, 0, co2e.data(),
                             nullptr, nullptr) == CMRV_OK);
  CHECK(std::isnan(co2e[1]));
  CHECK(co2e[0] > 0);
  CHECK(cmrv_batch_options_set(f.ctx, f.opt, "year", "20x3") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_batch_options_set(f.ctx, f.opt, "policy", "maybe") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_batch_options_set(f.ctx, f.opt, "colour", "red") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_batch_compute(f.ctx, f.cat, f.opt, 3, nullptr, 4, kCarriers, 2, &recs[0].unit, sizeof(Record), kUnits, 2,
                           &recs[0].quantity, sizeof(Record), nullptr, 0, 0, nullptr, nullptr, nullptr) ==
        CMRV_ERR_INVALID_ARGUMENT);
  CHECK(std::string(cmrv_context_last_error_message(f.ctx)) == "carrier_codes is NULL");
}
