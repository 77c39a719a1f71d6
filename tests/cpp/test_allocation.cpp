// C++ core: allocation and compliance on the shared fixtures (tests/data/allocation_cases.json): the
// China power plans (benchmarks, cooling, heat-ratio and load corrections, pre-allocation and true-up,
// the 20 % cap, the gas-unit rule, CCER limit, banking, borrowing, the carry-over cap), EU product
// benchmarks, grandfathering; errors naming the field; the rule sets' own errors.
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "carbonmrv/factors/factors.hpp"
#include "carbonmrv/market/allocation.hpp"
#include "carbonmrv/market/compliance.hpp"
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

const cmrv::FactorCatalogue& Catalogue() {
  static const cmrv::FactorCatalogue c = *cmrv::FactorCatalogue::Builtin();
  return c;
}

std::vector<cmrv::Holding> Holdings(const json& j) {
  std::vector<cmrv::Holding> out;
  for (const auto& h : j) {
    out.push_back(
        {*cmrv::ParseHoldingKind(h["kind"].get<std::string>()), h["vintage"].get<int>(), h["quantity"].get<double>()});
  }
  return out;
}

void CheckOptional(const std::optional<double>& got, const json& want) {
  if (want.is_null()) {
    CHECK_FALSE(got.has_value());
  } else {
    REQUIRE(got.has_value());
    CHECK(Close(*got, want.get<double>(), 1e-12));
  }
}

}  // namespace

TEST_CASE("Allocation: the 2019-2020 load correction reproduces the reference's vector", "[allocation]") {
  for (const auto& v : cmrv_test::Counted(Cases(), "allocation_cases.json", "load_factor")) {
    INFO(v["worked"].get<std::string>());
    CHECK(Close(cmrv::CnPowerLoadCorrection2019(v["load"].get<double>()), v["factor"].get<double>(), 1e-12));
  }
}

TEST_CASE("Allocation and compliance: the shared cases as worked by hand", "[allocation]") {
  for (const auto& c : cmrv_test::Counted(Cases(), "allocation_cases.json", "cases")) {
    INFO(c["name"].get<std::string>() << ": " << c["worked"].get<std::string>());
    auto e = cmrv::Enterprise::FromJson(cmrv_test::Patched(c));
    REQUIRE(e.ok());
    auto rules = cmrv::AllocationRules::Builtin(c["rules"].get<std::string>());
    REQUIRE(rules.ok());
    cmrv::AllocateOptions o;
    o.year = c["year"].get<int>();
    auto a = cmrv::Allocate(*e, Catalogue(), *rules, o);
    INFO(a.status().message());
    REQUIRE(a.ok());
    CHECK(Close(a->total_t, c["total_t"].get<double>(), 1e-12));
    CHECK(Close(a->unattributed_emissions_t, c["unattributed_emissions_t"].get<double>(), 1e-12));
    CheckOptional(a->pre_allocation_t, c["pre_allocation_t"]);
    CheckOptional(a->true_up_t, c["true_up_t"]);
    REQUIRE(a->facilities.size() == c["facilities"].size());
    for (const auto& f : a->facilities) {
      INFO(f.facility);
      const json& want = c["facilities"][f.facility];
      CHECK(Close(f.allocation_t, want["allocation_t"].get<double>(), 1e-12));
      CHECK(Close(f.electricity_part_t, want["electricity_part_t"].get<double>(), 1e-12));
      CHECK(Close(f.heat_part_t, want["heat_part_t"].get<double>(), 1e-12));
      CheckOptional(f.pre_allocation_t, want.value("pre_allocation_t", json()));
      CheckOptional(f.true_up_t, want.value("true_up_t", json()));
      CheckOptional(f.verified_emissions_t, want["verified_emissions_t"]);
      CHECK_FALSE(f.trace.empty());
    }
    cmrv::ComplianceOptions co;
    if (c.contains("net_sold_t")) co.net_sold_t = c["net_sold_t"].get<double>();
    const auto holdings = Holdings(c["holdings"]);
    auto r = cmrv::AssessCompliance(*a, *rules, holdings, co);
    INFO(r.status().message());
    REQUIRE(r.ok());
    const json& w = c["compliance"];
    for (auto [key, got] :
         {std::pair{"due_t", r->due_t}, std::pair{"cap_relief_t", r->cap_relief_t},
          std::pair{"exempt_relief_t", r->exempt_relief_t}, std::pair{"offset_limit_t", r->offset_limit_t},
          std::pair{"surrendered_t", r->surrendered_t}, std::pair{"shortfall_t", r->shortfall_t},
          std::pair{"surplus_t", r->surplus_t}}) {
      INFO(key);
      CHECK(Close(got, w[key].get<double>(), 1e-12));
    }
    CheckOptional(r->borrowing_available_t, w["borrowing_available_t"]);
    CheckOptional(r->carry_over_cap_t, w["carry_over_cap_t"]);
    // The JSON says the same as the struct.
    const json j = json::parse(r->ToJson());
    CHECK(j["due_t"].get<double>() == r->due_t);
    CHECK(json::parse(a->ToJson())["total_t"].get<double>() == a->total_t);
  }
}

