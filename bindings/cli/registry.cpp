// `carbonmrv registry init|import|apply|allocate|transfer|surrender|status|history|verify-journal DB …`:
// the registry from the command line. DB is "sqlite:PATH", "postgresql:CONNINFO" or a file path; every
// write names its actor with --as ROLE:ID.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "carbonmrv/enterprise/audit.hpp"
#include "carbonmrv/inventory/inventory.hpp"
#include "carbonmrv/market/allocation.hpp"
#include "carbonmrv/market/compliance.hpp"
#include "carbonmrv/registry/registry.hpp"
#include "carbonmrv/status.hpp"
#include "cli.hpp"

namespace cmrv::cli {
namespace {

using nlohmann::json;

struct Args {
  std::string db, as, file, rules, from, to, uscc, kind = "allowance", movement = "transfer", region, industry;
  std::vector<std::string> loads;
  int64_t quantity = 0;
  int year = 0, vintage = 0;
  Format format = Format::kText;
};

absl::Status Invalid(const std::string& what) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument, what);
}

// Opens the registry and parses --as; the actor is only needed for writes.
struct Session {
  std::unique_ptr<Registry> registry;
  Actor actor;
};
absl::StatusOr<Session> Start(const Args& a, bool write) {
  Session s;
  if (write) {
    auto actor = ParseActor(a.as);
    if (!actor.ok()) return WithContext(actor.status(), "--as");
    s.actor = *actor;
  }
  auto r = Registry::Open(a.db);
  if (!r.ok()) return r.status();
  s.registry = *std::move(r);
  return s;
}

int Applied(const absl::StatusOr<std::vector<int64_t>>& seqs, const std::vector<json>& ops) {
  if (!seqs.ok()) return Report(seqs.status(), std::cerr);
  for (std::size_t i = 0; i < ops.size(); ++i) {
    std::cout << "journal " << (*seqs)[i] << ": " << ops[i]["op"].get<std::string>() << " " << ops[i].dump() << "\n";
  }
  return kExitOk;
}

// Applies `ops` in one transaction and prints each one's journal number.
int ApplyAll(Session& s, const std::vector<json>& ops) {
  std::vector<std::string> text;
  text.reserve(ops.size());
  for (const auto& op : ops) text.push_back(op.dump());
  return Applied(s.registry->ApplyAll(s.actor, text), ops);
}

int ApplyOps(const Args& a, const std::vector<json>& ops) {
  auto s = Start(a, true);
  if (!s.ok()) return Report(s.status(), std::cerr);
  return ApplyAll(*s, ops);
}

// Operations from a file: a JSON array of operations, JSON lines, or an enterprise document (registered
// if new, its computed inventory reported, its audit rounds recorded).
absl::StatusOr<std::vector<json>> ImportOps(const Args& a, Registry& reg, const Actor& actor) {
  auto text = ReadInput(a.file);
  if (!text.ok()) return text.status();
  const json doc = json::parse(*text, nullptr, false);
  std::vector<json> ops;
  if (!doc.is_discarded() && doc.is_array()) return std::vector<json>(doc.begin(), doc.end());
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("schema")) {  // JSON lines
    std::size_t start = 0, line = 0;
    while (start < text->size()) {
      const std::size_t end = std::min(text->find('\n', start), text->size());
      ++line;
      const std::string row = text->substr(start, end - start);
      start = end + 1;
      if (row.find_first_not_of(" \t\r") == std::string::npos) continue;
      const json op = json::parse(row, nullptr, false);
      if (op.is_discarded()) return Invalid(a.file + ":" + std::to_string(line) + ": not a JSON operation");
      ops.push_back(op);
    }
    return ops;
  }
  auto in = LoadInput(a.file, a.loads);
  if (!in.ok()) return in.status();
  const Enterprise& e = in->enterprise;
  if (e.uscc.empty()) return Invalid(a.file + ": enterprise.uscc: the registry keys enterprises by USCC");
  if (reg.Balance(e.uscc, "allowance", e.year).status().code() == absl::StatusCode::kNotFound) {
    ops.push_back({{"op", "register_enterprise"},
                   {"uscc", e.uscc},
                   {"name", e.name},
                   {"region", e.region},
                   {"industry", e.industry}});
  }
  auto inv = ComputeInventory(e, in->catalogue, {});
  if (!inv.ok()) return WithContext(inv.status(), a.file);
  ops.push_back({{"op", "record_inventory"},
                 {"uscc", e.uscc},
                 {"year", e.year},
                 {"reported_t", inv->TotalCo2e()},
                 {"document", {{"schema", "carbonmrv.inventory/1"}, {"computed_by", "carbonmrv"}, {"file", a.file}}}});
  for (const auto& round : e.audits) {
    std::string stage = "planning";
    for (const auto& st : round.stages) {
      if (st.status != StageStatus::kPlanned) stage = std::string(AuditStageName(st.stage));
    }
    const bool passed = round.acceptance && round.acceptance->result == "passed";
    ops.push_back({{"op", "record_audit"},
                   {"uscc", e.uscc},
                   {"audit_id", round.id},
                   {"year", e.year},
                   {"type", std::string(AuditTypeName(round.type))},
                   {"trigger", round.trigger ? std::string(AuditTriggerName(*round.trigger)) : std::string()},
                   {"stage", stage},
                   {"accepted", passed && actor.role == Role::kRegulator}});
  }
  return ops;
}

