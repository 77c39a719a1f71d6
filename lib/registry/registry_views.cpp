// The registry's read-only views (Registry::View): the tables a regulator reviews, as JSON rows.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "carbonmrv/registry/registry.hpp"
#include "carbonmrv/status.hpp"
#include "internal/strings.hpp"
#include "registry/store.hpp"

namespace cmrv {

using internal::AsDouble;
using internal::AsInt;
using internal::AsText;
using internal::IsNull;
using internal::SqlRow;
using internal::SqlValue;
using internal::StrCat;
using nlohmann::json;

namespace {

absl::Status BadParam(std::string_view view, std::string_view what) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument, StrCat(view, ": ", what));
}

json Num(const SqlValue& v) { return IsNull(v) ? json(nullptr) : json(AsDouble(v)); }
json Str(const SqlValue& v) { return IsNull(v) ? json(nullptr) : json(AsText(v)); }

// Rows as objects with the given column names.
json Objects(const std::vector<SqlRow>& rows, const std::vector<std::string>& names) {
  json out = json::array();
  for (const auto& r : rows) {
    json o = json::object();
    for (std::size_t c = 0; c < names.size(); ++c) {
      const auto& v = r[c];
      if (IsNull(v)) {
        o[names[c]] = nullptr;
      } else if (std::holds_alternative<int64_t>(v)) {
        o[names[c]] = std::get<int64_t>(v);
      } else if (std::holds_alternative<double>(v)) {
        o[names[c]] = std::get<double>(v);
      } else {
        o[names[c]] = std::get<std::string>(v);
      }
    }
    out.push_back(std::move(o));
  }
  return out;
}

