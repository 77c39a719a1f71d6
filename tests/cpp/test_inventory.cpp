// C++ core: enterprise documents and the inventory engine.
#include <cmath>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "carbonmrv/enterprise/enterprise.hpp"
#include "carbonmrv/inventory/inventory.hpp"
#include "carbonmrv/inventory/inventory_options.hpp"
#include "carbonmrv/status.hpp"
#include "carbonmrv/uncertainty/uncertainty.hpp"
#include "internal/arena.hpp"
#include "internal/json_parse.hpp"
#include "internal/json_writer.hpp"
#include "internal/threads.hpp"
#include "inventory/methods.hpp"
#include "support/cases.hpp"
#include "support/catalogue.hpp"

namespace {

using cmrv_test::Catalogue;

std::string Read(const std::string& rel) {
  std::ifstream in(std::string(CMRV_TEST_DATA_DIR) + "/" + rel);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

cmrv::Inventory Compute(const std::string& doc, cmrv::InventoryOptions options = {}) {
  auto e = cmrv::Enterprise::FromJson(doc);
  INFO(e.status().ToString());
  REQUIRE(e.ok());
  auto inv = cmrv::ComputeInventory(*e, Catalogue(), options);
  INFO(inv.status().ToString());
  REQUIRE(inv.ok());
  return *inv;
}

bool Close(double a, double b, double rel = 1e-12) { return std::abs(a - b) <= rel * std::max(1.0, std::abs(b)); }

std::string Msg(const absl::Status& s) { return std::string(s.message()); }

// An enterprise document's refusal `m`: it counts `count` problems and names each of `expected`.
void CheckProblems(const std::string& m, int count, std::initializer_list<const char*> expected) {
  for (const char* e : expected) {
    INFO(e << "\n---\n" << m);
    CHECK(m.find(e) != std::string::npos);
  }
  CHECK(m.rfind(std::to_string(count) + " problem(s) in the enterprise document:", 0) == 0);
}

}  // namespace

TEST_CASE("GB 32100-2015 check digit", "[enterprise]") {
  // Registered codes found in public test suites of USCC validators.
  for (const char* ok : {"91350100M000100Y43", "91110105771583283D", "91440300708461136T", "91110108551385082Q"}) {
    CHECK(cmrv::ValidateUscc(ok).ok());
  }
  CHECK(Msg(cmrv::ValidateUscc("91350100M000100Y44")) ==
        "unified social credit code \"91350100M000100Y44\" has check digit '4' but GB 32100-2015 §5 gives '3'");
  CHECK(Msg(cmrv::ValidateUscc("91350100M00010OY43")).find("has 'O' at position 15") != std::string::npos);
  CHECK_FALSE(cmrv::ValidateUscc("123").ok());
}

TEST_CASE("inventory fixtures reproduce the hand calculations", "[inventory][parity]") {
  const auto cases = nlohmann::json::parse(Read("inventory_cases.json"));
  for (const auto& c : cmrv_test::Counted(cases, "inventory_cases.json", "cases")) {
    cmrv::InventoryOptions o;
    for (const auto& [key, value] : c["options"].items()) {  // the options layer, as C and Python set them
      REQUIRE(cmrv::SetInventoryOption(o, key, value.get<std::string>()).ok());
    }
    auto inv = Compute(Read(c["document"]), o);
    for (const auto& want : c["lines"]) {
      INFO(want.dump());
      auto it = std::find_if(inv.lines.begin(), inv.lines.end(), [&](const cmrv::InventoryLine& l) {
        return l.source_id == want["source"].get<std::string>() && l.period == want["period"].get<std::string>() &&
               cmrv::GasName(l.gas) == want["gas"].get<std::string>() && l.part == want.value("part", "") &&
               (l.scope2_method ? std::string(cmrv::Scope2MethodName(*l.scope2_method)) : std::string()) ==
                   want.value("scope2_method", "");
      });
      REQUIRE(it != inv.lines.end());
      CHECK(Close(it->mass_t, want["mass_t"].get<double>(), 1e-9));
      if (want.contains("u_pct")) {
        auto u = cmrv::LineUncertainty(*it);
        REQUIRE(u.has_value());
        CHECK(Close(*u, want["u_pct"].get<double>(), 1e-12));
      }
    }
    if (c.contains("dual_scope2")) {
      const auto& w = c["dual_scope2"];
      using M = cmrv::Scope2Method;
      CHECK(Close(inv.TotalCo2e(M::kLocation), w["location_based_co2e_t"].get<double>(), 1e-9));
      CHECK(Close(inv.TotalCo2e(M::kMarket), w["market_based_co2e_t"].get<double>(), 1e-9));
      CHECK(Close(inv.Scope2Co2e(M::kLocation), w["scope2_location_co2e_t"].get<double>(), 1e-9));
      CHECK(Close(inv.Scope2Co2e(M::kMarket), w["scope2_market_co2e_t"].get<double>(), 1e-9));
      CHECK(inv.TotalCo2e(inv.options.scope2_method) == inv.TotalCo2e());  // the same lines, the same order
    }
    if (c.contains("uncertainty")) {
      const auto& w = c["uncertainty"];
      auto total = cmrv::PropagateUncertainty(inv, cmrv::TotalsKey::kTotal);
      REQUIRE(total.ok());
      REQUIRE(total->size() == 1);
      const auto& t = (*total)[0];
      CHECK(t.co2e_t == inv.TotalCo2e());  // the same lines, the same order
      REQUIRE(t.u_pct.has_value());
      CHECK(Close(*t.u_pct, w["total_u_pct"].get<double>(), 1e-12));
      CHECK(Close(*t.half_width_t, w["total_half_width_t"].get<double>(), 1e-12));
      CHECK(t.contributions.front().input == w["largest_contribution"].get<std::string>());
      double shares = 0;
      for (const auto& k : t.contributions) shares += k.share_pct;
      CHECK(Close(shares, 100.0, 1e-12));
      auto by = cmrv::PropagateUncertainty(inv, cmrv::TotalsKey::kCategory);
      REQUIRE(by.ok());
      for (const auto& [k, v] : w["by_category"].items()) {
        auto g = std::find_if(by->begin(), by->end(), [&](const auto& r) { return r.group == k; });
        REQUIRE(g != by->end());
        CHECK(Close(*g->u_pct, v.get<double>(), 1e-12));
      }
    }
    CHECK(Close(inv.TotalCo2e(), c["total_co2e_t"].get<double>(), 1e-9));
    if (c.contains("scope3_co2e_t")) {  // scope 3 sits beside the total, not in it
      CHECK(Close(inv.Totals(cmrv::TotalsKey::kScope)["3"], c["scope3_co2e_t"].get<double>(), 1e-12));
      CHECK(inv.Totals(cmrv::TotalsKey::kCategory).count("upstream_energy") == 0);
    }
    auto by_cat = inv.Totals(cmrv::TotalsKey::kCategory);
    for (const auto& [k, v] : c["by_category"].items()) CHECK(Close(by_cat[k], v.get<double>(), 1e-9));
    for (const auto& n : c["notes_contain"]) {
      CHECK(std::any_of(inv.notes.begin(), inv.notes.end(),
                        [&](const std::string& s) { return s.find(n.get<std::string>()) != std::string::npos; }));
    }
  }
}

TEST_CASE("trace: every line replays to its number, and carries provenance", "[inventory][property]") {
  auto inv = Compute(Read("enterprises/hand_calc.json"));
  REQUIRE(inv.lines.size() == 10);  // coal CO2, CH4, N2O × 2 periods; grid location and market; limestone; steam
  double sum = 0;
  for (const auto& l : inv.lines) {
    auto replay = cmrv::ReplayLine(l);
    REQUIRE(replay.ok());
    CHECK(*replay == l.mass_t);  // bit-identical: the engine evaluates the trace itself
    for (const auto& t : l.terms) CHECK_FALSE(t.provenance.empty());
    if (!l.memo) sum += l.co2e_t;
  }
  CHECK(sum == inv.TotalCo2e());  // totals = sum of parts, same order
  // Category totals add up to the total.
  double cats = 0;
  for (const auto& [k, v] : inv.Totals(cmrv::TotalsKey::kCategory)) cats += v;
  CHECK(Close(cats, inv.TotalCo2e()));
  // February used the measured NCV, January the stated one.
  const auto& feb = *std::find_if(inv.lines.begin(), inv.lines.end(),
                                  [](const auto& l) { return l.period == "2023-02" && l.gas == cmrv::Gas::kCo2; });
  CHECK(feb.terms[1].provenance == "measured for period 2023-02 (lab report 2023-02)");
  const auto& jan = *std::find_if(inv.lines.begin(), inv.lines.end(),
                                  [](const auto& l) { return l.period == "2023-01" && l.gas == cmrv::Gas::kCo2; });
  CHECK(jan.terms[1].provenance == "stated in the document: test fixture");
  CHECK(jan.notes == std::vector<std::string>{
                         "missing-data rule: ncv not measured for period 2023-01; the stated default was used"});
}

TEST_CASE("the same data in other units gives the same inventory", "[inventory][property]") {
  const std::string doc = Read("enterprises/hand_calc.json");
  auto base = Compute(doc);
  auto replace = [](std::string s, const std::string& from, const std::string& to) {
    auto pos = s.find(from);
    REQUIRE(pos != std::string::npos);
    return s.replace(pos, from.size(), to);
  };
  // 600 t → 600000 kg; 100 万kWh → 1000 MWh; 25 tC/TJ → 0.025 tC/GJ.
  std::string other = replace(doc, R"("value": 600, "unit": "t")", R"("value": 600000, "unit": "kg")");
  other = replace(other, R"("value": 100, "unit": "万kWh")", R"("value": 1000, "unit": "MWh")");
  other = replace(other, R"("value": 25, "unit": "tC/TJ")", R"("value": 0.025, "unit": "tC/GJ")");
  auto inv = Compute(other);
  CHECK(Close(inv.TotalCo2e(), base.TotalCo2e(), 1e-12));
  REQUIRE(inv.lines.size() == base.lines.size());
  for (std::size_t i = 0; i < inv.lines.size(); ++i) CHECK(Close(inv.lines[i].mass_t, base.lines[i].mass_t, 1e-12));
}

TEST_CASE("conventions: GWP set and CO2/C ratio are parameters", "[inventory]") {
  const std::string doc = Read("enterprises/hand_calc.json");
  cmrv::InventoryOptions ar4;
  ar4.gwp_dataset = "ipcc_ar4_gwp100";
  auto a = Compute(doc), b = Compute(doc, ar4);
  // Only the CH4 and N2O lines change: 0.0204 tCH4 × (25 − 28) + 0.0306 tN2O × (298 − 265).
  CHECK(Close(b.TotalCo2e() - a.TotalCo2e(), 0.0204 * (25 - 28) + 0.0306 * (298 - 265), 1e-9));
  cmrv::InventoryOptions eu;
  eu.co2_per_carbon = cmrv::Co2PerCarbon::k3664;
  auto c = Compute(doc, eu);
  // Fuel CO2 scales by 3.664 / (44/12): (1045 + 731.5) × (3.664 × 12 / 44 − 1).
  CHECK(Close(c.TotalCo2e() - a.TotalCo2e(), 1776.5 * (3.664 * 12.0 / 44.0 - 1.0), 1e-9));
  cmrv::InventoryOptions bad;
  bad.gwp_dataset = "epa_hub_2021";
  auto e = cmrv::Enterprise::FromJson(doc);
  CHECK(Msg(cmrv::ComputeInventory(*e, Catalogue(), bad).status()).find("is not a GWP set") != std::string::npos);
}

TEST_CASE("electricity from the MEE/NBS dataset by region and year", "[inventory]") {
  // No stated grid factor: the catalogue gives the national 2023 factor for a province it lacks.
  std::string doc = Read("enterprises/hand_calc.json");
  auto pos = doc.find(R"("factors": {"grid_ef")");
  auto end = doc.find("},", doc.find("test fixture", pos)) + 2;
  doc.erase(pos, end - pos);
  auto inv = Compute(doc);
  const auto& grid =
      *std::find_if(inv.lines.begin(), inv.lines.end(), [](const auto& l) { return l.source_id == "grid"; });
  CHECK(Close(grid.mass_t, 1000 * 0.5306));  // 1000 MWh × 0.5306 kgCO2/kWh
  CHECK(grid.terms[1].provenance.view().rfind("dataset mee_nbs_electricity_co2 line", 0) == 0);
  CHECK(grid.terms[1].provenance.view().find("sha256 ") != std::string::npos);
}

TEST_CASE("invalid documents: every problem with its JSON path, nothing computed", "[inventory][errors]") {
  const std::string bad = R"({
    "schema": "carbonmrv.enterprise/1",
    "enterprise": {"name": "x", "uscc": "91350100M000100Y44", "year": 2023, "colour": "red"},
    "sources": [
      {"id": "a", "kind": "fuel_combustion", "carrier": "natural_gass",
       "activity": [{"period": "2023-13", "value": 1, "unit": "tonn"}]},
      {"id": "a", "kind": "purchased_electricity",
       "activity": [{"period": "2023", "value": -5, "unit": "MWh"}, {"period": "2023", "value": 5, "unit": "t"}]},
      {"id": "c", "kind": "fuel_combustion", "carrier": "natural_gas",
       "factors": {"ncv": {"value": 38.9, "unit": "tCO2/Nm3", "source": "x"}},
       "activity": [{"period": "2023", "value": 1, "unit": "Nm3"}]},
      {"id": "d", "kind": "smelting", "activity": []}
    ]})";
  auto e = cmrv::Enterprise::FromJson(bad);
  REQUIRE_FALSE(e.ok());
  CHECK(cmrv::GetErrorDetail(e.status()) == cmrv::ErrorDetail::kInvalidDocument);
  CheckProblems(
      Msg(e.status()), 12,
      {
          "enterprise.uscc: unified social credit code \"91350100M000100Y44\" has check digit '4'",
          "enterprise.colour: unknown field",
          "sources[0].carrier: unknown carrier \"natural_gass\"; did you mean \"natural_gas\"?",
          "sources[0].activity[0].period: \"2023-13\" is not \"2023\" or \"2023-MM\"",
          "sources[0].activity[0].unit: unknown unit \"tonn\"; did you mean \"t\"?",
          "sources[1].id: duplicate source id \"a\"",
          "sources[1].activity[0].value: -5 is negative",
          "sources[1].activity[1].period: duplicate period \"2023\"",
          "sources[1].activity[1].unit: \"t\" is mass of fuel or material; a purchased_electricity source needs "
          "energy",
          "sources[2].factors.ncv.unit: \"tCO2/Nm3\" is mass of CO2 per gas volume at 0 °C/101.325 kPa; expected "
          "energy per unit",
          "sources[3].kind: \"smelting\" is not a source kind",
          "sources[3].activity: at least one activity record is required",
      });
  CHECK(Msg(cmrv::Enterprise::FromJson("{").status()).rfind("not valid JSON:", 0) == 0);
}

