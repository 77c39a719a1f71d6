#include "carbonmrv/batch.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <cmath>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "carbonmrv/enterprise.hpp"
#include "carbonmrv/status.hpp"
#include "carbonmrv/units.hpp"
#include "internal/strings.hpp"

namespace cmrv::batch {

using internal::StrCat;
using nlohmann::json;

std::string_view DTypeName(DType t) {
  static constexpr std::string_view kNames[] = {"int8",   "int16",  "int32",  "int64",   "uint8",
                                                "uint16", "uint32", "uint64", "float32", "float64"};
  const auto i = static_cast<std::size_t>(t);
  return i < std::size(kNames) ? kNames[i] : "unknown";
}

std::size_t DTypeSize(DType t) {
  switch (t) {
    case DType::kInt8:
    case DType::kUInt8: return 1;
    case DType::kInt16:
    case DType::kUInt16: return 2;
    case DType::kInt32:
    case DType::kUInt32:
    case DType::kFloat32: return 4;
    case DType::kInt64:
    case DType::kUInt64:
    case DType::kFloat64: return 8;
  }
  return 0;
}

bool IsInteger(DType t) { return t != DType::kFloat32 && t != DType::kFloat64 && DTypeSize(t) != 0; }

namespace {

// Record error kinds, in report order; 0 = valid.
enum ErrKind : uint8_t {
  kValid = 0,
  kBadCode,         // a code outside its dictionary (−1: a missing categorical value)
  kNonFinite,       // quantity NaN or ±inf
  kNegative,        // quantity < 0 (exports and recovery take their sign from the kind)
  kBadYear,         // year outside 1990–2100
  kBadParameter,    // a measured value that is ±inf, ≤ 0, or an oxidation factor > 1
  kUnknownCarrier,  // the tuple's carrier is not in the catalogue
  kUnknownUnit,     // the tuple's unit does not parse
  kUnitKind,        // the document engine refuses the tuple (unit of the wrong kind for the source kind ...)
  kUnsupportedKind, // a source kind the batch engine does not take
  kMissingFactor,   // no factor for the tuple
  kParameterUnit,   // a measured column's unit does not fit the term it replaces
  kNotApplicable,   // a measured value for a tuple whose method has no such term
  kKindCount
};
constexpr const char* kKindNames[] = {"valid",         "bad_code",         "non_finite",     "negative",
                                      "bad_year",      "bad_parameter",    "unknown_carrier", "unknown_unit",
                                      "unit_kind",     "unsupported_kind", "missing_factor", "parameter_unit",
                                      "not_applicable"};
static_assert(std::size(kKindNames) == kKindCount);

// Source kinds whose factors come from the catalogue by carrier and unit alone.
constexpr std::string_view kBatchKinds[] = {"fuel_combustion",      "biomass_combustion", "purchased_electricity",
                                            "exported_electricity", "purchased_heat",     "exported_heat"};

constexpr std::size_t kBlock = 1024;        // records per vectorised block (buffers stay in L1/L2)
constexpr std::size_t kMinSegment = 1 << 16;
constexpr std::size_t kMaxSegments = 4;
constexpr std::size_t kPartialBudget = std::size_t{32} << 20;  // bytes of per-segment group sums
constexpr std::size_t kMaxTupleSpace = std::size_t{1} << 22;   // kinds × carriers × units × regions (× years)

template <typename T>
void LoadAs(const char* base, std::size_t stride, std::size_t lo, std::size_t n, int64_t* out) {
  if (stride == sizeof(T)) {  // contiguous: a widening loop the compiler vectorises
    T tmp[kBlock];
    std::memcpy(tmp, base + lo * sizeof(T), n * sizeof(T));
    for (std::size_t j = 0; j < n; ++j) out[j] = static_cast<int64_t>(tmp[j]);
    return;
  }
  const char* p = base + lo * stride;
  for (std::size_t j = 0; j < n; ++j, p += stride) {
    T v;
    std::memcpy(&v, p, sizeof v);
    out[j] = static_cast<int64_t>(v);
  }
}

// Integer columns are widened to int64 a block at a time: one dispatch per block, tight loops inside.
// uint64 values beyond INT64_MAX wrap negative and fail the range checks like any bad code.
void LoadInt(const Column& c, std::size_t lo, std::size_t n, int64_t* out) {
  const char* b = static_cast<const char*>(c.data);
  switch (c.type) {
    case DType::kInt8: return LoadAs<int8_t>(b, c.stride, lo, n, out);
    case DType::kInt16: return LoadAs<int16_t>(b, c.stride, lo, n, out);
    case DType::kInt32: return LoadAs<int32_t>(b, c.stride, lo, n, out);
    case DType::kInt64: return LoadAs<int64_t>(b, c.stride, lo, n, out);
    case DType::kUInt8: return LoadAs<uint8_t>(b, c.stride, lo, n, out);
    case DType::kUInt16: return LoadAs<uint16_t>(b, c.stride, lo, n, out);
    case DType::kUInt32: return LoadAs<uint32_t>(b, c.stride, lo, n, out);
    case DType::kUInt64: return LoadAs<uint64_t>(b, c.stride, lo, n, out);
    default: std::fill(out, out + n, int64_t{-1});  // rejected up front; never reached
  }
}

template <typename T>
void RangeAs(const char* base, std::size_t stride, std::size_t lo, std::size_t n, int64_t& mn, int64_t& mx) {
  T a = std::numeric_limits<T>::max(), b = std::numeric_limits<T>::lowest();
  if (stride == sizeof(T)) {  // contiguous: a min/max reduction the compiler vectorises
    const T* p = reinterpret_cast<const T*>(base) + lo;
    for (std::size_t j = 0; j < n; ++j) {
      a = std::min(a, p[j]);
      b = std::max(b, p[j]);
    }
  } else {
    const char* p = base + lo * stride;
    for (std::size_t j = 0; j < n; ++j, p += stride) {
      T v;
      std::memcpy(&v, p, sizeof v);
      a = std::min(a, v);
      b = std::max(b, v);
    }
  }
  if (n == 0) return;
  mn = std::min(mn, static_cast<int64_t>(a));
  mx = std::max(mx, static_cast<int64_t>(b));
}

// Minimum and maximum of an integer column over [lo, lo + n), folded into mn/mx.
void KeyRange(const Column& c, std::size_t lo, std::size_t n, int64_t& mn, int64_t& mx) {
  const char* b = static_cast<const char*>(c.data);
  switch (c.type) {
    case DType::kInt8: return RangeAs<int8_t>(b, c.stride, lo, n, mn, mx);
    case DType::kInt16: return RangeAs<int16_t>(b, c.stride, lo, n, mn, mx);
    case DType::kInt32: return RangeAs<int32_t>(b, c.stride, lo, n, mn, mx);
    case DType::kInt64: return RangeAs<int64_t>(b, c.stride, lo, n, mn, mx);
    case DType::kUInt8: return RangeAs<uint8_t>(b, c.stride, lo, n, mn, mx);
    case DType::kUInt16: return RangeAs<uint16_t>(b, c.stride, lo, n, mn, mx);
    case DType::kUInt32: return RangeAs<uint32_t>(b, c.stride, lo, n, mn, mx);
    case DType::kUInt64: {  // values beyond INT64_MAX wrap negative, as in LoadInt
      std::vector<int64_t> tmp(n);
      LoadInt(c, lo, n, tmp.data());
      for (int64_t v : tmp) {
        mn = std::min(mn, v);
        mx = std::max(mx, v);
      }
      return;
    }
    default: return;
  }
}

// Returns the block's doubles: in place when the column is contiguous float64, else converted into `out`.
const double* LoadDouble(const Column& c, std::size_t lo, std::size_t n, double* out) {
  const char* p = static_cast<const char*>(c.data) + lo * c.stride;
  if (c.type == DType::kFloat64 && c.stride == sizeof(double)) return reinterpret_cast<const double*>(p);
  if (c.type == DType::kFloat32) {
    for (std::size_t j = 0; j < n; ++j, p += c.stride) {
      float v;
      std::memcpy(&v, p, sizeof v);
      out[j] = static_cast<double>(v);
    }
  } else {
    for (std::size_t j = 0; j < n; ++j, p += c.stride) std::memcpy(&out[j], p, sizeof(double));
  }
  return out;
}

// The per-record codes of a block, widened to int64: carrier, unit, kind, region, year (the optional
// ones stay 0 when their column is absent).
struct CodeBlock {
  std::vector<int64_t> c = std::vector<int64_t>(kBlock), u = std::vector<int64_t>(kBlock),
                       k = std::vector<int64_t>(kBlock, 0), r = std::vector<int64_t>(kBlock, 0),
                       y = std::vector<int64_t>(kBlock, 0);
  void Load(const Input& in, std::size_t lo, std::size_t b) {
    LoadInt(in.carrier.codes, lo, b, c.data());
    LoadInt(in.unit.codes, lo, b, u.data());
    if (in.kind.codes.present()) LoadInt(in.kind.codes, lo, b, k.data());
    if (in.region.codes.present()) LoadInt(in.region.codes, lo, b, r.data());
    if (in.year.present()) LoadInt(in.year, lo, b, y.data());
  }
};

// The measured parameters, in this order everywhere.
enum Param : std::size_t { kNcv = 0, kCc, kOf, kParamCount };
constexpr const char* kParamNames[] = {"ncv", "carbon_content", "oxidation"};
// The trace term names each parameter replaces (document engine, lib/inventory.cpp).
bool TermIs(Param p, const std::string& name) {
  switch (p) {
    case kNcv: return name == "NCV" || name == "HHV";
    case kCc: return name == "CC" || name == "C_ar";
    case kOf: return name == "OF";
    default: return false;
  }
}

// One resolved tuple: tonnes of each gas per unit of quantity (CO2e already weighted by the GWP).
struct Tuple {
  ErrKind error = kValid;
  std::array<double, 4> per_unit{};  // co2, ch4, n2o, co2e
  std::array<double, 3> gwp{1, 0, 0};
  double co2e_only = 0;  // CO2e per unit from lines whose factor is already in CO2e (not per gas)
  // Measured parameter p: value × scale[p] is the ratio to the default term (0: no such term).
  std::array<double, kParamCount> scale{};
  // Which parameters enter each gas line (bit p).
  std::array<unsigned, 3> uses{};
  Factor factor;
};

struct Args {
  const Input& in;
  const FactorCatalogue& catalogue;
  const Options& o;
};

std::string TupleKey(const Factor& f) { return StrCat(f.kind, "|", f.carrier, "|", f.unit, "|", f.region, "|", f.year); }

Tuple Resolve(const Args& a, const std::string& kind, const std::string& carrier, const std::string& unit,
              const std::string& region, int year, std::string* why) {
  Tuple t;
  t.factor = Factor{kind, carrier, unit, region, year, 0, 0, 0, 0, {}, 0};
  if (std::find(std::begin(kBatchKinds), std::end(kBatchKinds), kind) == std::end(kBatchKinds)) {
    *why = StrCat("source kind \"", kind, "\" is not computed by the batch engine (it takes ",
                  internal::StrJoin(std::vector<std::string>(std::begin(kBatchKinds), std::end(kBatchKinds)), ", "),
                  "); use the document engine");
    t.error = kUnsupportedKind;
    return t;
  }
  if (auto c = CarrierCatalogue::Builtin().Resolve(carrier); !c.ok()) {
    *why = std::string(c.status().message());
    t.error = kUnknownCarrier;
    return t;
  }
  auto parsed = Unit::Parse(unit);
  if (!parsed.ok()) {
    *why = std::string(parsed.status().message());
    t.error = kUnknownUnit;
    return t;
  }
  // One record of one unit through the document engine: same methods, datasets and conventions.
  json src = {{"id", "s"},
              {"kind", kind},
              {"carrier", carrier},
              {"activity", {{{"period", std::to_string(year)}, {"value", 1.0}, {"unit", unit}}}}};
  if (kind == "fuel_combustion" || kind == "biomass_combustion") src["method"] = a.o.method;
  json doc = {{"schema", "carbonmrv.enterprise/1"},
              {"enterprise", {{"name", "batch"}, {"year", year}}},
              {"sources", json::array({src})}};
  if (!region.empty() && region != "GLOBAL") doc["enterprise"]["region"] = region;
  auto e = Enterprise::FromJson(doc.dump());
  if (!e.ok()) {
    *why = std::string(e.status().message());
    t.error = kUnitKind;
    return t;
  }
  auto inv = ComputeInventory(*e, a.catalogue, a.o.inventory);
  if (!inv.ok()) {
    *why = std::string(inv.status().message());
    t.error = kMissingFactor;
    return t;
  }
  // Units of the measured columns, checked once per tuple against the terms they replace.
  const Measured* measured[kParamCount] = {&a.in.ncv, &a.in.carbon_content, &a.in.oxidation};
  std::array<std::optional<double>, kParamCount> default_value;
  std::array<std::string, kParamCount> default_unit;
  bool main_line = false;
  for (const auto& l : inv->lines) {
    // Biomass CO2 is a memo item and scope 3 is reported beside the total: both outside it, as in
    // Inventory::TotalCo2e.
    if (l.memo || l.scope == 3) continue;
    const int g = l.gas == "co2" ? 0 : l.gas == "ch4" ? 1 : l.gas == "n2o" ? 2 : 3;
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
        if (!TermIs(static_cast<Param>(p), term.name)) continue;
        if (g < 3) t.uses[static_cast<std::size_t>(g)] |= 1u << p;
        default_value[p] = term.value;
        default_unit[p] = term.unit;
      }
    }
  }
  if (!main_line && !inv->lines.empty()) t.factor.terms = inv->lines.front().terms;
  for (std::size_t p = 0; p < kParamCount; ++p) {
    if (!measured[p]->values.present() || !default_value[p]) continue;
    auto k = Convert(1.0, measured[p]->unit, default_unit[p]);
    if (!k.ok()) {
      *why = StrCat("measured ", kParamNames[p], " in \"", measured[p]->unit, "\" cannot replace the default (",
                    *default_value[p], " ", default_unit[p], "): ", k.status().message());
      t.error = kParameterUnit;
      return t;
    }
    t.scale[p] = *k / *default_value[p];
  }
  t.factor.co2 = t.per_unit[0];
  t.factor.ch4 = t.per_unit[1];
  t.factor.n2o = t.per_unit[2];
  t.factor.co2e = t.per_unit[3];
  return t;
}