// The status of each enterprise in `year` (optionally of one region and industry): one query per
// aspect keyed by USCC, so each stays simple and portable across both backends.
absl::StatusOr<json> StatusView(internal::Store& s, const json& params) {
  if (!params.contains("year") || !params["year"].is_number_integer()) return BadParam("status", "year: required");
  const int64_t year = params["year"];
  std::string where = "WHERE 1 = 1";
  std::vector<SqlValue> args;
  for (const char* key : {"region", "industry"}) {
    if (!params.contains(key)) continue;
    if (!params[key].is_string()) return BadParam("status", StrCat(key, ": expected text"));
    args.emplace_back(params[key].get<std::string>());
    where += StrCat(" AND ", key, " = $", args.size());
  }
  auto ents = s.Query(StrCat("SELECT uscc, name, region, industry FROM enterprises ", where, " ORDER BY uscc"), args);
  if (!ents.ok()) return ents.status();
  json out = json::array();
  for (const auto& e : *ents) {
    const std::string uscc = AsText(e[0]);
    json row = {
        {"uscc", uscc}, {"name", AsText(e[1])}, {"region", AsText(e[2])}, {"industry", AsText(e[3])}, {"year", year}};
    // The latest audit round (by year, then the last recorded).
    auto audit = s.Query(
        "SELECT audit_id, year, type, trigger_reason, stage, accepted FROM audits WHERE uscc = $1 ORDER BY year DESC, "
        "seq DESC LIMIT 1",
        {uscc});
    if (!audit.ok()) return audit.status();
    if (audit->empty()) {
      row["audit"] = nullptr;
      row["audit_stage"] = nullptr;
      row["audit_accepted"] = nullptr;
    } else {
      const auto& a = (*audit)[0];
      row["audit"] = AsText(a[0]);
      row["audit_year"] = AsInt(a[1]);
      row["audit_type"] = AsText(a[2]);
      row["audit_trigger"] = AsText(a[3]);
      row["audit_stage"] = AsText(a[4]);
      row["audit_accepted"] = AsInt(a[5]) != 0;
    }
    auto inv =
        s.Query("SELECT reported_t, verified_t, verifier FROM inventories WHERE uscc = $1 AND year = $2", {uscc, year});
    if (!inv.ok()) return inv.status();
    const bool has_inv = !inv->empty();
    row["reported_t"] = has_inv ? Num((*inv)[0][0]) : json(nullptr);
    row["verified_t"] = has_inv ? Num((*inv)[0][1]) : json(nullptr);
    row["verifier"] = has_inv ? Str((*inv)[0][2]) : json(nullptr);
    row["inventory_status"] = !has_inv                ? "missing"
                              : !IsNull((*inv)[0][1]) ? "verified"
                              : !IsNull((*inv)[0][0]) ? "reported"
                                                      : "missing";
    auto open = s.Query("SELECT count(*) FROM findings WHERE uscc = $1 AND resolution IS NULL", {uscc});
    if (!open.ok()) return open.status();
    row["open_findings"] = AsInt((*open)[0][0]);
    auto alloc = s.Query(
        "SELECT COALESCE(SUM(quantity), 0) FROM movements WHERE account = $1 AND vintage = $2 AND movement IN "
        "('allocation', 'true_up', 'borrowing')",
        {uscc, year});
    if (!alloc.ok()) return alloc.status();
    row["allocated_t"] = AsInt((*alloc)[0][0]);
    auto due = s.Query("SELECT due_t, rules FROM obligations WHERE uscc = $1 AND year = $2", {uscc, year});
    if (!due.ok()) return due.status();
    row["due_t"] = due->empty() ? json(nullptr) : Num((*due)[0][0]);
    row["rules"] = due->empty() ? json(nullptr) : Str((*due)[0][1]);
    auto surrendered = s.Query(
        "SELECT kind, COALESCE(SUM(quantity), 0) FROM movements WHERE account = 'CANCELLATION' AND movement = "
        "'surrender' AND compliance_year = $1 AND seq IN (SELECT seq FROM movements WHERE account = $2 AND movement = "
        "'surrender') GROUP BY kind ORDER BY kind",
        {year, uscc});
    if (!surrendered.ok()) return surrendered.status();
    int64_t allowances = 0, ccer = 0;
    for (const auto& r : *surrendered) (AsText(r[0]) == "ccer" ? ccer : allowances) = AsInt(r[1]);
    row["surrendered_t"] = allowances;
    row["surrendered_ccer_t"] = ccer;
    auto held = s.Query("SELECT COALESCE(SUM(quantity), 0) FROM movements WHERE account = $1", {uscc});
    if (!held.ok()) return held.status();
    row["holdings_t"] = AsInt((*held)[0][0]);
    // Compliance: the obligation against what was surrendered for this year (allowances and offsets; the
    // offset limit is applied when the obligation is computed, docs/market.md).
    if (due->empty()) {
      row["compliance"] = "no_obligation";
      row["shortfall_t"] = nullptr;
    } else {
      const double gap = AsDouble((*due)[0][0]) - static_cast<double>(allowances + ccer);
      row["compliance"] = gap <= 0 ? "compliant" : "shortfall";
      row["shortfall_t"] = gap > 0 ? gap : 0.0;
    }
    out.push_back(std::move(row));
  }
  return out;
}

absl::StatusOr<json> ReadView(internal::Store& s, std::string_view name, const json& params);

}  // namespace

absl::StatusOr<std::string> Registry::View(std::string_view name, std::string_view params_json) {
  const json params = json::parse(params_json.empty() ? std::string_view("{}") : params_json, nullptr, false);
  if (params.is_discarded() || !params.is_object()) {
    return BadParam(name, "parameters: expected a JSON object such as {\"year\": 2022}");
  }
  internal::Store& s = *impl_store();
  if (auto st = s.BeginRead(); !st.ok()) return st;  // a view reads one snapshot
  auto out = ReadView(s, name, params);
  s.Rollback();
  if (!out.ok()) return out.status();
  return out->dump();
}

