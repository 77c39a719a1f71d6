// C API: the shared unit fixtures through carbonmrv.h, plus misuse (NULL handles, NULL outputs,
// NaN) that must return errors, never crash.
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "carbonmrv.h"
#include "support/cases.hpp"

using nlohmann::json;

namespace {

struct Ctx {
  cmrv_context* ctx = cmrv_context_create();
  ~Ctx() { cmrv_context_destroy(ctx); }
  std::string msg() const { return cmrv_context_last_error_message(ctx); }
  int32_t detail() const { return cmrv_context_last_error_detail(ctx); }
};

json LoadCases() {
  std::ifstream in(std::string(CMRV_TEST_DATA_DIR) + "/units_cases.json");
  REQUIRE(in.good());
  return json::parse(in);
}

double ValueOf(const json& v) {
  if (v.is_string()) {
    return v == "nan" ? std::numeric_limits<double>::quiet_NaN() : std::numeric_limits<double>::infinity();
  }
  return v.get<double>();
}

bool Close(double got, double expected) {
  return std::abs(got - expected) <= 1e-12 * std::max(1.0, std::abs(expected));
}

const std::map<std::string, int32_t> kDetails = {
    {"unknown_unit", CMRV_DETAIL_UNKNOWN_UNIT},
    {"unit_syntax", CMRV_DETAIL_UNIT_SYNTAX},
    {"incompatible_units", CMRV_DETAIL_INCOMPATIBLE_UNITS},
    {"non_finite_value", CMRV_DETAIL_NON_FINITE_VALUE},
    {"overflow", CMRV_DETAIL_OVERFLOW},
    {"ambiguous_unit", CMRV_DETAIL_AMBIGUOUS_UNIT},
    {"needs_context", CMRV_DETAIL_NEEDS_CONTEXT},
};

int32_t Convention(const json& c) {
  return c["convention"] == "calorific" ? CMRV_ELECTRICITY_CALORIFIC : CMRV_ELECTRICITY_EQUIVALENT;
}

}  // namespace

TEST_CASE("C API: fixture conversions", "[capi][parity]") {
  Ctx c;
  const json cases = LoadCases();
  for (const auto& k : cmrv_test::Counted(cases, "units_cases.json", "convert")) {
    INFO(k.dump());
    double out = 0;
    REQUIRE(cmrv_unit_convert(c.ctx, k["value"].get<double>(), k["from"].get<std::string>().c_str(),
                              k["to"].get<std::string>().c_str(), &out) == CMRV_OK);
    CHECK(Close(out, k["expected"].get<double>()));
  }
  for (const auto& k : cmrv_test::Counted(cases, "units_cases.json", "gas_state")) {
    double out = 0;
    REQUIRE(cmrv_unit_convert_gas_state(c.ctx, k["value"].get<double>(), k["from"].get<std::string>().c_str(),
                                        k["to"].get<std::string>().c_str(), &out) == CMRV_OK);
    CHECK(Close(out, k["expected"].get<double>()));
  }
  for (const auto& k : cmrv_test::Counted(cases, "units_cases.json", "actual_gas")) {
    double out = 0;
    REQUIRE(cmrv_unit_convert_actual_gas(c.ctx, k["value"].get<double>(), k["from"].get<std::string>().c_str(),
                                         k["temperature_k"].get<double>(), k["pressure_pa"].get<double>(),
                                         k["to"].get<std::string>().c_str(), &out) == CMRV_OK);
    CHECK(Close(out, k["expected"].get<double>()));
  }
  for (const auto& k : cmrv_test::Counted(cases, "units_cases.json", "electricity")) {
    double out = 0;
    double rate = k["rate"].is_null() ? std::nan("") : k["rate"].get<double>();
    REQUIRE(cmrv_electricity_to_standard_coal(c.ctx, k["value"].get<double>(), k["unit"].get<std::string>().c_str(),
                                              Convention(k), rate, k["to"].get<std::string>().c_str(),
                                              &out) == CMRV_OK);
    CHECK(Close(out, k["expected"].get<double>()));
  }
  for (const auto& k : cmrv_test::Counted(cases, "units_cases.json", "apply_factor")) {
    double out = 0;
    REQUIRE(cmrv_unit_apply_factor(c.ctx, k["value"].get<double>(), k["unit"].get<std::string>().c_str(),
                                   k["factor"].get<double>(), k["factor_unit"].get<std::string>().c_str(),
                                   k["to"].get<std::string>().c_str(), &out) == CMRV_OK);
    CHECK(Close(out, k["expected"].get<double>()));
  }
}

