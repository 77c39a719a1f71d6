// `carbonmrv inventory FILE.json|- [--format table|json|csv] [--gwp AR5] ...`.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "carbonmrv/enterprise/enterprise.hpp"
#include "carbonmrv/factors/factors.hpp"
#include "carbonmrv/inventory/inventory.hpp"
#include "carbonmrv/inventory/inventory_options.hpp"
#include "carbonmrv/status.hpp"
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
};

int Run(const Args& a) {
  auto input = LoadInput(a.file, a.load);
  if (!input.ok()) return Report(input.status(), std::cerr);
  const auto& [enterprise, catalogue] = *input;
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
  auto preference = ParsePreference(a.policy.empty() ? a.prefer : "policy:" + a.policy);
  if (!preference.ok()) return Report(preference.status(), std::cerr);
  o.factor_preference = *std::move(preference);
  auto inv = ComputeInventory(enterprise, catalogue, o);
  if (!inv.ok()) return Report(inv.status(), std::cerr);
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
    const std::string gas = l.species.empty() ? std::string(GasName(l.gas)) : l.species;
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
  cmd->add_option("--decimals", args->decimals, "decimals shown in the table")
      ->check(WholeNumber())
      ->check(CLI::Range(0, 12));
  cmd->callback([args, exit_code] { *exit_code = Run(*args); });
}

}  // namespace cmrv::cli
