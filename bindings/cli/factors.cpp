// `carbonmrv factors list|show|lookup|carriers`.
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "carbonmrv/factors/factors.hpp"
#include "carbonmrv/status.hpp"
#include "cli.hpp"

namespace cmrv::cli {
namespace {

struct Args {
  std::vector<std::string> load;
  Format format = Format::kText;
  std::string dataset, carrier, parameter, gas, region, prefer, policy, sector;
  int year = 0;
  bool explain = false;
};

// The built-in catalogue plus every --load file; errors name the file, line and column.
absl::StatusOr<FactorCatalogue> OpenCatalogue(const Args& a) {
  auto c = FactorCatalogue::Builtin();
  if (!c.ok()) return c.status();
  for (const auto& path : a.load) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      return MakeError(absl::StatusCode::kNotFound, ErrorDetail::kInvalidDataset,
                       "cannot read dataset file \"" + path + "\"");
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (auto st = c->LoadDataset(text.str(), path); !st.ok()) return st;
  }
  return c;
}

int RunList(const Args& a) {
  auto c = OpenCatalogue(a);
  if (!c.ok()) return Report(c.status(), std::cerr);
  if (a.format == Format::kJson) {
    std::cout << nlohmann::json::parse(ToJson(c->datasets())).dump(1) << "\n";
    return kExitOk;
  }
  if (a.format == Format::kCsv) std::cout << "id,class,records,sha256,title,document\n";
  for (const auto& d : c->datasets()) {
    if (a.format == Format::kCsv) {
      std::cout << CsvField(d.id) << "," << DatasetClassName(d.dataset_class) << "," << d.record_count << ","
                << d.sha256 << "," << CsvField(d.title) << "," << CsvField(d.document) << "\n";
    } else {
      std::cout << d.id << "\t" << DatasetClassName(d.dataset_class) << "\t" << d.record_count << " values\t"
                << d.sha256.substr(0, 12) << "\t" << d.title << "\n";
    }
  }
  return kExitOk;
}

int RunShow(const Args& a) {
  auto c = OpenCatalogue(a);
  if (!c.ok()) return Report(c.status(), std::cerr);
  const DatasetInfo* d = c->FindDataset(a.dataset);
  if (d == nullptr) {
    return Report(MakeError(absl::StatusCode::kNotFound, ErrorDetail::kFactorNotFound,
                            "no dataset \"" + a.dataset + "\"; see `carbonmrv factors list`"),
                  std::cerr);
  }
  auto records = c->Records(a.dataset);
  if (a.format == Format::kJson) {
    nlohmann::json j = nlohmann::json::parse(ToJson(*d));
    j["records"] = nlohmann::json::parse(ToJson(records));
    std::cout << j.dump(1) << "\n";
    return kExitOk;
  }
  if (a.format == Format::kText) {
    std::cout << d->id << " — " << d->title << "\n"
              << d->document << "\nclass " << DatasetClassName(d->dataset_class) << ", sha256 " << d->sha256 << "\n\n";
  }
  std::cout << "carrier,parameter,gas,value,unit,region,year_from,source_table,source_row,confidence\n";
  for (const auto& r : records) {
    std::cout << r.carrier << "," << r.parameter << "," << r.gas << "," << FormatNumber(r.value) << ","
              << CsvField(r.unit) << "," << r.region << "," << (r.year_from ? std::to_string(*r.year_from) : "") << ","
              << CsvField(r.source_table) << "," << CsvField(r.source_row) << "," << r.confidence << "\n";
  }
  return kExitOk;
}

int RunLookup(const Args& a) {
  auto c = OpenCatalogue(a);
  if (!c.ok()) return Report(c.status(), std::cerr);
  FactorQuery q{a.carrier, a.parameter, a.gas, a.region, std::nullopt, {}, a.sector};
  if (a.year != 0) q.year = a.year;
  auto preference = ParsePreference(a.policy.empty() ? a.prefer : "policy:" + a.policy);
  if (!preference.ok()) return Report(preference.status(), std::cerr);
  q.preference = *std::move(preference);
  auto s = c->Lookup(q);
  if (!s.ok()) return Report(s.status(), std::cerr);
  if (a.format == Format::kJson) {
    std::cout << nlohmann::json::parse(s->ToJson()).dump(1) << "\n";
  } else {
    std::cout << s->Explain(a.explain ? std::numeric_limits<std::size_t>::max() : 3) << "\n";
  }
  return kExitOk;
}

int RunCarriers(const Args& a) {
  const auto& carriers = CarrierCatalogue::Builtin().carriers();
  if (a.format == Format::kJson) {
    std::cout << nlohmann::json::parse(ToJson(carriers)).dump(1) << "\n";
    return kExitOk;
  }
  const char sep = a.format == Format::kCsv ? ',' : '\t';
  if (a.format == Format::kCsv) std::cout << "id,name_en,name_zh,class,default_unit\n";
  for (const auto& c : carriers) {
    std::cout << CsvField(c.id) << sep << CsvField(c.name_en) << sep << c.name_zh << sep << c.carrier_class << sep
              << c.default_unit << "\n";
  }
  return kExitOk;
}

}  // namespace

