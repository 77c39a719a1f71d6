// C API: regressions of the malformed-input sweep (issue 19) through the surface an ERP links:
// the shared malformed documents, text that is not UTF-8, broadcast columns, and one enterprise
// computed from many threads at once (run under TSan in CI).
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "carbonmrv.h"
#include "support/capi_fixture.hpp"
#include "support/cases.hpp"

namespace {

using Ctx = cmrv_test::CatalogueContext;

const char* kMinimal =
    R"({"schema": "carbonmrv.enterprise/1", "enterprise": {"name": "m", "region": "US", "year": 2023},
 "sources": [{"id": "coal", "kind": "fuel_combustion", "carrier": "bituminous_coal", "method": "energy_ef",
              "activity": [{"period": "2023", "value": 10, "unit": "short_ton"}]}]})";

}  // namespace

TEST_CASE("C API: every malformed document gets a clear error, never INTERNAL", "[capi][hardening]") {
  Ctx c;
  const auto cases = nlohmann::json::parse(cmrv_test::ReadData("malformed_cases.json"));
  cmrv_enterprise* ok = nullptr;
  REQUIRE(cmrv_enterprise_from_json(c.ctx, kMinimal, &ok) == CMRV_OK);
  for (const auto& k : cmrv_test::Counted(cases, "malformed_cases.json", "cases")) {
    INFO(k["name"].get<std::string>());
    const std::string text = cmrv_test::MalformedText(k), reader = k["reader"];
    cmrv_status st = CMRV_OK;
    if (reader == "enterprise") {
      cmrv_enterprise* e = nullptr;
      st = cmrv_enterprise_from_json(c.ctx, text.c_str(), &e);
      CHECK(e == nullptr);
    } else if (reader == "inventory") {  // a reported inventory enters through cmrv_verify
      cmrv_verification* v = nullptr;
      st = cmrv_verify(c.ctx, ok, c.cat, text.c_str(), nullptr, &v);
      CHECK(v == nullptr);
    } else {
      char* out = nullptr;
      st = cmrv_region_compare_json(c.ctx, c.cat, text.c_str(), &out);
      CHECK(out == nullptr);
    }
    INFO(c.msg());
    CHECK(st == CMRV_ERR_INVALID_ARGUMENT);
    CHECK(c.msg().find(k["contains"].get<std::string>()) != std::string::npos);
  }
  cmrv_enterprise_destroy(ok);
}

