// carbonmrv — command-line front end to the C++ core.
#include <CLI/CLI.hpp>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include <unistd.h>

#include "carbonmrv/status.hpp"
#include "cli.hpp"

namespace cmrv::cli {

int Report(const absl::Status& status, std::ostream& err) {
  err << "carbonmrv: " << status.message() << "\n";
  if (status.code() == absl::StatusCode::kInternal) return kExitInternal;
  return kExitInputError;
}

const std::map<std::string, Format>& FormatNames() {
  static const std::map<std::string, Format> names = {
      {"text", Format::kText}, {"table", Format::kText}, {"json", Format::kJson}, {"csv", Format::kCsv}};
  return names;
}

std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::optional<double> ParseDecimal(std::string_view text) {
  std::string_view t = text;
  if (!t.empty() && t.front() == '+') t.remove_prefix(1);
  if (t.empty() || !(std::isdigit(static_cast<unsigned char>(t.front())) || t.front() == '-' || t.front() == '.')) {
    return std::nullopt;  // no "", " 1", "inf", "nan"
  }
  double v = 0;
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v, std::chars_format::general);  // never hex
  if (ec != std::errc() || ptr != t.data() + t.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

const CLI::Validator& WholeNumber() {
  static const CLI::Validator v(
      [](std::string& s) -> std::string {
        auto d = ParseDecimal(s);
        return d && *d == std::floor(*d) && s.find_first_of(".eE") == std::string::npos
                   ? ""
                   : "\"" + s + "\" is not a whole decimal number";
      },
      "INT");
  return v;
}

std::string FormatNumber(double v) {
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

std::string Fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

const std::vector<std::string>& ProgressModes() {
  static const std::vector<std::string> modes = {"auto", "on", "off"};
  return modes;
}

std::function<bool(std::uint64_t, std::uint64_t)> TerminalProgress(const std::string& what, const std::string& mode) {
  if (mode == "off" || (mode == "auto" && ::isatty(STDERR_FILENO) == 0)) return nullptr;
  return [what](std::uint64_t done, std::uint64_t total) {
    std::cerr << "\r" << what << ": " << done << "/" << total << (done == total ? "\n" : "") << std::flush;
    return true;
  };
}

absl::StatusOr<std::string> ReadInput(const std::string& file) {
  std::stringstream ss;
  if (file == "-") {
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return MakeError(absl::StatusCode::kNotFound, ErrorDetail::kInvalidDocument, "cannot read \"" + file + "\"");
  ss << in.rdbuf();
  return ss.str();
}

absl::StatusOr<Input> LoadInput(const std::string& file, const std::vector<std::string>& loads, unsigned threads) {
  auto text = ReadInput(file);
  if (!text.ok()) return text.status();
  auto enterprise = Enterprise::FromJson(*text, threads);
  if (!enterprise.ok()) return WithContext(enterprise.status(), file);
  auto catalogue = FactorCatalogue::Builtin();
  if (!catalogue.ok()) return catalogue.status();
  for (const auto& path : loads) {
    auto data = ReadInput(path);
    if (!data.ok()) return data.status();
    if (auto st = catalogue->LoadDataset(*data, path); !st.ok()) return st;
  }
  return Input{*std::move(enterprise), *std::move(catalogue)};
}

}  // namespace cmrv::cli

int main(int argc, char** argv) {
  CLI::App app{
      "carbonmrv — industrial carbon accounting (units, factors, inventories, energy "
      "balance, cross-verification)",
      "carbonmrv"};
  app.set_version_flag("--version", std::string("carbonmrv ") + CMRV_CLI_VERSION);
  app.require_subcommand(1);
  int exit_code = cmrv::cli::kExitOk;
  cmrv::cli::AddUnitsCommand(app, &exit_code);
  cmrv::cli::AddFactorsCommand(app, &exit_code);
  cmrv::cli::AddInventoryCommand(app, &exit_code);
  cmrv::cli::AddEnergyCommand(app, &exit_code);
  cmrv::cli::AddVerifyCommand(app, &exit_code);
  cmrv::cli::AddAuditCommand(app, &exit_code);
  cmrv::cli::AddAllocateCommand(app, &exit_code);
  cmrv::cli::AddAuctionCommand(app, &exit_code);
  cmrv::cli::AddOrderBookCommand(app, &exit_code);
  cmrv::cli::AddDidCommand(app, &exit_code);
  cmrv::cli::AddRegistryCommand(app, &exit_code);
  cmrv::cli::AddRegionCommand(app, &exit_code);
  cmrv::cli::AddReportCommand(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    // CLI11 returns 0 for --help/--version; any real parse error becomes our usage code.
    return code == 0 ? cmrv::cli::kExitOk : cmrv::cli::kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "carbonmrv: internal error: " << e.what() << "\n";
    return cmrv::cli::kExitInternal;
  }
  return exit_code;
}
