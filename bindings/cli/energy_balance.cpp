// `carbonmrv energy FILE.json|- [--period P] [--format table|json|csv] [--basis
// tce|GJ|physical|...]`.
#include "carbonmrv/energy_balance/energy_balance.hpp"
#include "carbonmrv/status.hpp"
#include "cli.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

namespace cmrv::cli {
namespace {

struct Args {
  std::string file, period, basis = "tce", prefer, policy;
  Format format = Format::kText;
  std::vector<std::string> load;
  int decimals = 3;
  bool check = false;
};

int Run(const Args& a) {
  auto input = LoadInput(a.file, a.load);
  if (!input.ok()) return Report(input.status(), std::cerr);
  const auto& [enterprise, catalogue] = *input;
  auto preference = ParsePreference(a.policy.empty() ? a.prefer : "policy:" + a.policy);
  if (!preference.ok()) return Report(preference.status(), std::cerr);
  auto b = ComputeEnergyBalance(enterprise, catalogue, {a.period, *std::move(preference)});
  if (!b.ok()) return Report(b.status(), std::cerr);
  // --check: a closure beyond the error tolerance fails the command (for pipelines).
  const int done = a.check && b->Status() == ClosureStatus::kError ? kExitCheckFailed : kExitOk;
  if (a.format == Format::kJson) {
    std::cout << b->ToJson() << "\n";
    return done;
  }
  if (a.format == Format::kCsv) {
    auto csv = b->ToCsv(a.basis);
    if (!csv.ok()) return Report(csv.status(), std::cerr);
    std::cout << *csv;
    return done;
  }
  // The table: rows = links and end-use systems, columns = carriers (+ total).
  auto table = b->ToCsv(a.basis);  // validates the basis
  if (!table.ok()) return Report(table.status(), std::cerr);
  const bool physical = a.basis == "physical";
  std::cout << b->enterprise_name << " — energy balance " << b->period << " (GB/T 3484; standard coal per GB/T 2589, "
            << (b->convention == ElectricityConvention::kEquivalent ? "等价值" : "当量值") << ")\n"
            << "basis " << a.basis << (physical ? " (each carrier in its own unit)" : "") << "; values rounded to "
            << a.decimals << " decimals for display only\n\n";
  std::printf("%-18s", "");
  for (const auto& c : b->columns) std::printf(" %16s", c.carrier.c_str());
  if (!physical) std::printf(" %16s", "total");
  std::printf("\n");
  if (physical) {
    std::printf("%-18s", "unit");
    for (const auto& c : b->columns) std::printf(" %16s", c.unit.c_str());
    std::printf("\n");
  }
  for (std::size_t r = 0; r < kBalanceRowCount; ++r) {
    const auto row = static_cast<BalanceRow>(r);
    std::printf("%-18s", std::string(BalanceRowName(row)).c_str());
    for (const auto& c : b->columns) std::printf(" %16s", Fixed(*b->Cell(row, c.carrier, a.basis), a.decimals).c_str());
    if (!physical) std::printf(" %16s", Fixed(*b->Cell(row, "total", a.basis), a.decimals).c_str());
    std::printf("\n");
  }
  std::cout << "\nclosure (tolerance " << b->warning_pct << " % warning, " << b->error_pct << " % error):\n";
  for (const auto& c : b->closures) {
    std::printf("  %-8s %-16s %-15s %14s %-9s %9s\n", std::string(ClosureStatusName(c.status)).c_str(),
                c.subject.c_str(), c.link.c_str(), Fixed(c.imbalance, a.decimals).c_str(), c.unit.c_str(),
                c.relative ? (Fixed(*c.relative * 100, 2) + " %").c_str() : "no supply");
  }
  std::cout << "\n综合能耗 comprehensive energy consumption: " << Fixed(b->ComprehensiveTce(), a.decimals) << " tce ("
            << ElectricityConventionName(b->convention) << ", feedstock " << FeedstockRuleName(b->feedstock) << ")\n";
  for (const auto& p : b->products) {
    std::cout << "  per " << p.unit << " of " << p.product << ": " << Fixed(p.kgce_per_unit, a.decimals) << " kgce\n";
  }
  if (b->tce_per_10k_cny) std::cout << "  per 10^4 CNY output value: " << Fixed(*b->tce_per_10k_cny, 4) << " tce\n";
  if (!b->converters.empty()) {
    std::cout << "conversion efficiency: " << Fixed(b->conversion_efficiency * 100, 2) << " %";
    for (const auto& c : b->converters) std::cout << "; " << c.id << " " << Fixed(c.efficiency * 100, 2) << " %";
    std::cout << "\n";
  }
  if (!b->notes.empty()) {
    std::cout << "\nnotes:\n";
    for (const auto& n : b->notes) std::cout << "  - " << n << "\n";
  }
  return done;
}

}  // namespace

void AddEnergyCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("energy",
                                 "Compute an enterprise energy balance (GB/T 3484, GB/T 2589) from a "
                                 "carbonmrv.enterprise/1 document");
  cmd->add_option("FILE", args->file, "enterprise JSON, or - for standard input")->required();
  cmd->add_option("--period", args->period, "the balance's period when the document has several");
  cmd->add_option("--format", args->format, "table|json|csv")
      ->transform(CLI::CheckedTransformer(FormatNames(), CLI::ignore_case));
  cmd->add_option("--basis", args->basis, "tce|tce_calorific|tce_equivalent|GJ|physical")->capture_default_str();
  auto* prefer = cmd->add_option("--prefer", args->prefer, "coefficient datasets and @class tokens, comma-separated");
  cmd->add_option("--policy", args->policy, "default|china|epa|ipcc")->excludes(prefer);
  cmd->add_option("--load", args->load, "also load this factor dataset CSV (repeatable)");
  cmd->add_option("--decimals", args->decimals, "decimals shown in the table")
      ->check(WholeNumber())
      ->check(CLI::Range(0, 12));
  cmd->add_flag("--check", args->check, "exit 3 when a closure gap exceeds the error tolerance");
  cmd->callback([args, exit_code] { *exit_code = Run(*args); });
}

}  // namespace cmrv::cli
