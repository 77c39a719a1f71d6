// The inventory engine's calculation methods (methods.hpp): parameter resolution (measured > stated
// > catalogue), and one method per source kind that turns an activity record into lines with traces.
#include "inventory/methods.hpp"

#include <algorithm>
#include <cmath>
#include <gsl/narrow>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"

#include "carbonmrv/factors/carbonates.hpp"
#include "carbonmrv/status.hpp"
#include "carbonmrv/units/units.hpp"
#include "internal/strings.hpp"

namespace cmrv {

using internal::StrCat;

namespace {

using Context = internal::MethodContext;
using internal::TargetUnit;
using namespace atomic_weight;
using internal::EvaluateLine;

// "sources[3] (coal)". `s` is an element of e.sources, so its index is its offset (no search: this is
// called for every trace term).
std::string SourcePath(const Enterprise& e, const SourceStream& s) {
  if (e.sources.empty() || &s < e.sources.data() || &s >= e.sources.data() + e.sources.size()) return s.id;
  return StrCat("sources[", &s - e.sources.data(), "] (", s.id, ")");
}

// Ids of the uncertain inputs (uncertainty.hpp): the document's own paths, so that a value used by
// several lines is recognised as one input.
void AppendActivityId(std::string* out, const Enterprise& e, const SourceStream& src, const ActivityRecord& rec) {
  if (e.sources.empty() || &src < e.sources.data() || &src >= e.sources.data() + e.sources.size()) {
    internal::StrAppend(out, src.id, ".activity[", rec.period, "]");
    return;
  }
  internal::StrAppend(out, "sources[", &src - e.sources.data(), "] (", src.id, ").activity[", rec.period,
                      "]");  // SourcePath
}
std::string ActivityId(const Enterprise& e, const SourceStream& src, const ActivityRecord& rec) {
  std::string id;
  AppendActivityId(&id, e, src, rec);
  return id;
}
std::string MeasuredId(const Enterprise& e, const SourceStream& src, const ActivityRecord& rec, std::string_view name) {
  return StrCat(ActivityId(e, src, rec), ".measured.", name);
}
std::string StatedId(const Enterprise& e, const SourceStream& src, std::string_view name) {
  return StrCat(SourcePath(e, src), ".factors.", name);
}

// The source's combustion sector (CombustionSectorName) and why: stated on the source, else from the
// enterprise's industry code; {"", ""} when neither gives one.
std::pair<std::string, std::string> SectorOf(const Enterprise& e, const SourceStream& s) {
  if (s.sector) return {std::string(CombustionSectorName(*s.sector)), "stated on the source"};
  // The industry describes the enterprise's own combustion, not a contractor's (a scope 3 source).
  if (auto sector = SectorOfIndustry(e.industry); sector && !s.scope3) {
    return {std::string(CombustionSectorName(*sector)), StrCat("from industry ", e.industry, " (GB/T 4754-2017)")};
  }
  return {};
}

// SectorOf(e, s) gives a sector (without building its texts: asked for every period).
bool HasSector(const Enterprise& e, const SourceStream& s) {
  return s.sector || (SectorOfIndustry(e.industry) && !s.scope3);
}

// The uncertain input of a dataset value: U from its (lower, upper) range, and the two sides kept when
// they differ (IPCC's CH4 and N2O defaults span a factor of 3 or more: Monte Carlo draws them skewed).
UncertainInput DatasetInput(const FactorSelection& s) {
  UncertainInput in{StrCat("dataset ", s.dataset.id, " line ", s.record.line), 1.0, RangeUncertaintyPct(s.record)};
  const FactorRecord& r = s.record;
  if (r.lower && r.upper && r.value > 0) {
    const double below = (r.value - *r.lower) / r.value * 100.0, above = (*r.upper - r.value) / r.value * 100.0;
    if (below != above) {
      in.lower_pct = below;
      in.upper_pct = above;
    }
  }
  return in;
}

// The catalogue's value of `param` for `src` as a trace term, or why there is none. It does not depend on
// the period, so each source looks it up once (MethodContext::catalogue_terms), and the sources that ask
// the same question share one term (catalogue_term_cache).
const Context::CatalogueTerm& CatalogueTermOf(Context& ctx, const SourceStream& src, Parameter param,
                                              const std::string& term_name) {
  if (ctx.catalogue_terms_of != &src) {
    // The questions depend on the source only through its carrier, its stated sector and whether it is
    // scope 3 (SectorOf): consecutive sources of one fuel keep the terms (10⁵ sources asked five
    // questions each: 9 % of the compute).
    const SourceStream* prev = ctx.catalogue_terms_of;
    if (prev == nullptr || prev->carrier != src.carrier || prev->sector != src.sector ||
        prev->scope3.has_value() != src.scope3.has_value()) {
      ctx.catalogue_terms.clear();
    }
    ctx.catalogue_terms_of = &src;
  }
  for (const auto& c : ctx.catalogue_terms) {
    if (c.param == param && c.term == term_name) return c;
  }
  const ParameterInfo& info = Info(param);
  // An enterprise that states no region gets GLOBAL values only, never another country's defaults.
  const std::string region = ctx.enterprise.region.empty() ? "GLOBAL" : ctx.enterprise.region;
  const auto [sector, sector_why] = SectorOf(ctx.enterprise, src);
  FactorQuery q{src.carrier,
                std::string(info.catalogue_parameter),
                std::string(info.catalogue_gas),
                region,
                ctx.enterprise.year,
                ctx.options.factor_preference,
                sector};
  std::string key = Context::LookupKey(q);
  internal::StrAppend(&key, "\x1f", term_name, "\x1f", sector_why);
  auto [cached, added] = ctx.catalogue_term_cache.try_emplace(std::move(key));
  if (!added) return ctx.catalogue_terms.emplace_back(cached->second);
  const absl::StatusOr<FactorSelection>& sel = ctx.Lookup(q);
  Context::CatalogueTerm& c = cached->second;
  c.param = param;
  c.term = term_name;
  if (!sel.ok()) {
    c.why_not = std::string_view(sel.status().message().data(), sel.status().message().size());
    return ctx.catalogue_terms.emplace_back(c);
  }
  const auto& s = *sel;
  const std::string b = absl::AsciiStrToUpper(s.record.basis);  // datasets write "HHV" or "ncv"
  if (b == "NCV" || b == "HHV") c.basis = b;
  c.value = std::make_shared<const TraceTerm>(
      TraceTerm{term_name,
                s.record.value,
                s.record.unit,
                StrCat("dataset ", s.dataset.id, " line ", s.record.line, " (", s.record.source_table, ", ",
                       s.record.source_row, "), sha256 ", s.dataset.sha256, "; chosen by: ", s.rule,
                       s.record.sector.empty() ? "" : StrCat(" (", sector_why, ")")),
                {DatasetInput(s)},
                param});
  return ctx.catalogue_terms.emplace_back(c);
}

// Resolves one parameter for a period: measurement > stated in the document > catalogue.
// Returns nullopt (and no error) when nothing has it and `required` is false.
// `basis` (if given) receives the heating-value basis of a dataset value per energy ("NCV", "HHV"), or
// "" for a measured or stated value and a dataset that declares none. The trace term is named by the
// parameter table unless the method's formula names it (`term`: "C_ar" in E = AD × C_ar × OF × CO2/C).
// The term is shared: a catalogue value is one term for every period of the source (ResolveShared).
absl::StatusOr<SharedTerm> ResolveShared(Context& ctx, const SourceStream& src, const ActivityRecord& rec,
                                         Parameter param, bool required, std::vector<std::string>& notes,
                                         std::string* basis = nullptr, std::string_view term = {}) {
  if (basis != nullptr) basis->clear();
  const ParameterInfo& info = Info(param);
  const std::string_view name = info.name;
  const std::string term_name(term.empty() ? info.term : term);
  if (auto it = rec.measured.find(param); it != rec.measured.end()) {
    const MeasuredParameter& m = it->second;
    TraceTerm t{ctx.LineText(term_name),
                m.quantity.value,
                ctx.LineText(m.quantity.unit.symbol()),
                StrCat("measured for period ", rec.period, m.source.empty() ? "" : StrCat(" (", m.source, ")"),
                       m.basis.empty() ? "" : StrCat(", basis ", m.basis)),
                {{MeasuredId(ctx.enterprise, src, rec, name), 1.0, m.uncertainty_pct}},
                param};
    return std::make_shared<const TraceTerm>(std::move(t));
  }
  const bool measured_elsewhere = ctx.MeasuredInSource(src, param);
  if (auto it = src.factors.find(param); it != src.factors.end()) {
    if (measured_elsewhere) {
      notes.push_back(StrCat("missing-data rule: ", name, " not measured for period ", rec.period,
                             "; the stated default was used"));
    }
    return std::make_shared<const TraceTerm>(
        TraceTerm{ctx.LineText(term_name),
                  it->second.quantity.value,
                  ctx.LineText(it->second.quantity.unit.symbol()),
                  StrCat("stated in the document: ", it->second.source),
                  {{StatedId(ctx.enterprise, src, name), 1.0, it->second.uncertainty_pct}},
                  param});
  }
  const Context::CatalogueTerm& c = CatalogueTermOf(ctx, src, param, term_name);
  if (!c.value) {
    if (!required) return SharedTerm();
    return MakeError(absl::StatusCode::kFailedPrecondition, ErrorDetail::kMissingParameter,
                     StrCat(SourcePath(ctx.enterprise, src), ", period ", rec.period, ": no value for ", name,
                            " (not measured, not stated in the document; ", c.why_not, ")"));
  }
  if (measured_elsewhere) {
    notes.push_back(
        StrCat("missing-data rule: ", name, " not measured for period ", rec.period, "; the dataset default was used"));
  }
  if (basis != nullptr) *basis = c.basis;
  return c.value;
}

// ResolveShared as a value of the caller's own: for the methods whose lines are few.
absl::StatusOr<std::optional<TraceTerm>> Resolve(Context& ctx, const SourceStream& src, const ActivityRecord& rec,
                                                 Parameter param, bool required, std::vector<std::string>& notes,
                                                 std::string* basis = nullptr, std::string_view term = {}) {
  auto t = ResolveShared(ctx, src, rec, param, required, notes, basis, term);
  if (!t.ok()) return t.status();
  if (*t == nullptr) return std::optional<TraceTerm>();
  return std::optional<TraceTerm>(**t);
}

struct LineSpec {
  Gas gas = Gas::kCo2;
  Category category = Category::kFuelCombustion;
  Scope scope = Scope::k1;
  bool memo = false;
  SharedText equation;
  TraceTerms terms;
  std::vector<std::string> notes;
  std::string species{};  ///< the F-gas of an hfc/pfc/sf6/nf3 line
};

absl::Status Emit(Context& ctx, const SourceStream& src, const ActivityRecord& rec, LineSpec spec,
                  std::string_view part = {}, std::optional<Scope2Method> scope2_method = std::nullopt) {
  InventoryLine line;
  line.source_id = ctx.LineSourceId(src);
  line.period = ctx.LineText(rec.period);
  line.kind = src.kind;
  line.gas = spec.gas;
  if (!part.empty()) line.part = ctx.LineText(part);
  line.category = spec.category;
  line.scope = spec.scope;
  line.iso_category = spec.scope == Scope::k1   ? 1
                      : spec.scope == Scope::k2 ? 2
                                                : 4;  // ISO 14064-1:2018 §5.2.4: energy upstream is category 4
  if (spec.category == Category::kUpstreamEnergy) line.scope3_category = 3;  // fuel- and energy-related activities
  if (src.scope3) {
    // A value-chain source: computed by its kind's method, reported under scope 3 with the categories the
    // document states, never in scope 1 (GHG Protocol Scope 3 Standard, 2011, §5; ISO 14064-1:2018 §5.2.4).
    line.scope = Scope::k3;
    line.category = Category::kOtherIndirect;
    line.scope3_category = src.scope3->ghg_category;
    line.iso_category = src.scope3->iso_category;
  }
  line.memo = spec.memo;
  line.scope2_method = scope2_method;
  if (!spec.species.empty()) line.species = ctx.LineText(spec.species);
  line.equation = std::move(spec.equation);
  line.terms = std::move(spec.terms);
  line.notes = std::move(spec.notes);
  auto mass = EvaluateLine(line, nullptr, &ctx.units);
  if (!mass.ok()) {
    if (GetErrorDetail(mass.status()) != ErrorDetail::kIncompatibleUnits) {
      return WithContext(mass.status(), SourcePath(ctx.enterprise, src));
    }
    return WithContext(mass.status(), StrCat(SourcePath(ctx.enterprise, src), ": the factors do not combine to ",
                                             TargetUnit(line.gas), " (check the units)"));
  }
  line.mass_t = *mass;
  if (IsCo2(line.gas) || line.gas == Gas::kCo2e) {
    line.gwp = 1;
    // One buffer for every line of a computing thread (shared_text.hpp, MethodContext::Own).
    static const SharedText kCo2e("the factor is already in CO2e"), kCo2("CO2 (GWP 1 by definition)");
    line.gwp_provenance = ctx.Own(line.gas == Gas::kCo2e ? kCo2e : kCo2);
  } else {
    // An F-gas line's GWP is its species' (the gas column of the GWP sets), others their gas's.
    const std::string gwp_gas = line.species.empty() ? std::string(GasName(line.gas)) : line.species.str();
    auto cached = ctx.gwp.find(gwp_gas);
    if (cached == ctx.gwp.end()) {  // one lookup per gas and inventory
      auto g = ctx.catalogue.Lookup({"", "gwp100", gwp_gas, "", std::nullopt, {ctx.options.gwp_dataset}});
      if (!g.ok()) return WithContext(g.status(), StrCat("GWP of ", gwp_gas, " in ", ctx.options.gwp_dataset));
      cached = ctx.gwp
                   .emplace(gwp_gas, std::make_pair(g->record.value,
                                                    StrCat("dataset ", g->dataset.id, " line ", g->record.line, " (",
                                                           g->record.source_table, ", ", g->record.source_row, ")")))
                   .first;
    }
    line.gwp = cached->second.first;
    line.gwp_provenance = cached->second.second;
  }
  line.co2e_t = line.mass_t * line.gwp;
  if (!std::isfinite(line.co2e_t)) {
    return MakeError(absl::StatusCode::kOutOfRange, ErrorDetail::kOverflow,
                     StrCat(SourcePath(ctx.enterprise, src), " period ", rec.period, ": ", line.mass_t, " t ",
                            GasName(line.gas), " × GWP ", line.gwp, " exceeds the largest double"));
  }
  ctx.out.lines.push_back(std::move(line));
  return absl::OkStatus();
}

TraceTerm ActivityTerm(Context& ctx, const SourceStream& src, const ActivityRecord& rec) {
  // Both texts are unique to the record: built in a per-thread buffer and copied once into one
  // allocation (SharedText::Pair), not a string and then the shared copy of each.
  thread_local std::string buffer;
  buffer.clear();
  internal::StrAppend(&buffer, "activity ", rec.period, " as given (", rec.quantity.value, " ", rec.quantity.unit_text,
                      "), ", DataSourceName(rec.data_source));
  const std::size_t provenance_size = buffer.size();
  AppendActivityId(&buffer, ctx.enterprise, src, rec);
  const std::string_view texts(buffer);
  auto [provenance, id] =
      internal::PairInArena(ctx.arena, texts.substr(0, provenance_size), texts.substr(provenance_size));
  static const SharedText kName("AD");  // one buffer per computing thread (MethodContext::Own)
  TraceTerm t{ctx.Own(kName), rec.quantity.value, ctx.UnitSymbol(rec.quantity), std::move(provenance)};
  t.inputs.emplace_back(std::move(id), 1.0, rec.uncertainty_pct);
  return t;
}

// The inputs of a derived term (a − b), each scaled by ∂ln(a − b)/∂ln(x) = ±x/(a − b).
UncertainInputs DifferenceInputs(const TraceTerm& a, double a_value, const TraceTerm* b, double b_value) {
  const double d = a_value - b_value;
  UncertainInputs out;
  for (auto in : a.inputs) {
    in.sensitivity *= a_value / d;
    out.push_back(std::move(in));
  }
  if (b != nullptr) {
    for (auto in : b->inputs) {
      in.sensitivity *= -b_value / d;
      out.push_back(std::move(in));
    }
  }
  return out;
}

TraceTerm RatioTerm(const InventoryOptions& o) {
  if (o.co2_per_carbon_stated) {
    return {
        "CO2/C", o.co2_per_carbon_stated->value, "tCO2/tC", StrCat("stated: ", o.co2_per_carbon_stated->source), {}};
  }
  // 44/12 is the molar-mass ratio the Chinese guidelines and IPCC 2006 write; 3.664 is EU MRR's.
  const bool eu = o.co2_per_carbon == Co2PerCarbon::k3664;
  return {"CO2/C",
          Co2PerCarbonValue(o.co2_per_carbon),
          "tCO2/tC",
          eu ? "convention 3.664 (EU MRR 2018/2066)" : "convention 44/12 (GB/T 32150-2015, IPCC 2006)",
          {}};
}

// Scope 3 category 3 (GHG Protocol; ISO 14064-1 category 4): upstream emissions of purchased fuels and
// energy, only where the document states a factor ("where data exist"). Reported beside the scope 1+2
// total, not in it.
absl::Status Upstream(Context& ctx, const SourceStream& src, const ActivityRecord& rec) {
  auto it = src.factors.find(Parameter::kEfUpstream);
  if (it == src.factors.end()) return absl::OkStatus();
  const Kind per = it->second.quantity.unit.kind() * rec.quantity.unit.kind();
  LineSpec line{
      per == Kind::Of(Axis::kCO2) ? Gas::kCo2 : Gas::kCo2e,
      Category::kUpstreamEnergy,
      Scope::k3,
      false,
      "E = AD × EF_upstream",
      {ActivityTerm(ctx, src, rec),
       {"EF_upstream",
        it->second.quantity.value,
        it->second.quantity.unit.symbol(),
        StrCat("stated in the document: ", it->second.source),
        {{StatedId(ctx.enterprise, src, ParameterName(Parameter::kEfUpstream)), 1.0, it->second.uncertainty_pct}}}},
      {}};
  return Emit(ctx, src, rec, std::move(line));
}

// Fuel and biomass combustion: CO2 by the source's method (default_factor: AD × NCV × CC × OF × 44/12;
// energy_ef: AD × HV × EF; measured_carbon: AD × C_ar × OF × CO2/C), then CH4 and N2O where a factor
// exists. One function (about 145 lines) because the three methods share the heating value, its
// basis (NCV or HHV, which must match the factor's) and the notes.
absl::Status Combustion(Context& ctx, const SourceStream& src, const ActivityRecord& rec) {
  const bool biomass = src.kind == SourceKind::kBiomassCombustion;
  static const Kind kEnergy = Kind::Of(Axis::kEnergy);
  const bool in_energy = rec.quantity.unit.kind() == kEnergy;
  std::vector<std::string> notes;
  auto stated = [&](Parameter p) { return src.factors.count(p) > 0 || rec.measured.count(p) > 0; };
  Parameter hv_param = stated(Parameter::kHhv) ? Parameter::kHhv : Parameter::kNcv;
  SharedTerm hv;  // shared with the other lines of the source (ResolveShared)
  // An emission factor per energy and the heating value it multiplies must share a basis: EPA factors
  // are per HHV, IPCC and Chinese ones per NCV. A dataset factor that declares its basis fixes which
  // heating value is needed (never an IPCC NCV under an EPA per-HHV factor).
  auto basis_mismatch = [&](const std::string& ef_basis, const std::string& what) -> std::optional<std::string> {
    if (ef_basis.empty() || in_energy) return std::nullopt;
    const bool stated_hhv = stated(Parameter::kHhv);
    const bool stated_ncv = stated(Parameter::kNcv);
    if ((ef_basis == "HHV" && stated_ncv && !stated_hhv) || (ef_basis == "NCV" && stated_hhv && !stated_ncv)) {
      return StrCat(what, " is per ", ef_basis, " but the document gives the ", ef_basis == "HHV" ? "NCV" : "HHV",
                    " of this fuel: state the ", ef_basis, " or an ", what, " on the ",
                    ef_basis == "HHV" ? "NCV" : "HHV", " basis");
    }
    return std::nullopt;
  };
  auto need_hv = [&](bool required) -> absl::Status {
    if (in_energy || hv) return absl::OkStatus();
    // NCV unless the document states HHV; a region whose datasets give only HHV (the US, 40 CFR 98)
    // gets its HHV, and its emission factors are then per HHV too (same dataset, same basis).
    if (hv_param == Parameter::kNcv) {
      auto n = ResolveShared(ctx, src, rec, Parameter::kNcv, false, notes);
      if (!n.ok()) return n.status();
      if (*n) {
        hv = *std::move(n);
        return absl::OkStatus();
      }
      {
        auto h = ResolveShared(ctx, src, rec, Parameter::kHhv, false, notes);
        if (!h.ok()) return h.status();
        if (*h) {
          hv = *std::move(h);
          return absl::OkStatus();
        }
      }
    }
    auto r = ResolveShared(ctx, src, rec, hv_param, required, notes);
    if (!r.ok()) return r.status();
    hv = *std::move(r);
    return absl::OkStatus();
  };
  // One activity term for the record's CO2, CH4 and N2O lines.
  const SharedTerm ad = std::allocate_shared<const TraceTerm>(internal::ArenaAllocator<TraceTerm>(&ctx.arena),
                                                              ActivityTerm(ctx, src, rec));
  LineSpec co2{biomass ? Gas::kCo2Biogenic : Gas::kCo2, Category::kFuelCombustion, Scope::k1, biomass, "", {}, {}};
  using std::string_view_literals::operator""sv;  // compares lengths first, no strlen per record
  const std::string_view method = src.method;
  if (method == "measured_carbon"sv) {
    auto it = rec.measured.find(Parameter::kCarbonContent);
    std::optional<TraceTerm> cc;
    if (it != rec.measured.end() && it->second.basis == "air_dried") {
      const auto& m = it->second;
      const std::string measured_id = MeasuredId(ctx.enterprise, src, rec, ParameterName(Parameter::kCarbonContent));
      cc = TraceTerm{"C_ad",
                     m.quantity.value,
                     m.quantity.unit.symbol(),
                     StrCat("measured for period ", rec.period, " (", m.source, "), air-dried"),
                     {{measured_id, 1.0, m.uncertainty_pct}}};
      // C_ar = C_ad × (100 − M_ar) / (100 − M_ad): the as-received/air-dried basis conversion.
      TraceTerm basis{"(100-M_ar)/(100-M_ad)",
                      (100.0 - *m.moisture_ar_pct) / (100.0 - *m.moisture_ad_pct),
                      "1",
                      StrCat("basis conversion with M_ar ", *m.moisture_ar_pct, " %, M_ad ", *m.moisture_ad_pct, " %"),
                      // The moisture contents carry no uncertainty in the document model: not assessed.
                      {{StrCat(measured_id, " moisture basis"), 1.0, std::nullopt}}};
      auto of = Resolve(ctx, src, rec, Parameter::kOxidation, true, notes);
      if (!of.ok()) return of.status();
      co2.terms = {*ad, *cc, basis, **of, RatioTerm(ctx.options)};
      co2.equation = "E = AD × C_ad × (100 − M_ar)/(100 − M_ad) × OF × CO2/C";
    } else {
      auto c = Resolve(ctx, src, rec, Parameter::kCarbonContent, true, notes, nullptr, "C_ar");
      if (!c.ok()) return c.status();
      auto of = Resolve(ctx, src, rec, Parameter::kOxidation, true, notes);
      if (!of.ok()) return of.status();
      co2.terms = {*ad, **c, **of, RatioTerm(ctx.options)};
      co2.equation = "E = AD × C_ar × OF × CO2/C";
    }
  } else if (method == "energy_ef"sv) {
    std::string ef_basis;
    auto ef = ResolveShared(ctx, src, rec, Parameter::kEfCo2, true, notes, &ef_basis);
    if (!ef.ok()) return ef.status();
    if (auto m = basis_mismatch(ef_basis, "EF_CO2")) {
      return MakeError(
          absl::StatusCode::kInvalidArgument, ErrorDetail::kIncompatibleUnits,
          StrCat(SourcePath(ctx.enterprise, src), ", period ", rec.period, ": ", *m, " (", (*ef)->provenance, ")"));
    }
    if (!ef_basis.empty()) {
      hv_param = ef_basis == "HHV" ? Parameter::kHhv : Parameter::kNcv;
      if (!in_energy) {
        auto r = ResolveShared(ctx, src, rec, hv_param, true, notes);
        if (!r.ok()) return WithContext(r.status(), StrCat("EF_CO2 is per ", ef_basis));
        hv = *std::move(r);
      }
    }
    if (auto st = need_hv(true); !st.ok()) return st;
    co2.terms.push_back(ad);
    if (hv) co2.terms.push_back(hv);
    co2.terms.push_back(*std::move(ef));
    // The equations of the common methods are shared texts: one buffer per computing thread (Own).
    static const SharedText kAdEf("E = AD × EF"), kAdHvEf("E = AD × HV × EF");
    co2.equation = ctx.Own(in_energy ? kAdEf : kAdHvEf);
    // A measured or stated oxidation factor is applied, never ignored: AD × NCV × EF × OF is the standard
    // method of EU MRR 2018/2066 Art. 24. A catalogue default is not looked up (IPCC's EF assumes OF 1).
    if (stated(Parameter::kOxidation)) {
      auto of = ResolveShared(ctx, src, rec, Parameter::kOxidation, true, notes);
      if (!of.ok()) return of.status();
      co2.terms.push_back(*std::move(of));
      co2.equation = StrCat(co2.equation.view(), " × OF");
      notes.push_back(
          "energy_ef with the document's oxidation factor: E = AD × HV × EF × OF (EU MRR 2018/2066 Art. 24)");
    }
  } else {  // default_factor
    if (auto st = need_hv(true); !st.ok()) return st;
    auto cc = ResolveShared(ctx, src, rec, Parameter::kCarbonContent, true, notes);
    if (!cc.ok()) return cc.status();
    auto of = ResolveShared(ctx, src, rec, Parameter::kOxidation, true, notes);
    if (!of.ok()) return of.status();
    co2.terms.reserve(5);
    co2.terms.push_back(ad);
    if (hv) co2.terms.push_back(hv);
    co2.terms.push_back(*std::move(cc));
    co2.terms.push_back(*std::move(of));
    if (!ctx.co2_per_carbon) ctx.co2_per_carbon = std::make_shared<const TraceTerm>(RatioTerm(ctx.options));
    co2.terms.push_back(ctx.co2_per_carbon);
    static const SharedText kAdCc("E = AD × CC × OF × CO2/C"), kAdNcvCc("E = AD × NCV × CC × OF × CO2/C");
    co2.equation = ctx.Own(in_energy ? kAdCc : kAdNcvCc);
  }
  co2.notes = std::move(notes);
  notes.clear();  // what need_hv adds for CH4 and N2O below goes nowhere, as before
  if (auto st = Emit(ctx, src, rec, std::move(co2)); !st.ok()) return st;
  // CH4 and N2O from energy-based factors where a factor exists (IPCC 2006 Vol. 2 Eq. 2.1).
  for (const auto& [gas, name] :
       {std::pair<Gas, Parameter>{Gas::kCh4, Parameter::kEfCh4}, {Gas::kN2o, Parameter::kEfN2o}}) {
    std::vector<std::string> gnotes;
    std::string ef_basis;
    auto ef = ResolveShared(ctx, src, rec, name, false, gnotes, &ef_basis);
    if (!ef.ok()) return ef.status();
    const std::string label = gas == Gas::kCh4 ? "CH4" : "N2O";
    if (!*ef) {
      const bool no_sector = !HasSector(ctx.enterprise, src);
      ctx.NotEstimated(label, src.id,
                       !no_sector ? "no factor measured, stated or in the selected datasets"
                       : src.scope3
                           ? "no factor measured, stated or in the selected datasets; a scope 3 source's combustion is "
                             "not the enterprise's industry, so only a sector stated on the source selects the IPCC "
                             "2006 stationary tables (road transport is mobile combustion, Vol. 2 Ch. 3: state its "
                             "ef_ch4 and ef_n2o)"
                           : "no factor measured, stated or in the selected datasets; the IPCC 2006 defaults (Vol. 2 "
                             "Tables 2.2-2.5) depend on the combustion sector, which neither the enterprise's "
                             "industry nor the source states",
                       rec.period);
      continue;
    }
    if (auto st = need_hv(false); !st.ok()) return st;
    if (!ef_basis.empty() && hv && !in_energy && hv->name != ef_basis) {  // hv->name is "NCV" or "HHV"
      ctx.NotEstimated(label, src.id,
                       StrCat("its factor is per ", ef_basis, " and this fuel's heating value is ", hv->name),
                       rec.period);
      continue;
    }
    if (!in_energy && !hv) {
      ctx.NotEstimated(label, src.id, "its factor is per energy and no calorific value is available", rec.period);
      continue;
    }
    static const SharedText kAdEf("E = AD × EF"), kAdHvEf("E = AD × HV × EF");
    LineSpec g{gas, Category::kFuelCombustion, Scope::k1, false, ctx.Own(in_energy ? kAdEf : kAdHvEf), {}, gnotes};
    g.terms.push_back(ad);
    if (hv) g.terms.push_back(hv);
    g.terms.push_back(*std::move(ef));
    if (auto st = Emit(ctx, src, rec, std::move(g)); !st.ok()) return st;
  }
  return Upstream(ctx, src, rec);
}

// Heat metered as a mass of steam or hot water: the heat per unit mass it carries above a reference
// state. Steam: h − h_ref (specific enthalpies, from steam tables at the metered temperature and
// pressure). Hot water: c × (T − T_ref). Nothing here has a default: the reference state is a
// property of the plant (condensate returned or not, make-up water temperature) and the guideline's
// convention, so the document states it; the trace records every input.
struct HeatPerMass {
  TraceTerms terms;
  std::string equation;  // the factor of AD, e.g. "(h − h_ref)"
};

absl::StatusOr<HeatPerMass> HeatCarried(Context& ctx, const SourceStream& src, const ActivityRecord& rec,
                                        std::vector<std::string>& notes) {
  auto where = [&] { return StrCat(SourcePath(ctx.enterprise, src), ", period ", rec.period); };
  auto as = [](const TraceTerm& t, std::string_view unit) { return Convert(t.value, t.unit, unit); };
  auto text = [](const TraceTerm& t) { return StrCat(t.value, " ", t.unit, " (", t.provenance, ")"); };
  auto h = Resolve(ctx, src, rec, Parameter::kEnthalpy, false, notes);
  if (!h.ok()) return h.status();
  if (*h) {
    auto ref = Resolve(ctx, src, rec, Parameter::kReferenceEnthalpy, false, notes);
    if (!ref.ok()) return ref.status();
    if (!*ref) {
      return MakeError(absl::StatusCode::kFailedPrecondition, ErrorDetail::kMissingParameter,
                       StrCat(where(),
                              ": steam by enthalpy needs reference_enthalpy (the enthalpy of the water the "
                              "heat is counted from: returned condensate or make-up water), measured or stated"));
    }
    auto ref_v = as(**ref, (*h)->unit);
    if (!ref_v.ok()) return ref_v.status();
    const double dh = (*h)->value - *ref_v;
    if (!(dh > 0)) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                       StrCat(where(), ": enthalpy ", (*h)->value, " ", (*h)->unit, " is not above reference_enthalpy ",
                              *ref_v, " ", (*h)->unit, "; no heat is delivered"));
    }
    return HeatPerMass{{{"h − h_ref", dh, (*h)->unit, StrCat("h ", text(**h), " minus h_ref ", text(**ref)),
                         DifferenceInputs(**h, (*h)->value, &**ref, *ref_v)}},
                       "(h − h_ref)"};
  }
  auto t = Resolve(ctx, src, rec, Parameter::kTemperature, false, notes);
  if (!t.ok()) return t.status();
  if (!*t) {
    return MakeError(absl::StatusCode::kFailedPrecondition, ErrorDetail::kMissingParameter,
                     StrCat(where(), ": heat metered as a mass (", rec.quantity.unit_text,
                            ") needs the medium's state: enthalpy with reference_enthalpy (steam), or temperature with "
                            "reference_temperature and heat_capacity (hot water), measured or stated"));
  }
  auto t_ref = Resolve(ctx, src, rec, Parameter::kReferenceTemperature, false, notes);
  if (!t_ref.ok()) return t_ref.status();
  auto c = Resolve(ctx, src, rec, Parameter::kHeatCapacity, false, notes);
  if (!c.ok()) return c.status();
  if (!*t_ref || !*c) {
    return MakeError(
        absl::StatusCode::kFailedPrecondition, ErrorDetail::kMissingParameter,
        StrCat(where(), ": hot water by temperature needs ", !*t_ref ? "reference_temperature" : "heat_capacity",
               " (measured or stated; no default is assumed)"));
  }
  auto t_v = as(**t, "degC");
  auto t_ref_v = as(**t_ref, "degC");
  if (!t_v.ok()) return t_v.status();
  if (!t_ref_v.ok()) return t_ref_v.status();
  const double dt = *t_v - *t_ref_v;
  if (!(dt > 0)) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                     StrCat(where(), ": temperature ", *t_v, " °C is not above reference_temperature ", *t_ref_v,
                            " °C; no heat is delivered"));
  }
  return HeatPerMass{{**c,
                      {"T − T_ref", dt, "K", StrCat("T ", text(**t), " minus T_ref ", text(**t_ref)),
                       DifferenceInputs(**t, *t_v, &**t_ref, *t_ref_v)}},
                     "c × (T − T_ref)"};
}

