#include "carbonmrv/batch/batch.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <thread>
#include "internal/json.hpp"

#include "absl/container/flat_hash_map.h"
#include "carbonmrv/enterprise/enterprise.hpp"
#include "carbonmrv/status.hpp"
#include "carbonmrv/units/units.hpp"
#include "internal/strings.hpp"
#include "internal/threads.hpp"
#include "internal/trace_json.hpp"

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
  kBadCode,          // a code outside its dictionary (−1: a missing categorical value)
  kNonFinite,        // quantity NaN or ±inf
  kNegative,         // quantity < 0 (exports and recovery take their sign from the kind)
  kBadYear,          // year outside 1990–2100
  kBadParameter,     // a measured value that is ±inf, ≤ 0, or an oxidation factor > 1
  kUnknownCarrier,   // the tuple's carrier is not in the catalogue
  kUnknownUnit,      // the tuple's unit does not parse
  kUnitKind,         // the document engine refuses the tuple (unit of the wrong kind for the source kind ...)
  kUnsupportedKind,  // a source kind the batch engine does not take
  kMissingFactor,    // no factor for the tuple
  kParameterUnit,    // a measured column's unit does not fit the term it replaces
  kNotApplicable,    // a measured value for a tuple whose method has no such term
  kKindCount
};
constexpr const char* kKindNames[] = {"valid",         "bad_code",         "non_finite",      "negative",
                                      "bad_year",      "bad_parameter",    "unknown_carrier", "unknown_unit",
                                      "unit_kind",     "unsupported_kind", "missing_factor",  "parameter_unit",
                                      "not_applicable"};
static_assert(std::size(kKindNames) == kKindCount);

// The error kind of a record that failed the branch-free check, in the order the checks are reported:
// a code outside its dictionary, then the quantity, then the year.
inline uint8_t BadRecordKind(bool codes_ok, double q) {
  if (!codes_ok) return kBadCode;
  if (!std::isfinite(q)) return kNonFinite;
  if (q < 0) return kNegative;
  return kBadYear;
}

// Source kinds whose factors come from the catalogue by carrier and unit alone.
constexpr SourceKind kBatchKinds[] = {SourceKind::kFuelCombustion,       SourceKind::kBiomassCombustion,
                                      SourceKind::kPurchasedElectricity, SourceKind::kExportedElectricity,
                                      SourceKind::kPurchasedHeat,        SourceKind::kExportedHeat};

constexpr std::size_t kBlock = 1024;  // records per vectorised block (buffers stay in L1/L2)
constexpr std::size_t kMinSegment = 1 << 16;
constexpr std::size_t kMaxSegments = 4;
constexpr std::size_t kPartialBudget = std::size_t{32} << 20;  // bytes of per-segment group sums
constexpr std::size_t kMaxTupleSpace = std::size_t{1} << 22;   // kinds × carriers × units × regions (× years)
constexpr int64_t kYearFirst = 1990, kYearCount = 111;         // reporting years 1990–2100

