// The batch engine's tuples (engine.hpp): which (kind, carrier, unit, region, year) tuples the records
// use, and the factor of each from the inventory engine, computed once per tuple.
#include <gsl/narrow>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"

#include "batch/engine.hpp"
#include "carbonmrv/inventory/inventory.hpp"
#include "carbonmrv/units/units.hpp"

namespace cmrv::batch::detail {

namespace {

// What a tuple's factor is, before the call's measured columns: the tuple with its lines summed, the
// default value and unit of each term a measured column may replace, and why it failed (if it did).
struct TupleCore {
  Tuple tuple;
  std::array<std::optional<double>, kParamCount> default_value;
  std::array<std::string, kParamCount> default_unit;
  std::string why;
};

TupleCore ComputeTupleCore(const Args& a, const std::string& kind, const std::string& carrier, const std::string& unit,
                           const std::string& region, int year) {
  TupleCore core;
  Tuple& t = core.tuple;
  t.factor = Factor{kind, carrier, unit, region, year, 0, 0, 0, 0, {}, 0};
  auto source_kind = ParseSourceKind(kind);
  if (!source_kind.ok() ||
      std::find(std::begin(kBatchKinds), std::end(kBatchKinds), *source_kind) == std::end(kBatchKinds)) {
    std::vector<std::string> names;
    for (SourceKind k : kBatchKinds) names.emplace_back(SourceKindName(k));
    core.why = StrCat("source kind \"", kind, "\" is not computed by the batch engine (it takes ",
                      internal::StrJoin(names, ", "), "); use the document engine");
    t.error = kUnsupportedKind;
    return core;
  }
  if (auto c = CarrierCatalogue::Builtin().Resolve(carrier); !c.ok()) {
    core.why = std::string(c.status().message());
    t.error = kUnknownCarrier;
    return core;
  }
  auto parsed = Unit::Parse(unit);
  if (!parsed.ok()) {
    core.why = std::string(parsed.status().message());
    t.error = kUnknownUnit;
    return core;
  }
  if (const std::string need = ActivityUnitExpected(*source_kind, parsed->kind()); !need.empty()) {
    core.why = StrCat("\"", unit, "\" is ", parsed->kind().Describe(), "; a ", kind, " source needs ", need);
    t.error = kUnitKind;
    return core;
  }
  // One unit of activity through the inventory engine: same methods, datasets and conventions.
  auto inv = ComputeUnitActivity({*source_kind, carrier, unit, region, year, a.o.method}, a.catalogue, a.o.inventory);
  if (!inv.ok()) {
    core.why = std::string(inv.status().message());
    t.error = kMissingFactor;
    return core;
  }
  bool main_line = false;
  for (const auto& l : inv->lines) {
    // Biomass CO2 is a memo item and scope 3 is reported beside the total: both outside it, as in
    // Inventory::TotalCo2e.
    if (l.memo || l.scope == Scope::k3) continue;
    const int g = l.gas == Gas::kCo2 ? 0 : l.gas == Gas::kCh4 ? 1 : l.gas == Gas::kN2o ? 2 : 3;
    if (g < 3) {
      t.per_unit[static_cast<std::size_t>(g)] += l.mass_t;
      t.gwp[static_cast<std::size_t>(g)] = l.gwp;
    } else {
      t.co2e_only += l.co2e_t;
    }
    t.per_unit[3] += l.co2e_t;
    if (!main_line && (g == 0 || g == 3)) {
      t.factor.terms = l.terms;
      main_line = true;
    }
    for (std::size_t p = 0; p < kParamCount; ++p) {
      for (const auto& term : l.terms) {
        if (!TermIs(static_cast<Param>(p), term)) continue;
        if (g < 3) t.uses[static_cast<std::size_t>(g)] |= 1u << p;
        core.default_value[p] = term.value;
        core.default_unit[p] = term.unit;
      }
    }
  }
  if (!main_line && !inv->lines.empty()) t.factor.terms = inv->lines.front().terms;
  for (std::size_t p = 0; p < kParamCount; ++p) t.has_term[p] = core.default_value[p].has_value();
  t.factor.co2 = t.per_unit[0];
  t.factor.ch4 = t.per_unit[1];
  t.factor.n2o = t.per_unit[2];
  t.factor.co2e = t.per_unit[3];
  return core;
}

// Resolved tuples kept between calls, keyed by what decides them: the catalogue's datasets (id and
// SHA-256 of each), the method and inventory options, and the tuple. A call on 10⁴ records resolves a
// handful of tuples; through the document engine that cost more than the records (docs/performance.md).
// The context (~1.5 kB of dataset hashes) is looked up once per call and stands for a number in the
// tuple keys, and an entry is shared, not copied, by the calls that find it.
class TupleCache {
 public:
  static TupleCache& Get() {
    static TupleCache* cache = new TupleCache;  // never destroyed: used until the process ends
    return *cache;
  }
  /// The number that stands for `context`; a context never gets another's number, even after a clear.
  uint64_t Context(const std::string& context) {
    std::lock_guard lock(mutex_);
    auto [it, added] = contexts_.try_emplace(context, next_context_);
    if (added) ++next_context_;
    return it->second;
  }
  std::shared_ptr<const TupleCore> Find(const std::string& key) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return nullptr;
    return it->second;
  }
  void Put(const std::string& key, const std::shared_ptr<const TupleCore>& core) {
    std::lock_guard lock(mutex_);
    if (entries_.size() >= kMaxEntries) {  // bounded: a new set of tuples starts over
      entries_.clear();
      contexts_.clear();
    }
    entries_.emplace(key, core);
  }

