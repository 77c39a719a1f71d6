// C++ core: cross-verification on the shared fault-injection fixtures, and the reconciliation.
#include <cmath>
#include <set>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "carbonmrv/region/region.hpp"
#include "carbonmrv/status.hpp"
#include "carbonmrv/verification/verification.hpp"
#include "carbonmrv/verification/verification_options.hpp"
#include "support/cases.hpp"
#include "support/catalogue.hpp"
#include "support/fixtures.hpp"

namespace {

using cmrv_test::Catalogue;

using cmrv_test::Patched;
using cmrv_test::Read;
using nlohmann::json;

const json& Cases() {
  static const json cases = json::parse(Read("verification_cases.json"));
  return cases;
}

cmrv::Enterprise Load(const std::string& text) {
  auto e = cmrv::Enterprise::FromJson(text);
  INFO(e.status().ToString());
  REQUIRE(e.ok());
  return *e;
}

// The enterprise's own inventory as the case describes it, read back from its JSON like a file.
std::optional<cmrv::Inventory> Reported(const json& c, const std::string& text, const char* key = "reported") {
  if (!c.contains(key)) return std::nullopt;
  const json& spec = c[key];
  const std::string source =
      spec.contains("patch") ? Patched({{"document", c["document"]}, {"patch", spec["patch"]}}) : text;
  cmrv::InventoryOptions o;
  o.gwp_dataset = spec.value("gwp", "ipcc_ar5_gwp100");
  o.co2_per_carbon = *cmrv::ParseCo2PerCarbon(spec.value("co2_per_carbon", "44/12"));
  auto inv = cmrv::ComputeInventory(Load(source), Catalogue(), o);
  REQUIRE(inv.ok());
  auto back = cmrv::Inventory::FromJson(inv->ToJson());
  REQUIRE(back.ok());
  return *back;
}

std::set<std::pair<std::string, std::string>> Found(const cmrv::VerificationReport& r) {
  std::set<std::pair<std::string, std::string>> s;
  for (const auto& f : r.findings) s.emplace(cmrv::CheckIdName(f.check), f.subject);
  return s;
}

}  // namespace

TEST_CASE("Verification: clean documents raise nothing", "[verification]") {
  for (const auto& doc : Cases()["clean"]) {
    INFO(doc.get<std::string>());
    auto r = cmrv::Verify(Load(Read(doc.get<std::string>())), Catalogue(), nullptr, {});
    REQUIRE(r.ok());
    CHECK(r->findings.empty());
    CHECK(r->Status() == "clean");  // the one status name every surface reports
    CHECK_FALSE(r->HasErrors());
    CHECK(r->checks_run.size() >= 10);
  }
}

TEST_CASE("Verification: each injected fault raises exactly its findings", "[verification]") {
  for (const auto& c : Cases()["faults"]) {
    INFO(c["name"].get<std::string>());
    const std::string text = Patched(c);
    auto reported = Reported(c, text);
    cmrv::VerifyOptions o;
    o.previous_year = Reported(c, text, "previous");
    auto r = cmrv::Verify(Load(text), Catalogue(), reported ? &*reported : nullptr, o);
    REQUIRE(r.ok());
    std::set<std::pair<std::string, std::string>> expected;
    for (const auto& e : c["expect"]) expected.emplace(e[0], e[1]);
    INFO(r->ToJson());
    CHECK(Found(*r) == expected);
    for (const auto& f : r->findings) {
      CHECK(!f.source.empty());
      CHECK(!f.message_zh.empty());
    }
  }
}

TEST_CASE("Verification: the reconciliation's parts add up to the difference", "[verification]") {
  for (const auto& c : Cases()["reconciliation"]) {
    INFO(c["name"].get<std::string>());
    const std::string text = Patched(c);
    auto reported = Reported(c, text);
    auto r = cmrv::Verify(Load(text), Catalogue(), &*reported, {});
    REQUIRE(r.ok());
    REQUIRE(r->reconciliation.has_value());
    const auto& rec = *r->reconciliation;
    const double diff = rec.reported_total - rec.recomputed_total;
    double sum = 0;
    for (const auto& [k, v] : rec.by_part) sum += v;
    CHECK(cmrv_test::Close(sum, diff, 1e-9));
    for (const auto& [part, value] : c["parts"].items()) {
      CHECK(cmrv_test::Close(rec.by_part.at(part), value.get<double>(), 1e-9));
      CHECK(cmrv_test::Close(diff, value.get<double>(), 1e-9));
    }
  }
}

