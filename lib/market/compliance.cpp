// Compliance (market/compliance.hpp): allowances due under the period's rules and a surrender plan from
// the holdings. Rules and sources: docs/market.md.
#include "carbonmrv/market/compliance.hpp"

#include <algorithm>
#include <cmath>

#include "absl/strings/numbers.h"
#include "carbonmrv/status.hpp"
#include "internal/csv.hpp"
#include "internal/invalid.hpp"
#include "internal/json.hpp"
#include "internal/name_table.hpp"
#include "internal/strings.hpp"

namespace cmrv {
namespace {

using internal::StrCat;
using nlohmann::json;

constexpr std::pair<HoldingKind, std::string_view> kKindNames[] = {{HoldingKind::kAllowance, "allowance"},
                                                                   {HoldingKind::kCcer, "ccer"}};

using internal::InvalidField;

bool Eligible(const ComplianceRules& c, int vintage, int year) {
  if (c.eligible_vintages.empty()) return vintage <= year;
  return std::find(c.eligible_vintages.begin(), c.eligible_vintages.end(), vintage) != c.eligible_vintages.end();
}

// Takes up to `want` from the holdings of `kind` (oldest vintage first) into the plan; returns what it took.
double Take(std::vector<SurrenderLine>& plan, HoldingKind kind, double want) {
  double taken = 0;
  for (auto& line : plan) {
    if (line.kind != kind) continue;
    const double t = std::min(line.eligible_t - line.surrendered_t, want - taken);
    if (t <= 0) continue;
    line.surrendered_t += t;
    taken += t;
  }
  return taken;
}

}  // namespace

std::string_view HoldingKindName(HoldingKind k) { return internal::NameIn(kKindNames, k); }
absl::StatusOr<HoldingKind> ParseHoldingKind(std::string_view name) {
  return internal::ParseIn(kKindNames, name, "holding kind");
}

absl::StatusOr<ComplianceResult> AssessCompliance(const AllocationResult& allocation, const AllocationRules& rules,
                                                  std::span<const Holding> holdings, const ComplianceOptions& options) {
  if (allocation.rules_id != rules.id) {
    return InvalidField("rules", StrCat("the allocation was made under ", allocation.rules_id, ", not ", rules.id));
  }
  for (std::size_t i = 0; i < holdings.size(); ++i) {
    const Holding& h = holdings[i];
    if (!(std::isfinite(h.quantity_t) && h.quantity_t >= 0)) {
      return InvalidField(StrCat("holdings[", i, "].quantity_t"),
                          StrCat(h.quantity_t, " is not a finite quantity ≥ 0"));
    }
    if (h.vintage < 1990 || h.vintage > 2100) {
      return InvalidField(StrCat("holdings[", i, "].vintage"), StrCat(h.vintage, " is not a year from 1990 to 2100"));
    }
  }
  if (options.net_sold_t && !std::isfinite(*options.net_sold_t))
    return InvalidField("net_sold_t", "expected a finite number");
  const ComplianceRules& c = rules.compliance;
  ComplianceResult res;
  res.rules_id = rules.id;
  res.year = allocation.year;

  // Gas units (exempt): min(E, A) each. The others: min(E, A + cap × E) over their sum (the cap is on
  // the entity's shortfall, of its verified emissions: climatecooperation.cn, ICAP node/731).
  double e_rest = 0, a_rest = 0, due_exempt = 0;
  for (const auto& f : allocation.facilities) {
    if (!f.verified_emissions_t) {
      return MakeError(
          absl::StatusCode::kFailedPrecondition, ErrorDetail::kMissingParameter,
          StrCat("facility ", f.facility, " has no verified emissions for ", allocation.year,
                 " (give allocation.years[", allocation.year, "].verified_emissions or allocate the reporting year)"));
    }
    ComplianceFacility cf{f.facility, f.fuel, *f.verified_emissions_t, f.allocation_t, *f.verified_emissions_t, false};
    cf.exempt = std::find(c.exempt_fuels.begin(), c.exempt_fuels.end(), f.fuel) != c.exempt_fuels.end();
    if (cf.exempt) {
      cf.due_t = std::min(cf.emissions_t, cf.allocation_t);
      res.exempt_relief_t += cf.emissions_t - cf.due_t;
      due_exempt += cf.due_t;
    } else {
      e_rest += cf.emissions_t;
      a_rest += cf.allocation_t;
    }
    res.emissions_t += cf.emissions_t;
    res.allocation_t += cf.allocation_t;
    res.facilities.push_back(cf);
  }
  if (allocation.unattributed_emissions_t > 0) {
    const double e = allocation.unattributed_emissions_t;
    res.facilities.push_back({"(unattributed)", UnitFuel::kOther, e, 0, e, false});
    e_rest += e;
    res.emissions_t += e;
    res.notes.push_back(StrCat(e,
                               " t of emissions are not attributed to a facility with allocation data; they count "
                               "under the non-exempt rule"));
  }
  double due_rest = e_rest;
  if (c.shortfall_cap_share) due_rest = std::min(e_rest, a_rest + *c.shortfall_cap_share * e_rest);
  res.cap_relief_t = e_rest - due_rest;
  res.due_t = due_exempt + due_rest;

  // Surrender: offsets first, up to the limit (they cannot be banked against a later period's limit),
  // then allowances oldest vintage first.
  res.offset_limit_t = c.offset_limit_share ? *c.offset_limit_share * res.due_t : 0;
  if (!c.offset_limit_share) res.notes.push_back(StrCat("rule set ", rules.id, " admits no offsets"));
  std::vector<Holding> sorted(holdings.begin(), holdings.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const Holding& a, const Holding& b) {
    return std::tie(a.kind, a.vintage) < std::tie(b.kind, b.vintage);
  });
  for (const auto& h : sorted) {
    SurrenderLine line{h.kind, h.vintage, h.quantity_t, h.quantity_t, 0, ""};
    if (h.kind == HoldingKind::kAllowance && !Eligible(c, h.vintage, allocation.year)) {
      line.eligible_t = 0;
      line.reason = StrCat("vintage ", h.vintage, " is not eligible for ", allocation.year);
    }
    res.surrender.push_back(line);
  }
  const double offsets = Take(res.surrender, HoldingKind::kCcer, std::min(res.offset_limit_t, res.due_t));
  const double allowances = Take(res.surrender, HoldingKind::kAllowance, res.due_t - offsets);
  for (auto& line : res.surrender) {
    if (line.kind == HoldingKind::kCcer && line.surrendered_t < line.held_t && line.reason.empty()) {
      line.reason = "offset limit";
    }
    if (line.kind == HoldingKind::kAllowance) res.surplus_t += line.eligible_t - line.surrendered_t;
  }
  res.surrendered_t = offsets + allowances;
  res.shortfall_t = std::max(0.0, res.due_t - res.surrendered_t);
  if (c.borrowing && res.shortfall_t > 0 && res.due_t > 0 &&
      res.shortfall_t / res.due_t >= c.borrowing->min_shortfall_share) {
    res.borrowing_available_t = c.borrowing->max_share * res.shortfall_t;
    res.notes.push_back(StrCat("may borrow up to ", *res.borrowing_available_t, " t from the ",
                               c.borrowing->from_vintage, " pre-allocation"));
  }
  if (c.carry_over_cap) {
    if (options.net_sold_t) {
      res.carry_over_cap_t =
          c.carry_over_cap->fixed + c.carry_over_cap->per_net_sold * std::max(0.0, *options.net_sold_t);
    } else {
      res.notes.push_back("the period caps carry-over by net allowances sold: give net_sold to compute it");
    }
  }
  return res;
}