template <typename Fn>
void ForEachThread(unsigned threads, std::size_t tasks, Fn&& fn) {
  const std::size_t t = std::max<std::size_t>(1, std::min<std::size_t>(threads, tasks));
  if (t == 1) {
    fn(std::size_t{0}, std::size_t{1});
    return;
  }
  std::vector<std::thread> pool;
  for (std::size_t k = 1; k < t; ++k) pool.emplace_back([&fn, k, t] { fn(k, t); });
  fn(0, t);
  for (auto& th : pool) th.join();
}

// Fixed segmentation of [0, n): a function of the input only, never of the thread count.
struct Segments {
  std::size_t count = 1, length = 0;
  std::size_t lo(std::size_t s, std::size_t n) const { return std::min(n, s * length); }
  std::size_t hi(std::size_t s, std::size_t n) const { return std::min(n, (s + 1) * length); }
};

Segments Segment(std::size_t n, std::size_t bytes_per_segment) {
  Segments s;
  s.count = std::clamp<std::size_t>(n / kMinSegment, 1, kMaxSegments);
  if (bytes_per_segment > 0) {
    s.count = std::min(s.count, std::max<std::size_t>(1, kPartialBudget / bytes_per_segment));
  }
  s.length = std::max<std::size_t>(1, (n + s.count - 1) / s.count);
  return s;
}