// The electricity factor of one scope 2 method. Location: the grid average. Market: a contractual
// instrument or supplier factor (market_ef, stated or the catalogue's residual mix), else the grid
// average as the hierarchy's last step (GHG Protocol Scope 2 Guidance 2015, §6.11 and Table 6.3),
// said in a note. nullopt when the method has no factor and is not the inventory's own (then a
// completeness note says so); an error when it is.
absl::StatusOr<std::optional<TraceTerm>> ElectricityFactor(Context& ctx, const SourceStream& src,
                                                           const ActivityRecord& rec, Scope2Method method,
                                                           std::vector<std::string>& notes) {
  const bool own = method == ctx.options.scope2_method;
  if (method == Scope2Method::kMarket) {
    auto market = Resolve(ctx, src, rec, Parameter::kMarketEf, false, notes);
    if (!market.ok() || *market) return market;
  }
  auto grid = Resolve(ctx, src, rec, Parameter::kGridEf, own, notes);
  if (!grid.ok()) {
    return method == Scope2Method::kMarket
               ? WithContext(grid.status(),
                             "scope 2 market method: no market_ef (contractual instrument, supplier or "
                             "residual-mix factor) and, as the hierarchy's last step,")
               : grid.status();
  }
  if (!*grid) {
    ctx.NotEstimated(StrCat("scope 2 ", Scope2MethodName(method), "-based CO2"), src.id,
                     method == Scope2Method::kMarket ? "no market_ef and no grid factor" : "no grid factor",
                     rec.period);
    return grid;
  }
  if (method == Scope2Method::kMarket) {
    notes.push_back(
        "market-based: no contractual instrument, supplier or residual-mix factor (market_ef); the grid average is "
        "the last step of the market-based hierarchy (GHG Protocol Scope 2 Guidance 2015, Table 6.3)");
  }
  return grid;
}