// An activity record's members are found in one walk of the record (Reader::Fields): an unknown key, a
// null, a missing member and a member of the wrong type are each named at their path, as elsewhere.
TEST_CASE("an activity record's problems are named member by member", "[inventory][errors]") {
  auto e = cmrv::Enterprise::FromJson(R"({"schema": "carbonmrv.enterprise/1", "enterprise": {"name": "x", "year": 2023},
    "sources": [{"id": "a", "kind": "fuel_combustion", "carrier": "natural_gas", "activity": [
      {"period": "2023-01", "value": "12", "unit": "Nm3", "untis": "x"},
      {"period": null, "value": 3, "unit": "Nm3"},
      {"period": "2023-03", "value": 3},
      {"period": "2023-04", "value": 3, "unit": "Nm3", "uncertainty_pct": 120, "data_source": "guess"},
      {"period": "2023-05", "value": 3, "unit": "Nm3", "measured": 7}]}]})");
  REQUIRE_FALSE(e.ok());
  CheckProblems(
      Msg(e.status()), 7,
      {
          "sources[0].activity[0].untis: unknown field; expected one of: period, value, unit, data_source, "
          "uncertainty_pct, measured",
          "sources[0].activity[0].value: expected a number, found string",
          "sources[0].activity[1].period: required field is missing",
          "sources[0].activity[2].unit: required field is missing",
          "sources[0].activity[3].data_source: \"guess\" is not one of meter, invoice, stock_take, estimate, default",
          "sources[0].activity[3].uncertainty_pct: expected a percentage in [0, 100]",
          "sources[0].activity[4].measured: expected an object, found number",
      });
}

// Enterprise::FromJson reads each source as the parser completes it when the sections the sources
// depend on come first, and reads a whole DOM otherwise: the result and the problems must not depend on
// which path a document takes.
TEST_CASE("sources read one at a time give what a whole read gives, in any key order", "[inventory][errors]") {
  const std::string head = R"("schema": "carbonmrv.enterprise/1", "enterprise": {"name": "x", "year": 2023})";
  const std::string sources = R"("sources": [
      {"id": "a", "kind": "fuel_combustion", "carrier": "natural_gas", "activity": [
        {"period": "2023-01", "value": 10, "unit": "Nm3"}, {"period": "2023-02", "value": 12, "unit": "Nm3"}]},
      {"id": "b", "kind": "purchased_electricity", "activity": [{"period": "2023", "value": 5, "unit": "MWh"}]}])";
  const std::string production = R"("production": [{"product": "p", "period": "2023", "value": 3, "unit": "t"}])";
  auto first = cmrv::Enterprise::FromJson("{" + head + ", " + sources + ", " + production + "}");
  REQUIRE(first.ok());
  REQUIRE(first->sources.size() == 2);
  CHECK(first->sources[0].activity.size() == 2);
  CHECK(first->sources[1].activity[0].quantity.value == 5);
  CHECK(first->production.size() == 1);
  // The header after the sources: read whole, same enterprise.
  auto last = cmrv::Enterprise::FromJson("{" + sources + ", " + production + ", " + head + "}");
  REQUIRE(last.ok());
  CHECK(last->ToJson() == first->ToJson());
  // Facilities after the sources are read too (the header was read before them).
  auto late_facility = cmrv::Enterprise::FromJson("{" + head + ", " + sources + R"(, "facilities": [{"id": "f1"}]})");
  REQUIRE(late_facility.ok());
  REQUIRE(late_facility->facilities.size() == 1);
  CHECK(late_facility->facilities[0].id == "f1");
  // A period outside the year is found although the year comes after the sources.
  std::string late_year = sources;
  late_year.replace(late_year.find("2023-02"), 7, "2022-02");
  auto bad_period = cmrv::Enterprise::FromJson("{" + late_year + ", " + head + "}");
  REQUIRE_FALSE(bad_period.ok());
  CHECK(Msg(bad_period.status()).find("sources[0].activity[1].period: \"2022-02\" is not \"2023\" or \"2023-MM\"") !=
        std::string::npos);
  // The same problems, listed the same way, whichever path read them.
  auto bad_early = cmrv::Enterprise::FromJson("{" + head + ", " + late_year + "}");
  REQUIRE_FALSE(bad_early.ok());
  CHECK(Msg(bad_early.status()) == Msg(bad_period.status()));
  // An unknown top-level field after the sources is still refused.
  auto unknown = cmrv::Enterprise::FromJson("{" + head + ", " + sources + R"(, "colour": "red"})");
  REQUIRE_FALSE(unknown.ok());
  CHECK(Msg(unknown.status()).find("colour: unknown field") != std::string::npos);
  // A syntax error after some sources were read is an error, not a partial enterprise.
  auto cut = cmrv::Enterprise::FromJson("{" + head + ", " + sources.substr(0, sources.rfind('{')) + "{\"id\": ]}");
  REQUIRE_FALSE(cut.ok());
  CHECK(Msg(cut.status()).rfind("not valid JSON:", 0) == 0);
  // A duplicate key inside the second source names its path (the streamed array's index).
  std::string dup = sources;
  dup.replace(dup.find(R"("id": "b")"), 9, R"("id": "b", "id": "b")");
  auto dup_key = cmrv::Enterprise::FromJson("{" + head + ", " + dup + "}");
  REQUIRE_FALSE(dup_key.ok());
  CHECK(Msg(dup_key.status()).find("sources[1].id: duplicate key") != std::string::npos);
}

