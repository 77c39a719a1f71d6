// Shared pieces of the carbonmrv command-line tool.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "carbonmrv/enterprise/enterprise.hpp"
#include "carbonmrv/factors/factors.hpp"
#include "carbonmrv/market/allocation.hpp"

namespace CLI {
class App;
class Validator;
}  // namespace CLI

namespace cmrv::cli {

/// Exit codes (docs/cli.md). Stable: scripts depend on them.
enum ExitCode : int {
  kExitOk = 0,
  kExitInputError = 1,   ///< the input (a unit, a value, a document) is invalid; message on stderr
  kExitUsage = 2,        ///< the command line itself is wrong
  kExitCheckFailed = 3,  ///< the computation succeeded but a requested check failed (energy --check, verify with an
                         ///< error-level finding)
  kExitInternal = 70,    ///< a bug (EX_SOFTWARE)
};

/// Output formats shared by every subcommand that prints data.
enum class Format { kText, kJson, kCsv };

/// Names accepted by --format.
const std::map<std::string, Format>& FormatNames();

/// Quotes a CSV field when needed (RFC 4180).
std::string CsvField(std::string_view s);

/// Prints "carbonmrv: <message>" to stderr and returns the exit code for the status.
int Report(const absl::Status& status, std::ostream& err);

/// A plain decimal number ("12", "-0.5", "1e3"): CLI11 alone took "" as 0 and "0x10" as 16.
std::optional<double> ParseDecimal(std::string_view text);
/// Validator for whole-number options (--year, --decimals): a usage error otherwise.
const CLI::Validator& WholeNumber();

/// Shortest round-trip decimal representation of a double.
std::string FormatNumber(double v);

/// Shown values only: fixed decimals (printf rounding); computed values are never rounded.
std::string Fixed(double v, int decimals);

/// A file's content, or standard input for "-".
absl::StatusOr<std::string> ReadInput(const std::string& file);

/// `--progress auto|on|off`: auto shows progress when standard error is a terminal.
const std::vector<std::string>& ProgressModes();
/// A progress callback that redraws "<what>: done/total" on standard error, or none (mode off, or auto
/// without a terminal). Never cancels.
std::function<bool(std::uint64_t, std::uint64_t)> TerminalProgress(const std::string& what, const std::string& mode);

/// An enterprise document (validated; errors prefixed with the file name) and the built-in factor
/// catalogue plus the dataset files in `loads`.
struct Input {
  Enterprise enterprise;
  FactorCatalogue catalogue;
};
/// `threads`: Enterprise::FromJson's (0: all cores).
absl::StatusOr<Input> LoadInput(const std::string& file, const std::vector<std::string>& loads, unsigned threads = 0);

/// Registers `carbonmrv units ...`; `*exit_code` receives the result when it runs.
void AddUnitsCommand(CLI::App& app, int* exit_code);
/// Registers `carbonmrv factors ...`.
void AddFactorsCommand(CLI::App& app, int* exit_code);
/// Registers `carbonmrv inventory FILE`.
void AddInventoryCommand(CLI::App& app, int* exit_code);
/// Registers `carbonmrv energy FILE`.
void AddEnergyCommand(CLI::App& app, int* exit_code);
/// Registers `carbonmrv verify FILE`.
void AddVerifyCommand(CLI::App& app, int* exit_code);
/// Registers `carbonmrv audit FILE`.
void AddAuditCommand(CLI::App& app, int* exit_code);
/// Registers `carbonmrv allocate FILE`.
void AddAllocateCommand(CLI::App& app, int* exit_code);
/// Registers `carbonmrv registry …`.
void AddRegistryCommand(CLI::App& app, int* exit_code);
/// A built-in allocation rule set by id, or a rule-set file (errors prefixed with the file).
absl::StatusOr<AllocationRules> LoadAllocationRules(const std::string& rules);
/// Registers `carbonmrv order-book EVENTS.csv`.
void AddOrderBookCommand(CLI::App& app, int* exit_code);
/// Registers `carbonmrv did PANEL.csv`.
void AddDidCommand(CLI::App& app, int* exit_code);
/// Registers `carbonmrv auction BIDS.csv`.
void AddAuctionCommand(CLI::App& app, int* exit_code);
/// Registers `carbonmrv region REQUEST.json`.
void AddRegionCommand(CLI::App& app, int* exit_code);
/// Registers `carbonmrv report FILE` (runs the Python package's report).
void AddReportCommand(CLI::App& app, int* exit_code);

}  // namespace cmrv::cli
