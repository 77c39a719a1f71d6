// `carbonmrv verify FILE.json|- [--against reported.json] [--format table|json|csv] [--checks X01,X04]
//  [--tolerance X01=0.5:2] [--gwp AR5] [--co2-per-c 44/12] [--lang en|zh]`.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>

#include "carbonmrv/status.hpp"
#include "carbonmrv/verification/verification.hpp"
#include "carbonmrv/verification/verification_options.hpp"
#include "cli.hpp"

namespace cmrv::cli {
namespace {

struct Args {
  std::string file, against, previous, audit_baseline, checks, gwp = "AR5", co2_per_carbon = "44/12",
                                                               scope2 = "location", period, lang = "en";
  std::vector<std::string> tolerances, load;
  Format format = Format::kText;
};

absl::Status ParseTolerance(const std::string& text, VerifyOptions& o) {
  // "X01=0.5:2" → warning 0.5, error 2 (in the check's unit).
  const auto eq = text.find('='), colon = text.find(':');
  std::optional<double> w, e;
  if (eq != std::string::npos && colon != std::string::npos && colon > eq) {
    w = ParseDecimal(std::string_view(text).substr(eq + 1, colon - eq - 1));
    e = ParseDecimal(std::string_view(text).substr(colon + 1));
  }
  if (!w || !e || *w < 0 || *e < *w) {
    return MakeError(
        absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
        "--tolerance \"" + text + "\" is not CHECK=WARNING:ERROR with 0 ≤ WARNING ≤ ERROR (e.g. X01=0.5:2)");
  }
  return SetVerifyTolerance(o, std::string_view(text).substr(0, eq), *w, *e);
}

int Run(const Args& a) {
  auto input = LoadInput(a.file, a.load);
  if (!input.ok()) return Report(input.status(), std::cerr);
  const auto& [enterprise, catalogue] = *input;
  VerifyOptions o;
  if (auto st = SetVerifyOption(o, "checks", a.checks); !st.ok()) return Report(st, std::cerr);
  for (const auto& t : a.tolerances) {
    if (auto st = ParseTolerance(t, o); !st.ok()) return Report(st, std::cerr);
  }
  for (auto [key, value] : {std::pair<const char*, const std::string*>{"gwp_dataset", &a.gwp},
                            {"co2_per_carbon", &a.co2_per_carbon},
                            {"scope2_method", &a.scope2},
                            {"period", &a.period}}) {
    if (auto st = SetVerifyOption(o, key, *value); !st.ok()) return Report(st, std::cerr);
  }
  std::optional<Inventory> reported;
  if (!a.against.empty()) {
    auto text = ReadInput(a.against);
    if (!text.ok()) return Report(text.status(), std::cerr);
    auto inv = Inventory::FromJson(*text);
    if (!inv.ok()) return Report(WithContext(inv.status(), a.against), std::cerr);
    reported = *std::move(inv);
  }
  if (!a.previous.empty()) {
    auto text = ReadInput(a.previous);
    if (!text.ok()) return Report(text.status(), std::cerr);
    auto inv = Inventory::FromJson(*text);
    if (!inv.ok()) return Report(WithContext(inv.status(), a.previous), std::cerr);
    o.previous_year = *std::move(inv);
  }
  if (!a.audit_baseline.empty()) {
    auto text = ReadInput(a.audit_baseline);
    if (!text.ok()) return Report(text.status(), std::cerr);
    if (auto st = SetVerifyOption(o, "audit_baseline", *text); !st.ok()) {
      return Report(WithContext(st, a.audit_baseline), std::cerr);
    }
  }
  auto r = Verify(enterprise, catalogue, reported ? &*reported : nullptr, o);
  if (!r.ok()) return Report(r.status(), std::cerr);
  const int done = r->HasErrors() ? kExitCheckFailed : kExitOk;
  if (a.format == Format::kJson) {
    std::cout << r->ToJson() << "\n";
    return done;
  }
  if (a.format == Format::kCsv) {
    std::cout << r->ToCsv();
    return done;
  }
  const bool zh = a.lang == "zh";
  std::cout << r->enterprise << " — " << (zh ? "交叉核验 " : "cross-verification ") << r->year << "\n"
            << (zh ? "已运行: " : "checks run: ");
  for (CheckId id : r->checks_run) std::cout << CheckIdName(id) << " ";
  std::cout << "\n";
  for (const auto& s : r->checks_skipped) std::cout << (zh ? "未运行 " : "skipped ") << s << "\n";
  std::cout << "\n";
  if (r->findings.empty()) std::cout << (zh ? "未发现问题。\n" : "no findings.\n");
  for (const auto& f : r->findings) {
    std::printf("%-7s %s  %s %s\n", std::string(SeverityName(f.severity)).c_str(),
                std::string(CheckIdName(f.check)).c_str(), f.subject.c_str(), f.period.c_str());
    std::printf("        %s\n        [%s; %s]\n", (zh ? f.message_zh : f.message).c_str(), f.tolerance.c_str(),
                f.source.c_str());
  }
  if (r->reconciliation) {
    const auto& rec = *r->reconciliation;
    std::cout << "\n"
              << (zh ? "差异分解" : "reconciliation") << ": reported " << Fixed(rec.reported_total, 3)
              << " − recomputed " << Fixed(rec.recomputed_total, 3) << " = "
              << Fixed(rec.reported_total - rec.recomputed_total, 3) << " tCO2e\n";
    for (const auto& [part, v] : rec.by_part) std::printf("  %-14s %16s\n", part.c_str(), Fixed(v, 3).c_str());
  }
  return done;
}

}  // namespace

void AddVerifyCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("verify",
                                 "Cross-verify an enterprise: energy balance against inventory, and a "
                                 "reported inventory against the recomputed one");
  cmd->add_option("FILE", args->file, "enterprise JSON, or - for standard input")->required();
  cmd->add_option("--against", args->against, "the enterprise's reported inventory (carbonmrv.inventory/1)");
  cmd->add_option("--previous", args->previous, "last year's inventory (carbonmrv.inventory/1) for year-on-year X18");
  cmd->add_option("--audit-baseline", args->audit_baseline,
                  "an earlier year's enterprise JSON whose audit claims savings (X23 ex-post)");
  cmd->add_option("--format", args->format, "table|json|csv")
      ->transform(CLI::CheckedTransformer(FormatNames(), CLI::ignore_case));
  cmd->add_option("--checks", args->checks, "check ids to run, comma-separated (default: all)");
  cmd->add_option("--tolerance", args->tolerances, "CHECK=WARNING:ERROR override (repeatable)");
  cmd->add_option("--gwp", args->gwp, "GWP set the verification applies")->capture_default_str();
  cmd->add_option("--co2-per-c", args->co2_per_carbon, "44/12 or 3.664")->capture_default_str();
  cmd->add_option("--scope2", args->scope2, "location|market")->capture_default_str();
  cmd->add_option("--period", args->period, "the energy balance's period when there are several");
  cmd->add_option("--load", args->load, "also load this factor dataset CSV (repeatable)");
  cmd->add_option("--lang", args->lang, "en|zh (table messages)")->check(CLI::IsMember({"en", "zh"}));
  cmd->callback([args, exit_code] { *exit_code = Run(*args); });
}

}  // namespace cmrv::cli