struct Bad {
  absl::Status operator()(std::string m) const {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument, std::move(m));
  }
};

absl::Status CheckColumn(const Column& c, const char* name, bool integer, bool required, std::size_t n) {
  if (!c.present()) {
    if (required && n > 0) return Bad{}(StrCat(name, " column is required"));
    return absl::OkStatus();
  }
  if (DTypeSize(c.type) == 0) return Bad{}(StrCat(name, ": unknown dtype code ", static_cast<int>(c.type)));
  if (integer && !IsInteger(c.type)) {
    return Bad{}(StrCat(name, " has dtype ", DTypeName(c.type), "; expected integer codes"));
  }
  if (!integer && IsInteger(c.type)) {
    return Bad{}(StrCat(name, " has dtype ", DTypeName(c.type), "; expected float64 or float32"));
  }
  return absl::OkStatus();
}

Column Normalised(Column c) {
  if (c.present() && c.stride == 0) c.stride = DTypeSize(c.type);
  return c;
}

}  // namespace

std::string Report::ToJson() const {
  json fs = json::array();
  for (const auto& f : factors) {
    json terms = json::array();
    for (const auto& t : f.terms) {
      terms.push_back({{"name", t.name}, {"value", t.value}, {"unit", t.unit}, {"provenance", t.provenance}});
    }
    fs.push_back({{"kind", f.kind}, {"carrier", f.carrier}, {"unit", f.unit}, {"region", f.region}, {"year", f.year},
                  {"co2_t_per_unit", f.co2}, {"ch4_t_per_unit", f.ch4}, {"n2o_t_per_unit", f.n2o},
                  {"co2e_t_per_unit", f.co2e}, {"records", f.records}, {"terms", terms}});
  }
  json j = {{"valid", valid},         {"skipped", skipped},
            {"counts", counts},       {"first_rows", first_rows},
            {"pair_errors", pair_errors}, {"defaults_used", defaults_used},
            {"factors", fs}};
  return j.dump(1);
}

