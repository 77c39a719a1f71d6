// `carbonmrv inventory FILE.json|- [--format table|json|csv] [--gwp AR5] ...`.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "carbonmrv/enterprise/enterprise.hpp"
#include "carbonmrv/factors/factors.hpp"
#include "carbonmrv/inventory/inventory.hpp"
#include "carbonmrv/inventory/inventory_options.hpp"
#include "carbonmrv/status.hpp"
#include "carbonmrv/uncertainty/key_categories.hpp"
#include "carbonmrv/uncertainty/monte_carlo.hpp"
#include "carbonmrv/uncertainty/uncertainty.hpp"
#include "cli.hpp"

namespace cmrv::cli {
namespace {

struct Args {
  std::string file;
  Format format = Format::kText;
  std::string gwp = "AR5", co2_per_carbon = "44/12", scope2 = "location", prefer, policy, co2_per_carbon_source,
              uncertainty_unstated = "not_assessed";
  std::vector<std::string> load;
  int decimals = 3;
  std::string uncertainty = "approach1", by = "total", base;
  std::string draws = "10000", seed = "0", threads = "0";
  std::vector<std::string> mc_inputs;
  bool key_categories = false;
};

// Approach 2 by `a.by`: the options through the core's one parser, so the keys and errors are the C API's.
absl::StatusOr<MonteCarloResult> RunMonteCarlo(const Inventory& inv, const Args& a) {
  MonteCarloOptions o;
  for (auto [key, value] :
       {std::pair<const char*, const std::string*>{"draws", &a.draws}, {"seed", &a.seed}, {"threads", &a.threads}}) {
    if (auto st = SetMonteCarloOption(o, key, *value); !st.ok()) return st;
  }
  for (const auto& in : a.mc_inputs) {
    if (auto st = SetMonteCarloOption(o, "input", in); !st.ok()) return st;
  }
  auto key = ParseTotalsKey(a.by);
  if (!key.ok()) return key.status();
  return MonteCarlo(inv, *key, o);
}

void PrintMonteCarlo(const MonteCarloResult& r, int decimals) {
  std::printf("\nuncertainty, IPCC Approach 2 (Monte Carlo, %llu draws, seed %llu, %s):\n",
              static_cast<unsigned long long>(r.draws), static_cast<unsigned long long>(r.seed), r.generator.c_str());
  std::printf("  %-28s %14s %14s %14s %14s  %s\n", "group", "inventory", "mean", "2.5 %", "97.5 %", "interval");
  for (const auto& g : r.groups) {
    if (!g.stats) {
      std::printf("  %-28s %14s  not assessed: %zu input(s) without an uncertainty (first: %s)\n", g.group.c_str(),
                  Fixed(g.co2e_t, decimals).c_str(), g.missing.size(), g.missing.front().c_str());
      continue;
    }
    const auto& s = *g.stats;
    std::printf("  %-28s %14s %14s %14s %14s  −%.2f %% / +%.2f %%; largest input: %s\n", g.group.c_str(),
                Fixed(g.co2e_t, decimals).c_str(), Fixed(s.mean_t, decimals).c_str(),
                Fixed(s.lower_t, decimals).c_str(), Fixed(s.upper_t, decimals).c_str(), s.lower_pct, s.upper_pct,
                g.contributions.empty() ? "-" : g.contributions.front().input.c_str());
  }
  uint64_t negative = 0;
  for (const auto& in : r.inputs) negative += in.negative_draws;
  if (negative > 0) {
    std::printf("  (%llu input draw(s) below zero: a normal or uniform interval reaching 0; consider lognormal)\n",
                static_cast<unsigned long long>(negative));
  }
}

void PrintKeyCategories(const KeyCategoryAnalysis& k, int decimals) {
  std::printf("\nkey categories, IPCC 2006 Vol. 1 Ch. 4 Approach 1, %s assessment by %s (to %.0f %% cumulative):\n",
              k.assessment.c_str(), k.key.c_str(), k.threshold_pct);
  for (const auto& c : k.categories) {
    std::printf("  %-28s %14s %9.3f %% %9.3f %%  %s\n", c.group.c_str(), Fixed(c.co2e_t, decimals).c_str(), c.share_pct,
                c.cumulative_pct, c.key ? "key" : "");
  }
}

int Run(const Args& a) {
  InventoryOptions o;  // the core's one options layer: the keys, aliases and errors of every surface
  for (auto [key, value] : {std::pair<const char*, const std::string*>{"gwp_dataset", &a.gwp},
                            {"co2_per_carbon", &a.co2_per_carbon},
                            {"scope2_method", &a.scope2},
                            {"uncertainty_unstated", &a.uncertainty_unstated}}) {
    if (auto st = SetInventoryOption(o, key, *value); !st.ok()) return Report(st, std::cerr);
  }
  if (!a.co2_per_carbon_source.empty()) {
    if (auto st = SetInventoryOption(o, "co2_per_carbon_source", a.co2_per_carbon_source); !st.ok()) {
      return Report(st, std::cerr);
    }
  }
  if (auto st = SetInventoryOption(o, "threads", a.threads); !st.ok()) return Report(st, std::cerr);
  auto input = LoadInput(a.file, a.load, o.threads);  // the same threads read a large document
  if (!input.ok()) return Report(input.status(), std::cerr);
  const auto& [enterprise, catalogue] = *input;
  auto preference = ParsePreference(a.policy.empty() ? a.prefer : "policy:" + a.policy);
  if (!preference.ok()) return Report(preference.status(), std::cerr);
  o.factor_preference = *std::move(preference);
  auto inv = ComputeInventory(enterprise, catalogue, o);
  if (!inv.ok()) return Report(inv.status(), std::cerr);
  std::optional<MonteCarloResult> mc;
  if (a.uncertainty == "mc") {
    auto r = RunMonteCarlo(*inv, a);
    if (!r.ok()) return Report(r.status(), std::cerr);
    mc = *std::move(r);
  }
  std::vector<KeyCategoryAnalysis> key_categories;
  if (a.key_categories) {
    auto key = ParseTotalsKey(a.by == "total" ? "source" : a.by);
    if (!key.ok()) return Report(key.status(), std::cerr);
    auto level = LevelAssessment(*inv, *key);
    if (!level.ok()) return Report(level.status(), std::cerr);
    key_categories.push_back(*std::move(level));
    if (!a.base.empty()) {
      auto base_input = LoadInput(a.base, a.load, o.threads);
      if (!base_input.ok()) return Report(base_input.status(), std::cerr);
      auto base = ComputeInventory(base_input->enterprise, base_input->catalogue, o);
      if (!base.ok()) return Report(base.status(), std::cerr);
      auto trend = TrendAssessment(*base, *inv, *key);
      if (!trend.ok()) return Report(trend.status(), std::cerr);
      key_categories.push_back(*std::move(trend));
    }
  }
  if (a.format == Format::kJson && mc) {  // the Approach 2 document instead of the inventory's
    std::cout << MonteCarloToJson(*mc) << "\n";
    return kExitOk;
  }
  if (a.format == Format::kJson && !key_categories.empty()) {
    for (const auto& k : key_categories) std::cout << KeyCategoriesToJson(k) << "\n";  // one document per line
    return kExitOk;
  }
  if (a.format == Format::kJson) {
    std::cout << inv->ToJson() << "\n";
    return kExitOk;
  }
  if (a.format == Format::kCsv) {
    std::cout << "source,period,kind,gas,category,scope,memo,mass_t,gwp,co2e_t,scope2_method,scope3_category,species\n";
    for (const auto& l : inv->lines) {
      std::cout << CsvField(l.source_id) << "," << l.period << "," << SourceKindName(l.kind) << "," << GasName(l.gas)
                << "," << CategoryName(l.category) << "," << ScopeName(l.scope) << "," << (l.memo ? "true" : "false")
                << "," << FormatNumber(l.mass_t) << "," << FormatNumber(l.gwp) << "," << FormatNumber(l.co2e_t) << ","
                << (l.scope2_method ? Scope2MethodName(*l.scope2_method) : "") << ","
                << (l.scope3_category != 0 ? std::to_string(l.scope3_category) : "") << "," << l.species << "\n";
    }
    return kExitOk;
  }
  std::cout << inv->enterprise_name << " — " << inv->year << " greenhouse-gas inventory\n"
            << "GWP " << o.gwp_dataset << ", CO2/C " << Co2PerCarbonText(o) << ", scope 2 "
            << Scope2MethodName(o.scope2_method) << " (values rounded to " << a.decimals
            << " decimals for display only)\n\n";
  std::printf("%-28s %-8s %-6s %16s %16s\n", "source", "period", "gas", "mass (t)", "tCO2e");
  for (const auto& l : inv->lines) {
    const std::string gas = l.species.empty() ? std::string(GasName(l.gas)) : l.species.str();
    std::string mark = l.memo ? "  (memo)" : "";
    if (l.scope2_method) {
      mark = "  (" + std::string(Scope2MethodName(*l.scope2_method)) + "-based" + (l.memo ? ", memo)" : ")");
    }
    if (l.scope3_category != 0) mark = "  (scope 3 category " + std::to_string(l.scope3_category) + ")";
    std::printf("%-28s %-8s %-6s %16s %16s%s\n", l.source_id.c_str(), l.period.c_str(), gas.c_str(),
                Fixed(l.mass_t, a.decimals).c_str(), Fixed(l.co2e_t, a.decimals).c_str(), mark.c_str());
  }
  std::cout << "\nby category (tCO2e):\n";
  static const std::map<std::string, std::string> zh = {{"fuel_combustion", "燃料燃烧"},
                                                        {"industrial_process", "工业过程"},
                                                        {"co2_recovery", "CO2回收利用"},
                                                        {"net_purchased_electricity", "净购入电力"},
                                                        {"net_purchased_heat", "净购入热力"}};
  for (const auto& [k, v] : inv->Totals(TotalsKey::kCategory)) {
    std::printf("  %-28s %-12s %16s\n", k.c_str(), zh.count(k) ? zh.at(k).c_str() : "", Fixed(v, a.decimals).c_str());
  }
  for (const auto& [k, v] : inv->Totals(TotalsKey::kScope))
    std::printf("  scope %-22s %29s\n", k.c_str(), Fixed(v, a.decimals).c_str());
  std::printf("  %-41s %16s\n", "total", Fixed(inv->TotalCo2e(), a.decimals).c_str());
  // Dual scope 2 reporting, whenever electricity is in the inventory (GHG Protocol Scope 2 Guidance, Ch. 7).
  if (std::any_of(inv->lines.begin(), inv->lines.end(), [](const InventoryLine& l) { return l.scope2_method; })) {
    for (Scope2Method m : {Scope2Method::kLocation, Scope2Method::kMarket}) {
      const std::string name(Scope2MethodName(m));
      std::printf("  %-41s %16s\n", ("scope 2, " + name + "-based").c_str(),
                  Fixed(inv->Scope2Co2e(m), a.decimals).c_str());
      std::printf("  %-41s %16s\n", ("total, " + name + "-based").c_str(),
                  Fixed(inv->TotalCo2e(m), a.decimals).c_str());
    }
  }
  if (inv->BiomassCo2() != 0)
    std::printf("  %-41s %16s\n", "biomass CO2 (memo)", Fixed(inv->BiomassCo2(), a.decimals).c_str());
  // Approach 1 uncertainty of the total, or why it is not assessed.
  if (auto u = PropagateUncertainty(*inv, TotalsKey::kTotal); u.ok() && !u->empty()) {
    const auto& t = u->front();
    if (t.u_pct) {
      std::printf("  %-41s %16s  (±%.2f %%, 95 %%; largest input: %s)\n", "uncertainty (IPCC Approach 1)",
                  Fixed(*t.half_width_t, a.decimals).c_str(), *t.u_pct,
                  t.contributions.empty() ? "-" : t.contributions.front().input.c_str());
      if (!t.assumed_exact.empty()) {
        std::printf("  (%zu input(s) without a stated uncertainty counted as exact, as asked)\n",
                    t.assumed_exact.size());
      }
    } else if (!t.missing.empty()) {
      std::printf("  uncertainty not assessed: %zu input(s) without one (first: %s)\n", t.missing.size(),
                  t.missing.front().c_str());
    }
  }
  if (mc) PrintMonteCarlo(*mc, a.decimals);
  for (const auto& k : key_categories) PrintKeyCategories(k, a.decimals);
  if (!inv->notes.empty()) {
    std::cout << "\nnotes:\n";
    for (const auto& n : inv->notes) std::cout << "  - " << n << "\n";
  }
  return kExitOk;
}

}  // namespace

void AddInventoryCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<Args>();
  auto* cmd =
      app.add_subcommand("inventory", "Compute an enterprise's GHG inventory from a carbonmrv.enterprise/1 document");
  cmd->add_option("FILE", args->file, "enterprise JSON, or - for standard input")->required();
  cmd->add_option("--format", args->format, "table|json|csv")
      ->transform(CLI::CheckedTransformer(FormatNames(), CLI::ignore_case));
  cmd->add_option("--gwp", args->gwp, "SAR|AR4|AR5|AR6 or a GWP dataset id")->capture_default_str();
  cmd->add_option("--co2-per-c", args->co2_per_carbon, "44/12, 3.664, or a ratio a document states")
      ->capture_default_str();
  cmd->add_option("--co2-per-c-source", args->co2_per_carbon_source,
                  "the document that states a numeric --co2-per-c (required with one)");
  cmd->add_option("--uncertainty-unstated", args->uncertainty_unstated,
                  "not_assessed (default) or exact: how inputs without a stated uncertainty count")
      ->capture_default_str();
  cmd->add_option("--scope2", args->scope2, "location|market")->capture_default_str();
  auto* prefer = cmd->add_option("--prefer", args->prefer, "factor datasets and @class tokens, comma-separated");
  cmd->add_option("--policy", args->policy, "default|china|epa|ipcc")->excludes(prefer);
  cmd->add_option("--load", args->load, "also load this factor dataset CSV (repeatable)");
  cmd->add_option("--uncertainty", args->uncertainty,
                  "approach1 (error propagation, always shown) or mc (also IPCC Approach 2, Monte Carlo)")
      ->check(CLI::IsMember({"approach1", "mc"}))
      ->capture_default_str();
  cmd->add_option("--by", args->by,
                  "group of the Monte Carlo and key category results: total, category, scope, "
                  "iso_category, gas, period or source")
      ->capture_default_str();
  cmd->add_option("--draws", args->draws, "Monte Carlo draws (2 – 10^9)")->capture_default_str();
  cmd->add_option("--seed", args->seed, "Monte Carlo seed (recorded in the result)")->capture_default_str();
  cmd->add_option("--threads", args->threads,
                  "threads reading and computing the sources and drawing the Monte Carlo (0: all; the results do not "
                  "depend on it)")
      ->capture_default_str();
  cmd->add_option("--mc-input", args->mc_inputs,
                  "one input's distribution: ID=SHAPE or ID=SHAPE:LOWER_PCT:UPPER_PCT (repeatable)");
  cmd->add_flag("--key-categories", args->key_categories,
                "IPCC Approach 1 key categories by --by (source when total): level, and trend with --base");
  cmd->add_option("--base", args->base, "the base-year enterprise document for the trend assessment");
  cmd->add_option("--decimals", args->decimals, "decimals shown in the table")
      ->check(WholeNumber())
      ->check(CLI::Range(0, 12));
  cmd->callback([args, exit_code] { *exit_code = Run(*args); });
}

}  // namespace cmrv::cli
