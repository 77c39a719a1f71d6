// C++ core: cleaner production on the shared fixtures (tests/data/cleaner_production_cases.json):
// indicator levels, focus ranking, sequential and standalone abatement, option economics, ex-post
// comparison and X23, and bad input naming its field.
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "carbonmrv/cleaner_production/audit_options.hpp"
#include "carbonmrv/cleaner_production/cleaner_production.hpp"
#include "carbonmrv/status.hpp"
#include "support/cases.hpp"
#include "support/catalogue.hpp"
#include "support/fixtures.hpp"

namespace {

using cmrv_test::Catalogue;
using cmrv_test::Close;
using cmrv_test::Read;
using nlohmann::json;

const json& Cases() {
  static const json cases = json::parse(Read("cleaner_production_cases.json"));
  return cases;
}

cmrv::Enterprise Load(const std::string& text) {
  auto e = cmrv::Enterprise::FromJson(text);
  INFO(e.status().ToString());
  REQUIRE(e.ok());
  return *e;
}

cmrv::IndicatorSystem System() {
  auto s = cmrv::IndicatorSystem::FromJson(Read(Cases()["system"].get<std::string>()));
  INFO(s.status().ToString());
  REQUIRE(s.ok());
  return *s;
}

cmrv::AuditReport Audit(const cmrv::Enterprise& e, cmrv::AuditComputeOptions o = {}) {
  auto r = cmrv::ComputeAudit(e, Catalogue(), o);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  return *r;
}

const cmrv::OptionResult& Option(const cmrv::AuditReport& r, const std::string& id) {
  for (const auto& o : r.options) {
    if (o.id == id) return o;
  }
  FAIL("no option " << id);
  return r.options.front();
}

}  // namespace

TEST_CASE("Cleaner production: an indicator scoring lands on each level", "[cleaner_production]") {
  const auto system = System();
  for (const auto& c : cmrv_test::Counted(Cases(), "cleaner_production_cases.json", "scoring_cases")) {
    INFO(c["name"].get<std::string>() << ": " << c["worked"].get<std::string>());
    json doc = json::parse(Read(Cases()["enterprise"].get<std::string>()));
    doc["cleaner_production"]["audits"][0]["indicators"] = c["indicators"];
    doc["cleaner_production"]["audits"][0].erase("targets");
    cmrv::AuditComputeOptions o;
    o.system = system;
    const auto r = Audit(Load(doc.dump()), o);
    REQUIRE(r.score.has_value());
    CHECK(Close(r.score->y_i, c["y_i"].get<double>(), 1e-12));
    CHECK(Close(r.score->y_ii, c["y_ii"].get<double>(), 1e-12));
    CHECK(Close(r.score->y_iii, c["y_iii"].get<double>(), 1e-12));
    CHECK(std::string(cmrv::CpLevelName(r.score->level)) == c["level"].get<std::string>());
    CHECK(r.score->complete);
    for (const auto& s : r.score->indicators) {
      INFO(s.id);
      CHECK(std::string(cmrv::CpLevelName(s.level)) == c["levels"][s.id].get<std::string>());
      if (!c["gaps"].contains(s.id)) continue;
      const auto& g = c["gaps"][s.id];
      REQUIRE(s.next.has_value());
      CHECK(std::string(cmrv::CpLevelName(*s.next)) == g["next"].get<std::string>());
      CHECK(Close(*s.next_value, g["next_value"].get<double>(), 1e-12));
      CHECK(Close(*s.gap, g["gap"].get<double>(), 1e-9));
      CHECK(Close(*s.gap_pct, g["gap_pct"].get<double>(), 1e-9));
    }
  }
}

TEST_CASE("Cleaner production: a missing indicator value makes the level a lower bound", "[cleaner_production]") {
  const auto system = System();
  std::vector<cmrv::IndicatorValue> values = {{"unit_energy", 95.0, std::nullopt, "test"},
                                              {"management", std::nullopt, cmrv::CpLevel::kI, "test"}};
  auto s = cmrv::ScoreIndicators(system, values);
  REQUIRE(s.ok());
  CHECK_FALSE(s->complete);
  CHECK(s->missing == std::vector<std::string>{"elec_intensity", "water"});
  // 63 (unit_energy) + 24 (management): water, limiting, reaches no level, so level III fails too.
  CHECK(Close(s->y_i, 87, 1e-12));
  CHECK(s->level == cmrv::CpLevel::kNone);
  auto unknown = cmrv::ScoreIndicators(system, {{"colour", 1.0, std::nullopt, "test"}});
  CHECK(unknown.status().message() == "indicator \"colour\" is not in indicator system \"hand_made_board_v1\"");
}