TEST_CASE("Allocation: bad documents, years and holdings are errors naming the field", "[allocation]") {
  for (const auto& c : cmrv_test::Counted(Cases(), "allocation_cases.json", "errors")) {
    INFO(c["name"].get<std::string>());
    auto rules = cmrv::AllocationRules::Builtin(c["rules"].get<std::string>());
    REQUIRE(rules.ok());
    std::string message;
    auto e = cmrv::Enterprise::FromJson(cmrv_test::Patched(c));
    if (!e.ok()) {
      message = std::string(e.status().message());
    } else {
      cmrv::AllocateOptions o;
      o.year = c["year"].get<int>();
      auto a = cmrv::Allocate(*e, Catalogue(), *rules, o);
      if (!a.ok()) {
        message = std::string(a.status().message());
      } else {
        REQUIRE(c.value("stage", "") == "compliance");
        auto r = cmrv::AssessCompliance(*a, *rules, Holdings(c["holdings"]));
        REQUIRE_FALSE(r.ok());
        message = std::string(r.status().message());
      }
    }
    INFO(message);
    CHECK(message.find(c["error"].get<std::string>()) != std::string::npos);
  }
}

TEST_CASE("Allocation rule sets: every built-in reads, bad rule sets are errors with JSON paths", "[allocation]") {
  const auto ids = cmrv::AllocationRules::BuiltinIds();
  CHECK(ids == std::vector<std::string>{"cn_industry_2024", "cn_power_2019_2020", "cn_power_2021_2022",
                                        "cn_power_2023_2024", "eu_far_2021_2025"});
  for (const auto& id : ids) {
    INFO(id);
    auto r = cmrv::AllocationRules::Builtin(id);
    REQUIRE(r.ok());
    CHECK(r->id == id);
    CHECK(r->sha256.size() == 64);
  }
  auto unknown = cmrv::AllocationRules::Builtin("cn_power_2030");
  REQUIRE_FALSE(unknown.ok());
  CHECK(std::string(unknown.status().message()).find("expected one of cn_industry_2024") != std::string::npos);
  for (const auto& c : cmrv_test::Counted(Cases(), "allocation_cases.json", "rules_errors")) {
    INFO(c["name"].get<std::string>());
    auto r = cmrv::AllocationRules::FromJson(cmrv_test::Patched(c));
    REQUIRE_FALSE(r.ok());
    INFO(r.status().message());
    CHECK(std::string(r.status().message()).find(c["error"].get<std::string>()) != std::string::npos);
  }
}

TEST_CASE("Allocation data round-trips through the enterprise document", "[allocation]") {
  auto e = cmrv::Enterprise::FromJson(Read("enterprises/alloc_power.json"));
  REQUIRE(e.ok());
  const std::string once = e->ToJson();
  CHECK(json::parse(once)["schema"] == "carbonmrv.enterprise/2");
  auto again = cmrv::Enterprise::FromJson(once);
  REQUIRE(again.ok());
  CHECK(again->ToJson() == once);
  REQUIRE(again->facilities[0].allocation.has_value());
  CHECK(again->facilities[0].allocation->years.size() == 3);
}

TEST_CASE("Allocation: grandfathering on the reporting year's inventory for a later allocation year", "[allocation]") {
  // A user's plan: 2025 allocation = verified 2024 emissions (offset -1). The clinker works' 2024
  // inventory: 900 000 t x 0.8 tCO2/t = 720 000 t.
  json plan = json::parse(Read("../../data/allocation/cn_industry_2024.json"));
  plan["id"] = "user_grandfathering_2025";
  plan["years"] = {2025};
  plan["grandfathering"]["base_year_offset"] = -1;
  auto rules = cmrv::AllocationRules::FromJson(plan.dump());
  REQUIRE(rules.ok());
  json doc = json::parse(Read("enterprises/alloc_clinker.json"));
  doc["enterprise"]["year"] = 2024;
  doc["sources"][0]["activity"][0]["period"] = "2024";
  auto e = cmrv::Enterprise::FromJson(doc.dump());
  REQUIRE(e.ok());
  cmrv::AllocateOptions o;
  o.year = 2025;
  auto a = cmrv::Allocate(*e, Catalogue(), *rules, o);
  INFO(a.status().message());
  REQUIRE(a.ok());
  CHECK(Close(a->total_t, 720000, 1e-12));
  CHECK_FALSE(a->facilities[0].verified_emissions_t.has_value());  // 2025 emissions are not known yet
}