absl::Status NetPurchase(Context& ctx, const SourceStream& src, const ActivityRecord& rec) {
  const bool electricity =
      src.kind == SourceKind::kPurchasedElectricity || src.kind == SourceKind::kExportedElectricity;
  const bool exported = src.kind == SourceKind::kExportedElectricity || src.kind == SourceKind::kExportedHeat;
  std::vector<std::string> notes;
  std::optional<HeatPerMass> medium;
  if (!electricity && rec.quantity.unit.kind() == Kind::Of(Axis::kMass)) {
    auto m = HeatCarried(ctx, src, rec, notes);
    if (!m.ok()) return m.status();
    medium = std::move(*m);
  }
  const std::string factor = medium ? StrCat("AD × ", medium->equation, " × EF") : "AD × EF";
  auto line_with = [&](const TraceTerm& ef, std::vector<std::string> line_notes) {
    LineSpec line{Gas::kCo2,
                  electricity ? Category::kNetPurchasedElectricity : Category::kNetPurchasedHeat,
                  Scope::k2,
                  false,
                  StrCat(exported ? "E = −" : "E = ", factor),
                  {ActivityTerm(ctx, src, rec)},
                  std::move(line_notes)};
    if (medium) {
      for (std::size_t i = 0; i < medium->terms.size(); ++i) line.terms.push_back(medium->terms.shared(i));
    }
    line.terms.push_back(ef);
    if (exported) line.terms.push_back({"sign", -1, "1", "exported: subtracted from net purchase", {}});
    return line;
  };
  if (!electricity) {
    auto ef = Resolve(ctx, src, rec, Parameter::kHeatEf, true, notes);
    if (!ef.ok()) return ef.status();
    if (auto st = Emit(ctx, src, rec, line_with(**ef, notes)); !st.ok()) return st;
  } else {
    // Both methods, each line with its own trace (GHG Protocol Scope 2 Guidance 2015, Ch. 7: dual
    // reporting); the inventory's method counts in the totals, the other is reported beside them.
    for (Scope2Method method : {Scope2Method::kLocation, Scope2Method::kMarket}) {
      std::vector<std::string> line_notes = notes;
      auto ef = ElectricityFactor(ctx, src, rec, method, line_notes);
      if (!ef.ok()) return ef.status();
      if (!*ef) continue;
      const bool own = method == ctx.options.scope2_method;
      if (!own) {
        line_notes.push_back(StrCat(Scope2MethodName(method),
                                    "-based, reported beside the totals (the inventory's scope 2 "
                                    "method is ",
                                    Scope2MethodName(ctx.options.scope2_method), ")"));
      }
      LineSpec line = line_with(**ef, std::move(line_notes));
      line.memo = !own;
      if (auto st = Emit(ctx, src, rec, std::move(line), "", method); !st.ok()) return st;
    }
  }
  return exported ? absl::OkStatus() : Upstream(ctx, src, rec);
}

