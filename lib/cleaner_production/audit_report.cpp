// ComputeAudit: one audit round evaluated on the enterprise's own data — indicators from the energy
// balance, activity, production and inventory; options applied in order through the inventory engine
// (sequential and standalone abatement); their economics and cost of abatement; the MACC; targets and
// the ex-post comparison against a review year.
#include <algorithm>
#include <cmath>

#include "carbonmrv/cleaner_production/cleaner_production.hpp"
#include "carbonmrv/energy_balance/energy_balance.hpp"
#include "carbonmrv/status.hpp"
#include "internal/strings.hpp"

namespace cmrv {
namespace {

using internal::StrCat;

absl::Status FieldError(absl::StatusCode code, const std::string& path, const std::string& what) {
  return MakeError(code, ErrorDetail::kInvalidArgument, StrCat(path, ": ", what));
}

// The unit of the first record of a product or a source, which totals are expressed in.
std::string ProductUnit(const Enterprise& e, const std::string& product) {
  for (const auto& p : e.production) {
    if (p.product == product) return p.quantity.unit_text.str();
  }
  return "";
}
const SourceStream* FindSource(const Enterprise& e, const std::string& id) {
  for (const auto& s : e.sources) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

// `value` in unit `from` (a Unit) expressed in `to` (text).
absl::StatusOr<double> In(double value, const Unit& from, const std::string& to) {
  auto t = Unit::Parse(to);
  if (!t.ok()) return t.status();
  return Convert(value, from, *t);
}

// A per-product ratio numerator/denominator in the indicator's unit.
absl::StatusOr<double> PerProduct(const Enterprise& e, const AuditIndicator& ind, double numerator,
                                  const std::string& numerator_unit, std::string& from) {
  const std::string punit = ProductUnit(e, ind.product);
  auto output = ProductOutput(e, ind.product, punit);
  if (!output.ok()) return output.status();
  if (*output <= 0) {
    return MakeError(absl::StatusCode::kFailedPrecondition, ErrorDetail::kInvalidArgument,
                     StrCat("output of ", ind.product, " is 0"));
  }
  auto nu = Unit::Parse(numerator_unit);
  auto pu = Unit::Parse(punit);
  if (!nu.ok()) return nu.status();
  if (!pu.ok()) return pu.status();
  from += StrCat(" / output ", *output, " ", punit, " of ", ind.product);
  return In(numerator / *output, *nu / *pu, ind.unit_text);
}

// The value of `ind` in the year of `e`, from its data; a reading without a value says why.
IndicatorReading Read(const Enterprise& e, const Inventory& inv, const FactorCatalogue& catalogue,
                      const AuditIndicator& ind) {
  IndicatorReading r{
      ind.id, ind.name, std::string(MetricKindName(ind.metric)), e.year, std::nullopt, ind.unit_text, std::nullopt, ""};
  absl::StatusOr<double> v = 0.0;
  std::string from;
  switch (ind.metric) {
    case MetricKind::kUnitProductEnergy: {
      EnergyBalanceOptions bo;
      for (const auto& b : e.energy_balances) {
        if (b.period == StrCat(e.year)) bo.period = b.period;
      }
      auto bal = ComputeEnergyBalance(e, catalogue, bo);
      if (!bal.ok()) {
        v = bal.status();
        break;
      }
      auto p = std::find_if(bal->products.begin(), bal->products.end(),
                            [&](const ProductIntensity& pi) { return pi.product == ind.product; });
      if (p == bal->products.end()) {
        v = MakeError(absl::StatusCode::kNotFound, ErrorDetail::kNotFound,
                      StrCat("the energy balance ", bal->period, " has no product \"", ind.product, "\""));
        break;
      }
      from = StrCat("energy balance ", bal->period, ": comprehensive energy ", bal->ComprehensiveTce(), " tce × share ",
                    p->share, " / output ", p->quantity, " ", p->unit);
      auto kgce = Unit::Parse("kgce");
      auto pu = Unit::Parse(p->unit);
      v = kgce.ok() && pu.ok() ? In(p->kgce_per_unit, *kgce / *pu, ind.unit_text) : pu.status();
      break;
    }
    case MetricKind::kUnitProductCarrier: {
      double total = 0;
      std::string unit;
      std::vector<std::string> ids;
      for (const auto& s : e.sources) {
        if (s.carrier != ind.carrier || s.kind == SourceKind::kExportedElectricity ||
            s.kind == SourceKind::kExportedHeat || s.scope3) {
          continue;
        }
        if (unit.empty()) unit = s.activity.front().quantity.unit_text;
        auto a = SourceActivity(e, s.id, unit);
        if (!a.ok()) {
          v = a.status();
          break;
        }
        total += *a;
        ids.push_back(s.id);
      }
      if (!v.ok()) break;
      if (ids.empty()) {
        v = MakeError(absl::StatusCode::kNotFound, ErrorDetail::kNotFound,
                      StrCat("no source of carrier \"", ind.carrier, "\""));
        break;
      }
      from = StrCat("activity ", total, " ", unit, " (", internal::StrJoin(ids, ", "), ")");
      v = PerProduct(e, ind, total, unit, from);
      break;
    }
    case MetricKind::kUnitProductSource: {
      const SourceStream* src = FindSource(e, ind.source);
      if (src == nullptr) {
        v = MakeError(absl::StatusCode::kNotFound, ErrorDetail::kNotFound, StrCat("no source \"", ind.source, "\""));
        break;
      }
      const std::string unit = src->activity.front().quantity.unit_text.str();
      auto a = SourceActivity(e, ind.source, unit);
      if (!a.ok()) {
        v = a.status();
        break;
      }
      from = StrCat("activity ", *a, " ", unit, " (", ind.source, ")");
      v = PerProduct(e, ind, *a, unit, from);
      break;
    }
    case MetricKind::kUnitProductCo2e:
      from = StrCat("inventory scope 1 + 2 ", inv.TotalCo2e(), " tCO2e");
      v = PerProduct(e, ind, inv.TotalCo2e(), "tCO2e", from);
      break;
    case MetricKind::kStated:
    case MetricKind::kStatedLevel: {
      auto it = std::find_if(ind.values.begin(), ind.values.end(),
                             [&](const StatedMetricValue& sv) { return sv.year == e.year; });
      if (it == ind.values.end()) {
        v = MakeError(absl::StatusCode::kNotFound, ErrorDetail::kNotFound, StrCat("no value stated for ", e.year));
        break;
      }
      from = StrCat("stated: ", it->source);
      if (ind.metric == MetricKind::kStatedLevel) {
        r.level = it->level;
        r.from = from;
        return r;
      }
      auto u = Unit::Parse(it->unit_text);
      v = u.ok() ? In(it->value, *u, ind.unit_text) : u.status();
      break;
    }
  }
  if (v.ok()) {
    r.value = *v;
    r.from = from;
  } else {
    r.from = StrCat("not available: ", v.status().message());
  }
  return r;
}

// The readings of the audit's indicators in the system's units, for scoring.
absl::StatusOr<std::vector<IndicatorValue>> ForSystem(const IndicatorSystem& sys,
                                                      const std::vector<IndicatorReading>& readings, int year) {
  std::vector<IndicatorValue> out;
  for (const auto& r : readings) {
    if (r.year != year) continue;
    const SystemIndicator* si = sys.Find(r.id);
    if (si == nullptr || (!r.value && !r.level)) continue;
    IndicatorValue v{r.id, std::nullopt, r.level, r.from};
    if (r.value) {
      if (si->qualitative) {
        return MakeError(
            absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
            StrCat("indicator \"", r.id, "\" is qualitative in system \"", sys.id, "\": give it as stated_level"));
      }
      auto u = Unit::Parse(r.unit);
      auto conv = u.ok() ? In(*r.value, *u, si->unit_text) : u.status();
      if (!conv.ok()) {
        return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kIncompatibleUnits,
                         StrCat("indicator \"", r.id, "\": the audit's unit \"", r.unit,
                                "\" does not convert to the "
                                "system's \"",
                                si->unit_text, "\": ", conv.status().message()));
      }
      v.value = *conv;
    }
    out.push_back(std::move(v));
  }
  return out;
}

TargetStatus Target(const AuditTarget& t, const std::vector<IndicatorReading>& readings, int year) {
  TargetStatus s{t.indicator, t.baseline, t.target, t.unit_text, t.deadline, year, std::nullopt, "no_data"};
  for (const auto& r : readings) {
    if (r.id != t.indicator || r.year != year || !r.value) continue;
    auto u = Unit::Parse(r.unit);
    auto v = u.ok() ? In(*r.value, *u, t.unit_text) : u.status();
    if (!v.ok()) continue;
    s.observed = *v;
    // The target's direction is the direction from its baseline to its value.
    const bool lower = t.target <= t.baseline;
    const bool met = lower ? *v <= t.target : *v >= t.target;
    s.status = met ? "met" : (year >= t.deadline ? "missed" : "not_yet_met");
  }
  return s;
}

// Differences of two inventories' totals by `key` (before − after), over the keys of either.
std::map<std::string, double> Diff(const Inventory& before, const Inventory& after, TotalsKey key) {
  auto b = before.Totals(key), a = after.Totals(key);
  std::map<std::string, double> out;
  for (const auto& [k, v] : b) out[k] += v;
  for (const auto& [k, v] : a) out[k] -= v;
  out.erase("memo");
  return out;
}

}  // namespace

absl::StatusOr<AuditReport> ComputeAudit(const Enterprise& enterprise, const FactorCatalogue& catalogue,
                                         const AuditComputeOptions& options) {
  if (enterprise.audits.empty()) {
    return MakeError(absl::StatusCode::kFailedPrecondition, ErrorDetail::kNotFound,
                     "cleaner_production: the document has no audit round (schema carbonmrv.enterprise/2)");
  }
  std::size_t a = enterprise.audits.size() - 1;
  if (!options.audit_id.empty()) {
    auto it = std::find_if(enterprise.audits.begin(), enterprise.audits.end(),
                           [&](const AuditRound& r) { return r.id == options.audit_id; });
    if (it == enterprise.audits.end()) {
      return MakeError(absl::StatusCode::kNotFound, ErrorDetail::kNotFound,
                       StrCat("audit \"", options.audit_id, "\" is not in the document; it has ",
                              internal::NameList(enterprise.audits, [](const AuditRound& r) { return r.id; })));
    }
    a = static_cast<std::size_t>(it - enterprise.audits.begin());
  }
  const AuditRound& round = enterprise.audits[a];
  const std::string path = StrCat("cleaner_production.audits[", a, "]");
  AuditReport rep;
  rep.enterprise = enterprise.name;
  rep.year = enterprise.year;
  rep.audit_id = round.id;
  rep.type = round.type;
  rep.trigger = round.trigger;
  rep.boundary = round.boundary;
  for (const auto& s : round.stages) rep.stages.push_back({s.stage, s.status, s.start, s.end});
  if (round.focus) rep.focus = RankFocus(*round.focus);
  rep.acceptance = round.acceptance;

  auto base = ComputeInventory(enterprise, catalogue, options.inventory);
  if (!base.ok()) return base.status();
  rep.baseline = *std::move(base);
  rep.baseline_co2e_t = rep.baseline.TotalCo2e();

  // Options in order: each applied to what the earlier ones left (sequential marginal abatement), and
  // alone to the baseline (standalone), through the same inventory engine and options.
  const double carbon_price = options.carbon_price_cny_per_t.value_or(
      round.economics.carbon_price ? round.economics.carbon_price->cny_per_unit : 0.0);
  const bool priced_carbon = options.carbon_price_cny_per_t.has_value() || round.economics.carbon_price.has_value();
  Enterprise current = enterprise;
  Inventory before = rep.baseline;
  for (std::size_t j = 0; j < round.options.size(); ++j) {
    const AuditOption& opt = round.options[j];
    const std::string opath = StrCat(path, ".options[", j, "]");
    auto applied = ApplyOption(current, opt, opath);
    if (!applied.ok()) return applied.status();
    auto after = ComputeInventory(*applied, catalogue, options.inventory);
    if (!after.ok()) return WithContext(after.status(), opath);
    auto alone = ApplyOption(enterprise, opt, opath);
    if (!alone.ok()) return alone.status();
    auto alone_inv = ComputeInventory(*alone, catalogue, options.inventory);
    if (!alone_inv.ok()) return WithContext(alone_inv.status(), opath);

    OptionResult res;
    res.id = opt.id;
    res.title = opt.title;
    res.option_class = opt.option_class;
    res.cause = opt.cause;
    res.status = opt.status;
    res.abatement_t = before.TotalCo2e() - after->TotalCo2e();
    res.abatement_by_gas = Diff(before, *after, TotalsKey::kGas);
    res.abatement_by_scope = Diff(before, *after, TotalsKey::kScope);
    res.standalone_abatement_t = rep.baseline_co2e_t - alone_inv->TotalCo2e();
    std::vector<std::string> seen;
    for (const auto& fx : opt.effects) {
      if (std::find(seen.begin(), seen.end(), fx.source) != seen.end()) continue;
      seen.push_back(fx.source);
      const SourceStream* src = FindSource(current, fx.source);
      const std::string unit = src->activity.front().quantity.unit_text.str();
      auto b = SourceActivity(current, fx.source, unit);
      auto af = SourceActivity(*applied, fx.source, unit);
      if (!b.ok()) return b.status();
      if (!af.ok()) return af.status();
      ActivityChange ch{fx.source, unit, *b, *af, std::nullopt};
      auto price = std::find_if(round.prices.begin(), round.prices.end(),
                                [&](const ActivityPrice& p) { return p.source == fx.source; });
      if (price != round.prices.end()) {
        auto saved = Convert(*b - *af, unit, price->price.physical_unit);
        if (!saved.ok())
          return FieldError(absl::StatusCode::kInvalidArgument, path + ".prices",
                            std::string(saved.status().message()));
        ch.value_cny = *saved * price->price.cny_per_unit;
        res.energy_savings_cny += *ch.value_cny;
      } else {
        res.notes.push_back(StrCat("source ", fx.source, " has no price in ", path,
                                   ".prices: its change is not valued in the savings"));
      }
      res.changes.push_back(std::move(ch));
    }
    res.annual_savings_cny = res.energy_savings_cny + opt.other_annual_savings.cny;
    res.investment_cny = opt.investment.cny;
    res.annual_om_change_cny = opt.annual_om_change.cny;
    EconomicsInput in;
    in.investment = opt.investment.cny;
    in.annual_savings = res.annual_savings_cny;
    in.annual_om_change = opt.annual_om_change.cny;
    in.life_years = opt.life_years;
    in.depreciation_years = opt.depreciation_years;
    in.discount_rate = round.economics.discount_rate_pct / 100;
    in.tax_rate = round.economics.tax_rate_pct / 100;
    if (round.economics.benchmark_rate_pct) in.benchmark_rate = *round.economics.benchmark_rate_pct / 100;
    auto econ = EvaluateEconomics(in);
    if (!econ.ok()) return WithContext(econ.status(), opath);
    res.economics = *econ;
    if (priced_carbon) {
      // Avoided allowances (or, for an option that raises emissions, allowances to buy) as cash flow.
      in.annual_savings += res.abatement_t * carbon_price;
      auto with = EvaluateEconomics(in);
      if (!with.ok()) return WithContext(with.status(), opath);
      res.economics_with_carbon = *with;
      res.carbon_price_cny_per_t = carbon_price;
    }
    if (res.abatement_t > 0) {
      res.cost_per_t =
          (in.investment * res.economics.crf + in.annual_om_change - res.annual_savings_cny) / res.abatement_t;
    } else {
      res.notes.push_back(StrCat("abates ", res.abatement_t, " tCO2e: no cost of abatement, not on the MACC"));
    }
    rep.options.push_back(std::move(res));
    current = *std::move(applied);
    before = *std::move(after);
  }
  rep.final = std::move(before);
  rep.final_co2e_t = rep.final.TotalCo2e();

  // MACC: cheapest first (document order on equal cost), width = annual abatement.
  for (const auto& o : rep.options) {
    if (o.cost_per_t) rep.macc.push_back({o.id, *o.cost_per_t, o.abatement_t, 0, 0});
  }
  std::stable_sort(rep.macc.begin(), rep.macc.end(),
                   [](const MaccRow& x, const MaccRow& y) { return x.cost_per_t < y.cost_per_t; });
  double cum = 0;
  for (auto& m : rep.macc) {
    m.cumulative_start = cum;
    cum += m.abatement_t;
    m.cumulative_end = cum;
  }

  // Indicators: the baseline year, then the review year.
  std::optional<Inventory> review_inv;
  if (options.review) {
    auto ri = ComputeInventory(*options.review, catalogue, options.inventory);
    if (!ri.ok()) return WithContext(ri.status(), "review document");
    review_inv = *std::move(ri);
  }
  for (const auto& ind : round.indicators) rep.indicators.push_back(Read(enterprise, rep.baseline, catalogue, ind));
  if (options.review) {
    for (const auto& ind : round.indicators) {
      rep.indicators.push_back(Read(*options.review, *review_inv, catalogue, ind));
    }
  }
  if (options.system) {
    auto vals = ForSystem(*options.system, rep.indicators, enterprise.year);
    if (!vals.ok()) return vals.status();
    auto sc = ScoreIndicators(*options.system, *vals);
    if (!sc.ok()) return sc.status();
    rep.score = *std::move(sc);
    if (options.review) {
      auto rv = ForSystem(*options.system, rep.indicators, options.review->year);
      if (!rv.ok()) return rv.status();
      auto rs = ScoreIndicators(*options.system, *rv);
      if (!rs.ok()) return rs.status();
      rep.review_score = *std::move(rs);
    }
  }
  const int target_year = options.review ? options.review->year : enterprise.year;
  for (const auto& t : round.targets) rep.targets.push_back(Target(t, rep.indicators, target_year));

  if (options.review) {
    auto cmp = CompareExPost(enterprise, *options.review, catalogue, options.inventory, &rep.baseline, &*review_inv);
    if (!cmp.ok()) return cmp.status();
    for (auto& c : *cmp) {
      if (c.audit == round.id) rep.ex_post.push_back(std::move(c));
    }
  }
  if (round.options.empty()) rep.notes.push_back("the audit lists no options");
  return rep;
}

}  // namespace cmrv