// The streaming read keeps each activity record in fields reused from one source to the next
// (internal::FlatRecords): a member one record gives must not reach the next record that omits it, and a
// record with an unknown key, a non-object record and a repeated key are read or refused as in a DOM.
TEST_CASE("activity records read into reused fields give what a whole read gives", "[inventory][errors]") {
  const std::string head = R"("schema": "carbonmrv.enterprise/1", "enterprise": {"name": "x", "year": 2023})";
  const std::string sources = R"("sources": [
      {"id": "a", "kind": "fuel_combustion", "carrier": "raw_coal", "activity": [
        {"period": "2023-01", "value": 10, "unit": "t", "data_source": "invoice", "uncertainty_pct": 5},
        {"period": "2023-02", "value": 12, "unit": "t", "measured": {"ncv": {"value": 20.5, "unit": "GJ/t"}}},
        {"unit": "t", "value": 11, "data_source": null, "period": "2023-03"}]},
      {"id": "b", "kind": "purchased_electricity", "activity": [{"period": "2023", "value": 5, "unit": "MWh"}]},
      {"id": "c", "kind": "fuel_combustion", "carrier": "raw_coal", "activity": [
        {"period": "2023-01", "value": 7.25, "unit": "kg", "data_source": "stock_take", "uncertainty_pct": null},
        {"period": "2023-02", "value": 8, "unit": "kg"}]}])";
  auto streamed = cmrv::Enterprise::FromJson("{" + head + ", " + sources + "}");
  REQUIRE(streamed.ok());
  auto whole = cmrv::Enterprise::FromJson("{" + sources + ", " + head + "}");  // the header last: a whole DOM
  REQUIRE(whole.ok());
  CHECK(streamed->ToJson() == whole->ToJson());
  const auto& a = streamed->sources[0].activity;
  REQUIRE(a.size() == 3);
  CHECK(a[0].data_source == cmrv::DataSource::kInvoice);
  CHECK(a[0].uncertainty_pct == 5.0);
  REQUIRE(a[1].measured.size() == 1);
  CHECK(a[1].measured.begin()->second.quantity.value == 20.5);
  CHECK(a[2].period == "2023-03");
  CHECK(a[2].quantity.value == 11);
  CHECK(a[2].data_source == cmrv::DataSource::kMeter);  // null: as absent
  // The first record of the next source omits what the first record of this one gave: the defaults.
  const auto& b = streamed->sources[1].activity[0];
  CHECK(b.data_source == cmrv::DataSource::kMeter);
  CHECK_FALSE(b.uncertainty_pct.has_value());
  const auto& c = streamed->sources[2].activity;
  CHECK(c[0].quantity.unit_text == "kg");
  CHECK(c[0].quantity.value == 7.25);
  CHECK(c[0].data_source == cmrv::DataSource::kStockTake);
  CHECK_FALSE(c[0].uncertainty_pct.has_value());
  CHECK(c[1].measured.empty());  // not the ncv measured for source a's second record

  // An unknown key after known ones, and a record that is not an object: each named at its path.
  std::string odd = sources;
  odd.replace(odd.find(R"("value": 12,)"), 12, R"("value": 12, "colour": "red",)");
  odd.replace(odd.find(R"({"period": "2023", "value": 5, "unit": "MWh"})"), 45, "5");
  auto bad = cmrv::Enterprise::FromJson("{" + head + ", " + odd + "}");
  REQUIRE_FALSE(bad.ok());
  CheckProblems(Msg(bad.status()), 2,
                {"sources[0].activity[1].colour: unknown field; expected one of: period, value, unit, data_source, "
                 "uncertainty_pct, measured",
                 "sources[1].activity[0]: expected an object"});
  // A repeated key inside a record is refused at its path.
  std::string dup = sources;
  dup.replace(dup.find(R"("unit": "MWh")"), 13, R"("unit": "MWh", "unit": "kWh")");
  auto dup_key = cmrv::Enterprise::FromJson("{" + head + ", " + dup + "}");
  REQUIRE_FALSE(dup_key.ok());
  CHECK(Msg(dup_key.status()).find("sources[1].activity[0].unit: duplicate key") != std::string::npos);
}

TEST_CASE("a missing parameter names the source, period and what was searched", "[inventory][errors]") {
  std::string doc = Read("enterprises/hand_calc.json");
  doc.replace(doc.find(R"("oxidation")"), 11, R"("purity_x")");
  auto e = cmrv::Enterprise::FromJson(doc);
  REQUIRE_FALSE(e.ok());  // unknown factor name is a document error
  CHECK(Msg(e.status()).find("sources[0].factors.purity_x: \"purity_x\" is not a factor of a fuel_combustion source") !=
        std::string::npos);
  doc = Read("enterprises/hand_calc.json");
  auto pos = doc.find(R"("oxidation")");
  doc.erase(pos, doc.find("},", pos) + 2 - pos);
  auto inv = cmrv::ComputeInventory(*cmrv::Enterprise::FromJson(doc), Catalogue(), {});
  REQUIRE_FALSE(inv.ok());
  CHECK(cmrv::GetErrorDetail(inv.status()) == cmrv::ErrorDetail::kMissingParameter);
  CHECK(Msg(inv.status())
            .rfind("sources[0] (coal), period 2023-01: no value for oxidation (not measured, not stated", 0) == 0);
}

TEST_CASE("enterprise JSON round trip is lossless", "[enterprise]") {
  auto e = cmrv::Enterprise::FromJson(Read("enterprises/hand_calc.json"));
  REQUIRE(e.ok());
  auto again = cmrv::Enterprise::FromJson(e->ToJson());
  REQUIRE(again.ok());
  CHECK(again->ToJson() == e->ToJson());
  CHECK(Compute(e->ToJson()).TotalCo2e() == Compute(Read("enterprises/hand_calc.json")).TotalCo2e());
}

TEST_CASE("carbonate stoichiometry from IUPAC atomic weights", "[inventory][source]") {
  // Values [C] in the domain reference: CaCO3 0.43971, MgCO3 0.52197, CaMg(CO3)2 0.47732.
  CHECK(std::round(*cmrv::CarbonateFactor("CaCO3") * 1e5) / 1e5 == 0.43971);
  CHECK(std::round(*cmrv::CarbonateFactor("MgCO3") * 1e5) / 1e5 == 0.52197);
  CHECK(std::round(*cmrv::CarbonateFactor("CaMg(CO3)2") * 1e5) / 1e5 == 0.47732);
  CHECK(std::round(*cmrv::CarbonateFactor("Na2CO3") * 1e5) / 1e5 == 0.41523);
  CHECK_FALSE(cmrv::CarbonateFactor("CaO").ok());
}

TEST_CASE("cement clinker: CaO/MgO method with non-carbonate corrections", "[inventory][source]") {
  const std::string doc = R"({"schema": "carbonmrv.enterprise/1",
    "enterprise": {"name": "clinker test", "year": 2023},
    "sources": [{"id": "k", "kind": "clinker",
      "factors": {"cao": {"value": 65, "unit": "%", "source": "t"}, "cao_nc": {"value": 1, "unit": "%", "source": "t"},
                  "mgo": {"value": 0.02, "unit": "1", "source": "t"}},
      "activity": [{"period": "2023", "value": 1000, "unit": "t product"}]}]})";
  auto inv = Compute(doc);
  REQUIRE(inv.lines.size() == 2);
  // By hand, IUPAC weights: CO2 44.009, CaO 56.077, MgO 40.304.
  // CaO: 1000 × (0.65 − 0.01) × 44.009/56.077 = 640 × 0.784796... = 502.2654 t
  // MgO: 1000 × 0.02 × 44.009/40.304 = 20 × 1.091926... = 21.8385 t (no MgO_nc: note)
  CHECK(inv.lines[0].part == "CaO");
  CHECK(Close(inv.lines[0].mass_t, 640.0 * 44.009 / 56.077, 1e-12));
  CHECK(Close(inv.lines[1].mass_t, 20.0 * 44.009 / 40.304, 1e-12));
  CHECK(std::round(44.009 / 56.077 * 1e5) / 1e5 == 0.7848);  // domain reference [C]: 0.78480 per t CaO
  CHECK(inv.lines[1].notes == std::vector<std::string>{"MgO_nc not given: all MgO taken as from carbonates"});
  CHECK(inv.Totals(cmrv::TotalsKey::kCategory).at("industrial_process") == inv.TotalCo2e());
  std::string bad = doc;
  bad.replace(bad.find(R"("value": 1, "unit": "%")"), 23, R"("value": 70, "unit": "%")");
  auto e = cmrv::Enterprise::FromJson(bad);
  REQUIRE(e.ok());
  CHECK(Msg(cmrv::ComputeInventory(*e, Catalogue(), {}).status()).find("CaO_nc (0.7) exceeds CaO (0.65)") !=
        std::string::npos);
}

TEST_CASE("carbon mass balance: carbon in minus carbon out", "[inventory]") {
  const std::string doc = R"({"schema": "carbonmrv.enterprise/1",
    "enterprise": {"name": "balance test", "year": 2023},
    "sources": [
      {"id": "coke", "kind": "carbon_input", "carrier": "coke",
       "factors": {"carbon_content": {"value": 0.86, "unit": "tC/t", "source": "t"}},
       "activity": [{"period": "2023", "value": 1000, "unit": "t"}]},
      {"id": "steel", "kind": "carbon_output",
       "factors": {"carbon_content": {"value": 0.003, "unit": "tC/t product", "source": "t"}},
       "activity": [{"period": "2023", "value": 2000, "unit": "t product"}]}]})";
  auto inv = Compute(doc);
  // (1000 × 0.86 − 2000 × 0.003) tC × 44/12 = (860 − 6) × 44/12 = 3131.333... tCO2
  CHECK(Close(inv.TotalCo2e(), 854.0 * 44.0 / 12.0, 1e-12));
  CHECK(inv.lines[1].mass_t < 0);
  // A carbon content per energy cannot be applied to a mass of coke without an NCV: a unit error.
  std::string bad = doc;
  const std::string from = R"("tC/t", "source")", to = R"("tC/TJ", "source")";
  bad.replace(bad.find(from), from.size(), to);
  auto e = cmrv::Enterprise::FromJson(bad);
  REQUIRE(e.ok());
  CHECK(Msg(cmrv::ComputeInventory(*e, Catalogue(), {}).status()).find("the factors do not combine to tCO2") !=
        std::string::npos);
}

TEST_CASE("CEMS measurement with calculated corroboration", "[inventory]") {
  const std::string doc = R"({"schema": "carbonmrv.enterprise/1",
    "enterprise": {"name": "cems test", "year": 2023},
    "sources": [
      {"id": "stack-1", "kind": "cems", "calculation": "coal",
       "activity": [{"period": "2023-01", "value": 1100, "unit": "tCO2", "data_source": "meter"},
                    {"period": "2023-02", "value": 700, "unit": "tCO2"}]},
      {"id": "coal", "kind": "fuel_combustion", "carrier": "bituminous_coal",
       "factors": {"ncv": {"value": 20, "unit": "GJ/t", "source": "t"}, "carbon_content": {"value": 25, "unit": "tC/TJ", "source": "t"},
                   "oxidation": {"value": 0.95, "unit": "1", "source": "t"}},
       "activity": [{"period": "2023-01", "value": 600, "unit": "t"}]}]})";
  auto inv = Compute(doc);
  // Counted: the CEMS values (1100 + 700); the calculation (600 t → 1045 tCO2, see the hand_calc
  // fixture) is a memo and is compared: (1100 − 1045)/1045 = +5.26 %.
  CHECK(inv.TotalCo2e() == 1800.0);
  CHECK(inv.BiomassCo2() == 0.0);
  const auto& calc =
      *std::find_if(inv.lines.begin(), inv.lines.end(), [](const auto& l) { return l.source_id == "coal"; });
  CHECK(calc.memo);
  CHECK(Close(calc.mass_t, 1045.0, 1e-12));
  CHECK(std::find(inv.notes.begin(), inv.notes.end(),
                  "CEMS stack-1 period 2023-01: measured 1100 tCO2, calculated (coal) 1045 tCO2, difference +5.26 %") !=
        inv.notes.end());
  CHECK(std::find(inv.notes.begin(), inv.notes.end(),
                  "CEMS stack-1 period 2023-02: no calculation of coal for this period to corroborate it") !=
        inv.notes.end());
  // Referencing a missing source or a CEMS source is a document error with its path.
  std::string bad = doc;
  bad.replace(bad.find(R"("calculation": "coal")"), 21, R"("calculation": "oil")");
  CHECK(Msg(cmrv::Enterprise::FromJson(bad).status()).find("sources[0].calculation: no source with id \"oil\"") !=
        std::string::npos);
}

