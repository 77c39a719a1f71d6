// `carbonmrv allocate FILE --rules ID|RULES.json [--year Y] [--holdings HOLDINGS.csv] [--net-sold N]
//  [--load DATASET.csv]... [--format table|json|csv]`: free allocation of an enterprise document's
//  facilities and, when their verified emissions are known, the compliance position.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "carbonmrv/market/allocation.hpp"
#include "carbonmrv/market/compliance.hpp"
#include "carbonmrv/status.hpp"
#include "cli.hpp"

namespace cmrv::cli {
namespace {

struct Args {
  std::string file, rules, holdings, net_sold;
  int year = 0;
  std::vector<std::string> loads;
  Format format = Format::kText;
};

void PrintText(const AllocationResult& a, const std::optional<ComplianceResult>& c) {
  std::cout << "allocation " << a.rules_id << " " << a.year << ": " << a.enterprise << "\n  " << a.rules_name << "\n";
  std::printf("  %-14s %-20s %-6s %16s %16s %16s %16s\n", "facility", "category", "fuel", "allocation_t", "pre_alloc_t",
              "true_up_t", "verified_t");
  auto opt = [](const std::optional<double>& v) { return v ? Fixed(*v, 1) : std::string("-"); };
  for (const auto& f : a.facilities) {
    std::printf("  %-14s %-20s %-6s %16s %16s %16s %16s\n", f.facility.c_str(), f.category.c_str(),
                std::string(UnitFuelName(f.fuel)).c_str(), Fixed(f.allocation_t, 1).c_str(),
                opt(f.pre_allocation_t).c_str(), opt(f.true_up_t).c_str(), opt(f.verified_emissions_t).c_str());
  }
  std::printf("  %-14s %-20s %-6s %16s %16s %16s\n", "total", "", "", Fixed(a.total_t, 1).c_str(),
              opt(a.pre_allocation_t).c_str(), opt(a.true_up_t).c_str());
  for (const auto& f : a.facilities) {
    std::cout << "  trace " << f.facility << ":";
    for (const auto& s : f.trace) {
      std::cout << " " << s.name << "=" << FormatNumber(s.value) << (s.unit.empty() ? "" : " " + s.unit)
                << (s.from.confidence.empty() ? "" : " [" + s.from.confidence + "]") << ";";
    }
    std::cout << "\n";
  }
  for (const auto& n : a.notes) std::cout << "  note: " << n << "\n";
  if (!c) {
    std::cout << "compliance: not assessed (verified emissions of " << a.year << " not known for every facility)\n";
    return;
  }
  std::cout << "compliance " << c->year << ": emissions " << Fixed(c->emissions_t, 1) << " t, allocation "
            << Fixed(c->allocation_t, 1) << " t, allowances due " << Fixed(c->due_t, 1) << " t (shortfall-cap relief "
            << Fixed(c->cap_relief_t, 1) << ", gas-unit relief " << Fixed(c->exempt_relief_t, 1) << ")\n"
            << "  offsets usable up to " << Fixed(c->offset_limit_t, 1) << " t; surrendered "
            << Fixed(c->surrendered_t, 1) << " t; shortfall " << Fixed(c->shortfall_t, 1) << " t; surplus "
            << Fixed(c->surplus_t, 1) << " t\n";
  if (c->borrowing_available_t) std::cout << "  may borrow " << Fixed(*c->borrowing_available_t, 1) << " t\n";
  if (c->carry_over_cap_t) std::cout << "  carry-over cap " << Fixed(*c->carry_over_cap_t, 1) << " t\n";
  for (const auto& l : c->surrender) {
    std::printf("  %-9s %4d held %14s eligible %14s surrendered %14s %s\n",
                std::string(HoldingKindName(l.kind)).c_str(), l.vintage, Fixed(l.held_t, 1).c_str(),
                Fixed(l.eligible_t, 1).c_str(), Fixed(l.surrendered_t, 1).c_str(), l.reason.c_str());
  }
  for (const auto& n : c->notes) std::cout << "  note: " << n << "\n";
}

int Run(const Args& a) {
  auto in = LoadInput(a.file, a.loads);
  if (!in.ok()) return Report(in.status(), std::cerr);
  auto rules = LoadAllocationRules(a.rules);
  if (!rules.ok()) return Report(rules.status(), std::cerr);
  AllocateOptions o;
  o.year = a.year;
  auto alloc = Allocate(in->enterprise, in->catalogue, *rules, o);
  if (!alloc.ok()) return Report(WithContext(alloc.status(), a.file), std::cerr);
  std::vector<Holding> holdings;
  if (!a.holdings.empty()) {
    auto text = ReadInput(a.holdings);
    if (!text.ok()) return Report(text.status(), std::cerr);
    auto h = ReadHoldingsCsv(*text, a.holdings);
    if (!h.ok()) return Report(h.status(), std::cerr);
    holdings = *std::move(h);
  }
  ComplianceOptions co;
  if (!a.net_sold.empty()) {
    auto v = ParseDecimal(a.net_sold);
    if (!v) {
      return Report(MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                              "--net-sold \"" + a.net_sold + "\" is not a number"),
                    std::cerr);
    }
    co.net_sold_t = *v;
  }
  const bool known = std::all_of(alloc->facilities.begin(), alloc->facilities.end(),
                                 [](const FacilityAllocation& f) { return f.verified_emissions_t.has_value(); });
  std::optional<ComplianceResult> comp;
  if (known) {
    auto c = AssessCompliance(*alloc, *rules, holdings, co);
    if (!c.ok()) return Report(c.status(), std::cerr);
    comp = *std::move(c);
  } else if (!a.holdings.empty()) {
    return Report(MakeError(absl::StatusCode::kFailedPrecondition, ErrorDetail::kMissingParameter,
                            "--holdings: the verified emissions of " + std::to_string(alloc->year) +
                                " are not known for every facility (state allocation.years[].verified_emissions)"),
                  std::cerr);
  }
  if (a.format == Format::kJson) {
    std::cout << "{\"allocation\": " << alloc->ToJson() << ",\n\"compliance\": " << (comp ? comp->ToJson() : "null")
              << "}\n";
  } else if (a.format == Format::kCsv) {
    std::cout << alloc->ToCsv();
  } else {
    PrintText(*alloc, comp);
  }
  return kExitOk;
}

}  // namespace