// Cement clinker: E = Q × [(CaO − CaO_nc) × M(CO2)/M(CaO) + (MgO − MgO_nc) × M(CO2)/M(MgO)], one line
// per oxide. The ratios are stoichiometric from IUPAC weights (0.78480, 1.09193); the NDRC cement
// guideline is reported to write 44/56 and 44/40 (0.7857, 1.1), which is not confirmed here.
absl::Status Clinker(Context& ctx, const SourceStream& src, const ActivityRecord& rec) {
  const bool per_product = rec.quantity.unit.kind() == Kind::Of(Axis::kProduct);
  const Unit one;
  struct Oxide {
    Parameter total, non_carbonate;
    const char* label;
    double molar_mass;
  };
  for (const Oxide& ox : {Oxide{Parameter::kCao, Parameter::kCaoNc, "CaO", kCa + kO},
                          Oxide{Parameter::kMgo, Parameter::kMgoNc, "MgO", kMg + kO}}) {
    std::vector<std::string> notes;
    auto total = Resolve(ctx, src, rec, ox.total, true, notes);
    if (!total.ok()) return total.status();
    auto nc = Resolve(ctx, src, rec, ox.non_carbonate, false, notes);
    if (!nc.ok()) return nc.status();
    auto fraction = [&](const TraceTerm& t) { return Convert(t.value, *Unit::Parse(t.unit), one); };
    auto f_total = fraction(**total);
    if (!f_total.ok()) return f_total.status();
    double f_nc = 0;
    std::string nc_text = "no non-carbonate part stated";
    if (*nc) {
      auto v = fraction(**nc);
      if (!v.ok()) return v.status();
      f_nc = *v;
      nc_text = StrCat((*nc)->value, " ", (*nc)->unit, " (", (*nc)->provenance, ")");
    } else {
      notes.push_back(StrCat(ox.label, "_nc not given: all ", ox.label, " taken as from carbonates"));
    }
    if (f_nc > *f_total) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                       StrCat(SourcePath(ctx.enterprise, src), ", period ", rec.period, ": ", ox.label, "_nc (", f_nc,
                              ") exceeds ", ox.label, " (", *f_total, ")"));
    }
    TraceTerm oxide{
        StrCat(ox.label, " − ", ox.label, "_nc"), *f_total - f_nc, per_product ? "t/t product" : "1",
        StrCat(ox.label, " ", (*total)->value, " ", (*total)->unit, " (", (*total)->provenance, ") minus ", nc_text),
        DifferenceInputs(**total, *f_total, *nc ? &**nc : nullptr, f_nc)};
    TraceTerm ratio{StrCat("M(CO2)/M(", ox.label, ")"),
                    (kC + 2 * kO) / ox.molar_mass,
                    "tCO2/t",
                    "stoichiometric, IUPAC standard atomic weights (abridged, 2021)",
                    {}};
    LineSpec line{Gas::kCo2,
                  Category::kIndustrialProcess,
                  Scope::k1,
                  false,
                  StrCat("E = Q × (", ox.label, " − ", ox.label, "_nc) × M(CO2)/M(", ox.label, ")"),
                  {ActivityTerm(ctx, src, rec), oxide, ratio},
                  notes};
    if (auto st = Emit(ctx, src, rec, std::move(line), ox.label); !st.ok()) return st;
  }
  return absl::OkStatus();
}