TEST_CASE("IPCC 2006 Table 1.4 = Table 1.3 x 44/12 x 1000, through both combustion methods", "[inventory][source]") {
  // IPCC 2006 Vol. 2 Ch. 1 (values as transcribed in the domain reference, tagged [V2]; used here
  // only as test inputs): natural gas CC 15.3 kg C/GJ and CO2 EF 56 100 kg/TJ; 15.3 × 44/12 × 1000 =
  // 56 100 exactly. 1 TJ of gas through default_factor (CC, OF = 1) and energy_ef (EF) must agree.
  auto doc = [](const std::string& method, const std::string& factors) {
    return R"({"schema": "carbonmrv.enterprise/1", "enterprise": {"name": "ipcc", "region": "GLOBAL", "year": 2023},
      "sources": [{"id": "ng", "kind": "fuel_combustion", "carrier": "natural_gas", "method": ")" +
           method + R"(", "factors": {)" + factors +
           R"(}, "activity": [{"period": "2023", "value": 1, "unit": "TJ"}]}]})";
  };
  auto a = Compute(
      doc("default_factor", R"("carbon_content": {"value": 15.3, "unit": "kgC/GJ", "source": "IPCC 2006 V2 T1.3"},
                                            "oxidation": {"value": 1, "unit": "1", "source": "IPCC 2006 default"})"));
  auto b =
      Compute(doc("energy_ef", R"("ef_co2": {"value": 56100, "unit": "kgCO2/TJ", "source": "IPCC 2006 V2 T1.4"})"));
  CHECK(Close(a.TotalCo2e(), 56.1, 1e-12));
  CHECK(Close(b.TotalCo2e(), 56.1, 1e-12));
  // Anthracite: 26.8 × 44/12 × 1000 = 98 266.7 kg/TJ, which Table 1.4 prints rounded as 98 300.
  CHECK(std::round(26.8 * 44.0 / 12.0 * 1000.0 / 100.0) * 100.0 == 98300.0);
  CHECK(cmrv::ConversionText(a.lines[0])->find(" = 56.1 tCO2") != std::string::npos);
}

// Lines hold repeated terms once (TraceTerms): the dataset NCV and EF of every period of every source of
// one fuel are one object each, and a record's activity is one term for its lines. Values by hand:
// IPCC 2006 Vol. 2 Table 1.2 NCV of other bituminous coal 25.8 TJ/Gg = GJ/t, Table 1.4 EF 94 600 kg/TJ.
TEST_CASE("lines share the terms they repeat, and each line still evaluates alone", "[inventory]") {
  const std::string doc = R"({"schema": "carbonmrv.enterprise/1", "enterprise": {"name": "b", "region": "CN-44",
    "year": 2023}, "sources": [
    {"id": "a", "kind": "fuel_combustion", "carrier": "bituminous_coal", "method": "energy_ef", "activity": [
      {"period": "2023-01", "value": 100, "unit": "t"}, {"period": "2023-02", "value": 50, "unit": "t"}]},
    {"id": "b", "kind": "fuel_combustion", "carrier": "bituminous_coal", "method": "energy_ef", "activity": [
      {"period": "2023-01", "value": 10, "unit": "t"}]},
    {"id": "c", "kind": "fuel_combustion", "carrier": "bituminous_coal", "method": "energy_ef", "sector": "energy_industries",
     "activity": [{"period": "2023-01", "value": 1, "unit": "t"}]}]})";
  auto inv = Compute(doc);
  std::vector<const cmrv::InventoryLine*> co2;
  for (const auto& l : inv.lines) {
    if (l.gas == cmrv::Gas::kCo2) co2.push_back(&l);
  }
  REQUIRE(co2.size() == 4);
  for (const auto* l : co2) {
    REQUIRE(l->terms.size() == 3);
    CHECK(l->terms[1].name == "NCV");
    CHECK(l->terms[1].value == 25.8);
    CHECK(l->terms[2].value == 94600);
    CHECK(l->equation == "E = AD × HV × EF");
    CHECK(Close(*cmrv::ReplayLine(*l), l->terms[0].value * 25.8 * 94600 / 1e6, 1e-12));  // t × GJ/t × kg/TJ
  }
  CHECK(Close(co2[0]->mass_t, 100 * 25.8 * 94.6 / 1000, 1e-12));  // 244.068 t
  // Periods and sources of one fuel share the dataset terms; each record has its own activity.
  CHECK(&co2[0]->terms[1] == &co2[1]->terms[1]);
  CHECK(&co2[0]->terms[2] == &co2[2]->terms[2]);
  CHECK(&co2[0]->terms[0] != &co2[1]->terms[0]);
  CHECK(co2[1]->terms[0].value == 50);
  // Source c states its sector, which selects the IPCC stationary CH4 factor: its CH4 line shares the
  // record's activity term, and its factor says why it was chosen.
  const auto ch4 = std::find_if(inv.lines.begin(), inv.lines.end(),
                                [](const auto& l) { return l.source_id == "c" && l.gas == cmrv::Gas::kCh4; });
  REQUIRE(ch4 != inv.lines.end());
  CHECK(&ch4->terms[0] == &co2[3]->terms[0]);
  CHECK(ch4->terms.back().provenance.view().find("(stated on the source)") != std::string::npos);
  // Sources a and b state no sector and the enterprise no industry: CH4 and N2O are not estimated, one
  // note per gas and source naming its periods (a: two, b: one), in the order they were met.
  const std::string why =
      ": no factor measured, stated or in the selected datasets; the IPCC 2006 defaults (Vol. 2 Tables 2.2-2.5) "
      "depend on the combustion sector, which neither the enterprise's industry nor the source states";
  CHECK(inv.notes == std::vector<std::string>{"CH4 not estimated for source a, 2 periods (2023-01 … 2023-02)" + why,
                                              "N2O not estimated for source a, 2 periods (2023-01 … 2023-02)" + why,
                                              "CH4 not estimated for source b, period 2023-01" + why,
                                              "N2O not estimated for source b, period 2023-01" + why});
  // A copy of the inventory is a value: it reads the same terms, and the JSON is unchanged by copying.
  const cmrv::Inventory copy = inv;
  CHECK(copy.ToJson() == inv.ToJson());
}

// Consecutive sources of one fuel reuse the catalogue's terms only when they ask the same questions: the
// industry gives source x the manufacturing sector (GB/T 4754-2017 division 30 → IPCC 1.A.2), so its CH4
// is estimated; source y, of the same fuel but scope 3 (a contractor's combustion), has no sector.
TEST_CASE("a scope 3 source of the same fuel does not take the sector of the source before it", "[inventory]") {
  auto inv = Compute(R"({"schema": "carbonmrv.enterprise/1", "enterprise": {"name": "m", "industry": "3011",
    "region": "CN-44", "year": 2023}, "sources": [
    {"id": "x", "kind": "fuel_combustion", "carrier": "bituminous_coal", "method": "energy_ef", "activity": [
      {"period": "2023-01", "value": 100, "unit": "t"}]},
    {"id": "y", "kind": "fuel_combustion", "carrier": "bituminous_coal", "method": "energy_ef", "scope3_category": 4,
     "iso_category": 3, "activity": [{"period": "2023-01", "value": 100, "unit": "t"}]}]})");
  auto ch4 = [&](const std::string& id) {
    return std::count_if(inv.lines.begin(), inv.lines.end(),
                         [&](const auto& l) { return l.source_id == id && l.gas == cmrv::Gas::kCh4; });
  };
  CHECK(ch4("x") == 1);
  CHECK(ch4("y") == 0);
  REQUIRE(inv.notes.size() == 2);
  CHECK(inv.notes[0].rfind("CH4 not estimated for source y, period 2023-01: ", 0) == 0);
  CHECK(inv.notes[0].find("a scope 3 source's combustion is not the enterprise's industry") != std::string::npos);
}