 private:
  static constexpr std::size_t kMaxEntries = 1 << 14;
  std::mutex mutex_;
  absl::flat_hash_map<std::string, uint64_t> contexts_;
  uint64_t next_context_ = 0;
  absl::flat_hash_map<std::string, std::shared_ptr<const TupleCore>> entries_;
};

// Everything ComputeTupleCore reads besides the tuple: every field of InventoryOptions (a field added
// there must be added here, or two calls differing only in it would share tuples).
std::string ContextKey(const Args& a) {
  std::string key;
  for (const auto& d : a.catalogue.datasets()) internal::StrAppend(&key, d.id, "=", d.sha256, ";");
  const InventoryOptions& io = a.o.inventory;
  internal::StrAppend(
      &key, "|", a.o.method, "|", io.gwp_dataset, "|", Co2PerCarbonName(io.co2_per_carbon), "|",
      io.co2_per_carbon_stated ? StrCat(io.co2_per_carbon_stated->value, "@", io.co2_per_carbon_stated->source) : "",
      "|", Scope2MethodName(io.scope2_method), "|", internal::StrJoin(io.factor_preference, ","), "|",
      io.unstated_uncertainty_exact ? "x" : "");
  return key;
}

}  // namespace

Tuple ResolveTuple(const Args& a, uint64_t context, const std::string& kind, const std::string& carrier,
                   const std::string& unit, const std::string& region, int year, gsl::not_null<std::string*> why) {
  const std::string key = StrCat(context, "\x1f", kind, "\x1f", carrier, "\x1f", unit, "\x1f", region, "\x1f", year);
  std::shared_ptr<const TupleCore> core = TupleCache::Get().Find(key);
  if (!core) {
    core = std::make_shared<const TupleCore>(ComputeTupleCore(a, kind, carrier, unit, region, year));
    TupleCache::Get().Put(key, core);
  }
  *why = core->why;
  Tuple t = core->tuple;
  // Units of the measured columns, checked once per tuple against the terms they replace.
  const Measured* measured[kParamCount] = {&a.in.ncv, &a.in.carbon_content, &a.in.oxidation};
  for (std::size_t p = 0; p < kParamCount; ++p) {
    const auto& default_value = core->default_value[p];
    const auto& default_unit = core->default_unit[p];
    if (!measured[p]->values.present() || !default_value) continue;
    auto k = Convert(1.0, measured[p]->unit, default_unit);
    if (!k.ok()) {
      // Not a tuple error: its records that carry no measurement (NaN) still take the default; one
      // that carries a value is a parameter_unit error with this reason.
      t.unit_mismatch[p] =
          StrCat("measured ", ParamName(p), " in \"", measured[p]->unit, "\" cannot replace the default (",
                 *default_value, " ", default_unit, "): ", k.status().message());
      continue;
    }
    t.scale[p] = *k / *default_value;
  }
  return t;
}