// Carbon mass balance (the iron-and-steel and chemical guidelines' form): every carbon-bearing stream
// contributes ±AD × C × CO2/C; the sum over a plant's streams is carbon in minus carbon out.
absl::Status CarbonStream(Context& ctx, const SourceStream& src, const ActivityRecord& rec) {
  std::vector<std::string> notes;
  auto c = Resolve(ctx, src, rec, Parameter::kCarbonContent, true, notes, nullptr, "C");
  if (!c.ok()) return c.status();
  const bool out = src.kind == SourceKind::kCarbonOutput;
  LineSpec line{Gas::kCo2,
                Category::kIndustrialProcess,
                Scope::k1,
                false,
                out ? "E = −AD × C × CO2/C" : "E = AD × C × CO2/C",
                {ActivityTerm(ctx, src, rec), **c, RatioTerm(ctx.options)},
                notes};
  if (out) line.terms.push_back({"sign", -1, "1", "carbon leaving in products and by-products", {}});
  return Emit(ctx, src, rec, std::move(line));
}

absl::Status Process(Context& ctx, const SourceStream& src, const ActivityRecord& rec) {
  std::vector<std::string> notes;
  if (src.kind == SourceKind::kCems) {
    return Emit(ctx, src, rec,
                {Gas::kCo2,
                 Category::kFuelCombustion,
                 Scope::k1,
                 false,
                 "E = measured (CEMS)",
                 {{"E_CEMS",
                   rec.quantity.value,
                   rec.quantity.unit.symbol(),
                   StrCat("CEMS measurement ", rec.period, ", ", DataSourceName(rec.data_source)),
                   {{ActivityId(ctx.enterprise, src, rec), 1.0, rec.uncertainty_pct}}}},
                 notes});
  }
  if (src.kind == SourceKind::kCo2Recovered) {
    return Emit(ctx, src, rec,
                {Gas::kCo2,
                 Category::kCo2Recovery,
                 Scope::k1,
                 false,
                 "E = −Q",
                 {ActivityTerm(ctx, src, rec), {"sign", -1, "1", "recovered: subtracted", {}}},
                 notes});
  }
  if (src.kind == SourceKind::kCarbonate) {
    auto ef = CarbonateFactor(src.material);
    if (!ef.ok()) return ef.status();
    TraceTerms terms = {ActivityTerm(ctx, src, rec)};
    for (Parameter p : {Parameter::kPurity, Parameter::kCalcination}) {
      auto r = Resolve(ctx, src, rec, p, false, notes);
      if (!r.ok()) return r.status();
      if (*r) {
        terms.push_back(**r);
      } else {
        notes.push_back(StrCat(ParameterName(p), " not given: taken as 1 (the whole mass is ", src.material,
                               p == Parameter::kPurity ? ")" : ", fully calcined)"));
      }
    }
    terms.push_back(
        {"EF",
         *ef,
         "tCO2/t",
         StrCat("stoichiometric n·M(CO2)/M(", src.material, ") from IUPAC standard atomic weights (abridged, 2021)"),
         {}});
    return Emit(ctx, src, rec,
                {Gas::kCo2, Category::kIndustrialProcess, Scope::k1, false, "E = M × PUR × F_calc × EF", terms, notes});
  }
  // Generic process: AD × EF, the gas from the factor's unit.
  auto ef = Resolve(ctx, src, rec, Parameter::kEf, true, notes);
  if (!ef.ok()) return ef.status();
  auto unit = Unit::Parse((*ef)->unit);
  Gas gas = Gas::kCo2;
  Kind per = unit->kind() * rec.quantity.unit.kind();
  if (per == Kind::Of(Axis::kCH4)) gas = Gas::kCh4;
  if (per == Kind::Of(Axis::kN2O)) gas = Gas::kN2o;
  if (per == Kind::Of(Axis::kCO2e)) gas = Gas::kCo2e;
  return Emit(
      ctx, src, rec,
      {gas, Category::kIndustrialProcess, Scope::k1, false, "E = AD × EF", {ActivityTerm(ctx, src, rec), **ef}, notes});
}

