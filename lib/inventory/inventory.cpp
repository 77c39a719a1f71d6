#include "carbonmrv/inventory/inventory.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <gsl/narrow>
#include <iterator>
#include <memory>
#include <thread>
#include <tuple>
#include <vector>
#include "internal/json.hpp"

#include "absl/strings/ascii.h"
#include "carbonmrv/factors/carbonates.hpp"
#include "carbonmrv/status.hpp"
#include "carbonmrv/units/units.hpp"
#include "internal/huge_pages.hpp"
#include "internal/line_group.hpp"
#include "internal/strings.hpp"
#include "internal/threads.hpp"
#include "inventory/methods.hpp"

namespace cmrv {

using internal::StrCat;

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

namespace internal {

std::string TargetUnit(Gas gas) {
  switch (gas) {
    case Gas::kCo2:
    case Gas::kCo2Biogenic: return "tCO2";
    case Gas::kCh4: return "tCH4";
    case Gas::kN2o: return "tN2O";
    case Gas::kHfc:
    case Gas::kPfc:
    case Gas::kSf6:
    case Gas::kNf3: return "t";  // tonnes of the line's species (the units engine has no axis per F-gas)
    case Gas::kCo2e: break;
  }
  return "tCO2e";
}

}  // namespace internal

namespace internal {

absl::StatusOr<UnitChain> BuildUnitChain(const InventoryLine& line) {
  UnitChain c;
  c.running.reserve(line.terms.size());
  for (const auto& t : line.terms) {
    auto u = Unit::Parse(t.unit);
    if (!u.ok()) return WithContext(u.status(), StrCat("term ", t.name));
    c.product = c.product * *u;
    c.running.push_back(c.product);
  }
  auto target = Unit::Parse(TargetUnit(line.gas));
  if (!target.ok()) return target.status();
  c.target = *std::move(target);
  c.symbol = c.product.symbol();
  return c;
}

absl::StatusOr<const UnitChain*> UnitChains::Get(const InventoryLine& line) {
  key_.assign(GasName(line.gas));
  for (const auto& t : line.terms) {
    key_ += '\x1f';
    key_ += t.unit;
  }
  if (last_ != nullptr && key_ == last_key_) return last_;
  auto it = chains_.find(key_);
  if (it == chains_.end()) {
    auto c = BuildUnitChain(line);
    if (!c.ok()) return c.status();
    it = chains_.emplace(key_, *std::move(c)).first;  // may move the others: last_ is set again below
  }
  last_key_ = key_;
  last_ = &it->second;
  return last_;
}

// The one evaluation of a line: product of the term values in the product of the term units, converted
// to tonnes of the line's gas. The engine and ReplayLine both call it, so a trace replays bit for bit.
absl::StatusOr<double> EvaluateLine(const InventoryLine& line, std::string* conversion, UnitChains* chains) {
  UnitChain own;
  const UnitChain* chain = &own;
  if (chains != nullptr) {
    auto c = chains->Get(line);
    if (!c.ok()) return c.status();
    chain = *c;
  } else {
    auto c = BuildUnitChain(line);
    if (!c.ok()) return c.status();
    own = *std::move(c);
  }
  double value = 1.0;
  // The intermediate energy and carbon a reader checks published rounding against (AD × NCV in GJ,
  // then × CC in tC), each the first time the running product has that kind; display only, written
  // straight into *conversion (this runs for every line of the inventory).
  if (conversion != nullptr) {
    conversion->clear();
    conversion->reserve(128);
  }
  static const Kind energy = Kind::Of(Axis::kEnergy), carbon = Kind::Of(Axis::kCarbon);
  bool energy_seen = false, carbon_seen = false;
  for (std::size_t i = 0; i < line.terms.size(); ++i) {
    const TraceTerm& t = line.terms[i];
    const Unit& unit = chain->running[i];
    value *= t.value;
    // Display text only when asked (not in ReplayLine and the batch engine's paths).
    if (conversion != nullptr && ((!energy_seen && unit.kind() == energy) || (!carbon_seen && unit.kind() == carbon))) {
      static const Unit kGj = *Unit::Parse("GJ"), kTc = *Unit::Parse("tC");
      const bool is_energy = unit.kind() == energy;
      (is_energy ? energy_seen : carbon_seen) = true;
      if (auto v = Convert(value, unit, is_energy ? kGj : kTc); v.ok()) {
        for (std::size_t j = 0; j <= i; ++j) internal::StrAppend(conversion, j ? " × " : "", line.terms[j].name);
        internal::StrAppend(conversion, " = ", *v, is_energy ? " GJ; " : " tC; ");
      }
    }
    if (!std::isfinite(value)) {
      return MakeError(absl::StatusCode::kOutOfRange, ErrorDetail::kOverflow,
                       StrCat("source ", line.source_id, " period ", line.period, " ", GasName(line.gas),
                              ": the product of the terms up to ", t.name, " (", t.value, " ", t.unit,
                              ") exceeds the largest double"));
    }
  }
  auto v = Convert(value, chain->product, chain->target);
  if (!v.ok()) {
    return WithContext(v.status(), StrCat("source ", line.source_id, " period ", line.period, " ", GasName(line.gas)));
  }
  if (conversion != nullptr) {
    internal::StrAppend(conversion, "product of the terms = ", value, " ", chain->symbol, " = ", *v, " ",
                        internal::TargetUnit(line.gas));
  }
  return *v;
}
}  // namespace internal

absl::StatusOr<double> ReplayLine(const InventoryLine& line) { return internal::EvaluateLine(line, nullptr); }

absl::StatusOr<std::string> ConversionText(const InventoryLine& line) {
  std::string text;
  if (auto v = internal::EvaluateLine(line, &text); !v.ok()) return v.status();
  return text;
}

double Co2PerCarbonOf(const InventoryOptions& o) {
  return o.co2_per_carbon_stated ? o.co2_per_carbon_stated->value : Co2PerCarbonValue(o.co2_per_carbon);
}

std::string Co2PerCarbonText(const InventoryOptions& o) {
  if (!o.co2_per_carbon_stated) return std::string(Co2PerCarbonName(o.co2_per_carbon));
  return StrCat(o.co2_per_carbon_stated->value, " (stated: ", o.co2_per_carbon_stated->source, ")");
}

namespace {

// The sources in `parts` runs of whole sources with about equal records: part k is [bounds[k],
// bounds[k + 1]).
std::vector<std::size_t> PartBounds(const Enterprise& e, std::size_t records, std::size_t parts) {
  std::vector<std::size_t> bounds(parts + 1, e.sources.size());
  bounds[0] = 0;
  std::size_t k = 1, done = 0;
  for (std::size_t i = 0; i < e.sources.size() && k < parts; ++i) {
    done += e.sources[i].activity.size();
    while (k < parts && done * parts >= records * k) bounds[k++] = i + 1;
  }
  return bounds;
}

absl::Status ComputeRange(internal::MethodContext& ctx, const Enterprise& e, std::size_t lo, std::size_t hi) {
  for (std::size_t i = lo; i < hi; ++i) {
    for (const auto& rec : e.sources[i].activity) {
      if (auto st = internal::ComputeRecord(ctx, e.sources[i], rec); !st.ok()) return st;
    }
  }
  return absl::OkStatus();
}

// Every activity record's lines into ctx.out, in source and record order. With more than one thread the
// sources are cut into parts of about equal records; part 0 writes into ctx, each other part into a
// context and lines of its own, which are then appended in part order with their not-estimated entries
// (AbsorbMissing). A record's lines depend on the record, its source and the catalogue alone, so the
// inventory is the one a single thread computes, bit for bit; the error reported is the first in source
// order. On two threads, 10⁵ sources × 12 months computed in 1.6–2.0 s instead of 2.4–3.4 s in a fresh
// process (its first touches of memory split between the cores), and in about the same 1.0–1.1 s with
// memory reused (docs/performance.md).
absl::Status ComputeSources(const Enterprise& e, const FactorCatalogue& catalogue, const InventoryOptions& options,
                            std::size_t records, internal::MethodContext& ctx) {
  const unsigned threads = options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  const std::size_t parts = std::min<std::size_t>(
      {threads, std::max<std::size_t>(1, records / internal::RecordsPerPartForTesting()), e.sources.size()});
  if (parts <= 1) return ComputeRange(ctx, e, 0, e.sources.size());
  const std::vector<std::size_t> bounds = PartBounds(e, records, parts);
  std::vector<Inventory> outs(parts);
  std::vector<std::unique_ptr<internal::MethodContext>> ctxs(parts);
  std::vector<absl::Status> status(parts);
  // The later parts' lines are moved into place below by one thread. Their place (one line per record
  // expected, the lines' reserve) is faulted in first, a share by each thread, so that the move does not
  // touch fresh pages alone: that was ~0.2 s of 1.4 for 10⁵ sources × 12 months in a fresh process. It is
  // done before any part computes: part 0 appends to these lines and may outgrow the reserve, which
  // moves them (a data race with a part still reading where they were; TSan, session 19).
  auto part_records = [&](std::size_t k) {
    std::size_t n = 0;
    for (std::size_t i = bounds[k]; i < bounds[k + 1]; ++i) n += e.sources[i].activity.size();
    return n;
  };
  const std::size_t tail_lines = ctx.out.lines.capacity() - std::min(ctx.out.lines.capacity(), part_records(0));
  const InventoryLine* const tail = ctx.out.lines.data() + (ctx.out.lines.capacity() - tail_lines);
  internal::RunTasks(threads, parts, [&](std::size_t k) {
    const std::size_t lo = tail_lines * k / parts, hi = tail_lines * (k + 1) / parts;
    internal::PopulateForWrite(tail + lo, (hi - lo) * sizeof(InventoryLine));
  });
  internal::RunTasks(threads, parts, [&](std::size_t k) {
    internal::MethodContext* c = &ctx;
    if (k > 0) {
      internal::ReserveHuge(outs[k].lines, part_records(k));
      ctxs[k] = std::make_unique<internal::MethodContext>(e, catalogue, options, outs[k]);
      c = ctxs[k].get();
    }
    status[k] = ComputeRange(*c, e, bounds[k], bounds[k + 1]);
  });
  for (const auto& st : status) {
    if (!st.ok()) return st;
  }
  for (std::size_t k = 1; k < parts; ++k) {
    ctx.out.lines.insert(ctx.out.lines.end(), std::make_move_iterator(outs[k].lines.begin()),
                         std::make_move_iterator(outs[k].lines.end()));
    ctx.AbsorbMissing(*ctxs[k]);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Inventory> ComputeInventory(const Enterprise& enterprise, const FactorCatalogue& catalogue,
                                           const InventoryOptions& options) {
  if (const auto& stated = options.co2_per_carbon_stated) {
    using namespace atomic_weight;
    const double molar = (kC + 2 * kO) / kC;
    if (stated->source.empty()) {
      return MakeError(
          absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
          StrCat("co2_per_carbon ", stated->value, " needs co2_per_carbon_source: the document that states the ratio"));
    }
    if (!(std::abs(stated->value / molar - 1) <= 0.01)) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                       StrCat("co2_per_carbon ", stated->value, " is more than 1 % from the molar-mass ratio ", molar,
                              " (44.009/12.011); a CO2/C ratio is that ratio, rounded"));
    }
  }
  const DatasetInfo* gwp = catalogue.FindDataset(options.gwp_dataset);
  if (gwp == nullptr ||
      catalogue.Lookup({"", "gwp100", "ch4", "", std::nullopt, {options.gwp_dataset}}).status().code() ==
          absl::StatusCode::kNotFound) {
    return MakeError(
        absl::StatusCode::kInvalidArgument, ErrorDetail::kFactorNotFound,
        StrCat("gwp_dataset \"", options.gwp_dataset,
               "\" is not a GWP set in the catalogue (e.g. ipcc_ar4_gwp100, ipcc_ar5_gwp100, ipcc_ar6_gwp100)"));
  }
  Inventory inv;
  inv.enterprise_name = enterprise.name;
  inv.uscc = enterprise.uscc;
  inv.region = enterprise.region;
  inv.year = enterprise.year;
  inv.options = options;
  inv.gwp_dataset_sha256 = gwp->sha256;
  inv.production = enterprise.production;
  internal::MethodContext ctx{enterprise, catalogue, options, inv};
  // One line per record is the common case (a fuel's CO2; CH4 and N2O add lines where factors exist):
  // reserving it spares the growth's copies of every line so far.
  std::size_t records = 0;
  for (const auto& src : enterprise.sources) records += src.activity.size();
  // 10⁵ sources × 12 months are 390 MB of lines: in 4 KiB pages their first touch cost a second on this
  // VM (huge_pages.hpp).
  internal::ReserveHuge(inv.lines, records);
  if (auto st = ComputeSources(enterprise, catalogue, options, records, ctx); !st.ok()) return st;
  // CEMS: the corroborating calculation's CO2 becomes a memo, and each period's difference is noted.
  for (const auto& cems : enterprise.sources) {
    if (cems.kind != SourceKind::kCems || cems.calculation.empty()) continue;
    std::map<std::string, double, std::less<>> calculated;
    for (auto& l : inv.lines) {
      if (l.source_id == cems.calculation && IsCo2(l.gas)) {
        l.memo = true;
        l.notes.push_back(StrCat("corroboration only: the CO2 of this source is measured by CEMS source ", cems.id));
        calculated[l.period.str()] += l.mass_t;
      }
    }
    for (const auto& l : inv.lines) {
      if (l.source_id != cems.id) continue;
      auto it = calculated.find(l.period.view());
      if (it == calculated.end()) {
        inv.notes.push_back(StrCat("CEMS ", cems.id, " period ", l.period, ": no calculation of ", cems.calculation,
                                   " for this period to corroborate it"));
        continue;
      }
      const double diff_pct = it->second != 0 ? (l.mass_t - it->second) / it->second * 100.0 : 0.0;
      char pct[32];
      std::snprintf(pct, sizeof pct, "%+.2f", diff_pct);
      inv.notes.push_back(StrCat("CEMS ", cems.id, " period ", l.period, ": measured ", l.mass_t, " tCO2, calculated (",
                                 cems.calculation, ") ", it->second, " tCO2, difference ", pct, " %"));
    }
  }
  for (const auto& m : ctx.missing) {
    std::string when =
        m.periods == 1 ? StrCat("period ", m.first) : StrCat(m.periods, " periods (", m.first, " … ", m.last, ")");
    inv.notes.push_back(StrCat(*m.gas, " not estimated for source ", m.source, ", ", when, ": ", *m.reason));
  }
  // Every line is finite; their sum may still not be. An inventory whose total is not a number is
  // refused rather than returned as OK with inf.
  if (double total = std::abs(inv.TotalCo2e()) + std::abs(inv.BiomassCo2()); !std::isfinite(total)) {
    return MakeError(absl::StatusCode::kOutOfRange, ErrorDetail::kOverflow,
                     "the inventory's total exceeds the largest double (about 1.8e308 t); check the activity units");
  }
  return inv;
}

absl::StatusOr<Inventory> ComputeUnitActivity(const UnitActivity& a, const FactorCatalogue& catalogue,
                                              const InventoryOptions& options) {
  auto bad = [](const std::string& message) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument, message);
  };
  const bool combustion = a.kind == SourceKind::kFuelCombustion || a.kind == SourceKind::kBiomassCombustion;
  if (combustion && !IsCombustionMethod(a.method)) {
    return bad(StrCat("method \"", a.method,
                      "\" is not a combustion method; expected default_factor, energy_ef or "
                      "measured_carbon"));
  }
  auto unit = Unit::Parse(a.unit);
  if (!unit.ok()) return unit.status();
  if (const std::string need = ActivityUnitExpected(a.kind, unit->kind()); !need.empty()) {
    return bad(StrCat("\"", a.unit, "\" is ", unit->kind().Describe(), "; a ", SourceKindName(a.kind), " source needs ",
                      need));
  }
  SourceStream src;
  src.id = "s";
  src.kind = a.kind;
  if (!a.carrier.empty()) {
    auto carrier = CarrierCatalogue::Builtin().Resolve(a.carrier);
    if (!carrier.ok()) return carrier.status();
    src.carrier = (*carrier)->id;
  }
  if (src.carrier.empty()) src.carrier = std::string(DefaultCarrier(a.kind));  // as the enterprise reader does
  if (combustion) src.method = a.method;
  ActivityRecord record;
  record.period = StrCat(a.year);
  record.quantity = GivenQuantity{1.0, a.unit, *unit};
  src.activity.push_back(std::move(record));
  Enterprise e;
  e.name = "unit activity";
  e.region = a.region == "GLOBAL" ? "" : a.region;  // GLOBAL is what an enterprise without a region gets
  e.year = a.year;
  e.sources.push_back(std::move(src));
  return ComputeInventory(e, catalogue, options);
}