std::string ComplianceResult::ToJson() const {
  auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
  json j = {{"schema", "carbonmrv.compliance/1"},
            {"rules", rules_id},
            {"year", year},
            {"emissions_t", emissions_t},
            {"allocation_t", allocation_t},
            {"due_t", due_t},
            {"cap_relief_t", cap_relief_t},
            {"exempt_relief_t", exempt_relief_t},
            {"offset_limit_t", offset_limit_t},
            {"surrendered_t", surrendered_t},
            {"shortfall_t", shortfall_t},
            {"surplus_t", surplus_t},
            {"borrowing_available_t", opt(borrowing_available_t)},
            {"carry_over_cap_t", opt(carry_over_cap_t)},
            {"notes", notes}};
  json fs = json::array();
  for (const auto& f : facilities) {
    fs.push_back({{"facility", f.facility},
                  {"fuel", std::string(UnitFuelName(f.fuel))},
                  {"emissions_t", f.emissions_t},
                  {"allocation_t", f.allocation_t},
                  {"due_t", f.due_t},
                  {"exempt", f.exempt}});
  }
  j["facilities"] = std::move(fs);
  json s = json::array();
  for (const auto& l : surrender) {
    s.push_back({{"kind", std::string(HoldingKindName(l.kind))},
                 {"vintage", l.vintage},
                 {"held_t", l.held_t},
                 {"eligible_t", l.eligible_t},
                 {"surrendered_t", l.surrendered_t},
                 {"reason", l.reason}});
  }
  j["surrender"] = std::move(s);
  return j.dump(2);
}

std::string ComplianceResult::ToCsv() const {
  std::string out = "kind,vintage,held_t,eligible_t,surrendered_t,reason\n";
  for (const auto& l : surrender) {
    out += StrCat(HoldingKindName(l.kind), ",", l.vintage, ",", l.held_t, ",", l.eligible_t, ",", l.surrendered_t, ",",
                  internal::CsvField(l.reason), "\n");
  }
  return out;
}

absl::StatusOr<std::vector<Holding>> ReadHoldingsCsv(std::string_view text, std::string_view source) {
  auto table = internal::ParseCsv(text, source);
  if (!table.ok()) return table.status();
  const int kind = table->Column("kind"), vintage = table->Column("vintage"), quantity = table->Column("quantity");
  if (kind < 0 || vintage < 0 || quantity < 0) {
    return InvalidField(std::string(source), "the header names kind, vintage and quantity");
  }
  std::vector<Holding> out;
  for (std::size_t i = 0; i < table->rows.size(); ++i) {
    const auto& row = table->rows[i];
    const std::string where = StrCat(source, ":", table->lines[i]);
    auto field = [&](int col) -> std::string_view {
      return static_cast<std::size_t>(col) < row.size() ? std::string_view(row[static_cast<std::size_t>(col)]) : "";
    };
    Holding h;
    auto k = ParseHoldingKind(field(kind));
    if (!k.ok()) return InvalidField(StrCat(where, ": kind"), std::string(k.status().message()));
    h.kind = *k;
    const std::string_view v = field(vintage), q = field(quantity);
    if (!absl::SimpleAtoi(absl::string_view(v.data(), v.size()), &h.vintage)) {
      return InvalidField(StrCat(where, ": vintage"), StrCat("\"", v, "\" is not a year"));
    }
    if (!absl::SimpleAtod(absl::string_view(q.data(), q.size()), &h.quantity_t) || !std::isfinite(h.quantity_t) ||
        h.quantity_t < 0) {
      return InvalidField(StrCat(where, ": quantity"), StrCat("\"", q, "\" is not a quantity ≥ 0"));
    }
    out.push_back(h);
  }
  return out;
}

}  // namespace cmrv