// A fluorinated gas held in equipment, by mass balance: E = (S_start − S_end) + P − D − ΔC, the mass of
// the gas emitted in the period (IPCC 2006 Vol. 3 Ch. 8 §8.2, Tier 3 utility-level mass balance for SF6;
// 40 CFR 98 Subpart DD Eq. DD-1). P (acquisitions) is the activity; the stocks are measured or stated;
// disbursements and the capacity increase are 0 when not given, with a note. A negative balance is an
// error: more gas left the site than it had, so a stock or a disbursement is wrong.
absl::Status FgasMassBalance(Context& ctx, const SourceStream& src, const ActivityRecord& rec) {
  std::vector<std::string> notes;
  const auto species = ParseFluorinatedGas(src.material);
  if (!species.ok()) return WithContext(species.status(), SourcePath(ctx.enterprise, src));
  struct Part {
    std::optional<TraceTerm> term;
    double t = 0;  // tonnes
  };
  auto mass = [&](Parameter p, bool required) -> absl::StatusOr<Part> {
    auto r = Resolve(ctx, src, rec, p, required, notes);
    if (!r.ok()) return r.status();
    if (!*r) {
      notes.push_back(StrCat(ParameterName(p), " not given: taken as 0"));
      return Part{};
    }
    auto t = Convert((*r)->value, (*r)->unit, "t");
    if (!t.ok()) return t.status();
    return Part{*r, *t};
  };
  auto start = mass(Parameter::kStockStart, true);
  if (!start.ok()) return start.status();
  auto end = mass(Parameter::kStockEnd, true);
  if (!end.ok()) return end.status();
  auto out = mass(Parameter::kDisbursed, false);
  if (!out.ok()) return out.status();
  auto growth = mass(Parameter::kCapacityIncrease, false);
  if (!growth.ok()) return growth.status();
  auto acquired = Convert(rec.quantity.value, rec.quantity.unit, *Unit::Parse("t"));
  if (!acquired.ok()) return acquired.status();
  const double net = start->t - end->t + *acquired - out->t - growth->t;
  auto where = [&] { return StrCat(SourcePath(ctx.enterprise, src), ", period ", rec.period); };
  if (net < 0) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument,
                     StrCat(where(), ": the mass balance (S_start − S_end) + P − D − ΔC = (", start->t, " − ", end->t,
                            ") + ", *acquired, " − ", out->t, " − ", growth->t, " = ", net,
                            " t is negative; a stock, the acquisitions or the disbursements are wrong"));
  }
  // One derived term, each input with its sensitivity ∂ln(net)/∂ln(x) = ±x/net.
  UncertainInputs inputs;
  std::string text;
  auto add = [&](const std::optional<TraceTerm>& term, double t, double sign, std::string_view label) {
    internal::StrAppend(&text, text.empty() ? "" : "; ", label, " ", t, " t");
    if (!term) return;
    internal::StrAppend(&text, " (", term->provenance, ")");
    for (auto in : term->inputs) {
      in.sensitivity *= net != 0 ? sign * t / net : 0;
      inputs.push_back(std::move(in));
    }
  };
  add(start->term, start->t, 1, "S_start");
  add(end->term, end->t, -1, "S_end");
  add(ActivityTerm(ctx, src, rec), *acquired, 1, "P (acquired)");
  add(out->term, out->t, -1, "D");
  add(growth->term, growth->t, -1, "ΔC");
  LineSpec line{(*species)->family,
                Category::kIndustrialProcess,
                Scope::k1,
                false,
                "E = (S_start − S_end) + P − D − ΔC",
                {{"(S_start − S_end) + P − D − ΔC", net, "t", text, std::move(inputs)}},
                notes};
  line.species = std::string((*species)->id);
  return Emit(ctx, src, rec, std::move(line));
}

}  // namespace