absl::StatusOr<Result> Compute(const Input& raw, const FactorCatalogue& catalogue, const Options& o,
                               const Output& out) {
  const Bad bad;
  const std::size_t n = raw.size;
  // ---- Arguments -------------------------------------------------------------------------------
  Input in = raw;
  for (Column* c : {&in.carrier.codes, &in.unit.codes, &in.quantity, &in.kind.codes, &in.region.codes, &in.year,
                    &in.ncv.values, &in.carbon_content.values, &in.oxidation.values}) {
    *c = Normalised(*c);
  }
  for (auto& k : in.keys) k = Normalised(k);
  for (auto st : {CheckColumn(in.carrier.codes, "carrier", true, true, n), CheckColumn(in.unit.codes, "unit", true, true, n),
                  CheckColumn(in.quantity, "quantity", false, true, n), CheckColumn(in.kind.codes, "kind", true, false, n),
                  CheckColumn(in.region.codes, "region", true, false, n), CheckColumn(in.year, "year", true, false, n),
                  CheckColumn(in.ncv.values, "ncv", false, false, n),
                  CheckColumn(in.carbon_content.values, "carbon_content", false, false, n),
                  CheckColumn(in.oxidation.values, "oxidation", false, false, n)}) {
    if (!st.ok()) return st;
  }
  for (std::size_t k = 0; k < in.keys.size(); ++k) {
    if (!in.keys[k].present()) return bad(StrCat("keys[", k, "] has no data"));
    if (auto st = CheckColumn(in.keys[k], StrCat("keys[", k, "]").c_str(), true, true, n); !st.ok()) return st;
  }
  if (!in.year.present() && (o.year < 1990 || o.year > 2100)) {
    return bad(StrCat("year ", o.year, " is not a reporting year (1990-2100); set it or give a year column"));
  }
  const Measured* measured[kParamCount] = {&in.ncv, &in.carbon_content, &in.oxidation};
  for (std::size_t p = 0; p < kParamCount; ++p) {
    if (!measured[p]->values.present()) continue;
    if (auto u = Unit::Parse(measured[p]->unit); !u.ok()) {
      return bad(StrCat(kParamNames[p], " unit \"", measured[p]->unit, "\": ", u.status().message()));
    }
  }
  // An oxidation factor is a fraction: at most 1 (100 %) in its column's unit.
  double of_max = std::numeric_limits<double>::infinity();
  if (in.oxidation.values.present()) {
    auto f = Convert(1.0, in.oxidation.unit, "1");
    if (!f.ok()) return bad(StrCat("oxidation unit \"", in.oxidation.unit, "\" is not a fraction (1 or %)"));
    of_max = 1.0 / *f;
  }
  const bool any_measured = in.ncv.values.present() || in.carbon_content.values.present() || in.oxidation.values.present();
  const std::size_t nc = in.carrier.values.size(), nu = in.unit.values.size();
  const std::size_t nk = in.kind.codes.present() ? in.kind.values.size() : 1;
  const std::size_t nr = in.region.codes.present() ? in.region.values.size() : 1;
  const unsigned threads = o.threads != 0 ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  const std::size_t nkeys = in.keys.size();
  const unsigned gv = nkeys > 0 ? (out.group_values & kAllValues) : 0u;

  // ---- Pass A (parallel, read-only on the input): record checks, year and key ranges ------------
  // The year range is needed before tuples can be marked, so pass A marks (kind, carrier, unit,
  // region) and per-record years are checked for range only; pass A' marks full tuples when a year
  // column exists (codes only, cheap).
  std::vector<uint8_t> err(n, kValid);
  const std::size_t pair_space = nk * nc * nu * nr;
  if (pair_space > kMaxTupleSpace) {
    return bad(StrCat("kind × carrier × unit × region dictionaries span ", pair_space,
                      " combinations (more than 2^22); drop unused categories"));
  }
  struct Scan {
    std::vector<uint8_t> used;
    int64_t ymin = std::numeric_limits<int64_t>::max(), ymax = std::numeric_limits<int64_t>::min();
    std::vector<int64_t> kmin, kmax;
    std::size_t invalid = 0;
  };
  const std::size_t nseg_scan = std::clamp<std::size_t>(n / kMinSegment, 1, 64);
  const std::size_t scan_len = std::max<std::size_t>(1, (n + nseg_scan - 1) / nseg_scan);
  const std::size_t scan_threads = std::min<std::size_t>(threads, nseg_scan);
  std::vector<Scan> scans(scan_threads);
  ForEachThread(threads, nseg_scan, [&](std::size_t tid, std::size_t stride) {
    Scan& s = scans[tid];
    s.used.assign(pair_space, 0);
    s.kmin.assign(nkeys, std::numeric_limits<int64_t>::max());
    s.kmax.assign(nkeys, std::numeric_limits<int64_t>::min());
    CodeBlock codes;
    auto &c = codes.c, &u = codes.u, &k = codes.k, &r = codes.r, &y = codes.y;
    std::vector<double> q(kBlock), m(kBlock);
    for (std::size_t seg = tid; seg < nseg_scan; seg += stride) {
      const std::size_t seg_lo = std::min(n, seg * scan_len), seg_hi = std::min(n, (seg + 1) * scan_len);
      for (std::size_t lo = seg_lo; lo < seg_hi; lo += kBlock) {
        const std::size_t b = std::min(kBlock, seg_hi - lo);
        codes.Load(in, lo, b);
        const double* const qp = LoadDouble(in.quantity, lo, b, q.data());
        // Locals only in the hot loops: a store through uint8_t* may alias anything, so values read
        // through the closure would be reloaded after every store.
        uint8_t* const e = err.data() + lo;
        uint8_t* const used = s.used.data();
        const int64_t *const cp = c.data(), *const up = u.data(), *const kp = k.data(), *const rp = r.data(),
                            *const yp = y.data();
        const uint64_t NC = nc, NU = nu, NK = nk, NR = nr;
        const bool has_year = in.year.present();
        std::size_t bad_here = 0;
        int64_t ymn = s.ymin, ymx = s.ymax;
        for (std::size_t j = 0; j < b; ++j) {
          // Negative codes wrap to huge unsigned values: one comparison per column.
          const auto cc = static_cast<uint64_t>(cp[j]), uu = static_cast<uint64_t>(up[j]),
                     kk = static_cast<uint64_t>(kp[j]), rr = static_cast<uint64_t>(rp[j]);
          const double qq = qp[j];
          uint8_t x = kValid;
          if (cc >= NC || uu >= NU || kk >= NK || rr >= NR) {
            x = kBadCode;
          } else if (!std::isfinite(qq)) {
            x = kNonFinite;
          } else if (qq < 0) {
            x = kNegative;
          } else if (has_year && (yp[j] < 1990 || yp[j] > 2100)) {
            x = kBadYear;
          }
          e[j] = x;
          if (x == kValid) {
            used[((kk * NC + cc) * NU + uu) * NR + rr] = 1;
            ymn = std::min(ymn, yp[j]);
            ymx = std::max(ymx, yp[j]);
          } else {
            ++bad_here;
          }
        }
        if (has_year) {
          s.ymin = ymn;
          s.ymax = ymx;
        }
        for (std::size_t p = 0; p < kParamCount; ++p) {
          if (!measured[p]->values.present()) continue;
          const double* const mp = LoadDouble(measured[p]->values, lo, b, m.data());
          const double limit = p == kOf ? of_max : std::numeric_limits<double>::infinity();
          for (std::size_t j = 0; j < b; ++j) {
            const double v = mp[j];
            // NaN: not measured (the default applies). Otherwise finite, > 0 and, for a fraction, ≤ 1.
            if (e[j] == kValid && !std::isnan(v) && (!std::isfinite(v) || v <= 0 || v > limit)) {
              e[j] = kBadParameter;
              ++bad_here;
            }
          }
        }
        s.invalid += bad_here;
        for (std::size_t kk = 0; kk < nkeys; ++kk) KeyRange(in.keys[kk], lo, b, s.kmin[kk], s.kmax[kk]);
      }
    }
  });
  Scan all;
  all.used.assign(pair_space, 0);
  all.kmin.assign(nkeys, std::numeric_limits<int64_t>::max());
  all.kmax.assign(nkeys, std::numeric_limits<int64_t>::min());
  for (auto& s : scans) {
    if (s.used.empty()) continue;
    for (std::size_t j = 0; j < pair_space; ++j) all.used[j] |= s.used[j];
    all.ymin = std::min(all.ymin, s.ymin);
    all.ymax = std::max(all.ymax, s.ymax);
    for (std::size_t kk = 0; kk < nkeys; ++kk) {
      all.kmin[kk] = std::min(all.kmin[kk], s.kmin[kk]);
      all.kmax[kk] = std::max(all.kmax[kk], s.kmax[kk]);
    }
    all.invalid += s.invalid;
  }
  // Years: dense over the observed range.
  const int64_t y0 = in.year.present() && all.ymin <= all.ymax ? all.ymin : o.year;
  const std::size_t ny = in.year.present() && all.ymin <= all.ymax ? static_cast<std::size_t>(all.ymax - all.ymin + 1) : 1;
  // Compact the (kind, carrier, unit, region) combinations that occur; tuples add the year.
  std::vector<int32_t> pair_index(pair_space, -1);
  std::vector<std::size_t> pair_of;  // compact → pair code
  for (std::size_t j = 0; j < pair_space; ++j) {
    if (all.used[j]) {
      pair_index[j] = static_cast<int32_t>(pair_of.size());
      pair_of.push_back(j);
    }
  }
  const std::size_t np = pair_of.size();
  if (np * ny > kMaxTupleSpace) return bad(StrCat(np, " combinations × ", ny, " years exceed 2^22 tuples"));
  std::vector<uint8_t> tuple_used(np * ny, 0);
  if (ny == 1) {
    std::fill(tuple_used.begin(), tuple_used.end(), 1);
  } else {  // Pass A': which (combination, year) tuples occur.
    CodeBlock codes;
    auto &c = codes.c, &u = codes.u, &k = codes.k, &r = codes.r, &y = codes.y;
    for (std::size_t lo = 0; lo < n; lo += kBlock) {
      const std::size_t b = std::min(kBlock, n - lo);
      codes.Load(in, lo, b);
      for (std::size_t j = 0; j < b; ++j) {
        if (err[lo + j] != kValid) continue;
        const std::size_t pc = ((static_cast<std::size_t>(k[j]) * nc + static_cast<std::size_t>(c[j])) * nu +
                                static_cast<std::size_t>(u[j])) * nr + static_cast<std::size_t>(r[j]);
        tuple_used[static_cast<std::size_t>(pair_index[pc]) * ny + static_cast<std::size_t>(y[j] - y0)] = 1;
      }
    }
  }
  // ---- Tuple resolution, once each, through the document engine --------------------------------
  Args args{in, catalogue, o};
  // At least one (unused) tuple, so that skipped records can point somewhere harmless.
  tuple_used.resize(std::max<std::size_t>(1, np * ny), 0);
  std::vector<Tuple> tuples(tuple_used.size());
  Result result;
  Report& report = result.report;
  bool tuple_failed = false;
  for (std::size_t p = 0; p < np; ++p) {
    std::size_t code = pair_of[p];
    const std::size_t r = code % nr;
    code /= nr;
    const std::size_t u = code % nu;
    code /= nu;
    const std::size_t c = code % nc;
    const std::size_t k = code / nc;
    const std::string kind = in.kind.codes.present() ? in.kind.values[k] : o.kind;
    const std::string region = in.region.codes.present() ? in.region.values[r] : o.region;
    for (std::size_t yy = 0; yy < ny; ++yy) {
      if (!tuple_used[p * ny + yy]) continue;
      const int year = static_cast<int>(y0 + static_cast<int64_t>(yy));
      std::string why;
      Tuple& t = tuples[p * ny + yy];
      t = Resolve(args, kind, in.carrier.values[c], in.unit.values[u], region, year, &why);
      if (!why.empty()) report.pair_errors[TupleKey(t.factor)] = why;
      tuple_failed = tuple_failed || t.error != kValid;
    }
  }
  // A measured value on a record whose tuple has no such term is an error, not silently ignored.
  bool inapplicable = false;
  if (any_measured) {
    for (std::size_t t = 0; t < tuples.size(); ++t) {
      if (!tuple_used[t] || tuples[t].error != kValid) continue;
      for (std::size_t p = 0; p < kParamCount; ++p) {
        if (measured[p]->values.present() && tuples[t].scale[p] == 0) inapplicable = true;
      }
    }
  }
  auto slot_of = [&](int64_t k, int64_t c, int64_t u, int64_t r, int64_t y) {
    const std::size_t pc = ((static_cast<std::size_t>(k) * nc + static_cast<std::size_t>(c)) * nu +
                            static_cast<std::size_t>(u)) * nr + static_cast<std::size_t>(r);
    return static_cast<std::size_t>(pair_index[pc]) * ny + (ny == 1 ? 0 : static_cast<std::size_t>(y - y0));
  };
  // ---- Pass B, only when a tuple failed or a measured value does not apply: mark those records ---
  if (tuple_failed || inapplicable) {
    CodeBlock codes;
    auto &c = codes.c, &u = codes.u, &k = codes.k, &r = codes.r, &y = codes.y;
    std::vector<double> m(kBlock);
    for (std::size_t lo = 0; lo < n; lo += kBlock) {
      const std::size_t b = std::min(kBlock, n - lo);
      codes.Load(in, lo, b);
      for (std::size_t j = 0; j < b; ++j) {
        if (err[lo + j] != kValid) continue;
        const Tuple& t = tuples[slot_of(k[j], c[j], u[j], r[j], y[j])];
        if (t.error != kValid) {
          err[lo + j] = t.error;
          ++all.invalid;
        }
      }
      for (std::size_t p = 0; p < kParamCount && inapplicable; ++p) {
        if (!measured[p]->values.present()) continue;
        const double* const mv = LoadDouble(measured[p]->values, lo, b, m.data());
        for (std::size_t j = 0; j < b; ++j) {
          if (err[lo + j] != kValid || std::isnan(mv[j])) continue;
          if (tuples[slot_of(k[j], c[j], u[j], r[j], y[j])].scale[p] == 0) {
            err[lo + j] = kNotApplicable;
            ++all.invalid;
          }
        }
      }
    }
  }
  // ---- The report of invalid records --------------------------------------------------------------
  if (all.invalid > 0) {
    for (std::size_t i = 0; i < n; ++i) {
      if (err[i] == kValid) continue;
      const char* name = kKindNames[err[i]];
      ++report.counts[name];
      auto& rows = report.first_rows[name];
      if (rows.size() < o.report_rows) rows.push_back(i);
    }
  }
  report.skipped = all.invalid;
  report.valid = n - report.skipped;
  if (report.skipped > 0 && o.policy == Policy::kReject) {
    std::string msg = StrCat(report.skipped, " invalid record(s); nothing computed:");
    for (const auto& [k, v] : report.counts) {
      std::vector<std::string> rows;
      for (auto row : report.first_rows[k]) rows.push_back(std::to_string(row));
      msg += StrCat("\n", k, ": ", v, " record(s), first rows ", internal::StrJoin(rows, ", "));
    }
    for (const auto& [pair, why] : report.pair_errors) msg += StrCat("\n", pair, ": ", why);
    return bad(msg);
  }
  // ---- Groups: dense mixed-radix index over the key ranges, or a sorted hash of sparse keys ------
  std::vector<std::size_t> span(nkeys, 1);
  std::size_t dense_groups = 0;
  std::vector<uint32_t> sparse_gid;  // per record, when the key space is sparse
  std::vector<std::vector<int64_t>> sparse_keys;
  bool sparse = false;
  if (nkeys > 0) {
    long double total = 1;
    for (std::size_t kk = 0; kk < nkeys; ++kk) {
      if (all.kmin[kk] > all.kmax[kk]) {  // no records
        all.kmin[kk] = all.kmax[kk] = 0;
      }
      const long double sp = static_cast<long double>(all.kmax[kk]) - static_cast<long double>(all.kmin[kk]) + 1;
      total *= sp;
      span[kk] = sp > 1.8e19L ? 0 : static_cast<std::size_t>(sp);
    }
    const long double dense_limit = static_cast<long double>(std::max<std::size_t>(2 * n, std::size_t{1} << 20));
    if (total <= dense_limit && total < 2147483647.0L) {
      dense_groups = static_cast<std::size_t>(total);
    } else if (total < 1.8e19L) {
      // Sparse keys: one sequential pass maps each combined key to a group in first-seen order,
      // then groups are renumbered in key order (deterministic, independent of threads).
      sparse = true;
      absl::flat_hash_map<uint64_t, uint32_t> ids;
      std::vector<uint64_t> combined_of;
      sparse_gid.assign(n, 0);
      std::vector<int64_t> key(kBlock);
      std::vector<uint64_t> comb(kBlock);
      for (std::size_t lo = 0; lo < n; lo += kBlock) {
        const std::size_t b = std::min(kBlock, n - lo);
        std::fill(comb.begin(), comb.begin() + static_cast<std::ptrdiff_t>(b), 0);
        for (std::size_t kk = 0; kk < nkeys; ++kk) {
          LoadInt(in.keys[kk], lo, b, key.data());
          for (std::size_t j = 0; j < b; ++j) {
            comb[j] = comb[j] * span[kk] + static_cast<uint64_t>(key[j] - all.kmin[kk]);
          }
        }
        for (std::size_t j = 0; j < b; ++j) {
          if (err[lo + j] != kValid) continue;
          auto [it, added] = ids.try_emplace(comb[j], static_cast<uint32_t>(combined_of.size()));
          if (added) {
            if (combined_of.size() >= std::numeric_limits<uint32_t>::max()) return bad("more than 2^32 groups");
            combined_of.push_back(comb[j]);
          }
          sparse_gid[lo + j] = it->second;
        }
      }
      std::vector<uint32_t> order(combined_of.size());
      for (std::size_t g = 0; g < order.size(); ++g) order[g] = static_cast<uint32_t>(g);
      std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return combined_of[a] < combined_of[b]; });
      std::vector<uint32_t> rank(order.size());
      for (std::size_t g = 0; g < order.size(); ++g) rank[order[g]] = static_cast<uint32_t>(g);
      for (std::size_t i = 0; i < n; ++i) sparse_gid[i] = rank[sparse_gid[i]];
      dense_groups = order.size();
      sparse_keys.assign(nkeys, std::vector<int64_t>(order.size()));
      for (std::size_t g = 0; g < order.size(); ++g) {
        uint64_t v = combined_of[order[g]];
        for (std::size_t kk = nkeys; kk-- > 0;) {
          sparse_keys[kk][g] = static_cast<int64_t>(v % span[kk]) + all.kmin[kk];
          v /= span[kk];
        }
      }
    } else {
      return bad("the group keys span more than 2^64 combinations; combine them into one code column first");
    }
  }
  // ---- Pass C (parallel): per-record values and per-segment group sums --------------------------
  const std::size_t G = dense_groups;
  std::array<std::size_t, 4> value_slot{};  // value v → its index in a group record, or npos
  std::size_t nvals = 0;
  for (std::size_t v = 0; v < 4; ++v) value_slot[v] = (gv >> v) & 1u ? nvals++ : std::string::npos;
  const bool want_counts = (gv & kRecords) != 0;
  // Bytes per group and segment: the values, the optional count, one occupancy bit.
  const std::size_t group_bytes = nvals * sizeof(double) + (want_counts ? sizeof(uint64_t) : 0) + 1;
  const Segments seg = Segment(n, nkeys > 0 ? G * group_bytes : 0);
  std::vector<std::vector<uint64_t>> occupied(nkeys > 0 ? seg.count : 0);
  std::vector<std::vector<double>> sums(nkeys > 0 ? seg.count : 0);
  std::vector<std::vector<uint64_t>> counts(nkeys > 0 ? seg.count : 0);
  std::vector<std::vector<uint64_t>> tuple_records(seg.count, std::vector<uint64_t>(tuples.size(), 0));
  std::vector<std::array<std::size_t, kParamCount>> defaults(seg.count, std::array<std::size_t, kParamCount>{});
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  const OutColumn* outs[4] = {&out.co2_t, &out.ch4_t, &out.n2o_t, &out.co2e_t};
  std::vector<double> per_unit(4 * tuples.size());  // flat: the hot loop reads 4 doubles per tuple
  for (std::size_t t = 0; t < tuples.size(); ++t) {
    for (std::size_t v = 0; v < 4; ++v) per_unit[4 * t + v] = tuples[t].per_unit[v];
  }
  ForEachThread(threads, seg.count, [&](std::size_t tid, std::size_t stride) {
    CodeBlock codes;
    auto &c = codes.c, &u = codes.u, &k = codes.k, &r = codes.r, &y = codes.y;
    std::vector<int64_t> key(kBlock);
    std::vector<std::size_t> slot(kBlock), g(kBlock, 0);
    std::vector<double> q(kBlock), m(kBlock);
    std::array<std::vector<double>, kParamCount> mult;
    std::array<std::vector<double>, 4> val;
    for (auto& v : val) v.resize(kBlock);
    for (std::size_t s = tid; s < seg.count; s += stride) {
      double* part = nullptr;
      uint64_t* cnt = nullptr;
      uint64_t* occ = nullptr;
      if (nkeys > 0) {
        sums[s].assign(G * nvals, 0.0);
        if (want_counts) counts[s].assign(G, 0);
        occupied[s].assign((G + 63) / 64, 0);
        part = sums[s].data();
        cnt = counts[s].data();
        occ = occupied[s].data();
      }
      uint64_t* trec = tuple_records[s].data();
      auto& dflt = defaults[s];
      const std::size_t seg_lo = seg.lo(s, n), seg_hi = seg.hi(s, n);
      for (std::size_t lo = seg_lo; lo < seg_hi; lo += kBlock) {
        const std::size_t b = std::min(kBlock, seg_hi - lo);
        const uint8_t* e = err.data() + lo;
        codes.Load(in, lo, b);
        const double* const qv = LoadDouble(in.quantity, lo, b, q.data());
        {  // locals only (see pass A)
          const int64_t *const cp = c.data(), *const up = u.data(), *const kp = k.data(), *const rp = r.data(),
                              *const yp = y.data();
          const int32_t* const pi = pair_index.data();
          const uint64_t NC = nc, NU = nu, NR = nr, NY = ny;
          const int64_t Y0 = y0;
          std::size_t* const sp = slot.data();
          for (std::size_t j = 0; j < b; ++j) {
            const uint64_t pc = ((static_cast<uint64_t>(kp[j]) * NC + static_cast<uint64_t>(cp[j])) * NU +
                                 static_cast<uint64_t>(up[j])) * NR + static_cast<uint64_t>(rp[j]);
            const std::size_t t = static_cast<std::size_t>(pi[e[j] == kValid ? pc : 0]) * NY +
                                  (NY == 1 ? 0 : static_cast<std::size_t>(yp[j] - Y0));
            sp[j] = e[j] == kValid ? t : 0;
          }
        }
        if (nkeys > 0) {
          if (sparse) {
            for (std::size_t j = 0; j < b; ++j) g[j] = sparse_gid[lo + j];
          } else {
            std::size_t* const gp = g.data();
            const int64_t* const keyp = key.data();
            std::fill(gp, gp + b, 0);
            for (std::size_t kk = 0; kk < nkeys; ++kk) {
              LoadInt(in.keys[kk], lo, b, key.data());
              const int64_t mn = all.kmin[kk];
              const std::size_t sp = span[kk];
              for (std::size_t j = 0; j < b; ++j) gp[j] = gp[j] * sp + static_cast<std::size_t>(keyp[j] - mn);
            }
          }
        }
        // Fast path (no measured columns, at most one group value): one fused loop per block, no
        // intermediate value arrays.
        if (!any_measured && nvals <= 1) {
          const double* const pu = per_unit.data();
          const std::size_t* const sp = slot.data();
          for (std::size_t v = 0; v < 4; ++v) {
            if (!outs[v]->data) continue;
            const std::size_t step = outs[v]->stride;
            char* dst = reinterpret_cast<char*>(outs[v]->data) + lo * step;
            for (std::size_t j = 0; j < b; ++j, dst += step) {
              const double x = e[j] == kValid ? qv[j] * pu[4 * sp[j] + v] : kNaN;
              std::memcpy(dst, &x, sizeof x);
            }
          }
          const std::size_t vi = nvals == 1 ? static_cast<std::size_t>(std::countr_zero(gv & 15u)) : 0;
          const std::size_t* const gp = g.data();
          for (std::size_t j = 0; j < b; ++j) {
            if (e[j] != kValid) continue;
            const std::size_t t = sp[j];
            ++trec[t];
            if (nkeys == 0) continue;
            const std::size_t gg = gp[j];
            occ[gg >> 6] |= uint64_t{1} << (gg & 63);
            if (want_counts) ++cnt[gg];
            if (nvals == 1) part[gg] += qv[j] * pu[4 * t + vi];
          }
          continue;
        }
        // Values per record: q × tonnes per unit, times the measured/default ratio of each term.
        if (!any_measured) {
          const double* const qp = qv;
          const std::size_t* const sp = slot.data();
          for (std::size_t v = 0; v < 4; ++v) {
            if (!outs[v]->data && value_slot[v] == std::string::npos) continue;
            double* const dst = val[v].data();
            const double* const pu = per_unit.data() + v;
            for (std::size_t j = 0; j < b; ++j) dst[j] = qp[j] * pu[4 * sp[j]];
          }
        } else {
          for (std::size_t p = 0; p < kParamCount; ++p) {
            mult[p].assign(b, 1.0);
            if (!measured[p]->values.present()) continue;
            const double* const mv = LoadDouble(measured[p]->values, lo, b, m.data());
            for (std::size_t j = 0; j < b; ++j) {
              if (e[j] != kValid) continue;
              if (std::isnan(mv[j])) {
                ++dflt[p];  // the missing-data rule: the tuple's default applies
              } else {
                mult[p][j] = mv[j] * tuples[slot[j]].scale[p];
              }
            }
          }
          for (std::size_t j = 0; j < b; ++j) {
            const Tuple& t = tuples[slot[j]];
            if (mult[kNcv][j] == 1.0 && mult[kCc][j] == 1.0 && mult[kOf][j] == 1.0) {
              for (std::size_t v = 0; v < 4; ++v) val[v][j] = qv[j] * t.per_unit[v];  // as without columns
              continue;
            }
            double co2e = qv[j] * t.co2e_only;
            for (std::size_t gas = 0; gas < 3; ++gas) {
              double x = qv[j] * t.per_unit[gas];
              for (std::size_t p = 0; p < kParamCount; ++p) {
                if (t.uses[gas] >> p & 1u) x *= mult[p][j];
              }
              val[gas][j] = x;
              co2e += x * t.gwp[gas];
            }
            val[3][j] = co2e;
          }
        }
        for (std::size_t v = 0; v < 4; ++v) {
          if (!outs[v]->data) continue;
          const std::size_t step = outs[v]->stride;
          char* dst = reinterpret_cast<char*>(outs[v]->data) + lo * step;
          const double* const src = val[v].data();
          if (step == sizeof(double)) {
            double* const d = reinterpret_cast<double*>(dst);
            for (std::size_t j = 0; j < b; ++j) d[j] = e[j] == kValid ? src[j] : kNaN;
            continue;
          }
          for (std::size_t j = 0; j < b; ++j, dst += step) {
            const double x = e[j] == kValid ? src[j] : kNaN;
            std::memcpy(dst, &x, sizeof x);
          }
        }
        {
          const std::size_t* const sp = slot.data();
          for (std::size_t j = 0; j < b; ++j) trec[sp[j]] += e[j] == kValid;
        }
        if (nkeys == 0) continue;
        const std::size_t* const gp = g.data();
        // Occupancy (which groups have a valid record) is a bitmap: it stays in L1 while the sums
        // stream through L2. Counts only when asked for.
        for (std::size_t j = 0; j < b; ++j) {
          if (e[j] == kValid) occ[gp[j] >> 6] |= uint64_t{1} << (gp[j] & 63);
        }
        if (want_counts) {
          for (std::size_t j = 0; j < b; ++j) cnt[gp[j]] += e[j] == kValid;
        }
        if (nvals == 1) {  // the common case (one value): one scatter-add per record
          const double* const src = val[static_cast<std::size_t>(std::countr_zero(gv & 15u))].data();
          for (std::size_t j = 0; j < b; ++j) {
            if (e[j] == kValid) part[gp[j]] += src[j];
          }
        } else if (nvals > 1) {
          for (std::size_t j = 0; j < b; ++j) {
            if (e[j] != kValid) continue;
            double* row = part + gp[j] * nvals;
            for (std::size_t v = 0; v < 4; ++v) {
              if (value_slot[v] != std::string::npos) row[value_slot[v]] += val[v][j];
            }
          }
        }
      }
    }
  });
  // ---- Combine segments in segment order (parallel over groups: each group's order is fixed) -----
  for (std::size_t s = 0; s < seg.count; ++s) {
    for (std::size_t p = 0; p < kParamCount; ++p) {
      if (measured[p]->values.present() && defaults[s][p] > 0) report.defaults_used[kParamNames[p]] += defaults[s][p];
    }
  }
  for (std::size_t t = 0; t < tuples.size(); ++t) {
    if (!tuple_used[t] || tuples[t].error != kValid) continue;
    for (std::size_t s = 0; s < seg.count; ++s) tuples[t].factor.records += tuple_records[s][t];
    report.factors.push_back(tuples[t].factor);
  }
  if (nkeys > 0) {
    std::vector<double> total(G * nvals, 0.0);
    std::vector<uint64_t> total_count(want_counts ? G : 0, 0);
    std::vector<uint64_t> total_occ((G + 63) / 64, 0);
    const std::size_t chunks = std::max<std::size_t>(1, std::min<std::size_t>(threads, G / 4096));
    ForEachThread(threads, chunks, [&](std::size_t tid, std::size_t stride) {
      for (std::size_t ch = tid; ch < chunks; ch += stride) {
        const std::size_t glo = G * ch / chunks, ghi = G * (ch + 1) / chunks;
        for (std::size_t s = 0; s < seg.count; ++s) {
          const double* src = sums[s].data();
          for (std::size_t x = glo * nvals; x < ghi * nvals; ++x) total[x] += src[x];
          if (want_counts) {
            const uint64_t* cs = counts[s].data();
            for (std::size_t x = glo; x < ghi; ++x) total_count[x] += cs[x];
          }
        }
      }
    });
    for (std::size_t s = 0; s < seg.count; ++s) {
      for (std::size_t w = 0; w < total_occ.size(); ++w) total_occ[w] |= occupied[s][w];
    }
    Groups& gr = result.groups;
    std::vector<double>* dst[4] = {&gr.co2_t, &gr.ch4_t, &gr.n2o_t, &gr.co2e_t};
    gr.keys.assign(nkeys, {});
    std::vector<std::size_t> digits(nkeys);
    for (std::size_t x = 0; x < G; ++x) {
      if (!(total_occ[x >> 6] >> (x & 63) & 1u)) continue;
      ++gr.count;
      if (want_counts) gr.records.push_back(total_count[x]);
      for (std::size_t v = 0; v < 4; ++v) {
        if (value_slot[v] != std::string::npos) dst[v]->push_back(total[x * nvals + value_slot[v]]);
      }
      if (sparse) {
        for (std::size_t kk = 0; kk < nkeys; ++kk) gr.keys[kk].push_back(sparse_keys[kk][x]);
      } else {
        std::size_t rest = x;
        for (std::size_t kk = nkeys; kk-- > 0;) {
          digits[kk] = rest % span[kk];
          rest /= span[kk];
        }
        for (std::size_t kk = 0; kk < nkeys; ++kk) {
          gr.keys[kk].push_back(static_cast<int64_t>(digits[kk]) + all.kmin[kk]);
        }
      }
    }
  }
  return result;
}

}  // namespace cmrv::batch