template <typename T>
void LoadAs(const char* base, std::size_t stride, std::size_t lo, std::size_t n, int64_t* out) {
  if (stride == sizeof(T)) {  // contiguous: a widening loop the compiler vectorises
    const char* p = base + lo * sizeof(T);
    for (std::size_t j = 0; j < n; ++j) {
      T v;
      std::memcpy(&v, p + j * sizeof(T), sizeof v);  // an unaligned-safe load, compiled to a plain one
      out[j] = static_cast<int64_t>(v);  // NOLINT(bugprone-signed-char-misuse): int8 codes are signed; < 0 is refused
    }
    return;
  }
  const char* p = base + lo * stride;
  for (std::size_t j = 0; j < n; ++j, p += stride) {
    T v;
    std::memcpy(&v, p, sizeof v);
    out[j] = static_cast<int64_t>(v);  // NOLINT(bugprone-signed-char-misuse): int8 codes are signed; < 0 is refused
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
  if (stride == sizeof(T) && reinterpret_cast<std::uintptr_t>(base) % alignof(T) == 0) {
    // contiguous and aligned: a min/max reduction the compiler vectorises
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
  if (c.type == DType::kFloat64 && c.stride == sizeof(double) &&
      reinterpret_cast<std::uintptr_t>(p) % alignof(double) == 0) {
    return reinterpret_cast<const double*>(p);
  }
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
// The terms each measured column replaces, by the parameter the inventory engine says a term resolves:
// the heating value (NCV, or HHV where the factors are per HHV), the carbon content, the oxidation.
bool TermIs(Param p, const TraceTerm& term) {
  if (!term.parameter) return false;
  switch (p) {
    case kNcv: return *term.parameter == Parameter::kNcv || *term.parameter == Parameter::kHhv;
    case kCc: return *term.parameter == Parameter::kCarbonContent;
    case kOf: return *term.parameter == Parameter::kOxidation;
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
  // Whether the tuple's lines have the term parameter p replaces (only then is a default "used").
  std::array<bool, kParamCount> has_term{};
  // Measured parameter p whose column unit cannot replace the term: why (empty: it fits or is absent).
  std::array<std::string, kParamCount> unit_mismatch;
  Factor factor;
};

struct Args {
  const Input& in;
  const FactorCatalogue& catalogue;
  const Options& o;
};

std::string TupleKey(const Factor& f) {
  return StrCat(f.kind, "|", f.carrier, "|", f.unit, "|", f.region, "|", f.year);
}

Tuple Resolve(const Args& a, const std::string& kind, const std::string& carrier, const std::string& unit,
              const std::string& region, int year, std::string* why) {
  Tuple t;
  t.factor = Factor{kind, carrier, unit, region, year, 0, 0, 0, 0, {}, 0};
  auto source_kind = ParseSourceKind(kind);
  if (!source_kind.ok() ||
      std::find(std::begin(kBatchKinds), std::end(kBatchKinds), *source_kind) == std::end(kBatchKinds)) {
    std::vector<std::string> names;
    for (SourceKind k : kBatchKinds) names.emplace_back(SourceKindName(k));
    *why = StrCat("source kind \"", kind, "\" is not computed by the batch engine (it takes ",
                  internal::StrJoin(names, ", "), "); use the document engine");
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
  if (const std::string need = ActivityUnitExpected(*source_kind, parsed->kind()); !need.empty()) {
    *why = StrCat("\"", unit, "\" is ", parsed->kind().Describe(), "; a ", kind, " source needs ", need);
    t.error = kUnitKind;
    return t;
  }
  // One unit of activity through the inventory engine: same methods, datasets and conventions.
  auto inv = ComputeUnitActivity({*source_kind, carrier, unit, region, year, a.o.method}, a.catalogue, a.o.inventory);
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
        default_value[p] = term.value;
        default_unit[p] = term.unit;
      }
    }
  }
  if (!main_line && !inv->lines.empty()) t.factor.terms = inv->lines.front().terms;
  for (std::size_t p = 0; p < kParamCount; ++p) {
    t.has_term[p] = default_value[p].has_value();
    if (!measured[p]->values.present() || !default_value[p]) continue;
    auto k = Convert(1.0, measured[p]->unit, default_unit[p]);
    if (!k.ok()) {
      // Not a tuple error: its records that carry no measurement (NaN) still take the default; one
      // that carries a value is a parameter_unit error with this reason.
      t.unit_mismatch[p] =
          StrCat("measured ", kParamNames[p], " in \"", measured[p]->unit, "\" cannot replace the default (",
                 *default_value[p], " ", default_unit[p], "): ", k.status().message());
      continue;
    }
    t.scale[p] = *k / *default_value[p];
  }
  t.factor.co2 = t.per_unit[0];
  t.factor.ch4 = t.per_unit[1];
  t.factor.n2o = t.per_unit[2];
  t.factor.co2e = t.per_unit[3];
  return t;
}

// v − base without signed overflow: keys may span more than INT64_MAX and a year column may hold
// INT64_MIN; the offset wraps modulo 2^64, which the range checks that follow then reject.
inline uint64_t Offset(int64_t v, int64_t base) { return static_cast<uint64_t>(v) - static_cast<uint64_t>(base); }

// Runs fn(k, t) for k in [0, t): task k on worker k. A worker that cannot be started (thread limit,
// address-space limit) does not abort the process: its share runs on the calling thread after its
// own, which gives the same result because the work of k is a function of (k, t) alone.
template <typename Fn>
void ForEachThread(unsigned threads, std::size_t tasks, Fn&& fn) {
  const std::size_t t = std::max<std::size_t>(1, std::min<std::size_t>(threads, tasks));
  if (t == 1) {
    fn(std::size_t{0}, std::size_t{1});
    return;
  }
  std::vector<std::thread> pool;
  std::vector<std::size_t> inline_tasks;
  pool.reserve(t - 1);
  for (std::size_t k = 1; k < t; ++k) {
    if (!internal::TryStartWorker(pool, [&fn, k, t] { fn(k, t); })) inline_tasks.push_back(k);
  }
  fn(0, t);
  for (std::size_t k : inline_tasks) fn(k, t);
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
  absl::Status operator()(const std::string& m) const {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorDetail::kInvalidArgument, m);
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

}  // namespace

std::string Report::ToJson() const {
  json fs = json::array();
  for (const auto& f : factors) {
    fs.push_back({{"kind", f.kind},
                  {"carrier", f.carrier},
                  {"unit", f.unit},
                  {"region", f.region},
                  {"year", f.year},
                  {"co2_t_per_unit", f.co2},
                  {"ch4_t_per_unit", f.ch4},
                  {"n2o_t_per_unit", f.n2o},
                  {"co2e_t_per_unit", f.co2e},
                  {"records", f.records},
                  {"terms", internal::TraceTermsJson(f.terms, false)}});
  }
  json j = {{"valid", valid},
            {"skipped", skipped},
            {"counts", counts},
            {"first_rows", first_rows},
            {"pair_errors", pair_errors},
            {"defaults_used", defaults_used},
            {"factors", fs}};
  return j.dump(1);
}

absl::StatusOr<Result> Compute(const Input& in, const FactorCatalogue& catalogue, const Options& o, const Output& out) {
  const Bad bad;
  const std::size_t n = in.size;

  // ---- Arguments -------------------------------------------------------------------------------
  // A column's stride 0 is a broadcast scalar (every record reads element 0); an output needs a
  // stride of at least one double.
  for (const OutColumn* c : {&out.co2_t, &out.ch4_t, &out.n2o_t, &out.co2e_t}) {
    if (c->data != nullptr && c->stride < sizeof(double)) {
      return bad(StrCat("an output column has stride ", c->stride, "; outputs need at least 8 bytes"));
    }
  }
  for (auto st :
       {CheckColumn(in.carrier.codes, "carrier", true, true, n), CheckColumn(in.unit.codes, "unit", true, true, n),
        CheckColumn(in.quantity, "quantity", false, true, n), CheckColumn(in.kind.codes, "kind", true, false, n),
        CheckColumn(in.region.codes, "region", true, false, n), CheckColumn(in.year, "year", true, false, n),
        CheckColumn(in.ncv.values, "ncv", false, false, n),
        CheckColumn(in.carbon_content.values, "carbon_content", false, false, n),
        CheckColumn(in.oxidation.values, "oxidation", false, false, n)}) {
    if (!st.ok()) return st;
  }
  for (const auto& [dict, name] : {std::pair{&in.carrier.values, "carrier"}, std::pair{&in.unit.values, "unit"},
                                   std::pair{&in.kind.values, "kind"}, std::pair{&in.region.values, "region"}}) {
    for (std::size_t i = 0; i < dict->size(); ++i) {
      if (!internal::ValidUtf8((*dict)[i])) return bad(StrCat(name, " values[", i, "] is not valid UTF-8"));
    }
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
  const bool any_measured =
      in.ncv.values.present() || in.carbon_content.values.present() || in.oxidation.values.present();
  const std::size_t nc = in.carrier.values.size(), nu = in.unit.values.size();
  const std::size_t nk = in.kind.codes.present() ? in.kind.values.size() : 1;
  const std::size_t nr = in.region.codes.present() ? in.region.values.size() : 1;
  const unsigned threads = o.threads != 0 ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  const std::size_t nkeys = in.keys.size();
  const unsigned gv = nkeys > 0 ? (out.group_values & kAllValues) : 0u;

  // ---- Pre-pass (parallel, codes and keys only): which tuples occur, key ranges ---------------
  // Years index tuples directly (1990–2100), so one pass over the codes marks whole tuples. Record
  // checks (quantity, parameters, tuple errors) happen in the main pass, once the factors are known.
  const std::size_t pair_space = nk * nc * nu * nr;
  const std::size_t nys = in.year.present() ? static_cast<std::size_t>(kYearCount) : 1;
  if (pair_space > kMaxTupleSpace / nys) {
    return bad(StrCat("kind × carrier × unit × region", in.year.present() ? " × year" : "", " dictionaries span ",
                      pair_space * nys, " combinations (more than 2^22); drop unused categories"));
  }
  const std::size_t tuple_space = pair_space * nys;
  struct Scan {
    std::vector<uint8_t> used;
    std::vector<int64_t> kmin, kmax;
  };
  const std::size_t nseg_scan = std::clamp<std::size_t>(n / kMinSegment, 1, 64);
  const std::size_t scan_len = std::max<std::size_t>(1, (n + nseg_scan - 1) / nseg_scan);
  std::vector<Scan> scans(std::min<std::size_t>(threads, nseg_scan));
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
        codes.Load(in, lo, b);
        // Locals only in the hot loops: a store through uint8_t* may alias anything, so values read
        // through the closure would be reloaded after every store.
        uint8_t* const used = s.used.data();
        const int64_t *const cp = codes.c.data(), *const up = codes.u.data(), *const kp = codes.k.data(),
                             *const rp = codes.r.data(), *const yp = codes.y.data();
        const uint64_t NC = nc, NU = nu, NK = nk, NR = nr, NYS = nys, spare = tuple_space;
        const uint64_t SU = NR * NYS, SC = NU * SU, SK = NC * SC;  // strides of the tuple code
        const bool has_year = in.year.present();
        const bool simple = !has_year && !in.kind.codes.present() && !in.region.codes.present();
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
        for (std::size_t kk = 0; kk < nkeys; ++kk) KeyRange(in.keys[kk], lo, b, s.kmin[kk], s.kmax[kk]);
      }
    }
  });
  std::vector<uint8_t> used(tuple_space + 1, 0);
  std::vector<int64_t> kmin(nkeys, std::numeric_limits<int64_t>::max()),
      kmax(nkeys, std::numeric_limits<int64_t>::min());
  for (const auto& s : scans) {
    for (std::size_t j = 0; j < tuple_space; ++j) used[j] |= s.used[j];
    for (std::size_t kk = 0; kk < nkeys; ++kk) {
      kmin[kk] = std::min(kmin[kk], s.kmin[kk]);
      kmax[kk] = std::max(kmax[kk], s.kmax[kk]);
    }
  }
  scans.clear();
  // ---- Tuple resolution, once each, through the document engine --------------------------------
  std::vector<int32_t> tuple_index(tuple_space, 0);  // unused slots: tuple 0 (never read for a valid record)
  std::vector<Tuple> tuples;
  Args args{in, catalogue, o};
  Result result;
  Report& report = result.report;
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
    const int year = in.year.present() ? static_cast<int>(kYearFirst + static_cast<int64_t>(ys)) : o.year;
    std::string why;
    tuple_index[code] = static_cast<int32_t>(tuples.size());
    tuples.push_back(Resolve(args, kind, in.carrier.values[c], in.unit.values[u], region, year, &why));
    if (!why.empty()) report.pair_errors[TupleKey(tuples.back().factor)] = why;
  }
  if (tuples.empty()) tuples.emplace_back();  // so that invalid records can point somewhere harmless
  // Flat per-tuple tables for the hot loops.
  std::vector<double> per_unit(4 * tuples.size());
  std::vector<double> scale(kParamCount * tuples.size());
  std::vector<uint8_t> tuple_error(tuples.size());
  for (std::size_t t = 0; t < tuples.size(); ++t) {
    for (std::size_t v = 0; v < 4; ++v) per_unit[4 * t + v] = tuples[t].per_unit[v];
    for (std::size_t p = 0; p < kParamCount; ++p) scale[kParamCount * t + p] = tuples[t].scale[p];
    tuple_error[t] = tuples[t].error;
  }
  // ---- Groups: dense mixed-radix index over the key ranges, or a sorted hash of sparse keys ------
  std::vector<std::size_t> span(nkeys, 1);
  std::size_t G = 0;
  std::vector<uint32_t> sparse_gid;  // per record, when the key space is sparse
  std::vector<std::vector<int64_t>> sparse_keys;
  bool sparse = false;
  if (nkeys > 0) {
    long double total = 1;
    for (std::size_t kk = 0; kk < nkeys; ++kk) {
      if (kmin[kk] > kmax[kk]) kmin[kk] = kmax[kk] = 0;  // no records
      const long double sp = static_cast<long double>(kmax[kk]) - static_cast<long double>(kmin[kk]) + 1;
      total *= sp;
      span[kk] = sp > 1.8e19L ? 0 : static_cast<std::size_t>(sp);
    }
    const long double dense_limit = static_cast<long double>(std::max<std::size_t>(2 * n, std::size_t{1} << 20));
    if (total <= dense_limit && total < 2147483647.0L) {
      G = static_cast<std::size_t>(total);
    } else if (total < 1.8e19L) {
      // Sparse keys: one sequential pass maps each combined key to a group in first-seen order, then
      // groups are renumbered in key order (deterministic, independent of threads). Groups without a
      // valid record are dropped with the occupancy bitmap like any other.
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
          for (std::size_t j = 0; j < b; ++j) comb[j] = comb[j] * span[kk] + Offset(key[j], kmin[kk]);
        }
        for (std::size_t j = 0; j < b; ++j) {
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
      G = order.size();
      sparse_keys.assign(nkeys, std::vector<int64_t>(order.size()));
      for (std::size_t g = 0; g < order.size(); ++g) {
        uint64_t v = combined_of[order[g]];
        for (std::size_t kk = nkeys; kk-- > 0;) {
          sparse_keys[kk][g] = static_cast<int64_t>(v % span[kk] + static_cast<uint64_t>(kmin[kk]));
          v /= span[kk];
        }
      }
    } else {
      return bad("the group keys span more than 2^64 combinations; combine them into one code column first");
    }
  }
  // ---- Main pass (parallel): record checks, per-record values, per-segment group sums -----------
  std::array<std::size_t, 4> value_slot{};  // value v → its index in a group row, or npos
  std::size_t nvals = 0;
  for (std::size_t v = 0; v < 4; ++v) value_slot[v] = (gv >> v) & 1u ? nvals++ : std::string::npos;
  const bool want_counts = (gv & kRecords) != 0;
  // Bytes per group and segment: the values, the optional count, one occupancy bit.
  const std::size_t group_bytes = nvals * sizeof(double) + (want_counts ? sizeof(uint64_t) : 0) + 1;
  const Segments seg = Segment(n, nkeys > 0 ? G * group_bytes : 0);
  struct SegmentState {
    std::vector<double> sums;
    std::vector<uint64_t> counts, tuple_records;
    std::vector<uint8_t> occupied;  // a byte per group: a plain store per record, no read-modify-write chain
    std::array<std::size_t, kKindCount> errors{};
    std::array<std::vector<std::size_t>, kKindCount> rows;
    std::array<std::size_t, kParamCount> defaults{};
    std::vector<std::size_t> unit_hits;  // tuple × parameter of each parameter_unit record (rare)
  };
  std::vector<SegmentState> state(seg.count);
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  const OutColumn* outs[4] = {&out.co2_t, &out.ch4_t, &out.n2o_t, &out.co2e_t};
  const bool per_record_out = out.co2_t.data || out.ch4_t.data || out.n2o_t.data || out.co2e_t.data;
  const bool fused = !in.kind.codes.present() && !in.region.codes.present() && !in.year.present() && !any_measured &&
                     nvals <= 1 && !sparse && (nkeys == 1 || nkeys == 2) && !per_record_out;
  auto run = [&]() {
    ForEachThread(threads, seg.count, [&](std::size_t tid, std::size_t stride) {
      CodeBlock codes;
      std::vector<int64_t> key(kBlock), key2(kBlock);
      std::vector<std::size_t> slot(kBlock), g(kBlock, 0);
      std::vector<uint8_t> ek(kBlock);
      std::vector<double> q(kBlock);
      std::array<std::vector<double>, kParamCount> mbuf, mult;
      std::array<const double*, kParamCount> mv{};
      std::array<std::vector<double>, 4> val;
      for (auto& v : val) v.resize(kBlock);
      for (std::size_t p = 0; p < kParamCount; ++p) {
        mbuf[p].resize(kBlock);
        mult[p].resize(kBlock);
      }
      for (std::size_t s = tid; s < seg.count; s += stride) {
        SegmentState& st = state[s];
        st = SegmentState{};
        double* part = nullptr;
        uint64_t* cnt = nullptr;
        uint8_t* occ = nullptr;
        if (nkeys > 0) {
          st.sums.assign(G * nvals, 0.0);
          if (want_counts) st.counts.assign(G, 0);
          st.occupied.assign(G, 0);
          part = st.sums.data();
          cnt = st.counts.data();
          occ = st.occupied.data();
        }
        st.tuple_records.assign(tuples.size(), 0);
        uint64_t* const trec = st.tuple_records.data();
        const std::size_t seg_lo = seg.lo(s, n), seg_hi = seg.hi(s, n);
        for (std::size_t lo = seg_lo; lo < seg_hi; lo += kBlock) {
          const std::size_t b = std::min(kBlock, seg_hi - lo);
          codes.Load(in, lo, b);
          const double* const qv = LoadDouble(in.quantity, lo, b, q.data());
          if (fused) {
            // The common aggregate (carrier and unit codes, a quantity, one or two dense keys, one value
            // or none): checks, tuple, group index and sums in one loop, no per-record arrays.
            const int64_t *const cp = codes.c.data(), *const up = codes.u.data();
            const int64_t* const k0 = key.data();
            const int64_t* const k1 = key2.data();
            LoadInt(in.keys[0], lo, b, key.data());
            if (nkeys == 2) LoadInt(in.keys[1], lo, b, key2.data());
            const int64_t mn0 = kmin[0], mn1 = nkeys == 2 ? kmin[1] : 0;
            const std::size_t sp1 = nkeys == 2 ? span[1] : 1;
            const bool two = nkeys == 2;
            const int32_t* const ti = tuple_index.data();
            const uint8_t* const te = tuple_error.data();
            const double* const pu = per_unit.data();
            const uint64_t NC = nc, NU = nu;
            const std::size_t vi = nvals == 1 ? static_cast<std::size_t>(std::countr_zero(gv & 15u)) : 0;
            for (std::size_t j = 0; j < b; ++j) {
              const auto cc = static_cast<uint64_t>(cp[j]), uu = static_cast<uint64_t>(up[j]);
              const double qq = qv[j];
              const bool ok = (cc < NC) & (uu < NU) & std::isfinite(qq) & (qq >= 0);
              const auto t = static_cast<std::size_t>(ti[ok ? cc * NU + uu : 0]);
              const uint8_t x = ok ? te[t] : BadRecordKind((cc < NC) & (uu < NU), qq);
              if (x != kValid) {  // rare
                ++st.errors[x];
                if (st.rows[x].size() < o.report_rows) st.rows[x].push_back(lo + j);
                continue;
              }
              const std::size_t gg = static_cast<std::size_t>(Offset(k0[j], mn0)) * (two ? sp1 : 1) +
                                     (two ? static_cast<std::size_t>(Offset(k1[j], mn1)) : 0);
              ++trec[t];
              occ[gg] = 1;
              if (want_counts) ++cnt[gg];
              if (nvals == 1) part[gg] += qq * pu[4 * t + vi];
            }
            continue;
          }
          uint8_t* const e = ek.data();
          std::size_t* const sp = slot.data();
          {  // record checks and the tuple of each record (locals only: see the pre-pass)
            const int64_t *const cp = codes.c.data(), *const up = codes.u.data(), *const kp = codes.k.data(),
                                 *const rp = codes.r.data(), *const yp = codes.y.data();
            const int32_t* const ti = tuple_index.data();
            const uint8_t* const te = tuple_error.data();
            const uint64_t NC = nc, NU = nu, NK = nk, NR = nr, NYS = nys;
            const uint64_t SU = NR * NYS, SC = NU * SU, SK = NC * SC;  // strides of the tuple code
            const bool has_year = in.year.present();
            const bool simple = !has_year && !in.kind.codes.present() && !in.region.codes.present();
            // Branch-free for the common case; the error kind is worked out only for a bad record.
            // Unused tuple slots point at tuple 0, so `t` is always a valid index.
            if (simple) {  // carrier and unit only: one multiply per record
              for (std::size_t j = 0; j < b; ++j) {
                const auto cc = static_cast<uint64_t>(cp[j]), uu = static_cast<uint64_t>(up[j]);
                const double qq = qv[j];
                const bool ok = (cc < NC) & (uu < NU) & std::isfinite(qq) & (qq >= 0);
                const auto t = static_cast<std::size_t>(ti[ok ? cc * NU + uu : 0]);
                e[j] = ok ? te[t] : BadRecordKind((cc < NC) & (uu < NU), qq);
                sp[j] = t;
              }
            } else {
              for (std::size_t j = 0; j < b; ++j) {
                const auto cc = static_cast<uint64_t>(cp[j]), uu = static_cast<uint64_t>(up[j]),
                           kk = static_cast<uint64_t>(kp[j]), rr = static_cast<uint64_t>(rp[j]);
                const uint64_t ys = has_year ? Offset(yp[j], kYearFirst) : 0;
                const double qq = qv[j];
                const bool ok =
                    (cc < NC) & (uu < NU) & (kk < NK) & (rr < NR) & (ys < NYS) & std::isfinite(qq) & (qq >= 0);
                const auto t = static_cast<std::size_t>(ti[ok ? kk * SK + cc * SC + uu * SU + rr * NYS + ys : 0]);
                e[j] = ok ? te[t] : BadRecordKind((cc < NC) & (uu < NU) & (kk < NK) & (rr < NR), qq);
                sp[j] = t;
              }
            }
          }
          for (std::size_t p = 0; p < kParamCount; ++p) {
            if (!measured[p]->values.present()) continue;
            mv[p] = LoadDouble(measured[p]->values, lo, b, mbuf[p].data());
            const double* const m = mv[p];
            const double* const sc = scale.data();
            const double limit = p == kOf ? of_max : std::numeric_limits<double>::infinity();
            for (std::size_t j = 0; j < b; ++j) {
              const double v = m[j];
              // NaN: not measured (the default applies). Otherwise finite, > 0 and, for a fraction, ≤ 1;
              // and the tuple's method must have the term it replaces.
              if (e[j] != kValid || std::isnan(v)) continue;
              if (!std::isfinite(v) || v <= 0 || v > limit) {
                e[j] = kBadParameter;
                sp[j] = 0;
              } else if (sc[kParamCount * sp[j] + p] == 0) {
                const bool unit = !tuples[sp[j]].unit_mismatch[p].empty();
                if (unit) st.unit_hits.push_back(kParamCount * sp[j] + p);
                e[j] = unit ? kParameterUnit : kNotApplicable;
                sp[j] = 0;
              }
            }
          }
          for (std::size_t j = 0; j < b; ++j) {
            if (e[j] == kValid) continue;
            ++st.errors[e[j]];
            if (st.rows[e[j]].size() < o.report_rows) st.rows[e[j]].push_back(lo + j);
          }
          if (nkeys > 0) {  // group index of each record
            std::size_t* const gp = g.data();
            if (sparse) {
              for (std::size_t j = 0; j < b; ++j) gp[j] = sparse_gid[lo + j];
            } else {
              const int64_t* const keyp = key.data();
              std::fill(gp, gp + b, 0);
              for (std::size_t kk = 0; kk < nkeys; ++kk) {
                LoadInt(in.keys[kk], lo, b, key.data());
                const int64_t mn = kmin[kk];
                const std::size_t spn = span[kk];
                for (std::size_t j = 0; j < b; ++j) gp[j] = gp[j] * spn + static_cast<std::size_t>(Offset(keyp[j], mn));
              }
            }
          }
          const double* const pu = per_unit.data();
          // Fast path (no measured columns, at most one group value): one fused loop per block.
          if (!any_measured && nvals <= 1) {
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
              occ[gg] = 1;
              if (want_counts) ++cnt[gg];
              if (nvals == 1) part[gg] += qv[j] * pu[4 * t + vi];
            }
            continue;
          }
          // General path: values per record (q × tonnes per unit × measured/default ratios), then
          // outputs and group rows.
          for (std::size_t p = 0; p < kParamCount; ++p) {
            std::fill(mult[p].begin(), mult[p].begin() + static_cast<std::ptrdiff_t>(b), 1.0);
            if (!measured[p]->values.present()) continue;
            for (std::size_t j = 0; j < b; ++j) {
              if (e[j] != kValid) continue;
              if (std::isnan(mv[p][j])) {
                st.defaults[p] += tuples[sp[j]].has_term[p];  // the missing-data rule: the default applies
              } else {
                mult[p][j] = mv[p][j] * scale[kParamCount * sp[j] + p];
              }
            }
          }
          for (std::size_t j = 0; j < b; ++j) {
            const Tuple& t = tuples[sp[j]];
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
          for (std::size_t v = 0; v < 4; ++v) {
            if (!outs[v]->data) continue;
            const std::size_t step = outs[v]->stride;
            char* dst = reinterpret_cast<char*>(outs[v]->data) + lo * step;
            const double* const src = val[v].data();
            for (std::size_t j = 0; j < b; ++j, dst += step) {
              const double x = e[j] == kValid ? src[j] : kNaN;
              std::memcpy(dst, &x, sizeof x);
            }
          }
          for (std::size_t j = 0; j < b; ++j) trec[sp[j]] += e[j] == kValid;
          if (nkeys == 0) continue;
          const std::size_t* const gp = g.data();
          for (std::size_t j = 0; j < b; ++j) {
            if (e[j] != kValid) continue;
            occ[gp[j]] = 1;
            if (want_counts) ++cnt[gp[j]];
            double* row = part + gp[j] * nvals;
            for (std::size_t v = 0; v < 4; ++v) {
              if (value_slot[v] != std::string::npos) row[value_slot[v]] += val[v][j];
            }
          }
        }
      }
    });
  };
  // The report of invalid records: per-segment counts and first rows, merged in segment order.
  auto collect = [&]() {
    std::size_t invalid = 0;
    for (std::size_t x = 1; x < kKindCount; ++x) {
      std::size_t count = 0;
      std::vector<std::size_t> rows;
      for (const auto& st : state) {
        count += st.errors[x];
        for (std::size_t row : st.rows[x]) {
          if (rows.size() < o.report_rows) rows.push_back(row);
        }
      }
      if (count == 0) continue;
      report.counts[kKindNames[x]] = count;
      report.first_rows[kKindNames[x]] = std::move(rows);
      invalid += count;
    }
    report.skipped = invalid;
    report.valid = n - invalid;
    for (const auto& st : state) {
      for (std::size_t hit : st.unit_hits) {
        const Tuple& t = tuples[hit / kParamCount];
        report.pair_errors[TupleKey(t.factor)] = t.unit_mismatch[hit % kParamCount];
      }
    }
  };
  auto rejection = [&]() {
    std::string msg = StrCat(report.skipped, " invalid record(s); nothing computed:");
    for (const auto& [k, v] : report.counts) {
      std::vector<std::string> rows;
      for (auto row : report.first_rows[k]) rows.push_back(std::to_string(row));
      msg += StrCat("\n", k, ": ", v, " record(s), first rows ", internal::StrJoin(rows, ", "));
    }
    for (const auto& [pair, why] : report.pair_errors) msg += StrCat("\n", pair, ": ", why);
    return bad(msg);
  };
  run();
  collect();
  if (report.skipped > 0 && o.policy == Policy::kReject) {
    // Nothing partial survives a rejected batch: the per-record outputs become NaN (one pass instead of
    // a separate checking pass on every call), the group sums are dropped.
    for (const OutColumn* c : outs) {
      if (c->data == nullptr) continue;
      char* p = reinterpret_cast<char*>(c->data);
      for (std::size_t i = 0; i < n; ++i, p += c->stride) std::memcpy(p, &kNaN, sizeof kNaN);
    }
    return rejection();
  }
  // A product or sum beyond the largest double is an error, never an OK result holding inf (the
  // document engine refuses the same record). Nothing partial survives it either.
  auto overflow = [&](const std::string& where) {
    for (const OutColumn* c : outs) {
      if (c->data == nullptr) continue;
      char* p = reinterpret_cast<char*>(c->data);
      for (std::size_t i = 0; i < n; ++i, p += c->stride) std::memcpy(p, &kNaN, sizeof kNaN);
    }
    return MakeError(absl::StatusCode::kOutOfRange, ErrorDetail::kOverflow,
                     StrCat(where, " exceeds the largest double (about 1.8e308 t); check the quantities' units"));
  };
  // With group keys every valid record is in a group whose sum is checked below (values are ≥ 0, so
  // an infinite record makes its group infinite): the per-record pass is needed only without keys.
  for (const OutColumn* c : outs) {
    if (c->data == nullptr || nkeys > 0) continue;
    const char* p = reinterpret_cast<const char*>(c->data);
    for (std::size_t i = 0; i < n; ++i, p += c->stride) {
      double v;
      std::memcpy(&v, p, sizeof v);
      if (std::isinf(v)) return overflow(StrCat("the emission of record ", i));
    }
  }
  // ---- Combine segments in segment order (parallel over groups: each group's order is fixed) -----
  for (std::size_t p = 0; p < kParamCount; ++p) {
    std::size_t d = 0;
    for (const auto& st : state) d += st.defaults[p];
    if (measured[p]->values.present() && d > 0) report.defaults_used[kParamNames[p]] = d;
  }
  for (std::size_t t = 0; t < tuples.size(); ++t) {
    if (tuples[t].error != kValid || tuples[t].factor.kind.empty()) continue;
    for (const auto& st : state) tuples[t].factor.records += st.tuple_records[t];
    report.factors.push_back(tuples[t].factor);
  }
  if (nkeys > 0) {
    std::vector<double> total(G * nvals, 0.0);
    std::vector<uint64_t> total_count(want_counts ? G : 0, 0);
    std::vector<uint8_t> total_occ(G, 0);
    const std::size_t chunks = std::max<std::size_t>(1, std::min<std::size_t>(threads, G / 4096));
    ForEachThread(threads, chunks, [&](std::size_t tid, std::size_t stride) {
      for (std::size_t ch = tid; ch < chunks; ch += stride) {
        const std::size_t glo = G * ch / chunks, ghi = G * (ch + 1) / chunks;
        for (const auto& st : state) {
          const double* src = st.sums.data();
          for (std::size_t x = glo * nvals; x < ghi * nvals; ++x) total[x] += src[x];
          if (want_counts) {
            const uint64_t* cs = st.counts.data();
            for (std::size_t x = glo; x < ghi; ++x) total_count[x] += cs[x];
          }
        }
      }
    });
    for (const auto& st : state) {
      for (std::size_t x = 0; x < G; ++x) total_occ[x] |= st.occupied[x];
    }
    Groups& gr = result.groups;
    std::vector<double>* dst[4] = {&gr.co2_t, &gr.ch4_t, &gr.n2o_t, &gr.co2e_t};
    gr.keys.assign(nkeys, {});
    std::size_t occupied_groups = 0;
    for (uint8_t o8 : total_occ) occupied_groups += o8;
    for (auto* d : dst) {
      if (d != nullptr) d->reserve(occupied_groups);
    }
    for (auto& k : gr.keys) k.reserve(occupied_groups);
    if (want_counts) gr.records.reserve(occupied_groups);
    // The keys of group x are its mixed-radix digits: kept as an odometer, not divided out per group.
    std::vector<std::size_t> digits(nkeys, 0);
    for (std::size_t x = 0; x < G; ++x) {
      if (x > 0 && !sparse) {
        for (std::size_t kk = nkeys; kk-- > 0;) {
          if (++digits[kk] < span[kk]) break;
          digits[kk] = 0;
        }
      }
      if (!total_occ[x]) continue;
      ++gr.count;
      if (want_counts) gr.records.push_back(total_count[x]);
      for (std::size_t v = 0; v < 4; ++v) {
        if (value_slot[v] != std::string::npos) dst[v]->push_back(total[x * nvals + value_slot[v]]);
      }
      for (std::size_t v = 0; v < nvals; ++v) {
        if (!std::isfinite(total[x * nvals + v])) return overflow(StrCat("the sum of group ", gr.count - 1));
      }
      if (sparse) {
        for (std::size_t kk = 0; kk < nkeys; ++kk) gr.keys[kk].push_back(sparse_keys[kk][x]);
      } else {
        for (std::size_t kk = 0; kk < nkeys; ++kk)
          gr.keys[kk].push_back(static_cast<int64_t>(digits[kk] + static_cast<uint64_t>(kmin[kk])));
      }
    }
  }
  return result;
}

}  // namespace cmrv::batch
