// C API: allocation and compliance on the shared fixtures (parity with the C++ and Python suites),
// holdings as strided structs, and misuse.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "carbonmrv.h"
#include "support/capi_fixture.hpp"
#include "support/cases.hpp"
#include "support/fixtures.hpp"

namespace {

using cmrv_test::Close;
using cmrv_test::Read;
using nlohmann::json;

const json& Cases() {
  static const json cases = json::parse(Read("allocation_cases.json"));
  return cases;
}

// A registry's own holding record, read in place through strides.
struct HoldingRecord {
  int64_t account;
  int32_t kind;
  int32_t vintage;
  double quantity;
};

struct Fixture : cmrv_test::CatalogueContext {
  cmrv_enterprise* ent = nullptr;
  cmrv_allocation_rules* rules = nullptr;
  cmrv_allocation* alloc = nullptr;
  cmrv_compliance* comp = nullptr;
  ~Fixture() {
    cmrv_compliance_destroy(comp);
    cmrv_allocation_destroy(alloc);
    cmrv_allocation_rules_destroy(rules);
    cmrv_enterprise_destroy(ent);
  }
  // The case's allocation; the status of the first call that fails.
  cmrv_status Allocate(const json& c) {
    cmrv_status st = cmrv_allocation_rules_builtin(ctx, c["rules"].get<std::string>().c_str(), &rules);
    if (st != CMRV_OK) return st;
    st = cmrv_enterprise_from_json(ctx, cmrv_test::Patched(c).c_str(), &ent);
    if (st != CMRV_OK) return st;
    return cmrv_allocate(ctx, ent, cat, rules, c["year"].get<int32_t>(), nullptr, &alloc);
  }
  cmrv_status Assess(const json& c) {
    std::vector<HoldingRecord> recs;
    for (const auto& h : c["holdings"]) {
      recs.push_back({7, h["kind"] == "ccer" ? CMRV_HOLDING_CCER : CMRV_HOLDING_ALLOWANCE, h["vintage"].get<int32_t>(),
                      h["quantity"].get<double>()});
    }
    const HoldingRecord* r = recs.data();
    const double net_sold =
        c.contains("net_sold_t") ? c["net_sold_t"].get<double>() : std::numeric_limits<double>::quiet_NaN();
    return cmrv_compliance_assess(ctx, alloc, rules, recs.size(), recs.empty() ? nullptr : &r->kind,
                                  sizeof(HoldingRecord), recs.empty() ? nullptr : &r->vintage, sizeof(HoldingRecord),
                                  recs.empty() ? nullptr : &r->quantity, sizeof(HoldingRecord), net_sold, &comp);
  }
};

}  // namespace

TEST_CASE("C API allocation and compliance: the shared cases", "[capi][allocation]") {
  for (const auto& c : cmrv_test::Counted(Cases(), "allocation_cases.json", "cases")) {
    INFO(c["name"].get<std::string>());
    Fixture f;
    REQUIRE(f.Allocate(c) == CMRV_OK);
    double total = 0, pre = 0, true_up = 0;
    size_t n = 0;
    REQUIRE(cmrv_allocation_summary(f.ctx, f.alloc, &total, &pre, &true_up, &n) == CMRV_OK);
    CHECK(Close(total, c["total_t"].get<double>(), 1e-12));
    if (c["pre_allocation_t"].is_null()) {
      CHECK(std::isnan(pre));
    } else {
      CHECK(Close(pre, c["pre_allocation_t"].get<double>(), 1e-12));
      CHECK(Close(true_up, c["true_up_t"].get<double>(), 1e-12));
    }
    REQUIRE(n == c["facilities"].size());
    for (size_t i = 0; i < n; ++i) {
      const char* id = nullptr;
      double a = 0, e = 0;
      REQUIRE(cmrv_allocation_facility(f.ctx, f.alloc, i, &id, &a, &e) == CMRV_OK);
      INFO(id);
      const json& want = c["facilities"][id];
      CHECK(Close(a, want["allocation_t"].get<double>(), 1e-12));
      CHECK(Close(e, want["verified_emissions_t"].get<double>(), 1e-12));
    }
    REQUIRE(f.Assess(c) == CMRV_OK);
    double due = 0, surrendered = 0, shortfall = 0, surplus = 0;
    REQUIRE(cmrv_compliance_summary(f.ctx, f.comp, &due, &surrendered, &shortfall, &surplus) == CMRV_OK);
    const json& w = c["compliance"];
    CHECK(Close(due, w["due_t"].get<double>(), 1e-12));
    CHECK(Close(surrendered, w["surrendered_t"].get<double>(), 1e-12));
    CHECK(Close(shortfall, w["shortfall_t"].get<double>(), 1e-12));
    CHECK(Close(surplus, w["surplus_t"].get<double>(), 1e-12));
    char* text = nullptr;
    REQUIRE(cmrv_compliance_to_json(f.ctx, f.comp, &text) == CMRV_OK);
    const json j = json::parse(text);
    cmrv_free(text);
    if (w["borrowing_available_t"].is_null()) {
      CHECK(j["borrowing_available_t"].is_null());
    } else {
      CHECK(Close(j["borrowing_available_t"].get<double>(), w["borrowing_available_t"].get<double>(), 1e-12));
    }
    REQUIRE(cmrv_allocation_to_json(f.ctx, f.alloc, &text) == CMRV_OK);
    CHECK(json::parse(text)["schema"] == "carbonmrv.allocation/1");
    cmrv_free(text);
  }
}

