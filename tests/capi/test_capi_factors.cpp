// C API: factor catalogue on the shared fixtures (tests/data/factor_cases.json), ownership and misuse.
#include <cmath>
#include <cstring>
#include <fstream>
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
};

json Cases() {
  std::ifstream in(std::string(CMRV_TEST_DATA_DIR) + "/factor_cases.json");
  REQUIRE(in.good());
  return json::parse(in);
}

std::string DataPath(const std::string& rel) { return std::string(CMRV_TEST_DATA_DIR) + "/" + rel; }

const std::map<std::string, int32_t> kDetail = {{"factor_not_found", CMRV_DETAIL_FACTOR_NOT_FOUND},
                                                {"unknown_carrier", CMRV_DETAIL_UNKNOWN_CARRIER},
                                                {"invalid_dataset", CMRV_DETAIL_INVALID_DATASET},
                                                {"invalid_argument", CMRV_DETAIL_INVALID_ARGUMENT}};

cmrv_factor_catalogue* OpenWithUserData(Ctx& c, const json& cases) {
  cmrv_factor_catalogue* cat = nullptr;
  REQUIRE(cmrv_factor_catalogue_open_builtin(c.ctx, &cat) == CMRV_OK);
  for (const auto& f : cmrv_test::Counted(cases, "factor_cases.json", "user_datasets")) {
    REQUIRE(cmrv_factor_catalogue_load_file(c.ctx, cat, DataPath(f.get<std::string>()).c_str()) == CMRV_OK);
  }
  return cat;
}

}  // namespace

TEST_CASE("C API: factor lookups on the shared fixtures", "[capi][factors][parity]") {
  Ctx c;
  const json cases = Cases();
  cmrv_factor_catalogue* cat = OpenWithUserData(c, cases);
  for (const auto& k : cmrv_test::Counted(cases, "factor_cases.json", "lookups")) {
    INFO(k.dump());
    cmrv_factor_selection* sel = nullptr;
    const char* text_sector = nullptr;
    REQUIRE(cmrv_factor_lookup_for_sector(
                c.ctx, cat, k["carrier"].get<std::string>().c_str(), k["parameter"].get<std::string>().c_str(),
                k["gas"].get<std::string>().c_str(), k["region"].get<std::string>().c_str(), k["year"].get<int32_t>(),
                k["preference"].get<std::string>().c_str(), k.value("sector", "").c_str(), &sel) == CMRV_OK);
    REQUIRE(cmrv_factor_selection_field(c.ctx, sel, "sector", &text_sector) == CMRV_OK);
    CHECK(std::string(text_sector) == k.value("sector", ""));
    double v = 0;
    REQUIRE(cmrv_factor_selection_value(c.ctx, sel, &v) == CMRV_OK);
    CHECK(v == k["value"].get<double>());
    const char* text = nullptr;
    REQUIRE(cmrv_factor_selection_field(c.ctx, sel, "unit", &text) == CMRV_OK);
    CHECK(std::string(text) == k["unit"].get<std::string>());
    REQUIRE(cmrv_factor_selection_field(c.ctx, sel, "dataset", &text) == CMRV_OK);
    CHECK(std::string(text) == k["dataset"].get<std::string>());
    REQUIRE(cmrv_factor_selection_field(c.ctx, sel, "dataset_sha256", &text) == CMRV_OK);
    CHECK(std::strlen(text) == 64);
    char* js = nullptr;
    REQUIRE(cmrv_factor_selection_to_json(c.ctx, sel, &js) == CMRV_OK);
    auto j = json::parse(js);
    cmrv_free(js);
    CHECK(j["value"] == k["value"]);
    CHECK(j["dataset"]["id"] == k["dataset"]);
    CHECK_FALSE(j["rule"].get<std::string>().empty());
    cmrv_factor_selection_destroy(sel);
  }
  for (const auto& k : cmrv_test::Counted(cases, "factor_cases.json", "errors")) {
    INFO(k.dump());
    cmrv_factor_selection* sel = nullptr;
    CHECK(cmrv_factor_lookup(c.ctx, cat, k["carrier"].get<std::string>().c_str(),
                             k["parameter"].get<std::string>().c_str(), k["gas"].get<std::string>().c_str(),
                             k["region"].get<std::string>().c_str(), k["year"].get<int32_t>(),
                             k["preference"].get<std::string>().c_str(), &sel) != CMRV_OK);
    CHECK(sel == nullptr);
    CHECK(cmrv_context_last_error_detail(c.ctx) == kDetail.at(k["detail"].get<std::string>()));
    CHECK(c.msg().find(k["contains"].get<std::string>()) != std::string::npos);
  }
  cmrv_factor_catalogue_destroy(cat);
}

