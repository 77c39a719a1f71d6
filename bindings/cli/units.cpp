// `carbonmrv units convert|info|list`.
#include <CLI/CLI.hpp>

#include <iostream>
#include <nlohmann/json.hpp>

#include "carbonmrv/status.hpp"
#include "carbonmrv/units/units.hpp"
#include "cli.hpp"

namespace cmrv::cli {
namespace {

int RunConvert(const std::string& text, const std::string& from, const std::string& to, Format format) {
  // Parsed here rather than by CLI11, which took "" as 0 and "0x10" as 16; a bad VALUE is an input
  // error (exit 1) like a bad unit.
  const std::optional<double> parsed = ParseDecimal(text);
  if (!parsed) {
    return Report(MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kNonFiniteValue,
                            "VALUE \"" + text + "\" is not a finite decimal number (e.g. 12, -0.5, 1e3)"),
                  std::cerr);
  }
  const double value = *parsed;
  auto f = Unit::Parse(from);
  if (!f.ok()) return Report(WithContext(f.status(), "FROM"), std::cerr);
  auto t = Unit::Parse(to);
  if (!t.ok()) return Report(WithContext(t.status(), "TO"), std::cerr);
  auto result = Convert(value, *f, *t);
  if (!result.ok()) return Report(result.status(), std::cerr);
  if (format == Format::kJson) {
    nlohmann::json j = {{"value", value},
                        {"from", f->symbol()},
                        {"to", t->symbol()},
                        {"result", *result},
                        {"kind", t->kind().Describe()}};
    std::cout << j.dump() << "\n";
  } else if (format == Format::kCsv) {
    std::cout << "value,from,result,to\n"
              << FormatNumber(value) << "," << CsvField(f->symbol()) << "," << FormatNumber(*result) << ","
              << CsvField(t->symbol()) << "\n";
  } else {
    std::cout << FormatNumber(value) << " " << f->symbol() << " = " << FormatNumber(*result) << " " << t->symbol()
              << "\n";
  }
  return kExitOk;
}

int RunInfo(const std::string& text, Format format) {
  auto u = Unit::Parse(text);
  if (!u.ok()) return Report(u.status(), std::cerr);
  if (format == Format::kJson) {
    nlohmann::json j = {
        {"input", text}, {"symbol", u->symbol()}, {"kind", u->kind().Describe()}, {"base_units_per_unit", u->scale()}};
    std::cout << j.dump() << "\n";
  } else {
    std::cout << "symbol: " << u->symbol() << "\nkind:   " << u->kind().Describe()
              << "\nscale:  " << FormatNumber(u->scale()) << " base units per unit\n";
  }
  return kExitOk;
}

int RunList(Format format) {
  const auto& units = ListUnits();
  if (format == Format::kJson) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& u : units) {
      arr.push_back({{"symbol", u.symbol},
                     {"aliases", u.aliases},
                     {"kind", u.kind},
                     {"base_units_per_unit", u.scale},
                     {"definition", u.definition},
                     {"source", u.source}});
    }
    std::cout << arr.dump(1) << "\n";
    return kExitOk;
  }
  if (format == Format::kCsv) std::cout << "symbol,aliases,kind,base_units_per_unit,definition,source\n";
  for (const auto& u : units) {
    std::string aliases;
    for (const auto& a : u.aliases) aliases += (aliases.empty() ? "" : " ") + a;
    if (format == Format::kCsv) {
      std::cout << CsvField(u.symbol) << "," << CsvField(aliases) << "," << CsvField(u.kind) << ","
                << FormatNumber(u.scale) << "," << CsvField(u.definition) << "," << CsvField(u.source) << "\n";
    } else {
      std::cout << u.symbol << "\t" << u.kind << "\t" << u.definition << "\t[" << aliases << "]\n";
    }
  }
  if (format == Format::kText) {
    std::cout << "\nMass units also take a suffix:";
    for (const auto& [spelling, axis] : ListMassSuffixes()) std::cout << " " << spelling;
    std::cout << "\n";
  }
  return kExitOk;
}

}  // namespace

void AddUnitsCommand(CLI::App& app, int* exit_code) {
  auto* units = app.add_subcommand("units", "Parse, list and convert units");
  units->require_subcommand(1);

  struct Args {
    std::string value, from, to, unit;
    Format format = Format::kText;
  };
  auto args = std::make_shared<Args>();

  auto* convert = units->add_subcommand("convert", "Convert VALUE from one unit to another of the same kind");
  convert->add_option("VALUE", args->value, "finite decimal number")->required();
  convert->add_option("FROM", args->from, "unit of VALUE, e.g. tce, 万Nm3, tCO2/MWh")->required();
  convert->add_option("TO", args->to, "target unit")->required();
  convert->add_option("--format", args->format, "text|json|csv")
      ->transform(CLI::CheckedTransformer(FormatNames(), CLI::ignore_case));
  convert->callback([args, exit_code] { *exit_code = RunConvert(args->value, args->from, args->to, args->format); });

  auto* info = units->add_subcommand("info", "Show the canonical symbol and kind of UNIT");
  info->add_option("UNIT", args->unit)->required();
  info->add_option("--format", args->format, "text|json")
      ->transform(CLI::CheckedTransformer(FormatNames(), CLI::ignore_case));
  info->callback([args, exit_code] { *exit_code = RunInfo(args->unit, args->format); });

  auto* list = units->add_subcommand("list", "List every unit with its definition and source");
  list->add_option("--format", args->format, "text|json|csv")
      ->transform(CLI::CheckedTransformer(FormatNames(), CLI::ignore_case));
  list->callback([args, exit_code] { *exit_code = RunList(args->format); });
}

}  // namespace cmrv::cli
