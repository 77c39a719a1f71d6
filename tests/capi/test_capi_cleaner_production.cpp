// C API: cleaner production on the shared fixtures (parity with the C++ and Python suites), and misuse.
#include <cmath>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "carbonmrv.h"
#include "support/cases.hpp"
#include "support/fixtures.hpp"

namespace {

using cmrv_test::Close;
using cmrv_test::Read;
using nlohmann::json;

struct Fixture {
  cmrv_context* ctx = cmrv_context_create();
  cmrv_factor_catalogue* cat = nullptr;
  cmrv_enterprise* ent = nullptr;
  cmrv_indicator_system* sys = nullptr;
  cmrv_audit_options* opt = nullptr;
  cmrv_audit* audit = nullptr;
  Fixture() {
    REQUIRE(cmrv_factor_catalogue_open_builtin(ctx, &cat) == CMRV_OK);
    REQUIRE(cmrv_audit_options_create(ctx, &opt) == CMRV_OK);
  }
  ~Fixture() {
    cmrv_audit_destroy(audit);
    cmrv_audit_options_destroy(opt);
    cmrv_indicator_system_destroy(sys);
    cmrv_enterprise_destroy(ent);
    cmrv_factor_catalogue_destroy(cat);
    cmrv_context_destroy(ctx);
  }
  std::string msg() const { return cmrv_context_last_error_message(ctx); }
  void Load(const std::string& text) {
    cmrv_enterprise_destroy(ent);
    ent = nullptr;
    REQUIRE(cmrv_enterprise_from_json(ctx, text.c_str(), &ent) == CMRV_OK);
  }
  void Compute() {
    cmrv_audit_destroy(audit);
    audit = nullptr;
    INFO(msg());
    REQUIRE(cmrv_audit_compute(ctx, ent, cat, sys, opt, &audit) == CMRV_OK);
  }
  double Value(const std::string& id, const char* name) {
    size_t n = 0;
    REQUIRE(cmrv_audit_option_count(ctx, audit, &n) == CMRV_OK);
    for (size_t i = 0; i < n; ++i) {
      const char* oid = nullptr;
      REQUIRE(cmrv_audit_option_id(ctx, audit, i, &oid) == CMRV_OK);
      if (id != oid) continue;
      double v = 0;
      REQUIRE(cmrv_audit_option_value(ctx, audit, i, name, &v) == CMRV_OK);
      return v;
    }
    FAIL("no option " << id);
    return 0;
  }
  json Json() {
    char* out = nullptr;
    REQUIRE(cmrv_audit_to_json(ctx, audit, &out) == CMRV_OK);
    json j = json::parse(out);
    cmrv_free(out);
    return j;
  }
};

const json& Cases() {
  static const json cases = json::parse(Read("cleaner_production_cases.json"));
  return cases;
}

}  // namespace

TEST_CASE("C API cleaner production: indicator levels on each level", "[cleaner_production]") {
  Fixture f;
  REQUIRE(cmrv_indicator_system_from_json(f.ctx, Read(Cases()["system"].get<std::string>()).c_str(), &f.sys) ==
          CMRV_OK);
  for (const auto& c : cmrv_test::Counted(Cases(), "cleaner_production_cases.json", "scoring_cases")) {
    INFO(c["name"].get<std::string>());
    json doc = json::parse(Read(Cases()["enterprise"].get<std::string>()));
    doc["cleaner_production"]["audits"][0]["indicators"] = c["indicators"];
    doc["cleaner_production"]["audits"][0].erase("targets");
    f.Load(doc.dump());
    f.Compute();
    const char* level = nullptr;
    REQUIRE(cmrv_audit_level(f.ctx, f.audit, &level) == CMRV_OK);
    CHECK(std::string(level) == c["level"].get<std::string>());
    const json score = f.Json()["score"];
    CHECK(Close(score["y_i"], c["y_i"].get<double>(), 1e-12));
    CHECK(Close(score["y_ii"], c["y_ii"].get<double>(), 1e-12));
    CHECK(Close(score["y_iii"], c["y_iii"].get<double>(), 1e-12));
    for (const auto& s : score["indicators"]) CHECK(s["level"] == c["levels"][s["id"].get<std::string>()]);
  }
}