TEST_CASE("C API: text that is not UTF-8 is refused where it enters", "[capi][hardening]") {
  Ctx c;
  cmrv_enterprise* e = nullptr;
  CHECK(cmrv_enterprise_create(c.ctx, "bad \xff name", "CN-44", 2023, &e) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(c.msg() == "name is not valid UTF-8");
  REQUIRE(cmrv_enterprise_create(c.ctx, "水泥厂", "CN-44", 2023, &e) == CMRV_OK);
  CHECK(cmrv_enterprise_add_source(c.ctx, e, "k\xc3", "fuel_combustion", "bituminous_coal", nullptr) ==
        CMRV_ERR_INVALID_ARGUMENT);
  CHECK(c.msg() == "source_id is not valid UTF-8");
  REQUIRE(cmrv_enterprise_add_source(c.ctx, e, "kiln", "fuel_combustion", "bituminous_coal", nullptr) == CMRV_OK);
  CHECK(cmrv_enterprise_add_activity(c.ctx, e, "kiln", "2023", 10, "t\xed\xa0\x80") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(c.msg() == "unit is not valid UTF-8");  // a UTF-16 surrogate encoded in UTF-8
  // An empty provenance is empty, not NULL.
  CHECK(cmrv_enterprise_set_factor(c.ctx, e, "kiln", "ncv", 20, "GJ/t", "") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(c.msg() == "provenance is empty; name where the value comes from (document, table, row)");
  // The enterprise still serialises: nothing invalid was stored.
  char* json = nullptr;
  REQUIRE(cmrv_enterprise_add_activity(c.ctx, e, "kiln", "2023", 10, "t") == CMRV_OK);
  REQUIRE(cmrv_enterprise_to_json(c.ctx, e, &json) == CMRV_OK);
  cmrv_free(json);
  cmrv_enterprise_destroy(e);
  // Messages that echo bad input are themselves valid UTF-8.
  double out = 0;
  CHECK(cmrv_unit_convert(c.ctx, 1, "k\xffg", "t", &out) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(c.msg().find("\xEF\xBF\xBD") != std::string::npos);
}

TEST_CASE("C API: stride 0 is a broadcast input, outputs need a stride", "[capi][hardening]") {
  Ctx c;
  // One value converted into every element: 2.5 t → 2500 kg, three times.
  const double one = 2.5;
  double out[3] = {0, 0, 0};
  REQUIRE(cmrv_unit_convert_array(c.ctx, "t", "kg", &one, 0, 3, out, sizeof(double)) == CMRV_OK);
  CHECK(out[0] == 2500.0);
  CHECK(out[2] == 2500.0);
  CHECK(cmrv_unit_convert_array(c.ctx, "t", "kg", &one, 0, 3, out, 0) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(c.msg() == "out_stride_bytes 0 is below sizeof(double); outputs need a stride of at least 8 (0 is for inputs)");
}

TEST_CASE("C API: one enterprise computed by many threads at once", "[capi][hardening][threads]") {
  // Built with calls, so the first compute validates it lazily: that validation raced (74 TSan
  // reports) before it was made safe for concurrent readers.
  cmrv_context* setup = cmrv_context_create();
  cmrv_factor_catalogue* cat = nullptr;
  REQUIRE(cmrv_factor_catalogue_open_builtin(setup, &cat) == CMRV_OK);
  cmrv_enterprise* e = nullptr;
  REQUIRE(cmrv_enterprise_create(setup, "shared", "US", 2023, &e) == CMRV_OK);
  REQUIRE(cmrv_enterprise_add_source(setup, e, "coal", "fuel_combustion", "bituminous_coal", "energy_ef") == CMRV_OK);
  REQUIRE(cmrv_enterprise_add_activity(setup, e, "coal", "2023", 10, "short_ton") == CMRV_OK);
  constexpr std::size_t kThreads = 8;
  std::vector<double> totals(kThreads, 0.0);
  std::vector<cmrv_status> status(kThreads, CMRV_ERR_UNKNOWN);
  std::vector<std::thread> pool;
  for (std::size_t t = 0; t < kThreads; ++t) {
    pool.emplace_back([&, t] {
      cmrv_context* ctx = cmrv_context_create();  // one context per thread, as documented
      cmrv_inventory* inv = nullptr;
      status[t] = cmrv_inventory_compute(ctx, e, cat, nullptr, &inv);
      if (status[t] == CMRV_OK) cmrv_inventory_total_co2e(ctx, inv, &totals[t]);
      char* json = nullptr;
      if (cmrv_enterprise_to_json(ctx, e, &json) == CMRV_OK) cmrv_free(json);
      cmrv_inventory_destroy(inv);
      cmrv_context_destroy(ctx);
    });
  }
  for (auto& th : pool) th.join();
  for (std::size_t t = 0; t < kThreads; ++t) {
    CHECK(status[t] == CMRV_OK);
    // EPA hub 2021 bituminous coal, 2.34371916 tCO2e per short ton (AR5): 10 short tons.
    CHECK(std::abs(totals[t] - 23.4371916) <= 1e-9);
  }
  cmrv_enterprise_destroy(e);
  cmrv_factor_catalogue_destroy(cat);
  cmrv_context_destroy(setup);
}

TEST_CASE("C API: error paths report what is wrong (coverage of the C layer)", "[capi][hardening]") {
  Ctx c;
  // Status names for every code, and an unknown one.
  CHECK(std::string(cmrv_status_name(CMRV_OK)) == "ok");
  CHECK(std::string(cmrv_status_name(CMRV_ERR_CANCELLED)) == "cancelled");
  CHECK(std::string(cmrv_status_name(CMRV_ERR_UNKNOWN)) == "unknown");
  CHECK(std::string(cmrv_status_name(CMRV_ERR_NOT_FOUND)) == "not_found");
  CHECK(std::string(cmrv_status_name(CMRV_ERR_ALREADY_EXISTS)) == "already_exists");
  CHECK(std::string(cmrv_status_name(CMRV_ERR_RESOURCE_EXHAUSTED)) == "resource_exhausted");
  CHECK(std::string(cmrv_status_name(CMRV_ERR_FAILED_PRECONDITION)) == "failed_precondition");
  CHECK(std::string(cmrv_status_name(CMRV_ERR_UNIMPLEMENTED)) == "unimplemented");
  CHECK(std::string(cmrv_status_name(CMRV_ERR_INTERNAL)) == "internal");
  // Builder: non-finite values, and a measurement or uncertainty for a period the source lacks.
  cmrv_enterprise* e = nullptr;
  REQUIRE(cmrv_enterprise_create(c.ctx, "e", "US", 2023, &e) == CMRV_OK);
  REQUIRE(cmrv_enterprise_add_source(c.ctx, e, "coal", "fuel_combustion", "bituminous_coal", "energy_ef") == CMRV_OK);
  REQUIRE(cmrv_enterprise_add_activity(c.ctx, e, "coal", "2023", 10, "short_ton") == CMRV_OK);
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(cmrv_enterprise_set_factor(c.ctx, e, "coal", "ncv", inf, "GJ/t", "lab") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(c.msg() == "value is not finite");
  CHECK(cmrv_enterprise_add_measurement(c.ctx, e, "coal", "2023", "ncv", inf, "GJ/t", "lab") ==
        CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_enterprise_add_measurement(c.ctx, e, "coal", "2023-05", "ncv", 20, "GJ/t", "lab") == CMRV_ERR_NOT_FOUND);
  CHECK(cmrv_context_last_error_detail(c.ctx) == CMRV_DETAIL_NOT_FOUND);
  CHECK(c.msg() == "source \"coal\" has no activity for period \"2023-05\"");
  CHECK(cmrv_enterprise_set_uncertainty(c.ctx, e, "coal", "2023-05", "activity", 5) == CMRV_ERR_NOT_FOUND);
  CHECK(c.msg() == "source \"coal\" has no activity for period \"2023-05\"");
  CHECK(cmrv_enterprise_add_activity(c.ctx, e, "gas", "2023", 1, "t") == CMRV_ERR_NOT_FOUND);
  CHECK(cmrv_context_last_error_detail(c.ctx) == CMRV_DETAIL_NOT_FOUND);
  cmrv_enterprise_destroy(e);
  // Verification tolerances: warning above error is refused.
  cmrv_verify_options* vo = nullptr;
  REQUIRE(cmrv_verify_options_create(c.ctx, &vo) == CMRV_OK);
  CHECK(cmrv_verify_options_set_tolerance(c.ctx, vo, "X01", 5, 2) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(c.msg() == "tolerance of X01: expected finite 0 ≤ warning ≤ error, got 5 and 2");
  cmrv_verify_options_destroy(vo);
  // Batch: an unknown value column, a measured column without its unit, a key index out of range.
  cmrv_batch_records* rec = nullptr;
  REQUIRE(cmrv_batch_records_create(c.ctx, 1, &rec) == CMRV_OK);
  const double q = 1.0;
  CHECK(cmrv_batch_records_set_column(c.ctx, rec, "colour", CMRV_DTYPE_FLOAT64, &q, 8, nullptr) ==
        CMRV_ERR_INVALID_ARGUMENT);
  CHECK(c.msg() == "column \"colour\" is not one of quantity, year, ncv, carbon_content, oxidation");
  cmrv_batch_records_destroy(rec);
}

TEST_CASE("C API: NULL options mean the defaults in the batch engine too", "[capi][hardening]") {
  Ctx c;
  // The same records through NULL options and through explicitly created default options give the
  // same outcome to the letter: here the default method (default_factor) finds no oxidation factor for
  // US coal, and both calls say so identically (NULL options used to be an error of their own).
  const int8_t code = 0;
  const double qty = 10.0;
  const int64_t year = 2023;
  const char* carriers[] = {"bituminous_coal"};
  const char* units[] = {"short_ton"};
  const char* regions[] = {"US"};
  cmrv_status status[2] = {CMRV_OK, CMRV_OK};
  std::string message[2];
  for (int pass = 0; pass < 2; ++pass) {
    cmrv_batch_records* rec = nullptr;
    REQUIRE(cmrv_batch_records_create(c.ctx, 2, &rec) == CMRV_OK);
    REQUIRE(cmrv_batch_records_set_codes(c.ctx, rec, "carrier", CMRV_DTYPE_INT8, &code, 0, carriers, 1) == CMRV_OK);
    REQUIRE(cmrv_batch_records_set_codes(c.ctx, rec, "unit", CMRV_DTYPE_INT8, &code, 0, units, 1) == CMRV_OK);
    REQUIRE(cmrv_batch_records_set_codes(c.ctx, rec, "region", CMRV_DTYPE_INT8, &code, 0, regions, 1) == CMRV_OK);
    REQUIRE(cmrv_batch_records_set_column(c.ctx, rec, "quantity", CMRV_DTYPE_FLOAT64, &qty, 0, nullptr) == CMRV_OK);
    REQUIRE(cmrv_batch_records_set_column(c.ctx, rec, "year", CMRV_DTYPE_INT64, &year, 0, nullptr) == CMRV_OK);
    cmrv_batch_options* opt = nullptr;
    if (pass == 1) REQUIRE(cmrv_batch_options_create(c.ctx, &opt) == CMRV_OK);
    cmrv_batch_result* res = nullptr;
    status[pass] = cmrv_batch_compute(c.ctx, c.cat, opt, rec, &res);
    message[pass] = c.msg();
    cmrv_batch_result_destroy(res);
    cmrv_batch_options_destroy(opt);
    cmrv_batch_records_destroy(rec);
  }
  CHECK(status[0] == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(message[0].find("no value for oxidation") != std::string::npos);
  CHECK(status[0] == status[1]);
  CHECK(message[0] == message[1]);
}