namespace {

absl::StatusOr<json> ReadView(internal::Store& s, std::string_view name, const json& params) {
  absl::StatusOr<json> out;
  if (name == "status") {
    out = StatusView(s, params);
  } else if (name == "holdings") {
    std::vector<SqlValue> args;
    std::string where;
    if (params.contains("account")) {
      if (!params["account"].is_string()) return BadParam(name, "account: expected text");
      args.emplace_back(params["account"].get<std::string>());
      where = "WHERE account = $1 ";
    }
    auto rows =
        s.Query(StrCat("SELECT account, kind, vintage, SUM(quantity) FROM movements ", where,
                       "GROUP BY account, kind, vintage HAVING SUM(quantity) <> 0 ORDER BY account, kind, vintage"),
                args);
    if (!rows.ok()) return rows.status();
    out = Objects(*rows, {"account", "kind", "vintage", "quantity"});
  } else if (name == "history") {
    if (!params.contains("uscc") || !params["uscc"].is_string()) return BadParam(name, "uscc: required");
    const std::string uscc = params["uscc"];
    // Entries whose payload names the enterprise in any field, checked on the parsed payload (not by a
    // text match) so that a USCC inside a free-text field does not count.
    auto rows = s.Query("SELECT seq, at, actor_role, actor_id, op, payload FROM journal ORDER BY seq");
    if (!rows.ok()) return rows.status();
    auto own = s.Query("SELECT id FROM findings WHERE uscc = $1", {uscc});  // its findings' resolutions too
    if (!own.ok()) return own.status();
    std::vector<int64_t> findings;
    for (const auto& f : *own) findings.push_back(AsInt(f[0]));
    json list = json::array();
    for (const auto& r : *rows) {
      const json p = json::parse(AsText(r[5]), nullptr, false);
      bool mine = AsText(r[3]) == uscc;
      for (const char* key : {"uscc", "from", "to", "account"}) {
        mine = mine || (p.contains(key) && p[key] == uscc);
      }
      mine = mine || (p.contains("finding") &&
                      std::find(findings.begin(), findings.end(), p["finding"].get<int64_t>()) != findings.end());
      if (!mine) continue;
      list.push_back({{"seq", AsInt(r[0])},
                      {"at", AsText(r[1])},
                      {"actor", StrCat(AsText(r[2]), ":", AsText(r[3]))},
                      {"op", AsText(r[4])},
                      {"payload", p}});
    }
    out = list;
  } else if (name == "journal") {
    const int64_t from = params.value("from", int64_t{1});
    auto rows = s.Query(
        "SELECT seq, at, actor_role, actor_id, op, payload, hash FROM journal WHERE seq >= $1 ORDER BY seq", {from});
    if (!rows.ok()) return rows.status();
    out = Objects(*rows, {"seq", "at", "actor_role", "actor_id", "op", "payload", "hash"});
  } else if (name == "findings") {
    std::vector<SqlValue> args;
    std::string where = "WHERE 1 = 1";
    if (params.contains("uscc")) {
      if (!params["uscc"].is_string()) return BadParam(name, "uscc: expected text");
      args.emplace_back(params["uscc"].get<std::string>());
      where += " AND uscc = $1";
    }
    if (params.value("open", false)) where += " AND resolution IS NULL";
    auto rows = s.Query(
        StrCat("SELECT id, uscc, year, text, verifier, resolution FROM findings ", where, " ORDER BY id"), args);
    if (!rows.ok()) return rows.status();
    out = Objects(*rows, {"id", "uscc", "year", "text", "verifier", "resolution"});
  } else if (name == "refusals") {
    auto rows = s.Query("SELECT id, at, actor_role, actor_id, op, reason FROM refusals ORDER BY id");
    if (!rows.ok()) return rows.status();
    out = Objects(*rows, {"id", "at", "actor_role", "actor_id", "op", "reason"});
  } else {
    return BadParam("view",
                    StrCat("\"", name, "\" is not one of status, holdings, history, journal, findings, refusals"));
  }
  return out;
}

}  // namespace

}  // namespace cmrv