void AddFactorsCommand(CLI::App& app, int* exit_code) {
  auto* factors = app.add_subcommand("factors", "Emission-factor datasets: list, show, lookup with explanation");
  factors->require_subcommand(1);
  auto args = std::make_shared<Args>();
  auto common = [&](CLI::App* sub, bool formats_csv) {
    sub->add_option("--load", args->load, "also load this dataset CSV (repeatable)");
    sub->add_option("--format", args->format, formats_csv ? "text|json|csv" : "text|json")
        ->transform(CLI::CheckedTransformer(FormatNames(), CLI::ignore_case));
  };
  auto* list = factors->add_subcommand("list", "List datasets with class, size and SHA-256");
  common(list, true);
  list->callback([args, exit_code] { *exit_code = RunList(*args); });

  auto* show = factors->add_subcommand("show", "Show the values of one dataset");
  show->add_option("DATASET", args->dataset)->required();
  common(show, true);
  show->callback([args, exit_code] { *exit_code = RunShow(*args); });

  auto* lookup = factors->add_subcommand("lookup", "Select a value and explain why");
  lookup->add_option("CARRIER", args->carrier, "carrier id or name (\"\" for GWP)")->required();
  lookup
      ->add_option("PARAMETER", args->parameter,
                   "ncv|hhv|carbon_content|oxidation|ef|ef_per_unit|gwp100|coal_equivalent")
      ->required();
  lookup->add_option("--gas", args->gas, "co2|ch4|n2o|ch4_fossil|ch4_non_fossil");
  lookup->add_option("--region", args->region, "e.g. CN, CN-11, US");
  lookup->add_option("--year", args->year, "reporting year")->check(WholeNumber());
  auto* prefer = lookup->add_option("--prefer", args->prefer, "comma-separated dataset ids and @class tokens");
  lookup->add_option("--policy", args->policy, "default|china|cn_ets|epa|ipcc")->excludes(prefer);
  lookup->add_option("--sector", args->sector,
                     "stationary-combustion sector for IPCC Tables 2.2-2.5: energy_industries, "
                     "manufacturing_construction, commercial_institutional, residential_agriculture");
  lookup->add_flag("--explain", args->explain, "every candidate considered and why (text form)");
  common(lookup, false);
  lookup->callback([args, exit_code] { *exit_code = RunLookup(*args); });

  auto* carriers = factors->add_subcommand("carriers", "List the carrier catalogue");
  carriers->add_option("--format", args->format, "text|json|csv")
      ->transform(CLI::CheckedTransformer(FormatNames(), CLI::ignore_case));
  carriers->callback([args, exit_code] { *exit_code = RunCarriers(*args); });
}

}  // namespace cmrv::cli