TEST_CASE("C API cleaner production: abatement, economics and MACC", "[cleaner_production]") {
  Fixture f;
  f.Load(Read(Cases()["enterprise"].get<std::string>()));
  const auto& ec = Cases()["economics"];
  REQUIRE(cmrv_audit_options_set(f.ctx, f.opt, "carbon_price", "60 CNY/tCO2e") == CMRV_OK);
  f.Compute();
  const char* level = nullptr;
  REQUIRE(cmrv_audit_level(f.ctx, f.audit, &level) == CMRV_OK);
  CHECK(std::string(level).empty());  // no indicator system given
  for (const auto& o : Cases()["abatement"]["options"]) {
    const std::string id = o["id"];
    CHECK(Close(f.Value(id, "abatement_t"), o["abatement_t"].get<double>(), 1e-12));
    CHECK(Close(f.Value(id, "standalone_abatement_t"), o["standalone_abatement_t"].get<double>(), 1e-12));
  }
  const std::string id = ec["option"];
  for (const auto& [name, value] : ec["expected"].items()) {
    INFO(name);
    CHECK(Close(f.Value(id, name.c_str()), value.get<double>(), 1e-9));
  }
  // O1 has no IRR (its net cash flow is negative): NaN, not a number that looks real.
  CHECK(std::isnan(f.Value("O1", "irr")));
  char* csv = nullptr;
  REQUIRE(cmrv_audit_to_csv(f.ctx, f.audit, "macc", &csv) == CMRV_OK);
  CHECK(std::string(csv).rfind("option,cost_per_t,abatement_t,cumulative_start,cumulative_end\nO2,", 0) == 0);
  cmrv_free(csv);
  double v = 0;
  CHECK(cmrv_audit_option_value(f.ctx, f.audit, 9, "npv_cny", &v) == CMRV_ERR_OUT_OF_RANGE);
  CHECK(cmrv_audit_option_value(f.ctx, f.audit, 0, "colour", &v) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_audit_to_csv(f.ctx, f.audit, "colour", &csv) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(f.msg() == "table \"colour\" is not one of indicators, options, macc, targets, focus, ex_post");
}

TEST_CASE("C API cleaner production: ex-post against a review year", "[cleaner_production]") {
  for (const auto& c : cmrv_test::Counted(Cases(), "cleaner_production_cases.json", "ex_post")) {
    Fixture f;
    f.Load(Read(Cases()["enterprise"].get<std::string>()));
    REQUIRE(cmrv_audit_options_set(f.ctx, f.opt, "review", Read(c["review"].get<std::string>()).c_str()) == CMRV_OK);
    f.Compute();
    const json j = f.Json();
    REQUIRE(j["ex_post"].size() == c["comparisons"].size());
    for (const auto& cmp : j["ex_post"]) {
      const auto& x = c["comparisons"][cmp["subject"].get<std::string>()];
      CHECK(Close(cmp["observed"], x["observed"].get<double>(), 1e-12));
      CHECK(Close(cmp["expected"], x["expected"].get<double>(), 1e-12));
    }
    CHECK(j["targets"][0]["status"] == c["target"]["status"]);
    // X23 through cmrv_verify with the audit's document as the baseline.
    cmrv_enterprise* review = nullptr;
    cmrv_verify_options* vo = nullptr;
    cmrv_verification* rep = nullptr;
    REQUIRE(cmrv_enterprise_from_json(f.ctx, Read(c["review"].get<std::string>()).c_str(), &review) == CMRV_OK);
    REQUIRE(cmrv_verify_options_create(f.ctx, &vo) == CMRV_OK);
    REQUIRE(cmrv_verify_options_set(f.ctx, vo, "checks", "X23") == CMRV_OK);
    REQUIRE(cmrv_verify_options_set(f.ctx, vo, "audit_baseline",
                                    Read(Cases()["enterprise"].get<std::string>()).c_str()) == CMRV_OK);
    REQUIRE(cmrv_verify(f.ctx, review, f.cat, nullptr, vo, &rep) == CMRV_OK);
    size_t n = 0;
    REQUIRE(cmrv_verification_finding_count(f.ctx, rep, &n) == CMRV_OK);
    CHECK(n == c["findings"].size());
    for (size_t i = 0; i < n; ++i) {
      const char *subject = nullptr, *severity = nullptr;
      REQUIRE(cmrv_verification_finding_field(f.ctx, rep, i, "subject", &subject) == CMRV_OK);
      REQUIRE(cmrv_verification_finding_field(f.ctx, rep, i, "severity", &severity) == CMRV_OK);
      CHECK(c["findings"][subject] == severity);
    }
    cmrv_verification_destroy(rep);
    cmrv_verify_options_destroy(vo);
    cmrv_enterprise_destroy(review);
  }
}

TEST_CASE("C API cleaner production: bad input names its field, NULL arguments", "[cleaner_production]") {
  for (const auto& c : cmrv_test::Counted(Cases(), "cleaner_production_cases.json", "errors")) {
    INFO(c["name"].get<std::string>());
    Fixture f;
    const std::string text = cmrv_test::Patched(c);
    if (c["kind"] == "system") {
      CHECK(cmrv_indicator_system_from_json(f.ctx, text.c_str(), &f.sys) == CMRV_ERR_INVALID_ARGUMENT);
    } else if (cmrv_enterprise_from_json(f.ctx, text.c_str(), &f.ent) == CMRV_OK) {
      CHECK(cmrv_audit_compute(f.ctx, f.ent, f.cat, nullptr, nullptr, &f.audit) != CMRV_OK);
    }
    INFO(f.msg());
    CHECK(f.msg().find(c["message"].get<std::string>()) != std::string::npos);
  }
  Fixture f;
  CHECK(cmrv_audit_compute(f.ctx, nullptr, f.cat, nullptr, nullptr, &f.audit) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(f.msg().find("enterprise") != std::string::npos);
  CHECK(cmrv_audit_options_set(f.ctx, f.opt, "carbon_price", "sixty") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_audit_options_set(f.ctx, f.opt, "carbon_price", "60 CNY/t") == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(f.msg().find("not a price per mass of CO2e") != std::string::npos);
  CHECK(cmrv_audit_options_set(f.ctx, f.opt, "colour", "red") == CMRV_ERR_INVALID_ARGUMENT);
  f.Load(Read("enterprises/hand_calc.json"));
  CHECK(cmrv_audit_compute(f.ctx, f.ent, f.cat, nullptr, nullptr, &f.audit) == CMRV_ERR_FAILED_PRECONDITION);
  CHECK(f.msg().find("no audit round") != std::string::npos);
  REQUIRE(cmrv_audit_options_set(f.ctx, f.opt, "audit", "CP-1999") == CMRV_OK);
  f.Load(Read(Cases()["enterprise"].get<std::string>()));
  CHECK(cmrv_audit_compute(f.ctx, f.ent, f.cat, nullptr, f.opt, &f.audit) == CMRV_ERR_NOT_FOUND);
  CHECK(f.msg() == "audit \"CP-1999\" is not in the document; it has CP-2023");
}