// ---------------------------------------------------------------------------------------------
// Totals
// ---------------------------------------------------------------------------------------------

double Inventory::TotalCo2e() const {
  double total = 0;
  for (const auto& l : lines) {
    if (internal::LineGroup(l, TotalsKey::kTotal)) total += l.co2e_t;
  }
  return total;
}

namespace {
// A line counted in the scope 1+2 total under `method`: the inventory's own lines, with the electricity
// lines swapped for the other method's when `method` is not the inventory's.
bool CountsUnder(const InventoryLine& l, Scope2Method method, Scope2Method own) {
  if (l.scope2_method) return *l.scope2_method == method && (method == own ? !l.memo : l.memo);
  return internal::LineGroup(l, TotalsKey::kTotal).has_value();
}
}  // namespace

double Inventory::TotalCo2e(Scope2Method method) const {
  double total = 0;
  for (const auto& l : lines) {
    if (CountsUnder(l, method, options.scope2_method)) total += l.co2e_t;
  }
  return total;
}

double Inventory::Scope2Co2e(Scope2Method method) const {
  double total = 0;
  for (const auto& l : lines) {
    if (l.scope == Scope::k2 && CountsUnder(l, method, options.scope2_method)) total += l.co2e_t;
  }
  return total;
}

double Inventory::BiomassCo2() const {
  double total = 0;
  for (const auto& l : lines) {
    if (l.memo && l.gas == Gas::kCo2Biogenic) total += l.mass_t;
  }
  return total;
}

std::string_view TotalsKeyName(TotalsKey key) {
  switch (key) {
    case TotalsKey::kTotal: return "total";
    case TotalsKey::kCategory: return "category";
    case TotalsKey::kScope: return "scope";
    case TotalsKey::kIsoCategory: return "iso_category";
    case TotalsKey::kGas: return "gas";
    case TotalsKey::kPeriod: return "period";
    case TotalsKey::kSource: return "source";
  }
  return "total";
}

absl::StatusOr<TotalsKey> ParseTotalsKey(std::string_view name) {
  for (TotalsKey k : kTotalsKeys) {
    if (TotalsKeyName(k) == name) return k;
  }
  std::string valid;  // the list is built only for the error
  for (TotalsKey k : kTotalsKeys) internal::StrAppend(&valid, valid.empty() ? "" : ", ", TotalsKeyName(k));
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                   StrCat("key \"", name, "\" is not one of ", valid));
}

std::map<std::string, double> Inventory::Totals(TotalsKey key) const {
  std::map<std::string, double> out;
  for (const auto& l : lines) {
    if (auto k = internal::LineGroup(l, key)) out[*k] += l.co2e_t;
  }
  return out;
}

}  // namespace cmrv
