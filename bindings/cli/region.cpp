// `carbonmrv region REQUEST.json|- [--format table|json]`: the IPCC reference approach against the
// sum of a region's enterprise inventories, by fuel (region/region.hpp).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

#include "carbonmrv/region/region.hpp"
#include "carbonmrv/status.hpp"
#include "cli.hpp"

namespace cmrv::cli {
namespace {

struct RegionArgs {
  std::string file;
  Format format = Format::kText;
};

int RunRegion(const RegionArgs& a) {
  auto text = ReadInput(a.file);
  if (!text.ok()) return Report(text.status(), std::cerr);
  auto catalogue = FactorCatalogue::Builtin();
  if (!catalogue.ok()) return Report(catalogue.status(), std::cerr);
  auto r = CompareRegionJson(*text, *catalogue);
  if (!r.ok()) return Report(WithContext(r.status(), a.file), std::cerr);
  if (a.format != Format::kText) {
    std::cout << r->ToJson() << "\n";
    return kExitOk;
  }
  std::cout << "region " << r->region << " " << r->year
            << ": IPCC reference approach vs the sum of enterprise inventories (tCO2, CO2/C "
            << Co2PerCarbonName(r->co2_per_carbon) << ")\n\n";
  std::printf("%-22s %16s %16s %16s %9s\n", "fuel", "reference", "sectoral", "difference", "");
  for (const auto& f : r->fuels) {
    std::printf("%-22s %16s %16s %16s %9s  %s\n", f.carrier.c_str(), Fixed(f.reference_t, 1).c_str(),
                Fixed(f.sectoral_t, 1).c_str(), Fixed(f.difference_t, 1).c_str(),
                f.relative ? (Fixed(*f.relative * 100, 2) + " %").c_str() : "", f.note.c_str());
  }
  std::printf("%-22s %16s %16s %16s\n", "total", Fixed(r->reference_t, 1).c_str(), Fixed(r->sectoral_t, 1).c_str(),
              Fixed(r->reference_t - r->sectoral_t, 1).c_str());
  return kExitOk;
}

}  // namespace

void AddRegionCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<RegionArgs>();
  auto* cmd = app.add_subcommand("region",
                                 "Compare a region's reference approach (apparent consumption) with the "
                                 "sum of its enterprise inventories, by fuel");
  cmd->add_option("FILE", args->file, "carbonmrv.region/1 request JSON, or - for standard input")->required();
  cmd->add_option("--format", args->format, "table|json")
      ->transform(CLI::CheckedTransformer(FormatNames(), CLI::ignore_case));
  cmd->callback([args, exit_code] { *exit_code = RunRegion(*args); });
}

}  // namespace cmrv::cli