TEST_CASE("Cleaner production: the audit focus by weighted-sum scoring", "[cleaner_production]") {
  const auto r = Audit(Load(Read(Cases()["enterprise"].get<std::string>())));
  const auto& f = Cases()["focus"];
  INFO(f["worked"].get<std::string>());
  REQUIRE(r.focus.has_value());
  REQUIRE(r.focus->ranking.size() == f["ranking"].size());
  for (std::size_t i = 0; i < r.focus->ranking.size(); ++i) {
    CHECK(r.focus->ranking[i].unit == f["ranking"][i]["unit"].get<std::string>());
    CHECK(r.focus->ranking[i].total == f["ranking"][i]["total"].get<double>());
    CHECK(r.focus->ranking[i].rank == f["ranking"][i]["rank"].get<int>());
  }
  CHECK(r.focus->chosen == f["chosen"].get<std::string>());
}

TEST_CASE("Cleaner production: options interact, sequential and standalone abatement", "[cleaner_production]") {
  const auto r = Audit(Load(Read(Cases()["enterprise"].get<std::string>())));
  const auto& a = Cases()["abatement"];
  INFO(a["worked"].get<std::string>());
  CHECK(Close(r.baseline_co2e_t, a["baseline_co2e_t"].get<double>(), 1e-12));
  CHECK(Close(r.final_co2e_t, a["final_co2e_t"].get<double>(), 1e-12));
  for (const auto& o : a["options"]) {
    const auto& res = Option(r, o["id"].get<std::string>());
    INFO(res.id);
    CHECK(Close(res.abatement_t, o["abatement_t"].get<double>(), 1e-12));
    CHECK(Close(res.standalone_abatement_t, o["standalone_abatement_t"].get<double>(), 1e-12));
  }
  // The sequential abatements add up to baseline − final, and the traces of both sides replay.
  double sum = 0;
  for (const auto& o : r.options) sum += o.abatement_t;
  CHECK(Close(sum, r.baseline_co2e_t - r.final_co2e_t, 1e-12));
  for (const auto& l : r.final.lines) CHECK(Close(*cmrv::ReplayLine(l), l.mass_t, 1e-12));
  // MACC: cheapest first, widths are the abatements.
  REQUIRE(r.macc.size() == 3);
  for (std::size_t i = 1; i < r.macc.size(); ++i) CHECK(r.macc[i - 1].cost_per_t <= r.macc[i].cost_per_t);
  CHECK(Close(r.macc.back().cumulative_end, sum, 1e-12));
}

TEST_CASE("Cleaner production: option economics worked by hand", "[cleaner_production]") {
  const auto& ec = Cases()["economics"];
  INFO(ec["worked"].get<std::string>());
  cmrv::AuditComputeOptions o;
  REQUIRE(cmrv::SetAuditOption(o, "carbon_price", std::to_string(ec["carbon_price"].get<int>())).ok());
  const auto r = Audit(Load(Read(Cases()["enterprise"].get<std::string>())), o);
  const auto& res = Option(r, ec["option"].get<std::string>());
  const auto& x = ec["expected"];
  const auto& e = res.economics;
  CHECK(Close(e.net_cash_flow, x["net_cash_flow_cny"].get<double>(), 1e-12));
  CHECK(Close(*e.simple_payback, x["simple_payback_years"].get<double>(), 1e-12));
  CHECK(Close(e.npv, x["npv_cny"].get<double>(), 1e-9));
  CHECK(Close(*e.npvr, x["npvr"].get<double>(), 1e-9));
  CHECK(Close(*e.irr, x["irr"].get<double>(), 1e-9));
  CHECK(Close(*e.irr_interpolated, x["irr_interpolated"].get<double>(), 1e-9));
  CHECK(Close(*e.discounted_payback, x["discounted_payback_years"].get<double>(), 1e-9));
  CHECK(Close(*res.cost_per_t, x["cost_per_t"].get<double>(), 1e-9));
  CHECK(e.feasible == (x["feasible"].get<int>() == 1));
  REQUIRE(res.economics_with_carbon.has_value());
  CHECK(Close(res.economics_with_carbon->npv, x["npv_with_carbon_cny"].get<double>(), 1e-9));
  // The same case through the calculator alone.
  const auto& s = ec["standalone"];
  cmrv::EconomicsInput in;
  in.investment = s["investment"];
  in.annual_savings = s["annual_savings"];
  in.annual_om_change = s["annual_om_change"];
  in.life_years = s["life_years"];
  in.discount_rate = s["discount_rate"];
  in.tax_rate = s["tax_rate"];
  in.benchmark_rate = s["benchmark_rate"].get<double>();
  auto alone = cmrv::EvaluateEconomics(in);
  REQUIRE(alone.ok());
  CHECK(Close(alone->npv, x["npv_cny"].get<double>(), 1e-9));
  CHECK(Close(cmrv::CapitalRecoveryFactor(0.08, 10), 0.14903, 1e-4));  // domain reference §3.4 example
  in.life_years = -5;
  CHECK(cmrv::EvaluateEconomics(in).status().message() == "life_years: -5 is not ≥ 1");
}