namespace {

// The pairs of a carrier-and-unit layout read straight from the codes in place (no widening).
template <typename C, typename U>
bool MarkPairs(C c, U u, std::size_t b, uint64_t nc, uint64_t nu, uint8_t* used) {
  const uint64_t spare = nc * nu;
  for (std::size_t j = 0; j < b; ++j) {
    const auto cc = static_cast<uint64_t>(static_cast<int64_t>(c[j]));
    const auto uu = static_cast<uint64_t>(static_cast<int64_t>(u[j]));
    used[((cc < nc) & (uu < nu)) ? cc * nu + uu : spare] = 1;
  }
  return true;
}

template <bool kStrided>
bool MarkPairsOf(const Input& in, std::size_t lo, std::size_t b, uint64_t nc, uint64_t nu, uint8_t* used) {
  return WithCodes<kStrided>(in.carrier.codes, lo, [&](auto c) {
    return WithCodes<kStrided>(in.unit.codes, lo, [&](auto u) { return MarkPairs(c, u, b, nc, nu, used); });
  });
}

}  // namespace

bool MarkPairsDirect(const Input& in, std::size_t lo, std::size_t b, uint64_t nc, uint64_t nu, uint8_t* used) {
  return Packed(in.carrier.codes) && Packed(in.unit.codes) ? MarkPairsOf<false>(in, lo, b, nc, nu, used)
                                                           : MarkPairsOf<true>(in, lo, b, nc, nu, used);
}

CodeScan ScanCodes(const Input& in, const Shape& sh, bool pairs) {
  const std::size_t n = sh.n, nc = sh.nc, nu = sh.nu, nk = sh.nk, nr = sh.nr, nys = sh.nys, nkeys = sh.nkeys;
  const std::size_t tuple_space = sh.tuple_space;
  const unsigned threads = sh.threads;
  struct Scan {
    std::vector<uint8_t> used;
    std::vector<int64_t> kmin, kmax;
  };
  const std::size_t nseg_scan = std::clamp<std::size_t>(n / kMinSegment, 1, 64);
  const std::size_t scan_len = std::max<std::size_t>(1, (n + nseg_scan - 1) / nseg_scan);
  std::vector<Scan> scans(std::min<std::size_t>(threads, nseg_scan));
  const internal::Isa isa = internal::KernelIsa();  // of the key ranges' min/max loop
  ForEachThread(threads, nseg_scan, [&](std::size_t tid, std::size_t stride) {
    Scan& s = scans[tid];
    s.used.assign(tuple_space + 1, 0);
    s.kmin.assign(nkeys, std::numeric_limits<int64_t>::max());
    s.kmax.assign(nkeys, std::numeric_limits<int64_t>::min());
    CodeBlock codes;
    for (std::size_t seg = tid; seg < nseg_scan; seg += stride) {
      const std::size_t seg_lo = std::min(n, seg * scan_len), seg_hi = std::min(n, (seg + 1) * scan_len);
      for (std::size_t lo = seg_lo; lo < seg_hi; lo += kBlock) {
        const std::size_t b = std::min(kBlock, seg_hi - lo);
        const bool simple = !in.year.present() && !in.kind.codes.present() && !in.region.codes.present();
        if (!pairs || (simple && MarkPairsDirect(in, lo, b, nc, nu, s.used.data()))) {  // the tuple code is the pair
          for (std::size_t kk = 0; kk < nkeys; ++kk) KeyRange(in.keys[kk], lo, b, isa, s.kmin[kk], s.kmax[kk]);
          continue;
        }
        codes.Load(in, lo, b);
        // Locals only in the hot loops: a store through uint8_t* may alias anything, so values read
        // through the closure would be reloaded after every store.
        uint8_t* const used = s.used.data();
        const int64_t *const cp = codes.c.data(), *const up = codes.u.data(), *const kp = codes.k.data(),
                             *const rp = codes.r.data(), *const yp = codes.y.data();
        const uint64_t NC = nc, NU = nu, NK = nk, NR = nr, NYS = nys, spare = tuple_space;
        const uint64_t SU = NR * NYS, SC = NU * SU, SK = NC * SC;  // strides of the tuple code
        const bool has_year = in.year.present();
        if (simple) {  // carrier and unit only: the common layout, one multiply per record
          for (std::size_t j = 0; j < b; ++j) {
            const auto cc = static_cast<uint64_t>(cp[j]), uu = static_cast<uint64_t>(up[j]);
            used[((cc < NC) & (uu < NU)) ? cc * NU + uu : spare] = 1;
          }
        } else {
          for (std::size_t j = 0; j < b; ++j) {
            // Negative codes wrap to huge unsigned values: one comparison per column.
            const auto cc = static_cast<uint64_t>(cp[j]), uu = static_cast<uint64_t>(up[j]),
                       kk = static_cast<uint64_t>(kp[j]), rr = static_cast<uint64_t>(rp[j]);
            const uint64_t ys = has_year ? Offset(yp[j], kYearFirst) : 0;
            // Branch-free: out-of-range codes mark the spare last slot instead.
            const bool ok = (cc < NC) & (uu < NU) & (kk < NK) & (rr < NR) & (ys < NYS);
            used[ok ? kk * SK + cc * SC + uu * SU + rr * NYS + ys : spare] = 1;
          }
        }
        for (std::size_t kk = 0; kk < nkeys; ++kk) KeyRange(in.keys[kk], lo, b, isa, s.kmin[kk], s.kmax[kk]);
      }
    }
  });
  std::vector<uint8_t> used(tuple_space + 1, pairs ? 0 : 1);
  std::vector<int64_t> kmin(nkeys, std::numeric_limits<int64_t>::max()),
      kmax(nkeys, std::numeric_limits<int64_t>::min());
  for (const auto& s : scans) {
    for (std::size_t j = 0; j < tuple_space; ++j) used[j] |= s.used[j];
    for (std::size_t kk = 0; kk < nkeys; ++kk) {
      kmin[kk] = std::min(kmin[kk], s.kmin[kk]);
      kmax[kk] = std::max(kmax[kk], s.kmax[kk]);
    }
  }
  return CodeScan{std::move(used), std::move(kmin), std::move(kmax)};
}