int Import(const Args& a) {
  auto s = Start(a, true);
  if (!s.ok()) return Report(s.status(), std::cerr);
  auto ops = ImportOps(a, *s->registry, s->actor);
  if (!ops.ok()) return Report(ops.status(), std::cerr);
  return ApplyAll(*s, *ops);
}

// The allocation of an enterprise document under a rule set, recorded as whole allowances (rounded to
// the nearest tonne: the registry holds whole tCO2e), with the obligation when the year's verified
// emissions are known.
int Allocate(const Args& a) {
  auto in = LoadInput(a.file, a.loads);
  if (!in.ok()) return Report(in.status(), std::cerr);
  if (in->enterprise.uscc.empty()) {
    return Report(Invalid(a.file + ": enterprise.uscc: the registry keys enterprises by USCC"), std::cerr);
  }
  auto rules = LoadAllocationRules(a.rules);
  if (!rules.ok()) return Report(rules.status(), std::cerr);
  AllocateOptions o;
  o.year = a.year;
  auto alloc = ::cmrv::Allocate(in->enterprise, in->catalogue, *rules, o);
  if (!alloc.ok()) return Report(WithContext(alloc.status(), a.file), std::cerr);
  std::vector<json> ops = {{{"op", "allocate"},
                            {"uscc", in->enterprise.uscc},
                            {"vintage", alloc->year},
                            {"quantity", std::llround(alloc->total_t)}}};
  const bool known = std::all_of(alloc->facilities.begin(), alloc->facilities.end(),
                                 [](const FacilityAllocation& f) { return f.verified_emissions_t.has_value(); });
  if (known) {
    auto c = AssessCompliance(*alloc, *rules, {});
    if (!c.ok()) return Report(c.status(), std::cerr);
    ops.push_back({{"op", "set_obligation"},
                   {"uscc", in->enterprise.uscc},
                   {"year", alloc->year},
                   {"due_t", c->due_t},
                   {"rules", alloc->rules_id}});
  }
  return ApplyOps(a, ops);
}