TEST_CASE("gas in 10^4 Nm3 or in Nm3 gives the same inventory", "[inventory][property]") {
  auto doc = [](const std::string& value, const std::string& unit) {
    return R"({"schema": "carbonmrv.enterprise/1", "enterprise": {"name": "gas", "region": "CN", "year": 2023},
      "sources": [{"id": "ng", "kind": "fuel_combustion", "carrier": "天然气",
        "factors": {"ncv": {"value": 389.31, "unit": "GJ/10^4 Nm3", "source": "t"}, "carbon_content": {"value": 15.3, "unit": "tC/TJ", "source": "t"},
                    "oxidation": {"value": 99, "unit": "%", "source": "t"}},
        "activity": [{"period": "2023", "value": )" +
           value + R"(, "unit": ")" + unit + R"("}]}]})";
  };
  auto a = Compute(doc("12.5", "万Nm3")), b = Compute(doc("125000", "Nm3"));
  // 12.5 × 389.31 GJ = 4866.375 GJ × 15.3 tC/TJ × 0.99 × 44/12
  CHECK(Close(a.TotalCo2e(), 4.866375 * 15.3 * 0.99 * 44.0 / 12.0, 1e-12));
  CHECK(Close(a.TotalCo2e(), b.TotalCo2e(), 1e-12));
}

TEST_CASE("heat metered as steam or hot water: AD × (h − h_ref) or AD × c × (T − T_ref)", "[inventory][source]") {
  const std::string doc = Read("enterprises/heat_media.json");
  auto inv = Compute(doc);
  auto line = [&](const std::string& source, const std::string& period) {
    auto it = std::find_if(inv.lines.begin(), inv.lines.end(),
                           [&](const auto& l) { return l.source_id == source && l.period == period; });
    REQUIRE(it != inv.lines.end());
    return *it;
  };
  // 1000 t × (2800 − 83.74) kJ/kg = 2716.26 GJ; × 0.11 tCO2/GJ = 298.7886 t.
  auto jan = line("steam-in", "2023-01");
  CHECK(jan.equation == "E = AD × (h − h_ref) × EF");
  REQUIRE(jan.terms.size() == 3);
  CHECK(jan.terms[1].name == "h − h_ref");
  CHECK(jan.terms[1].value == 2800.0 - 83.74);
  CHECK(jan.terms[1].unit == "kJ/kg");
  CHECK(jan.terms[1].provenance.view().find("h 2800 kJ/kg (measured for period 2023-01") == 0);
  CHECK(jan.terms[1].provenance.view().find("minus h_ref 83.74 kJ/kg (stated in the document") != std::string::npos);
  CHECK(Close(jan.mass_t, 298.7886, 1e-13));
  // February has no measurement: the stated enthalpy, with the missing-data rule recorded.
  auto feb = line("steam-in", "2023-02");
  CHECK(feb.notes == std::vector<std::string>{
                         "missing-data rule: enthalpy not measured for period 2023-02; the stated default was used"});
  // Hot water: 5·10^6 kg × 4.1868 kJ/(kg·K) × 75 K = 1570.05 GJ; × 0.11 = 172.7055 t.
  auto water = line("hot-water-in", "2023");
  CHECK(water.equation == "E = AD × c × (T − T_ref) × EF");
  CHECK(water.terms[2].name == "T − T_ref");
  CHECK(water.terms[2].value == 75.0);
  CHECK(water.terms[2].unit == "K");
  CHECK(Close(water.mass_t, 172.7055, 1e-13));
  // Exported, with h in GJ/t and h_ref in kJ/kg: h_ref is converted to h's unit first.
  auto out = line("steam-out", "2023");
  CHECK(out.terms[1].unit == "GJ/t");
  CHECK(Close(out.terms[1].value, 2.9 - 0.08374, 1e-15));
  CHECK(Close(out.mass_t, -61.95772, 1e-13));
  for (const auto& l : inv.lines) CHECK(*cmrv::ReplayLine(l) == l.mass_t);

  // The same steam in kg, the same enthalpy in MJ/t: the same tonnes of CO2.
  auto replace = [](std::string s, const std::string& from, const std::string& to) {
    auto pos = s.find(from);
    REQUIRE(pos != std::string::npos);
    return s.replace(pos, from.size(), to);
  };
  std::string other = replace(doc, R"("value": 1000, "unit": "t")", R"("value": 1000000, "unit": "kg")");
  other = replace(other, R"("value": 2800, "unit": "kJ/kg")", R"("value": 2800, "unit": "MJ/t")");
  auto inv2 = Compute(other);
  CHECK(Close(inv2.TotalCo2e(), inv.TotalCo2e(), 1e-14));

  // Errors: each names the source and period, or the JSON path; nothing is assumed.
  auto edit = [&](auto&& change) {
    auto j = nlohmann::json::parse(doc);
    change(j["sources"]);
    return j.dump();
  };
  auto compute_error = [&](const std::string& d) {
    auto e = cmrv::Enterprise::FromJson(d);
    INFO(e.status().ToString());
    REQUIRE(e.ok());
    auto r = cmrv::ComputeInventory(*e, Catalogue(), {});
    REQUIRE_FALSE(r.ok());
    return r.status();
  };
  auto st = compute_error(edit([](auto& s) { s[0]["factors"].erase("reference_enthalpy"); }));
  CHECK(cmrv::GetErrorDetail(st) == cmrv::ErrorDetail::kMissingParameter);
  CHECK(Msg(st).rfind("sources[0] (steam-in), period 2023-01: steam by enthalpy needs reference_enthalpy", 0) == 0);
  st = compute_error(edit([](auto& s) { s[1]["factors"].erase("heat_capacity"); }));
  CHECK(Msg(st) ==
        "sources[1] (hot-water-in), period 2023: hot water by temperature needs heat_capacity (measured or "
        "stated; no default is assumed)");
  st = compute_error(edit([](auto& s) {
    s[0]["factors"].erase("enthalpy");
    s[0]["activity"][0].erase("measured");
  }));
  CHECK(Msg(st).rfind("sources[0] (steam-in), period 2023-01: heat metered as a mass (t) needs the medium's state",
                      0) == 0);
  st = compute_error(edit([](auto& s) { s[1]["activity"][0]["measured"]["temperature"]["value"] = 15; }));
  CHECK(cmrv::GetErrorDetail(st) == cmrv::ErrorDetail::kInvalidArgument);
  CHECK(Msg(st) ==
        "sources[1] (hot-water-in), period 2023: temperature 15 °C is not above reference_temperature 20 °C; "
        "no heat is delivered");
  // Document errors: a temperature in K (a difference, not a temperature), enthalpy on heat metered in GJ.
  auto e = cmrv::Enterprise::FromJson(edit([](auto& s) {
    s[1]["factors"]["reference_temperature"]["unit"] = "K";
    s[2]["activity"][0]["unit"] = "GJ";
  }));
  REQUIRE_FALSE(e.ok());
  const std::string m = Msg(e.status());
  INFO(m);
  CHECK(m.find("sources[1].factors.reference_temperature.unit: \"K\" is temperature difference; expected a temperature "
               "in °C (degC)") != std::string::npos);
  CHECK(m.find("sources[2].activity[0].measured.enthalpy: applies only when the activity is a mass of steam or hot "
               "water (t, kg); this source's activity is energy") != std::string::npos);
  // °C and K do not convert into each other by a scale factor.
  auto c = cmrv::Convert(20, "degC", "K");
  REQUIRE_FALSE(c.ok());
  CHECK(Msg(c.status()).find("a temperature in °C is not a temperature difference in K") != std::string::npos);
}

TEST_CASE("an emission factor and its heating value share a basis", "[inventory][source]") {
  auto doc = [](const std::string& region, const std::string& factors) {
    return R"({"schema": "carbonmrv.enterprise/1", "enterprise": {"name": "basis", "region": ")" + region +
           R"(", "year": 2021}, "sources": [{"id": "coal", "kind": "fuel_combustion", "carrier": "bituminous_coal",
           "method": "energy_ef", "factors": {)" +
           factors + R"(}, "activity": [{"period": "2021", "value": 10000, "unit": "short_ton"}]}]})";
  };
  // US: the EPA factor is per HHV, so the EPA HHV is used — not the IPCC NCV, which is also eligible
  // (GLOBAL). 10 000 short tons × 24.93 MMBtu/short ton × 93.28 kgCO2/MMBtu = 23 254.704 tCO2.
  auto us = Compute(doc("US", ""));
  CHECK(Close(us.lines[0].mass_t, 10000 * 24.93 * 93.28 / 1000, 1e-12));
  CHECK(us.lines[0].terms[1].name == "HHV");
  CHECK(us.lines[0].terms[1].provenance.view().find("dataset epa_hub_2021") == 0);
  // China: no national factor, so the IPCC one (per NCV) with the IPCC NCV: 10 000 short tons =
  // 9 071.8474 t × 25.8 GJ/t × 94.6 tCO2/TJ = 22 141.34 tCO2.
  auto cn = Compute(doc("CN", ""));
  CHECK(cn.lines[0].terms[1].name == "NCV");
  CHECK(Close(cn.lines[0].mass_t, 9071.8474 * 25.8 * 94.6 / 1000, 1e-12));
  // A stated NCV under the EPA per-HHV factor is refused, naming both bases.
  auto e =
      cmrv::Enterprise::FromJson(doc("US", R"("ncv": {"value": 22.0, "unit": "MMBtu/short_ton", "source": "lab"})"));
  REQUIRE(e.ok());
  auto bad = cmrv::ComputeInventory(*e, Catalogue(), {});
  REQUIRE_FALSE(bad.ok());
  CHECK(Msg(bad.status())
            .rfind("sources[0] (coal), period 2021: EF_CO2 is per HHV but the document gives the NCV of "
                   "this fuel",
                   0) == 0);
}

TEST_CASE("one unit of activity: the same lines as a one-record document, terms tagged by parameter", "[inventory]") {
  // 1 t of bituminous coal, energy_ef, GLOBAL IPCC defaults: the batch engine's factor for that tuple.
  auto unit = cmrv::ComputeUnitActivity(
      {cmrv::SourceKind::kFuelCombustion, "bituminous_coal", "t", "", 2023, "energy_ef"}, Catalogue(), {});
  REQUIRE(unit.ok());
  const std::string doc = R"({"schema": "carbonmrv.enterprise/1", "enterprise": {"name": "x", "year": 2023},
    "sources": [{"id": "s", "kind": "fuel_combustion", "carrier": "bituminous_coal", "method": "energy_ef",
                 "activity": [{"period": "2023", "value": 1, "unit": "t"}]}]})";
  auto e = cmrv::Enterprise::FromJson(doc);
  REQUIRE(e.ok());
  auto whole = cmrv::ComputeInventory(*e, Catalogue(), {});
  REQUIRE(whole.ok());
  REQUIRE(unit->lines.size() == whole->lines.size());
  for (std::size_t i = 0; i < unit->lines.size(); ++i) {
    CHECK(unit->lines[i].gas == whole->lines[i].gas);
    CHECK(unit->lines[i].mass_t == whole->lines[i].mass_t);  // bit for bit
  }
  // The CO2 line: AD × NCV × EF_CO2; the NCV and EF terms say which parameter they resolve.
  const auto& terms = unit->lines.front().terms;
  REQUIRE(terms.size() == 3);
  CHECK_FALSE(terms[0].parameter.has_value());  // the activity
  CHECK(terms[1].parameter == cmrv::Parameter::kNcv);
  CHECK(terms[2].parameter == cmrv::Parameter::kEfCo2);
  // Bad input is named: the method, then the unit's kind for the source kind.
  auto method = cmrv::ComputeUnitActivity({cmrv::SourceKind::kFuelCombustion, "bituminous_coal", "t", "", 2023, "lab"},
                                          Catalogue(), {});
  CHECK(method.status().message() ==
        "method \"lab\" is not a combustion method; expected default_factor, energy_ef or measured_carbon");
  auto kind =
      cmrv::ComputeUnitActivity({cmrv::SourceKind::kPurchasedElectricity, "", "t", "", 2023, ""}, Catalogue(), {});
  CHECK(kind.status().message() ==
        "\"t\" is mass of fuel or material; a purchased_electricity source needs energy (MWh, GJ)");
}

TEST_CASE("energy_ef applies a stated oxidation factor and the trace shows the intermediate energy", "[inventory]") {
  // 10 t diesel × 43 GJ/t = 430 GJ = 0.43 TJ × 74.1 tCO2/TJ = 31.863 t; × 0.99 (stated OF) = 31.54437 t.
  const std::string doc = R"({"schema": "carbonmrv.enterprise/1",
    "enterprise": {"name": "OF test", "uscc": "91350100M000100Y43", "region": "CN", "year": 2023},
    "sources": [{"id": "diesel", "kind": "fuel_combustion", "carrier": "diesel", "method": "energy_ef",
      "factors": {"ncv": {"value": 43, "unit": "GJ/t", "source": "fixture"},
                  "ef_co2": {"value": 74.1, "unit": "tCO2/TJ", "source": "fixture"},
                  "oxidation": {"value": 99, "unit": "%", "source": "fixture"}},
      "activity": [{"period": "2023", "value": 10, "unit": "t"}]}]})";
  auto inv = Compute(doc);
  const auto& co2 = inv.lines.front();
  CHECK(co2.equation == "E = AD × HV × EF × OF");
  CHECK(Close(co2.mass_t, 31.54437, 1e-12));
  CHECK(co2.terms.back().name == "OF");
  CHECK(cmrv::ConversionText(co2)->starts_with("AD × NCV = 430 GJ; "));
  CHECK(std::find_if(co2.notes.begin(), co2.notes.end(), [](const std::string& n) {
          return n.find("EU MRR 2018/2066 Art. 24") != std::string::npos;
        }) != co2.notes.end());
}

TEST_CASE("a stated CO2/C ratio with its source replaces the convention", "[inventory]") {
  const std::string doc = Read("enterprises/hand_calc.json");
  cmrv::InventoryOptions o;
  REQUIRE(cmrv::SetInventoryOption(o, "co2_per_carbon", "3.67").ok());
  REQUIRE(cmrv::SetInventoryOption(o, "co2_per_carbon_source", "a provincial guideline, §4.2").ok());
  auto base = Compute(doc), stated = Compute(doc, o);
  // Only the coal CO2 lines (285 + 199.5 tC) change: 484.5 tC × (3.67 − 44/12).
  CHECK(Close(stated.TotalCo2e() - base.TotalCo2e(), 484.5 * (3.67 - 44.0 / 12.0), 1e-9));
  const auto& term = stated.lines.front().terms.back();
  CHECK(term.name == "CO2/C");
  CHECK(term.value == 3.67);
  CHECK(term.provenance == "stated: a provincial guideline, §4.2");
  CHECK(cmrv::Co2PerCarbonText(stated.options) == "3.67 (stated: a provincial guideline, §4.2)");
  auto json = nlohmann::json::parse(stated.ToJson());
  CHECK(json["conventions"]["co2_per_carbon_stated"]["value"] == 3.67);
  auto back = cmrv::Inventory::FromJson(stated.ToJson());
  REQUIRE(back.ok());
  REQUIRE(back->options.co2_per_carbon_stated.has_value());
  CHECK(back->options.co2_per_carbon_stated->source == "a provincial guideline, §4.2");
}