TupleTable ResolveTuples(const Input& in, const FactorCatalogue& catalogue, const Options& o, const Shape& sh,
                         const std::vector<uint8_t>& used) {
  const std::size_t nc = sh.nc, nu = sh.nu, nr = sh.nr, nys = sh.nys, tuple_space = sh.tuple_space;
  // ---- Tuple resolution, once each, through the document engine --------------------------------
  std::vector<int32_t> tuple_index(tuple_space, 0);  // unused slots: tuple 0 (never read for a valid record)
  std::vector<Tuple> tuples;
  std::vector<std::string> whys;
  Args args{in, catalogue, o};
  const uint64_t context = TupleCache::Get().Context(ContextKey(args));
  for (std::size_t code = 0; code < tuple_space; ++code) {
    if (!used[code]) continue;
    std::size_t rest = code;
    const std::size_t ys = rest % nys;
    rest /= nys;
    const std::size_t r = rest % nr;
    rest /= nr;
    const std::size_t u = rest % nu;
    rest /= nu;
    const std::size_t c = rest % nc;
    const std::size_t k = rest / nc;
    const std::string kind = in.kind.codes.present() ? in.kind.values[k] : o.kind;
    const std::string region = in.region.codes.present() ? in.region.values[r] : o.region;
    const int year = in.year.present() ? gsl::narrow<int>(kYearFirst + static_cast<int64_t>(ys)) : o.year;
    std::string why;
    tuple_index[code] = gsl::narrow<int32_t>(tuples.size());
    tuples.push_back(ResolveTuple(args, context, kind, in.carrier.values[c], in.unit.values[u], region, year, &why));
    whys.push_back(std::move(why));
  }
  if (tuples.empty()) {  // so that invalid records can point somewhere harmless
    tuples.emplace_back();
    whys.emplace_back();
  }
  // Flat per-tuple tables for the hot loops.
  std::vector<double> per_unit(4 * tuples.size());
  std::vector<double> scale(kParamCount * tuples.size());
  std::vector<uint8_t> tuple_error(tuples.size());
  for (std::size_t t = 0; t < tuples.size(); ++t) {
    for (std::size_t v = 0; v < 4; ++v) per_unit[4 * t + v] = tuples[t].per_unit[v];
    for (std::size_t p = 0; p < kParamCount; ++p) scale[kParamCount * t + p] = tuples[t].scale[p];
    tuple_error[t] = tuples[t].error;
  }
  return TupleTable{std::move(tuple_index), std::move(tuples),      std::move(per_unit),
                    std::move(scale),       std::move(tuple_error), std::move(whys)};
}

void ReportTuples(const TupleTable& table, const std::vector<uint8_t>& occurs, Report& report) {
  for (std::size_t t = 0; t < table.tuples.size(); ++t) {
    if (!occurs[t]) continue;
    const Tuple& tuple = table.tuples[t];
    if (!table.why[t].empty()) report.pair_errors[TupleKey(tuple.factor)] = table.why[t];
    if (tuple.error == kValid && !tuple.factor.kind.empty()) report.factors.push_back(tuple.factor);
  }
}

}  // namespace cmrv::batch::detail