int ShowStatus(const Args& a) {
  auto s = Start(a, false);
  if (!s.ok()) return Report(s.status(), std::cerr);
  json params = {{"year", a.year}};
  if (!a.region.empty()) params["region"] = a.region;
  if (!a.industry.empty()) params["industry"] = a.industry;
  auto v = s->registry->View("status", params.dump());
  if (!v.ok()) return Report(v.status(), std::cerr);
  const json rows = json::parse(*v);
  const char* cols[] = {"uscc",
                        "name",
                        "region",
                        "industry",
                        "audit",
                        "audit_stage",
                        "audit_accepted",
                        "inventory_status",
                        "reported_t",
                        "verified_t",
                        "open_findings",
                        "allocated_t",
                        "due_t",
                        "surrendered_t",
                        "surrendered_ccer_t",
                        "shortfall_t",
                        "compliance"};
  auto cell = [](const json& x) {
    return x.is_string() ? x.get<std::string>() : x.is_null() ? std::string() : x.dump();
  };
  if (a.format == Format::kJson) {
    std::cout << rows.dump(1) << "\n";
  } else if (a.format == Format::kCsv) {
    std::string line;
    for (const char* c : cols) line += std::string(line.empty() ? "" : ",") + c;
    std::cout << line << "\n";
    for (const auto& r : rows) {
      line.clear();
      for (const char* c : cols) line += std::string(line.empty() ? "" : ",") + CsvField(cell(r[c]));
      std::cout << line << "\n";
    }
  } else {
    std::cout << "registry status " << a.year << " (" << s->registry->backend() << "): " << rows.size()
              << " enterprises\n";
    std::printf("  %-18s %-24s %-6s %-14s %-9s %14s %14s %5s %14s %14s %14s %-13s\n", "uscc", "name", "region",
                "audit stage", "inventory", "reported_t", "verified_t", "open", "allocated_t", "due_t", "surrendered",
                "compliance");
    for (const auto& r : rows) {
      auto num = [&](const char* k) { return r[k].is_null() ? std::string("-") : Fixed(r[k].get<double>(), 1); };
      std::printf("  %-18s %-24.24s %-6s %-14s %-9s %14s %14s %5lld %14s %14s %14s %-13s\n", cell(r["uscc"]).c_str(),
                  cell(r["name"]).c_str(), cell(r["region"]).c_str(),
                  (r["audit_stage"].is_null() ? std::string("-")
                                              : cell(r["audit_stage"]) + (r["audit_accepted"] == true ? " ✓" : ""))
                      .c_str(),
                  cell(r["inventory_status"]).c_str(), num("reported_t").c_str(), num("verified_t").c_str(),
                  static_cast<long long>(r["open_findings"].get<int64_t>()), num("allocated_t").c_str(),
                  num("due_t").c_str(),
                  Fixed(r["surrendered_t"].get<double>() + r["surrendered_ccer_t"].get<double>(), 1).c_str(),
                  cell(r["compliance"]).c_str());
    }
  }
  return kExitOk;
}

int History(const Args& a) {
  auto s = Start(a, false);
  if (!s.ok()) return Report(s.status(), std::cerr);
  auto v = s->registry->View("history", json({{"uscc", a.uscc}}).dump());
  if (!v.ok()) return Report(v.status(), std::cerr);
  const json rows = json::parse(*v);
  if (a.format == Format::kJson) {
    std::cout << rows.dump(1) << "\n";
    return kExitOk;
  }
  for (const auto& r : rows) {
    std::cout << r["seq"].get<int64_t>() << "  " << r["at"].get<std::string>() << "  " << r["actor"].get<std::string>()
              << "  " << r["payload"].dump() << "\n";
  }
  return kExitOk;
}

int VerifyJournal(const Args& a) {
  auto s = Start(a, false);
  if (!s.ok()) return Report(s.status(), std::cerr);
  auto c = s->registry->VerifyJournal();
  if (!c.ok()) return Report(c.status(), std::cerr);
  if (c->ok) {
    std::cout << "journal verified: " << c->entries << " entries, " << c->movements
              << " movement legs, hash chain and balances intact\n";
    return kExitOk;
  }
  std::cout << "journal BROKEN at entry " << c->first_bad << ": " << c->problem << "\n";
  return kExitCheckFailed;
}

}  // namespace