TEST_CASE("inputs without an uncertainty count as exact only when asked, and are listed", "[inventory][uncertainty]") {
  const std::string doc = Read("enterprises/hand_calc.json");
  auto not_assessed = cmrv::PropagateUncertainty(Compute(doc), cmrv::TotalsKey::kTotal);
  REQUIRE(not_assessed.ok());
  CHECK_FALSE((*not_assessed)[0].u_pct.has_value());
  CHECK((*not_assessed)[0].missing.size() == 14);
  cmrv::InventoryOptions o;
  REQUIRE(cmrv::SetInventoryOption(o, "uncertainty_unstated", "exact").ok());
  auto exact = cmrv::PropagateUncertainty(Compute(doc, o), cmrv::TotalsKey::kTotal);
  REQUIRE(exact.ok());
  // Every input of hand_calc is unstated: counted as exact, the total's U is 0 and all 14 are named.
  REQUIRE((*exact)[0].u_pct.has_value());
  CHECK(*(*exact)[0].u_pct == 0);
  CHECK((*exact)[0].missing.empty());
  CHECK((*exact)[0].assumed_exact == (*not_assessed)[0].missing);
}

TEST_CASE("F-gas mass balance: species, GWP of the species, and a negative balance refused", "[inventory]") {
  auto inv = Compute(Read("enterprises/fgas.json"));
  const auto by_gas = inv.Totals(cmrv::TotalsKey::kGas);
  CHECK(Close(by_gas.at("sf6"), 13 * 23.5, 1e-9));  // 13 kg × 23 500 (AR5) = 305.5 t
  CHECK(Close(by_gas.at("hfc"), 8 * 1.3, 1e-9));    // 8 kg × 1300 = 10.4 t
  CHECK(inv.lines[0].species == "sf6");
  CHECK(inv.lines[1].species == "hfc_134a");
  CHECK(inv.lines[1].gwp == 1300);
  // Stocks that do not balance (more gas left than the site had) are an error naming the period.
  std::string doc = Read("enterprises/fgas.json");
  doc.replace(doc.find("\"value\": 115"), 12, "\"value\": 150");
  auto e = cmrv::Enterprise::FromJson(doc);
  REQUIRE(e.ok());
  auto bad = cmrv::ComputeInventory(*e, Catalogue(), {});
  REQUIRE_FALSE(bad.ok());
  CHECK(std::string(bad.status().message())
            .starts_with("sources[0] (switchgear), period 2023: the mass balance (S_start − S_end) + P − D − ΔC"));
  // An unknown species is refused where it is named.
  std::string unknown = Read("enterprises/fgas.json");
  unknown.replace(unknown.find("\"SF6\""), 5, "\"R-22\"");
  auto u = cmrv::Enterprise::FromJson(unknown);
  REQUIRE_FALSE(u.ok());
  CHECK(std::string(u.status().message()).find("sources[0].material: fluorinated gas \"R-22\" is not one of") !=
        std::string::npos);
}

TEST_CASE("SharedText: copies share one buffer, compare by content, and the empty text needs none", "[inventory]") {
  const cmrv::SharedText a(std::string("dataset ipcc2006_v2_ch1 line 35"));
  const cmrv::SharedText b = a;   // NOLINT(performance-unnecessary-copy-initialization): the copy is the point
  CHECK(b.c_str() == a.c_str());  // one buffer
  CHECK(b == "dataset ipcc2006_v2_ch1 line 35");
  CHECK(b.size() == 31);
  CHECK(cmrv::SharedText("x") == cmrv::SharedText(std::string_view("x")));
  CHECK(cmrv::SharedText("a") < cmrv::SharedText("b"));
  const cmrv::SharedText empty;
  CHECK(empty.empty());
  CHECK(std::string(empty.c_str()).empty());
  cmrv::SharedText moved = b;
  cmrv::SharedText target("old");
  target = std::move(moved);
  CHECK(target == a);
}

// A pair shares one buffer and one count: each text outlives the other, copied or not.
TEST_CASE("SharedText: a pair made in one buffer lives while either text does", "[inventory]") {
  auto [first, second] =
      cmrv::SharedText::Pair("activity 2023-01 as given (100 t), meter", "sources[0] (s1).activity[2023-01]");
  CHECK(first == "activity 2023-01 as given (100 t), meter");
  CHECK(second == "sources[0] (s1).activity[2023-01]");
  CHECK(second.size() == 33);
  CHECK(std::string(second.c_str()) == "sources[0] (s1).activity[2023-01]");  // NUL-terminated
  // The second text lies in the first's buffer, after its NUL, on an 8-byte boundary with its header.
  CHECK(second.c_str() > first.c_str() + first.size());
  CHECK(second.c_str() - first.c_str() < 96);
  cmrv::SharedText kept = second;
  first = cmrv::SharedText();   // drops one owner of the buffer
  second = cmrv::SharedText();  // and another: the copy still holds it
  CHECK(kept == "sources[0] (s1).activity[2023-01]");
  cmrv::SharedText again = kept;
  CHECK(again.c_str() == kept.c_str());
  CHECK(again < cmrv::SharedText("t"));
  // An empty text takes no buffer, and the other is an ordinary text.
  auto [none, only] = cmrv::SharedText::Pair("", "x");
  CHECK(none.empty());
  CHECK(only == "x");
}

TEST_CASE("SharedText: copies made and dropped on two threads at once", "[inventory][threads]") {
  const cmrv::SharedText text("a provenance shared by every line");
  auto churn = [&] {
    for (int i = 0; i < 20000; ++i) {
      cmrv::SharedText copy = text;  // NOLINT(performance-unnecessary-copy-initialization): the copy is the point
      if (copy.size() != text.size()) std::abort();
    }
  };
  std::thread t1(churn), t2(churn);
  t1.join();
  t2.join();
  CHECK(text == "a provenance shared by every line");
}

TEST_CASE("trace: the periods of a source share their dataset terms' provenance and input ids", "[inventory]") {
  auto e = cmrv::Enterprise::FromJson(R"({"schema": "carbonmrv.enterprise/1",
    "enterprise": {"name": "b", "region": "CN-44", "year": 2023},
    "sources": [{"id": "s1", "kind": "fuel_combustion", "carrier": "bituminous_coal", "method": "energy_ef",
                 "activity": [{"period": "2023-01", "value": 100, "unit": "t"},
                              {"period": "2023-02", "value": 50, "unit": "t"}]}]})");
  REQUIRE(e.ok());
  auto inv = cmrv::ComputeInventory(*e, Catalogue(), {});
  REQUIRE(inv.ok());
  REQUIRE(inv->lines.size() == 2);
  const auto& jan = inv->lines[0].terms;
  const auto& feb = inv->lines[1].terms;
  REQUIRE(jan.size() == 3);  // AD × NCV × EF_CO2
  CHECK(jan[1].provenance.c_str() == feb[1].provenance.c_str());
  CHECK(jan[1].inputs[0].id.c_str() == feb[1].inputs[0].id.c_str());
  CHECK(jan[1].inputs[0].id == "dataset ipcc2006_v2_ch1 line 35");
  CHECK(jan[0].inputs[0].id == "sources[0] (s1).activity[2023-01]");  // the activity is each period's own
  CHECK(feb[0].inputs[0].id == "sources[0] (s1).activity[2023-02]");
  // 100 t × 25.8 GJ/t × 94 600 kgCO2/TJ = 244.068 tCO2 (IPCC 2006 Vol. 2 Tables 1.2 and 1.4).
  CHECK(inv->lines[0].co2e_t == Approx(244.068).epsilon(1e-12));
}

// The texts every record or line repeats are one buffer each (shared_text.hpp): a document of 10⁵
// sources × 12 months would otherwise hold a string per record and per line.
TEST_CASE("texts: records share their period and unit, lines their source id, period and activity term texts",
          "[inventory]") {
  auto e = cmrv::Enterprise::FromJson(R"({"schema": "carbonmrv.enterprise/1",
    "enterprise": {"name": "b", "region": "CN-44", "year": 2023},
    "sources": [{"id": "s1", "kind": "fuel_combustion", "carrier": "bituminous_coal", "method": "energy_ef",
                 "activity": [{"period": "2023-01", "value": 100, "unit": "t"},
                              {"period": "2023-02", "value": 50, "unit": "t"}]},
                {"id": "s2", "kind": "fuel_combustion", "carrier": "bituminous_coal", "method": "energy_ef",
                 "activity": [{"period": "2023-01", "value": 7, "unit": "t"}]}]})");
  REQUIRE(e.ok());
  const auto& s1 = e->sources[0].activity;
  const auto& s2 = e->sources[1].activity;
  CHECK(s1[0].period.c_str() == s2[0].period.c_str());  // "2023-01" of two sources
  CHECK(s1[0].quantity.unit_text.c_str() == s1[1].quantity.unit_text.c_str());
  CHECK(s1[0].quantity.unit_text.c_str() == s2[0].quantity.unit_text.c_str());
  CHECK(s1[1].period == std::string("2023-02"));  // compares with a std::string
  auto inv = cmrv::ComputeInventory(*e, Catalogue(), {});
  REQUIRE(inv.ok());
  REQUIRE(inv->lines.size() == 3);
  const auto& l = inv->lines;
  CHECK(l[0].source_id.c_str() == l[1].source_id.c_str());
  CHECK(l[2].source_id == "s2");
  CHECK(l[0].period.c_str() == l[2].period.c_str());
  CHECK(l[0].terms[0].name.c_str() == l[2].terms[0].name.c_str());  // "AD"
  CHECK(l[0].terms[0].unit.c_str() == l[1].terms[0].unit.c_str());  // "t"
  CHECK(l[0].terms[0].name == "AD");
  CHECK(l[0].terms[0].unit == "t");
  // 7 t × 25.8 GJ/t × 94 600 kgCO2/TJ = 17.08476 tCO2 (IPCC 2006 Vol. 2 Tables 1.2 and 1.4).
  CHECK(l[2].co2e_t == Approx(17.08476).epsilon(1e-12));
}