TEST_CASE("C API: malformed datasets are rejected whole", "[capi][factors][parity]") {
  Ctx c;
  const json cases = Cases();
  cmrv_factor_catalogue* cat = nullptr;
  REQUIRE(cmrv_factor_catalogue_create_empty(c.ctx, &cat) == CMRV_OK);
  for (const auto& k : cmrv_test::Counted(cases, "factor_cases.json", "bad_datasets")) {
    INFO(k.dump());
    CHECK(cmrv_factor_catalogue_load_file(c.ctx, cat, DataPath(k["file"].get<std::string>()).c_str()) ==
          CMRV_ERR_INVALID_ARGUMENT);
    CHECK(cmrv_context_last_error_detail(c.ctx) == CMRV_DETAIL_INVALID_DATASET);
    for (const auto& s : k["contains"]) CHECK(c.msg().find(s.get<std::string>()) != std::string::npos);
  }
  char* js = nullptr;
  REQUIRE(cmrv_factor_catalogue_datasets_json(c.ctx, cat, &js) == CMRV_OK);
  CHECK(std::string(js) == "[]");  // nothing partially loaded
  cmrv_free(js);
  CHECK(cmrv_factor_catalogue_load_file(c.ctx, cat, "/nonexistent/x.csv") == CMRV_ERR_NOT_FOUND);
  cmrv_factor_catalogue_destroy(cat);
}

TEST_CASE("C API: datasets, records, overrides and misuse", "[capi][factors]") {
  Ctx c;
  cmrv_factor_catalogue* cat = nullptr;
  REQUIRE(cmrv_factor_catalogue_open_builtin(c.ctx, &cat) == CMRV_OK);
  char* js = nullptr;
  REQUIRE(cmrv_factor_catalogue_datasets_json(c.ctx, cat, &js) == CMRV_OK);
  auto datasets = json::parse(js);
  cmrv_free(js);
  CHECK(datasets.size() == 17);  // data/factors/*.csv
  REQUIRE(cmrv_factor_catalogue_records_json(c.ctx, cat, "ipcc_ar6_gwp100", &js) == CMRV_OK);
  CHECK(json::parse(js).size() == 34);  // CO2, CH4 (3 rows), N2O and 29 fluorinated gases
  cmrv_free(js);
  CHECK(cmrv_factor_catalogue_records_json(c.ctx, cat, "nope", &js) == CMRV_ERR_NOT_FOUND);

  // A plant's measured HHV outranks the EPA default.
  REQUIRE(cmrv_factor_catalogue_add_override(c.ctx, cat, "plant-lab-2023", "natural_gas", "hhv", "", 1.031e-3,
                                             "MMBtu/scf", "US", 2023, "lab report 2023-07", "sample 4") == CMRV_OK);
  cmrv_factor_selection* sel = nullptr;
  REQUIRE(cmrv_factor_lookup(c.ctx, cat, "natural_gas", "hhv", "", "US", 2023, nullptr, &sel) == CMRV_OK);
  double v = 0;
  REQUIRE(cmrv_factor_selection_value(c.ctx, sel, &v) == CMRV_OK);
  CHECK(v == 1.031e-3);
  const char* rule = nullptr;
  REQUIRE(cmrv_factor_selection_field(c.ctx, sel, "rule", &rule) == CMRV_OK);
  CHECK(std::string(rule).find("class measured") != std::string::npos);
  CHECK(cmrv_factor_selection_field(c.ctx, sel, "colour", &rule) == CMRV_ERR_INVALID_ARGUMENT);
  cmrv_factor_selection_destroy(sel);
  CHECK(cmrv_factor_catalogue_add_override(c.ctx, cat, "plant-lab-2023", "natural_gas", "hhv", "", 1.0, "tCO2/scf",
                                           "US", 2023, "lab", "s") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(c.msg().find("does not fit parameter \"hhv\"") != std::string::npos);

  // Misuse: NULLs are errors, never crashes.
  CHECK(cmrv_factor_catalogue_open_builtin(c.ctx, nullptr) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_factor_lookup(c.ctx, nullptr, "x", "ncv", "", "", 0, nullptr, &sel) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(c.msg() == "catalogue is NULL");
  CHECK(cmrv_factor_lookup(c.ctx, cat, "x", nullptr, "", "", 0, nullptr, &sel) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_factor_catalogue_load_csv(c.ctx, cat, nullptr, "x") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_factor_selection_value(c.ctx, nullptr, &v) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_factor_lookup(nullptr, cat, "x", "ncv", "", "", 0, nullptr, &sel) == CMRV_ERR_INVALID_ARGUMENT);
  cmrv_factor_selection_destroy(nullptr);
  cmrv_factor_catalogue_destroy(nullptr);
  cmrv_factor_catalogue_destroy(cat);
}
