// `carbonmrv did PANEL.csv|- --y Y --t T --id ID --g G [--x COL ...] [--cluster COL]
//  [--estimator att_gt|twfe|bacon|2x2] [--aggregate simple,group,dynamic,calendar] [--pre P --post Q]
//  [--option key=value ...] [--format table|json|csv] [--progress auto|on|off]`: difference-in-differences on
//  a long-form panel
//  (R did's yname, tname, idname, gname); options as cmrv_did_options_set.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "carbonmrv/policy/did.hpp"
#include "carbonmrv/policy/did_options.hpp"
#include "carbonmrv/policy/twfe.hpp"
#include "cli.hpp"

namespace cmrv::cli {
namespace {

struct Args {
  std::string file, estimator = "att_gt";
  DidColumns columns;
  std::vector<std::string> aggregate, options;
  std::optional<int64_t> pre, post;
  Format format = Format::kText;
  std::string progress = "auto";
};

using nlohmann::json;

int PrintAttGt(const Args& a, const DidPanel& panel, const DidOptions& options) {
  DidOptions o = options;
  o.att_gt.progress = TerminalProgress("ATT(g,t) cells", a.progress);
  auto r = AttGt(panel, o.att_gt);
  if (!r.ok()) return Report(r.status(), std::cerr);
  std::vector<std::pair<std::string, AggregateResult>> aggs;
  for (const auto& name : a.aggregate) {
    auto t = ParseAggregationType(name);
    if (!t.ok()) return Report(t.status(), std::cerr);
    auto g = Aggregate(*r, *t, o.aggregate);
    if (!g.ok()) return Report(g.status(), std::cerr);
    aggs.emplace_back(name, *std::move(g));
  }
  const double crit = r->critical_value;
  if (a.format == Format::kCsv) {  // cells, then each aggregation's elements
    std::cout << "table,group,time,key,att,se,ci_low,ci_high\n";
    for (const auto& c : r->cells) {
      std::cout << "att_gt," << c.group << "," << c.time << ",," << FormatNumber(c.att) << "," << FormatNumber(c.se)
                << "," << FormatNumber(c.att - crit * c.se) << "," << FormatNumber(c.att + crit * c.se) << "\n";
    }
    for (const auto& [name, g] : aggs) {
      for (const auto& e : g.elements) {
        std::cout << name << ",,," << e.key << "," << FormatNumber(e.att) << "," << FormatNumber(e.se) << ","
                  << FormatNumber(e.att - g.critical_value * e.se) << ","
                  << FormatNumber(e.att + g.critical_value * e.se) << "\n";
      }
      std::cout << name << ",,,overall," << FormatNumber(g.overall_att) << "," << FormatNumber(g.overall_se) << ",,\n";
    }
    return kExitOk;
  }
  if (a.format == Format::kJson) {
    json j{{"units", r->units},
           {"control_group", ControlGroupName(o.att_gt.control)},
           {"est_method", DidEstimatorName(o.att_gt.method)},
           {"critical_value", crit},
           {"uniform_band", r->uniform_band},
           {"notes", r->notes},
           {"cells", json::array()}};
    if (r->wald) j["pretest"] = {{"W", *r->wald}, {"p", *r->wald_p}, {"df", r->wald_df}};
    if (o.att_gt.bootstrap_draws > 0) j["bootstrap"] = {{"draws", o.att_gt.bootstrap_draws}, {"seed", o.att_gt.seed}};
    for (const auto& c : r->cells) {
      j["cells"].push_back({{"group", c.group}, {"time", c.time}, {"att", c.att}, {"se", c.se}, {"post", c.post}});
    }
    for (const auto& [name, g] : aggs) {
      json e = json::array();
      for (const auto& x : g.elements) e.push_back({{"key", x.key}, {"att", x.att}, {"se", x.se}});
      j["aggregations"][name] = {{"overall_att", g.overall_att},
                                 {"overall_se", g.overall_se},
                                 {"critical_value", g.critical_value},
                                 {"elements", e}};
    }
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << "ATT(g,t) (Callaway & Sant'Anna 2021): " << r->units << " units, " << ControlGroupName(o.att_gt.control)
            << ", est_method " << DidEstimatorName(o.att_gt.method) << ", "
            << (r->uniform_band ? "uniform" : "pointwise") << " band ±" << Fixed(crit, 4) << "·SE\n";
  std::printf("  %6s %6s %10s %10s %10s %10s\n", "group", "time", "att", "se", "ci_low", "ci_high");
  for (const auto& c : r->cells) {
    std::printf("  %6lld %6lld %10s %10s %10s %10s%s\n", static_cast<long long>(c.group),
                static_cast<long long>(c.time), Fixed(c.att, 4).c_str(), Fixed(c.se, 4).c_str(),
                Fixed(c.att - crit * c.se, 4).c_str(), Fixed(c.att + crit * c.se, 4).c_str(), c.post ? "" : "  (pre)");
  }
  if (r->wald) {
    std::cout << "pre-test of parallel trends: W = " << Fixed(*r->wald, 4) << ", df " << r->wald_df
              << ", p = " << Fixed(*r->wald_p, 5) << "\n";
  }
  for (const auto& [name, g] : aggs) {
    std::cout << name << ": overall ATT " << Fixed(g.overall_att, 4) << " (SE " << Fixed(g.overall_se, 4) << ")\n";
    for (const auto& e : g.elements) {
      std::printf("  %6lld %10s %10s\n", static_cast<long long>(e.key), Fixed(e.att, 4).c_str(),
                  Fixed(e.se, 4).c_str());
    }
  }
  for (const auto& n : r->notes) std::cout << "note: " << n << "\n";
  return kExitOk;
}

int Run(const Args& a) {
  auto text = ReadInput(a.file);
  if (!text.ok()) return Report(text.status(), std::cerr);
  auto panel = ReadDidPanelCsv(*text, a.file == "-" ? "stdin" : a.file, a.columns);
  if (!panel.ok()) return Report(panel.status(), std::cerr);
  DidOptions o;
  for (const auto& kv : a.options) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos) {
      std::cerr << "carbonmrv: --option " << kv << ": expected key=value\n";
      return kExitUsage;
    }
    if (auto st = SetDidOption(o, kv.substr(0, eq), kv.substr(eq + 1)); !st.ok()) return Report(st, std::cerr);
  }
  if (a.estimator == "att_gt") return PrintAttGt(a, *panel, o);
  if (a.estimator == "twfe") {
    auto r = Twfe(*panel, o.att_gt.drop_incomplete_units);
    if (!r.ok()) return Report(r.status(), std::cerr);
    std::cout << (a.format == Format::kCsv ? "term,coef,se\n" : "");
    for (std::size_t k = 0; k < r->coef.size(); ++k) {
      if (a.format == Format::kCsv) {
        std::cout << CsvField(r->names[k]) << "," << FormatNumber(r->coef[k]) << "," << FormatNumber(r->se[k]) << "\n";
      } else {
        std::cout << "TWFE " << r->names[k] << ": " << FormatNumber(r->coef[k]) << " (cluster-robust SE "
                  << FormatNumber(r->se[k]) << ", " << r->clusters << " clusters)\n";
      }
    }
    return kExitOk;
  }
  if (a.estimator == "bacon") {
    auto r = BaconDecomposition(*panel, o.att_gt.drop_incomplete_units);
    if (!r.ok()) return Report(r.status(), std::cerr);
    if (a.format == Format::kCsv) std::cout << "type,treated,control,estimate,weight\n";
    for (const auto& c : r->comparisons) {
      if (a.format == Format::kCsv) {
        std::cout << BaconKindName(c.kind) << "," << c.treated << "," << c.control << "," << FormatNumber(c.estimate)
                  << "," << FormatNumber(c.weight) << "\n";
      } else {
        std::printf("  %-26s %6lld vs %6lld  estimate %10s  weight %8s\n", std::string(BaconKindName(c.kind)).c_str(),
                    static_cast<long long>(c.treated), static_cast<long long>(c.control), Fixed(c.estimate, 4).c_str(),
                    Fixed(c.weight, 4).c_str());
      }
    }
    if (a.format != Format::kCsv) std::cout << "TWFE = Σ weight × estimate = " << FormatNumber(r->twfe) << "\n";
    return kExitOk;
  }
  if (!a.pre || !a.post) {
    std::cerr << "carbonmrv: --estimator 2x2 needs --pre and --post\n";
    return kExitUsage;
  }
  auto r = DidTwoByTwo(*panel, *a.pre, *a.post, o.att_gt.control);
  if (!r.ok()) return Report(r.status(), std::cerr);
  std::cout << "2x2 DiD " << *a.pre << " -> " << *a.post << ": " << FormatNumber(r->att) << " (SE "
            << FormatNumber(r->se) << "); " << r->treated << " treated, " << r->controls << " comparison units\n";
  return kExitOk;
}

}  // namespace

void AddDidCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("did", "Difference-in-differences on a long-form panel (R did's att_gt and more)");
  cmd->add_option("PANEL", args->file, "CSV with one row per unit and period, or - for standard input")->required();
  cmd->add_option("--y", args->columns.y, "outcome column (yname)")->required();
  cmd->add_option("--t", args->columns.time, "period column (tname)")->required();
  cmd->add_option("--id", args->columns.id, "unit column (idname)")->required();
  cmd->add_option("--g", args->columns.group, "first-treated period column, 0 = never (gname)")->required();
  cmd->add_option("--x", args->columns.covariates, "covariate column (repeat: xformla terms)");
  cmd->add_option("--cluster", args->columns.cluster, "cluster column (clustervars)");
  cmd->add_option("--estimator", args->estimator, "att_gt (default), twfe, bacon or 2x2")
      ->check(CLI::IsMember({"att_gt", "twfe", "bacon", "2x2"}));
  cmd->add_option("--aggregate", args->aggregate, "simple, group, dynamic, calendar (repeat or comma-separate)")
      ->delimiter(',');
  cmd->add_option("--pre", args->pre, "2x2: the period before");
  cmd->add_option("--post", args->post, "2x2: the period after");
  cmd->add_option("--option", args->options,
                  "key=value: control_group, base_period, anticipation, est_method, drop_incomplete_units, "
                  "allow_unbalanced_panel, panel, alpha, bootstrap_draws, seed, min_e, max_e");
  cmd->add_option("--format", args->format, "table|json|csv")
      ->transform(CLI::CheckedTransformer(FormatNames(), CLI::ignore_case));
  cmd->add_option("--progress", args->progress, "cells done on standard error: auto (on a terminal), on, off")
      ->check(CLI::IsMember(ProgressModes()));
  cmd->callback([args, exit_code] { *exit_code = Run(*args); });
}

}  // namespace cmrv::cli