TEST_CASE("Inventory: objects made in an arena outlive it, and their block returns to the pool with the last",
          "[inventory]") {
  using cmrv::internal::Arena;
  using cmrv::internal::ArenaAllocator;
  using cmrv::internal::BlockPool;
  auto pooled = [](const void* inside) {  // whether the block holding `inside` is held by the pool
    const auto* p = static_cast<const std::byte*>(inside);
    for (const auto& [block, capacity] : BlockPool::Get().Held()) {
      if (p >= block && p < block + capacity) return true;
    }
    return false;
  };
  cmrv::SharedTerm first, second;
  {
    Arena arena;
    first = std::allocate_shared<const cmrv::TraceTerm>(ArenaAllocator<cmrv::TraceTerm>(&arena), "AD", 12.5, "t",
                                                        "activity 2024-01");
    second = std::allocate_shared<const cmrv::TraceTerm>(ArenaAllocator<cmrv::TraceTerm>(&arena), "AD", 7.0, "t",
                                                         "activity 2024-02");
    CHECK(reinterpret_cast<std::uintptr_t>(first.get()) % alignof(cmrv::TraceTerm) == 0);
    CHECK(!pooled(first.get()));
  }  // the arena is gone; its terms are not
  CHECK(first->value == 12.5);
  CHECK(second->provenance == "activity 2024-02");
  // Freed from another thread, the first term leaves the block in use by the second.
  std::thread([t = std::move(first)]() mutable { t.reset(); }).join();
  CHECK(!pooled(second.get()));
  const void* at = second.get();
  second.reset();
  CHECK(pooled(at));  // the last object of the block returned it
  // A block the arena has moved on from goes back with its last object; an object larger than a block
  // is refused.
  {
    Arena arena;
    void* big = arena.Allocate(Arena::kBlockBytes / 2);
    void* next = arena.Allocate(Arena::kBlockBytes / 2);  // does not fit: a second block
    CHECK(!pooled(big));
    Arena::Free(big);
    CHECK(pooled(big));  // no longer the arena's current block, and empty
    CHECK(!pooled(next));
    Arena::Free(next);
    CHECK(!pooled(next));  // still the arena's current block
    CHECK_THROWS_AS(arena.Allocate(Arena::kBlockBytes), std::bad_alloc);
    // The largest object fills a fresh block exactly (head 64 bytes, the object's header 16); one byte
    // more is refused rather than written past the block.
    CHECK(Arena::kMaxBytes == Arena::kBlockBytes - 80);
    void* largest = arena.Allocate(Arena::kMaxBytes);
    std::memset(largest, 1, Arena::kMaxBytes);  // ASan would report a write past the block
    CHECK(!pooled(largest));
    CHECK_THROWS_AS(arena.Allocate(Arena::kMaxBytes + 1), std::bad_alloc);
    Arena::Free(largest);
  }
}

// An activity term's two texts are made in the computing thread's arena (PairInArena): they read as any
// SharedText, outlive the arena, and give their block back with the last copy of either.
TEST_CASE("SharedText: a pair made in an arena outlives it and frees to its block", "[inventory]") {
  using cmrv::internal::Arena;
  using cmrv::internal::BlockPool;
  auto pooled = [](const void* inside) {
    const auto* p = static_cast<const std::byte*>(inside);
    for (const auto& [block, capacity] : BlockPool::Get().Held()) {
      if (p >= block && p < block + capacity) return true;
    }
    return false;
  };
  std::pair<cmrv::SharedText, cmrv::SharedText> texts;
  {
    Arena arena;
    texts = cmrv::internal::PairInArena(arena, "activity 2023-01 as given (100 t), meter",
                                        "sources[0] (s1).activity[2023-01]");
  }
  CHECK(texts.first == "activity 2023-01 as given (100 t), meter");
  CHECK(texts.first.size() == 40);  // the arena mark is not part of the size
  CHECK(texts.second == "sources[0] (s1).activity[2023-01]");
  CHECK(std::string(texts.second.c_str()) == "sources[0] (s1).activity[2023-01]");
  const void* at = texts.first.c_str();
  CHECK(!pooled(at));
  cmrv::SharedText kept = texts.second;
  texts = {};
  CHECK(kept == "sources[0] (s1).activity[2023-01]");
  CHECK(!pooled(at));  // the copy of the second text holds the buffer, and so the block
  std::thread([k = std::move(kept)]() mutable { k = cmrv::SharedText(); }).join();
  CHECK(pooled(at));
  // An empty text takes no buffer, and the other is an ordinary (heap) text.
  Arena arena;
  auto [none, only] = cmrv::internal::PairInArena(arena, "", "x");
  CHECK(none.empty());
  CHECK(only == "x");
  CHECK(!pooled(only.c_str()));
}

TEST_CASE("Inventory: the sources cut into parts on threads give the one-thread inventory, bit for bit",
          "[inventory][threads]") {
  // Every enterprise fixture, computed on one thread and then cut into parts of one record and up
  // (RecordsPerPartForTesting) on 2, 3 and 7 threads, and with every worker refused by the OS: the same
  // document (lines, terms, notes; totals written with 17 digits), or the same error.
  auto& per_part = cmrv::internal::RecordsPerPartForTesting();
  const std::size_t saved = per_part.load();
  int compared = 0, multi_part = 0;
  for (const char* name : {"all_kinds", "epa_c1", "fgas", "hand_calc", "heat_media", "ipcc_defaults", "scope_lines",
                           "uncertainty", "uncertainty_base", "verify_base", "alloc_power", "cp_audit"}) {
    auto e = cmrv::Enterprise::FromJson(Read(std::string("enterprises/") + name + ".json"));
    REQUIRE(e.ok());
    std::size_t records = 0;
    for (const auto& src : e->sources) records += src.activity.size();
    cmrv::InventoryOptions one;
    one.threads = 1;
    per_part.store(saved);
    const auto serial = cmrv::ComputeInventory(*e, Catalogue(), one);
    const std::string expected = serial.ok() ? serial->ToJson() : serial.status().ToString();
    for (unsigned threads : {2u, 3u, 7u}) {
      for (int refused : {-1, 0}) {
        INFO(name << " on " << threads << " threads, workers refused: " << (refused == 0));
        cmrv::InventoryOptions o;
        o.threads = threads;
        per_part.store(1);
        cmrv::internal::WorkerBudgetForTesting().store(refused);
        const auto parted = cmrv::ComputeInventory(*e, Catalogue(), o);
        cmrv::internal::WorkerBudgetForTesting().store(-1);
        per_part.store(saved);
        CHECK((parted.ok() ? parted->ToJson() : parted.status().ToString()) == expected);
        ++compared;
      }
    }
    multi_part += e->sources.size() > 1 && records > 1;
  }
  CHECK(compared == 12 * 6);
  CHECK(multi_part >= 8);  // most fixtures have several sources, so they are really cut
}

TEST_CASE("Inventory: each thread's lines share their own copy of the texts every line has", "[inventory][threads]") {
  // Two sources of one fuel, one record each, cut into two parts. The equation, the CO2 line's GWP
  // provenance and the activity term's name are the same texts on both, but each part's lines hold its
  // own buffer: with one buffer, the two threads' reference counts shared a cache line (session 19).
  auto e = cmrv::Enterprise::FromJson(Read("enterprises/hand_calc.json"));
  REQUIRE(e.ok());
  REQUIRE(e->sources[0].kind == cmrv::SourceKind::kFuelCombustion);
  cmrv::SourceStream coal = e->sources[0];
  coal.activity.resize(1);
  cmrv::SourceStream twin = coal;
  twin.id = "coal-2";
  e->sources = {coal, twin};
  auto co2_line = [](const cmrv::Inventory& inv, std::string_view source) -> const cmrv::InventoryLine& {
    for (const auto& l : inv.lines) {
      if (l.source_id == source && l.gas == cmrv::Gas::kCo2) return l;
    }
    FAIL("no CO2 line of " << source);
    return inv.lines.front();
  };
  auto& per_part = cmrv::internal::RecordsPerPartForTesting();
  const std::size_t saved = per_part.exchange(1);
  std::vector<absl::StatusOr<cmrv::Inventory>> computed;
  for (unsigned threads : {1u, 2u}) {
    cmrv::InventoryOptions o;
    o.threads = threads;
    computed.push_back(cmrv::ComputeInventory(*e, Catalogue(), o));
  }
  per_part.store(saved);  // before any REQUIRE can leave the test
  for (unsigned threads : {1u, 2u}) {
    INFO(threads << " threads");
    const auto& inv = computed[threads - 1];
    REQUIRE(inv.ok());
    const auto &a = co2_line(*inv, "coal"), &b = co2_line(*inv, "coal-2");
    CHECK(a.equation == "E = AD × NCV × CC × OF × CO2/C");  // default_factor, coal in tonnes
    CHECK(b.equation == a.equation);
    CHECK(b.gwp_provenance == "CO2 (GWP 1 by definition)");
    CHECK(b.gwp_provenance == a.gwp_provenance);
    CHECK(a.terms.front().name == "AD");
    CHECK(b.terms.front().name == "AD");
    const bool shared = threads == 1;  // one context: one buffer for both sources' lines
    CHECK((a.equation.c_str() == b.equation.c_str()) == shared);
    CHECK((a.gwp_provenance.c_str() == b.gwp_provenance.c_str()) == shared);
    CHECK((a.terms.front().name.c_str() == b.terms.front().name.c_str()) == shared);
  }
}

TEST_CASE("Inventory: cut into parts, the first error in source order is the one reported", "[inventory]") {
  auto e = cmrv::Enterprise::FromJson(Read("enterprises/hand_calc.json"));
  REQUIRE(e.ok());
  REQUIRE(e->sources.size() >= 3);
  // The first record of source 1 and of the last source is 1e308 of its unit: its product overflows.
  // One thread stops at source 1; parts of one source each report source 1's error, not the last
  // source's, which a later part may meet first in time.
  const std::string first_id = e->sources[1].id, last_id = e->sources.back().id;
  REQUIRE(first_id != last_id);
  e->sources[1].activity.front().quantity.value = 1e308;
  e->sources.back().activity.front().quantity.value = 1e308;
  cmrv::InventoryOptions one;
  one.threads = 1;
  const auto serial = cmrv::ComputeInventory(*e, Catalogue(), one);
  REQUIRE(!serial.ok());
  INFO(Msg(serial.status()));
  CHECK(Msg(serial.status()).rfind("sources[1] (" + first_id + "): source " + first_id + " period ", 0) == 0);
  auto& per_part = cmrv::internal::RecordsPerPartForTesting();
  const std::size_t saved = per_part.exchange(1);
  cmrv::InventoryOptions o;
  o.threads = static_cast<unsigned>(e->sources.size());
  const auto parted = cmrv::ComputeInventory(*e, Catalogue(), o);
  per_part.store(saved);
  REQUIRE(!parted.ok());
  CHECK(parted.status() == serial.status());
}

TEST_CASE("Inventory: the threads option", "[inventory]") {
  cmrv::InventoryOptions o;
  CHECK(o.threads == 0);  // the hardware's
  REQUIRE(cmrv::SetInventoryOption(o, "threads", "3").ok());
  CHECK(o.threads == 3);
  CHECK(Msg(cmrv::SetInventoryOption(o, "threads", "-1")) == "threads \"-1\" is not a whole number from 0 to 1024");
  CHECK(Msg(cmrv::SetInventoryOption(o, "threads", "two")) == "threads \"two\" is not a whole number from 0 to 1024");
  CHECK(o.threads == 3);
  CHECK(Msg(cmrv::SetInventoryOption(o, "thread", "2")).find("gwp_dataset (gwp), co2_per_carbon") != std::string::npos);
  CHECK(Msg(cmrv::SetInventoryOption(o, "thread", "2")).find("uncertainty_unstated, threads") != std::string::npos);
}