TEST_CASE("Cleaner production: ex-post comparison passes, and fails with X23 findings", "[cleaner_production]") {
  const auto base = Load(Read(Cases()["enterprise"].get<std::string>()));
  for (const auto& c : cmrv_test::Counted(Cases(), "cleaner_production_cases.json", "ex_post")) {
    INFO(c["worked"].get<std::string>());
    const auto review = Load(Read(c["review"].get<std::string>()));
    cmrv::AuditComputeOptions o;
    o.review = review;
    const auto r = Audit(base, o);
    REQUIRE(r.ex_post.size() == c["comparisons"].size());
    for (const auto& cmp : r.ex_post) {
      INFO(cmp.subject);
      const auto& x = c["comparisons"][cmp.subject];
      CHECK(Close(cmp.claimed, x["claimed"].get<double>(), 1e-12));
      CHECK(Close(cmp.expected, x["expected"].get<double>(), 1e-12));
      CHECK(Close(cmp.observed, x["observed"].get<double>(), 1e-12));
    }
    REQUIRE(r.targets.size() == 1);
    CHECK(Close(*r.targets[0].observed, c["target"]["observed"].get<double>(), 1e-12));
    CHECK(r.targets[0].status == c["target"]["status"].get<std::string>());
    // The same comparison as verification check X23 on the review year.
    cmrv::VerifyOptions vo;
    vo.checks = {cmrv::CheckId::kX23};
    vo.audit_baseline = base;
    auto v = cmrv::Verify(review, Catalogue(), nullptr, vo);
    REQUIRE(v.ok());
    CHECK(v->findings.size() == c["findings"].size());
    for (const auto& f : v->findings) {
      INFO(f.subject << ": " << f.message);
      CHECK(std::string(cmrv::SeverityName(f.severity)) == c["findings"][f.subject].get<std::string>());
    }
  }
}

TEST_CASE("Cleaner production: bad input names its field", "[cleaner_production]") {
  for (const auto& c : cmrv_test::Counted(Cases(), "cleaner_production_cases.json", "errors")) {
    INFO(c["name"].get<std::string>());
    const std::string text = cmrv_test::Patched(c);
    const std::string want = c["message"];
    std::string got;
    if (c["kind"] == "system") {
      got = std::string(cmrv::IndicatorSystem::FromJson(text).status().message());
    } else if (auto e = cmrv::Enterprise::FromJson(text); !e.ok()) {
      got = std::string(e.status().message());
    } else {
      got = std::string(cmrv::ComputeAudit(*e, Catalogue(), {}).status().message());
    }
    INFO(got);
    CHECK(got.find(want) != std::string::npos);
  }
}

TEST_CASE("Cleaner production: the document round-trips with its audit", "[cleaner_production]") {
  const std::string text = Read(Cases()["enterprise"].get<std::string>());
  const auto e = Load(text);
  const auto again = Load(e.ToJson());
  CHECK(again.ToJson() == e.ToJson());
  CHECK(json::parse(e.ToJson())["schema"] == "carbonmrv.enterprise/2");
  CHECK(Audit(again).ToJson() == Audit(e).ToJson());
}
