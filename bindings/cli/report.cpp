// `carbonmrv report FILE [--format html|csv|xlsx] [--lang zh|en] [--template ghg_protocol|national] [-o OUT]`:
// the enterprise report. The
// page's charts and the workbook come from matplotlib and openpyxl, so this command runs the Python
// package's `python3 -m carbonmrv report` (carbonmrv/__main__.py) with the same arguments, using the
// interpreter the project was built with; in a build tree the package there comes first on PYTHONPATH.
#include <sys/stat.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "cli.hpp"

namespace cmrv::cli {
namespace {

struct ReportArgs {
  std::string file, format = "html", lang = "zh", template_name = "ghg_protocol", output;
};

int Run(const ReportArgs& a) {
  std::vector<std::string> argv = {
      CMRV_PYTHON_EXECUTABLE, "-m",           "carbonmrv", "report", a.file, "--format", a.format, "--lang", a.lang,
      "--template",           a.template_name};
  if (!a.output.empty()) {
    argv.emplace_back("--output");
    argv.push_back(a.output);
  }
  struct stat st {};
  if (::stat(CMRV_BUILD_PYTHONPATH "/carbonmrv/__init__.py", &st) == 0) {
    const char* old = std::getenv("PYTHONPATH");
    const std::string path = std::string(CMRV_BUILD_PYTHONPATH) + (old && *old ? std::string(":") + old : "");
    ::setenv("PYTHONPATH", path.c_str(), 1);
  }
  std::vector<char*> cargv;
  cargv.reserve(argv.size() + 1);
  for (auto& s : argv) cargv.push_back(s.data());
  cargv.push_back(nullptr);
  ::execv(cargv[0], cargv.data());
  std::cerr << "carbonmrv: report: cannot run " << CMRV_PYTHON_EXECUTABLE << ": " << std::strerror(errno) << "\n";
  return kExitInputError;
}

}  // namespace

void AddReportCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ReportArgs>();
  auto* cmd = app.add_subcommand("report",
                                 "The enterprise report: an HTML page (charts, trace), the GHG Protocol "
                                 "summary as CSV, or an Excel workbook (runs python3 -m carbonmrv)");
  cmd->add_option("file", args->file, "enterprise document (JSON)")->required();
  cmd->add_option("--format", args->format, "html|csv|xlsx")->check(CLI::IsMember({"html", "csv", "xlsx"}));
  cmd->add_option("--lang", args->lang, "zh|en")->check(CLI::IsMember({"zh", "en"}));
  cmd->add_option("--template", args->template_name,
                  "csv: ghg_protocol (the GHG Protocol summary) or national (the four report tables)")
      ->check(CLI::IsMember({"ghg_protocol", "national"}));
  cmd->add_option("-o,--output", args->output, "file to write (default: FILE's name with the format's suffix)");
  cmd->callback([args, exit_code] { *exit_code = Run(*args); });
}

}  // namespace cmrv::cli
