// Shared pieces of the carbonmrv command-line tool.
#pragma once

#include <iosfwd>
#include <map>
#include <string>

#include "absl/status/status.h"

namespace CLI {
class App;
}

namespace cmrv::cli {

/// Exit codes (docs/cli.md). Stable: scripts depend on them.
enum ExitCode : int {
  kExitOk = 0,
  kExitInputError = 1,  ///< the input (a unit, a value, a document) is invalid; message on stderr
  kExitUsage = 2,       ///< the command line itself is wrong
  kExitInternal = 70,   ///< a bug (EX_SOFTWARE)
};

/// Output formats shared by every subcommand that prints data.
enum class Format { kText, kJson, kCsv };

/// Names accepted by --format.
const std::map<std::string, Format>& FormatNames();

/// Quotes a CSV field when needed (RFC 4180).
std::string CsvField(const std::string& s);

/// Prints "carbonmrv: <message>" to stderr and returns the exit code for the status.
int Report(const absl::Status& status, std::ostream& err);

/// Shortest round-trip decimal representation of a double.
std::string FormatNumber(double v);

/// Registers `carbonmrv units ...`; `*exit_code` receives the result when it runs.
void AddUnitsCommand(CLI::App& app, int* exit_code);
/// Registers `carbonmrv factors ...`.
void AddFactorsCommand(CLI::App& app, int* exit_code);
/// Registers `carbonmrv inventory FILE`.
void AddInventoryCommand(CLI::App& app, int* exit_code);

}  // namespace cmrv::cli