TEST_CASE("JsonWriter: the text nlohmann's dump(1) writes for the same DOM, byte for byte", "[inventory][json]") {
  using nlohmann::json;
  // Escapes (quote, backslash, the named controls, other controls as \u00xx, DEL as is), UTF-8 of 2, 3
  // and 4 bytes as is, numbers in nlohmann's forms (".0" on integers, shortest round-trip digits, the
  // extremes, non-finite as null), empty and nested containers.
  const std::string texts[] = {"",
                               "plain",
                               "q\"b\\s/",
                               "\b\f\n\r\t",
                               std::string("\x01\x1f\x7f", 3),
                               std::string("nul\0in", 6),
                               "燃料燃烧 × 10⁴ Nm³",
                               "\xF0\x9F\x8C\x8D earth"};
  const double numbers[] = {0.0,          -0.0,
                            1.0,          94600.0,
                            0.1,          197.69508000000002,
                            1e300,        -2.5e-308,
                            5e-324,       1.7976931348623157e308,
                            std::nan(""), INFINITY,
                            -INFINITY};
  json dom = json::object();
  std::string text;
  cmrv::internal::JsonWriter w(text);
  w.BeginObject();
  w.Key("a_empty_array");
  w.BeginArray();
  w.EndArray();
  dom["a_empty_array"] = json::array();
  w.Key("b_empty_object");
  w.BeginObject();
  w.EndObject();
  dom["b_empty_object"] = json::object();
  w.Key("c_numbers");
  w.BeginArray();
  for (double v : numbers) w.Number(v), dom["c_numbers"].push_back(v);
  w.Int(-9223372036854775807LL - 1), dom["c_numbers"].push_back(-9223372036854775807LL - 1);
  w.Int(42), dom["c_numbers"].push_back(42);
  w.EndArray();
  w.Key("d_texts");
  w.BeginArray();
  for (const auto& t : texts) w.String(t), dom["d_texts"].push_back(t);
  w.EndArray();
  w.Key("e_nested");
  const json nested = {{"x", {json::array(), json::object(), {{"k", nullptr}}, true, false}}, {"y", "z"}};
  w.Value(nested);
  dom["e_nested"] = nested;
  w.Member("f \"key\"\n", 3);  // keys escaped as values are
  dom["f \"key\"\n"] = 3;
  w.EndObject();
  CHECK(text == dom.dump(1));
  CHECK(text.find("\"\\u0001\\u001f\x7f\"") != std::string::npos);  // spelled out: the forms above
  CHECK(text.find("1.0,") != std::string::npos);

  // An ill-formed text is refused as nlohmann refuses it (type_error 316), not written.
  for (const std::string bad : {"\xC0\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80", "ab\xE2\x82", "\xFF"}) {
    std::string out;
    cmrv::internal::JsonWriter bw(out);
    CHECK_THROWS_AS(bw.String(bad), json::type_error);
    CHECK_THROWS_AS(json(bad).dump(), json::type_error);
  }
}

TEST_CASE("Inventory::ToJson writes what nlohmann writes for the document it describes", "[inventory][json]") {
  // The document is written without a DOM (internal/json_writer.hpp), each object's keys in sorted
  // order. Read back and dumped by nlohmann, every fixture's document (both scope 2 methods, with and
  // without unstated uncertainties exact) must give the same text: a key out of order, a missing
  // comma or a number in another form fails.
  int documents = 0;
  for (const char* name : {"all_kinds", "epa_c1", "fgas", "hand_calc", "heat_media", "ipcc_defaults", "uncertainty",
                           "uncertainty_base", "verify_base", "alloc_power", "cp_audit"}) {
    for (int variant = 0; variant < 3; ++variant) {
      INFO(name << " variant " << variant);
      cmrv::InventoryOptions o;
      if (variant == 1) o.scope2_method = cmrv::Scope2Method::kMarket;
      if (variant == 2) o.unstated_uncertainty_exact = true;
      const std::string text = Compute(Read(std::string("enterprises/") + name + ".json"), o).ToJson();
      CHECK(nlohmann::json::parse(text).dump(1) == text);
      ++documents;
    }
  }
  CHECK(documents == 33);
}

TEST_CASE("CutArrayMember: cuts between the member's own elements, past strings and nesting", "[enterprise]") {
  using nlohmann::json;
  // Brackets, commas and the member's name inside strings (with escaped quotes and a string ending in
  // a backslash), nested arrays of objects, and the same name deeper down: only $.sources's elements
  // may start a run.
  const std::string text =
      R"({"a": ["[{", {"sources": [{"x": 1}, {"x": 2}]}], "s\"[": "x\\", "sources": [{"id": "},{\"", "v": [[{}], )"
      R"({"w": [1, 2]}]}, {"id": "b\\"} , {"id": "c"},5,  {"id": "d,{"}, {"id": "e"}], "z": {"sources": [{}, {}]}})";
  const json whole = json::parse(text);
  for (std::size_t parts : {2u, 3u, 4u, 9u}) {
    INFO(parts << " parts");
    const auto cuts = cmrv::internal::CutArrayMember(text, "sources", parts);
    REQUIRE(cuts.has_value());
    CHECK(text.compare(cuts->open - 11, 12, "\"sources\": [") == 0);
    CHECK(text.compare(cuts->close, 4, "], \"") == 0);
    REQUIRE(cuts->starts.size() == cuts->commas.size());
    CHECK(cuts->starts.size() <= parts - 1);
    // The runs, parsed as the reader parses them, give the array's elements in order.
    json elements = json::array();
    const cmrv::internal::JsonElementSink keep = [&](std::size_t, json&& e, const json&) { elements.push_back(e); };
    auto first =
        cmrv::internal::ParseJsonStreaming(cmrv::internal::JsonPieces{std::string_view(text).substr(0, cuts->commas[0]),
                                                                      std::string_view(text).substr(cuts->close)},
                                           "test", "sources", keep);
    REQUIRE(first.ok());
    CHECK((*first)["z"] == whole["z"]);  // the rest of the document is read by the first run
    for (std::size_t k = 0; k < cuts->starts.size(); ++k) {
      CHECK(text[cuts->starts[k]] == '{');
      CHECK(text[cuts->commas[k]] == ',');
      const std::size_t end = k + 1 < cuts->starts.size() ? cuts->commas[k + 1] : cuts->close;
      const auto st = cmrv::internal::ParseJsonArrayStreaming(
          {"[", std::string_view(text).substr(cuts->starts[k], end - cuts->starts[k]), "]"}, "test", keep);
      CHECK(st.ok());
    }
    CHECK(elements == whole["sources"]);
  }
  // Nothing to cut: no such member, one element, not JSON (an unclosed string, a bracket closed twice).
  CHECK_FALSE(cmrv::internal::CutArrayMember(R"({"other": [{}, {}]})", "sources", 2).has_value());
  CHECK_FALSE(cmrv::internal::CutArrayMember(R"({"sources": [{}]})", "sources", 2).has_value());
  CHECK_FALSE(cmrv::internal::CutArrayMember(R"({"sources": [{}, {"id": "a}]})", "sources", 2).has_value());
  CHECK_FALSE(cmrv::internal::CutArrayMember(R"({"sources": [{}, {}]}]})", "sources", 2).has_value());
}

TEST_CASE("Enterprise::FromJson: read in runs on threads, the one-thread enterprise and problems",
          "[enterprise][threads]") {
  // Every document cut (BytesPerRunForTesting 1), on 2, 3 and 7 threads: the enterprise written back,
  // or the problems, are the one-thread read's, byte for byte.
  auto& per_run = cmrv::internal::BytesPerRunForTesting();
  const std::size_t saved = per_run.load();
  per_run.store(1);
  auto same = [](const std::string& text) {
    auto one = cmrv::Enterprise::FromJson(text, 1);
    const std::string expected = one.ok() ? one->ToJson() : one.status().ToString();
    int n = 0;
    for (unsigned threads : {2u, 3u, 7u}) {
      INFO(threads << " threads");
      auto e = cmrv::Enterprise::FromJson(text, threads);
      CHECK((e.ok() ? e->ToJson() : e.status().ToString()) == expected);
      ++n;
    }
    return std::make_pair(n, expected);
  };
  int compared = 0, cut = 0;
  for (const char* name :
       {"all_kinds", "alloc_clinker", "alloc_condensing", "alloc_power", "cp_audit", "cp_review_fail", "cp_review_pass",
        "epa_c1", "fgas", "hand_balance", "hand_calc", "heat_media", "ipcc_defaults", "scope_lines", "uncertainty",
        "uncertainty_base", "verify_base"}) {
    INFO(name);
    const std::string text = Read(std::string("enterprises/") + name + ".json");
    compared += same(text).first;
    cut += cmrv::internal::CutArrayMember(text, "sources", 3).has_value();
  }
  CHECK(compared == 17 * 3);
  CHECK(cmrv::internal::DocumentsReadInRunsForTesting().load() >= 12 * 3);
  CHECK(cut >= 12);  // most fixtures have several sources, so they are really read in runs

  // Problems in later runs, and across runs: the same list, with the document's own indices.
  const std::string head = R"({"schema": "carbonmrv.enterprise/1", "enterprise": {"name": "x", "year": 2023}, )";
  auto source = [](const std::string& id, const std::string& unit, const std::string& extra = "") {
    return R"({"id": ")" + id + R"(", "kind": "fuel_combustion", "carrier": "natural_gas", )" + extra +
           R"("activity": [{"period": "2023-01", "value": 10, "unit": ")" + unit + R"("}]})";
  };
  const std::string good = head + R"("sources": [)" + source("a", "Nm3") + ", " + source("b", "Nm3") + ", " +
                           source("c", "Nm3") + ", " + source("d", "Nm3") + "]}";
  const std::size_t in_runs = cmrv::internal::DocumentsReadInRunsForTesting().load();
  const auto ok = same(good);
  CHECK(ok.second.find("\"id\": \"d\"") != std::string::npos);
  CHECK(cmrv::internal::DocumentsReadInRunsForTesting().load() == in_runs + 3);  // really read in runs
  const std::string repeated = head + R"("sources": [)" + source("a", "Nm3") + ", " + source("b", "Nm3") + ", " +
                               source("c", "Nm3") + ", " + source("a", "Nm3") + "]}";
  CHECK(same(repeated).second.find("sources[3].id: duplicate source id \"a\"") != std::string::npos);
  const std::string bad_unit = head + R"("sources": [)" + source("a", "Nm3") + ", " + source("b", "Nm3") + ", " +
                               source("c", "s") + ", " + source("d", "kg/s") + "]}";
  const auto units = same(bad_unit);
  CHECK(units.second.find("sources[2].activity[0].unit") != std::string::npos);
  CHECK(units.second.find("sources[3].activity[0].unit") != std::string::npos);
  const std::string broken = good.substr(0, good.rfind("\"d\"")) + "\"d\" ]}";
  CHECK(same(broken).second.find("not valid JSON") != std::string::npos);
  per_run.store(saved);
}