absl::StatusOr<AllocationRules> LoadAllocationRules(const std::string& rules) {
  if (!std::filesystem::exists(rules)) return AllocationRules::Builtin(rules);
  auto text = ReadInput(rules);
  if (!text.ok()) return text.status();
  auto r = AllocationRules::FromJson(*text);
  if (!r.ok()) return WithContext(r.status(), rules);
  return r;
}

void AddAllocateCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("allocate", "Free allowance allocation and compliance position of an enterprise");
  cmd->add_option("FILE", args->file, "enterprise document (carbonmrv.enterprise/2 with facilities[].allocation)")
      ->required();
  cmd->add_option("--rules", args->rules,
                  "a built-in rule set (cn_power_2019_2020, cn_power_2021_2022, cn_power_2023_2024, "
                  "cn_industry_2024, eu_far_2021_2025) or a rule-set file")
      ->required();
  cmd->add_option("--year", args->year, "allocation year (default: the document's reporting year)")
      ->check(WholeNumber());
  cmd->add_option("--holdings", args->holdings, "CSV with kind (allowance|ccer), vintage, quantity");
  cmd->add_option("--net-sold", args->net_sold, "net allowances sold (t), for a carry-over cap");
  cmd->add_option("--load", args->loads, "extra factor dataset CSV (repeatable)");
  cmd->add_option("--format", args->format, "table|json|csv")
      ->transform(CLI::CheckedTransformer(FormatNames(), CLI::ignore_case));
  cmd->callback([args, exit_code] { *exit_code = Run(*args); });
}

}  // namespace cmrv::cli