void AddRegistryCommand(CLI::App& app, int* exit_code) {
  auto* reg = app.add_subcommand("registry", "The registry: enterprises, audits, inventories, allowances, compliance");
  reg->require_subcommand(1);
  auto add = [&](const char* name, const char* help, bool write, auto run) {
    auto args = std::make_shared<Args>();
    auto* cmd = reg->add_subcommand(name, help);
    cmd->add_option("DB", args->db, "sqlite:PATH, postgresql:CONNINFO or a file path (SQLite)")->required();
    if (write)
      cmd->add_option("--as", args->as, "the actor: regulator:ID, enterprise:USCC, verifier:ID, exchange:ID")
          ->required();
    cmd->callback([args, exit_code, run] { *exit_code = run(*args); });
    return std::pair{cmd, args};
  };
  {
    auto [cmd, args] =
        add("init", "Create the registry (or migrate it) and print its backend", false, [](const Args& a) {
          auto s = Start(a, false);
          if (!s.ok()) return Report(s.status(), std::cerr);
          std::cout << "registry ready (" << s->registry->backend() << ", schema " << kRegistrySchemaVersion << ")\n";
          return static_cast<int>(kExitOk);
        });
    (void)cmd;
    (void)args;
  }
  {
    auto [cmd, args] =
        add("import", "Apply operations (JSON array or lines) or an enterprise document, all or none", true, Import);
    cmd->add_option("FILE", args->file, "operations (.json array, .jsonl) or a carbonmrv.enterprise document")
        ->required();
    cmd->add_option("--load", args->loads, "factor dataset CSV for an enterprise document's inventory");
  }
  {
    auto [cmd, args] =
        add("allocate", "Record an enterprise's allocation (and obligation) computed under a rule set", true, Allocate);
    cmd->add_option("FILE", args->file, "enterprise document with facilities[].allocation")->required();
    cmd->add_option("--rules", args->rules, "built-in rule set id or rule-set file")->required();
    cmd->add_option("--year", args->year, "allocation year (default: the document's)")->check(WholeNumber());
    cmd->add_option("--load", args->loads, "factor dataset CSV");
  }
  {
    auto [cmd, args] = add("transfer", "Move allowances between accounts", true, [](const Args& a) {
      return ApplyOps(a, {{{"op", "transfer"},
                           {"from", a.from},
                           {"to", a.to},
                           {"kind", a.kind},
                           {"vintage", a.vintage},
                           {"quantity", a.quantity},
                           {"movement", a.movement}}});
    });
    cmd->add_option("FROM", args->from, "account")->required();
    cmd->add_option("TO", args->to, "account")->required();
    cmd->add_option("QUANTITY", args->quantity, "tCO2e")->required();
    cmd->add_option("--vintage", args->vintage, "vintage")->required();
    cmd->add_option("--kind", args->kind, "allowance|ccer")->capture_default_str();
    cmd->add_option("--movement", args->movement, "transfer|trade|auction_settlement")->capture_default_str();
  }
  {
    auto [cmd, args] =
        add("surrender", "Surrender allowances or offsets for a compliance year", true, [](const Args& a) {
          return ApplyOps(a, {{{"op", "surrender"},
                               {"uscc", a.uscc},
                               {"year", a.year},
                               {"kind", a.kind},
                               {"vintage", a.vintage},
                               {"quantity", a.quantity}}});
        });
    cmd->add_option("USCC", args->uscc, "the enterprise")->required();
    cmd->add_option("QUANTITY", args->quantity, "tCO2e")->required();
    cmd->add_option("--year", args->year, "compliance year")->required();
    cmd->add_option("--vintage", args->vintage, "vintage (allowance) or year of issue (ccer)")->required();
    cmd->add_option("--kind", args->kind, "allowance|ccer")->capture_default_str();
  }
  {
    auto [cmd, args] =
        add("status", "Enterprises with audit, inventory, verification, findings and compliance", false, ShowStatus);
    cmd->add_option("--year", args->year, "compliance year")->required();
    cmd->add_option("--region", args->region, "only this region");
    cmd->add_option("--industry", args->industry, "only this industry (GB/T 4754 code)");
    cmd->add_option("--format", args->format, "table|json|csv")
        ->transform(CLI::CheckedTransformer(FormatNames(), CLI::ignore_case));
  }
  {
    auto [cmd, args] = add("history", "Every journal entry that concerns one enterprise", false, History);
    cmd->add_option("USCC", args->uscc, "the enterprise")->required();
    cmd->add_option("--format", args->format, "table|json")
        ->transform(CLI::CheckedTransformer(FormatNames(), CLI::ignore_case));
  }
  add("verify-journal", "Recompute the hash chain and check balances against the journal (exit 3 if broken)", false,
      VerifyJournal);
}

}  // namespace cmrv::cli
