// C API: cross-verification on the shared fault-injection fixtures (parity), and misuse.
#include <cmath>
#include <set>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "carbonmrv.h"
#include "support/fixtures.hpp"

namespace {

using cmrv_test::Patched;
using cmrv_test::Read;
using nlohmann::json;

struct Fixture {
  cmrv_context* ctx = cmrv_context_create();
  cmrv_factor_catalogue* cat = nullptr;
  cmrv_enterprise* ent = nullptr;
  cmrv_verification* rep = nullptr;
  Fixture() { REQUIRE(cmrv_factor_catalogue_open_builtin(ctx, &cat) == CMRV_OK); }
  ~Fixture() {
    cmrv_verification_destroy(rep);
    cmrv_enterprise_destroy(ent);
    cmrv_factor_catalogue_destroy(cat);
    cmrv_context_destroy(ctx);
  }
  std::string msg() const { return cmrv_context_last_error_message(ctx); }
};

const json& Cases() {
  static const json cases = json::parse(Read("verification_cases.json"));
  return cases;
}

// The reported inventory JSON, computed through the C API itself.
std::string Reported(Fixture& f, const json& c, const std::string& text, const char* key = "reported") {
  const json& spec = c[key];
  const std::string source =
      spec.contains("patch") ? Patched({{"document", c["document"]}, {"patch", spec["patch"]}}) : text;
  cmrv_enterprise* e = nullptr;
  cmrv_inventory_options* o = nullptr;
  cmrv_inventory* inv = nullptr;
  char* out = nullptr;
  REQUIRE(cmrv_enterprise_from_json(f.ctx, source.c_str(), &e) == CMRV_OK);
  REQUIRE(cmrv_inventory_options_create(f.ctx, &o) == CMRV_OK);
  REQUIRE(cmrv_inventory_options_set(f.ctx, o, "gwp_dataset", spec.value("gwp", "ipcc_ar5_gwp100").c_str()) == CMRV_OK);
  REQUIRE(cmrv_inventory_options_set(f.ctx, o, "co2_per_carbon", spec.value("co2_per_carbon", "44/12").c_str()) ==
          CMRV_OK);
  REQUIRE(cmrv_inventory_compute(f.ctx, e, f.cat, o, &inv) == CMRV_OK);
  REQUIRE(cmrv_inventory_to_json(f.ctx, inv, &out) == CMRV_OK);
  std::string text_out = out;
  cmrv_free(out);
  cmrv_inventory_destroy(inv);
  cmrv_inventory_options_destroy(o);
  cmrv_enterprise_destroy(e);
  return text_out;
}

}  // namespace

TEST_CASE("C API: verification fixtures", "[capi][verification][parity]") {
  for (const auto& c : Cases()["faults"]) {
    INFO(c["name"].get<std::string>());
    Fixture f;
    const std::string text = Patched(c);
    REQUIRE(cmrv_enterprise_from_json(f.ctx, text.c_str(), &f.ent) == CMRV_OK);
    const std::string reported = c.contains("reported") ? Reported(f, c, text) : std::string();
    cmrv_verify_options* o = nullptr;
    REQUIRE(cmrv_verify_options_create(f.ctx, &o) == CMRV_OK);
    if (c.contains("previous")) {
      REQUIRE(cmrv_verify_options_set(f.ctx, o, "previous_inventory", Reported(f, c, text, "previous").c_str()) ==
              CMRV_OK);
    }
    REQUIRE(cmrv_verify(f.ctx, f.ent, f.cat, reported.empty() ? nullptr : reported.c_str(), o, &f.rep) == CMRV_OK);
    cmrv_verify_options_destroy(o);
    size_t n = 0;
    REQUIRE(cmrv_verification_finding_count(f.ctx, f.rep, &n) == CMRV_OK);
    std::set<std::pair<std::string, std::string>> found, expected;
    for (size_t i = 0; i < n; ++i) {
      const char *check = nullptr, *subject = nullptr;
      REQUIRE(cmrv_verification_finding_field(f.ctx, f.rep, i, "check", &check) == CMRV_OK);
      REQUIRE(cmrv_verification_finding_field(f.ctx, f.rep, i, "subject", &subject) == CMRV_OK);
      found.emplace(check, subject);
    }
    for (const auto& e : c["expect"]) expected.emplace(e[0], e[1]);
    CHECK(found == expected);
  }
}