TEST_CASE("C API: fixture errors", "[capi][parity]") {
  Ctx c;
  const json cases = LoadCases();
  for (const auto& k : cmrv_test::Counted(cases, "units_cases.json", "errors")) {
    INFO(k.dump());
    const std::string op = k["op"], from = k["from"], to = k["to"];
    double out = 12345.0;
    cmrv_status st = CMRV_OK;
    if (op == "convert") {
      st = cmrv_unit_convert(c.ctx, ValueOf(k["value"]), from.c_str(), to.c_str(), &out);
    } else if (op == "apply_factor") {
      st = cmrv_unit_apply_factor(c.ctx, ValueOf(k["value"]), from.c_str(), k["factor"].get<double>(),
                                  k["factor_unit"].get<std::string>().c_str(), to.c_str(), &out);
    } else if (op == "electricity") {
      st = cmrv_electricity_to_standard_coal(c.ctx, ValueOf(k["value"]), from.c_str(), Convention(k), std::nan(""),
                                             to.c_str(), &out);
    } else if (op == "gas_state") {
      st = cmrv_unit_convert_gas_state(c.ctx, ValueOf(k["value"]), from.c_str(), to.c_str(), &out);
    }
    CHECK(st != CMRV_OK);
    CHECK(st == cmrv_context_last_error_code(c.ctx));
    CHECK(c.detail() == kDetails.at(k["detail"].get<std::string>()));
    CHECK(c.msg().find(k["contains"].get<std::string>()) != std::string::npos);
    CHECK(out == 12345.0);  // outputs untouched on error
  }
}