namespace internal {

std::string MethodContext::LookupKey(const FactorQuery& q) {
  std::string key = StrCat(q.carrier, "\x1f", q.parameter, "\x1f", q.gas, "\x1f", q.region, "\x1f",
                           q.year ? *q.year : -1, "\x1f", q.sector);
  for (const auto& p : q.preference) key += StrCat("\x1f", p);
  return key;
}

const absl::StatusOr<FactorSelection>& MethodContext::Lookup(const FactorQuery& q) {
  std::string key = LookupKey(q);
  auto it = lookups.find(key);
  if (it == lookups.end()) it = lookups.emplace(std::move(key), catalogue.Lookup(q)).first;
  return it->second;
}

bool MethodContext::MeasuredInSource(const SourceStream& src, Parameter p) {
  static_assert(static_cast<int>(Parameter::kTemperature) < 64, "one bit per parameter");
  if (measured_of != &src) {
    measured_of = &src;
    measured = 0;
    for (const ActivityRecord& a : src.activity) {
      for (const auto& [param, value] : a.measured) measured |= std::uint64_t{1} << static_cast<unsigned>(param);
    }
  }
  return (measured >> static_cast<unsigned>(p) & 1U) != 0;
}

// The sources are computed one after the other, so a source's entries are the last ones: they are
// searched from the end back to the first entry of another source, and no index of every entry is
// kept (10⁵ sources with two gases not estimated held a 2·10⁵-entry hash map).
MethodContext::Missing* MethodContext::FindMissing(std::string_view gas, std::string_view source,
                                                   std::string_view reason) {
  for (std::size_t i = missing.size(); i-- > 0 && missing[i].source == source;) {
    if (*missing[i].gas == gas && *missing[i].reason == reason) return &missing[i];
  }
  return nullptr;
}

const SharedText& MethodContext::LineText(std::string_view text) {
  const absl::string_view key(text.data(), text.size());
  auto it = line_texts.find(key);
  if (it == line_texts.end()) it = line_texts.emplace(std::string(text), SharedText(text)).first;
  return it->second;
}

const SharedText& MethodContext::Own(const SharedText& text) {
  const char* const key = text.view().data();
  for (const auto& [k, own] : own_texts) {
    if (k == key) return own;
  }
  return own_texts.emplace_back(key, SharedText(text.view())).second;
}

const SharedText& MethodContext::LineSourceId(const SourceStream& src) {
  if (line_source_of != &src) {
    line_source_of = &src;
    line_source_id = SharedText(src.id);
  }
  return line_source_id;
}

const SharedText& MethodContext::UnitSymbol(const GivenQuantity& q) {
  if (unit_symbol_of.empty() || q.unit_text != unit_symbol_of) {
    unit_symbol_of = q.unit_text;
    unit_symbol = LineText(q.unit.symbol());
  }
  return unit_symbol;
}

const std::string* MethodContext::Intern(std::string_view text) {
  // Found before emplaced: emplace builds the node (and a 250-byte reason) before it finds the twin.
  auto it = missing_texts.find(absl::string_view(text.data(), text.size()));
  return &*(it != missing_texts.end() ? it : missing_texts.emplace(text).first);
}

void MethodContext::NotEstimated(std::string_view gas, std::string_view source, std::string_view reason,
                                 std::string_view period) {
  if (Missing* found = FindMissing(gas, source, reason)) {
    ++found->periods;
    found->last = period;
    return;
  }
  missing.push_back({Intern(gas), source, Intern(reason), 1, period, period});
}

void MethodContext::AbsorbMissing(const MethodContext& later) {
  for (const Missing& m : later.missing) {
    if (Missing* found = FindMissing(*m.gas, m.source, *m.reason)) {
      found->periods += m.periods;
      found->last = m.last;
    } else {
      missing.push_back({Intern(*m.gas), m.source, Intern(*m.reason), m.periods, m.first, m.last});
    }
  }
}

absl::Status ComputeRecord(MethodContext& ctx, const SourceStream& src, const ActivityRecord& rec) {
  absl::Status st;
  switch (src.kind) {
    case SourceKind::kFuelCombustion:
    case SourceKind::kBiomassCombustion: st = Combustion(ctx, src, rec); break;
    case SourceKind::kPurchasedElectricity:
    case SourceKind::kExportedElectricity:
    case SourceKind::kPurchasedHeat:
    case SourceKind::kExportedHeat: st = NetPurchase(ctx, src, rec); break;
    case SourceKind::kProcessGeneric:
    case SourceKind::kCarbonate:
    case SourceKind::kCo2Recovered:
    case SourceKind::kCems: st = Process(ctx, src, rec); break;
    case SourceKind::kFgasMassBalance: st = FgasMassBalance(ctx, src, rec); break;
    case SourceKind::kClinker: st = Clinker(ctx, src, rec); break;
    case SourceKind::kCarbonInput:
    case SourceKind::kCarbonOutput: st = CarbonStream(ctx, src, rec); break;
  }
  return st;
}

}  // namespace internal
}  // namespace cmrv