TEST_CASE("Verification: every check id has one catalogue entry, in id order, and parses back", "[verification]") {
  // The 20 checks of docs/verification.md: X01–X10, X12–X16, X18–X20, X22, X23.
  const auto& catalogue = cmrv::CheckCatalogue();
  REQUIRE(catalogue.size() == 20);
  for (std::size_t i = 0; i < catalogue.size(); ++i) {
    const auto name = std::string(cmrv::CheckIdName(catalogue[i].id));
    INFO(name);
    CHECK(name.size() == 3);
    CHECK(*cmrv::ParseCheckId(name) == catalogue[i].id);
    if (i > 0) CHECK(static_cast<int>(catalogue[i - 1].id) < static_cast<int>(catalogue[i].id));
  }
  CHECK(cmrv::CheckIdName(cmrv::CheckId::kX22) == "X22");
  CHECK(cmrv::ParseCheckId("X11").status().code() == absl::StatusCode::kInvalidArgument);  // not implemented
}

TEST_CASE("Verification: options are validated", "[verification]") {
  const auto e = Load(Read("enterprises/verify_base.json"));
  cmrv::VerifyOptions o;
  // Check ids are typed: an unknown one is refused where the text is parsed, listing the valid ones.
  auto bad = cmrv::SetVerifyOption(o, "checks", "X01,X99");
  CHECK(std::string(bad.message()).find("checks: unknown check \"X99\"; known: X01, X02, X03") != std::string::npos);
  CHECK(o.checks.empty());  // nothing set from a value that failed
  REQUIRE(cmrv::SetVerifyOption(o, "checks", "x01,X04").ok());
  CHECK(o.checks == std::vector<cmrv::CheckId>{cmrv::CheckId::kX01, cmrv::CheckId::kX04});
  // The check is named before the numbers are looked at (the first error of the call is reported).
  CHECK(std::string(cmrv::SetVerifyTolerance(o, "X99", 3, 1).message()).find("unknown check \"X99\"") == 0);
  CHECK(std::string(cmrv::SetVerifyTolerance(o, "X01", 3, 1).message()) ==
        "tolerance of X01: expected finite 0 ≤ warning ≤ error, got 3 and 1");
  o.checks = {};
  o.tolerances[cmrv::CheckId::kX01] = {3, 1};  // set directly, it is still refused at Verify
  CHECK(cmrv::Verify(e, Catalogue(), nullptr, o).status().code() == absl::StatusCode::kInvalidArgument);
  auto inv = cmrv::Inventory::FromJson(R"({"schema": "carbonmrv.inventory/1", "lines": [{"source": 1}]})");
  CHECK(std::string(inv.status().message()).find("lines[0].source: expected a string") != std::string::npos);
}

TEST_CASE("Region: reference approach by hand, sectoral from the inventories", "[verification][region]") {
  const json cases = json::parse(Read("region_cases.json"));
  auto r = cmrv::CompareRegionJson(Read(cases["request"].get<std::string>()), Catalogue());
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  REQUIRE(r->fuels.size() == cases["reference_t"].size());
  double sectoral = 0;
  for (const auto& f : r->fuels) {
    CHECK(cmrv_test::Close(f.reference_t, cases["reference_t"][f.carrier].get<double>(), 1e-12));
    sectoral += f.sectoral_t;
  }
  // The sectoral side is the enterprises' own combustion CO2.
  double direct = 0;
  const json request = json::parse(Read(cases["request"].get<std::string>()));
  for (const auto& doc : request["enterprises"]) {
    auto inv = cmrv::ComputeInventory(Load(doc.dump()), Catalogue(), {});
    REQUIRE(inv.ok());
    for (const auto& l : inv->lines) {
      if (!l.memo && l.gas == cmrv::Gas::kCo2 && l.category == cmrv::Category::kFuelCombustion) direct += l.mass_t;
    }
  }
  CHECK(cmrv_test::Close(sectoral, direct, 1e-12));
  for (const auto& e : cmrv_test::Counted(cases, "region_cases.json", "errors")) {
    auto bad = cmrv::CompareRegionJson(Patched({{"document", cases["request"]}, {"patch", e["patch"]}}), Catalogue());
    CHECK(std::string(bad.status().message()).find(e["message"].get<std::string>()) != std::string::npos);
  }
}