TEST_CASE("C API: misuse returns errors", "[capi]") {
  double out = 0;
  // NULL context: an error code, no crash, nothing recorded anywhere.
  CHECK(cmrv_unit_convert(nullptr, 1, "t", "kg", &out) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(std::string(cmrv_context_last_error_message(nullptr)) == "NULL cmrv_context");
  cmrv_context_destroy(nullptr);  // no-op
  cmrv_free(nullptr);             // no-op

  Ctx c;
  CHECK(cmrv_unit_convert(c.ctx, 1, nullptr, "kg", &out) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(c.detail() == CMRV_DETAIL_NULL_ARGUMENT);
  CHECK(c.msg() == "from_unit is NULL");
  CHECK(cmrv_unit_convert(c.ctx, 1, "t", "kg", nullptr) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(c.msg() == "out is NULL");
  CHECK(cmrv_unit_convert(c.ctx, std::nan(""), "t", "kg", &out) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(c.detail() == CMRV_DETAIL_NON_FINITE_VALUE);
  CHECK(cmrv_unit_convert(c.ctx, 1, "t", "tonn", &out) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(c.msg() == "to_unit: unknown unit \"tonn\"; did you mean \"t\"?");

  char* s = nullptr;
  CHECK(cmrv_unit_normalize(c.ctx, "t", nullptr) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(c.msg() == "out_symbol is NULL");
  CHECK(cmrv_unit_kind(c.ctx, nullptr, &s) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(s == nullptr);
  int32_t flag = -1;
  CHECK(cmrv_unit_compatible(c.ctx, "t", "t", nullptr) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_electricity_to_standard_coal(c.ctx, 1, "kWh", 7, std::nan(""), "tce", &out) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(c.msg().find("convention 7") != std::string::npos);
  CHECK(cmrv_unit_compatible(c.ctx, "tCO2", "kgCO2", &flag) == CMRV_OK);
  CHECK(flag == 1);
  CHECK(cmrv_unit_compatible(c.ctx, "tCO2", "tCO2e", &flag) == CMRV_OK);
  CHECK(flag == 0);

  // Arrays: NULL with count 0 is fine; NULL with count > 0 is an error; bad element named.
  CHECK(cmrv_unit_convert_array(c.ctx, "t", "kg", nullptr, 8, 0, nullptr, 8) == CMRV_OK);
  CHECK(cmrv_unit_convert_array(c.ctx, "t", "kg", nullptr, 8, 3, &out, 8) == CMRV_ERR_INVALID_ARGUMENT);
  double in[3] = {1, std::numeric_limits<double>::infinity(), 3};
  double res[3] = {0, 0, 0};
  CHECK(cmrv_unit_convert_array(c.ctx, "t", "kg", in, sizeof(double), 3, res, sizeof(double)) ==
        CMRV_ERR_INVALID_ARGUMENT);
  CHECK(c.msg() == "element [1] is inf; a finite number is required");
  CHECK(res[0] == 0);

  CHECK(cmrv_unit_convert(c.ctx, 1e308, "tce", "J", &out) == CMRV_ERR_OUT_OF_RANGE);
  CHECK(c.detail() == CMRV_DETAIL_OVERFLOW);
}

TEST_CASE("C API: owned strings and kinds", "[capi]") {
  Ctx c;
  char* sym = nullptr;
  REQUIRE(cmrv_unit_normalize(c.ctx, "万Nm3", &sym) == CMRV_OK);
  CHECK(std::string(sym) == "10^4 Nm3");
  cmrv_free(sym);
  char* kind = nullptr;
  REQUIRE(cmrv_unit_kind(c.ctx, "tCO2/MWh", &kind) == CMRV_OK);
  CHECK(std::string(kind) == "mass of CO2 per energy");
  cmrv_free(kind);
}

TEST_CASE("C API: strided array from an ERP record layout", "[capi]") {
  struct Row {
    int64_t enterprise;
    double quantity;
    char unit[8];
  };
  Row rows[4] = {{1, 1.0, "万Nm3"}, {2, 0.5, "万Nm3"}, {3, 2.0, "万Nm3"}, {4, 0.0, "万Nm3"}};
  double out[4];
  Ctx c;
  REQUIRE(cmrv_unit_convert_array(c.ctx, "万Nm3", "Nm3", &rows[0].quantity, sizeof(Row), 4, out, sizeof(double)) ==
          CMRV_OK);
  CHECK(out[0] == 10000.0);
  CHECK(out[1] == 5000.0);
  CHECK(out[2] == 20000.0);
  CHECK(out[3] == 0.0);
}

TEST_CASE("C API: version macros agree with the run-time library", "[capi]") {
  // The header's parts against the library's run-time answer and the VERSION file (the one source).
  CHECK(cmrv_version_number() == CMRV_COMPUTE_VERSION(CMRV_VERSION_MAJOR, CMRV_VERSION_MINOR, CMRV_VERSION_PATCH));
  const std::string parts = std::to_string(CMRV_VERSION_MAJOR) + "." + std::to_string(CMRV_VERSION_MINOR) + "." +
                            std::to_string(CMRV_VERSION_PATCH);
  CHECK(std::string(cmrv_version_string()) == parts);
  std::ifstream version_file(std::string(CMRV_TEST_DATA_DIR) + "/../../VERSION");
  std::string version;
  REQUIRE(std::getline(version_file, version));
  CHECK(version == cmrv_version_string());
  CHECK(CMRV_VERSION_AT_LEAST(0, 1, 0));
  CHECK_FALSE(CMRV_VERSION_AT_LEAST(99, 0, 0));
  CHECK(std::string(cmrv_status_name(CMRV_ERR_OUT_OF_RANGE)) == "out_of_range");
  CHECK(std::string(cmrv_status_name(-5)) == "unrecognised_status");
}