TEST_CASE("C API: verification outputs and misuse", "[capi][verification]") {
  Fixture f;
  auto c = Cases()["faults"][3];  // carbon content too low: X07 with a range, not an expected value
  REQUIRE(cmrv_enterprise_from_json(f.ctx, Patched(c).c_str(), &f.ent) == CMRV_OK);
  cmrv_verify_options* o = nullptr;
  REQUIRE(cmrv_verify_options_create(f.ctx, &o) == CMRV_OK);
  CHECK(cmrv_verify_options_set(f.ctx, o, "colour", "red") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_verify_options_set(f.ctx, o, "previous_inventory", "[]") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(f.msg().rfind("previous_inventory: ", 0) == 0);
  CHECK(cmrv_verify_options_set_tolerance(f.ctx, o, "X07", 5, 1) == CMRV_ERR_INVALID_ARGUMENT);
  // 0.2: an unknown check id is refused when the option is set, not later by cmrv_verify.
  CHECK(cmrv_verify_options_set(f.ctx, o, "checks", "X07,X99") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(f.msg().rfind("checks: unknown check \"X99\"; known: X01, X02", 0) == 0);
  CHECK(cmrv_verify_options_set_tolerance(f.ctx, o, "X99", 5, 1) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(f.msg().rfind("unknown check \"X99\"", 0) == 0);  // the first argument's error, not the numbers'
  REQUIRE(cmrv_verify_options_set(f.ctx, o, "checks", "X07") == CMRV_OK);
  CHECK(cmrv_verify(f.ctx, f.ent, f.cat, "{\"schema\": 1}", o, &f.rep) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(f.msg().rfind("reported inventory: ", 0) == 0);
  REQUIRE(cmrv_verify(f.ctx, f.ent, f.cat, nullptr, o, &f.rep) == CMRV_OK);
  cmrv_verify_options_destroy(o);

  const char* status = nullptr;
  REQUIRE(cmrv_verification_status(f.ctx, f.rep, &status) == CMRV_OK);
  CHECK(std::string(status) == "error");
  double observed = 0, expected = 0, lower = 0, upper = 0, diff = 0;
  REQUIRE(cmrv_verification_finding_values(f.ctx, f.rep, 0, &observed, &expected, &lower, &upper, &diff) == CMRV_OK);
  CHECK(std::abs(observed - 0.45 / 21.8) < 1e-15);  // carbon per heat, tC/GJ
  CHECK(std::isnan(expected));                      // a range instead
  CHECK(lower == 0.024);
  CHECK(upper == 0.030);
  CHECK(std::abs(diff - (0.45 / 21.8 - 0.024)) < 1e-15);
  const char* text = nullptr;
  CHECK(cmrv_verification_finding_field(f.ctx, f.rep, 0, "colour", &text) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_verification_finding_field(f.ctx, f.rep, 9, "check", &text) == CMRV_ERR_OUT_OF_RANGE);
  REQUIRE(cmrv_verification_finding_field(f.ctx, f.rep, 0, "period", &text) == CMRV_OK);
  CHECK(std::string(text) == "2023-02");
  char* out = nullptr;
  REQUIRE(cmrv_verification_to_json(f.ctx, f.rep, &out) == CMRV_OK);
  CHECK(json::parse(out)["findings"][0]["check"] == "X07");
  cmrv_free(out);
  REQUIRE(cmrv_verification_to_csv(f.ctx, f.rep, &out) == CMRV_OK);
  CHECK(std::string(out).rfind("check,severity,subject,period,", 0) == 0);
  cmrv_free(out);
  CHECK(cmrv_verify(f.ctx, nullptr, f.cat, nullptr, nullptr, &f.rep) == CMRV_ERR_INVALID_ARGUMENT);
  cmrv_verification_destroy(nullptr);
}

TEST_CASE("C API: region comparison", "[capi][verification][region]") {
  Fixture f;
  const json cases = json::parse(Read("region_cases.json"));
  char* out = nullptr;
  REQUIRE(cmrv_region_compare_json(f.ctx, f.cat, Read(cases["request"].get<std::string>()).c_str(), &out) == CMRV_OK);
  const json doc = json::parse(out);
  cmrv_free(out);
  for (const auto& fuel : doc["fuels"]) {
    CHECK(cmrv_test::Close(fuel["reference_t"].get<double>(),
                           cases["reference_t"][fuel["carrier"].get<std::string>()].get<double>(), 1e-12));
  }
  const auto& bad = cases["errors"][0];
  CHECK(cmrv_region_compare_json(f.ctx, f.cat,
                                 Patched({{"document", cases["request"]}, {"patch", bad["patch"]}}).c_str(),
                                 &out) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(f.msg().find(bad["message"].get<std::string>()) != std::string::npos);
  CHECK(cmrv_region_compare_json(f.ctx, f.cat, nullptr, &out) == CMRV_ERR_INVALID_ARGUMENT);
}
