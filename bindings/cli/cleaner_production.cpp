// `carbonmrv audit FILE.json|- [--system SYSTEM.json] [--audit ID] [--carbon-price 60] [--review NEXT.json]
//  [--format table|json|csv] [--table options|macc|indicators|targets|focus|ex_post]`.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

#include "carbonmrv/cleaner_production/audit_options.hpp"
#include "carbonmrv/cleaner_production/cleaner_production.hpp"
#include "carbonmrv/status.hpp"
#include "cli.hpp"

namespace cmrv::cli {
namespace {

struct Args {
  std::string file, system, audit, carbon_price, review, table = "macc", gwp = "AR5", co2_per_carbon = "44/12",
                                                         scope2 = "location";
  std::vector<std::string> load;
  Format format = Format::kText;
};

std::string Maybe(const std::optional<double>& v, int decimals, double scale = 1) {
  return v ? Fixed(*v * scale, decimals) : std::string("—");
}

void PrintText(const AuditReport& r) {
  std::cout << r.enterprise << " — cleaner-production audit " << r.audit_id << " (" << AuditTypeName(r.type);
  if (r.trigger) std::cout << ", " << AuditTriggerName(*r.trigger);
  std::cout << "), baseline " << r.year << "\n";
  for (const auto& s : r.stages) {
    std::printf("  stage %-18s %-10s %s  %s … %s\n", std::string(AuditStageName(s.stage)).c_str(),
                std::string(AuditStageNameZh(s.stage)).c_str(), std::string(StageStatusName(s.status)).c_str(),
                s.start.c_str(), s.end.c_str());
  }
  if (r.focus) std::cout << "\naudit focus: " << r.focus->explanation << "\n";
  std::cout << "\nindicators\n";
  for (const auto& i : r.indicators) {
    std::printf("  %-16s %d  %14s %-12s %s\n", i.id.c_str(), i.year,
                i.value ? Fixed(*i.value, 4).c_str() : (i.level ? std::string(CpLevelName(*i.level)).c_str() : "—"),
                i.unit.c_str(), i.from.c_str());
  }
  if (r.score) {
    std::cout << "\nlevel " << CpLevelName(r.score->level) << " against " << r.score->system_id << " ("
              << r.score->system_confidence << "): Y_I " << Fixed(r.score->y_i, 2) << ", Y_II "
              << Fixed(r.score->y_ii, 2) << ", Y_III " << Fixed(r.score->y_iii, 2) << "\n";
    for (const auto& why : r.score->reasons) std::cout << "  " << why << "\n";
    for (const auto& s : r.score->indicators) {
      std::printf("  %-16s level %-4s gap to %-4s %s %s\n", s.id.c_str(), std::string(CpLevelName(s.level)).c_str(),
                  s.next ? std::string(CpLevelName(*s.next)).c_str() : "—", Maybe(s.gap, 4).c_str(), s.unit.c_str());
    }
  }
  if (!r.targets.empty()) std::cout << "\ntargets\n";
  for (const auto& t : r.targets) {
    std::printf("  %-16s %s → %s %s by %d: %s in %d (%s)\n", t.indicator.c_str(), FormatNumber(t.baseline).c_str(),
                FormatNumber(t.target).c_str(), t.unit.c_str(), t.deadline, Maybe(t.observed, 4).c_str(), t.year,
                t.status.c_str());
  }
  std::cout << "\noptions (applied in order; baseline " << Fixed(r.baseline_co2e_t, 3) << " tCO2e → "
            << Fixed(r.final_co2e_t, 3) << " tCO2e)\n";
  std::printf("  %-6s %-16s %12s %12s %14s %14s %8s %8s %10s %s\n", "id", "class", "abated tCO2e", "alone tCO2e",
              "savings CNY/a", "NPV CNY", "IRR %", "payback", "CNY/tCO2e", "verdict");
  for (const auto& o : r.options) {
    const auto& e = o.economics;
    std::printf("  %-6s %-16s %12s %12s %14s %14s %8s %8s %10s %s\n", o.id.c_str(),
                std::string(OptionClassName(o.option_class)).c_str(), Fixed(o.abatement_t, 3).c_str(),
                Fixed(o.standalone_abatement_t, 3).c_str(), Fixed(o.annual_savings_cny, 0).c_str(),
                Fixed(e.npv, 0).c_str(), Maybe(e.irr, 2, 100).c_str(), Maybe(e.simple_payback, 2).c_str(),
                Maybe(o.cost_per_t, 1).c_str(), e.feasible ? "feasible" : "not feasible");
    if (o.economics_with_carbon) {
      std::printf("  %-6s with carbon at %s CNY/tCO2e: NPV %s CNY, IRR %s %%\n", "",
                  FormatNumber(*o.carbon_price_cny_per_t).c_str(), Fixed(o.economics_with_carbon->npv, 0).c_str(),
                  Maybe(o.economics_with_carbon->irr, 2, 100).c_str());
    }
    for (const auto& n : o.notes) std::cout << "         note: " << n << "\n";
  }
  if (!r.ex_post.empty()) std::cout << "\nex-post (normalised by output)\n";
  for (const auto& c : r.ex_post) {
    std::printf("  %-10s %-8s expected %s, observed %s %s (%s)\n", c.subject.c_str(), c.options.c_str(),
                Fixed(c.expected, 3).c_str(), Fixed(c.observed, 3).c_str(), c.unit.c_str(),
                c.relative ? (Fixed(*c.relative * 100, 1) + " %").c_str() : "—");
  }
  for (const auto& n : r.notes) std::cout << "note: " << n << "\n";
}

int Run(const Args& a) {
  auto input = LoadInput(a.file, a.load);
  if (!input.ok()) return Report(input.status(), std::cerr);
  const auto& [enterprise, catalogue] = *input;
  AuditComputeOptions o;
  for (auto [key, value] : {std::pair<const char*, const std::string*>{"gwp_dataset", &a.gwp},
                            {"co2_per_carbon", &a.co2_per_carbon},
                            {"scope2_method", &a.scope2},
                            {"audit", &a.audit}}) {
    if (auto st = SetAuditOption(o, key, *value); !st.ok()) return Report(st, std::cerr);
  }
  if (!a.carbon_price.empty()) {
    if (auto st = SetAuditOption(o, "carbon_price", a.carbon_price); !st.ok()) return Report(st, std::cerr);
  }
  for (auto [path, key] : {std::pair{&a.review, "review"}, std::pair{&a.system, "system"}}) {
    if (path->empty()) continue;
    auto text = ReadInput(*path);
    if (!text.ok()) return Report(text.status(), std::cerr);
    if (std::string_view(key) == "system") {
      auto sys = IndicatorSystem::FromJson(*text);
      if (!sys.ok()) return Report(WithContext(sys.status(), *path), std::cerr);
      o.system = *std::move(sys);
    } else if (auto st = SetAuditOption(o, key, *text); !st.ok()) {
      return Report(WithContext(st, *path), std::cerr);
    }
  }
  auto r = ComputeAudit(enterprise, catalogue, o);
  if (!r.ok()) return Report(r.status(), std::cerr);
  if (a.format == Format::kJson) {
    std::cout << r->ToJson() << "\n";
  } else if (a.format == Format::kCsv) {
    auto csv = r->ToCsv(a.table);
    if (!csv.ok()) return Report(csv.status(), std::cerr);
    std::cout << *csv;
  } else {
    PrintText(*r);
  }
  return kExitOk;
}

}  // namespace

void AddAuditCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("audit",
                                 "Evaluate a cleaner-production audit round: indicators and level, targets, "
                                 "options with abatement and economics, MACC, ex-post comparison");
  cmd->add_option("FILE", args->file, "enterprise JSON (carbonmrv.enterprise/2), or - for standard input")->required();
  cmd->add_option("--system", args->system, "indicator system (carbonmrv.indicator_system/1) to score against");
  cmd->add_option("--audit", args->audit, "the round's id (default: the last)");
  cmd->add_option("--carbon-price", args->carbon_price, "CNY per tCO2e, or e.g. \"60 CNY/tCO2e\"");
  cmd->add_option("--review", args->review, "the next year's enterprise JSON (ex-post comparison, targets)");
  cmd->add_option("--format", args->format, "table|json|csv")
      ->transform(CLI::CheckedTransformer(FormatNames(), CLI::ignore_case));
  cmd->add_option("--table", args->table, "the CSV table")
      ->check(CLI::IsMember({"options", "macc", "indicators", "targets", "focus", "ex_post"}))
      ->capture_default_str();
  cmd->add_option("--gwp", args->gwp, "GWP set")->capture_default_str();
  cmd->add_option("--co2-per-c", args->co2_per_carbon, "44/12 or 3.664")->capture_default_str();
  cmd->add_option("--scope2", args->scope2, "location|market")->capture_default_str();
  cmd->add_option("--load", args->load, "also load this factor dataset CSV (repeatable)");
  cmd->callback([args, exit_code] { *exit_code = Run(*args); });
}

}  // namespace cmrv::cli