TEST_CASE("C API allocation: the shared error cases name the field", "[capi][allocation]") {
  for (const auto& c : cmrv_test::Counted(Cases(), "allocation_cases.json", "errors")) {
    INFO(c["name"].get<std::string>());
    Fixture f;
    cmrv_status st = f.Allocate(c);
    if (st == CMRV_OK) {
      REQUIRE(c.value("stage", "") == "compliance");
      st = f.Assess(c);
    }
    CHECK(st != CMRV_OK);
    CHECK(st != CMRV_ERR_INTERNAL);
    INFO(f.msg());
    CHECK(f.msg().find(c["error"].get<std::string>()) != std::string::npos);
  }
}

TEST_CASE("C API allocation: misuse is an error, never a crash", "[capi][allocation]") {
  Fixture f;
  CHECK(cmrv_allocation_rules_builtin(f.ctx, "nope", &f.rules) == CMRV_ERR_NOT_FOUND);
  CHECK(f.msg().find("cn_power_2019_2020") != std::string::npos);
  CHECK(cmrv_allocation_rules_builtin(f.ctx, nullptr, &f.rules) == CMRV_ERR_INVALID_ARGUMENT);
  CHECK(cmrv_allocation_rules_from_json(f.ctx, "{", &f.rules) == CMRV_ERR_INVALID_ARGUMENT);
  REQUIRE(cmrv_allocation_rules_builtin(f.ctx, "cn_power_2019_2020", &f.rules) == CMRV_OK);
  CHECK(cmrv_allocate(f.ctx, nullptr, f.cat, f.rules, 0, nullptr, &f.alloc) == CMRV_ERR_INVALID_ARGUMENT);
  REQUIRE(cmrv_enterprise_from_json(f.ctx, Read("enterprises/alloc_power.json").c_str(), &f.ent) == CMRV_OK);
  REQUIRE(cmrv_allocate(f.ctx, f.ent, f.cat, f.rules, 0, nullptr, &f.alloc) == CMRV_OK);
  CHECK(cmrv_allocation_facility(f.ctx, f.alloc, 2, nullptr, nullptr, nullptr) == CMRV_ERR_OUT_OF_RANGE);
  const int32_t kind = 5, vintage = 2020;
  const double quantity = 1;
  CHECK(cmrv_compliance_assess(f.ctx, f.alloc, f.rules, 1, &kind, 0, &vintage, 0, &quantity, 0, NAN, &f.comp) ==
        CMRV_ERR_INVALID_ARGUMENT);
  CHECK(f.msg().find("holdings[0].kind") != std::string::npos);
  CHECK(cmrv_compliance_assess(f.ctx, f.alloc, f.rules, 1, &kind, 2, &vintage, 0, &quantity, 0, NAN, &f.comp) ==
        CMRV_ERR_INVALID_ARGUMENT);
  CHECK(f.msg().find("kind_stride") != std::string::npos);
  CHECK(cmrv_compliance_assess(f.ctx, f.alloc, f.rules, 1, nullptr, 0, &vintage, 0, &quantity, 0, NAN, &f.comp) ==
        CMRV_ERR_INVALID_ARGUMENT);
}
